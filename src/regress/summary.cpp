#include "regress/summary.hpp"

#include <cmath>
#include <limits>

#include "regress/distributions.hpp"
#include "regress/error.hpp"

namespace regress {
namespace {
constexpr double pi = 3.14159265358979323846;

coefficient make_row(std::string term, double estimate, double se, double df, double tcrit) {
  coefficient row;
  row.term = std::move(term);
  row.estimate = estimate;
  row.std_error = se;
  row.statistic = estimate / se;
  row.p_value = two_sided_p(student_t{df}, row.statistic);
  row.conf_low = estimate - tcrit * se;
  row.conf_high = estimate + tcrit * se;
  return row;
}
}  // namespace

summary summarize(const model& m, double level) {
  if (!(level > 0 && level < 1)) {
    throw usage_error("--level must be strictly between 0 and 1, for example 0.95");
  }
  const ols_fit& f = m.fit;
  const Eigen::Index k = f.slopes.size();
  const double df = f.df_residual;
  const double n = f.nobs;
  const double sigma = std::sqrt(f.rss / df);
  const double tcrit = critical_t(df, level);

  summary s;
  // Standard errors from the triangular factor: cov = sigma^2 R^-1 R^-T, so
  // se_j is sigma times the norm of row j of R^-1. inv(X'X) is never formed.
  const Eigen::MatrixXd rinv = f.r.triangularView<Eigen::Upper>().solve(
      Eigen::MatrixXd::Identity(k, k));
  if (f.intercept) {
    // The raw intercept is y_center - center' b; its variance is
    // sigma^2 (1/n + ||R^-T center||^2) since the centred intercept (the mean
    // of y) is uncorrelated with the slopes.
    const Eigen::VectorXd mean = f.center + f.center_lo;
    const Eigen::VectorXd w = f.r.transpose().triangularView<Eigen::Lower>().solve(mean);
    const double se = sigma * std::sqrt(1.0 / n + w.squaredNorm());
    s.terms.push_back(make_row("(Intercept)", raw_intercept(f), se, df, tcrit));
  }
  for (Eigen::Index j = 0; j < k; ++j) {
    s.terms.push_back(make_row(m.slope_terms.at(static_cast<std::size_t>(j)), f.slopes(j),
                               sigma * rinv.row(j).norm(), df, tcrit));
  }

  model_stats& st = s.stats;
  const double p = static_cast<double>(k) + (f.intercept ? 1 : 0);
  const double df_int = f.intercept ? 1 : 0;
  // R's summary.lm: MSS / (MSS + RSS), uncentred without an intercept.
  st.r_squared = f.mss / (f.mss + f.rss);
  st.adj_r_squared = 1.0 - (1.0 - st.r_squared) * ((n - df_int) / df);
  st.sigma = sigma;
  st.df_residual = df;
  st.nobs = n;
  st.f_df1 = p - df_int;
  st.f_statistic = (f.mss / st.f_df1) / (f.rss / df);
  st.f_p_value = upper_tail(fisher_f{st.f_df1, df}, st.f_statistic);
  // logLik.lm with unit weights; the parameter count includes sigma.
  st.log_lik = -0.5 * n * (std::log(2 * pi) + 1.0 - std::log(n) + std::log(f.rss));
  st.aic = -2.0 * st.log_lik + 2.0 * (p + 1);
  st.bic = -2.0 * st.log_lik + std::log(n) * (p + 1);
  st.level = level;
  return s;
}

}  // namespace regress
