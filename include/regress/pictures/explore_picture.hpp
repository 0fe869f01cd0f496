#pragma once
/// \file explore_picture.hpp
/// The picture of an exploration (analyses/explore.hpp), one description for
/// both renderers: the terminal plot (plot.hpp) and the SVG (svg.hpp).

#include "regress/analyses/explore.hpp"
#include "regress/model/design.hpp"
#include "regress/pictures/plot.hpp"

namespace regress {

/// The training points of `data` (the swept predictor against the response),
/// each model's sweep as a series with its bands, the training range, the
/// trust range when one was found, and the level. Precondition: `data` is the
/// design `e` was explored on. Throws nothing but allocation failures.
plot_data explore_picture(const exploration& e, const design& data);

}  // namespace regress
