#pragma once
// Internal to the engine: what one chunk yields in each pass of a formula fit
// (formula_passes.cpp).

#include <cstddef>
#include <memory>
#include <vector>

#include "regress/engine/engine.hpp"
#include "regress/engine/input.hpp"
#include "regress/engine/progress.hpp"
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

/// What each pass learns from one chunk for several formulas at once (one
/// scan with the union of their columns, formula_fits.hpp): one error, and
/// each formula's own result.
struct shared_pass1 {
  chunk_error error;
  std::vector<formula_pass1> each;
};
struct shared_pass2 {
  chunk_error error;
  std::vector<formula_pass2> each;
};

/// What a caller's row pass (engine.hpp's row_pass) gathers from one chunk.
struct formula_row_pass {
  chunk_error error;
  std::unique_ptr<row_chunk> chunk;
  std::size_t record_count = 0;
};

/// Runs the caller's row pass over the rows of the fitted model `m`
/// (row_pass.cpp): `l` reads the plan's columns from [begin, map's end).
void run_row_pass(const model& m, const formula_plan& plan, mapped_file& map, const char* begin,
                  const layout& l, const engine_options& o, unsigned threads,
                  progress_line& progress, const row_pass& pass);

}  // namespace regress::engine
