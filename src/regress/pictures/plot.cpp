#include "regress/pictures/plot.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "regress/error.hpp"

namespace regress {

// ---------------------------------------------------------------------------
// Text helpers shared with svg.cpp (declared in plot.hpp).
namespace detail {

std::vector<char32_t> decode_utf8(std::string_view s) {
  std::vector<char32_t> out;
  out.reserve(s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    const auto b = static_cast<unsigned char>(s[i]);
    const std::size_t len = b < 0x80           ? 1
                            : (b >> 5) == 0x6  ? 2
                            : (b >> 4) == 0xe  ? 3
                            : (b >> 3) == 0x1e ? 4
                                               : 0;
    char32_t cp = len == 1 ? b : len == 2 ? (b & 0x1fu) : len == 3 ? (b & 0x0fu) : (b & 0x07u);
    bool ok = len > 0 && i + len <= s.size();
    for (std::size_t k = 1; ok && k < len; ++k) {
      const auto c = static_cast<unsigned char>(s[i + k]);
      if ((c & 0xc0) != 0x80) {
        ok = false;
      } else {
        cp = (cp << 6) | (c & 0x3fu);
      }
    }
    // Overlong forms, surrogates and values past U+10FFFF are invalid too.
    if (ok && ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) ||
               (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) || (cp >= 0xd800 && cp <= 0xdfff))) {
      ok = false;
    }
    if (ok) {
      out.push_back(cp);
      i += len;
    } else {
      out.push_back(0xfffd);
      ++i;
    }
  }
  return out;
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xc0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xe0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  }
}

double interpolate(const std::vector<double>& x, const std::vector<double>& v, double at) {
  if (v.size() != x.size() || !std::isfinite(at)) return std::nan("");
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (x[i] == at) return std::isfinite(v[i]) ? v[i] : std::nan("");
    if (i + 1 < x.size() && x[i] < at && at < x[i + 1]) {
      const double t = (at - x[i]) / (x[i + 1] - x[i]);
      const double r = v[i] + t * (v[i + 1] - v[i]);
      return std::isfinite(r) ? r : std::nan("");
    }
  }
  return std::nan("");
}

std::string percent_label(const std::optional<double>& level) {
  if (!level || !std::isfinite(*level)) return {};
  return fmt::format("{:g}% ", *level * 100);
}

}  // namespace detail

using detail::append_utf8;
using detail::decode_utf8;
using detail::interpolate;

// ---------------------------------------------------------------------------
// Validation, extent, ticks.

void validate_plot(const plot_data& d) {
  if (d.point_x.size() != d.point_y.size()) {
    throw usage_error(
        fmt::format("plot: {} point x values but {} y values", d.point_x.size(), d.point_y.size()));
  }
  for (const plot_series& s : d.series) {
    const std::size_t n = s.x.size();
    const auto check = [&](const std::vector<double>& v, const char* what, bool optional) {
      if (v.size() != n && !(optional && v.empty())) {
        throw usage_error(fmt::format("plot: series '{}' has {} x values but {} {} values", s.name,
                                      n, v.size(), what));
      }
    };
    check(s.fit, "fit", false);
    check(s.conf_lwr, "conf_lwr", true);
    check(s.conf_upr, "conf_upr", true);
    check(s.pred_lwr, "pred_lwr", true);
    check(s.pred_upr, "pred_upr", true);
    if (s.conf_lwr.empty() != s.conf_upr.empty() || s.pred_lwr.empty() != s.pred_upr.empty()) {
      throw usage_error(fmt::format("plot: series '{}' has one side of a band only", s.name));
    }
    double last = -std::numeric_limits<double>::infinity();
    for (double x : s.x) {
      if (!std::isfinite(x)) continue;
      if (x < last) throw usage_error(fmt::format("plot: series '{}' x is not ascending", s.name));
      last = x;
    }
  }
}

