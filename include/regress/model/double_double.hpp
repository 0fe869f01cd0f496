#pragma once
/// \file double_double.hpp
/// A double-double number: an unevaluated sum hi + lo of two doubles with
/// |lo| <= ulp(hi)/2, giving about 32 significant digits. Built on the
/// error-free transformations TwoSum and TwoProd (the latter with std::fma),
/// after Dekker (1971) and Hida, Li and Bailey's QD library. Used to
/// accumulate cross products and to solve the small k x k systems of the
/// least-squares fit, so that rounding in the accumulation and the squaring
/// of the condition number in the normal equations cost nothing a double
/// answer could show.

#include <cmath>

namespace regress {

struct dd {
  double hi = 0;
  double lo = 0;
  constexpr dd() = default;
  constexpr dd(double h) : hi(h) {}  // NOLINT(google-explicit-constructor): exact widening
  constexpr dd(double h, double l) : hi(h), lo(l) {}
  explicit operator double() const { return hi + lo; }
};

namespace dd_detail {
/// s + e = a + b exactly (Knuth's TwoSum).
inline dd two_sum(double a, double b) {
  const double s = a + b;
  const double bb = s - a;
  return {s, (a - (s - bb)) + (b - bb)};
}
/// s + e = a + b exactly, given |a| >= |b| (Dekker's Fast2Sum).
inline dd quick_two_sum(double a, double b) {
  const double s = a + b;
  return {s, b - (s - a)};
}
}  // namespace dd_detail

/// p + e = a * b exactly.
inline dd two_prod(double a, double b) {
  const double p = a * b;
  return {p, std::fma(a, b, -p)};
}
/// a - b exactly, as a double-double.
inline dd two_diff(double a, double b) { return dd_detail::two_sum(a, -b); }

inline dd operator+(dd a, dd b) {
  dd s = dd_detail::two_sum(a.hi, b.hi);
  const dd t = dd_detail::two_sum(a.lo, b.lo);
  s.lo += t.hi;
  s = dd_detail::quick_two_sum(s.hi, s.lo);
  s.lo += t.lo;
  return dd_detail::quick_two_sum(s.hi, s.lo);
}
inline dd operator-(dd a) { return {-a.hi, -a.lo}; }
inline dd operator-(dd a, dd b) { return a + (-b); }
inline dd operator*(dd a, dd b) {
  dd p = two_prod(a.hi, b.hi);
  p.lo += a.hi * b.lo + a.lo * b.hi;
  return dd_detail::quick_two_sum(p.hi, p.lo);
}
inline dd operator/(dd a, dd b) {
  // Long division: three quotient digits, each correcting the remainder.
  const double q1 = a.hi / b.hi;
  dd r = a - b * dd(q1);
  const double q2 = r.hi / b.hi;
  r = r - b * dd(q2);
  const double q3 = r.hi / b.hi;
  const dd q = dd_detail::quick_two_sum(q1, q2);
  return q + dd(q3);
}
inline dd& operator+=(dd& a, dd b) { return a = a + b; }
inline dd& operator-=(dd& a, dd b) { return a = a - b; }
inline dd& operator*=(dd& a, dd b) { return a = a * b; }

inline dd sqrt(dd a) {
  if (a.hi <= 0) return dd(a.hi == 0 ? 0.0 : std::sqrt(a.hi));  // NaN for negatives
  // One Newton step from the double root doubles the digits (Karp's trick).
  const double x = std::sqrt(a.hi);
  const dd x2 = two_prod(x, x);
  return dd(x) + dd(((a - x2).hi) / (2 * x));
}
inline bool operator<(dd a, dd b) { return a.hi < b.hi || (a.hi == b.hi && a.lo < b.lo); }
inline bool operator>(dd a, dd b) { return b < a; }
inline bool operator<=(dd a, dd b) { return !(b < a); }
inline dd abs(dd a) { return a.hi < 0 ? -a : a; }

}  // namespace regress
