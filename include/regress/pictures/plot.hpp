#pragma once
/// \file plot.hpp
/// The picture of one or several fitted models swept over a predictor, as a
/// plain description (plot_data) that knows nothing about how the numbers were
/// computed, and its rendering as terminal text. svg.hpp renders the same
/// description as SVG. Both draw the one scene (scene.hpp) that make_scene
/// derives from it: the layers, their order and the legend are decided there,
/// once; a renderer only maps them to cells or pixels. Both renderers are pure
/// functions: same description, same bytes.
///
/// Shared conventions:
/// - Non-finite values (NaN, inf) anywhere in the numbers are skipped: a curve
///   or band breaks there, a point is not drawn.
/// - The x range of the picture is the range of every finite x in the series,
///   the points and the training range; the y range is that of every finite
///   point, fit and band value (not a guide's or a label's). The trust range is clamped to the
///   picture and never widens it: to show it whole, sweep the series over it.
/// - Outside [train_min, train_max] is extrapolation and is shaded; a NaN
///   training bound means "unknown" and nothing is shaded on that side. The
///   hidden stretches inside it are shaded too, with their own mark.

#include <cstddef>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace regress {

/// What a series draws: a fitted model (with its bands), or a guide that
/// helps read the others: a reference line (R's abline and qqline, grey and
/// dotted) or a contour (R's Cook's distance contours, red and dashed). A
/// guide's y values never widen the picture (its x values do): it is drawn
/// only where it crosses the picture, and it has no bands. A reference line
/// is never in the legend, a contour is when it has a name.
enum class series_kind { fit, reference, contour };

/// One fitted model swept over x, or a guide (series_kind). `x` is
/// ascending (NaN entries allowed and skipped); `fit` has x's length; each
/// band vector is either empty (band not drawn) or has x's length.
struct plot_series {
  std::string name;  ///< legend label, e.g. "degree 1"
  std::vector<double> x, fit, conf_lwr, conf_upr, pred_lwr, pred_upr;
  series_kind kind = series_kind::fit;
};

/// A short text beside a point (R's labels of extreme rows, text.id): right
/// of it in the left half of the picture, left of it in the right half.
/// Labels never widen the picture; one off it is not drawn.
struct plot_label {
  double x = 0, y = 0;
  std::string text;
};

/// Everything a picture shows.
struct plot_data {
  std::string title, x_label, y_label;
  std::vector<double> point_x, point_y;  ///< training data, same length
  std::vector<plot_series> series;       ///< zero or more models
  /// Training range of x; outside it is extrapolation. NaN: not known.
  double train_min = std::numeric_limits<double>::quiet_NaN();
  double train_max = std::numeric_limits<double>::quiet_NaN();
  /// Stretches [from, to] of x inside the training range where the picture's
  /// line still leaves the data (hidden extrapolation: every predictor in its
  /// range, the point off the data's cloud); shaded as extrapolation is.
  std::vector<std::pair<double, double>> hidden;
  /// The legend's name for the points; empty: "data".
  std::string points_label;
  /// Trust range [lower, upper] (either side may be infinite), if asked for.
  std::optional<std::pair<double, double>> trust;
  /// Level of both bands, e.g. 0.95, for the legend ("95% confidence"); none:
  /// the legend says just "confidence"/"prediction".
  std::optional<double> level;
  /// Texts beside points, drawn over everything else.
  std::vector<plot_label> labels;
};

struct terminal_options {
  int width = 80;       ///< columns, including axes, labels and legend; >= 1
  int height = 24;      ///< rows, including title, axes, labels and legend; >= 1
  bool unicode = true;  ///< braille, block and box characters; false: printable ASCII only
  bool color = false;   ///< ANSI colour escapes (the caller decides: a TTY, no NO_COLOR)
};

/// Renders `d` as exactly `height` lines, each ending in '\n' and at most
/// `width` code points wide (escape sequences excluded), with trailing blanks
/// trimmed. Layers from bottom to top as in scene.hpp: extrapolation shading
/// (and the hidden stretches, hatched),
/// prediction bands, confidence bands, training-range edges (shown only where
/// no band covers the cell), curves, points. The x axis marks
/// ticks, the training range edges and (as a heavier line) the trust range; the
/// last line is the legend. With `unicode` false every byte is 0x20-0x7e (plus
/// '\n'); with `color` false no ESC byte is written. Text labels have control
/// characters replaced by spaces (and non-ASCII by '?' in ASCII mode).
/// Throws usage_error if the description is inconsistent (see validate_plot)
/// or width/height < 1.
std::string render_terminal(const plot_data& d, const terminal_options& opt = {});

/// Throws usage_error when a series' vectors have inconsistent lengths, its
/// finite x values are not ascending, a guide (series_kind) has bands, or
/// point_x and point_y differ in length.
void validate_plot(const plot_data& d);

// ---------------------------------------------------------------------------
// Axis helpers shared by the renderers (exposed for them and for tests).

/// Extent of the finite data (see the conventions above). A zero-width range
/// is widened around its value (by 10% of it, or by 1 around 0); no data at all
/// gives [0, 1].
struct plot_extent {
  double x_min, x_max, y_min, y_max;
};
plot_extent data_extent(const plot_data& d);

/// Ticks at multiples of a "nice" step (1, 2 or 5 times a power of ten): the
/// smallest such step that puts at most `max_ticks` (>= 2) multiples in
/// [lo, hi] (lo < hi). With `extend`, the ticks also include the multiples just
/// outside lo and hi (so up to max_ticks + 2), for an axis that ends on ticks.
/// `labels` are compact, %g-like, with just enough digits to tell neighbouring
/// ticks apart ("0.5", "1e6", "2.5e-7", never "-0"). Empty if lo >= hi or
/// either is not finite.
struct axis_ticks {
  double step = 0;
  std::vector<double> values;
  std::vector<std::string> labels;
};
axis_ticks nice_ticks(double lo, double hi, int max_ticks, bool extend = false);

/// Number of code points in a UTF-8 string (invalid bytes count one each):
/// the display width of the terminal renderer's output lines.
std::size_t display_width(std::string_view utf8);

/// Internals shared by the terminal and SVG renderers; not a stable API.
namespace detail {
/// Code points of UTF-8 text; each invalid byte becomes U+FFFD.
std::vector<char32_t> decode_utf8(std::string_view s);
void append_utf8(std::string& out, char32_t cp);
/// v at `at` by linear interpolation over ascending x; NaN outside x's range
/// or next to a non-finite value.
double interpolate(const std::vector<double>& x, const std::vector<double>& v, double at);
/// "95% " for level 0.95; empty without a level.
std::string percent_label(const std::optional<double>& level);
}  // namespace detail

}  // namespace regress
