#pragma once
// The terminal renderer's canvas: a grid of character cells, each with a glyph
// and a style, printed as UTF-8 lines with optional ANSI colour; the glyphs of
// both character sets; and the conversions from positions and labels to
// cells. Private to the library (src/ is not on anyone's include path).

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace regress::canvas {

/// Cell styles; each maps to one SGR sequence when colour is on.
enum : int {
  style_none = 0,
  style_dim = 1,  // extrapolation shading, training-range edges
  style_trust = 2,
  style_point = 3,
  style_contour = 4,
  style_curve = 10,  // + series index modulo 5
  style_conf = 20,
  style_pred = 30,
};

/// The style of series k in one of the per-series styles (style_curve,
/// style_conf, style_pred): five colours, cycled.
inline int series_style(int base, std::size_t k) { return base + static_cast<int>(k % 5); }

/// The glyphs of one character set.
struct glyph_set {
  char32_t extrap, edge, pred, conf, point;
  char32_t y_axis, y_tick, corner, x_axis, x_tick, x_edge, trust, trust_tick;
  std::u32string series;        // cell glyphs for series 0, 1, ... (cycled)
  bool braille_first;           // series 0 drawn in braille instead
  char32_t hidden;              // hidden-extrapolation shading: a hatch, unlike extrap's dots
  char32_t reference, contour;  // guides: reference lines, contours
};

/// Box drawing, blocks and braille; or printable ASCII only.
const glyph_set& glyphs(bool unicode);

struct cell {
  char32_t ch = U' ';
  int style = style_none;
};

/// w x h cells, blank to begin with; writes outside are dropped.
class grid {
 public:
  grid(int w, int h)
      : w_(w), h_(h), cells_(static_cast<std::size_t>(w) * static_cast<std::size_t>(h)) {}
  void put(int r, int c, char32_t ch, int style) {
    if (r < 0 || r >= h_ || c < 0 || c >= w_) return;
    cells_[index(r, c)] = {ch, style};
  }
  /// The cell at (r, c); both must lie inside the grid.
  const cell& at(int r, int c) const { return cells_[index(r, c)]; }
  /// Writes text from column c, clipped at the grid's edges.
  void text(int r, int c, const std::u32string& s, int style = style_none) {
    for (char32_t ch : s) put(r, c++, ch, style);
  }
  /// The rows as UTF-8 lines, each ending in '\n' with trailing blanks
  /// trimmed; with `color`, styles as SGR escapes, each line ending reset.
  std::string str(bool color) const;

 private:
  std::size_t index(int r, int c) const {
    return static_cast<std::size_t>(r) * static_cast<std::size_t>(w_) + static_cast<std::size_t>(c);
  }
  int w_, h_;
  std::vector<cell> cells_;
};

/// A label as terminal cells: control characters become spaces, and in ASCII
/// mode anything outside printable ASCII becomes '?'.
std::u32string clean(std::string_view s, bool unicode);

/// ASCII text (tick labels) as cells.
inline std::u32string ascii32(const std::string& s) { return std::u32string(s.begin(), s.end()); }

/// floor(v) clamped to [0, n): a cell for a position in cell units. Clamping
/// before the conversion keeps it defined for NaN and huge values (an extent
/// so wide that its width overflows).
inline int cell_index(double v, int n) {
  if (!(v >= 0)) return 0;
  if (v >= n) return n - 1;
  return static_cast<int>(v);
}

/// Braille dot bit for sub-column cx (0, 1) and sub-row ry (0..3) of a cell.
inline unsigned braille_bit(int cx, int ry) {
  if (ry == 3) return cx == 0 ? 0x40u : 0x80u;
  return 1u << (ry + 3 * cx);
}

}  // namespace regress::canvas
