// Residual bootstrap intervals (Davison and Hinkley 1997, Algorithm 6.4);
// see bootstrap.hpp for the method and its conventions.

#include "regress/analyses/bootstrap.hpp"

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <limits>
#include <system_error>
#include <thread>

#include "regress/error.hpp"
#include "regress/model/ols.hpp"

namespace regress {
namespace {

__extension__ using wide = unsigned __int128;  // GCC and Clang: the 128-bit product

Eigen::Index index_of(std::size_t i) { return static_cast<Eigen::Index>(i); }

/// The columns of x: the intercept's, then the kept terms.
std::size_t columns_of(const model& m) {
  std::size_t kept = 0;
  for (std::size_t j = 0; j < m.slope_terms.size(); ++j) {
    if (j >= m.aliased.size() || !m.aliased[j]) ++kept;
  }
  return kept + (m.fit.intercept ? 1 : 0);
}

/// Row i of x from the kept term values.
void set_row(const model& m, const std::vector<double>& kept, Eigen::MatrixXd& x, Eigen::Index i) {
  Eigen::Index c = 0;
  if (m.fit.intercept) x(i, c++) = 1;
  for (double v : kept) x(i, c++) = v;
}

std::uint64_t splitmix_step(std::uint64_t& state) noexcept {
  state += 0x9e3779b97f4a7c15ULL;
  std::uint64_t z = state;
  z = (z ^ (z >> 30U)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27U)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31U);
}

/// What every replicate shares: the thin Q of x (scaled by sqrt(w)) row by
/// row, its R, and the centred modified residuals.
struct factorised {
  std::size_t n = 0, q = 0;
  std::vector<double> qrows;  // n x q, row-major: fast sums of Q' e*
  Eigen::MatrixXd r;          // q x q upper triangular
  std::vector<double> residuals;
};

factorised factorise(const bootstrap_rows& rows) {
  factorised f;
  f.n = static_cast<std::size_t>(rows.x.rows());
  f.q = static_cast<std::size_t>(rows.x.cols());
  if (f.n <= f.q) {
    throw model_error("the bootstrap needs more rows than coefficients: " + std::to_string(f.n) +
                      " rows, " + std::to_string(f.q) + " coefficients");
  }
  Eigen::MatrixXd x = rows.x;
  Eigen::VectorXd y = rows.y;
  if (rows.w.size() > 0) {
    const Eigen::VectorXd root = rows.w.cwiseSqrt();
    x = root.asDiagonal() * x;
    y = root.cwiseProduct(y);
  }
  const Eigen::HouseholderQR<Eigen::MatrixXd> qr(x);
  f.r = qr.matrixQR().topRows(index_of(f.q)).triangularView<Eigen::Upper>();
  const double scale = f.r.diagonal().cwiseAbs().maxCoeff();
  if (!(f.r.diagonal().cwiseAbs().minCoeff() > 1e-10 * scale)) {
    throw model_error("the bootstrap's design is rank deficient");
  }
  const Eigen::MatrixXd q =
      qr.householderQ() * Eigen::MatrixXd::Identity(index_of(f.n), index_of(f.q));
  const Eigen::VectorXd e = y - q * (q.transpose() * y);
  f.qrows.resize(f.n * f.q);
  f.residuals.resize(f.n);
  double sum = 0;
  for (std::size_t i = 0; i < f.n; ++i) {
    double h = 0;
    for (std::size_t j = 0; j < f.q; ++j) {
      const double v = q(index_of(i), index_of(j));
      f.qrows[i * f.q + j] = v;
      h += v * v;
    }
    // A row of leverage 1 has residual 0 and no information on the errors:
    // its modified residual is 0/0, taken as 0.
    const double rest = 1 - h;
    f.residuals[i] = rest > 1e-12 ? e(index_of(i)) / std::sqrt(rest) : 0;
    sum += f.residuals[i];
  }
  const double mean = sum / double(f.n);
  for (double& r : f.residuals) r -= mean;
  return f;
}

/// Replicates from..to-1: R^-1 Q' e* into shift's columns.
void run_block(const factorised& f, const bootstrap_options& o, std::size_t from, std::size_t to,
               bootstrap_replicates& b) {
  std::vector<double> sums(f.q);
  for (std::size_t m = from; m < to; ++m) {
    bootstrap_generator g(o.seed, m);
    std::fill(sums.begin(), sums.end(), 0.0);
    const double* row = f.qrows.data();
    for (std::size_t i = 0; i < f.n; ++i, row += f.q) {
      const double e = f.residuals[g.below(f.n)];
      for (std::size_t j = 0; j < f.q; ++j) sums[j] += row[j] * e;
    }
    const Eigen::Map<const Eigen::VectorXd> v(sums.data(), index_of(f.q));
    b.shift.col(index_of(m)) = f.r.triangularView<Eigen::Upper>().solve(v);
    b.error[m] = f.residuals[g.below(f.n)];
  }
}

}  // namespace

