// The SVG renderer: maps a plot_scene to pixels, as SVG 1.1 elements.

#include "regress/pictures/svg.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "regress/error.hpp"
#include "regress/pictures/scene.hpp"

namespace regress {
namespace {

constexpr double title_size = 16, label_size = 13, tick_size = 12, legend_size = 12;
constexpr double legend_line = 20;
constexpr std::size_t legend_max_chars = 28;

/// A coordinate: 2 decimals, clamped far outside any picture so that an
/// infinite value cannot produce "inf", never "-0.00". Every coordinate of the
/// document goes through here.
std::string num(double v) {
  if (!std::isfinite(v)) v = v > 0 ? 1e6 : -1e6;
  v = std::clamp(v, -1e6, 1e6);
  std::string s = fmt::format("{:.2f}", v);
  if (s == "-0.00") s = "0.00";
  return s;
}

template <typename... T>
void emit(std::string& o, fmt::format_string<T...> f, T&&... args) {
  fmt::format_to(std::back_inserter(o), f, std::forward<T>(args)...);
}

std::string colour(std::uint32_t c) { return fmt::format("#{:06x}", c); }

std::uint32_t series_colour(std::size_t k) {
  constexpr std::size_t n = sizeof(svg_style::series) / sizeof(svg_style::series[0]);
  return svg_style::series[k % n];
}

/// XML character data or attribute text: markup characters escaped, control
/// characters (not allowed in XML 1.0, or meaningless in a label) as spaces.
/// Every text of the document goes through here.
std::string escape(std::string_view s, std::size_t max_chars = std::string::npos) {
  std::vector<char32_t> cps = detail::decode_utf8(s);
  if (cps.size() > max_chars) {
    cps.resize(max_chars - 1);
    cps.push_back(U'\u2026');
  }
  std::string out;
  for (char32_t cp : cps) {
    switch (cp) {
      case U'&':
        out += "&amp;";
        break;
      case U'<':
        out += "&lt;";
        break;
      case U'>':
        out += "&gt;";
        break;
      case U'"':
        out += "&quot;";
        break;
      case U'\'':
        out += "&apos;";
        break;
      default:
        if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) cp = U' ';
        if (cp == 0xfffe || cp == 0xffff) cp = 0xfffd;
        detail::append_utf8(out, cp);
    }
  }
  return out;
}

/// A rough text width for layout: DejaVu Sans averages about 0.6 em a character.
double text_width(std::string_view s, double size) {
  return 0.6 * size * static_cast<double>(std::min(display_width(s), legend_max_chars));
}

axis_ticks y_ticks(const plot_extent& e, double height) {
  return nice_ticks(e.y_min, e.y_max, std::max(2, static_cast<int>(height / 50)), true);
}

void check_size(int width_px, int height_px) {
  if (width_px < 200 || height_px < 200 || width_px > 20000 || height_px > 20000) {
    throw usage_error(fmt::format("plot: an SVG must be 200 to 20000 pixels each way, not {}x{}",
                                  width_px, height_px));
  }
}

svg_layout layout_of(const plot_data& d, const plot_scene& s, int width_px, int height_px) {
  check_size(width_px, height_px);
  const double W = width_px, H = height_px;
  svg_layout l;
  l.top = d.title.empty() ? 20 : 44;
  const double bottom = d.x_label.empty() ? 34 : 56;
  l.height = H - l.top - bottom;

  const axis_ticks yt = y_ticks(s.extent, l.height);
  std::size_t widest = 0;
  for (const std::string& t : yt.labels) widest = std::max(widest, t.size());
  l.left = std::min(W / 3, (d.y_label.empty() ? 12.0 : 34.0) +
                               0.6 * tick_size * static_cast<double>(widest) + 10);

  // Room for an extrapolation entry whether or not one shows, so that the
  // pictures of one data set line up.
  double legend_w = 30 + text_width("extrapolation", legend_size);
  for (const legend_entry& e : s.legend) {
    legend_w = std::max(legend_w, 30 + text_width(e.labels[0], legend_size));
  }
  const double right = std::clamp(legend_w + 28, 120.0, W / 3);
  l.width = W - l.left - right;

  const plot_extent& e = s.extent;
  const double pad = (e.x_max - e.x_min) * 0.02;
  l.x_min = e.x_min - pad;
  l.x_max = e.x_max + pad;
  if (yt.values.size() >= 2) {
    l.y_min = yt.values.front();
    l.y_max = yt.values.back();
  } else {
    l.y_min = e.y_min;
    l.y_max = e.y_max;
  }
  return l;
}

// ---------------------------------------------------------------------------
// Layers. Each goes into one of three strata, drawn in this order: shading
// under everything, the data clipped to the plot area, and the marks and
// labels that must not be clipped over them. Within a stratum the scene's
// order holds.

struct strata {
  std::string under, clipped, over;
};

struct painter {
  const svg_layout& l;
  strata& o;
  bool zones_shown = false;
  bool hidden_shown = false;

