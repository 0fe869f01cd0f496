#include "regress/pictures/scene.hpp"

#include <catch2/catch.hpp>
#include <limits>
#include <string>
#include <vector>

#include "regress/pictures/plot.hpp"

using namespace regress;

namespace {

const double not_a_number = std::numeric_limits<double>::quiet_NaN();

plot_series series(std::string name, bool conf, bool pred) {
  plot_series s;
  s.name = std::move(name);
  s.x = {0, 1, 2};
  s.fit = {1, 2, 3};
  if (conf) {
    s.conf_lwr = {0.5, 1.5, 2.5};
    s.conf_upr = {1.5, 2.5, 3.5};
  }
  if (pred) {
    s.pred_lwr = {0, 1, 2};
    s.pred_upr = {2, 3, 4};
  }
  return s;
}

/// Everything a picture can show: points, two series (the second unnamed,
/// with a prediction band only), a training range, a trust range, a level.
plot_data full() {
  plot_data d;
  d.point_x = {0.5, 1.5};
  d.point_y = {1.4, 2.6};
  d.series = {series("degree 1", true, true), series("", false, true)};
  d.train_min = 0.5;
  d.train_max = 1.5;
  d.trust = std::make_pair(0.0, 2.0);
  d.level = 0.9;
  return d;
}

std::vector<layer_kind> kinds(const plot_scene& s) {
  std::vector<layer_kind> v;
  for (const scene_layer& l : s.layers) v.push_back(l.kind);
  return v;
}

}  // namespace

TEST_CASE("a scene stacks its layers from shading to points, bands of all series under curves",
          "[scene]") {
  const plot_data d = full();
  const plot_scene s = make_scene(d);
  using k = layer_kind;
  CHECK(kinds(s) == std::vector<layer_kind>{k::extrapolation, k::prediction_band,
                                            k::prediction_band, k::confidence_band,
                                            k::training_edges, k::curve, k::curve, k::trust_range,
                                            k::points});
  // Each band and curve draws its own series' vectors.
  CHECK(s.layers[1].series == 0);
  CHECK(s.layers[1].y == &d.series[0].pred_lwr);
  CHECK(s.layers[1].y_upper == &d.series[0].pred_upr);
  CHECK(s.layers[2].series == 1);
  CHECK(s.layers[3].y == &d.series[0].conf_lwr);
  CHECK(s.layers[6].series == 1);
  CHECK(s.layers[6].y == &d.series[1].fit);
  CHECK(s.layers[8].x == &d.point_x);
  CHECK(s.layers[7].lo == 0.0);
  CHECK(s.layers[7].hi == 2.0);
}

TEST_CASE("a scene's legend names every layer once, in a reader's order, in three lengths",
          "[scene]") {
  const plot_scene s = make_scene(full());
  std::vector<std::string> full_labels, short_labels;
  for (const legend_entry& e : s.legend) {
    full_labels.push_back(e.labels[0]);
    short_labels.push_back(e.labels[2]);
  }
  CHECK(full_labels == std::vector<std::string>{"data", "degree 1", "fit 2", "90% confidence band",
                                                "90% prediction band", "training range",
                                                "extrapolation", "trust range"});
  CHECK(short_labels == std::vector<std::string>{"data", "degree 1", "fit 2", "90% conf",
                                                 "90% pred", "train", "extrap", "trust"});
  CHECK(s.legend[2].kind == layer_kind::curve);
  CHECK(s.legend[2].series == 1);
  // One entry per kind of band, in series 0's colour.
  CHECK(s.legend[3].kind == layer_kind::confidence_band);
  CHECK(s.legend[3].series == 0);
}

TEST_CASE("an empty description makes an empty scene over the unit square", "[scene]") {
  const plot_scene s = make_scene(plot_data{});
  CHECK(s.layers.empty());
  CHECK(s.legend.empty());
  CHECK(s.extent.x_min == 0);
  CHECK(s.extent.x_max == 1);
  CHECK(s.extent.y_min == 0);
  CHECK(s.extent.y_max == 1);
}

TEST_CASE("without a level the bands' legend says just confidence and prediction", "[scene]") {
  plot_data d;
  d.series = {series("a", true, true)};
  const plot_scene s = make_scene(d);
  REQUIRE(s.legend.size() == 3);
  CHECK(s.legend[1].labels[1] == "confidence");
  CHECK(s.legend[2].labels[0] == "prediction band");
  CHECK_FALSE(s.has(layer_kind::extrapolation));
  CHECK(s.find(layer_kind::trust_range) == nullptr);
}

TEST_CASE("extrapolation is strictly beyond a known end of the training range", "[scene]") {
  plot_data d;
  d.train_min = 1;
  const plot_scene s = make_scene(d);
  const scene_layer* e = s.find(layer_kind::extrapolation);
  REQUIRE(e != nullptr);
  CHECK(e->outside(0.5));
  CHECK_FALSE(e->outside(1));
  CHECK_FALSE(e->outside(1e9));  // the upper end is not known
  CHECK_FALSE(e->outside(not_a_number));
  REQUIRE(s.legend.size() == 2);
  CHECK(s.legend[0].labels[0] == "training range");
  CHECK(s.legend[1].labels[0] == "extrapolation");
}
