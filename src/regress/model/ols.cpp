#include "regress/model/ols.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "regress/error.hpp"
#include "regress/model/wide_solve.hpp"

namespace regress {
namespace {
std::size_t packed(std::size_t i, std::size_t j) { return i * (i + 1) / 2 + j; }

bool finite(const dd& v) { return std::isfinite(v.hi) && std::isfinite(v.lo); }

// v - sum_m a[m] b[m]: term by term for small models (the bits they always
// had), in vector lanes for wide ones, where these sums are the O(k^3) cost.
dd minus_dot(dd v, const dd* a, const dd* b, std::size_t n, bool wide) {
  if (wide) return v - dot_wide(a, b, n);
  for (std::size_t m = 0; m < n; ++m) v -= a[m] * b[m];
  return v;
}
}  // namespace

void expand_terms(int degree, const dd* predictors, std::size_t np, dd* out) {
  for (std::size_t j = 0; j < np; ++j) out[j] = predictors[j];
  if (degree < 2) return;
  dd power = predictors[0];
  for (int d = 2; d <= degree; ++d) {
    power = power * predictors[0];
    out[np + static_cast<std::size_t>(d) - 2] = power;
  }
}

ols_state::ols_state(std::size_t np, int degree, bool intercept)
    : np_(np),
      degree_(degree),
      intercept_(intercept),
      k_(np + static_cast<std::size_t>(degree) - 1),
      shift_(k_ + 1, 0.0),
      sums_(k_ + 1),
      cross_((k_ + 1) * (k_ + 2) / 2),
      row_(k_ + 1) {}

ols_state ols_state::from_parts(std::size_t np, int degree, bool intercept, double n,
                                std::vector<double> shift, std::vector<dd> sums,
                                std::vector<dd> cross) {
  ols_state s(np, degree, intercept);
  if (shift.size() != s.k_ + 1 || sums.size() != s.k_ + 1 || cross.size() != s.cross_.size()) {
    throw model_error("the saved state does not fit its model (wrong number of terms)");
  }
  s.n_ = n;
  s.shift_ = std::move(shift);
  s.sums_ = std::move(sums);
  s.cross_ = std::move(cross);
  return s;
}

void ols_state::add_row(const double* predictors, double y) {
  thread_local std::vector<dd> values;
  values.assign(predictors, predictors + np_);
  add_row(values.data(), dd(y));
}

void ols_state::add_row(const dd* predictors, dd y) {
  expand_terms(degree_, predictors, np_, row_.data());
  row_[k_] = y;
  if (n_ == 0 && intercept_) {
    // Shifting by the first row keeps the sums small for data far from zero
    // (x = 1e9 + small steps) without a pass to find the mean first.
    for (std::size_t j = 0; j <= k_; ++j) shift_[j] = row_[j].hi;
  }
  for (std::size_t i = 0; i <= k_; ++i) {
    const dd zi = row_[i] - dd(shift_[i]);
    row_[i] = zi;
    sums_[i] += zi;
    for (std::size_t j = 0; j <= i; ++j) cross_[packed(i, j)] += zi * row_[j];
  }
  n_ += 1;
}

void ols_state::add_row(const dd* predictors, dd y, double w) {
  if (!(w > 0)) return;
  weighted_ = true;
  expand_terms(degree_, predictors, np_, row_.data());
  row_[k_] = y;
  if (rows_ == 0 && intercept_) {
    for (std::size_t j = 0; j <= k_; ++j) shift_[j] = row_[j].hi;
  }
  const dd wd(w);
  for (std::size_t i = 0; i <= k_; ++i) {
    const dd zi = row_[i] - dd(shift_[i]);
    row_[i] = zi;
    const dd wz = wd * zi;
    sums_[i] += wz;
    for (std::size_t j = 0; j <= i; ++j) cross_[packed(i, j)] += wz * row_[j];
  }
  n_ += w;
  rows_ += 1;
  log_w_ += std::log(w);
}

ols_state ols_state::select(const std::vector<std::size_t>& keep) const {
  std::vector<std::size_t> cols(keep);
  cols.push_back(k_);  // the response
  ols_state s(keep.size(), 1, intercept_);
  for (std::size_t a = 0; a < cols.size(); ++a) {
    s.shift_[a] = shift_[cols[a]];
    s.sums_[a] = sums_[cols[a]];
    for (std::size_t b = 0; b <= a; ++b) s.cross_[packed(a, b)] = cross_[packed(cols[a], cols[b])];
  }
  s.n_ = n_;
  s.weighted_ = weighted_;
  s.rows_ = rows_;
  s.log_w_ = log_w_;
  return s;
}

void ols_state::add_rows(const Eigen::Ref<const Eigen::MatrixXd>& x,
                         const Eigen::Ref<const Eigen::VectorXd>& y) {
  if (static_cast<std::size_t>(x.cols()) != np_ || x.rows() != y.size()) {
    throw model_error("internal: block shape does not match the model");
  }
  std::vector<double> values(np_);
  for (Eigen::Index i = 0; i < x.rows(); ++i) {
    for (std::size_t j = 0; j < np_; ++j) values[j] = x(i, static_cast<Eigen::Index>(j));
    add_row(values.data(), y(i));
  }
}

void ols_state::merge(const ols_state& other) {
  if (other.np_ != np_ || other.degree_ != degree_ || other.intercept_ != intercept_) {
    throw model_error(
        "cannot merge fits of different models (predictors, degree or intercept "
        "differ)");
  }
  if (other.n_ == 0) return;
  if (n_ == 0) {
    n_ = other.n_;
    shift_ = other.shift_;
    sums_ = other.sums_;
    cross_ = other.cross_;
    weighted_ = other.weighted_;
    rows_ = other.rows_;
    log_w_ = other.log_w_;
    return;
  }
  // Re-express the other state about our shifts: with z' = z + d,
  // sum z'z'^T = sum zz^T + d s^T + s d^T + n d d^T and sum z' = s + n d.
  std::vector<dd> d(k_ + 1);
  for (std::size_t j = 0; j <= k_; ++j) d[j] = two_diff(other.shift_[j], shift_[j]);
  const dd no(other.n_);
  for (std::size_t i = 0; i <= k_; ++i) {
    for (std::size_t j = 0; j <= i; ++j) {
      cross_[packed(i, j)] += other.cross_[packed(i, j)] + d[i] * other.sums_[j] +
                              other.sums_[i] * d[j] + no * d[i] * d[j];
    }
  }
  for (std::size_t j = 0; j <= k_; ++j) sums_[j] += other.sums_[j] + no * d[j];
  n_ += other.n_;
  weighted_ = weighted_ || other.weighted_;
  rows_ += other.rows_;
  log_w_ += other.log_w_;
}

ols_fit solve(const ols_state& state, const std::vector<std::string>& terms) {
  const std::size_t k = state.k();
  const double p = static_cast<double>(k) + (state.intercept() ? 1 : 0);
  if (!(state.rows() > p)) {
    const auto rows = static_cast<long>(state.rows());
    throw model_error("the model has " + std::to_string(static_cast<long>(p)) + " parameters but " +
                      (rows == 0 ? "no" : "only " + std::to_string(rows)) + " complete row" +
                      (rows == 1 ? "" : "s") +
                      "; it needs more rows than parameters (use more data or fewer terms)");
  }
  for (const dd& v : state.cross()) {
    if (!finite(v)) {
      throw model_error(
          "the values are too large to fit: their squares overflow double "
          "precision (about 1e308); rescale the columns, e.g. divide by a power "
          "of ten");
    }
  }
  // Deviations so small that their squares underflow lose their digits in
  // the cross products: a column of 1e-170s would look constant, a response
  // of 1e-320s like a perfect fit. A column equal to its shift in every row
  // (sums and squares exactly 0) is constant, for the rank check below.
  for (std::size_t i = 0; i <= k; ++i) {
    const double squares = state.cross()[packed(i, i)].hi;
    const bool varies = squares != 0 || state.sums()[i].hi != 0;
    if (varies && squares < 1e-280) {
      throw model_error(
          (i < k ? "the values of term '" + terms.at(i) + "'"
                 : std::string("the response values")) +
          " are too small, or too close to one another, to fit: their squares underflow double "
          "precision (below "
          "about 1e-280 they lose digits); rescale the column, e.g. multiply it by a power of ten");
    }
  }
  const dd n(state.n());
  ols_fit fit;
  fit.predictor_count = state.predictor_count();
  fit.degree = state.degree();
  fit.intercept = state.intercept();
  fit.nobs = state.rows();
  fit.df_residual = state.rows() - p;
  fit.weighted = state.weighted();
  fit.log_weight_sum = state.log_weight_sum();
  fit.weight_sum = state.n();

  // Centre: C = cross - s s^T / n, about the shifts; means = shift + s / n.
  std::vector<dd> c = state.cross();
  std::vector<dd> mean(k + 1);
  if (fit.intercept) {
    for (std::size_t i = 0; i <= k; ++i) {
      mean[i] = dd(state.shift()[i]) + state.sums()[i] / n;
      for (std::size_t j = 0; j <= i; ++j) {
        c[packed(i, j)] -= state.sums()[i] * state.sums()[j] / n;
      }
    }
  }
  fit.mean.assign(mean.begin(), mean.begin() + static_cast<std::ptrdiff_t>(k));
  fit.y_mean = mean[k];

  // Cholesky of the k x k block, in model order. The ratio L_jj^2 / C_jj is
  // the squared sine of the angle between term j's (centred) column and the
  // span of the terms before it, whatever the columns' scales: below 1e-13
  // the term adds nothing the others do not hold to double precision (an
  // exact copy or combination of double data sits near 1e-16; Filip's x^10,
  // the hardest legitimate term in NIST's set, near 1e-11).
  const double tolerance = 1e-13;
  const bool wide = k >= wide_terms;
  auto name = [&](std::size_t j) { return terms.at(j); };
  std::vector<dd>& l = fit.chol;
  l.assign(k * (k + 1) / 2, dd());
  for (std::size_t j = 0; j < k; ++j) {
    const dd cjj = c[packed(j, j)];
    const double scale = std::sqrt(state.n()) * std::abs(double(mean[j]));
    if (!(cjj.hi > 0) || std::sqrt(cjj.hi) <= 1e-14 * scale) {
      throw model_error(
          "term '" + name(j) + "' is " +
          (fit.intercept ? "constant, so it duplicates the intercept" : "zero in every row") +
          "; drop it from -x");
    }
    const dd pivot = minus_dot(cjj, &l[packed(j, 0)], &l[packed(j, 0)], j, wide);
    if (!(pivot.hi > 0) || std::sqrt(pivot.hi / cjj.hi) < tolerance) {
      throw model_error("term '" + name(j) + "' is a linear combination of the " +
                        (fit.intercept ? "intercept and the " : "") +
                        "terms before it (rank deficient design); drop it or one of them");
    }
    const dd ljj = sqrt(pivot);
    l[packed(j, j)] = ljj;
    for (std::size_t i = j + 1; i < k; ++i) {
      const dd v = minus_dot(c[packed(i, j)], &l[packed(i, 0)], &l[packed(j, 0)], j, wide);
      l[packed(i, j)] = v / ljj;
    }
  }
  // w = L^-1 c_xy; MSS = ||w||^2, RSS = C_yy - ||w||^2; slopes = L^-T w.
  std::vector<dd> w(k);
  dd mss;
  for (std::size_t j = 0; j < k; ++j) {
    const dd v = minus_dot(c[packed(k, j)], &l[packed(j, 0)], w.data(), j, wide);
    w[j] = v / l[packed(j, j)];
    mss += w[j] * w[j];
  }
  fit.mss = mss;
  fit.rss = c[packed(k, k)] - mss;
  if (fit.rss.hi < 0) fit.rss = dd();
  fit.slopes.assign(k, dd());
  for (std::size_t j = k; j-- > 0;) {
    dd v = w[j];
    for (std::size_t m = j + 1; m < k; ++m) v -= l[packed(m, j)] * fit.slopes[m];
    fit.slopes[j] = v / l[packed(j, j)];
  }
  return fit;
}

std::vector<bool> aliased_terms(const ols_state& state) {
  const std::size_t k = state.k();
  std::vector<bool> aliased(k, false);
  const dd n(state.n());
  std::vector<dd> c = state.cross();
  std::vector<dd> mean(k, dd());
  if (state.intercept() && state.n() > 0) {
    for (std::size_t i = 0; i < k; ++i) {
      mean[i] = dd(state.shift()[i]) + state.sums()[i] / n;
      for (std::size_t j = 0; j <= i; ++j) c[packed(i, j)] -= state.sums()[i] * state.sums()[j] / n;
    }
  }
  // The same tests as solve(), skipping a failing term instead of stopping:
  // a Cholesky factor of the kept terms only (L has zero rows for the others).
  const double tolerance = 1e-13;
  const bool wide = k >= wide_terms;
  std::vector<dd> l(k * (k + 1) / 2, dd());
  for (std::size_t j = 0; j < k; ++j) {
    const dd cjj = c[packed(j, j)];
    const double scale = std::sqrt(state.n()) * std::abs(double(mean[j]));
    const dd pivot = minus_dot(cjj, &l[packed(j, 0)], &l[packed(j, 0)], j, wide);
    if (!(cjj.hi > 0) || std::sqrt(cjj.hi) <= 1e-14 * scale || !(pivot.hi > 0) ||
        std::sqrt(pivot.hi / cjj.hi) < tolerance) {
      aliased[j] = true;
      continue;
    }
    const dd ljj = sqrt(pivot);
    l[packed(j, j)] = ljj;
    for (std::size_t i = j + 1; i < k; ++i) {
      const dd v = minus_dot(c[packed(i, j)], &l[packed(i, 0)], &l[packed(j, 0)], j, wide);
      l[packed(i, j)] = v / ljj;
    }
  }
  return aliased;
}

bool needs_residual_pass(const ols_state& state, const ols_fit& fit) {
  // The cross products carry a relative error of about n * 1e-32; the RSS,
  // found by subtraction, then keeps 16 digits while it exceeds n * 1e-15
  // times the response's sum of squares.
  const std::size_t k = state.k();
  const double yy = state.cross()[packed(k, k)].hi;
  return fit.rss.hi < state.n() * 1e-15 * yy;
}

namespace {
dd centred_fit(const ols_fit& fit, const dd* predictors, std::vector<dd>& t) {
  t.resize(fit.k());
  expand_terms(fit.degree, predictors, fit.predictor_count, t.data());
  dd v;
  for (std::size_t j = 0; j < t.size(); ++j) {
    t[j] -= fit.mean[j];
    v += fit.slopes[j] * t[j];
  }
  return v;
}

dd centred_fit(const ols_fit& fit, const double* predictors, std::vector<dd>& t) {
  thread_local std::vector<dd> values;
  values.assign(predictors, predictors + fit.predictor_count);
  return centred_fit(fit, values.data(), t);
}
}  // namespace

void add_squared_residual(const ols_fit& fit, const dd* predictors, dd y, dd& rss) {
  thread_local std::vector<dd> t;
  const dd r = (y - fit.y_mean) - centred_fit(fit, predictors, t);
  rss += r * r;
}

dd raw_intercept(const ols_fit& fit) {
  if (!fit.intercept) return dd();
  dd v = fit.y_mean;
  for (std::size_t j = 0; j < fit.k(); ++j) v -= fit.mean[j] * fit.slopes[j];
  return v;
}

leverage_value leverage_of(const ols_fit& fit, const double* predictors) {
  thread_local std::vector<dd> u;
  centred_fit(fit, predictors, u);
  const std::size_t k = fit.k();
  // Forward substitution L v = u, in place.
  double biggest = 0;
  for (std::size_t j = 0; j < k; ++j) {
    dd v = u[j];
    for (std::size_t m = 0; m < j; ++m) v -= fit.chol[packed(j, m)] * u[m];
    u[j] = v / fit.chol[packed(j, j)];
    // std::max would drop a NaN; keep it, so a NaN point gives a NaN leverage.
    biggest = std::isnan(u[j].hi) ? u[j].hi : std::max(biggest, std::abs(u[j].hi));
    if (std::isnan(biggest)) break;
  }
  if (!(biggest < 1e150)) {
    // The squares would overflow (TwoProd's error term of an infinite
    // product is NaN): sum the squares of u / biggest instead, in double,
    // which is all the digits a leverage this far out can show.
    if (!std::isfinite(biggest)) return {biggest, biggest};
    double sum = fit.intercept ? 1.0 / fit.centring_n() / biggest / biggest : 0.0;
    for (std::size_t j = 0; j < k; ++j) {
      const double r = u[j].hi / biggest;
      sum += r * r;
    }
    const double root = biggest * std::sqrt(sum);
    return {root * root, root};
  }
  dd h = fit.intercept ? dd(1.0) / dd(fit.centring_n()) : dd();
  for (std::size_t j = 0; j < k; ++j) h += u[j] * u[j];
  const double hd = double(h);
  return {hd, std::sqrt(hd)};
}

double leverage(const ols_fit& fit, const double* predictors) {
  return leverage_of(fit, predictors).h;
}

double fitted_value(const ols_fit& fit, const double* predictors) {
  thread_local std::vector<dd> t;
  const double v = double(fit.y_mean + centred_fit(fit, predictors, t));
  if (!std::isnan(v)) return v;
  // A product that overflows leaves TwoProd a NaN error term where the value
  // is an infinity: sum the plain products, which give that infinity (and
  // NaN only where the terms really are inf - inf or a NaN input).
  double plain = double(fit.y_mean);
  for (std::size_t j = 0; j < t.size(); ++j) plain += double(fit.slopes[j]) * t[j].hi;
  return plain;
}

std::vector<double> variance_factors(const ols_fit& fit) {
  const std::size_t k = fit.k();
  // Columns of L^-1: (X'X)^-1 = L^-T L^-1, so its (j, j) entry is the squared
  // norm of column j of L^-1.
  const bool wide = k >= wide_terms;
  std::vector<dd> col(k);
  std::vector<double> out(k + (fit.intercept ? 1 : 0));
  for (std::size_t j = 0; j < k; ++j) {
    dd norm2;
    for (std::size_t i = 0; i < k; ++i) {
      if (i < j) {
        col[i] = dd();
        continue;
      }
      const dd v =
          minus_dot(i == j ? dd(1.0) : dd(), &fit.chol[packed(i, j)], &col[j], i - j, wide);
      col[i] = v / fit.chol[packed(i, i)];
      norm2 += col[i] * col[i];
    }
    out[j] = double(norm2);
  }
  if (fit.intercept) {
    // var(b0) / sigma^2 = 1/n + ||L^-1 mean||^2: the centred intercept (the
    // mean of y) is uncorrelated with the slopes.
    std::vector<dd> v(fit.mean);
    dd h = dd(1.0) / dd(fit.centring_n());
    for (std::size_t j = 0; j < k; ++j) {
      for (std::size_t m = 0; m < j; ++m) v[j] -= fit.chol[packed(j, m)] * v[m];
      v[j] = v[j] / fit.chol[packed(j, j)];
      h += v[j] * v[j];
    }
    out[k] = double(h);
  }
  return out;
}

}  // namespace regress
