#pragma once
// Ogita, Rump and Oishi's Sum2, the building block of the one-pass
// accumulators (engine/accumulate.cpp for -y/-x, model/formula_stats.cpp for
// formulas): a double running sum whose rounding errors (TwoSum) go, with the
// products' low parts (TwoProd with the low parts' cross terms), to a second
// double. As accurate as summing in twice the precision as long as the pairs
// are folded into double-double totals every few hundred rows, which bounds
// the plain second sum's error to block x eps^2 relative.

#include <algorithm>
#include <cmath>
#include <cstddef>

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

/// Lanes of Sum2 pairs that add_rows runs side by side.
constexpr std::size_t lanes = 4;

/// Adds `count` rows of M terms to lanes of Sum2 pairs: term j of row k is
/// hi[j * stride + k] + lo[j * stride + k], taken about shift_in[j]. The
/// pairs are [slot][lane], slots being the packed lower triangle of the
/// cross products then the sums (M(M+1)/2 + M). Rows go round-robin to four
/// lanes, each its own Sum2 accumulation, so the same arithmetic runs on
/// four rows at once in vector registers; the order of operations depends
/// only on the rows' order. The caller folds the lanes every `block` rows.
template <std::size_t M>
inline void add_rows(double* lane_s, double* lane_c, const double* shift_in, const double* hi,
                     const double* lo, std::size_t stride, std::size_t count) {
  constexpr std::size_t pairs = M * (M + 1) / 2;
  constexpr std::size_t slots = pairs + M;
  double shift[M];
  for (std::size_t j = 0; j < M; ++j) shift[j] = shift_in[j];
  double s[slots][lanes], c[slots][lanes];
  std::copy_n(lane_s, slots * lanes, &s[0][0]);
  std::copy_n(lane_c, slots * lanes, &c[0][0]);
  std::size_t k = 0;
  for (; k + lanes <= count; k += lanes) {
    double zh[M][lanes], zl[M][lanes];
    for (std::size_t j = 0; j < M; ++j) {
      for (std::size_t l = 0; l < lanes; ++l) {
        shifted(hi[j * stride + k + l], lo[j * stride + k + l], shift[j], zh[j][l], zl[j][l]);
      }
    }
    std::size_t idx = 0;
    for (std::size_t i = 0; i < M; ++i) {
      for (std::size_t j = 0; j <= i; ++j, ++idx) {
        for (std::size_t l = 0; l < lanes; ++l) {
          add_product(s[idx][l], c[idx][l], zh[i][l], zl[i][l], zh[j][l], zl[j][l]);
        }
      }
    }
    for (std::size_t j = 0; j < M; ++j, ++idx) {
      for (std::size_t l = 0; l < lanes; ++l) add_value(s[idx][l], c[idx][l], zh[j][l], zl[j][l]);
    }
  }
  for (std::size_t l = 0; l < lanes && k < count; ++k, ++l) {  // the last rows, lane by lane
    double zh[M], zl[M];
    for (std::size_t j = 0; j < M; ++j) {
      shifted(hi[j * stride + k], lo[j * stride + k], shift[j], zh[j], zl[j]);
    }
    std::size_t idx = 0;
    for (std::size_t i = 0; i < M; ++i) {
      for (std::size_t j = 0; j <= i; ++j, ++idx) {
        add_product(s[idx][l], c[idx][l], zh[i], zl[i], zh[j], zl[j]);
      }
    }
    for (std::size_t j = 0; j < M; ++j, ++idx) add_value(s[idx][l], c[idx][l], zh[j], zl[j]);
  }
  std::copy_n(&s[0][0], slots * lanes, lane_s);
  std::copy_n(&c[0][0], slots * lanes, lane_c);
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
