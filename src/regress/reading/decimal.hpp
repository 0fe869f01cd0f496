#pragma once
// Internal to the library (not installed): the fast path of reading a
// decimal as a double-double, shared by parse_cell (number.cpp) and the
// engine's record scanner (engine/scan.hpp), which inlines it into its hot loop.

#include <cmath>
#include <cstdint>

#include "regress/model/double_double.hpp"

namespace regress::detail {

/// Exact powers of ten as doubles (10^22 is the largest).
inline constexpr double exact_pow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                         1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                         1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/// Adds the run of decimal digits at p to m (m = 10 m + digit each) and
/// returns the position after it. With more than 20 bytes left (the engine's
/// scanner reads a whole chunk) the loop checks no bound per digit: it stops
/// at the first non-digit or after 20 digits, more than the fast path takes,
/// so a longer run still sends the number to the general path.
inline const char* digit_run(const char* p, const char* end, std::uint64_t& m) noexcept {
  if (end - p > 20) {
#pragma GCC unroll 20
    for (int i = 0; i < 20; ++i, ++p) {
      const auto d = static_cast<unsigned>(*p - '0');
      if (d >= 10) return p;
      m = m * 10 + d;
    }
    return p;
  }
  for (; p < end && static_cast<unsigned>(*p - '0') < 10; ++p) {
    m = m * 10 + static_cast<unsigned>(*p - '0');
  }
  return p;
}

/// Reads a plain decimal at p ([+-]digits[.digits][e[+-]digits], no spaces)
/// whose digits, read as an integer M, are at most 2^53 (every decimal of up
/// to 15 significant digits, written with at most 19 digits), with a decimal
/// exponent within +-22, the form nearly all data take, and returns the
/// position after it; nullptr, touching nothing, for anything else (the
/// caller then takes the general path), in two doubles (value_hi, value_lo:
/// stored apart, read back apart). M <= 2^53 and 10^|e| are exact doubles, so one
/// IEEE multiplication or division rounds M 10^e correctly (Clinger's fast
/// path, the one fast_float takes for these inputs: the same double), and
/// the remainder of that operation, found exactly with an FMA, gives the low
/// part: value.hi + value.lo is the decimal to about 32 digits.
inline const char* scan_decimal_parts(const char* p, const char* end, double& value_hi,
                                      double& value_lo) noexcept {
  if (p == end) return nullptr;
  bool negative = false;
  if (*p == '-' || *p == '+') {
    negative = *p == '-';
    ++p;
  }
  // Digits are counted by position, not one by one: the loops do nothing
  // but accumulate. Up to 19 digits cannot overflow M; past that (a run cut
  // at 20 digits included), or when M is not exact in a double, the general
  // path reads the number.
  std::uint64_t m = 0;
  const char* const first = p;
  p = digit_run(p, end, m);
  auto digits = p - first;
  int scale = 0;
  if (p < end && *p == '.') {
    const char* const fraction = ++p;
    p = digit_run(p, end, m);
    digits += p - fraction;
    scale = -static_cast<int>(p - fraction);
  }
  if (digits == 0 || digits > 19 || m > (std::uint64_t{1} << 53)) return nullptr;
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
    // The remainder M - hi 10^k is a double (a multiple of ulp(hi) 2^k, at
    // most 5^22 / 2 of them), so one FMA gives it exactly. Its quotient
    // stays a division: the product with the nearest 10^-k (an ulp of lo
    // off) cost the NIST Filip fit 0.3-0.6 digits and no time measurably.
    const double rest = std::fma(-hi, p10, mant);
    lo = rest / p10;
  } else {
    return nullptr;
  }
  if (!std::isfinite(hi)) return nullptr;
  value_hi = negative ? -hi : hi;
  value_lo = negative ? -lo : lo;
  return p;
}

/// scan_decimal_parts into a double-double.
inline const char* scan_decimal(const char* p, const char* end, dd& value) noexcept {
  double hi = 0, lo = 0;
  const char* after = scan_decimal_parts(p, end, hi, lo);
  if (after != nullptr) value = dd(hi, lo);
  return after;
}

}  // namespace regress::detail
