#pragma once
// Internal to the library: the parts of a fit whose cost grows as the cube of
// the number of terms, done in a way that stays fast for wide models (many
// terms). Small models keep the plain double-double loops of ols.cpp, bit
// for bit.

#include <Eigen/Dense>
#include <cstddef>

#include "regress/model/double_double.hpp"
#include "regress/model/ols.hpp"

namespace regress {

/// Slope terms from which a model counts as wide: its first pass gathers
/// rows in blocks, its dot products run in vector lanes and its leverages
/// are found a block of rows at a time.
constexpr std::size_t wide_terms = 64;

/// sum_m a[m] b[m] over n double-doubles, as Ogita, Rump and Oishi's Sum2 in
/// four interleaved lanes (vector registers), folded at the end: about as
/// accurate as the sequential double-double sum, several times faster.
dd dot_wide(const dd* a, const dd* b, std::size_t n);

/// Leverages of many points at once, in double: h = (1/n with an intercept)
/// + ||L^-1 (t - mean)||^2 by a triangular solve with many right-hand sides
/// (a diagnostic: double's 16 digits, less the condition of L, are plenty).
class leverage_batch {
 public:
  /// Copies the fit's factor and means to double.
  explicit leverage_batch(const ols_fit& fit);
  /// The largest leverage of `count` points, row-major with the fit's
  /// predictor count values each (degree 1).
  double max_leverage(const double* rows, std::size_t count) const;

 private:
  Eigen::MatrixXd l_;
  Eigen::VectorXd mean_;
  double base_ = 0;
};

}  // namespace regress
