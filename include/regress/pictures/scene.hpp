#pragma once
/// \file scene.hpp
/// The one description both renderers draw: from a plot_data, the extent of
/// the data, the ordered layers and the legend entries with their labels,
/// decided once. A renderer only maps the scene to its medium (cells or
/// pixels): it walks `layers` bottom to top, lists `legend` in order, and
/// derives its ticks from `extent` with nice_ticks at the density its medium
/// allows.
///
/// Layers, bottom to top:
///   extrapolation      the x ranges outside [train_min, train_max], shaded
///   hidden_extrapolation  one per hidden stretch [lo, hi], shaded
///   prediction_band    one per series with a prediction band, in series order
///   confidence_band    one per series with a confidence band, in series order
///   training_edges     the training range's known ends
///   curve              one per fitted series, in series order
///   reference_line     one per reference-line series, in series order
///   contour            one per contour series, in series order
///   trust_range        the trust range, if asked for
///   points             the training data, if any
///   labels             the texts beside points, if any
/// A layer is listed when the description asks for it; whether it leaves a
/// mark (a band of NaNs, a trust range outside the picture) is the medium's
/// business, since it depends on the medium's resolution.
///
/// Legend entries, in order: data (or the description's points_label), each
/// fitted series by name ("fit k" for an unnamed k-th series), each named
/// contour, the confidence band,
/// the prediction band (both once, for all series, in series 0's colour), the
/// training range, extrapolation, hidden extrapolation, the trust range. Each names the layer whose
/// mark is its swatch. Whether a mark shows is again the medium's business: both renderers leave
/// out the extrapolation entry when they shade nothing; the terminal, short of room, also leaves
/// out the trust range's when it lies off the axis, while the SVG keeps it so that a reader learns
/// the range was asked for.

#include <array>
#include <cstddef>
#include <limits>
#include <string>
#include <vector>

#include "regress/pictures/plot.hpp"

namespace regress {

/// What a layer draws (see the table above).
enum class layer_kind {
  extrapolation,
  hidden_extrapolation,
  prediction_band,
  confidence_band,
  training_edges,
  curve,
  reference_line,
  contour,
  trust_range,
  points,
  labels
};

/// One layer of a scene. The vectors belong to the plot_data the scene was
/// made from, which must outlive the scene.
struct scene_layer {
  layer_kind kind;
  /// Bands, curves and guides: the series drawn, which also picks its colour.
  std::size_t series = 0;
  /// Bands and curves: the series' x; points: point_x.
  const std::vector<double>* x = nullptr;
  /// Curves: the fit; points: point_y; bands: the lower side.
  const std::vector<double>* y = nullptr;
  /// Bands: the upper side.
  const std::vector<double>* y_upper = nullptr;
  /// extrapolation and training_edges: train_min and train_max (NaN: that side
  /// unknown); hidden_extrapolation: the stretch's ends; trust_range: the
  /// trust range's ends as given (unclamped).
  double lo = std::numeric_limits<double>::quiet_NaN();
  double hi = std::numeric_limits<double>::quiet_NaN();
  /// labels: the description's labels.
  const std::vector<plot_label>* labels = nullptr;

  /// For an extrapolation layer: whether x lies outside the training range
  /// (strictly beyond a known end). False for NaN.
  bool outside(double x_value) const;
};

/// One legend entry: the layer whose mark is its swatch (and, for a curve, the
/// series), and its label in three lengths for media short of room.
struct legend_entry {
  layer_kind kind;
  std::size_t series = 0;
  std::array<std::string, 3> labels;  ///< full, medium, short; UTF-8 as given
};

/// Everything a renderer draws, decided once.
struct plot_scene {
  plot_extent extent;  ///< data_extent of the description
  std::vector<scene_layer> layers;
  std::vector<legend_entry> legend;

  /// Whether some layer has this kind.
  bool has(layer_kind kind) const;
  /// The first layer of this kind; nullptr if none.
  const scene_layer* find(layer_kind kind) const;
};

/// The scene of `d`. Reads the lengths of d's vectors only where they are
/// consistent (validate_plot states what is); never throws for data. The scene
/// refers to d's vectors: keep d alive and unchanged while it is used.
plot_scene make_scene(const plot_data& d);

}  // namespace regress
