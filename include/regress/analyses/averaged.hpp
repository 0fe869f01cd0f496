#pragma once
/// \file averaged.hpp
/// Model-averaged intervals (`--method averaged`): candidate models fitted
/// to the same rows, weighted by AICc, and the interval from the quantiles
/// of the mixture of the candidates' own predictive distributions
/// (model-averaged tail area intervals, Turek and Fletcher 2012).
///
/// For candidate i with weight w_i, residual degrees of freedom df_i, fit
/// f_i and standard error se_i at a point, the predictive distribution is
///   sum_i w_i * t_{df_i}((y - f_i) / s_i),  s_i = sqrt(sigma_i^2 + se_i^2)
/// for a prediction interval (s_i = se_i for a confidence interval; a new
/// row's weight divides sigma_i^2, as predict.lm's pred.var). The interval
/// is that mixture's (1-level)/2 and (1+level)/2 quantiles, solved by
/// TOMS 748 inside the bracket the components' own quantiles make, to 1e-12
/// relative.

#include <cstddef>
#include <string>
#include <vector>

#include "regress/model/model.hpp"
#include "regress/model/predict.hpp"

namespace regress {

/// AICc of an lm fit: AIC + 2k(k+1)/(n-k-1), with R's AIC (logLik.lm,
/// weighted as R's: the log weights enter, zero-weight rows do not count in
/// n) and k = coefficients + 1 (sigma). Throws model_error when n <= k + 1,
/// where AICc is undefined.
double aicc(const model& m);

/// AICc weights of the candidates: w_i = exp(-D_i/2) / sum_j exp(-D_j/2),
/// D_i = AICc_i - min_j AICc_j.
struct model_weights {
  std::vector<double> aicc;
  std::vector<double> weights;
  std::size_t best = 0;  ///< index of the largest weight (the first of ties)
};
model_weights aicc_weights(const std::vector<model>& candidates);

/// One component of the predictive mixture.
struct mixture_component {
  double weight = 0;
  double centre = 0;
  double scale = 0;  ///< > 0; a zero scale is a point mass at the centre
  double df = 0;
};

/// P(Y <= y) under the mixture.
double mixture_cdf(const std::vector<mixture_component>& mixture, double y);

/// The p-quantile of the mixture (p in (0,1)), to 1e-12 relative: the root
/// of mixture_cdf(y) = p between the smallest and the largest of the
/// components' own p-quantiles (which bracket it).
double mixture_quantile(const std::vector<mixture_component>& mixture, double p);

/// Each candidate's prediction at one point (predict_one / predict_row of
/// candidate i, in order) combined: fit = sum w_i fit_i; lwr and upr the
/// mixture's quantiles; se_fit the unconditional standard error of Buckland
/// et al. (1997), sum w_i sqrt(se_i^2 + (fit_i - fit)^2); leverage and region
/// the largest-weight candidate's. `new_weight` is the point's case weight
/// (1 unless the fit is weighted and the row gives one). A candidate with
/// no prediction (NaN fit: a new factor level) makes the whole row NaN with
/// that candidate's region.
prediction average_predictions(const std::vector<model>& candidates, const model_weights& w,
                               const std::vector<prediction>& each, interval_kind kind,
                               double level, double new_weight = 1);

/// A candidate's name: its formula as R deparses it, or the -y/-x model
/// written as one ("dist ~ speed + I(speed^2)").
std::string candidate_label(const model& m);

/// Throws usage_error naming the candidates unless they share the response
/// (R's label of it) and were fitted to the same rows: the same count and,
/// for those with an intercept, the same (weighted) response mean and total
/// sum of squares to 1e-9 relative (rows dropped for a value missing in one
/// candidate's columns but not another's change them).
void check_same_rows(const std::vector<model>& candidates);

/// The candidates' residual standard deviation sigma_i (sqrt(RSS/df)).
double residual_sigma(const model& m);

}  // namespace regress
