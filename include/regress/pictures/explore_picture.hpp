#pragma once
/// \file explore_picture.hpp
/// The picture of an exploration (analyses/explore.hpp), one description for
/// both renderers: the terminal plot (plot.hpp) and the SVG (svg.hpp).

#include "regress/analyses/explore.hpp"
#include "regress/model/design.hpp"
#include "regress/model/frame.hpp"
#include "regress/pictures/plot.hpp"

namespace regress {

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
