#include "regress/analyses/check_plot.hpp"

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <limits>
#include <numeric>

namespace regress {

namespace {

/// How many rows each panel labels (plot.lm's id.n).
constexpr std::size_t labelled_rows = 3;

double by_resid(const diagnostic_point& p) { return std::abs(p.resid); }
double by_std_resid(const diagnostic_point& p) { return std::abs(p.std_resid); }
double by_cooks(const diagnostic_point& p) { return p.cooksd; }
using measure = double (*)(const diagnostic_point&);
constexpr measure measures[3] = {by_resid, by_std_resid, by_cooks};

/// R's sort.list(v, decreasing = TRUE) and order(-v): larger first, ties in
/// row order (a stable sort), NaN last.
bool before(double a, std::size_t row_a, double b, std::size_t row_b) {
  if (std::isnan(a) || std::isnan(b)) return !std::isnan(a) && std::isnan(b);
  return a > b || (a == b && row_a < row_b);
}

/// The indices of the `labelled_rows` largest v (as `before` orders them).
std::vector<std::size_t> largest(const std::vector<double>& v,
                                 const std::vector<std::size_t>& rows) {
  std::vector<std::size_t> order(v.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  const std::size_t n = std::min(labelled_rows, v.size());
  std::partial_sort(
      order.begin(), order.begin() + static_cast<std::ptrdiff_t>(n), order.end(),
      [&](std::size_t a, std::size_t b) { return before(v[a], rows[a], v[b], rows[b]); });
  order.resize(n);
  return order;
}

/// R's ppoints(n): (i - a) / (n + 1 - 2a), a = 3/8 for n <= 10, else 1/2.
double ppoint(std::size_t i, std::size_t n) {
  const double a = n <= 10 ? 3.0 / 8 : 0.5;
  return (static_cast<double>(i) + 1 - a) / (static_cast<double>(n) + 1 - 2 * a);
}

/// R's quantile(v, p, type = 7) of sorted finite values.
double quantile7(const std::vector<double>& sorted, double p) {
  const double h = (static_cast<double>(sorted.size()) - 1) * p;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

/// qqnorm's x: the normal quantile of ppoints(n) at each finite y's rank
/// (ties by position, as order(order(y)) ranks them); NaN where y is NaN.
std::vector<double> normal_scores(const std::vector<double>& y) {
  std::vector<std::size_t> finite;
  for (std::size_t i = 0; i < y.size(); ++i) {
    if (!std::isnan(y[i])) finite.push_back(i);
  }
  std::stable_sort(finite.begin(), finite.end(),
                   [&](std::size_t a, std::size_t b) { return y[a] < y[b]; });
  std::vector<double> x(y.size(), std::nan(""));
  const boost::math::normal normal;
  for (std::size_t r = 0; r < finite.size(); ++r) {
    x[finite[r]] = boost::math::quantile(normal, ppoint(r, finite.size()));
  }
  return x;
}

void add_qqline(diagnostic_panels& p) {
  std::vector<double> sorted;
  for (double v : p.normal_qq.y) {
    if (!std::isnan(v)) sorted.push_back(v);
  }
  if (sorted.empty()) return;
  std::sort(sorted.begin(), sorted.end());
  const boost::math::normal normal;
  const double x1 = boost::math::quantile(normal, 0.25), x2 = boost::math::quantile(normal, 0.75);
  const double y1 = quantile7(sorted, 0.25), y2 = quantile7(sorted, 0.75);
  p.qq_slope = (y2 - y1) / (x2 - x1);
  p.qq_intercept = y1 - p.qq_slope * x1;
}

/// R's seq.int(from, to, length.out = 101) and the contours along it.
void add_contours(diagnostic_panels& p, double h_min, double h_max, double xx_max) {
  const double from = std::min(h_min, h_max / 100), to = 1.04 * xx_max;
  constexpr int steps = 100;
  const double by = (to - from) / steps;
  for (int i = 0; i <= steps; ++i) {
    // seq.int's from + (0:(n-1)) * by, its last value set to `to` exactly.
    p.contour_hat.push_back(i == steps ? to : from + i * by);
  }
  for (double c : p.cook_levels) {
    std::vector<double> v;
    for (double h : p.contour_hat) {
      v.push_back(std::sqrt(c * static_cast<double>(p.rank) * (1 - h) / h));
    }
    p.contour_residual.push_back(std::move(v));
  }
}

}  // namespace

std::size_t check_plot_points() { return 20000; }

diagnostic_sample::diagnostic_sample(std::size_t rows) {
  const std::size_t most = check_plot_points() - 3 * labelled_rows;
  stride_ = rows <= check_plot_points() ? 1 : (rows + most - 1) / most;
}

void diagnostic_sample::add(const diagnostic_point& p) {
  if (!(p.weight > 0)) return;
  if (seen_++ % stride_ == 0) kept_.push_back(p);
  if (stride_ == 1) return;
  for (std::size_t m = 0; m < 3; ++m) {
    auto& top = extremes_[m];
    const double v = measures[m](p);
    auto at = std::find_if(top.begin(), top.end(), [&](const diagnostic_point& q) {
      return before(v, p.row, measures[m](q), q.row);
    });
    if (at == top.end() && top.size() >= labelled_rows) continue;
    top.insert(at, p);
    if (top.size() > labelled_rows) top.pop_back();
  }
}

std::vector<diagnostic_point> diagnostic_sample::points() const {
  std::vector<diagnostic_point> v = kept_;
  for (const auto& top : extremes_) v.insert(v.end(), top.begin(), top.end());
  std::sort(v.begin(), v.end(),
            [](const diagnostic_point& a, const diagnostic_point& b) { return a.row < b.row; });
  v.erase(std::unique(
              v.begin(), v.end(),
              [](const diagnostic_point& a, const diagnostic_point& b) { return a.row == b.row; }),
          v.end());
  return v;
}

diagnostic_panels make_diagnostic_panels(const std::vector<diagnostic_point>& points,
                                         std::size_t rank) {
  diagnostic_panels p;
  p.rank = rank;
  std::vector<double> abs_resid, abs_std, cooks;
  // R's range(hii) over every row; the plot's right edge from those below 1.
  double h_min = std::numeric_limits<double>::infinity(), h_max = -h_min, xx_max = -h_min;
  for (const diagnostic_point& q : points) {
    // plot.lm's dropInf: no standardized residual at leverage 1.
    const double rs = q.hat >= 1 ? std::nan("") : q.std_resid;
    for (diagnostic_panel* panel :
         {&p.residuals_fitted, &p.normal_qq, &p.scale_location, &p.residuals_leverage}) {
      panel->rows.push_back(q.row);
    }
    p.residuals_fitted.x.push_back(q.fitted);
    p.residuals_fitted.y.push_back(q.resid);
    p.normal_qq.y.push_back(rs);
    p.scale_location.x.push_back(q.fitted);
    p.scale_location.y.push_back(std::sqrt(std::abs(rs)));
    p.residuals_leverage.x.push_back(q.hat >= 1 ? std::nan("") : q.hat);
    p.residuals_leverage.y.push_back(rs);
    abs_resid.push_back(std::abs(q.resid));
    abs_std.push_back(std::abs(rs));
    cooks.push_back(q.cooksd);
    if (!std::isnan(q.hat)) {
      h_min = std::min(h_min, q.hat);
      h_max = std::max(h_max, q.hat);
      if (q.hat < 1) xx_max = std::max(xx_max, q.hat);
    }
  }
  p.normal_qq.x = normal_scores(p.normal_qq.y);
  const std::vector<std::size_t>& rows = p.residuals_fitted.rows;
  p.residuals_fitted.labelled = largest(abs_resid, rows);
  p.normal_qq.labelled = largest(abs_std, rows);
  p.scale_location.labelled = p.normal_qq.labelled;
  p.residuals_leverage.labelled = largest(cooks, rows);
  add_qqline(p);
  if (xx_max > 0) add_contours(p, h_min, h_max, xx_max);
  return p;
}

}  // namespace regress
