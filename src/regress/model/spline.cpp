// R's splines::ns and splines::bs bases (see spline.hpp). The B-splines are
// evaluated by the Cox-de Boor recurrence on the knot interval holding x,
// their derivatives by differencing the lower orders; ns's constraint (zero
// second derivative at both boundary knots) is the Householder QR that R's
// qr() (LINPACK dqrdc2) computes, so that its columns, signs included, are
// R's.

#include "regress/model/spline.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "regress/error.hpp"
#include "regress/model/terms.hpp"
#include "regress/output/format.hpp"

namespace regress {
namespace {
/// The largest degree evaluated (R has none; higher is meaningless in
/// floating point, and it bounds what a basis allocates).
constexpr int max_spline_degree = 30;
}  // namespace

std::size_t spline_basis::interior_count() const noexcept {
  if (knots_given || df == 0) return knots.size();
  // R's nIknots: df - 1 - intercept for ns, df - ord + (1 - intercept) for bs.
  const int n = natural ? df - 1 - (intercept ? 1 : 0) : df - degree - (intercept ? 1 : 0);
  return n > 0 ? static_cast<std::size_t>(n) : 0;
}

std::size_t spline_basis::width() const noexcept {
  const std::size_t extra = (natural ? 1U : static_cast<std::size_t>(degree)) +
                            (intercept ? std::size_t{1} : std::size_t{0});
  return knots.size() + extra;
}

double type7_quantile(const std::vector<double>& sorted, double p) {
  const double index = static_cast<double>(sorted.size() - 1) * p;  // 0-based
  const double lo = std::floor(index);
  const auto l = static_cast<std::size_t>(lo);
  const auto h = static_cast<std::size_t>(std::ceil(index));
  const double q = sorted[l];
  if (!(index > lo) || sorted[h] == q) return q;
  const double frac = index - lo;
  return (1 - frac) * q + frac * sorted[h];
}

void learn_knots(spline_basis& s, std::vector<double> x, const std::string& label) {
  if (x.empty()) {
    throw model_error("'" + label + "' has no known value of its argument to place its knots");
  }
  // A basis needs fewer columns than values; this also bounds what a huge
  // df or degree would allocate.
  const std::size_t columns =
      s.interior_count() + (s.natural ? std::size_t{1} : static_cast<std::size_t>(s.degree));
  if (s.degree > max_spline_degree || columns > x.size()) {
    throw model_error("'" + label + "' asks for more columns (" + std::to_string(columns) +
                      ") than its argument has values (" + std::to_string(x.size()) +
                      "); lower df or degree");
  }
  std::sort(x.begin(), x.end());
  if (!s.bounds_given) {
    s.lower = x.front();
    s.upper = x.back();
  }
  if (!(s.lower < s.upper)) {
    throw model_error("'" + label +
                      "' needs its boundary knots to differ (two distinct values of its "
                      "argument at least); drop the term or give Boundary.knots = c(a, b)");
  }
  if (s.knots_given) return;
  const std::size_t n = s.interior_count();
  s.knots.clear();
  if (n == 0) return;
  std::vector<double> inside;
  for (double v : x) {
    if (v >= s.lower && v <= s.upper) inside.push_back(v);
  }
  if (inside.empty()) {
    throw model_error("'" + label + "' has no value inside its boundary knots to place its knots");
  }
  // seq.int(0, 1, length.out = n + 2): i * (1 / (n + 1)), ends dropped.
  const double by = 1.0 / static_cast<double>(n + 1);
  for (std::size_t i = 1; i <= n; ++i) {
    s.knots.push_back(type7_quantile(inside, static_cast<double>(i) * by));
  }
}

namespace {

/// The full knot sequence: each boundary knot `ord` times around the interior ones.
std::vector<double> all_knots(const spline_basis& s, int ord) {
  std::vector<double> t(static_cast<std::size_t>(ord), s.lower);
  t.insert(t.end(), s.knots.begin(), s.knots.end());
  t.insert(t.end(), static_cast<std::size_t>(ord), s.upper);
  std::sort(t.begin(), t.end());
  return t;
}

double ratio(double a, double b) { return b != 0 ? a / b : 0.0; }

/// The `deriv`-th derivative of every B-spline of order `ord` on knots `t`
/// at x (t.size() - ord values), on the polynomial piece of the interval
/// that holds x (the last one for x at the right boundary knot).
std::vector<double> bsplines(const std::vector<double>& t, int ord, double x, int deriv) {
  const std::size_t nk = t.size();
  const auto o = static_cast<std::size_t>(ord);
  std::size_t mu = o - 1;
  while (mu + 1 < nk - o && t[mu + 1] <= x) ++mu;
  std::vector<double> b(nk - 1, 0.0);
  b[mu] = 1;
  for (std::size_t k = 2; k <= o; ++k) {
    std::vector<double> next(nk - k, 0.0);
    const bool slope = static_cast<int>(k) > ord - deriv;
    for (std::size_t i = 0; i < next.size(); ++i) {
      const double left = t[i + k - 1] - t[i], right = t[i + k] - t[i + 1];
      next[i] = slope ? static_cast<double>(k - 1) * (ratio(b[i], left) - ratio(b[i + 1], right))
                      : ratio(x - t[i], left) * b[i] + ratio(t[i + k] - x, right) * b[i + 1];
    }
    b.swap(next);
  }
  return b;
}

/// Drops the first column of a row unless the basis has an intercept.
std::vector<double> without_first(const spline_basis& s, std::vector<double> row) {
  if (!s.intercept) row.erase(row.begin());
  return row;
}

/// B-spline row at x, extended beyond the boundary knots as R extends it.
std::vector<double> bspline_row(const spline_basis& s, const std::vector<double>& t, double x) {
  const int ord = s.degree + 1;
  if (x >= s.lower && x <= s.upper) return bsplines(t, ord, x, 0);
  const std::size_t nk = t.size();
  const auto o = static_cast<std::size_t>(ord);
  std::vector<double> row(nk - o, 0.0);
  if (s.natural) {
    // ns: value plus slope times the distance, from the boundary knot.
    const double pivot = x < s.lower ? s.lower : s.upper;
    const std::vector<double> v = bsplines(t, ord, pivot, 0), d = bsplines(t, ord, pivot, 1);
    for (std::size_t j = 0; j < row.size(); ++j) row[j] = v[j] + (x - pivot) * d[j];
    return row;
  }
  // bs: the Taylor polynomial about a pivot a quarter of the way to the next knot.
  const double pivot = x < s.lower ? (1 - 0.25) * s.lower + 0.25 * t[o]
                                   : (1 - 0.25) * s.upper + 0.25 * t[nk - o - 1];
  double power = 1, factorial = 1;
  for (int d = 0; d <= s.degree; ++d) {
    if (d > 0) {
      power *= x - pivot;
      factorial *= d;
    }
    const std::vector<double> dv = bsplines(t, ord, pivot, d);
    for (std::size_t j = 0; j < row.size(); ++j) row[j] += power * (dv[j] / factorial);
  }
  return row;
}

/// ns's constraint: R's qr(t(const)) of the second derivatives at the two
/// boundary knots (a K x 2 matrix, Householder as LINPACK's dqrdc2), kept as
/// the two reflectors.
struct reflectors {
  std::vector<double> v[2];  // from row l: v[l][0] is qraux
  bool used[2] = {false, false};
};

reflectors constraint_qr(const spline_basis& s, const std::vector<double>& t) {
  std::vector<double> a[2] = {without_first(s, bsplines(t, 4, s.lower, 2)),
                              without_first(s, bsplines(t, 4, s.upper, 2))};
  const std::size_t k = a[0].size();
  reflectors r;
  for (std::size_t l = 0; l < 2 && l < k; ++l) {
    double norm = 0;
    for (std::size_t i = l; i < k; ++i) norm = std::hypot(norm, a[l][i]);
    if (norm == 0) continue;
    if (a[l][l] != 0) norm = std::copysign(norm, a[l][l]);
    const double scale = 1.0 / norm;
    for (std::size_t i = l; i < k; ++i) a[l][i] *= scale;
    a[l][l] += 1;
    if (l == 0) {
      double dot = 0;
      for (std::size_t i = 0; i < k; ++i) dot += a[0][i] * a[1][i];
      const double f = -dot / a[0][0];
      for (std::size_t i = 0; i < k; ++i) a[1][i] += f * a[0][i];
    }
    r.v[l].assign(a[l].begin() + static_cast<std::ptrdiff_t>(l), a[l].end());
    r.used[l] = true;
  }
  return r;
}
}  // namespace

void spline_row(const spline_basis& s, double x, double* out) {
  const int ord = s.degree + 1;
  const std::vector<double> t = all_knots(s, ord);
  std::vector<double> row = without_first(s, bspline_row(s, t, x));
  if (!s.natural) {
    std::copy(row.begin(), row.end(), out);
    return;
  }
  // t(qr.qty(qr.const, t(basis))) without its first two columns.
  const reflectors r = constraint_qr(s, t);
  for (std::size_t l = 0; l < 2; ++l) {
    if (!r.used[l]) continue;
    const std::vector<double>& v = r.v[l];
    double dot = 0;
    for (std::size_t i = 0; i < v.size(); ++i) dot += v[i] * row[l + i];
    const double f = -dot / v[0];
    for (std::size_t i = 0; i < v.size(); ++i) row[l + i] += f * v[i];
  }
  std::copy(row.begin() + 2, row.end(), out);
}

std::vector<std::string> spline_notes(const model_terms& t) {
  std::vector<std::string> notes;
  for (const auto& v : t.variables) {
    if (v.type != variable_coding::kind::spline) continue;
    const spline_basis& s = v.spline;
    const std::string where =
        fmt::format("Beyond the boundary knots of {} ({} below {:.6g} or above {:.6g})",
                    text_name(v.label), text_name(deparse(v.expr)), s.lower, s.upper);
    if (s.natural) {
      notes.push_back(where +
                      " the natural spline is a straight line: the curve goes on linearly there, "
                      "as R's predict extends it.");
    } else {
      notes.push_back(
          where +
          fmt::format(
              " the B-spline goes on as the polynomials of degree {} of its end pieces, as R's "
              "predict extends it: the curve keeps bending there, unlike a natural spline's (ns).",
              s.degree));
    }
  }
  return notes;
}

}  // namespace regress