namespace {

struct span {
  double lo = std::numeric_limits<double>::infinity();
  double hi = -std::numeric_limits<double>::infinity();
  void add(double v) {
    if (!std::isfinite(v)) return;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  void add(const std::vector<double>& vs) {
    for (double v : vs) add(v);
  }
  /// Widens an empty or zero-width span so that ticks and mappings are defined;
  /// "zero" is relative, since a span of 1e-13 around 1e6 has no ticks.
  void settle() {
    if (!(lo <= hi)) {
      lo = 0;
      hi = 1;
      return;
    }
    const double mag = std::max(std::abs(lo), std::abs(hi));
    if (hi - lo > mag * 1e-12) return;
    const double c = lo + (hi - lo) / 2;
    const double half = c != 0 ? std::abs(c) * 0.1 : 1;
    lo = c - half;
    hi = c + half;
  }
};

}  // namespace

plot_extent data_extent(const plot_data& d) {
  span x, y;
  x.add(d.point_x);
  y.add(d.point_y);
  x.add(d.train_min);
  x.add(d.train_max);
  for (const plot_series& s : d.series) {
    x.add(s.x);
    for (const auto* v : {&s.fit, &s.conf_lwr, &s.conf_upr, &s.pred_lwr, &s.pred_upr}) {
      // Only values at a finite x are drawn, so only those count.
      for (std::size_t i = 0; i < v->size() && i < s.x.size(); ++i) {
        if (std::isfinite(s.x[i])) y.add((*v)[i]);
      }
    }
  }
  x.settle();
  y.settle();
  return {x.lo, x.hi, y.lo, y.hi};
}

namespace {

/// m * 10^e computed so that negative exponents divide by an exact power of
/// ten: 3 * 0.1 would be 0.30000000000000004, 3 / 10 is the double nearest 0.3.
double scaled(double m, int e) { return e >= 0 ? m * std::pow(10.0, e) : m / std::pow(10.0, -e); }

int decimal_exponent(double v) {
  int e = static_cast<int>(std::floor(std::log10(v)));
  if (scaled(1, e + 1) <= v) ++e;
  if (scaled(1, e) > v) --e;
  return e;
}

/// v in scientific notation with `decimals` mantissa decimals, trailing zeros
/// and the exponent's '+' and leading zeros dropped: 1.50e+06 -> 1.5e6.
std::string compact_sci(double v, int decimals) {
  if (v == 0) return "0";
  std::string s = fmt::format("{:.{}e}", v, decimals);
  const std::size_t e = s.find('e');
  std::string mant = s.substr(0, e);
  if (mant.find('.') != std::string::npos) {
    mant.erase(mant.find_last_not_of('0') + 1);
    if (mant.back() == '.') mant.pop_back();
  }
  std::string exp = s.substr(e + 1);
  const std::string sign = exp[0] == '-' ? "-" : "";
  exp.erase(0, 1);
  exp.erase(0, std::min(exp.find_first_not_of('0'), exp.size() - 1));
  return mant + "e" + sign + exp;
}

/// Labels for ticks at multiples of 10^e: fixed notation with just enough
/// decimals, as %g would print them, unless scientific is shorter outside
/// [1e-4, 1e6) (1e6 rather than 1000000, but 1000000.0002 as it is).
std::vector<std::string> tick_labels(const std::vector<double>& values, int e) {
  double max_abs = 0;
  for (double v : values) max_abs = std::max(max_abs, std::abs(v));
  const int top = max_abs > 0 ? decimal_exponent(max_abs) : 0;
  const int sci_decimals = std::clamp(top - e, 0, 16);
  const int fixed_decimals = std::clamp(-e, 0, 17);
  const auto fixed = [&](double v) { return fmt::format("{:.{}f}", v + 0.0, fixed_decimals); };
  bool use_fixed = max_abs >= 1e-4 && max_abs < 1e6;
  if (!use_fixed) {
    std::size_t fixed_len = 0, sci_len = 0;
    for (double v : values) {
      fixed_len = std::max(fixed_len, fixed(v).size());
      sci_len = std::max(sci_len, compact_sci(v, sci_decimals).size());
    }
    use_fixed = fixed_len <= sci_len;
  }
  std::vector<std::string> out;
  for (double v : values) out.push_back(use_fixed ? fixed(v) : compact_sci(v, sci_decimals));
  return out;
}

}  // namespace

axis_ticks nice_ticks(double lo, double hi, int max_ticks, bool extend) {
  axis_ticks t;
  if (!(lo < hi) || !std::isfinite(lo) || !std::isfinite(hi) || !std::isfinite(hi - lo)) return t;
  max_ticks = std::max(max_ticks, 2);
  int e = decimal_exponent((hi - lo) / max_ticks);
  static const double mult[] = {1, 2, 5};
  double step = 0;
  double first = 0, last = 0;
  int m = 0;
  // The smallest nice step with at most max_ticks multiples in [lo, hi]; a
  // relative slack keeps a tick that sits on an end despite rounding.
  for (int guard = 0; guard < 60; ++guard) {
    step = scaled(mult[m], e);
    first = std::ceil(lo / step - 1e-9);
    last = std::floor(hi / step + 1e-9);
    if (last - first + 1 <= max_ticks) break;
    if (++m == 3) {
      m = 0;
      ++e;
    }
  }
  if (extend) {
    first = std::floor(lo / step + 1e-9);
    last = std::ceil(hi / step - 1e-9);
  }
  if (std::abs(first) > 1e15 || std::abs(last) > 1e15) return t;
  t.step = step;
  for (double i = first; i <= last; ++i) t.values.push_back(scaled(i * mult[m], e));
  t.labels = tick_labels(t.values, e);
  return t;
}

std::size_t display_width(std::string_view utf8) { return decode_utf8(utf8).size(); }

// ---------------------------------------------------------------------------
// Terminal renderer.

namespace {

/// Cell styles; each maps to one SGR sequence when colour is on.
enum : int {
  style_none = 0,
  style_dim = 1,  // extrapolation shading, training-range edges
  style_trust = 2,
  style_point = 3,
  style_curve = 10,  // + series index modulo 5
  style_conf = 20,
  style_pred = 30,
};

std::string sgr(int style) {
  static const char* const series_colour[] = {"34", "31", "35", "33", "36"};
  if (style == style_dim) return "90";
  if (style == style_trust) return "32";
  if (style == style_point) return "1";
  const std::string c = series_colour[style % 10 % 5];
  if (style >= style_pred) return "2;" + c;
  if (style >= style_conf) return c;
  return "1;" + c;
}

struct glyph_set {
  char32_t extrap, edge, pred, conf, point;
  char32_t y_axis, y_tick, corner, x_axis, x_tick, x_edge, trust, trust_tick;
  std::u32string series;  // cell glyphs for series 0, 1, ... (cycled)
  bool braille_first;     // series 0 drawn in braille instead
};

const glyph_set& glyphs(bool unicode) {
  static const glyph_set u{U'·', U'┊', U'░', U'▒', U'●', U'│',     U'┤', U'└',
                           U'─', U'┬', U'┴', U'━', U'┯', U"⠒◆■▲×", true};
  static const glyph_set a{'.', '|', ':', '=', 'o', '|',      '+',  '+',
                           '-', '+', '|', '#', '#', U"*@%&$", false};
  return unicode ? u : a;
}

struct cell {
  char32_t ch = U' ';
  int style = style_none;
};

class grid {
 public:
  grid(int w, int h)
      : w_(w), h_(h), cells_(static_cast<std::size_t>(w) * static_cast<std::size_t>(h)) {}
  void put(int r, int c, char32_t ch, int style) {
    if (r < 0 || r >= h_ || c < 0 || c >= w_) return;
    cells_[index(r, c)] = {ch, style};
  }
  const cell& at(int r, int c) const { return cells_[index(r, c)]; }
  /// Writes text from column c, clipped at the grid's edges.
  void text(int r, int c, const std::u32string& s, int style = style_none) {
    for (char32_t ch : s) put(r, c++, ch, style);
  }
  std::string str(bool color) const {
    std::string out;
    for (int r = 0; r < h_; ++r) {
      int end = w_;
      while (end > 0 && at(r, end - 1).ch == U' ' && at(r, end - 1).style == style_none) --end;
      int current = style_none;
      for (int c = 0; c < end; ++c) {
        const cell& x = at(r, c);
        // A blank looks the same in any colour: it never switches style.
        if (color && x.style != current && x.ch != U' ') {
          if (current != style_none) out += "\x1b[0m";
          if (x.style != style_none) out += "\x1b[" + sgr(x.style) + "m";
          current = x.style;
        }
        append_utf8(out, x.ch);
      }
      if (color && current != style_none) out += "\x1b[0m";
      out += '\n';
    }
    return out;
  }

