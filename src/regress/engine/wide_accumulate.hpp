#pragma once
// Internal to the engine: the first pass's accumulator for wide models
// (many terms), where adding every product of every row in double-double
// costs O(terms^2) error-free operations per row. Rows are gathered in
// blocks and each block's cross products are formed by matrix products in
// plain double, split so that the part that matters is exact (see the
// source), then folded into double-double totals once per block.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "regress/model/double_double.hpp"
#include "regress/model/ols.hpp"
#include "regress/model/wide_solve.hpp"

namespace regress::engine {

/// The memory budget for a -y/-x fit's O(terms^2) state: 4 GiB.
constexpr std::uint64_t wide_budget = std::uint64_t{4} << 30;

/// About how many bytes a -y/-x fit of `terms` slope terms holds at once in
/// states of terms^2 / 2 double-doubles (per worker: its accumulator, its
/// scratch products and its chunk's result; per chunk in flight: a result;
/// and the merged state, the extreme rows and the solve's copies).
std::uint64_t wide_state_bytes(std::size_t terms, unsigned threads);

/// The workers to use for `terms` slope terms: `threads`, or fewer when
/// their states would exceed wide_budget. Throws model_error, stating the
/// memory the model needs and the limit, when even one worker would.
unsigned wide_threads(std::size_t terms, unsigned threads);

/// The lines in [begin, end), a last one without its line break included;
/// the count stops once it exceeds `enough`. At most one record per line.
std::size_t count_lines(const char* begin, const char* end, std::size_t enough);

/// Throws model_error: a wide model with `parameters` parameters and at most
/// `lines` data lines in `source` is refused before any of its state is
/// allocated.
[[noreturn]] void refuse_short_input(std::size_t lines, std::size_t parameters,
                                     const std::string& source);

/// Accumulates rows of np predictors (degree 1) and a response into an
/// ols_state, a block of rows at a time.
class wide_accumulator {
 public:
  /// Rows per block: the exact part of a block's products has at most
  /// 2 x 22 bits per product, so 256 of them sum exactly in a double.
  static constexpr std::size_t block = 256;

  /// `degree` must be 1 (powers are few terms and use the per-row path).
  wide_accumulator(std::size_t np, int degree, bool intercept);

  /// Adds one row: np predictor values and the response, all finite.
  void add(const dd* predictors, dd y);

  /// The state of the rows added so far.
  ols_state finish();

 private:
  void flush();

  std::size_t np_, m_;  // predictors; terms with the response
  bool intercept_;
  std::vector<double> shift_;
  std::vector<double> zh_, zl_;  // block x m, column-major: the shifted values
  std::vector<dd> cross_;        // packed lower triangle, row-major
  std::vector<dd> sums_;
  std::size_t rows_ = 0, waiting_ = 0;
};

}  // namespace regress::engine
