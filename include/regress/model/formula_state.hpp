#pragma once
/// \file formula_state.hpp
/// The one-pass statistics of a formula fit (formula_stats.hpp) as a plain
/// value that can be saved (files/state_file.hpp), merged with those of
/// other shards of the data, and solved: `fit --save-state` and `merge` for
/// models given as R formulas.
///
/// Shards disagree on two things the statistics depend on. Their factors may
/// have seen different levels: the cells are keyed by the levels' texts and
/// the levels are sorted only when the model is solved, so the merge is the
/// fit of the concatenated data with the sorted union of the levels. And each
/// shard centres the argument of a poly() at its own first value (the powers
/// are formed about it to keep their sums accurate): before merging, every
/// shard is re-expressed about the first shard's centres, the power sums by
/// the binomial expansion of (t + d)^k and each cell's moments by the same
/// linear map of its monomials, in double-double, so the result equals the
/// fit of all the rows to double-double rounding.

#include <cmath>
#include <cstddef>
#include <string>
#include <vector>

#include "regress/model/formula_stats.hpp"
#include "regress/model/model.hpp"

namespace regress {

/// Everything needed to merge and solve a formula fit, without the rows.
struct formula_state {
  std::string formula;               ///< as fitted
  std::string weights;               ///< the weights' column; empty when unweighted
  double level = 0.95;               ///< confidence level of the fit
  std::vector<std::string> header;   ///< the data's header ('.' expands to it)
  std::vector<std::string> columns;  ///< the columns the formula reads
  std::vector<bool> text;            ///< per column: read as text (a factor)
  std::vector<double> centres;       ///< per atom of the plan (0 unless a poly() argument)
  std::vector<formula_cell> cells;   ///< per cell of the factors
  std::vector<power_sums> powers;    ///< per atom (empty unless a poly() argument)
  std::size_t records = 0;           ///< records read
  std::size_t dropped = 0;           ///< of which with a missing value in a used column
  double weight_min = HUGE_VAL;      ///< smallest weight of a complete row (weighted)
  double weight_max = -HUGE_VAL;     ///< largest weight of a complete row (weighted)
  /// The ids of the shards it holds (state_file.hpp); empty: a fresh fit's,
  /// given a new id when written, or a file from before ids.
  std::vector<std::string> shards;
};

/// The state of a fit: its plan and its statistics once the engine has read
/// every row.
formula_state state_of(const formula_plan& plan, const formula_stats& stats, double level);

/// The plan the state was fitted with: its formula bound to its header with
/// its text columns, and its poly centres. Throws usage_error as
/// plan_formula, model_error when the plan does not fit the saved columns.
formula_plan plan_of(const formula_state& s);

/// Re-expresses the cells' moments and the power sums of `s` (fitted with
/// `plan`) about other poly centres, one per atom of the plan, exactly up to
/// double-double rounding.
void recentre(formula_state& s, const formula_plan& plan, const std::vector<double>& centres);

/// Merges the states of shards of one data set, in order, about the first
/// one's poly centres. Throws usage_error naming the state (from `sources`)
/// whose formula or weights differ from the first's, model_error naming it
/// when its columns or their kinds differ. Precondition: !states.empty(),
/// sources.size() == states.size().
formula_state merge_formula_states(const std::vector<formula_state>& states,
                                   const std::vector<std::string>& sources);

/// The model of a (merged) state at `level`. No residual quantiles (they
/// need the rows). model::max_leverage is the largest leverage at each
/// cell's extremes of its numeric columns (the others at the cell's means):
/// exact when `*exact_leverage` says so (no numeric column, or one whose
/// terms are straight lines in it), else an estimate. `*near_exact`, when
/// given, says whether the one-pass residual sum of squares may have lost
/// digits (a near-exact fit: the rows are not at hand to recompute it).
model model_of(const formula_state& s, double level, bool* exact_leverage = nullptr,
               bool* near_exact = nullptr);

}  // namespace regress