 private:
  std::size_t index(int r, int c) const {
    return static_cast<std::size_t>(r) * static_cast<std::size_t>(w_) + static_cast<std::size_t>(c);
  }
  int w_, h_;
  std::vector<cell> cells_;
};

/// A label as terminal cells: control characters become spaces, and in ASCII
/// mode anything outside printable ASCII becomes '?'.
std::u32string clean(std::string_view s, bool unicode) {
  std::u32string out;
  for (char32_t cp : decode_utf8(s)) {
    if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) cp = U' ';
    if (!unicode && cp >= 0x7f) cp = U'?';
    out += cp;
  }
  return out;
}

std::u32string ascii32(const std::string& s) { return std::u32string(s.begin(), s.end()); }

/// floor(v) clamped to [0, n): a cell for a position in cell units. Clamping
/// before the conversion keeps it defined for NaN and huge values (an extent
/// so wide that its width overflows).
int cell_index(double v, int n) {
  if (!(v >= 0)) return 0;
  if (v >= n) return n - 1;
  return static_cast<int>(v);
}

/// Braille dot bit for sub-column cx (0, 1) and sub-row ry (0..3) of a cell.
unsigned braille_bit(int cx, int ry) {
  if (ry == 3) return cx == 0 ? 0x40u : 0x80u;
  return 1u << (ry + 3 * cx);
}

struct legend_item {
  char32_t glyph;
  int style;
  std::u32string label[3];  // full, medium, short
};

}  // namespace

