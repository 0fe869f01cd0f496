#include "regress/analyses/averaged.hpp"

#include <algorithm>
#include <boost/math/tools/roots.hpp>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>

#include "regress/error.hpp"
#include "regress/model/distributions.hpp"
#include "regress/model/summary.hpp"

namespace regress {
namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

/// Component i's own p-quantile.
double component_quantile(const mixture_component& c, double p) {
  if (!(c.scale > 0)) return c.centre;
  return c.centre + c.scale * quantile(student_t{c.df}, p);
}

std::string response_of(const model& m) {
  return m.terms ? m.terms->response_label : m.spec.response;
}

bool near(double a, double b) {
  return std::abs(a - b) <= 1e-9 * std::max(std::abs(a), std::abs(b));
}

}  // namespace

std::string candidate_label(const model& m) {
  if (m.terms) return m.terms->call;
  std::string text = m.spec.response + " ~ ";
  for (std::size_t j = 0; j < m.slope_terms.size(); ++j) {
    text += (j > 0 ? " + " : "") + m.slope_terms[j];
  }
  if (!m.spec.intercept) text += " - 1";
  return text;
}

void check_same_rows(const std::vector<model>& candidates) {
  const model& first = candidates.at(0);
  for (const auto& m : candidates) {
    const std::string pair = "'" + candidate_label(first) + "' and '" + candidate_label(m) + "'";
    if (response_of(m) != response_of(first)) {
      throw usage_error("the candidate models must have the same response; " + pair + " do not");
    }
    bool same = m.fit.nobs == first.fit.nobs;
    if (same && m.fit.intercept && first.fit.intercept) {
      same = near(double(m.fit.y_mean), double(first.fit.y_mean)) &&
             near(double(m.fit.mss + m.fit.rss), double(first.fit.mss + first.fit.rss));
    }
    if (!same) {
      throw usage_error("the candidate models must be fitted to the same rows; " + pair +
                        " were not (a value missing in one's columns but not the other's?)");
    }
  }
}

double residual_sigma(const model& m) { return std::sqrt(double(m.fit.rss) / m.fit.df_residual); }

double aicc(const model& m) {
  // R's AIC(lm) (logLik.lm, with sigma among the parameters), from summarize.
  const model_stats st = summarize(m, m.spec.level).stats;
  const double n = st.nobs;
  const double k = static_cast<double>(m.fit.k()) + (m.fit.intercept ? 1 : 0) + 1;
  if (!(n - k - 1 > 0)) {
    throw model_error("AICc needs more rows than parameters + 1 (a candidate has " +
                      std::to_string(static_cast<long long>(k)) + " parameters, sigma included, " +
                      "and " + std::to_string(static_cast<long long>(n)) + " rows)");
  }
  return st.aic + 2 * k * (k + 1) / (n - k - 1);
}

model_weights aicc_weights(const std::vector<model>& candidates) {
  model_weights w;
  for (const auto& m : candidates) w.aicc.push_back(aicc(m));
  const double least = *std::min_element(w.aicc.begin(), w.aicc.end());
  double total = 0;
  for (double a : w.aicc) {
    w.weights.push_back(std::exp(-(a - least) / 2));
    total += w.weights.back();
  }
  for (double& x : w.weights) x /= total;
  w.best = static_cast<std::size_t>(std::max_element(w.weights.begin(), w.weights.end()) -
                                    w.weights.begin());
  return w;
}

double mixture_cdf(const std::vector<mixture_component>& mixture, double y) {
  double total = 0;
  for (const auto& c : mixture) {
    if (c.weight == 0) continue;
    const double f =
        c.scale > 0 ? cdf(student_t{c.df}, (y - c.centre) / c.scale) : (y >= c.centre ? 1.0 : 0.0);
    total += c.weight * f;
  }
  return total;
}

double mixture_quantile(const std::vector<mixture_component>& mixture, double p) {
  // Every component's cdf at the smallest of their p-quantiles is at most p,
  // and at the largest at least p: the mixture's p-quantile lies between.
  double lo = std::numeric_limits<double>::infinity();
  double hi = -lo;
  for (const auto& c : mixture) {
    if (c.weight == 0) continue;
    const double q = component_quantile(c, p);
    lo = std::min(lo, q);
    hi = std::max(hi, q);
  }
  if (!(lo < hi) || !std::isfinite(lo) || !std::isfinite(hi)) return lo == hi ? lo : nan;
  const auto f = [&](double y) { return mixture_cdf(mixture, y) - p; };
  double flo = f(lo), fhi = f(hi);
  if (flo >= 0) return lo;
  if (fhi <= 0) return hi;
  const auto close = [](double a, double b) {
    return std::abs(a - b) <= 1e-13 * std::max(std::abs(a), std::abs(b));
  };
  std::uintmax_t iterations = 200;
  const std::pair<double, double> root =
      boost::math::tools::toms748_solve(f, lo, hi, flo, fhi, close, iterations);
  return root.first + (root.second - root.first) / 2;
}

prediction average_predictions(const std::vector<model>& candidates, const model_weights& w,
                               const std::vector<prediction>& each, interval_kind kind,
                               double level, double new_weight) {
  prediction out = each.at(w.best);
  for (const auto& p : each) {
    if (std::isnan(p.fit)) {
      out = p;
      out.fit = out.se_fit = out.lwr = out.upr = nan;
      return out;
    }
  }
  std::vector<mixture_component> mixture;
  double fit = 0;
  for (std::size_t i = 0; i < each.size(); ++i) {
    const prediction& p = each[i];
    const double sigma = residual_sigma(candidates[i]);
    const double scale = kind == interval_kind::prediction
                             ? std::sqrt(p.se_fit * p.se_fit + sigma * sigma / new_weight)
                             : p.se_fit;
    mixture.push_back({w.weights[i], p.fit, scale, candidates[i].fit.df_residual});
    fit += w.weights[i] * p.fit;
  }
  double se = 0;
  for (std::size_t i = 0; i < each.size(); ++i) {
    const double d = each[i].fit - fit;
    se += w.weights[i] * std::sqrt(each[i].se_fit * each[i].se_fit + d * d);
  }
  out.fit = fit;
  out.se_fit = se;
  out.lwr = mixture_quantile(mixture, (1 - level) / 2);
  out.upr = mixture_quantile(mixture, (1 + level) / 2);
  return out;
}

}  // namespace regress
