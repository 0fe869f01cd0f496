// fit_formula: lm() on a formula's frame (frame.hpp).

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "regress/error.hpp"
#include "regress/model/frame.hpp"

namespace regress {
namespace {
std::vector<std::size_t> kept_indices(const std::vector<bool>& aliased) {
  std::vector<std::size_t> keep;
  for (std::size_t j = 0; j < aliased.size(); ++j) {
    if (!aliased[j]) keep.push_back(j);
  }
  return keep;
}
}  // namespace

void keep_columns(const model& m, const dd* full, std::vector<double>& kept) {
  kept.clear();
  for (std::size_t j = 0; j < m.slope_terms.size(); ++j) {
    if (j >= m.aliased.size() || !m.aliased[j]) kept.push_back(double(full[j]));
  }
}

model fit_formula(const formula_frame& frame, double level) {
  const model_terms& t = frame.terms;
  const std::size_t n = frame.rows();
  const std::size_t p = frame.p;
  const bool weighted = !frame.w.empty();
  ols_state full(p, 1, t.intercept);
  for (std::size_t i = 0; i < n; ++i) {
    if (weighted) {
      full.add_row(frame.x.data() + i * p, frame.y[i], frame.w[i]);
    } else {
      full.add_row(frame.x.data() + i * p, frame.y[i]);
    }
  }
  model m;
  m.spec.response = t.response_label;
  for (const auto& r : frame.ranges) m.spec.predictors.push_back(r.name);
  m.spec.intercept = t.intercept;
  m.spec.level = level;
  m.slope_terms = t.column_names();
  m.aliased = aliased_terms(full);
  const std::vector<std::size_t> keep = kept_indices(m.aliased);
  std::vector<std::string> kept_names;
  for (std::size_t j : keep) kept_names.push_back(m.slope_terms[j]);
  const bool any_aliased = keep.size() < p;
  m.fit = solve(any_aliased ? full.select(keep) : full, kept_names);
  if (!any_aliased) m.aliased.clear();
  m.terms = t;
  m.ranges = frame.ranges;
  m.cells = frame.cells;
  m.rows_dropped = frame.rows_dropped;
  m.weighted_residuals =
      weighted && std::any_of(frame.w.begin(), frame.w.end(),
                              [&frame](double w) { return w != frame.w.front(); });

  // The rows are at hand: the residual sum of squares again, from them, in
  // double-double; the residuals (weighted as summary.lm shows them) and the
  // largest training leverage.
  std::vector<dd> kept(keep.size());
  std::vector<double> kept_hi(keep.size());
  std::vector<double> residuals;
  dd rss;
  m.max_leverage = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double w = weighted ? frame.w[i] : 1.0;
    if (!(w > 0)) {
      residuals.push_back(0.0);  // summary.lm shows a zero weight's residual as 0
      continue;
    }
    for (std::size_t a = 0; a < keep.size(); ++a) {
      kept[a] = frame.x[i * p + keep[a]];
      kept_hi[a] = kept[a].hi;
    }
    dd r2;
    add_squared_residual(m.fit, kept.data(), frame.y[i], r2);
    rss += dd(w) * r2;
    const double r = double(frame.y[i]) - fitted_value(m.fit, kept_hi.data());
    residuals.push_back(std::sqrt(w) * r);
    m.max_leverage = std::max(m.max_leverage, leverage(m.fit, kept_hi.data()));
  }
  m.fit.rss = rss;
  set_residual_summary(m, std::move(residuals), frame.row_numbers);
  return m;
}

}  // namespace regress