  double right_edge() const { return l.left + l.width; }
  double bottom_edge() const { return l.top + l.height; }
  std::string X(double x) const { return num(l.px(x)); }
  std::string Y(double y) const { return num(l.py(y)); }

  /// The plot area outside the training range, labelled across the top when
  /// there is room, else down the zone.
  void extrapolation(const scene_layer& layer) {
    struct zone {
      double a, b;  // px
    };
    std::vector<zone> zones;
    if (std::isfinite(layer.lo) && layer.lo > l.x_min) {
      zones.push_back({l.left, std::min(l.px(layer.lo), right_edge())});
    }
    if (std::isfinite(layer.hi) && layer.hi < l.x_max) {
      zones.push_back({std::max(l.px(layer.hi), l.left), right_edge()});
    }
    if (zones.empty()) return;
    zones_shown = true;
    emit(o.under, "<g id=\"extrapolation\" fill=\"{}\" stroke=\"none\">\n",
         colour(svg_style::extrapolation));
    for (const zone& z : zones) {
      emit(o.under, "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>\n", num(z.a), num(l.top),
           num(z.b - z.a), num(l.height));
    }
    emit(o.under, "</g>\n");
    for (const zone& z : zones) {
      const double w = z.b - z.a, c = (z.a + z.b) / 2;
      if (w >= text_width("extrapolation", 11) + 8) {
        emit(o.over,
             "<text x=\"{}\" y=\"{}\" font-size=\"11\" fill=\"#666666\" text-anchor=\"middle\">"
             "extrapolation</text>\n",
             num(c), num(l.top + 14));
      } else if (w >= 14 && l.height >= text_width("extrapolation", 11) + 12) {
        emit(o.over,
             "<text transform=\"translate({},{}) rotate(90)\" font-size=\"11\" fill=\"#666666\">"
             "extrapolation</text>\n",
             num(c - 4), num(l.top + 6));
      }
    }
  }

  /// A hidden stretch: shaded across the plot area as the extrapolation
  /// zones are, in its own colour, labelled across the top when there is room.
  void hidden(const scene_layer& layer) {
    const double a = std::max(l.px(std::max(layer.lo, l.x_min)), l.left);
    const double b = std::min(l.px(std::min(layer.hi, l.x_max)), right_edge());
    if (!(a <= b)) return;
    // A stretch of one sweep point is drawn 2 px wide, so that it shows.
    const double w = std::max(b - a, 2.0);
    hidden_shown = true;
    emit(o.under,
         "<g id=\"hidden-extrapolation\" fill=\"{}\" stroke=\"none\">\n<rect x=\"{}\" y=\"{}\" "
         "width=\"{}\" height=\"{}\"/>\n</g>\n",
         colour(svg_style::hidden_extrapolation), num(a), num(l.top), num(w), num(l.height));
    if (w >= text_width("hidden extrapolation", 11) + 8) {
      emit(o.over,
           "<text x=\"{}\" y=\"{}\" font-size=\"11\" fill=\"#666666\" text-anchor=\"middle\">"
           "hidden extrapolation</text>\n",
           num(a + w / 2), num(l.top + 14));
    }
  }

