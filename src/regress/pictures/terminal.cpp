// The terminal renderer: maps a plot_scene to a grid of character cells
// (canvas.hpp).

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "regress/error.hpp"
#include "regress/pictures/canvas.hpp"
#include "regress/pictures/plot.hpp"
#include "regress/pictures/scene.hpp"

namespace regress {

using namespace canvas;
using detail::interpolate;

namespace {

// ---------------------------------------------------------------------------
// Layout: where the plot area, the axes and the text rows lie.

struct layout {
  int W = 0, H = 0;
  int P = 0, PW = 0;  // plot area rows and columns
  int top = 0, margin = 0, axis_row = 0;
  bool has_header = false, has_xlabel = false, has_legend = false;
  double x0 = 0, x1 = 1, y0 = 0, y1 = 1;
  axis_ticks yt;

  int row_of(double y) const { return cell_index((y1 - y) / (y1 - y0) * P, P); }
  int col_of(double x) const { return cell_index((x - x0) / (x1 - x0) * PW, PW); }
  double col_x(double c) const { return x0 + c * (x1 - x0) / PW; }
  double row_y(double r) const { return y1 - r * (y1 - y0) / P; }
};

layout layout_of(const plot_data& d, const plot_scene& s, const terminal_options& opt) {
  layout L;
  L.W = opt.width;
  L.H = opt.height;
  // Rows: [header] plot... axis ticks [x label] [legend]. The legend, the x
  // label and the header give way, in that order, to keep 3 plot rows.
  L.has_header = !d.title.empty() || !d.y_label.empty();
  L.has_xlabel = !d.x_label.empty();
  L.has_legend = true;
  const auto rows_left = [&] {
    return L.H - (L.has_header ? 1 : 0) - 2 - (L.has_xlabel ? 1 : 0) - (L.has_legend ? 1 : 0);
  };
  if (rows_left() < 3) L.has_legend = false;
  if (rows_left() < 3) L.has_xlabel = false;
  if (rows_left() < 3) L.has_header = false;
  L.P = std::max(1, rows_left());
  L.top = L.has_header ? 1 : 0;
  L.axis_row = L.top + L.P;

  L.x0 = s.extent.x_min;
  L.x1 = s.extent.x_max;
  L.y0 = s.extent.y_min;
  L.y1 = s.extent.y_max;

  // Y ticks, at least 3 rows apart; the left margin is as wide as their labels.
  L.yt = nice_ticks(L.y0, L.y1, std::max(2, (L.P + 2) / 4));
  int label_w = 0;
  for (const std::string& l : L.yt.labels) label_w = std::max(label_w, static_cast<int>(l.size()));
  label_w = std::min(label_w, std::max(0, L.W / 2 - 1));
  L.margin = std::min(label_w + 1, L.W - 1);
  L.PW = L.W - L.margin;
  return L;
}

// ---------------------------------------------------------------------------
// Layers, each mapped to cells of the plot area.

struct painter {
  grid& out;
  const layout& L;
  const glyph_set& g;
  bool unicode = true;
  bool hidden_shown = false;  ///< whether a hidden stretch left a mark

  void put(int r, int c, char32_t ch, int style) { out.put(L.top + r, L.margin + c, ch, style); }

  /// Returns whether any cell lies outside the training range.
  bool extrapolation(const scene_layer& layer) {
    bool any = false;
    for (int c = 0; c < L.PW; ++c) {
      if (!layer.outside(L.col_x(c + 0.5))) continue;
      any = true;
      for (int r = 0; r < L.P; ++r) {
        if ((r + c) % 2 == 0) put(r, c, g.extrap, style_dim);
      }
    }
    return any;
  }

  /// Returns whether any cell shows the hidden stretch: a cell is in it when
  /// its x span meets [lo, hi], so that a stretch of one sweep point shows.
  bool hidden(const scene_layer& layer) {
    bool any = false;
    for (int c = 0; c < L.PW; ++c) {
      if (L.col_x(c + 1) < layer.lo || L.col_x(c) > layer.hi) continue;
      any = true;
      for (int r = 0; r < L.P; ++r) {
        if ((r + c) % 2 == 0) put(r, c, g.hidden, style_dim);
      }
    }
    hidden_shown = hidden_shown || any;
    return any;
  }

  /// A cell is in a band when its centre is.
  void band(const scene_layer& layer, char32_t ch, int style) {
    for (int c = 0; c < L.PW; ++c) {
      const double xc = L.col_x(c + 0.5);
      double lo = interpolate(*layer.x, *layer.y, xc),
             hi = interpolate(*layer.x, *layer.y_upper, xc);
      if (!std::isfinite(lo) || !std::isfinite(hi)) continue;
      if (lo > hi) std::swap(lo, hi);
      for (int r = 0; r < L.P; ++r) {
        const double yc = L.row_y(r + 0.5);
        if (lo <= yc && yc <= hi) put(r, c, ch, style);
      }
    }
  }

