#include "regress/analyses/inverse.hpp"

#include <fmt/format.h>

#include <cmath>
#include <limits>

#include "regress/error.hpp"
#include "regress/model/distributions.hpp"

namespace regress {

const char* shape_name(calibration_shape shape) noexcept {
  switch (shape) {
    case calibration_shape::bounded:
      return "interval";
    case calibration_shape::two_rays:
      return "two_rays";
    case calibration_shape::everything:
      return "everything";
    case calibration_shape::below:
      return "ray_below";
    case calibration_shape::above:
      return "ray_above";
  }
  return "";
}

calibration inverse_predict(const model& m, double y, interval_kind kind, double level) {
  if (m.spec.predictors.size() != 1 || m.spec.degree != 1 || !m.spec.intercept) {
    throw usage_error(
        "inverse prediction needs a straight line in one predictor with an intercept");
  }
  constexpr double inf = std::numeric_limits<double>::infinity();
  const ols_fit& f = m.fit;
  const double b1 = double(f.slopes[0]);
  const double xbar = double(f.mean[0]);
  const double ybar = double(f.y_mean);
  const double l = double(f.chol[0]);
  const double sxx = l * l;  // centred sum of squares of x
  const double s = std::sqrt(double(f.rss) / f.df_residual);
  const double t = critical_t(f.df_residual, level);
  const double c = (kind == interval_kind::prediction ? 1.0 : 0.0) + 1.0 / f.nobs;

  calibration out{y, xbar + (y - ybar) / b1, -inf, inf, calibration_shape::everything};
  if (!std::isfinite(out.x)) {
    throw data_error(fmt::format(
        "for y = {:g} the line reaches {} beyond the largest number a double holds (y - mean "
        "y = {:g}, slope {:g}); ask for a y nearer the data",
        y, m.spec.predictors.front(), y - ybar, b1));
  }
  // With d = x - xbar and v = y - ybar, the set is
  // (b1^2 - t^2 s^2 / sxx) d^2 - 2 v b1 d + v^2 - t^2 s^2 c <= 0.
  // A y so far out that v^2 overflows (y = 1e308) is solved for d / g with
  // g = |v|, the quadratic divided by g^2; the roots are then scaled back.
  const double ts2 = t * t * s * s;
  const double g = std::abs(y - ybar) > 1e150 ? std::abs(y - ybar) : 1.0;
  const double v = (y - ybar) / g;
  const double a = b1 * b1 - ts2 / sxx;
  const double b = -v * b1;  // half the linear coefficient
  const double k = v * v - ts2 * c / g / g;
  if (a == 0) {  // one-sided: -2 v b1 d + k <= 0
    if (b == 0) {
      out.shape = k <= 0 ? calibration_shape::everything : calibration_shape::bounded;
      return out;
    }
    const double d0 = -k / (2 * b) * g;
    if (b > 0) {
      out.shape = calibration_shape::below;
      out.upr = xbar + d0;
    } else {
      out.shape = calibration_shape::above;
      out.lwr = xbar + d0;
    }
    return out;
  }
  const double disc = b * b - a * k;
  if (disc < 0) {
    // a < 0 here (for a > 0 the discriminant is a sum of squares): every x.
    out.shape = calibration_shape::everything;
    return out;
  }
  const double root = std::sqrt(disc);
  // Roots of a d^2 + 2 b d + k, the smaller first whatever a's sign; written
  // to avoid cancellation.
  const double q = -(b + std::copysign(root, b));
  double d1 = q / a * g, d2 = (q != 0 ? k / q : -b / a) * g;
  if (d1 > d2) std::swap(d1, d2);
  if (a > 0) {
    out.lwr = xbar + d1;
    out.upr = xbar + d2;
    out.shape = calibration_shape::bounded;
  } else {
    out.gap_from = xbar + d1;
    out.gap_to = xbar + d2;
    out.shape = calibration_shape::two_rays;
  }
  return out;
}

std::string describe(const model& m, const calibration& c) {
  const std::string& y = m.spec.response;
  const std::string& x = m.spec.predictors.front();
  switch (c.shape) {
    case calibration_shape::bounded:
      return "";
    case calibration_shape::two_rays:
      return fmt::format(
          "for {} = {:g} the interval is two rays, {} <= {:g} or {} >= {:g}: the slope is not "
          "significantly different from zero at this level, so the data cannot place {}",
          y, c.y, x, c.gap_from, x, c.gap_to, x);
    case calibration_shape::everything:
      return fmt::format(
          "for {} = {:g} every {} is compatible at this level: the data cannot place {}", y, c.y, x,
          x);
    case calibration_shape::below:
      return fmt::format("for {} = {:g} the interval is one-sided: {} <= {:g}", y, c.y, x, c.upr);
    case calibration_shape::above:
      return fmt::format("for {} = {:g} the interval is one-sided: {} >= {:g}", y, c.y, x, c.lwr);
  }
  return "";
}

std::string describe_extrapolation(const model& m, const calibration& c) {
  const predictor_range& range = m.ranges.front();
  if (!(c.x < range.min || c.x > range.max)) return "";
  const double span = range.max - range.min;
  const double distance = c.x < range.min ? (range.min - c.x) / span : (c.x - range.max) / span;
  return fmt::format(
      "for {} = {:g} the line reaches it at {} = {:.6g}, {:.3g} training spans {} the data: an "
      "extrapolation",
      m.spec.response, c.y, m.spec.predictors.front(), c.x, distance,
      c.x < range.min ? "below" : "above");
}

}  // namespace regress
