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

namespace regress {
namespace {

constexpr double title_size = 16, label_size = 13, tick_size = 12, legend_size = 12;
constexpr double legend_line = 20;
constexpr std::size_t legend_max_chars = 28;

/// A coordinate: 2 decimals, clamped far outside any picture so that an
/// infinite value cannot produce "inf", never "-0.00".
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

axis_ticks y_ticks(const plot_data& d, double height) {
  const plot_extent e = data_extent(d);
  return nice_ticks(e.y_min, e.y_max, std::max(2, static_cast<int>(height / 50)), true);
}

struct legend_entry {
  enum kind_t { point, line, band, dashed, shade, bracket } kind;
  std::uint32_t colour;
  double opacity;
  std::string label;
};

std::vector<legend_entry> legend_entries(const plot_data& d, bool any_extrapolation) {
  std::vector<legend_entry> v;
  if (!d.point_x.empty()) v.push_back({legend_entry::point, svg_style::point, 1, "data"});
  bool conf = false, pred = false;
  for (std::size_t k = 0; k < d.series.size(); ++k) {
    const plot_series& s = d.series[k];
    conf = conf || !s.conf_lwr.empty();
    pred = pred || !s.pred_lwr.empty();
    v.push_back({legend_entry::line, series_colour(k), 1,
                 s.name.empty() ? fmt::format("fit {}", k + 1) : s.name});
  }
  const std::string pct = detail::percent_label(d.level);
  if (conf) {
    v.push_back({legend_entry::band, series_colour(0), svg_style::confidence_opacity,
                 pct + "confidence band"});
  }
  if (pred) {
    v.push_back({legend_entry::band, series_colour(0), svg_style::prediction_opacity,
                 pct + "prediction band"});
  }
  if (std::isfinite(d.train_min) || std::isfinite(d.train_max)) {
    v.push_back({legend_entry::dashed, svg_style::edge, 1, "training range"});
  }
  if (any_extrapolation)
    v.push_back({legend_entry::shade, svg_style::extrapolation, 1, "extrapolation"});
  if (d.trust) v.push_back({legend_entry::bracket, svg_style::trust, 1, "trust range"});
  return v;
}

void check_size(int width_px, int height_px) {
  if (width_px < 200 || height_px < 200 || width_px > 20000 || height_px > 20000) {
    throw usage_error(fmt::format("plot: an SVG must be 200 to 20000 pixels each way, not {}x{}",
                                  width_px, height_px));
  }
}

}  // namespace

svg_layout svg_plot_layout(const plot_data& d, int width_px, int height_px) {
  check_size(width_px, height_px);
  const double W = width_px, H = height_px;
  svg_layout l;
  l.top = d.title.empty() ? 20 : 44;
  const double bottom = d.x_label.empty() ? 34 : 56;
  l.height = H - l.top - bottom;

  const axis_ticks yt = y_ticks(d, l.height);
  std::size_t widest = 0;
  for (const std::string& s : yt.labels) widest = std::max(widest, s.size());
  l.left = std::min(W / 3, (d.y_label.empty() ? 12.0 : 34.0) +
                               0.6 * tick_size * static_cast<double>(widest) + 10);

  double legend_w = 0;
  for (const legend_entry& e : legend_entries(d, true)) {
    legend_w = std::max(legend_w, 30 + text_width(e.label, legend_size));
  }
  const double right = std::clamp(legend_w + 28, 120.0, W / 3);
  l.width = W - l.left - right;

  const plot_extent e = data_extent(d);
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

std::string render_svg(const plot_data& d, int width_px, int height_px) {
  validate_plot(d);
  const svg_layout l = svg_plot_layout(d, width_px, height_px);
  const double right_edge = l.left + l.width, bottom_edge = l.top + l.height;
  const auto X = [&](double x) { return num(l.px(x)); };
  const auto Y = [&](double y) { return num(l.py(y)); };
  std::string o;

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

  // Extrapolation zones: the plot area outside the training range.
  struct zone {
    double a, b;  // px
  };
  std::vector<zone> zones;
  if (std::isfinite(d.train_min) && d.train_min > l.x_min) {
    zones.push_back({l.left, std::min(l.px(d.train_min), right_edge)});
  }
  if (std::isfinite(d.train_max) && d.train_max < l.x_max) {
    zones.push_back({std::max(l.px(d.train_max), l.left), right_edge});
  }
  if (!zones.empty()) {
    emit(o, "<g id=\"extrapolation\" fill=\"{}\" stroke=\"none\">\n",
         colour(svg_style::extrapolation));
    for (const zone& z : zones) {
      emit(o, "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>\n", num(z.a), num(l.top),
           num(z.b - z.a), num(l.height));
    }
    emit(o, "</g>\n");
  }

  // Bands (prediction under confidence), then edges, then curves, clipped.
  emit(o, "<g clip-path=\"url(#plot-area)\">\n");
  const auto band = [&](const plot_series& s, const std::vector<double>& lwr,
                        const std::vector<double>& upr, std::uint32_t c, double opacity,
                        const char* cls) {
    if (lwr.empty()) return;
    std::size_t i = 0;
    while (i < s.x.size()) {
      const auto ok = [&](std::size_t j) {
        return std::isfinite(s.x[j]) && std::isfinite(lwr[j]) && std::isfinite(upr[j]);
      };
      if (!ok(i)) {
        ++i;
        continue;
      }
      std::size_t j = i;
      while (j < s.x.size() && ok(j)) ++j;
      if (j - i >= 2) {
        std::string pts;
        for (std::size_t k = i; k < j; ++k) pts += X(s.x[k]) + "," + Y(upr[k]) + " ";
        for (std::size_t k = j; k-- > i;) pts += X(s.x[k]) + "," + Y(lwr[k]) + (k > i ? " " : "");
        emit(o,
             "<polygon class=\"{}\" points=\"{}\" fill=\"{}\" fill-opacity=\"{}\" "
             "stroke=\"none\"/>\n",
             cls, pts, colour(c), opacity);
      }
      i = j;
    }
  };
  for (std::size_t k = 0; k < d.series.size(); ++k) {
    band(d.series[k], d.series[k].pred_lwr, d.series[k].pred_upr, series_colour(k),
         svg_style::prediction_opacity, "prediction-band");
  }
  for (std::size_t k = 0; k < d.series.size(); ++k) {
    band(d.series[k], d.series[k].conf_lwr, d.series[k].conf_upr, series_colour(k),
         svg_style::confidence_opacity, "confidence-band");
  }
  for (double e : {d.train_min, d.train_max}) {
    if (!std::isfinite(e) || e < l.x_min || e > l.x_max) continue;
    emit(o,
         "<line class=\"training-edge\" x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"{3}\" "
         "stroke-width=\"1.5\" stroke-dasharray=\"6,4\"/>\n",
         X(e), num(l.top), num(bottom_edge), colour(svg_style::edge));
  }
  for (std::size_t k = 0; k < d.series.size(); ++k) {
    const plot_series& s = d.series[k];
    std::string pts;
    std::size_t n = 0;
    const auto flush = [&] {
      if (n >= 2) {
        emit(
            o,
            "<polyline class=\"fit\" points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"{}\" "
            "stroke-linejoin=\"round\" stroke-linecap=\"round\"/>\n",
            pts, colour(series_colour(k)), svg_style::curve_width);
      }
      pts.clear();
      n = 0;
    };
    for (std::size_t i = 0; i < s.x.size(); ++i) {
      if (!std::isfinite(s.x[i]) || !std::isfinite(s.fit[i])) {
        flush();
        continue;
      }
      pts += (n ? " " : "") + X(s.x[i]) + "," + Y(s.fit[i]);
      ++n;
    }
    flush();
  }
  emit(o, "</g>\n");

  // Zone labels: across the top when there is room, else down the zone.
  for (const zone& z : zones) {
    const double w = z.b - z.a, c = (z.a + z.b) / 2;
    if (w >= text_width("extrapolation", 11) + 8) {
      emit(o,
           "<text x=\"{}\" y=\"{}\" font-size=\"11\" fill=\"#666666\" text-anchor=\"middle\">"
           "extrapolation</text>\n",
           num(c), num(l.top + 14));
    } else if (w >= 14 && l.height >= text_width("extrapolation", 11) + 12) {
      emit(o,
           "<text transform=\"translate({},{}) rotate(90)\" font-size=\"11\" fill=\"#666666\">"
           "extrapolation</text>\n",
           num(c - 4), num(l.top + 6));
    }
  }

  // Trust range: dotted lines at its ends and a bracket above the x axis.
  if (d.trust && !(d.trust->first > d.trust->second)) {
    const double lo = std::max(d.trust->first, l.x_min), hi = std::min(d.trust->second, l.x_max);
    if (lo <= hi) {
      const double y = bottom_edge - 10;
      emit(o, "<g id=\"trust-range\" stroke=\"{}\" fill=\"none\">\n", colour(svg_style::trust));
      for (double e : {d.trust->first, d.trust->second}) {
        if (e < l.x_min || e > l.x_max) continue;
        emit(o,
             "<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke-width=\"1\" "
             "stroke-dasharray=\"2,3\"/>\n",
             X(e), num(l.top), num(bottom_edge));
        emit(o, "<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke-width=\"2\"/>\n", X(e),
             num(y - 6), num(y + 6));
      }
      emit(o, "<line x1=\"{0}\" y1=\"{2}\" x2=\"{1}\" y2=\"{2}\" stroke-width=\"3\"/>\n", X(lo),
           X(hi), num(y));
      emit(o, "</g>\n");
      emit(o,
           "<text x=\"{}\" y=\"{}\" font-size=\"11\" fill=\"{}\" text-anchor=\"middle\">trust range"
           "</text>\n",
           X((lo + hi) / 2), num(y - 6), colour(svg_style::trust));
    }
  }

  // Points on top.
  bool any_point = false;
  for (std::size_t i = 0; i < d.point_x.size(); ++i) {
    if (!std::isfinite(d.point_x[i]) || !std::isfinite(d.point_y[i])) continue;
    if (!any_point)
      emit(o, "<g id=\"points\" fill=\"{}\" stroke=\"none\">\n", colour(svg_style::point));
    any_point = true;
    emit(o, "<circle cx=\"{}\" cy=\"{}\" r=\"{}\"/>\n", X(d.point_x[i]), Y(d.point_y[i]),
         svg_style::point_radius);
  }
  if (any_point) emit(o, "</g>\n");

  // Axes, ticks and labels.
  emit(o, "<g id=\"axes\" stroke=\"{}\" stroke-width=\"1\" fill=\"none\">\n",
       colour(svg_style::text));
  emit(o, "<path d=\"M{} {}V{}H{}\"/>\n", num(l.left), num(l.top), num(bottom_edge),
       num(right_edge));
  const axis_ticks xt = nice_ticks(l.x_min, l.x_max, std::max(2, static_cast<int>(l.width / 55)));
  const axis_ticks yt = y_ticks(d, l.height);
  for (double t : xt.values) {
    emit(o, "<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\"/>\n", X(t), num(bottom_edge),
         num(bottom_edge + 5));
  }
  for (double t : yt.values) {
    emit(o, "<line x1=\"{1}\" y1=\"{0}\" x2=\"{2}\" y2=\"{0}\"/>\n", Y(t), num(l.left - 5),
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

  // Legend, right of the plot area.
  const std::vector<legend_entry> entries = legend_entries(d, !zones.empty());
  const bool has_prediction_band = std::any_of(
      d.series.begin(), d.series.end(), [](const plot_series& s) { return !s.pred_lwr.empty(); });
  if (!entries.empty()) {
    const double x = right_edge + 16;
    double y = l.top + 10;
    emit(o, "<g id=\"legend\" font-size=\"{}\">\n", legend_size);
    for (const legend_entry& e : entries) {
      const std::string c = colour(e.colour);
      switch (e.kind) {
        case legend_entry::point:
          emit(o, "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{}\"/>\n", num(x + 12), num(y),
               svg_style::point_radius, c);
          break;
        case legend_entry::line:
          emit(o,
               "<line x1=\"{0}\" y1=\"{2}\" x2=\"{1}\" y2=\"{2}\" stroke=\"{3}\" "
               "stroke-width=\"{4}\"/>\n",
               num(x), num(x + 24), num(y), c, svg_style::curve_width);
          break;
        case legend_entry::band:
          // The confidence band lies over the prediction band: so does its swatch.
          if (e.opacity == svg_style::confidence_opacity && has_prediction_band) {
            emit(o,
                 "<rect x=\"{}\" y=\"{}\" width=\"24\" height=\"12\" fill=\"{}\" "
                 "fill-opacity=\"{}\"/>\n",
                 num(x), num(y - 6), c, svg_style::prediction_opacity);
          }
          [[fallthrough]];
        case legend_entry::shade:
          emit(o,
               "<rect x=\"{}\" y=\"{}\" width=\"24\" height=\"12\" fill=\"{}\" "
               "fill-opacity=\"{}\"/>\n",
               num(x), num(y - 6), c, e.opacity);
          break;
        case legend_entry::dashed:
          emit(o,
               "<line x1=\"{0}\" y1=\"{2}\" x2=\"{1}\" y2=\"{2}\" stroke=\"{3}\" "
               "stroke-width=\"1.5\" "
               "stroke-dasharray=\"6,4\"/>\n",
               num(x), num(x + 24), num(y), c);
          break;
        case legend_entry::bracket:
          emit(o,
               "<path d=\"M{0} {1}V{2}M{0} {3}H{4}M{4} {1}V{2}\" stroke=\"{5}\" stroke-width=\"2\" "
               "fill=\"none\"/>\n",
               num(x + 1), num(y - 5), num(y + 5), num(y), num(x + 23), c);
          break;
      }
      emit(o, "<text x=\"{}\" y=\"{}\">{}</text>\n", num(x + 32), num(y + 4),
           escape(e.label, legend_max_chars));
      y += legend_line;
    }
    emit(o, "</g>\n");
  }
  emit(o, "</svg>\n");
  return o;
}

}  // namespace regress