  /// A cell holds one glyph, and a band's says more than an edge's: the edge
  /// shows only where no band covers it.
  void training_edges(const scene_layer& layer) {
    for (double e : {layer.lo, layer.hi}) {
      if (!std::isfinite(e) || e < L.x0 || e > L.x1) continue;
      const int c = L.col_of(e);
      for (int r = 0; r < L.P; ++r) {
        const int style = out.at(L.top + r, L.margin + c).style;
        if (style == style_none || style == style_dim) put(r, c, g.edge, style_dim);
      }
    }
  }

  /// Series 0 in Unicode: braille, 2x4 dots a cell, gaps between neighbouring
  /// dot columns filled so that steep curves stay connected.
  void braille_curve(const scene_layer& layer, int style) {
    const int P = L.P, PW = L.PW;
    std::vector<unsigned> bits(static_cast<std::size_t>(P) * static_cast<std::size_t>(PW), 0);
    const auto set = [&](int j, int dot_row) {
      const std::size_t i = static_cast<std::size_t>(dot_row / 4) * static_cast<std::size_t>(PW) +
                            static_cast<std::size_t>(j / 2);
      bits[i] |= braille_bit(j % 2, dot_row % 4);
    };
    int prev = -1;
    for (int j = 0; j < 2 * PW; ++j) {
      const double y = interpolate(*layer.x, *layer.y, L.x0 + (j + 0.5) * (L.x1 - L.x0) / (2 * PW));
      if (!std::isfinite(y)) {
        prev = -1;
        continue;
      }
      const int dot = cell_index((L.y1 - y) / (L.y1 - L.y0) * 4 * P, 4 * P);
      if (prev >= 0) {
        for (int r = std::min(prev, dot) + 1; r < std::max(prev, dot); ++r) set(j, r);
      }
      set(j, dot);
      prev = dot;
    }
    for (int r = 0; r < P; ++r) {
      for (int c = 0; c < PW; ++c) {
        const unsigned b = bits[static_cast<std::size_t>(r) * static_cast<std::size_t>(PW) +
                                static_cast<std::size_t>(c)];
        if (b) put(r, c, static_cast<char32_t>(0x2800 + b), style);
      }
    }
  }

  /// One glyph a cell, with the vertical gap between neighbouring columns split
  /// between them so that steep curves stay connected. With `clip` (a guide,
  /// which may leave the picture) a column whose value lies off the picture
  /// is left empty, rather than drawn on its edge.
  void cell_curve(const scene_layer& layer, char32_t ch, int style, bool clip = false) {
    std::vector<int> rows(static_cast<std::size_t>(L.PW), -1);
    for (int c = 0; c < L.PW; ++c) {
      const double y = interpolate(*layer.x, *layer.y, L.col_x(c + 0.5));
      if (clip && !(y >= L.y0 && y <= L.y1)) continue;
      if (std::isfinite(y)) rows[static_cast<std::size_t>(c)] = L.row_of(y);
    }
    for (int c = 0; c < L.PW; ++c) {
      const int r = rows[static_cast<std::size_t>(c)];
      if (r < 0) continue;
      put(r, c, ch, style);
      const int p = c > 0 ? rows[static_cast<std::size_t>(c - 1)] : -1;
      if (p < 0) continue;
      for (int m = std::min(p, r) + 1; m < std::max(p, r); ++m) {
        const bool nearer_prev = std::abs(m - p) <= std::abs(m - r);
        put(m, c - (nearer_prev ? 1 : 0), ch, style);
      }
    }
  }

  /// Each label beside its point's cell: right of it in the left half, left
  /// of it in the right half (as R's text.id), clipped to the plot area.
  void labels(const scene_layer& layer) {
    for (const plot_label& l : *layer.labels) {
      if (!(l.x >= L.x0 && l.x <= L.x1 && l.y >= L.y0 && l.y <= L.y1)) continue;
      const std::u32string t = clean(l.text, unicode);
      const int n = static_cast<int>(t.size());
      const int c = L.col_of(l.x), r = L.row_of(l.y);
      int start = c < L.PW / 2 ? c + 1 : c - n;
      start = std::clamp(start, 0, std::max(0, L.PW - n));
      for (int i = 0; i < n && start + i < L.PW; ++i)
        put(r, start + i, t[static_cast<std::size_t>(i)], style_none);
    }
  }