  /// A translucent polygon for each run of finite values.
  void band(const scene_layer& layer, double opacity, const char* cls) {
    const std::vector<double>&x = *layer.x, &lwr = *layer.y, &upr = *layer.y_upper;
    const auto ok = [&](std::size_t j) {
      return std::isfinite(x[j]) && std::isfinite(lwr[j]) && std::isfinite(upr[j]);
    };
    std::size_t i = 0;
    while (i < x.size()) {
      if (!ok(i)) {
        ++i;
        continue;
      }
      std::size_t j = i;
      while (j < x.size() && ok(j)) ++j;
      if (j - i >= 2) {
        std::string pts;
        for (std::size_t k = i; k < j; ++k) pts += X(x[k]) + "," + Y(upr[k]) + " ";
        for (std::size_t k = j; k-- > i;) pts += X(x[k]) + "," + Y(lwr[k]) + (k > i ? " " : "");
        emit(o.clipped,
             "<polygon class=\"{}\" points=\"{}\" fill=\"{}\" fill-opacity=\"{}\" "
             "stroke=\"none\"/>\n",
             cls, pts, colour(series_colour(layer.series)), opacity);
      }
      i = j;
    }
  }

  void training_edges(const scene_layer& layer) {
    for (double e : {layer.lo, layer.hi}) {
      if (!std::isfinite(e) || e < l.x_min || e > l.x_max) continue;
      emit(o.clipped,
           "<line class=\"training-edge\" x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" "
           "stroke=\"{3}\" stroke-width=\"1.5\" stroke-dasharray=\"6,4\"/>\n",
           X(e), num(l.top), num(bottom_edge()), colour(svg_style::edge));
    }
  }

  /// A polyline for each run of finite values.
  void curve(const scene_layer& layer) {
    const std::vector<double>&x = *layer.x, &y = *layer.y;
    std::string pts;
    std::size_t n = 0;
    const auto flush = [&] {
      if (n >= 2) {
        emit(o.clipped,
             "<polyline class=\"fit\" points=\"{}\" fill=\"none\" stroke=\"{}\" "
             "stroke-width=\"{}\" stroke-linejoin=\"round\" stroke-linecap=\"round\"/>\n",
             pts, colour(series_colour(layer.series)), svg_style::curve_width);
      }
      pts.clear();
      n = 0;
    };
    for (std::size_t i = 0; i < x.size(); ++i) {
      if (!std::isfinite(x[i]) || !std::isfinite(y[i])) {
        flush();
        continue;
      }
      pts += (n ? " " : "") + X(x[i]) + "," + Y(y[i]);
      ++n;
    }
    flush();
  }

  /// A guide: one polyline a run of finite values, thin, clipped to the plot
  /// area: grey and dotted for a reference line, red and dashed for a contour.
  void guide(const scene_layer& layer, bool contour) {
    const std::vector<double>&x = *layer.x, &y = *layer.y;
    std::string pts;
    std::size_t n = 0;
    const auto flush = [&] {
      if (n >= 2) {
        emit(o.clipped,
             "<polyline class=\"{}\" points=\"{}\" fill=\"none\" stroke=\"{}\" "
             "stroke-width=\"1\" stroke-dasharray=\"{}\"/>\n",
             contour ? "contour" : "reference", pts,
             colour(contour ? svg_style::contour : svg_style::reference), contour ? "6,4" : "2,3");
      }
      pts.clear();
      n = 0;
    };
    for (std::size_t i = 0; i < x.size(); ++i) {
      if (!std::isfinite(x[i]) || !std::isfinite(y[i])) {
        flush();
        continue;
      }
      pts += (n ? " " : "") + X(x[i]) + "," + Y(y[i]);
      ++n;
    }
    flush();
  }

