#include "regress/analyses/check.hpp"

#include <algorithm>
#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <limits>

#include "regress/analyses/diagnostics.hpp"
#include "regress/error.hpp"
#include "regress/model/distributions.hpp"

namespace regress {
namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

std::size_t packed(std::size_t i, std::size_t j) { return i * (i + 1) / 2 + j; }

/// Horner's rule with the constant first, as AS 181.2 (the polynomials of
/// AS R94).
double polynomial(const double* c, int terms, double x) {
  double v = c[0];
  if (terms > 1) {
    double p = x * c[terms - 1];
    for (int j = terms - 2; j > 0; --j) p = (p + c[j]) * x;
    v += p;
  }
  return v;
}

/// The half of AS R94's antisymmetric coefficients for n values: a[1..n/2]
/// (a[0] unused), normalised as the algorithm does for n > 3.
std::vector<double> shapiro_coefficients(std::size_t n) {
  static const double c1[6] = {0., .221157, -.147981, -2.07119, 4.434685, -2.706056};
  static const double c2[6] = {0., .042981, -.293762, -1.752461, 5.682633, -3.582633};
  const std::size_t half = n / 2;
  std::vector<double> a(half + 1);
  if (n == 3) {
    a[1] = 0.70710678;  // the algorithm's sqrt(1/2), to its eight digits
    return a;
  }
  const double an = static_cast<double>(n);
  const boost::math::normal standard;
  double summ2 = 0;
  for (std::size_t i = 1; i <= half; ++i) {
    a[i] = boost::math::quantile(standard, (static_cast<double>(i) - 0.375) / (an + 0.25));
    summ2 += a[i] * a[i];
  }
  summ2 *= 2;
  const double ssumm2 = std::sqrt(summ2);
  const double rsn = 1 / std::sqrt(an);
  const double a1 = polynomial(c1, 6, rsn) - a[1] / ssumm2;
  std::size_t first = 2;
  double fac = 0;
  if (n > 5) {
    first = 3;
    const double a2 = -a[2] / ssumm2 + polynomial(c2, 6, rsn);
    fac = std::sqrt((summ2 - 2 * a[1] * a[1] - 2 * a[2] * a[2]) / (1 - 2 * a1 * a1 - 2 * a2 * a2));
    a[2] = a2;
  } else {
    fac = std::sqrt((summ2 - 2 * a[1] * a[1]) / (1 - 2 * a1 * a1));
  }
  a[1] = a1;
  for (std::size_t i = first; i <= half; ++i) a[i] /= -fac;
  return a;
}

/// W's upper-tail p-value (AS R94's normalising transformations).
double shapiro_p(std::size_t n, double w, double w1) {
  static const double g[2] = {-2.273, .459};
  static const double c3[4] = {.544, -.39978, .025054, -6.714e-4};
  static const double c4[4] = {1.3822, -.77857, .062767, -.0020322};
  static const double c5[4] = {-1.5861, -.31082, -.083751, .0038915};
  static const double c6[3] = {-.4803, -.082676, .0030302};
  if (n == 3) {
    // Exact for three values: 6/pi (asin(sqrt(W)) - asin(sqrt(3/4))).
    const double p = 1.90985931710274 * (std::asin(std::sqrt(w)) - 1.04719755119660);
    return std::max(p, 0.0);
  }
  const double an = static_cast<double>(n);
  double y = std::log(w1);
  double m = 0, s = 0;
  if (n <= 11) {
    const double gamma = polynomial(g, 2, an);
    if (y >= gamma) return 1e-99;  // the algorithm's "obvious" value
    y = -std::log(gamma - y);
    m = polynomial(c3, 4, an);
    s = std::exp(polynomial(c4, 4, an));
  } else {
    const double xx = std::log(an);
    m = polynomial(c5, 4, xx);
    s = std::exp(polynomial(c6, 3, xx));
  }
  return boost::math::cdf(boost::math::complement(boost::math::normal(m, s), y));
}

/// L^-1 v for the fit's triangular factor (forward substitution).
std::vector<dd> solve_lower(const ols_fit& fit, const dd* v) {
  const std::size_t k = fit.k();
  std::vector<dd> u(v, v + k);
  for (std::size_t j = 0; j < k; ++j) {
    for (std::size_t m = 0; m < j; ++m) u[j] -= fit.chol[packed(j, m)] * u[m];
    u[j] = u[j] / fit.chol[packed(j, j)];
  }
  return u;
}

double upper_chi_squared(double df, double x) {
  if (!(df > 0) || !(x >= 0)) return nan;
  return boost::math::cdf(boost::math::complement(boost::math::chi_squared(df), x));
}

}  // namespace