bootstrap_rows rows_of(const model& m, const design& d) {
  bootstrap_rows out;
  const std::size_t n = static_cast<std::size_t>(d.x.rows());
  const std::size_t np = static_cast<std::size_t>(d.x.cols());
  out.x.resize(index_of(n), index_of(columns_of(m)));
  out.y = d.y;
  std::vector<dd> values(np);
  std::vector<dd> terms(np + std::size_t(m.fit.degree) - 1);
  std::vector<double> kept(terms.size());
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < np; ++j) values[j] = d.x(index_of(i), index_of(j));
    expand_terms(m.fit.degree, values.data(), np, terms.data());
    for (std::size_t j = 0; j < terms.size(); ++j) kept[j] = double(terms[j]);
    set_row(m, kept, out.x, index_of(i));
  }
  return out;
}

bootstrap_rows rows_of(const model& m, const formula_frame& frame) {
  std::vector<std::size_t> used;
  for (std::size_t i = 0; i < frame.rows(); ++i) {
    if (frame.w.empty() || frame.w[i] > 0) used.push_back(i);
  }
  bootstrap_rows out;
  out.x.resize(index_of(used.size()), index_of(columns_of(m)));
  out.y.resize(index_of(used.size()));
  if (!frame.w.empty()) out.w.resize(index_of(used.size()));
  std::vector<double> kept;
  for (std::size_t k = 0; k < used.size(); ++k) {
    const std::size_t i = used[k];
    keep_columns(m, frame.x.data() + i * frame.p, kept);
    set_row(m, kept, out.x, index_of(k));
    out.y(index_of(k)) = double(frame.y[i]);
    if (!frame.w.empty()) out.w(index_of(k)) = frame.w[i];
  }
  return out;
}

Eigen::VectorXd point_of(const model& m, const double* predictors) {
  const std::size_t np = m.fit.predictor_count;
  std::vector<dd> values(predictors, predictors + np);
  std::vector<dd> terms(np + std::size_t(m.fit.degree) - 1);
  expand_terms(m.fit.degree, values.data(), np, terms.data());
  std::vector<double> kept;
  for (const dd& t : terms) kept.push_back(double(t));
  Eigen::MatrixXd x(1, index_of(columns_of(m)));
  set_row(m, kept, x, 0);
  return x.row(0).transpose();
}

bool point_of(const model& m, const row_values& row, Eigen::VectorXd& x0) {
  std::vector<dd> full(m.slope_terms.size());
  if (!design_row(*m.terms, row, full.data(), nullptr)) return false;
  std::vector<double> kept;
  keep_columns(m, full.data(), kept);
  Eigen::MatrixXd x(1, index_of(columns_of(m)));
  set_row(m, kept, x, 0);
  x0 = x.row(0).transpose();
  return true;
}

bootstrap_generator::bootstrap_generator(std::uint64_t seed, std::uint64_t replicate) {
  // Two splitmix64 outputs mixed: nearby (seed, replicate) pairs start far apart.
  std::uint64_t s = seed;
  const std::uint64_t a = splitmix_step(s);
  std::uint64_t t = a ^ (replicate * 0xd1b54a32d192ed03ULL);
  state_ = splitmix_step(t);
}

std::uint64_t bootstrap_generator::next() noexcept { return splitmix_step(state_); }

std::size_t bootstrap_generator::below(std::size_t n) noexcept {
  // Lemire (2019), "Fast random integer generation in an interval": the high
  // word of a 128-bit product, rejecting the few low words that would bias it.
  const auto range = static_cast<std::uint64_t>(n);
  wide product = static_cast<wide>(next()) * range;
  auto low = static_cast<std::uint64_t>(product);
  if (low < range) {
    const std::uint64_t floor = (0 - range) % range;
    while (low < floor) {
      product = static_cast<wide>(next()) * range;
      low = static_cast<std::uint64_t>(product);
    }
  }
  return static_cast<std::size_t>(product >> 64U);
}

