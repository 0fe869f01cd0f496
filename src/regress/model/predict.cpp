#include "regress/model/predict.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "regress/analyses/explore.hpp"
#include "regress/error.hpp"
#include "regress/model/distributions.hpp"
#include "regress/model/frame.hpp"

namespace regress {

const char* to_string(region r) noexcept {
  switch (r) {
    case region::inside:
      return "inside";
    case region::below:
      return "below";
    case region::above:
      return "above";
    case region::outside:
      return "outside";
    case region::hidden:
      return "hidden";
    case region::new_level:
      return "new_level";
  }
  return "?";
}

region locate(const model& m, const double* v, double h) {
  const auto& ranges = m.ranges;
  // A NaN value is in no range: never inside (every test below is written
  // so that NaN fails it).
  if (ranges.size() == 1) {
    if (v[0] < ranges[0].min) return region::below;
    if (v[0] > ranges[0].max) return region::above;
    return v[0] >= ranges[0].min ? region::inside : region::outside;
  }
  for (std::size_t j = 0; j < ranges.size(); ++j) {
    if (!(v[j] >= ranges[j].min && v[j] <= ranges[j].max)) return region::outside;
  }
  // A training row recomputed one at a time may differ from the batch value
  // in the last bits; only leverage clearly beyond the data counts.
  return h <= m.max_leverage * (1 + 1e-10) ? region::inside : region::hidden;
}

namespace {
/// sqrt(a + h): where h overflows, a is far below its last digit and the
/// root is h's own.
double root_plus(double a, const leverage_value& h) {
  return std::isfinite(h.h) ? std::sqrt(a + h.h) : h.root;
}

/// With a robust covariance V (fit --vcov): the standard error of the mean
/// response sqrt(x0' V x0), x0 the raw design row (1, terms); and the
/// prediction interval's sqrt(se^2 + sigma^2 / w), the new row's own error
/// still the model's.
void set_robust_se(const model& m, const double* terms, double sigma, double weight,
                   interval_kind kind, double& se_fit, double& half_scale) {
  const robust_vcov& v = *m.robust;
  const std::size_t p = v.order();
  const std::size_t off = m.fit.intercept ? 1 : 0;
  const auto x = [&](std::size_t i) { return i < off ? 1.0 : terms[i - off]; };
  double q = 0;
  for (std::size_t i = 0; i < p; ++i) {
    for (std::size_t j = 0; j < p; ++j) q += x(i) * v.at(i, j) * x(j);
  }
  se_fit = std::sqrt(std::max(q, 0.0));
  half_scale = kind == interval_kind::prediction
                   ? std::sqrt(se_fit * se_fit + sigma * sigma / weight)
                   : se_fit;
}
}  // namespace

prediction predict_one(const model& m, const double* values, interval_kind kind, double level) {
  if (!(level > 0 && level < 1)) {
    throw usage_error("level must be strictly between 0 and 1, for example 0.95");
  }
  const double sigma = std::sqrt(double(m.fit.rss) / m.fit.df_residual);
  prediction p;
  const leverage_value h = leverage_of(m.fit, values);
  p.leverage = h.h;
  p.leverage_root = h.root;
  p.fit = fitted_value(m.fit, values);
  p.se_fit = sigma * h.root;
  const double half = critical_t(m.fit.df_residual, level) *
                      (kind == interval_kind::prediction ? sigma * root_plus(1, h) : p.se_fit);
  p.lwr = p.fit - half;
  p.upr = p.fit + half;
  p.where = locate(m, values, p.leverage);
  return p;
}

namespace {
double column_value(const model& m, const row_values& row, const std::string& name) {
  const auto& cols = m.terms->numeric_columns;
  for (std::size_t i = 0; i < cols.size(); ++i) {
    if (cols[i] == name) return double(row.numbers.at(i));
  }
  return 0;
}

/// The training cell of the row's factor levels, or null when no training
/// row had them all.
const cell_range* cell_of(const model& m, const row_values& row) {
  std::vector<std::size_t> levels;
  for (std::size_t v = 0; v < m.terms->variables.size(); ++v) {
    if (m.terms->variables[v].type == variable_coding::kind::factor) {
      levels.push_back(factor_level(*m.terms, v, row));
    }
  }
  for (const auto& c : m.cells) {
    if (c.levels == levels) return &c;
  }
  return nullptr;
}
}  // namespace

region locate_row(const model& m, const row_values& row, double h) {
  const cell_range* cell = m.cells.empty() ? nullptr : cell_of(m, row);
  if (!m.cells.empty() && cell == nullptr) return region::outside;
  const auto& ranges = m.ranges;
  for (std::size_t j = 0; j < ranges.size(); ++j) {
    const double v = column_value(m, row, ranges[j].name);
    const double lo = cell != nullptr ? cell->min[j] : ranges[j].min;
    const double hi = cell != nullptr ? cell->max[j] : ranges[j].max;
    if (!(v >= lo && v <= hi)) {  // NaN too: in no range
      if (ranges.size() > 1 || std::isnan(v)) return region::outside;
      return v < lo ? region::below : region::above;
    }
  }
  return h <= m.max_leverage * (1 + 1e-10) ? region::inside : region::hidden;
}

prediction predict_row(const model& m, const row_values& row, interval_kind kind, double level,
                       double weight, std::size_t* unseen) {
  if (!(level > 0 && level < 1)) {
    throw usage_error("level must be strictly between 0 and 1, for example 0.95");
  }
  thread_local std::vector<dd> full;
  thread_local std::vector<double> kept;
  full.resize(m.slope_terms.size());
  if (!design_row(*m.terms, row, full.data(), unseen)) {
    const double na = std::numeric_limits<double>::quiet_NaN();
    return prediction{na, na, na, na, na, region::new_level, na};
  }
  keep_columns(m, full.data(), kept);
  const double sigma = std::sqrt(double(m.fit.rss) / m.fit.df_residual);
  prediction p;
  const leverage_value h = leverage_of(m.fit, kept.data());
  p.leverage = h.h;
  p.leverage_root = h.root;
  p.fit = fitted_value(m.fit, kept.data());
  p.se_fit = sigma * h.root;
  double scale = kind == interval_kind::prediction ? sigma * root_plus(1 / weight, h) : p.se_fit;
  if (m.robust) set_robust_se(m, kept.data(), sigma, weight, kind, p.se_fit, scale);
  const double half = critical_t(m.fit.df_residual, level) * scale;
  p.lwr = p.fit - half;
  p.upr = p.fit + half;
  p.where = locate_row(m, row, p.leverage);
  return p;
}

double widening(double leverage, double narrowest) {
  return std::sqrt((1 + leverage) / (1 + narrowest));
}

double widening(const prediction& p, double narrowest) {
  if (std::isfinite(p.leverage) || std::isnan(p.leverage_root)) {
    return widening(p.leverage, narrowest);
  }
  return p.leverage_root / std::sqrt(1 + narrowest);
}

void extrapolation_tally::add(const model& m, const double* v, const prediction& p) {
  ++rows;
  if (p.where == region::inside) return;
  ++extrapolated;
  if (p.where == region::hidden) ++hidden;
  if (narrowest_ < 0) narrowest_ = narrowest_leverage(m, line_at_means(m, 0));
  const double w = widening(p, narrowest_);
  if (widest_row == 0 || w > max_widening) {
    max_widening = std::max(max_widening, w);
    widest_row = rows;
    widest_point.clear();
    for (std::size_t j = 0; j < m.ranges.size(); ++j) {
      widest_point += fmt::format("{}{} = {:g}", j ? ", " : "", m.ranges[j].name, v[j]);
    }
  }
  double distance = 0;
  for (std::size_t j = 0; j < m.ranges.size(); ++j) {
    const auto& r = m.ranges[j];
    const double beyond = std::max({r.min - v[j], v[j] - r.max, 0.0});
    const double span = r.max - r.min;
    if (beyond > 0) {
      distance =
          std::max(distance, span > 0 ? beyond / span : std::numeric_limits<double>::infinity());
    }
  }
  if (distance > max_distance) {
    max_distance = distance;
    widening_at_farthest = w;
  }
}

namespace {
/// How much wider than its narrowest a prediction interval is; a point so
/// far out that its terms overflow has no width to compare.
std::string as_wide(double w) {
  if (std::isnan(w)) return "of no computable width (its terms overflow a double)";
  return fmt::format("{:.3g} times as wide as its narrowest inside the data", w);
}
}  // namespace

std::string extrapolation_tally::message() const {
  std::string text = fmt::format("{} of {} points are extrapolations", extrapolated, rows);
  if (hidden > 0) {
    text += fmt::format(" ({} hidden: inside every predictor's range but off the data)", hidden);
  }
  if (max_distance > 0) {
    text += fmt::format(
        "; the farthest lies {:.3g} training span{} beyond the range, where the prediction "
        "interval is {}",
        max_distance, max_distance == 1 ? "" : "s", as_wide(widening_at_farthest));
  }
  if (max_widening > widening_at_farthest * (1 + 1e-9) || max_distance == 0) {
    text += fmt::format("; the widest prediction interval among them, at row {} ({}), is {}",
                        widest_row, widest_point, as_wide(max_widening));
  }
  return text + "; the intervals assume the fitted form still holds there";
}

}  // namespace regress
