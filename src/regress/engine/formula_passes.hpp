#pragma once
// Internal to the engine: what one chunk yields in each pass of a formula fit
// (formula_passes.cpp).

#include <cstddef>
#include <vector>

#include "regress/engine/records.hpp"
#include "regress/model/double_double.hpp"
#include "regress/model/formula_stats.hpp"
#include "regress/model/robust.hpp"

namespace regress::engine {

/// What the first pass learns from one chunk.
struct formula_pass1 {
  formula_stats stats;
  chunk_error error;
  std::size_t lines = 0;
};

/// What the second pass learns from one chunk.
struct formula_pass2 {
  chunk_error error;
  dd rss;
  double max_leverage = 0;
  std::vector<double> residuals;
  std::vector<std::size_t> records;  // with residuals: each one's record in the chunk
  std::size_t record_count = 0;
  meat_sum meat;  ///< with a robust covariance
};

}  // namespace regress::engine
