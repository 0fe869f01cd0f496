#include "regress/model/summary.hpp"

#include <cmath>
#include <limits>

#include "regress/error.hpp"
#include "regress/model/distributions.hpp"

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

/// lmtest::waldtest(m, vcov = V) against the intercept-only model (every
/// coefficient = 0 without an intercept) in place of summary.lm's F.
void robust_f(const model& m, summary& s) {
  std::vector<double> estimates;
  for (const auto& t : s.terms) {
    if (!t.aliased) estimates.push_back(t.estimate);
  }
  const wald_result w = wald_slopes(*m.robust, estimates, m.fit.intercept);
  model_stats& st = s.stats;
  st.f_statistic = w.statistic;
  st.f_df1 = w.df;
  st.f_p_value = upper_tail(fisher_f{w.df, st.df_residual}, w.statistic);
  st.vcov = vcov_name(m.robust->kind);
  st.cluster = m.robust->cluster;
}
}  // namespace

bool essentially_perfect_fit(const model& m) {
  const ols_fit& f = m.fit;
  if (!(f.df_residual > 0)) return false;
  const double resvar = double(f.rss) / f.df_residual;
  double scale = 0;
  if (f.intercept && !f.weighted) {
    const double mean = double(f.y_mean);  // the fitted values' mean is y's
    scale = mean * mean + (f.nobs > 1 ? double(f.mss) / (f.nobs - 1) : 0);
  } else if (f.intercept) {
    const double mean = double(f.y_mean);
    scale = mean * mean + double(f.mss) / f.centring_n();
  } else {
    scale = double(f.mss) / f.centring_n();  // MSS is uncentred here
  }
  return std::isfinite(resvar) && resvar < scale * 1e-30;
}

summary summarize(const model& m, double level) {
  if (!(level > 0 && level < 1)) {
    throw usage_error("level must be strictly between 0 and 1, for example 0.95");
  }
  const ols_fit& f = m.fit;
  const std::size_t k = f.k();
  const double df = f.df_residual;
  const double n = f.nobs;
  const double rss = double(f.rss);
  const double sigma = std::sqrt(rss / df);
  const double tcrit = critical_t(df, level);

  summary s;
  // Standard errors from the triangular factor's inverse: cov = sigma^2 (X'X)^-1
  // with (X'X)^-1 = L^-T L^-1; inv(X'X) itself is never formed.
  const std::vector<double> factors = variance_factors(f);
  // With a robust covariance (model order, intercept first) the standard
  // errors are its diagonal's roots, as lmtest::coeftest takes them.
  const auto se_of = [&](std::size_t j, bool is_intercept) {
    if (m.robust) return std::sqrt(m.robust->at(j, j));
    return sigma * std::sqrt(factors[is_intercept ? k : j - (f.intercept ? 1 : 0)]);
  };
  if (f.intercept) {
    s.terms.push_back(make_row("(Intercept)", double(raw_intercept(f)), se_of(0, true), df, tcrit));
  }
  // Aliased terms (R's NA coefficients) keep their place in model order; the
  // fit holds the others.
  std::size_t j = 0;
  for (std::size_t t = 0; t < m.slope_terms.size(); ++t) {
    if (t < m.aliased.size() && m.aliased[t]) {
      const double na = std::numeric_limits<double>::quiet_NaN();
      s.terms.push_back(coefficient{m.slope_terms[t], na, na, na, na, na, na, true});
      continue;
    }
    s.terms.push_back(make_row(m.slope_terms.at(t), double(f.slopes.at(j)),
                               se_of(j + (f.intercept ? 1 : 0), false), df, tcrit));
    ++j;
  }

  model_stats& st = s.stats;
  const double p = static_cast<double>(k) + (f.intercept ? 1 : 0);
  const double df_int = f.intercept ? 1 : 0;
  // R's summary.lm: MSS / (MSS + RSS), uncentred without an intercept.
  st.r_squared = double(f.mss / (f.mss + f.rss));
  st.adj_r_squared = 1.0 - (1.0 - st.r_squared) * ((n - df_int) / df);
  st.sigma = sigma;
  st.df_residual = df;
  st.nobs = n;
  st.f_df1 = p - df_int;
  // A perfect fit (RSS = 0) has an infinite F, as R reports; a constant
  // response (MSS = RSS = 0) has F = 0/0, NaN with no p-value, as R's.
  if (f.rss.hi > 0) {
    st.f_statistic = double((f.mss / dd(st.f_df1)) / (f.rss / dd(df)));
  } else {
    st.f_statistic = f.mss.hi > 0 ? std::numeric_limits<double>::infinity()
                                  : std::numeric_limits<double>::quiet_NaN();
  }
  st.f_p_value = upper_tail(fisher_f{st.f_df1, df}, st.f_statistic);
  if (m.robust) robust_f(m, s);
  if (st.f_df1 == 0) {  // y ~ 1: no F test (R prints none)
    st.f_statistic = st.f_df1 = st.f_p_value = std::numeric_limits<double>::quiet_NaN();
  }
  // logLik.lm (the weights' logs sum to 0 without weights); the parameter
  // count includes sigma.
  st.log_lik =
      0.5 * (f.log_weight_sum - n * (std::log(2 * pi) + 1.0 - std::log(n) + std::log(rss)));
  st.aic = -2.0 * st.log_lik + 2.0 * (p + 1);
  st.bic = -2.0 * st.log_lik + std::log(n) * (p + 1);
  st.level = level;
  return s;
}

}  // namespace regress
