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
};

struct summary {
  std::vector<coefficient> terms;  ///< model order, "(Intercept)" first when present
  model_stats stats;
};

/// Computes the summary at `level` (in (0,1); usage_error otherwise).
summary summarize(const model& m, double level);

}  // namespace regress