  /// Texts beside their points: right of them in the left half, left of them
  /// in the right half (as R's text.id); one off the plot area is not drawn.
  void labels(const scene_layer& layer) {
    bool any = false;
    for (const plot_label& t : *layer.labels) {
      if (!(t.x >= l.x_min && t.x <= l.x_max && t.y >= l.y_min && t.y <= l.y_max)) continue;
      if (!any) emit(o.over, "<g class=\"labels\" font-size=\"11\">\n");
      any = true;
      const bool left_half = t.x < (l.x_min + l.x_max) / 2;
      emit(o.over, "<text x=\"{}\" y=\"{}\" text-anchor=\"{}\">{}</text>\n",
           num(l.px(t.x) + (left_half ? 5 : -5)), num(l.py(t.y) + 4), left_half ? "start" : "end",
           escape(t.text, legend_max_chars));
    }
    if (any) emit(o.over, "</g>\n");
  }

  /// Dotted lines at the trust range's ends and a bracket above the x axis.
  void trust_range(const scene_layer& layer) {
    if (layer.lo > layer.hi) return;
    const double lo = std::max(layer.lo, l.x_min), hi = std::min(layer.hi, l.x_max);
    if (!(lo <= hi)) return;
    const double y = bottom_edge() - 10;
    emit(o.over, "<g id=\"trust-range\" stroke=\"{}\" fill=\"none\">\n", colour(svg_style::trust));
    for (double e : {layer.lo, layer.hi}) {
      if (e < l.x_min || e > l.x_max) continue;
      emit(o.over,
           "<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke-width=\"1\" "
           "stroke-dasharray=\"2,3\"/>\n",
           X(e), num(l.top), num(bottom_edge()));
      emit(o.over, "<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke-width=\"2\"/>\n", X(e),
           num(y - 6), num(y + 6));
    }
    emit(o.over, "<line x1=\"{0}\" y1=\"{2}\" x2=\"{1}\" y2=\"{2}\" stroke-width=\"3\"/>\n", X(lo),
         X(hi), num(y));
    emit(o.over, "</g>\n");
    emit(o.over,
         "<text x=\"{}\" y=\"{}\" font-size=\"11\" fill=\"{}\" text-anchor=\"middle\">trust range"
         "</text>\n",
         X((lo + hi) / 2), num(y - 6), colour(svg_style::trust));
  }

  void points(const scene_layer& layer) {
    bool any = false;
    for (std::size_t i = 0; i < layer.x->size(); ++i) {
      const double x = (*layer.x)[i], y = (*layer.y)[i];
      if (!std::isfinite(x) || !std::isfinite(y)) continue;
      if (!any) {
        emit(o.over, "<g id=\"points\" fill=\"{}\" stroke=\"none\">\n", colour(svg_style::point));
      }
      any = true;
      emit(o.over, "<circle cx=\"{}\" cy=\"{}\" r=\"{}\"/>\n", X(x), Y(y), svg_style::point_radius);
    }
    if (any) emit(o.over, "</g>\n");
  }

