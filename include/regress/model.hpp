#pragma once
/// \file model.hpp
/// A fitted model: the spec, the numeric fit and what the training data looked
/// like (ranges, largest leverage). Everything predict() and summarize() need,
/// and exactly what a model file stores.

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "regress/design.hpp"
#include "regress/model_spec.hpp"
#include "regress/ols.hpp"

namespace regress {

struct model {
  model_spec spec;
  std::vector<std::string> slope_terms;  ///< k slope-term names
  ols_fit fit;
  std::vector<predictor_range> ranges;   ///< one per predictor
  double max_leverage = 0;               ///< largest training-row leverage
  /// Min, 1Q, median, 3Q, max of the residuals (R's quantile type 7), when the
  /// training rows were at hand; not stored in model files.
  std::optional<std::array<double, 5>> residual_quantiles;
  std::size_t rows_dropped = 0;          ///< not stored in model files
};

/// Fits `spec` to `d`. Throws model_error for rank deficiency or n <= p.
model fit_model(const model_spec& spec, const design& d);

}  // namespace regress