bootstrap_replicates bootstrap(const bootstrap_rows& rows, const bootstrap_options& o) {
  if (o.replicates == 0) throw usage_error("the bootstrap needs at least one replicate");
  if (o.threads == 0) throw usage_error("the bootstrap needs at least one thread");
  const factorised f = factorise(rows);
  bootstrap_replicates b;
  b.shift.resize(index_of(f.q), index_of(o.replicates));
  b.error.resize(o.replicates);
  b.df_residual = double(f.n - f.q);
  const std::size_t threads = std::min<std::size_t>(o.threads, o.replicates);
  const std::size_t block = (o.replicates + threads - 1) / threads;
  std::vector<std::thread> pool;
  for (std::size_t t = 1; t < threads; ++t) {
    const std::size_t from = t * block;
    const std::size_t to = std::min(o.replicates, from + block);
    if (from >= to) continue;
    try {
      pool.emplace_back([&f, &o, &b, from, to] { run_block(f, o, from, to, b); });
    } catch (const std::system_error&) {
      // A thread the system would not start (a process limit): its block
      // runs here; the replicates are the same either way.
      run_block(f, o, from, to, b);
    }
  }
  run_block(f, o, 0, std::min(block, o.replicates), b);
  for (auto& th : pool) th.join();
  return b;
}

double bootstrap_quantile(const std::vector<double>& sorted, double p) {
  const std::size_t r = sorted.size();
  // (R+1)p within 1e-9 of a whole number is that number: (1 - 0.9) / 2 *
  // 1000 is 49.999999999999993 in doubles, and means the 50th.
  const double place = double(r + 1) * p;
  const double k = std::floor(place + 1e-9);
  if (k < 1) return sorted.front();
  if (k >= double(r)) return sorted.back();
  const auto i = static_cast<std::size_t>(k);  // order statistic k is sorted[k-1]
  if (place - k < 1e-9) return sorted[i - 1];
  // Davison and Hinkley (1997), eq. 5.8: interpolation on the normal scale.
  const boost::math::normal z;
  const double a = quantile(z, k / double(r + 1));
  const double c = quantile(z, (k + 1) / double(r + 1));
  const double t = (quantile(z, p) - a) / (c - a);
  return sorted[i - 1] + t * (sorted[i] - sorted[i - 1]);
}

bootstrap_limits bootstrap_interval(const bootstrap_replicates& b, const Eigen::VectorXd& x0,
                                    double centre, interval_kind kind, double level,
                                    double new_weight) {
  if (!(level > 0 && level < 1)) {
    throw usage_error("level must be strictly between 0 and 1, for example 0.95");
  }
  const Eigen::VectorXd moved = b.shift.transpose() * x0;  // x0'(beta*_m - beta_hat)
  std::vector<double> v(b.error.size());
  const double scale = 1 / std::sqrt(new_weight);
  for (std::size_t m = 0; m < v.size(); ++m) {
    const double d = moved(index_of(m));
    v[m] = kind == interval_kind::prediction ? d - b.error[m] * scale : d;
  }
  std::sort(v.begin(), v.end());
  const double low = bootstrap_quantile(v, (1 - level) / 2);
  const double high = bootstrap_quantile(v, (1 + level) / 2);
  if (kind == interval_kind::prediction) return {centre - high, centre - low};
  return {centre + low, centre + high};
}

prediction bootstrap_predict(const model& m, const bootstrap_replicates& b,
                             const double* predictors, interval_kind kind, double level) {
  prediction p = predict_one(m, predictors, kind, level);
  if (!std::isfinite(p.fit)) return p;
  const bootstrap_limits l = bootstrap_interval(b, point_of(m, predictors), p.fit, kind, level);
  p.lwr = l.lwr;
  p.upr = l.upr;
  return p;
}

prediction bootstrap_predict_row(const model& m, const bootstrap_replicates& b,
                                 const row_values& row, interval_kind kind, double level,
                                 double weight, std::size_t* unseen) {
  prediction p = predict_row(m, row, kind, level, weight, unseen);
  Eigen::VectorXd x0;
  if (p.where == region::new_level || !point_of(m, row, x0) || !std::isfinite(p.fit)) return p;
  const bootstrap_limits l = bootstrap_interval(b, x0, p.fit, kind, level, weight);
  p.lwr = l.lwr;
  p.upr = l.upr;
  return p;
}

}  // namespace regress
