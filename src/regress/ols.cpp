#include "regress/ols.hpp"

#include <cmath>
#include <limits>
#include <utility>

#include "regress/error.hpp"

namespace regress {
namespace {

/// The R factor (cols x cols, upper triangular) of `a` by Householder QR.
/// Rows beyond min(rows, cols) are zero when a has fewer rows than columns.
Eigen::MatrixXd r_factor(const Eigen::MatrixXd& a) {
  const Eigen::Index cols = a.cols();
  Eigen::MatrixXd r = Eigen::MatrixXd::Zero(cols, cols);
  if (a.rows() == 0) return r;
  Eigen::HouseholderQR<Eigen::MatrixXd> qr(a);
  const Eigen::Index top = std::min(a.rows(), cols);
  r.topRows(top) = qr.matrixQR().topRows(top).triangularView<Eigen::Upper>();
  return r;
}

/// Mean of each column, with a second pass that corrects the first's rounding.
Eigen::VectorXd column_means(const Eigen::MatrixXd& a) {
  Eigen::VectorXd m = a.colwise().mean().transpose();
  m += (a.rowwise() - m.transpose()).colwise().mean().transpose();
  return m;
}

}  // namespace

qr_state::qr_state(Eigen::Index k, bool intercept)
    : k_(k),
      intercept_(intercept),
      shift_(Eigen::VectorXd::Zero(k + 1)),
      shift_lo_(Eigen::VectorXd::Zero(k + 1)),
      r_(Eigen::MatrixXd::Zero(k + 1, k + 1)) {}

qr_state qr_state::from_parts(bool intercept, double n, Eigen::VectorXd shift,
                              Eigen::VectorXd shift_lo, Eigen::MatrixXd r) {
  qr_state s(shift.size() - 1, intercept);
  s.n_ = n;
  s.shift_ = std::move(shift);
  s.shift_lo_ = std::move(shift_lo);
  s.r_ = std::move(r);
  return s;
}

void qr_state::add_rows(const Eigen::Ref<const Eigen::MatrixXd>& x,
                        const Eigen::Ref<const Eigen::VectorXd>& y) {
  if (x.cols() != k_ || x.rows() != y.size()) {
    throw model_error("internal: block shape does not match the model");
  }
  if (x.rows() == 0) return;
  Eigen::MatrixXd block(x.rows(), k_ + 1);
  block.leftCols(k_) = x;
  block.col(k_) = y;
  Eigen::VectorXd mean = Eigen::VectorXd::Zero(k_ + 1);
  Eigen::VectorXd mean_lo = Eigen::VectorXd::Zero(k_ + 1);
  if (intercept_) {
    mean = column_means(block);
    block.rowwise() -= mean.transpose();
    // The rounded mean misses the exact one by up to half an ulp of the mean:
    // for x = 1e9 + small steps that is 1e-7, far from negligible against the
    // spread. Keep what the centred columns still average as a low part.
    mean_lo = block.colwise().mean().transpose();
  }
  merge(from_parts(intercept_, static_cast<double>(x.rows()), std::move(mean), std::move(mean_lo),
                   r_factor(block)));
}

void qr_state::merge(const qr_state& other) {
  if (other.k_ != k_ || other.intercept_ != intercept_) {
    throw model_error("cannot merge fits of different models (terms or intercept differ)");
  }
  if (other.n_ == 0) return;
  if (n_ == 0) {
    n_ = other.n_;
    shift_ = other.shift_;
    shift_lo_ = other.shift_lo_;
    r_ = other.r_;
    return;
  }
  const double n = n_ + other.n_;
  const Eigen::Index extra = intercept_ ? 1 : 0;
  Eigen::MatrixXd stacked(2 * (k_ + 1) + extra, k_ + 1);
  stacked.topRows(k_ + 1) = r_;
  stacked.middleRows(k_ + 1, k_ + 1) = other.r_;
  if (intercept_) {
    // The between-group scatter n_a n_b / n (m_b - m_a)(m_b - m_a)'.
    const Eigen::VectorXd delta = (other.shift_ - shift_) + (other.shift_lo_ - shift_lo_);
    stacked.bottomRows(1) = std::sqrt(n_ * other.n_ / n) * delta.transpose();
    // New mean = old + delta n_b / n, kept as a high and a low part (Fast2Sum:
    // the step is no larger than the gap between the means).
    const Eigen::VectorXd step = delta * (other.n_ / n);
    const Eigen::VectorXd high = shift_ + step;
    shift_lo_ += (shift_ - high) + step;
    shift_ = high;
  }
  r_ = r_factor(stacked);
  n_ = n;
}

ols_fit solve(const qr_state& state, const std::vector<std::string>& terms) {
  const Eigen::Index k = state.k();
  const double p = static_cast<double>(k) + (state.intercept() ? 1 : 0);
  if (!(state.n() > p)) {
    throw model_error("the model has " + std::to_string(static_cast<long>(p)) +
                      " parameters but only " + std::to_string(static_cast<long>(state.n())) +
                      " complete rows; it needs more rows than parameters");
  }
  const Eigen::MatrixXd& ra = state.r();
  ols_fit fit;
  fit.intercept = state.intercept();
  fit.nobs = state.n();
  fit.df_residual = state.n() - p;
  fit.center = state.shift().head(k);
  fit.center_lo = state.shift_lo().head(k);
  fit.y_center = state.shift()(k);
  fit.y_center_lo = state.shift_lo()(k);
  fit.r = ra.topLeftCorner(k, k).triangularView<Eigen::Upper>();

  // Rank: the sine of the angle between each term's (centred) column and the
  // span of the terms before it is |R_jj| / ||R_{.j}||, independent of column
  // scale. Below the tolerance the term adds nothing the others do not
  // already hold, to double precision. Filip's x^10 (centred) sits near
  // 1e-10; an exact copy or combination sits near 1e-16.
  const double tolerance = 1e-13;
  auto name = [&](Eigen::Index j) { return terms.at(static_cast<std::size_t>(j)); };
  for (Eigen::Index j = 0; j < k; ++j) {
    const double norm = fit.r.col(j).head(j + 1).norm();
    const double scale = std::sqrt(state.n()) * std::abs(fit.center(j));
    if (norm == 0 || norm <= 1e-14 * scale) {
      throw model_error("term '" + name(j) + "' is " +
                        (state.intercept() ? "constant, so it duplicates the intercept"
                                           : "zero in every row") +
                        "; drop it from -x");
    }
    if (std::abs(fit.r(j, j)) < tolerance * norm) {
      throw model_error("term '" + name(j) + "' is a linear combination of the " +
                        (state.intercept() ? "intercept and the " : "") +
                        "terms before it (rank deficient design); drop it or one of them");
    }
  }

  const Eigen::VectorXd z = ra.col(k).head(k);
  fit.slopes = fit.r.triangularView<Eigen::Upper>().solve(z);
  fit.rss = ra(k, k) * ra(k, k);
  fit.mss = z.squaredNorm();
  return fit;
}

double raw_intercept(const ols_fit& fit) {
  if (!fit.intercept) return 0.0;
  return fit.y_center + (fit.y_center_lo - (fit.center + fit.center_lo).dot(fit.slopes));
}

Eigen::VectorXd centred(const ols_fit& fit, const Eigen::Ref<const Eigen::VectorXd>& term_row) {
  // (t - center) is exact when t is near the centre (Sterbenz); the low part
  // then carries the rest of the mean.
  return (term_row - fit.center) - fit.center_lo;
}

double leverage(const ols_fit& fit, const Eigen::Ref<const Eigen::VectorXd>& term_row) {
  const Eigen::VectorXd w =
      fit.r.transpose().triangularView<Eigen::Lower>().solve(centred(fit, term_row));
  return w.squaredNorm() + (fit.intercept ? 1.0 / fit.nobs : 0.0);
}

double fitted_value(const ols_fit& fit, const Eigen::Ref<const Eigen::VectorXd>& term_row) {
  return fit.y_center + (fit.y_center_lo + centred(fit, term_row).dot(fit.slopes));
}

}  // namespace regress