shapiro_result shapiro_wilk(std::vector<double> x) {
  const std::size_t n = x.size();
  if (n < 3 || n > shapiro_max_rows) {
    throw model_error("Shapiro-Wilk needs 3 to 5000 values; got " + std::to_string(n));
  }
  std::sort(x.begin(), x.end());
  double range = x[n - 1] - x[0];
  if (range < 1e-10) throw model_error("Shapiro-Wilk needs values that are not all equal");
  // shapiro.test rescales data whose range is tiny against their size.
  if (range < 1e-10 * std::abs(x[0])) {
    for (double& v : x) v /= range;
    range = x[n - 1] - x[0];
  }
  const std::vector<double> a = shapiro_coefficients(n);
  // W is the squared correlation of the sorted values with the
  // antisymmetric coefficients; 1 - W is formed directly, as AS R94 does,
  // to keep its digits when W is near 1.
  std::vector<double> coef(n);
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t j = n - 1 - i;
    coef[i] = i == j ? 0.0 : (i < j ? -a[1 + i] : a[1 + j]);
  }
  double sa = 0, sx = 0;
  for (std::size_t i = 0; i < n; ++i) {
    sa += coef[i];
    sx += x[i] / range;
  }
  sa /= static_cast<double>(n);
  sx /= static_cast<double>(n);
  double ssa = 0, ssx = 0, sax = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double asa = coef[i] - sa;
    const double xsx = x[i] / range - sx;
    ssa += asa * asa;
    ssx += xsx * xsx;
    sax += asa * xsx;
  }
  const double root = std::sqrt(ssa * ssx);
  const double w1 = (root - sax) * (root + sax) / (ssa * ssx);
  shapiro_result r;
  r.w = 1 - w1;
  r.p_value = shapiro_p(n, r.w, w1);
  return r;
}

check_gatherer::check_gatherer(const model& m) : m_(&m), k_(m.fit.k()) {
  const ols_fit& fit = m.fit;
  sigma2_ = double(fit.rss) / fit.nobs;
  centre_ = fit.intercept ? double(fit.y_mean) : 0.0;
  // RESET's powers of the fitted values are taken standardised (as
  // resettest scales y): the same span, better conditioned cross products.
  const double spread = std::sqrt(double(fit.mss) / fit.centring_n());
  scale_ = spread > 0 && std::isfinite(spread) ? spread : 1.0;
  centred_.assign(3 * k_, dd());
}

void check_gatherer::add(std::size_t record, const double* kept, double y, double weight) {
  const row_diagnostics d = diagnose_row(*m_, kept, y, weight);
  const double e = d.resid;
  // shapiro.test(residuals(m)) and bptest's sum of squares take every row,
  // those of weight 0 too; the rest leaves them out, as R's influence().
  ++all_rows_;
  if (all_rows_ <= shapiro_max_rows) residuals_.push_back(e);
  if (!(weight > 0)) {
    v_squares_ += dd(e * e - sigma2_) * dd(e * e - sigma2_);
    return;
  }
  ++rows_;
  const double u = (d.fitted - centre_) / scale_;
  const double z[3] = {u * u, u * u * u, e * e - sigma2_};
  const dd w(weight);
  for (std::size_t a = 0; a < 3; ++a) {
    const dd wz = w * dd(z[a]);
    sum_[a] += wz;
    for (std::size_t j = 0; j < k_; ++j) {
      centred_[a * k_ + j] += wz * (dd(kept[j]) - m_->fit.mean[j]);
    }
  }
  cross_[0] += w * dd(z[0]) * dd(z[0]);
  cross_[1] += w * dd(z[0]) * dd(z[1]);
  cross_[2] += w * dd(z[1]) * dd(z[1]);
  with_e_[0] += w * dd(z[0]) * dd(e);
  with_e_[1] += w * dd(z[1]) * dd(e);
  v_squares_ += dd(z[2]) * dd(z[2]);
  const double r = std::sqrt(weight) * e;
  if (any_) {
    const dd step = dd(r) - dd(last_);
    diff_squares_ += step * step;
  } else {
    first_ = r;
  }
  any_ = true;
  last_ = r;
  squares_ += dd(r) * dd(r);
  if (std::abs(d.rstudent) > max_abs_rstudent_) {
    max_abs_rstudent_ = std::abs(d.rstudent);
    rstudent_ = d.rstudent;
    rstudent_row_ = record + 1;
  }
  if (d.cooksd > max_cooks_) {
    max_cooks_ = d.cooksd;
    cooks_row_ = record + 1;
  }
  if (d.cooksd > 4 / m_->fit.nobs) ++cooks_over_;
}

