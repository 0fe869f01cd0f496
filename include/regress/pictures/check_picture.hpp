#pragma once
/// \file check_picture.hpp
/// The pictures of `regress check --plot/--svg`: R's four diagnostic panels
/// (analyses/check_plot.hpp) as plot descriptions for both renderers, the
/// terminal plot (plot.hpp) and the SVG (svg.hpp).

#include <vector>

#include "regress/analyses/check_plot.hpp"
#include "regress/pictures/plot.hpp"

namespace regress {

/// The four panels in plot.lm's order, titled with its captions ("Residuals
/// vs Fitted", "Normal Q-Q", "Scale-Location", "Residuals vs Leverage"):
/// the rows as points, each panel's labelled rows by their data row, the
/// zero lines (panels 1 and 4) and qqline (panel 2) as reference lines, and
/// in panel 4 the Cook's distance contours at 0.5 and 1 (named "Cook's
/// distance" once, for the legend), each labelled with its level at its
/// right end. `unicode` picks the y label of panel 3: "√|Standardized
/// residuals|" or "sqrt(|Standardized residuals|)". Throws nothing but
/// allocation failures.
std::vector<plot_data> check_pictures(const diagnostic_panels& p, bool unicode = true);

}  // namespace regress
