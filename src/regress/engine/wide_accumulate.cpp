#include "regress/engine/wide_accumulate.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>
#include <utility>

#include "regress/engine/passes.hpp"
#include "regress/error.hpp"
#include "regress/model/sum2.hpp"

namespace regress::engine {
namespace {
// Bits kept in the exact part of each shifted value: products of two such
// parts have at most 44 bits, and block = 256 = 2^8 of them sum to at most
// 2^52 units of the column pair, so every partial sum is exact in a double
// whatever order the matrix product takes.
constexpr int exact_bits = 22;

std::string gib(std::uint64_t bytes) {
  const double g = static_cast<double>(bytes) / static_cast<double>(std::uint64_t{1} << 30);
  const double tenths = std::ceil(g * 10) / 10;
  std::string text = std::to_string(tenths);
  return text.substr(0, text.find('.') + 2) + " GiB";
}
}  // namespace

std::uint64_t wide_state_bytes(std::size_t terms, unsigned threads) {
  // One unit: a packed triangle of double-doubles, or a square of doubles.
  const std::uint64_t m = terms + 1;
  const std::uint64_t unit = 8 * m * m;
  // A chunk's result is a state and the extreme rows (two units); a worker
  // adds its accumulator and two scratch squares; the merge, the result and
  // the solve hold about eight more.
  const std::uint64_t in_flight = stream_window(threads) + threads;
  return unit * (8 + 3 * std::uint64_t{threads} + 3 * in_flight);
}

unsigned wide_threads(std::size_t terms, unsigned threads) {
  if (terms < wide_terms) return threads;
  unsigned t = threads;
  while (t > 1 && wide_state_bytes(terms, t) > wide_budget) --t;
  if (t > 1 || wide_state_bytes(terms, 1) <= wide_budget) return t;
  std::size_t most = 100;
  while (wide_state_bytes(most + 100, 1) <= wide_budget) most += 100;
  throw model_error(
      "the model has " + std::to_string(terms) + " slope terms; their cross products need about " +
      gib(wide_state_bytes(terms, 1)) + " of memory, more than the " + gib(wide_budget) +
      " limit (about " + std::to_string(most) + " terms); use fewer predictors");
}

std::size_t count_lines(const char* begin, const char* end, std::size_t enough) {
  std::size_t lines = 0;
  for (const char* p = begin; p < end && lines <= enough; ++lines) {
    const void* nl = std::memchr(p, '\n', static_cast<std::size_t>(end - p));
    p = nl == nullptr ? end : static_cast<const char*>(nl) + 1;
  }
  return lines;
}

void refuse_short_input(std::size_t lines, std::size_t parameters, const std::string& source) {
  const std::string where = source == "<stdin>" ? "standard input" : "'" + source + "'";
  throw model_error(
      "the model has " + std::to_string(parameters) + " parameters but " + where + " has " +
      (lines == 0 ? "no data lines"
                  : "only " + std::to_string(lines) + " data line" + (lines == 1 ? "" : "s")) +
      "; it needs more rows than parameters (use more data or fewer terms)");
}

wide_accumulator::wide_accumulator(std::size_t np, int degree, bool intercept)
    : np_(np),
      m_(np + static_cast<std::size_t>(degree)),
      intercept_(intercept),
      shift_(m_, 0.0),
      zh_(block * m_),
      zl_(block * m_),
      cross_(m_ * (m_ + 1) / 2),
      sums_(m_) {}

void wide_accumulator::add(const dd* predictors, dd y) {
  if (rows_ == 0 && intercept_) {
    // Shifting by the first row keeps the sums small for data far from zero.
    for (std::size_t j = 0; j < np_; ++j) shift_[j] = predictors[j].hi;
    shift_[np_] = y.hi;
  }
  for (std::size_t j = 0; j <= np_; ++j) {
    const dd& t = j < np_ ? predictors[j] : y;
    sum2::shifted(t.hi, t.lo, shift_[j], zh_[j * block + waiting_], zl_[j * block + waiting_]);
  }
  ++rows_;
  if (++waiting_ == block) flush();
}

// A block's cross products Z'Z, Z the block's shifted values (rows x m), as
// A'A + (A'R + R'A + R'R) with Z = A + R: A is each value rounded to a
// multiple of its column's unit u = 2^(e - 22), 2^e bounding the column's
// magnitudes in the block, and R the rest (the exact remainder plus the low
// part, below u/2 + 2^-53 |z|). A'A is exact in double (see exact_bits);
// the rest is smaller by 2^-21 and formed in double, so its rounding is
// about 2^-21 x 2^-53 (1e-22) relative to the sums of absolute products,
// where a plain double product would lose 1e-16. Both parts are then added
// to the double-double totals.
void wide_accumulator::flush() {
  if (waiting_ == 0) return;
  const auto rows = static_cast<Eigen::Index>(waiting_);
  const auto m = static_cast<Eigen::Index>(m_);
  // Scratch reused by every chunk a thread accumulates.
  thread_local Eigen::MatrixXd a, r, exact, rest;
  a.resize(rows, m);
  r.resize(rows, m);
  exact.resize(m, m);
  rest.resize(m, m);
  for (std::size_t j = 0; j < m_; ++j) {
    const double* h = zh_.data() + j * block;
    const double* l = zl_.data() + j * block;
    double biggest = 0;
    for (std::size_t k = 0; k < waiting_; ++k) biggest = std::max(biggest, std::abs(h[k]));
    int e = 0;
    std::frexp(biggest, &e);  // biggest < 2^e
    // Adding c = 1.5 * 2^(e - 22 + 52) rounds to a multiple of 2^(e - 22).
    const double c = biggest > 0 ? std::ldexp(1.5, e - exact_bits + 52) : 0.0;
    const auto col = static_cast<Eigen::Index>(j);
    for (std::size_t k = 0; k < waiting_; ++k) {
      const double top = c > 0 ? (h[k] + c) - c : 0.0;
      const auto row = static_cast<Eigen::Index>(k);
      a(row, col) = top;
      r(row, col) = (h[k] - top) + l[k];
      sums_[j] += dd(h[k]) + dd(l[k]);
    }
  }
  exact.setZero();
  exact.selfadjointView<Eigen::Lower>().rankUpdate(a.transpose());
  rest.noalias() = a.transpose() * r;
  const Eigen::VectorXd ar_diagonal = rest.diagonal();
  rest.selfadjointView<Eigen::Lower>().rankUpdate(r.transpose());
  // Below the diagonal (A'R + R'A + R'R)_ij = rest_ij + rest_ji, the lower
  // triangle holding R'R; on it, A'R's diagonal counts twice.
  std::size_t idx = 0;
  for (Eigen::Index i = 0; i < m; ++i) {
    for (Eigen::Index j = 0; j < i; ++j, ++idx) {
      cross_[idx] += dd(exact(i, j)) + dd(rest(i, j) + rest(j, i));
    }
    cross_[idx++] += dd(exact(i, i)) + dd(rest(i, i) + ar_diagonal(i));
  }
  waiting_ = 0;
}

ols_state wide_accumulator::finish() {
  flush();
  return ols_state::from_parts(np_, 1, intercept_, static_cast<double>(rows_), shift_, sums_,
                               cross_);
}

}  // namespace regress::engine
