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

#include <cstddef>
#include <istream>
#include <ostream>
#include <string>
#include <vector>

#include "regress/engine/engine.hpp"
#include "regress/model/design.hpp"
#include "regress/model/model_spec.hpp"
#include "regress/model/ols.hpp"

namespace regress {

inline constexpr int state_format_version = 1;

struct fit_state {
  model_spec spec;                      ///< response, predictors, degree, intercept
  ols_state state;                      ///< n, shifts, sums, cross products
  std::vector<predictor_range> ranges;  ///< min and max per predictor (mean unused)
  extreme_rows extremes;                ///< see extreme_rows in engine.hpp
  std::size_t rows_read = 0;            ///< data records in the shard
  std::size_t rows_dropped = 0;         ///< of which with a missing used value
};

/// The state of an engine run.
fit_state state_of(const engine_result& r);

/// Writes a state as JSON (double-doubles as [hi, lo] pairs, every double as
/// the shortest text that reads back to it).
void write_state(std::ostream& out, const fit_state& s);

/// Reads a state; throws model_error naming `source` for anything malformed,
/// of another version, or inconsistent (sizes, non-finite values, ranges).
fit_state read_state(std::istream& in, const std::string& source);

/// Merges states of one model, in order. Throws model_error naming the first
/// state that differs from the first one (response, predictors, degree,
/// intercept). Precondition: !states.empty(), sources.size() == states.size().
fit_state merge_states(const std::vector<fit_state>& states,
                       const std::vector<std::string>& sources);

/// The model of a (merged) state; see model_from_state in engine.hpp.
model model_of(const fit_state& s);

}  // namespace regress