std::string render_terminal(const plot_data& d, const terminal_options& opt) {
  validate_plot(d);
  if (opt.width < 1 || opt.height < 1) {
    throw usage_error(fmt::format("plot: a terminal plot needs at least 1x1 cells, not {}x{}",
                                  opt.width, opt.height));
  }
  const int W = opt.width, H = opt.height;
  const glyph_set& g = glyphs(opt.unicode);
  grid out(W, H);

  // Rows: [header] plot... axis ticks [x label] [legend]. The legend, the x
  // label and the header give way, in that order, to keep 3 plot rows.
  bool has_header = !d.title.empty() || !d.y_label.empty();
  bool has_xlabel = !d.x_label.empty();
  bool has_legend = true;
  const auto rows_left = [&] {
    return H - (has_header ? 1 : 0) - 2 - (has_xlabel ? 1 : 0) - (has_legend ? 1 : 0);
  };
  if (rows_left() < 3) has_legend = false;
  if (rows_left() < 3) has_xlabel = false;
  if (rows_left() < 3) has_header = false;
  const int P = std::max(1, rows_left());
  const int top = has_header ? 1 : 0;
  const int axis_row = top + P;

  const plot_extent ext = data_extent(d);
  const double x0 = ext.x_min, x1 = ext.x_max, y0 = ext.y_min, y1 = ext.y_max;

  // Y ticks, at least 3 rows apart; the left margin is as wide as their labels.
  const axis_ticks yt = nice_ticks(y0, y1, std::max(2, (P + 2) / 4));
  const auto row_of = [&](double y) { return cell_index((y1 - y) / (y1 - y0) * P, P); };
  int label_w = 0;
  for (const std::string& l : yt.labels) label_w = std::max(label_w, static_cast<int>(l.size()));
  label_w = std::min(label_w, std::max(0, W / 2 - 1));
  int margin = std::min(label_w + 1, W - 1);
  const int PW = W - margin;
  const auto col_of = [&](double x) { return cell_index((x - x0) / (x1 - x0) * PW, PW); };
  const auto col_x = [&](double c) { return x0 + c * (x1 - x0) / PW; };
  const auto row_y = [&](double r) { return y1 - r * (y1 - y0) / P; };
  const bool min_known = std::isfinite(d.train_min), max_known = std::isfinite(d.train_max);
  const auto outside = [&](double x) {
    return (min_known && x < d.train_min) || (max_known && x > d.train_max);
  };

  // Layer 1: extrapolation shading and the training range's edges.
  bool any_outside = false;
  for (int c = 0; c < PW; ++c) {
    if (!outside(col_x(c + 0.5))) continue;
    any_outside = true;
    for (int r = 0; r < P; ++r) {
      if ((r + c) % 2 == 0) out.put(top + r, margin + c, g.extrap, style_dim);
    }
  }
  for (double e : {d.train_min, d.train_max}) {
    if (!std::isfinite(e) || e < x0 || e > x1) continue;
    for (int r = 0; r < P; ++r) out.put(top + r, margin + col_of(e), g.edge, style_dim);
  }

  // Layers 2 and 3: prediction bands, then confidence bands (a cell is in a
  // band when its centre is).
  const auto draw_band = [&](const plot_series& s, const std::vector<double>& lwr,
                             const std::vector<double>& upr, char32_t ch, int style) {
    if (lwr.empty()) return;
    for (int c = 0; c < PW; ++c) {
      const double xc = col_x(c + 0.5);
      double lo = interpolate(s.x, lwr, xc), hi = interpolate(s.x, upr, xc);
      if (!std::isfinite(lo) || !std::isfinite(hi)) continue;
      if (lo > hi) std::swap(lo, hi);
      for (int r = 0; r < P; ++r) {
        const double yc = row_y(r + 0.5);
        if (lo <= yc && yc <= hi) out.put(top + r, margin + c, ch, style);
      }
    }
  };
  for (std::size_t k = 0; k < d.series.size(); ++k) {
    draw_band(d.series[k], d.series[k].pred_lwr, d.series[k].pred_upr, g.pred,
              style_pred + static_cast<int>(k % 5));
  }
  for (std::size_t k = 0; k < d.series.size(); ++k) {
    draw_band(d.series[k], d.series[k].conf_lwr, d.series[k].conf_upr, g.conf,
              style_conf + static_cast<int>(k % 5));
  }

  // Layer 4: curves. Series 0 in Unicode is braille (2x4 dots a cell); the
  // others are one glyph per cell, with vertical gaps between neighbouring
  // columns split between them so that steep curves stay connected.
  for (std::size_t k = 0; k < d.series.size(); ++k) {
    const plot_series& s = d.series[k];
    const int style = style_curve + static_cast<int>(k % 5);
    if (k == 0 && g.braille_first) {
      std::vector<unsigned> bits(static_cast<std::size_t>(P) * static_cast<std::size_t>(PW), 0);
      const auto set = [&](int j, int dot_row) {
        const std::size_t i = static_cast<std::size_t>(dot_row / 4) * static_cast<std::size_t>(PW) +
                              static_cast<std::size_t>(j / 2);
        bits[i] |= braille_bit(j % 2, dot_row % 4);
      };
      int prev = -1;
      for (int j = 0; j < 2 * PW; ++j) {
        const double y = interpolate(s.x, s.fit, x0 + (j + 0.5) * (x1 - x0) / (2 * PW));
        if (!std::isfinite(y)) {
          prev = -1;
          continue;
        }
        const int dot = cell_index((y1 - y) / (y1 - y0) * 4 * P, 4 * P);
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
          if (b) out.put(top + r, margin + c, static_cast<char32_t>(0x2800 + b), style);
        }
      }
      continue;
    }
    const char32_t ch = g.series[k % g.series.size()];
    std::vector<int> rows(static_cast<std::size_t>(PW), -1);
    for (int c = 0; c < PW; ++c) {
      const double y = interpolate(s.x, s.fit, col_x(c + 0.5));
      if (std::isfinite(y)) rows[static_cast<std::size_t>(c)] = row_of(y);
    }
    for (int c = 0; c < PW; ++c) {
      const int r = rows[static_cast<std::size_t>(c)];
      if (r < 0) continue;
      out.put(top + r, margin + c, ch, style);
      const int p = c > 0 ? rows[static_cast<std::size_t>(c - 1)] : -1;
      if (p < 0) continue;
      for (int m = std::min(p, r) + 1; m < std::max(p, r); ++m) {
        const bool nearer_prev = std::abs(m - p) <= std::abs(m - r);
        out.put(top + m, margin + c - (nearer_prev ? 1 : 0), ch, style);
      }
    }
  }

  // Layer 5: points.
  for (std::size_t i = 0; i < d.point_x.size(); ++i) {
    const double x = d.point_x[i], y = d.point_y[i];
    if (!std::isfinite(x) || !std::isfinite(y)) continue;
    out.put(top + row_of(y), margin + col_of(x), g.point, style_point);
  }

  // The y axis and its labels.
  if (margin >= 1) {
    for (int r = 0; r < P; ++r) out.put(top + r, margin - 1, g.y_axis, style_none);
    int last_row = -2;
    for (std::size_t i = 0; i < yt.values.size(); ++i) {
      const int r = row_of(yt.values[i]);
      if (std::abs(r - last_row) < 2) continue;
      last_row = r;
      out.put(top + r, margin - 1, g.y_tick, style_none);
      const std::u32string l = ascii32(yt.labels[i]);
      if (static_cast<int>(l.size()) <= margin - 1) {
        out.text(top + r, margin - 1 - static_cast<int>(l.size()), l);
      }
    }
  }

  // The x axis: ticks, the trust range as a heavier line, training edges.
  int x_ticks_max = std::max(2, PW / 6);
  axis_ticks xt;
  for (;;) {
    xt = nice_ticks(x0, x1, x_ticks_max);
    std::size_t widest = 0;
    for (const std::string& l : xt.labels) widest = std::max(widest, l.size());
    if (x_ticks_max == 2 || static_cast<int>((widest + 2) * xt.values.size()) <= PW) break;
    --x_ticks_max;
  }
  if (margin >= 1) out.put(axis_row, margin - 1, g.corner, style_none);
  for (int c = 0; c < PW; ++c) out.put(axis_row, margin + c, g.x_axis, style_none);
  bool trust_shown = false;
  std::vector<bool> in_trust(static_cast<std::size_t>(PW), false);
  if (d.trust) {
    const double lo = std::max(d.trust->first, x0), hi = std::min(d.trust->second, x1);
    if (lo <= hi) {
      trust_shown = true;
      for (int c = col_of(lo); c <= col_of(hi); ++c) {
        in_trust[static_cast<std::size_t>(c)] = true;
        out.put(axis_row, margin + c, g.trust, style_trust);
      }
    }
  }
  int last_end = -1;
  for (std::size_t i = 0; i < xt.values.size(); ++i) {
    const int c = col_of(xt.values[i]);
    const bool t = in_trust[static_cast<std::size_t>(c)];
    out.put(axis_row, margin + c, t ? g.trust_tick : g.x_tick, t ? style_trust : style_none);
    const std::u32string l = ascii32(xt.labels[i]);
    const int len = static_cast<int>(l.size());
    // Centred under its tick, or pushed in from the right edge.
    const int start = std::min(margin + c - (len - 1) / 2, W - len);
    if (start <= last_end + 1 || start < 0) continue;
    out.text(axis_row + 1, start, l);
    last_end = start + static_cast<int>(l.size()) - 1;
  }
  for (double e : {d.train_min, d.train_max}) {
    if (std::isfinite(e) && e >= x0 && e <= x1)
      out.put(axis_row, margin + col_of(e), g.x_edge, style_dim);
  }

  int row = axis_row + 2;
  if (has_xlabel) {
    const std::u32string l = clean(d.x_label, opt.unicode);
    out.text(row++, std::max(0, margin + (PW - static_cast<int>(l.size())) / 2), l);
  }

  if (has_header) {
    const std::u32string yl = clean(d.y_label, opt.unicode);
    const std::u32string tl = clean(d.title, opt.unicode);
    out.text(0, 0, yl);
    int start = margin + (PW - static_cast<int>(tl.size())) / 2;
    if (!yl.empty()) start = std::max(start, static_cast<int>(yl.size()) + 3);
    out.text(0, std::max(0, start), tl);
  }

  if (has_legend) {
    std::vector<legend_item> items;
    if (!d.point_x.empty()) items.push_back({g.point, style_point, {U"data", U"data", U"data"}});
    bool conf = false, pred = false;
    for (std::size_t k = 0; k < d.series.size(); ++k) {
      const plot_series& s = d.series[k];
      conf = conf || !s.conf_lwr.empty();
      pred = pred || !s.pred_lwr.empty();
      const std::u32string name =
          s.name.empty() ? ascii32(fmt::format("fit {}", k + 1)) : clean(s.name, opt.unicode);
      items.push_back({g.series[k % g.series.size()],
                       style_curve + static_cast<int>(k % 5),
                       {name, name, name}});
    }
    const std::u32string pct = ascii32(detail::percent_label(d.level));
    if (conf) {
      items.push_back(
          {g.conf, style_conf, {pct + U"confidence band", pct + U"confidence", pct + U"conf"}});
    }
    if (pred) {
      items.push_back(
          {g.pred, style_pred, {pct + U"prediction band", pct + U"prediction", pct + U"pred"}});
    }
    if (min_known || max_known) {
      items.push_back({g.edge, style_dim, {U"training range", U"training", U"train"}});
    }
    if (any_outside) {
      items.push_back({g.extrap, style_dim, {U"extrapolation", U"extrapolation", U"extrap"}});
    }
    if (trust_shown) items.push_back({g.trust, style_trust, {U"trust range", U"trust", U"trust"}});
    const int legend_row = row;
    // Full labels if they fit, then shorter ones, then tighter; past that the
    // line is cut at the edge.
    const int tiers[][2] = {{0, 2}, {1, 2}, {2, 2}, {2, 1}};
    for (const auto& [tier, gap] : tiers) {
      int len = -gap;
      for (const legend_item& it : items) len += 2 + static_cast<int>(it.label[tier].size()) + gap;
      if (len > W && tier != 2) continue;
      if (len > W && gap == 2) continue;
      int c = 0;
      for (const legend_item& it : items) {
        out.put(legend_row, c, it.glyph, it.style);
        out.text(legend_row, c + 2, it.label[tier]);
        c += 2 + static_cast<int>(it.label[tier].size()) + gap;
      }
      break;
    }
  }

  return out.str(opt.color);
}

}  // namespace regress