  void draw(const scene_layer& layer) {
    switch (layer.kind) {
      case layer_kind::extrapolation:
        return extrapolation(layer);
      case layer_kind::hidden_extrapolation:
        return hidden(layer);
      case layer_kind::prediction_band:
        return band(layer, svg_style::prediction_opacity, "prediction-band");
      case layer_kind::confidence_band:
        return band(layer, svg_style::confidence_opacity, "confidence-band");
      case layer_kind::training_edges:
        return training_edges(layer);
      case layer_kind::curve:
        return curve(layer);
      case layer_kind::trust_range:
        return trust_range(layer);
      case layer_kind::points:
        return points(layer);
      case layer_kind::reference_line:
        return guide(layer, false);
      case layer_kind::contour:
        return guide(layer, true);
      case layer_kind::labels:
        return labels(layer);
    }
  }
};

// ---------------------------------------------------------------------------
// The frame: document head, axes, titles and the legend.

void head(std::string& o, const plot_data& d, const svg_layout& l, int width_px, int height_px) {
  emit(o, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n");
  emit(o,
       "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"{0}\" height=\"{1}\" "
       "viewBox=\"0 0 {0} {1}\" font-family=\"DejaVu Sans, Verdana, Arial, sans-serif\" "
       "font-size=\"{2}\" fill=\"{3}\">\n",
       width_px, height_px, tick_size, colour(svg_style::text));
  if (!d.title.empty()) emit(o, "<title>{}</title>\n", escape(d.title));
  emit(o, "<rect x=\"0\" y=\"0\" width=\"{}\" height=\"{}\" fill=\"{}\"/>\n", width_px, height_px,
       colour(svg_style::background));
  emit(o,
       "<defs><clipPath id=\"plot-area\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>"
       "</clipPath></defs>\n",
       num(l.left), num(l.top), num(l.width), num(l.height));
}

void axes(std::string& o, const plot_scene& s, const svg_layout& l) {
  const double bottom_edge = l.top + l.height;
  const auto X = [&](double x) { return num(l.px(x)); };
  emit(o, "<g id=\"axes\" stroke=\"{}\" stroke-width=\"1\" fill=\"none\">\n",
       colour(svg_style::text));
  emit(o, "<path d=\"M{} {}V{}H{}\"/>\n", num(l.left), num(l.top), num(bottom_edge),
       num(l.left + l.width));
  const axis_ticks xt = nice_ticks(l.x_min, l.x_max, std::max(2, static_cast<int>(l.width / 55)));
  const axis_ticks yt = y_ticks(s.extent, l.height);
  for (double t : xt.values) {
    emit(o, "<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\"/>\n", X(t), num(bottom_edge),
         num(bottom_edge + 5));
  }
  for (double t : yt.values) {
    emit(o, "<line x1=\"{1}\" y1=\"{0}\" x2=\"{2}\" y2=\"{0}\"/>\n", num(l.py(t)), num(l.left - 5),
         num(l.left));
  }
  emit(o, "</g>\n");
  emit(o, "<g id=\"tick-labels\" font-size=\"{}\">\n", tick_size);
  for (std::size_t i = 0; i < xt.values.size(); ++i) {
    emit(o, "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n", X(xt.values[i]),
         num(bottom_edge + 19), escape(xt.labels[i]));
  }
  for (std::size_t i = 0; i < yt.values.size(); ++i) {
    emit(o, "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\n", num(l.left - 8),
         num(l.py(yt.values[i]) + 4), escape(yt.labels[i]));
  }
  emit(o, "</g>\n");
}

void titles(std::string& o, const plot_data& d, const svg_layout& l) {
  const double bottom_edge = l.top + l.height;
  if (!d.x_label.empty()) {
    emit(o, "<text x=\"{}\" y=\"{}\" font-size=\"{}\" text-anchor=\"middle\">{}</text>\n",
         num(l.left + l.width / 2), num(bottom_edge + 42), label_size, escape(d.x_label));
  }
  if (!d.y_label.empty()) {
    emit(o,
         "<text transform=\"translate({},{}) rotate(-90)\" font-size=\"{}\" "
         "text-anchor=\"middle\">{}</text>\n",
         num(18), num(l.top + l.height / 2), label_size, escape(d.y_label));
  }
  if (!d.title.empty()) {
    emit(o,
         "<text x=\"{}\" y=\"{}\" font-size=\"{}\" font-weight=\"bold\" text-anchor=\"middle\">{}"
         "</text>\n",
         num(l.left + l.width / 2), num(28), title_size, escape(d.title));
  }
}

/// A legend entry's swatch, centred on the line at y, from x.
void swatch(std::string& o, const legend_entry& e, double x, double y, bool under_prediction) {
  const auto rect = [&](std::uint32_t c, double opacity) {
    emit(o,
         "<rect x=\"{}\" y=\"{}\" width=\"24\" height=\"12\" fill=\"{}\" fill-opacity=\"{}\"/>\n",
         num(x), num(y - 6), colour(c), opacity);
  };
  switch (e.kind) {
    case layer_kind::points:
      emit(o, "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{}\"/>\n", num(x + 12), num(y),
           svg_style::point_radius, colour(svg_style::point));
      return;
    case layer_kind::curve:
      emit(o,
           "<line x1=\"{0}\" y1=\"{2}\" x2=\"{1}\" y2=\"{2}\" stroke=\"{3}\" "
           "stroke-width=\"{4}\"/>\n",
           num(x), num(x + 24), num(y), colour(series_colour(e.series)), svg_style::curve_width);
      return;
    case layer_kind::confidence_band:
      // The confidence band lies over the prediction band: so does its swatch.
      if (under_prediction) rect(series_colour(e.series), svg_style::prediction_opacity);
      return rect(series_colour(e.series), svg_style::confidence_opacity);
    case layer_kind::prediction_band:
      return rect(series_colour(e.series), svg_style::prediction_opacity);
    case layer_kind::extrapolation:
      return rect(svg_style::extrapolation, 1);
    case layer_kind::hidden_extrapolation:
      return rect(svg_style::hidden_extrapolation, 1);
    case layer_kind::training_edges:
      emit(o,
           "<line x1=\"{0}\" y1=\"{2}\" x2=\"{1}\" y2=\"{2}\" stroke=\"{3}\" stroke-width=\"1.5\" "
           "stroke-dasharray=\"6,4\"/>\n",
           num(x), num(x + 24), num(y), colour(svg_style::edge));
      return;
    case layer_kind::reference_line:
    case layer_kind::contour:
      emit(o,
           "<line x1=\"{0}\" y1=\"{2}\" x2=\"{1}\" y2=\"{2}\" stroke=\"{3}\" stroke-width=\"1\" "
           "stroke-dasharray=\"{4}\"/>\n",
           num(x), num(x + 24), num(y),
           colour(e.kind == layer_kind::contour ? svg_style::contour : svg_style::reference),
           e.kind == layer_kind::contour ? "6,4" : "2,3");
      return;
    case layer_kind::labels:
      return;
    case layer_kind::trust_range:
      emit(o,
           "<path d=\"M{0} {1}V{2}M{0} {3}H{4}M{4} {1}V{2}\" stroke=\"{5}\" stroke-width=\"2\" "
           "fill=\"none\"/>\n",
           num(x + 1), num(y - 5), num(y + 5), num(y), num(x + 23), colour(svg_style::trust));
      return;
  }
}

/// The legend, right of the plot area. The extrapolation entry shows only
/// with a zone; the trust range's whenever one was asked for, so that a
/// reader learns it lies outside the picture.
void legend(std::string& o, const plot_scene& s, const svg_layout& l, bool zones_shown,
            bool hidden_shown) {
  std::vector<const legend_entry*> entries;
  for (const legend_entry& e : s.legend) {
    if (e.kind == layer_kind::extrapolation && !zones_shown) continue;
    if (e.kind == layer_kind::hidden_extrapolation && !hidden_shown) continue;
    entries.push_back(&e);
  }
  if (entries.empty()) return;
  const bool has_prediction_band = s.has(layer_kind::prediction_band);
  const double x = l.left + l.width + 16;
  double y = l.top + 10;
  emit(o, "<g id=\"legend\" font-size=\"{}\">\n", legend_size);
  for (const legend_entry* e : entries) {
    swatch(o, *e, x, y, has_prediction_band);
    emit(o, "<text x=\"{}\" y=\"{}\">{}</text>\n", num(x + 32), num(y + 4),
         escape(e->labels[0], legend_max_chars));
    y += legend_line;
  }
  emit(o, "</g>\n");
}

}  // namespace

svg_layout svg_plot_layout(const plot_data& d, int width_px, int height_px) {
  check_size(width_px, height_px);
  return layout_of(d, make_scene(d), width_px, height_px);
}

std::string render_svg(const plot_data& d, int width_px, int height_px) {
  validate_plot(d);
  check_size(width_px, height_px);
  const plot_scene s = make_scene(d);
  const svg_layout l = layout_of(d, s, width_px, height_px);
  strata layers;
  painter p{l, layers};
  for (const scene_layer& layer : s.layers) p.draw(layer);

  std::string o;
  head(o, d, l, width_px, height_px);
  o += layers.under;
  emit(o, "<g clip-path=\"url(#plot-area)\">\n");
  o += layers.clipped;
  emit(o, "</g>\n");
  o += layers.over;
  axes(o, s, l);
  titles(o, d, l);
  legend(o, s, l, p.zones_shown, p.hidden_shown);
  emit(o, "</svg>\n");
  return o;
}

}  // namespace regress

