#pragma once
// Internal to the library (not installed): the fast path of reading a
// decimal as a double-double, shared by parse_cell (number.cpp) and the
// engine's record scanner (engine.cpp), which inlines it into its hot loop.

#include <cmath>
#include <cstdint>

#include "regress/double_double.hpp"

namespace regress::detail {

/// Exact powers of ten as doubles (10^22 is the largest).
inline constexpr double exact_pow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                         1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                         1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/// Their reciprocals, rounded: the low part needs only a few correct bits
/// of the last digit's weight, so it multiplies instead of dividing again.
inline constexpr double inverse_pow10[] = {1e0,   1e-1,  1e-2,  1e-3,  1e-4,  1e-5,  1e-6,  1e-7,
                                           1e-8,  1e-9,  1e-10, 1e-11, 1e-12, 1e-13, 1e-14, 1e-15,
                                           1e-16, 1e-17, 1e-18, 1e-19, 1e-20, 1e-21, 1e-22};

/// Reads a plain decimal at p ([+-]digits[.digits][e[+-]digits], no spaces)
/// with at most 15 significant digits and a decimal exponent within +-22, the
/// form nearly all data take, and returns the position after it; nullptr,
/// touching nothing, for anything else (the caller then takes the general
/// path). The mantissa M < 10^15 < 2^53 and 10^|e| are exact doubles, so one
/// IEEE multiplication or division rounds M 10^e correctly (Clinger's fast
/// path, the one fast_float takes for these inputs: the same double), and
/// the remainder of that operation, found exactly with an FMA, gives the low
/// part: value.hi + value.lo is the decimal to about 32 digits.
inline const char* scan_decimal(const char* p, const char* end, dd& value) noexcept {
  if (p == end) return nullptr;
  bool negative = false;
  if (*p == '-' || *p == '+') {
    negative = *p == '-';
    ++p;
  }
  std::uint64_t m = 0;
  int significant = 0, scale = 0, digits = 0;
  for (; p < end && static_cast<unsigned>(*p - '0') < 10; ++p, ++digits) {
    m = m * 10 + static_cast<unsigned>(*p - '0');
    significant += m != 0;
  }
  if (p < end && *p == '.') {
    for (++p; p < end && static_cast<unsigned>(*p - '0') < 10; ++p, ++digits) {
      m = m * 10 + static_cast<unsigned>(*p - '0');
      significant += m != 0;
      --scale;
    }
  }
  if (digits == 0 || significant > 15) return nullptr;
  if (p < end && (*p == 'e' || *p == 'E')) {
    ++p;
    bool minus = false;
    if (p < end && (*p == '-' || *p == '+')) minus = *p++ == '-';
    if (p == end || static_cast<unsigned>(*p - '0') >= 10) return nullptr;
    int e = 0;
    for (; p < end && static_cast<unsigned>(*p - '0') < 10; ++p) {
      if (e < 1000) e = e * 10 + (*p - '0');
    }
    scale += minus ? -e : e;
  }
  const auto mant = static_cast<double>(m);
  double hi = 0, lo = 0;
  if (m == 0) {
    hi = 0;
  } else if (scale >= 0 && scale <= 22) {
    hi = mant * exact_pow10[scale];
    lo = std::fma(mant, exact_pow10[scale], -hi);
  } else if (scale < 0 && scale >= -22) {
    const double p10 = exact_pow10[-scale];
    hi = mant / p10;
    // M - hi 10^k: the product's high part is within a factor 2 of M, so the
    // first difference is exact (Sterbenz), and the FMA gives the rest.
    const double prod = hi * p10;
    const double rest = (mant - prod) - std::fma(hi, p10, -prod);
    lo = rest / p10;
  } else {
    return nullptr;
  }
  if (!std::isfinite(hi)) return nullptr;
  value = negative ? dd(-hi, -lo) : dd(hi, lo);
  return p;
}

}  // namespace regress::detail
