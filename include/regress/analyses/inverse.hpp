#pragma once
/// \file inverse.hpp
/// Inverse prediction (calibration) for a straight line: the x at which the
/// line reaches a response value, with the Fieller interval.

#include <limits>
#include <string>

#include "regress/model/model.hpp"
#include "regress/model/predict.hpp"

namespace regress {

/// The shape of the set of x compatible with y at the level:
/// bounded [lwr, upr]; two rays (-inf, lwr] and [upr, inf) when the slope is
/// not significantly different from zero; everything (no information); or
/// one-sided, a single ray, in the boundary case.
enum class calibration_shape { bounded, two_rays, everything, below, above };

/// The shape's name in every output's `shape` column: "interval",
/// "two_rays", "ray_below", "ray_above" or "everything".
const char* shape_name(calibration_shape shape) noexcept;

struct calibration {
  double y;
  double x;    ///< (y - b0) / b1
  double lwr;  ///< -inf when unbounded below
  double upr;  ///< +inf when unbounded above
  calibration_shape shape;
  /// For two_rays, the ends of the two rays:
  /// the compatible set is x <= gap_from or x >= gap_to.
  double gap_from = std::numeric_limits<double>::quiet_NaN();
  double gap_to = std::numeric_limits<double>::quiet_NaN();
};

/// For y = b0 + b1 x fitted by least squares: the x where the line equals `y`
/// and the set {x : |y - fit(x)| <= t s sqrt(c + h(x))}, c = 1 for
/// interval_kind::prediction (y is a new observation: the calibration
/// interval) or 0 for confidence (y is the mean response: Fieller's interval
/// for the ratio (y - b0) / b1). Throws usage_error unless the model is a
/// straight line in one predictor with an intercept.
calibration inverse_predict(const model& m, double y, interval_kind kind, double level);

/// Plain words for a shape, for the warning line, in the names of `m`'s
/// response and predictor ("for dist = 5 the interval is one-sided: speed <= 3.2").
std::string describe(const model& m, const calibration& c);

/// Plain words for an answer x outside the training range of `m`'s single
/// predictor (the line is then extrapolated to reach y, with everything that
/// implies), for the warning line; empty when x is inside the range.
/// Precondition: `m` has a predictor with a training range.
std::string describe_extrapolation(const model& m, const calibration& c);

}  // namespace regress