namespace regress {

std::string render_svg_panels(const std::vector<plot_data>& panels, const std::string& title,
                              int width_px, int height_px) {
  check_size(width_px, height_px);
  const int columns = panels.size() > 1 ? 2 : 1;
  const int rows = std::max(1, static_cast<int>((panels.size() + 1) / 2));
  const int title_px = title.empty() ? 0 : 30;
  const int w = width_px / columns, h = (height_px - title_px) / rows;
  if (w < 200 || h < 200) {
    throw usage_error(fmt::format("plot: {} panels need an SVG of at least {}x{} pixels, not {}x{}",
                                  panels.size(), 200 * columns, 200 * rows + title_px, width_px,
                                  height_px));
  }
  std::string o;
  emit(o, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n");
  emit(o,
       "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"{0}\" height=\"{1}\" "
       "viewBox=\"0 0 {0} {1}\" font-family=\"DejaVu Sans, Verdana, Arial, sans-serif\" "
       "font-size=\"{2}\" fill=\"{3}\">\n",
       width_px, height_px, tick_size, colour(svg_style::text));
  if (!title.empty()) emit(o, "<title>{}</title>\n", escape(title));
  emit(o, "<rect x=\"0\" y=\"0\" width=\"{}\" height=\"{}\" fill=\"{}\"/>\n", width_px, height_px,
       colour(svg_style::background));
  if (!title.empty()) {
    emit(o,
         "<text x=\"{}\" y=\"{}\" font-size=\"{}\" font-weight=\"bold\" "
         "text-anchor=\"middle\">{}</text>\n",
         num(width_px / 2.0), num(22), title_size, escape(title));
  }
  for (std::size_t i = 0; i < panels.size(); ++i) {
    std::string panel = render_svg(panels[i], w, h);
    // Each panel is a nested <svg> at its place, its ids (the clip path's
    // above all) prefixed so that they stay unique in the document. No text
    // of a label can match: escape() turns every '"' into &quot;.
    panel.erase(0, panel.find('\n') + 1);
    const std::string prefix = fmt::format("panel{}-", i + 1);
    const std::string open = "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" ";
    panel.replace(0, open.size(),
                  fmt::format("<svg x=\"{}\" y=\"{}\" ", static_cast<int>(i % 2) * w,
                              title_px + static_cast<int>(i / 2) * h));
    const std::pair<std::string, std::string> renames[] = {
        {" id=\"", " id=\"" + prefix}, {"clip-path=\"url(#", "clip-path=\"url(#" + prefix}};
    for (const auto& [from, to] : renames) {
      for (std::size_t at = panel.find(from); at != std::string::npos;
           at = panel.find(from, at + to.size())) {
        panel.replace(at, from.size(), to);
      }
    }
    o += panel;
  }
  emit(o, "</svg>\n");
  return o;
}

}  // namespace regress
