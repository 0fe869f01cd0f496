#include "regress/pictures/scene.hpp"

#include <fmt/format.h>

#include <cmath>
#include <string>
#include <utility>

namespace regress {

bool scene_layer::outside(double x_value) const {
  return (std::isfinite(lo) && x_value < lo) || (std::isfinite(hi) && x_value > hi);
}

bool plot_scene::has(layer_kind kind) const { return find(kind) != nullptr; }

const scene_layer* plot_scene::find(layer_kind kind) const {
  for (const scene_layer& l : layers) {
    if (l.kind == kind) return &l;
  }
  return nullptr;
}

namespace {

void add_layers(const plot_data& d, std::vector<scene_layer>& layers) {
  const bool train_known = std::isfinite(d.train_min) || std::isfinite(d.train_max);
  if (train_known) {
    layers.push_back(
        {layer_kind::extrapolation, 0, nullptr, nullptr, nullptr, d.train_min, d.train_max});
  }
  for (const auto& [from, to] : d.hidden) {
    layers.push_back({layer_kind::hidden_extrapolation, 0, nullptr, nullptr, nullptr, from, to});
  }
  // Every prediction band lies under every confidence band, so that the
  // narrower band of one series is never hidden by the wider band of another.
  for (std::size_t k = 0; k < d.series.size(); ++k) {
    const plot_series& s = d.series[k];
    if (!s.pred_lwr.empty()) {
      layers.push_back({layer_kind::prediction_band, k, &s.x, &s.pred_lwr, &s.pred_upr});
    }
  }
  for (std::size_t k = 0; k < d.series.size(); ++k) {
    const plot_series& s = d.series[k];
    if (!s.conf_lwr.empty()) {
      layers.push_back({layer_kind::confidence_band, k, &s.x, &s.conf_lwr, &s.conf_upr});
    }
  }
  if (train_known) {
    layers.push_back(
        {layer_kind::training_edges, 0, nullptr, nullptr, nullptr, d.train_min, d.train_max});
  }
  // Fits, then the guides that help read them: reference lines under contours.
  for (const auto& [kind, layer] : {std::pair{series_kind::fit, layer_kind::curve},
                                    std::pair{series_kind::reference, layer_kind::reference_line},
                                    std::pair{series_kind::contour, layer_kind::contour}}) {
    for (std::size_t k = 0; k < d.series.size(); ++k) {
      if (d.series[k].kind == kind) layers.push_back({layer, k, &d.series[k].x, &d.series[k].fit});
    }
  }
  if (d.trust) {
    layers.push_back(
        {layer_kind::trust_range, 0, nullptr, nullptr, nullptr, d.trust->first, d.trust->second});
  }
  if (!d.point_x.empty()) {
    layers.push_back({layer_kind::points, 0, &d.point_x, &d.point_y});
  }
  if (!d.labels.empty()) {
    scene_layer l{layer_kind::labels};
    l.labels = &d.labels;
    layers.push_back(l);
  }
}

legend_entry entry(layer_kind kind, std::string full, std::string medium, std::string brief) {
  return {kind, 0, {std::move(full), std::move(medium), std::move(brief)}};
}

/// The legend follows the layers it names, but in the order a reader looks
/// for them: what was measured and fitted first, then how far to trust it.
std::vector<legend_entry> legend_of(const plot_data& d, const plot_scene& s) {
  std::vector<legend_entry> v;
  if (s.has(layer_kind::points)) {
    const std::string p = d.points_label.empty() ? "data" : d.points_label;
    v.push_back(entry(layer_kind::points, p, p.substr(0, p.find(" (")), p.substr(0, p.find(' '))));
  }
  for (std::size_t k = 0; k < d.series.size(); ++k) {
    if (d.series[k].kind != series_kind::fit) continue;
    const std::string name =
        d.series[k].name.empty() ? fmt::format("fit {}", k + 1) : d.series[k].name;
    v.push_back({layer_kind::curve, k, {name, name, name}});
  }
  for (std::size_t k = 0; k < d.series.size(); ++k) {
    const std::string& name = d.series[k].name;
    if (d.series[k].kind == series_kind::contour && !name.empty()) {
      v.push_back({layer_kind::contour, k, {name, name, name}});
    }
  }
  const std::string pct = detail::percent_label(d.level);
  if (s.has(layer_kind::confidence_band)) {
    v.push_back(entry(layer_kind::confidence_band, pct + "confidence band", pct + "confidence",
                      pct + "conf"));
  }
  if (s.has(layer_kind::prediction_band)) {
    v.push_back(entry(layer_kind::prediction_band, pct + "prediction band", pct + "prediction",
                      pct + "pred"));
  }
  if (s.has(layer_kind::training_edges)) {
    v.push_back(entry(layer_kind::training_edges, "training range", "training", "train"));
  }
  if (s.has(layer_kind::extrapolation)) {
    v.push_back(entry(layer_kind::extrapolation, "extrapolation", "extrapolation", "extrap"));
  }
  if (s.has(layer_kind::hidden_extrapolation)) {
    v.push_back(entry(layer_kind::hidden_extrapolation, "hidden extrapolation", "hidden extrap.",
                      "hidden"));
  }
  if (s.has(layer_kind::trust_range)) {
    v.push_back(entry(layer_kind::trust_range, "trust range", "trust", "trust"));
  }
  return v;
}

}  // namespace

plot_scene make_scene(const plot_data& d) {
  plot_scene s;
  s.extent = data_extent(d);
  add_layers(d, s.layers);
  s.legend = legend_of(d, s);
  return s;
}

}  // namespace regress
