#pragma once
/// \file svg.hpp
/// The picture of plot.hpp as a standalone SVG 1.1 document, for reports:
/// title, axes with nice ticks and labels, a legend on the right, shaded
/// extrapolation zones (labelled "extrapolation") and hidden-extrapolation
/// stretches (labelled "hidden extrapolation"), the training range's edges
/// as dashed lines, prediction and confidence bands as translucent polygons,
/// fitted curves, data points, and the trust range as a green bracket above
/// the x axis (labelled "trust range") with dotted lines at its ends.
///
/// Output is deterministic: coordinates with 2 decimals, fixed element order,
/// no locale. Text is XML-escaped; invalid UTF-8 becomes U+FFFD.

#include <cstdint>
#include <string>
#include <vector>

#include "regress/pictures/plot.hpp"

namespace regress {

/// Where the plot area lies in the SVG, and the data values at its edges: the
/// x range is the data extent (data_extent) padded by 2% on each side, the y
/// range the data extent widened to the nearest ticks.
struct svg_layout {
  double left = 0, top = 0, width = 0, height = 0;  ///< plot area, in px
  double x_min = 0, x_max = 1, y_min = 0, y_max = 1;
  /// Pixel coordinates of a data value (y grows downwards).
  double px(double x) const { return left + (x - x_min) / (x_max - x_min) * width; }
  double py(double y) const { return top + (y_max - y) / (y_max - y_min) * height; }
};

/// The layout render_svg uses for `d` at this size (exposed for tests).
svg_layout svg_plot_layout(const plot_data& d, int width_px = 800, int height_px = 500);

/// Colours (0xRRGGBB) and opacities of the SVG (exposed for tests and for
/// anyone matching a report's colours). Series k uses series[k % 7] for its
/// curve and both bands.
namespace svg_style {
inline constexpr std::uint32_t background = 0xffffff;
inline constexpr std::uint32_t extrapolation = 0xe4e4e4;
inline constexpr std::uint32_t hidden_extrapolation = 0xf2e3c6;
inline constexpr std::uint32_t point = 0x222222;
inline constexpr std::uint32_t edge = 0x555555;
inline constexpr std::uint32_t trust = 0x2ca02c;
inline constexpr std::uint32_t reference = 0x999999;  ///< reference lines (R's "gray")
inline constexpr std::uint32_t contour = 0xd62728;    ///< contours (R's red)
inline constexpr std::uint32_t text = 0x222222;
inline constexpr std::uint32_t series[] = {0x1f77b4, 0xff7f0e, 0x9467bd, 0xd62728,
                                           0x8c564b, 0xe377c2, 0x17becf};
inline constexpr double prediction_opacity = 0.15;
inline constexpr double confidence_opacity = 0.30;
inline constexpr double curve_width = 2;
inline constexpr double point_radius = 3;
}  // namespace svg_style

/// Renders `d` as an SVG document of width_px x height_px (each 200..20000).
/// Throws usage_error if the description is inconsistent (validate_plot) or
/// the size is out of range.
std::string render_svg(const plot_data& d, int width_px = 800, int height_px = 500);

/// Renders several pictures as one SVG document of width_px x height_px:
/// two a row (one when there is one), left to right and top to bottom, each
/// as render_svg draws it at its share of the size (a nested <svg> element,
/// its ids prefixed "panel1-", "panel2-", ...), under `title` when it is not
/// empty. Throws usage_error as render_svg does, and when a panel would be
/// smaller than 200x200 pixels.
std::string render_svg_panels(const std::vector<plot_data>& panels, const std::string& title,
                              int width_px = 1000, int height_px = 800);

}  // namespace regress