  void points(const scene_layer& layer) {
    for (std::size_t i = 0; i < layer.x->size(); ++i) {
      const double x = (*layer.x)[i], y = (*layer.y)[i];
      if (!std::isfinite(x) || !std::isfinite(y)) continue;
      put(L.row_of(y), L.col_of(x), g.point, style_point);
    }
  }
};

/// Draws the plot area layer by layer; returns whether extrapolation shows.
/// The trust range lives on the x axis and is drawn with it.
bool draw_layers(painter& p, const plot_scene& s) {
  bool shaded = false;
  for (const scene_layer& layer : s.layers) {
    switch (layer.kind) {
      case layer_kind::extrapolation:
        shaded = p.extrapolation(layer);
        break;
      case layer_kind::hidden_extrapolation:
        p.hidden(layer);
        break;
      case layer_kind::prediction_band:
        p.band(layer, p.g.pred, series_style(style_pred, layer.series));
        break;
      case layer_kind::confidence_band:
        p.band(layer, p.g.conf, series_style(style_conf, layer.series));
        break;
      case layer_kind::training_edges:
        p.training_edges(layer);
        break;
      case layer_kind::curve:
        if (layer.series == 0 && p.g.braille_first) {
          p.braille_curve(layer, series_style(style_curve, 0));
        } else {
          p.cell_curve(layer, p.g.series[layer.series % p.g.series.size()],
                       series_style(style_curve, layer.series));
        }
        break;
      case layer_kind::reference_line:
        p.cell_curve(layer, p.g.reference, style_dim, true);
        break;
      case layer_kind::contour:
        p.cell_curve(layer, p.g.contour, style_contour, true);
        break;
      case layer_kind::trust_range:
        break;
      case layer_kind::points:
        p.points(layer);
        break;
      case layer_kind::labels:
        p.labels(layer);
        break;
    }
  }
  return shaded;
}

// ---------------------------------------------------------------------------
// Axes, labels and the legend.

void draw_y_axis(grid& out, const layout& L, const glyph_set& g) {
  if (L.margin < 1) return;
  for (int r = 0; r < L.P; ++r) out.put(L.top + r, L.margin - 1, g.y_axis, style_none);
  int last_row = -2;
  for (std::size_t i = 0; i < L.yt.values.size(); ++i) {
    const int r = L.row_of(L.yt.values[i]);
    if (std::abs(r - last_row) < 2) continue;
    last_row = r;
    out.put(L.top + r, L.margin - 1, g.y_tick, style_none);
    const std::u32string l = ascii32(L.yt.labels[i]);
    if (static_cast<int>(l.size()) <= L.margin - 1) {
      out.text(L.top + r, L.margin - 1 - static_cast<int>(l.size()), l);
    }
  }
}

/// X ticks as many as fit with their labels two cells apart.
axis_ticks x_ticks(const layout& L) {
  int x_ticks_max = std::max(2, L.PW / 6);
  for (;;) {
    axis_ticks xt = nice_ticks(L.x0, L.x1, x_ticks_max);
    std::size_t widest = 0;
    for (const std::string& l : xt.labels) widest = std::max(widest, l.size());
    if (x_ticks_max == 2 || static_cast<int>((widest + 2) * xt.values.size()) <= L.PW) return xt;
    --x_ticks_max;
  }
}

/// The x axis: ticks, the trust range as a heavier line, the training edges.
/// Returns whether the trust range shows.
bool draw_x_axis(grid& out, const layout& L, const glyph_set& g, const plot_scene& s) {
  const axis_ticks xt = x_ticks(L);
  const int row = L.axis_row;
  if (L.margin >= 1) out.put(row, L.margin - 1, g.corner, style_none);
  for (int c = 0; c < L.PW; ++c) out.put(row, L.margin + c, g.x_axis, style_none);
  bool trust_shown = false;
  std::vector<bool> in_trust(static_cast<std::size_t>(L.PW), false);
  if (const scene_layer* t = s.find(layer_kind::trust_range)) {
    const double lo = std::max(t->lo, L.x0), hi = std::min(t->hi, L.x1);
    if (lo <= hi) {
      trust_shown = true;
      for (int c = L.col_of(lo); c <= L.col_of(hi); ++c) {
        in_trust[static_cast<std::size_t>(c)] = true;
        out.put(row, L.margin + c, g.trust, style_trust);
      }
    }
  }
  int last_end = -1;
  for (std::size_t i = 0; i < xt.values.size(); ++i) {
    const int c = L.col_of(xt.values[i]);
    const bool t = in_trust[static_cast<std::size_t>(c)];
    out.put(row, L.margin + c, t ? g.trust_tick : g.x_tick, t ? style_trust : style_none);
    const std::u32string l = ascii32(xt.labels[i]);
    const int len = static_cast<int>(l.size());
    // Centred under its tick, or pushed in from the right edge.
    const int start = std::min(L.margin + c - (len - 1) / 2, L.W - len);
    if (start <= last_end + 1 || start < 0) continue;
    out.text(row + 1, start, l);
    last_end = start + static_cast<int>(l.size()) - 1;
  }
  if (const scene_layer* e = s.find(layer_kind::training_edges)) {
    for (double x : {e->lo, e->hi}) {
      if (std::isfinite(x) && x >= L.x0 && x <= L.x1)
        out.put(row, L.margin + L.col_of(x), g.x_edge, style_dim);
    }
  }
  return trust_shown;
}

void draw_titles(grid& out, const layout& L, const plot_data& d, bool unicode) {
  if (L.has_xlabel) {
    const std::u32string l = clean(d.x_label, unicode);
    out.text(L.axis_row + 2, std::max(0, L.margin + (L.PW - static_cast<int>(l.size())) / 2), l);
  }
  if (L.has_header) {
    const std::u32string yl = clean(d.y_label, unicode);
    const std::u32string tl = clean(d.title, unicode);
    out.text(0, 0, yl);
    int start = L.margin + (L.PW - static_cast<int>(tl.size())) / 2;
    if (!yl.empty()) start = std::max(start, static_cast<int>(yl.size()) + 3);
    out.text(0, std::max(0, start), tl);
  }
}

/// The swatch of a legend entry: its layer's glyph and style.
std::pair<char32_t, int> swatch(const legend_entry& e, const glyph_set& g) {
  switch (e.kind) {
    case layer_kind::points:
      return {g.point, style_point};
    case layer_kind::curve:
      return {g.series[e.series % g.series.size()], series_style(style_curve, e.series)};
    case layer_kind::confidence_band:
      return {g.conf, series_style(style_conf, e.series)};
    case layer_kind::prediction_band:
      return {g.pred, series_style(style_pred, e.series)};
    case layer_kind::training_edges:
      return {g.edge, style_dim};
    case layer_kind::extrapolation:
      return {g.extrap, style_dim};
    case layer_kind::hidden_extrapolation:
      return {g.hidden, style_dim};
    case layer_kind::reference_line:
      return {g.reference, style_dim};
    case layer_kind::contour:
      return {g.contour, style_contour};
    case layer_kind::trust_range:
    case layer_kind::labels:
      break;
  }
  return {g.trust, style_trust};
}

struct legend_item {
  char32_t glyph;
  int style;
  std::u32string label[3];  // full, medium, short
};

/// The legend on one row. Entries whose layer left no mark (no cell outside
/// the training range, a trust range off the axis) are left out: room is
/// short. Full labels if they fit, then shorter ones, then tighter; past that
/// the line is cut at the edge.
void draw_legend(grid& out, int row, int W, const plot_scene& s, const glyph_set& g, bool unicode,
                 bool shaded, bool hidden_shown, bool trust_shown) {
  std::vector<legend_item> items;
  for (const legend_entry& e : s.legend) {
    if (e.kind == layer_kind::extrapolation && !shaded) continue;
    if (e.kind == layer_kind::hidden_extrapolation && !hidden_shown) continue;
    if (e.kind == layer_kind::trust_range && !trust_shown) continue;
    const auto [glyph, style] = swatch(e, g);
    items.push_back(
        {glyph,
         style,
         {clean(e.labels[0], unicode), clean(e.labels[1], unicode), clean(e.labels[2], unicode)}});
  }
  const int tiers[][2] = {{0, 2}, {1, 2}, {2, 2}, {2, 1}};
  for (const auto& [tier, gap] : tiers) {
    int len = -gap;
    for (const legend_item& it : items) len += 2 + static_cast<int>(it.label[tier].size()) + gap;
    if (len > W && tier != 2) continue;
    if (len > W && gap == 2) continue;
    int c = 0;
    for (const legend_item& it : items) {
      out.put(row, c, it.glyph, it.style);
      out.text(row, c + 2, it.label[tier]);
      c += 2 + static_cast<int>(it.label[tier].size()) + gap;
    }
    break;
  }
}

}  // namespace

std::string render_terminal(const plot_data& d, const terminal_options& opt) {
  validate_plot(d);
  if (opt.width < 1 || opt.height < 1) {
    throw usage_error(fmt::format("plot: a terminal plot needs at least 1x1 cells, not {}x{}",
                                  opt.width, opt.height));
  }
  const plot_scene s = make_scene(d);
  const layout L = layout_of(d, s, opt);
  const glyph_set& g = glyphs(opt.unicode);
  grid out(L.W, L.H);
  painter p{out, L, g, opt.unicode};
  const bool shaded = draw_layers(p, s);
  draw_y_axis(out, L, g);
  const bool trust_shown = draw_x_axis(out, L, g, s);
  draw_titles(out, L, d, opt.unicode);
  if (L.has_legend) {
    draw_legend(out, L.axis_row + 2 + (L.has_xlabel ? 1 : 0), L.W, s, g, opt.unicode, shaded,
                p.hidden_shown, trust_shown);
  }
  return out.str(opt.color);
}

}  // namespace regress
