#pragma once
/// \file explore_picture.hpp
/// The picture of an exploration (analyses/explore.hpp), one description for
/// both renderers: the terminal plot (plot.hpp) and the SVG (svg.hpp).

#include <cstddef>
#include <vector>

#include "regress/analyses/explore.hpp"
#include "regress/model/design.hpp"
#include "regress/model/frame.hpp"
#include "regress/pictures/plot.hpp"

namespace regress {

/// The most training points a picture draws (4000: more than a terminal
/// plot or an SVG can show apart). With more rows it draws every stride-th
/// in row order, the stride the smallest that keeps at most this many with
/// the first rows at the smallest and the largest x of the swept predictor,
/// which are always drawn; the same rows on every run.
std::size_t picture_points();

/// The training points a picture draws, chosen as rows go by in row order
/// (thinned as picture_points() describes), so that they can be picked from
/// rows streamed once and never held: take() says whether to keep a row,
/// which the caller then adds with keep().
class point_sample {
 public:
  /// For `count` rows to come, whose x run from `low` to `high`.
  point_sample(std::size_t count, double low, double high);
  /// The next row's x: whether the row is drawn (every stride-th, and the
  /// first at `low` and at `high`).
  bool take(double x);
  void keep(double x, double y) {
    x_.push_back(x);
    y_.push_back(y);
  }
  const std::vector<double>& x() const noexcept { return x_; }
  const std::vector<double>& y() const noexcept { return y_; }
  /// The y are partial residuals (exploration::partial_residuals).
  bool partial = false;

 private:
  std::size_t stride_ = 1, seen_ = 0;
  double low_ = 0, high_ = 0;
  bool low_taken_ = false, high_taken_ = false;
  std::vector<double> x_, y_;
};

/// The picture of `e` with its training points chosen already (a -y/-x
/// exploration's or a formula's, as the overloads below draw them, the
/// points from rows streamed once: see point_sample). Throws nothing but
/// allocation failures.
plot_data explore_picture(const exploration& e, const point_sample& points);

/// The training points of `data` (the swept predictor against the response),
/// each model's sweep as a series with its bands, the training range, the
/// trust range when one was found, and the level. Precondition: `data` is the
/// design `e` was explored on. Throws nothing but allocation failures.
plot_data explore_picture(const exploration& e, const design& data);

/// The picture of a formula model's exploration (explore_formula): the
/// training rows of the held cell of the factors (every row without
/// factors), the swept column against the response (on the model's scale:
/// log(y) for `log(y) ~ ...`); the shaded extrapolation starts at the held
/// cell's range of the swept column; the title shows the formula and the
/// held values. Precondition: `data` is the frame the explored model was
/// fitted to. Throws nothing but allocation failures.
plot_data explore_picture(const exploration& e, const formula_frame& data);

}  // namespace regress
