#pragma once
/// \file predict.hpp
/// Predictions at new points, as R's predict.lm(se.fit = TRUE, interval = ...),
/// with each point's leverage and where it lies relative to the training data.

#include <cstddef>
#include <string>
#include <vector>

#include "regress/model/model.hpp"

namespace regress {

enum class interval_kind { prediction, confidence };

/// Where a point lies: for one predictor inside/below/above its training range;
/// with several, outside when any predictor leaves its range, hidden when all
/// are inside but the leverage exceeds the largest training leverage.
/// With factors, the ranges are those within the row's own cell of the
/// factors (a combination of their levels): a row inside the overall range
/// but beyond its cell's is below/above/outside too. new_level: a factor
/// level never seen in training (no prediction).
enum class region { inside, below, above, outside, hidden, new_level };

const char* to_string(region r) noexcept;

struct prediction {
  double fit;
  double se_fit;  ///< standard error of the mean response (R's se.fit)
  double lwr;
  double upr;
  double leverage;  ///< x0'(X'X)^-1 x0 (inf where it overflows)
  region where;
  double leverage_root = 0;  ///< sqrt(leverage), finite far out where the leverage overflows
};

/// Predicts at one point given its predictor values (one per predictor, in
/// spec order). `level` in (0,1).
prediction predict_one(const model& m, const double* predictor_values, interval_kind kind,
                       double level);

/// Predicts at one row of a formula model (model::terms): its values of the
/// model's columns. `weight` is the row's prediction weight (a weighted fit's
/// prediction variance is sigma^2 / weight, as predict.lm's pred.var). A
/// factor level never seen in training gives region::new_level, NaN numbers
/// and the variable's index in `*unseen` (when not null).
prediction predict_row(const model& m, const row_values& row, interval_kind kind, double level,
                       double weight = 1, std::size_t* unseen = nullptr);

/// Where a row of a formula model lies: its columns against the ranges
/// (within its cell of the factors, when there are factors) and the largest
/// training leverage.
region locate_row(const model& m, const row_values& row, double leverage);

/// Where a point lies (see region).
region locate(const model& m, const double* predictor_values, double leverage);

/// Per-stream account of extrapolation, for the one-line stderr note.
struct extrapolation_tally {
  std::size_t rows = 0;
  std::size_t extrapolated = 0;     ///< rows not inside
  std::size_t hidden = 0;           ///< of which hidden extrapolations
  double max_distance = 0;          ///< farthest beyond a range, in training spans
  double widening_at_farthest = 1;  ///< prediction-interval widening at that row
  double max_widening = 1;          ///< largest widening among the extrapolated rows
  std::size_t widest_row = 0;       ///< 1-based row of that widening (0: none yet)
  std::string widest_point;         ///< its predictor values, "speed = 40"
  void add(const model& m, const double* predictor_values, const prediction& p);
  /// The one-line account for stderr (without the "regress: warning: ").
  std::string message() const;

 private:
  double narrowest_ = -1;  // cached narrowest leverage inside the data
};

/// Prediction-interval width at leverage h over its narrowest width inside
/// the data (at leverage `narrowest`, see explore.hpp's narrowest_leverage).
double widening(double leverage, double narrowest);

/// widening() of a prediction's leverage; finite (from its leverage_root)
/// where the leverage itself overflows.
double widening(const prediction& p, double narrowest);

}  // namespace regress
