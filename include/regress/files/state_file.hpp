#pragma once
/// \file state_file.hpp
/// Partial fits that merge: the sufficient statistics of a fit to one shard of
/// the data, saved as versioned JSON, read back with validation, and merged
/// into exactly the fit of the concatenated shards (to double-double
/// rounding). What `regress fit --save-state` writes and `regress merge` reads.
///
/// The largest training leverage (model::max_leverage, behind the `hidden`
/// region of predictions with several predictors) depends on the final fit and
/// cannot be merged from per-shard numbers. Each state keeps, instead, the rows
/// at which each predictor attains its minimum and maximum (2 np rows); a
/// merged model takes the largest leverage among those candidates. With one
/// predictor (no powers) that is exact, since the leverage is a convex
/// function of x; otherwise it is a lower bound, so `hidden` errs towards
/// flagging a point, never towards missing one beyond the candidates.
///
/// Every state file names the shards it holds by id ("shards": a random
/// 128-bit id, in hex, given when a fit's state is first written; a merged
/// state lists those of its parts), so that merge refuses a shard given twice,
/// which would count its rows twice. Files written before ids have none and
/// are merged unchecked. A shard without complete rows has a valid, empty
/// state (n 0, no ranges), which merges as nothing.

#include <cstddef>
#include <istream>
#include <ostream>
#include <string>
#include <vector>

#include "regress/engine/engine.hpp"
#include "regress/model/design.hpp"
#include "regress/model/formula_state.hpp"
#include "regress/model/model_spec.hpp"
#include "regress/model/ols.hpp"

namespace regress {

/// The version of the state files of -y/-x fits (formula states are
/// version 2: formula_state_version).
inline constexpr int state_format_version = 1;
/// The version of the state files of formula fits (formula_state.hpp).
inline constexpr int formula_state_version = 2;

struct fit_state {
  model_spec spec;                      ///< response, predictors, degree, intercept
  ols_state state;                      ///< n, shifts, sums, cross products
  std::vector<predictor_range> ranges;  ///< min and max per predictor (mean unused)
  extreme_rows extremes;                ///< see extreme_rows in engine.hpp
  std::size_t rows_read = 0;            ///< data records in the shard
  std::size_t rows_dropped = 0;         ///< of which with a missing used value
  /// The ids of the shards it holds (see above); empty: a fresh fit's, which
  /// gets a new id when written, or a file from before ids.
  std::vector<std::string> shards;
};

/// A new shard id: 128 random bits (std::random_device), as 32 hex digits.
std::string new_shard_id();

/// The state of an engine run.
fit_state state_of(const engine_result& r);

/// Writes a state as JSON (double-doubles as [hi, lo] pairs, every double as
/// the shortest text that reads back to it).
void write_state(std::ostream& out, const fit_state& s);

/// Reads a state; throws model_error naming `source` for anything malformed,
/// of another version, or inconsistent (sizes, non-finite values, ranges).
fit_state read_state(std::istream& in, const std::string& source);

/// Writes a formula fit's state as a version-2 state file; throws
/// model_error when a name or level it holds is not valid UTF-8.
void write_formula_state(std::ostream& out, const formula_state& s);

/// A state file of either kind: a -y/-x fit (version 1) or a formula fit
/// (version 2).
struct saved_state {
  bool is_formula = false;
  fit_state columns;           ///< when !is_formula
  formula_state formula_part;  ///< when is_formula
};

/// Reads a state file of either version; throws model_error naming `source`
/// for anything malformed or inconsistent (as read_state).
saved_state read_any_state(std::istream& in, const std::string& source);

/// Merges states of one model, in order. Throws model_error naming the first
/// state that differs from the first one (response, predictors, degree,
/// intercept). Precondition: !states.empty(), sources.size() == states.size().
fit_state merge_states(const std::vector<fit_state>& states,
                       const std::vector<std::string>& sources);

/// The model of a (merged) state; see model_from_state in engine.hpp.
/// Throws model_error for a state without rows (only empty shards).
model model_of(const fit_state& s);

}  // namespace regress
