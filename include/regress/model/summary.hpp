#pragma once
/// \file summary.hpp
/// Inference as R's summary.lm, confint and logLik.lm: a row per term (broom's
/// tidy) and the model statistics (broom's glance).

#include <string>
#include <vector>

#include "regress/model/model.hpp"

namespace regress {

struct coefficient {
  std::string term;
  double estimate;
  double std_error;
  double statistic;  ///< t value; +-inf or NaN for a perfect fit
  double p_value;
  double conf_low;
  double conf_high;
  bool aliased = false;  ///< R's NA coefficient: every number above is NaN
};

struct model_stats {
  double r_squared;
  double adj_r_squared;
  double sigma;
  double df_residual;
  double nobs;
  double f_statistic;  ///< NaN when there is no slope term beyond the intercept
  double f_df1;
  double f_p_value;
  double log_lik;
  double aic;
  double bic;
  double level;
  /// The covariance behind the standard errors and F: "const" (sigma^2
  /// (X'WX)^-1, summary.lm's), or a robust one as --vcov names it; F is then
  /// lmtest::waldtest's with that covariance.
  std::string vcov = "const";
  std::string cluster;  ///< CL: the clusters' column
};

struct summary {
  std::vector<coefficient> terms;  ///< model order, "(Intercept)" first when present
  model_stats stats;
};

/// R's summary.lm test for an "essentially perfect fit": the residual
/// variance RSS/df below 1e-30 of the fitted values' mean(f)^2 + var(f), where
/// the standard errors, t values and p-values are rounding noise. Without
/// weights and with an intercept that scale is exact (mean(y)^2 + MSS/(n-1));
/// with weights or without an intercept, where the fit does not keep the
/// fitted values' plain mean, it is their (weighted) mean square, which
/// differs from R's by a factor of order n/(n-1) at most for equal weights.
bool essentially_perfect_fit(const model& m);

/// Computes the summary at `level` (in (0,1); usage_error otherwise).
summary summarize(const model& m, double level);

}  // namespace regress
