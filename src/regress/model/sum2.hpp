#pragma once
// Ogita, Rump and Oishi's Sum2, the building block of the one-pass
// accumulators (engine/accumulate.cpp for -y/-x, model/formula_stats.cpp for
// formulas): a double running sum whose rounding errors (TwoSum) go, with the
// products' low parts (TwoProd with the low parts' cross terms), to a second
// double. As accurate as summing in twice the precision as long as the pairs
// are folded into double-double totals every few hundred rows, which bounds
// the plain second sum's error to block x eps^2 relative.

#include <cmath>

#include "regress/model/double_double.hpp"

namespace regress::sum2 {

/// Rows between folds of the pairs (s, c) into double-double totals.
constexpr int block = 256;

/// Adds h + l (a double-double) to the pair (s, c).
inline void add_value(double& s, double& c, double h, double l) {
  const double t = s + h;
  const double bp = t - s;
  const double e = (s - (t - bp)) + (h - bp);
  s = t;
  c += e + l;
}

/// Adds the product (ah + al)(bh + bl), formed exactly but for al*bl, to (s, c).
inline void add_product(double& s, double& c, double ah, double al, double bh, double bl) {
  const double ph = ah * bh;
  const double pl = std::fma(ah, bh, -ph) + (ah * bl + al * bh);
  add_value(s, c, ph, pl);
}

/// z = (th + tl) - shift as a normalised double-double (zh, zl).
inline void shifted(double th, double tl, double shift, double& zh, double& zl) {
  const dd d = two_diff(th, shift);
  const double lo = d.lo + tl;
  const double hi = d.hi + lo;
  zh = hi;
  zl = lo - (hi - d.hi);
}

}  // namespace regress::sum2

// The hot loops are compiled twice on x86-64 and chosen at load time: for the
// baseline, and for x86-64-v3 (AVX2 and FMA, every x86 CPU since about 2015),
// whose hardware FMA makes the exact products cheap. Both give the same bits:
// std::fma is exact either way and nothing is contracted (ISO C++ mode, and
// -ffp-contract=off on these files).
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && defined(__gnu_linux__)
#define REGRESS_HOT_CLONES __attribute__((target_clones("arch=x86-64-v3", "default"), flatten))
#else
#define REGRESS_HOT_CLONES
#endif
