#include "regress/pictures/check_picture.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>

namespace regress {

namespace {

constexpr const char* fitted_label = "Fitted values";
constexpr const char* std_resid_label = "Standardized residuals";

/// The points of a panel, with its labelled rows named by data row.
plot_data panel_picture(const diagnostic_panel& panel, std::string title, std::string x_label,
                        std::string y_label) {
  plot_data d;
  d.title = std::move(title);
  d.x_label = std::move(x_label);
  d.y_label = std::move(y_label);
  d.points_label = "data rows";
  d.point_x = panel.x;
  d.point_y = panel.y;
  for (std::size_t i : panel.labelled) {
    d.labels.push_back({panel.x[i], panel.y[i], fmt::format("{}", panel.rows[i])});
  }
  return d;
}

/// The finite range of v; {NaN, NaN} when there is none.
std::pair<double, double> finite_range(const std::vector<double>& v) {
  double lo = std::nan(""), hi = std::nan("");
  for (double x : v) {
    if (!std::isfinite(x)) continue;
    if (!(x >= lo)) lo = std::isnan(lo) ? x : std::min(lo, x);
    if (!(x <= hi)) hi = std::isnan(hi) ? x : std::max(hi, x);
  }
  return {lo, hi};
}

/// The line a + b x across the panel's points, as R's abline draws it.
void add_line(plot_data& d, double a, double b, double x_from, double x_to) {
  if (!std::isfinite(x_from) || !std::isfinite(x_to)) return;
  plot_series s;
  s.kind = series_kind::reference;
  s.x = {x_from, x_to};
  s.fit = {a + b * x_from, a + b * x_to};
  d.series.push_back(std::move(s));
}

void add_contours(plot_data& d, const diagnostic_panels& p) {
  for (std::size_t c = 0; c < p.contour_residual.size(); ++c) {
    for (double sign : {1.0, -1.0}) {
      plot_series s;
      s.kind = series_kind::contour;
      if (c == 0 && sign > 0) s.name = "Cook's distance";
      s.x = p.contour_hat;
      for (double v : p.contour_residual[c]) s.fit.push_back(sign * v);
      if (!s.x.empty()) {
        d.labels.push_back({s.x.back(), s.fit.back(), fmt::format("{}", p.cook_levels[c])});
      }
      d.series.push_back(std::move(s));
    }
  }
}

}  // namespace

std::vector<plot_data> check_pictures(const diagnostic_panels& p, bool unicode) {
  std::vector<plot_data> v;
  v.push_back(panel_picture(p.residuals_fitted, "Residuals vs Fitted", fitted_label, "Residuals"));
  const auto [f_lo, f_hi] = finite_range(p.residuals_fitted.x);
  add_line(v.back(), 0, 0, f_lo, f_hi);

  v.push_back(panel_picture(p.normal_qq, "Normal Q-Q", "Theoretical Quantiles", std_resid_label));
  const auto [q_lo, q_hi] = finite_range(p.normal_qq.x);
  add_line(v.back(), p.qq_intercept, p.qq_slope, q_lo, q_hi);

  v.push_back(
      panel_picture(p.scale_location, "Scale-Location", fitted_label,
                    unicode ? "\u221a|Standardized residuals|" : "sqrt(|Standardized residuals|)"));

  v.push_back(
      panel_picture(p.residuals_leverage, "Residuals vs Leverage", "Leverage", std_resid_label));
  const auto [h_lo, h_hi] = finite_range(p.residuals_leverage.x);
  add_line(v.back(), 0, 0, std::min(0.0, h_lo), h_hi);
  add_contours(v.back(), p);
  return v;
}

}  // namespace regress
