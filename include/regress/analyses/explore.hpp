#pragma once
/// \file explore.hpp
/// How uncertainty grows away from the data: a sweep of one predictor with the
/// others held, the trust range where the prediction interval stays within a
/// bound, and where competing models stop agreeing.

#include <cstddef>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "regress/model/model.hpp"
#include "regress/model/predict.hpp"

namespace regress {

/// The line along which a sweep runs: predictor `along` varies, every other
/// predictor is held at `hold[j]` (hold has one value per predictor; the
/// entry for `along` is ignored).
struct sweep_line {
  std::size_t along = 0;
  std::vector<double> hold;
};

/// The usual line: sweep `along`, others at their training means.
sweep_line line_at_means(const model& m, std::size_t along);

struct sweep_row {
  double x;  ///< value of the swept predictor
  double fit, se_fit;
  double conf_lwr, conf_upr, pred_lwr, pred_upr;
  double widening;  ///< prediction-interval width / its narrowest inside the data
  double distance;  ///< 0 inside the training range, else spans beyond the nearest edge
  double leverage;
  double leverage_ratio;  ///< leverage / largest training leverage
  region where;
};

/// The smallest leverage inside the data, where the prediction interval is
/// narrowest: along the line through the predictors' means with the swept
/// predictor inside its training range (1/n for a straight line with an
/// intercept: the centre of the data). The line's held values are ignored on
/// purpose, so that widening always compares with the best-supported point,
/// wherever a sweep runs, and explore and predict agree on it.
double narrowest_leverage(const model& m, const sweep_line& line);

/// Rows at `steps` evenly spaced values from `from` to `to` (steps >= 2).
std::vector<sweep_row> sweep(const model& m, const sweep_line& line, double from, double to,
                             std::size_t steps, double level);

/// One row of a sweep at x (the building block of sweep()).
sweep_row sweep_at(const model& m, const sweep_line& line, double x, double level,
                   double narrowest);

/// Bounds that define a trust range; at least one must be set.
struct trust_bounds {
  std::optional<double> max_widening;   ///< > 1: prediction interval width over its narrowest
  std::optional<double> max_halfwidth;  ///< > 0: half-width of the prediction interval
};

/// The interval of the swept predictor around the data's centre where every
/// bound holds: closed form for a straight line (the leverage is quadratic in
/// x), bisection on each side for a polynomial. `empty` when no x satisfies
/// the bounds; a side never reached is +-inf.
struct trust_range {
  double lower = -std::numeric_limits<double>::infinity();
  double upper = std::numeric_limits<double>::infinity();
  bool empty = false;
};
trust_range solve_trust(const model& m, const sweep_line& line, const trust_bounds& bounds,
                        double level);

/// The largest leverage at which every bound holds: the prediction half-width
/// is t s sqrt(1 + h) and the widening sqrt((1 + h) / (1 + h_narrowest)), so
/// each bound is a ceiling on h. Throws usage_error for missing or invalid
/// bounds. A point is inside the trust range when its leverage is at most this.
double leverage_ceiling(const model& m, const sweep_line& line, const trust_bounds& bounds,
                        double level);

/// True when x lies in the range (false for an empty range).
bool contains(const trust_range& t, double x);

/// Where two models' predictions differ by more than either model's own
/// prediction half-width: intervals of x over a sweep grid.
struct disagreement {
  std::string first, second;
  std::vector<std::pair<double, double>> where;  ///< [from, to] runs of grid points
};
disagreement compare_models(const std::string& first, const std::vector<sweep_row>& a,
                            const std::string& second, const std::vector<sweep_row>& b);

}  // namespace regress