void check_gatherer::append(const check_gatherer& later, std::size_t records_before) {
  if (later.all_rows_ == 0) return;
  for (std::size_t a = 0; a < 3; ++a) sum_[a] += later.sum_[a];
  for (std::size_t i = 0; i < centred_.size(); ++i) centred_[i] += later.centred_[i];
  for (std::size_t i = 0; i < 3; ++i) cross_[i] += later.cross_[i];
  for (std::size_t i = 0; i < 2; ++i) with_e_[i] += later.with_e_[i];
  v_squares_ += later.v_squares_;
  diff_squares_ += later.diff_squares_;
  if (any_) {
    const dd step = dd(later.first_) - dd(last_);
    diff_squares_ += step * step;
  } else {
    first_ = later.first_;
  }
  any_ = true;
  last_ = later.last_;
  squares_ += later.squares_;
  rows_ += later.rows_;
  all_rows_ += later.all_rows_;
  if (all_rows_ <= shapiro_max_rows) {
    residuals_.insert(residuals_.end(), later.residuals_.begin(), later.residuals_.end());
  } else {
    residuals_.clear();
    residuals_.shrink_to_fit();
  }
  // Ties keep the earlier row, as R's which.max.
  if (later.max_abs_rstudent_ > max_abs_rstudent_) {
    max_abs_rstudent_ = later.max_abs_rstudent_;
    rstudent_ = later.rstudent_;
    rstudent_row_ = records_before + later.rstudent_row_;
  }
  if (later.max_cooks_ > max_cooks_) {
    max_cooks_ = later.max_cooks_;
    cooks_row_ = records_before + later.cooks_row_;
  }
  cooks_over_ += later.cooks_over_;
}

