#pragma once
/// \file explore_methods.hpp
/// `explore --method averaged|bootstrap`: a sweep whose fit and intervals are
/// a method's (analyses/averaged.hpp, analyses/bootstrap.hpp) while its
/// geometry stays the reference model's textbook one.
///
/// Each row of such a sweep is the reference model's textbook row
/// (sweep_at) with fit, se_fit, conf_lwr, conf_upr, pred_lwr and pred_upr
/// replaced by the method's at the same point, exactly as `predict --method`
/// computes them there; widening, distance, leverage, leverage_ratio and
/// region stay the reference model's (for averaged the candidate of largest
/// AICc weight, whose leverage and region average_predictions reports too;
/// for bootstrap the fitted model itself).

#include <memory>
#include <string>
#include <vector>

#include "regress/analyses/averaged.hpp"
#include "regress/analyses/bootstrap.hpp"
#include "regress/analyses/explore.hpp"
#include "regress/model/model.hpp"

namespace regress {

/// The candidates of an averaged sweep and the line each is swept along:
/// for -y/-x candidates the same line; for formula candidates each its own
/// (held_line of the candidate), with the same swept column, held values
/// and levels, so that every candidate sees the same point.
struct averaged_sweep {
  std::vector<model> candidates;
  std::vector<sweep_line> lines;  ///< one per candidate
  model_weights weights;          ///< aicc_weights(candidates)
};

/// The averaged row at x: every candidate's prediction at x on its line
/// (predict_one, or predict_row of point_on) combined by average_predictions
/// for the confidence and the prediction interval; the rest of `reference`,
/// the textbook row of the largest-weight candidate at x. Throws data_error
/// where a formula candidate cannot be evaluated at x.
sweep_row averaged_sweep_at(const averaged_sweep& a, double x, double level,
                            const sweep_row& reference);

/// The bootstrap row at x: `textbook` (sweep_at of m at x on the line) with
/// the four limits of bootstrap_predict (bootstrap_predict_row for a formula
/// model) in place of the t intervals'.
sweep_row bootstrap_sweep_at(const model& m, const bootstrap_replicates& b, const sweep_line& line,
                             double x, double level, const sweep_row& textbook);

/// Makes `e`, an exploration of the reference model alone (explore_fitted or
/// explore_formula of the largest-weight candidate of `a`), the averaged one: its
/// model named "averaged", its kept rows recomputed and its full sweep
/// recomputed row by row (for_each_sweep_row), e.method filled in. Throws
/// usage_error unless `e` has exactly one model, fitted.
void use_averaged(exploration& e, std::shared_ptr<const averaged_sweep> a);

/// As use_averaged for the bootstrap of e's one model: named "bootstrap",
/// e.method with `seed` and the replicates' count.
void use_bootstrap(exploration& e, std::shared_ptr<const bootstrap_replicates> b,
                   std::uint64_t seed);

}  // namespace regress
