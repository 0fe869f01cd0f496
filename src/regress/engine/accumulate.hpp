#pragma once
// Internal to the engine: what one chunk yields in each pass. A worker scans
// its chunk (scan.hpp) into a sink that accumulates the first pass's
// sufficient statistics or the second pass's residuals.

#include <cstddef>
#include <memory>
#include <vector>

#include "regress/engine/pipeline.hpp"
#include "regress/engine/records.hpp"
#include "regress/model/double_double.hpp"
#include "regress/model/model_spec.hpp"
#include "regress/model/ols.hpp"

namespace regress::engine {

/// What the first pass learns from one chunk.
struct pass1_result {
  ols_state state;
  std::size_t records = 0, dropped = 0, lines = 0;
  std::vector<double> min, max, extremes;  ///< per predictor; see fit_sink in accumulate.cpp
  chunk_error error;
};

/// What the second pass learns from one chunk, given the fit.
struct pass2_result {
  chunk_error error;
  dd rss;
  double max_leverage = 0;
  std::vector<double> residuals;
  std::vector<std::size_t> records;  ///< with residuals: each one's record in the chunk (0-based)
  std::size_t record_count = 0;      ///< records seen, missing ones too
  std::vector<dd> also_rss;          ///< the same, for each of run_pass2's `also` fits
  std::vector<double> also_max_leverage;
};

/// The first pass over one chunk: its records' sufficient statistics, the
/// predictors' ranges and extreme rows. Errors are returned in `error`
/// (never thrown), with lines relative to the chunk.
pass1_result run_pass1(const task& t, const layout& l, const model_spec& spec);

/// The first pass's accumulation of one chunk for rows handed over one at
/// a time, in the layout's slot order (the response, then the predictors),
/// by a scan that also feeds others (several formulas fitted in one pass):
/// row() as run_pass1's sink takes them, finish() what run_pass1 returns
/// (lines and error left to the caller), the same bits.
class pass1_rows {
 public:
  virtual ~pass1_rows() = default;
  virtual void row(const dd* values, bool missing) = 0;
  virtual pass1_result finish() = 0;
};
std::unique_ptr<pass1_rows> make_pass1_rows(const model_spec& spec);

/// The second pass over one chunk: the residual sum of squares from the
/// rows, the largest leverage when `leverage_wanted`, the residuals when
/// `residuals_wanted`; for each fit of `also` (fits of the same rows'
/// columns, as engine_options::also_degrees) its residual sum of squares
/// and largest leverage. Errors are returned in `error`.
pass2_result run_pass2(const task& t, const layout& l, const ols_fit& fit, bool leverage_wanted,
                       bool residuals_wanted, const std::vector<const ols_fit*>& also = {});

}  // namespace regress::engine