check_report check_model(const check_gatherer& g, const model& m) {
  const ols_fit& fit = m.fit;
  const std::size_t k = g.k_;
  // The auxiliary regressions' projections on the model's columns, P(a, b)
  // = z_a' W X (X'WX)^-1 X' W z_b: from the weighted sums and the sums about
  // the term means, through the fit's factor (L L' the centred cross
  // products), as leverage_of does for one row.
  std::vector<std::vector<dd>> solved;
  for (std::size_t a = 0; a < 3; ++a) solved.push_back(solve_lower(fit, g.centred_.data() + a * k));
  const auto project = [&](std::size_t a, std::size_t b) {
    dd v = fit.intercept ? g.sum_[a] * g.sum_[b] / dd(fit.centring_n()) : dd();
    for (std::size_t j = 0; j < k; ++j) v += solved[a][j] * solved[b][j];
    return v;
  };
  const double n = static_cast<double>(g.rows_);
  const double rank = static_cast<double>(k) + (fit.intercept ? 1.0 : 0.0);
  check_report r;
  r.rows = g.rows_;
  r.all_rows = g.all_rows_;

  // RESET: the residual sum of squares the two powers remove, from their
  // cross products with the residuals and their own after projection on X.
  check_test reset{"reset", nan, {}, nan, 0, 0, false, false};
  {
    const double g00 = double(g.cross_[0] - project(0, 0));
    const double g01 = double(g.cross_[1] - project(0, 1));
    const double g11 = double(g.cross_[2] - project(1, 1));
    const double b0 = double(g.with_e_[0]), b1 = double(g.with_e_[1]);
    // A power that the model's columns (nearly) span adds nothing: R's
    // lm.fit drops it (pivoting at tolerance 1e-7); so does this.
    constexpr double tol = 1e-7;
    const bool keep0 = g00 > tol * double(g.cross_[0]);
    const bool keep1 =
        g11 > tol * double(g.cross_[2]) && (!keep0 || g00 * g11 - g01 * g01 > tol * g00 * g11);
    double removed = 0;
    if (keep0 && keep1) {
      const double det = g00 * g11 - g01 * g01;
      removed = (g11 * b0 * b0 - 2 * g01 * b0 * b1 + g00 * b1 * b1) / det;
    } else if (keep0) {
      removed = b0 * b0 / g00;
    } else if (keep1) {
      removed = b1 * b1 / g11;
    }
    removed = std::max(removed, 0.0);
    // resettest counts every column of the model matrix, aliased ones too.
    const double full = static_cast<double>(m.slope_terms.size()) + (fit.intercept ? 1.0 : 0.0);
    const double df2 = n - (full + 2);
    const double rss2 = double(fit.rss) - removed;
    reset.statistic = (removed / 2) / (rss2 / df2);
    reset.df = {2, df2};
    const bool defined = df2 > 0 && rss2 > 0 && std::isfinite(reset.statistic);
    reset.p_value = defined ? upper_tail(fisher_f{2, df2}, reset.statistic) : nan;
    if (!defined) reset.statistic = nan;
    reset.rejects = reset.p_value < 0.05;
  }
  r.tests.push_back(reset);

  // Breusch-Pagan (studentized): n times the share of the squared
  // residuals' spread about their mean square that the columns explain.
  check_test bp{"breusch_pagan", nan, {rank - 1}, nan, 0, 0, false, false};
  bp.statistic = n * double(project(2, 2)) / double(g.v_squares_);
  bp.p_value = std::isfinite(bp.statistic) ? upper_chi_squared(rank - 1, bp.statistic) : nan;
  bp.rejects = bp.p_value < 0.05;
  r.tests.push_back(bp);

  check_test sw{"shapiro_wilk", nan, {}, nan, 0, 0, false, false};
  if (g.all_rows_ >= 3 && g.all_rows_ <= shapiro_max_rows) {
    try {
      const shapiro_result s = shapiro_wilk(g.residuals_);
      sw.statistic = s.w;
      sw.p_value = s.p_value;
      sw.rejects = s.p_value < 0.05;
    } catch (const model_error&) {
      sw.skipped = true;  // residuals all equal: nothing to test
    }
  } else {
    sw.skipped = true;
  }
  r.tests.push_back(sw);

  check_test dw{"durbin_watson", double(g.diff_squares_ / g.squares_), {}, nan, 0, 0, false, false};
  dw.rejects = !(dw.statistic >= 1.5 && dw.statistic <= 2.5);
  r.tests.push_back(dw);

  // car::outlierTest: the two-sided t p-value of the largest |rstudent| on
  // df - 1 degrees of freedom, times n (Bonferroni), capped at 1.
  check_test out{"outlier", g.rstudent_, {fit.df_residual - 1}, nan, g.rstudent_row_, 0,
                 false,     false};
  if (fit.df_residual > 1 && std::isfinite(g.rstudent_)) {
    out.p_value = std::min(1.0, n * two_sided_p(student_t{fit.df_residual - 1}, g.rstudent_));
  }
  out.rejects = out.p_value < 0.05;
  r.tests.push_back(out);

  check_test cooks{"cooks_distance", g.max_cooks_,  {},    nan,
                   g.cooks_row_,     g.cooks_over_, false, false};
  cooks.rejects = g.max_cooks_ > 0.5;
  r.tests.push_back(cooks);
  return r;
}

bool form_or_variance_doubtful(const check_report& r, double alpha) {
  for (const auto& t : r.tests) {
    if ((t.test == "reset" || t.test == "breusch_pagan") && t.p_value < alpha) return true;
  }
  return false;
}

}  // namespace regress
