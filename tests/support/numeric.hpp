#pragma once
/// \file numeric.hpp
/// Numeric comparisons shared by the tests. A test states its tolerance where
/// it uses one of these, with the reason for it; Catch's Approx remains the
/// tool for a single value against a reference.

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace test_support {

/// |a - b| <= rel * max(|a|, |b|): agreement to `rel`, relative to the larger
/// of the two, for two computations of the same quantity (neither is the
/// reference). Two zeros agree; a NaN agrees with nothing.
inline bool relatively_close(double a, double b, double rel) {
  return std::abs(a - b) <= rel * std::max(std::abs(a), std::abs(b));
}

/// |a - b| <= tol * (|a| + |scale|): agreement relative to `a` plus a scale,
/// usually the estimate's standard error, so that an estimate near zero is
/// compared on its statistical scale rather than to its own tiny size.
inline bool close_on_scale(double a, double b, double scale, double tol) {
  return std::fabs(a - b) <= tol * (std::fabs(a) + std::fabs(scale));
}

/// Count, mean and centred sum of squares of a column of numbers.
struct moments {
  double n = 0, mean = 0, sxx = 0;
};

/// The moments of `x` (two passes: the mean, then squares about it).
/// Precondition: `x` is not empty.
inline moments moments_of(const std::vector<double>& x) {
  moments m;
  m.n = static_cast<double>(x.size());
  for (double v : x) m.mean += v;
  m.mean /= m.n;
  for (double v : x) m.sxx += (v - m.mean) * (v - m.mean);
  return m;
}

/// Checks (Catch CHECK, one per figure) that the estimates and standard
/// errors of two `fit --format csv` outputs agree to `tolerance`, relative to
/// the first; requires (REQUIRE) the same number of figures.
void require_close(const std::string& csv_a, const std::string& csv_b, double tolerance);

}  // namespace test_support
