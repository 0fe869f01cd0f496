#pragma once
/// \file ols.hpp
/// The numeric core, as R's lm.fit but stable: a mergeable QR state of the
/// (centred, when there is an intercept) design augmented with the response,
/// and the least-squares solution read from it. No inference here.
///
/// The state is O(k^2) whatever the number of rows: rows can be added in
/// blocks and two states merged, giving the fit of the concatenated data.

#include <cstddef>
#include <string>
#include <vector>

#include <Eigen/Dense>

namespace regress {

/// Sufficient state for least squares on k slope terms (+ intercept).
/// With an intercept it holds the column means of [X y] and the R factor of
/// the centred [X y]; without, zero shifts and the R factor of the raw [X y].
/// Centring uses the exact update for merging two groups (Chan, Golub and
/// LeVeque): the scatter of a union is the sum of scatters plus
/// n_a n_b / n (m_a - m_b)(m_a - m_b)', added as one more row to the QR.
class qr_state {
 public:
  qr_state() = default;
  qr_state(Eigen::Index k, bool intercept);

  /// Adds the rows of x (n x k) with responses y (n). All values finite.
  void add_rows(const Eigen::Ref<const Eigen::MatrixXd>& x,
                const Eigen::Ref<const Eigen::VectorXd>& y);
  /// Adds another state of the same shape; the result is the state of both.
  /// Throws model_error when the shapes differ.
  void merge(const qr_state& other);

  Eigen::Index k() const noexcept { return k_; }
  bool intercept() const noexcept { return intercept_; }
  double n() const noexcept { return n_; }
  /// Column shifts of [X y] (means with an intercept, zeros without); size k+1.
  const Eigen::VectorXd& shift() const noexcept { return shift_; }
  /// What the shift misses of the exact means: the mean of (column - shift),
  /// so that shift + shift_lo is the mean to about twice double precision.
  const Eigen::VectorXd& shift_lo() const noexcept { return shift_lo_; }
  /// Upper-triangular (k+1) x (k+1) R factor of the shifted [X y].
  const Eigen::MatrixXd& r() const noexcept { return r_; }

  /// Rebuilds a state from its parts (for reading saved states).
  static qr_state from_parts(bool intercept, double n, Eigen::VectorXd shift,
                             Eigen::VectorXd shift_lo, Eigen::MatrixXd r);

 private:
  Eigen::Index k_ = 0;
  bool intercept_ = true;
  double n_ = 0;
  Eigen::VectorXd shift_;
  Eigen::VectorXd shift_lo_;
  Eigen::MatrixXd r_;
};

/// The least-squares solution in the internal (centred) parametrisation, with
/// everything needed to predict and to do inference. Serialised as is into
/// model files, so a loaded model predicts bit-for-bit what a fresh fit does.
struct ols_fit {
  bool intercept = true;
  double nobs = 0;
  double df_residual = 0;
  Eigen::VectorXd center;    ///< k column shifts (means with intercept, else 0)
  Eigen::VectorXd center_lo; ///< k low parts: mean = center + center_lo
  double y_center = 0;       ///< mean of y with intercept, else 0
  double y_center_lo = 0;    ///< low part of the mean of y
  Eigen::VectorXd slopes;    ///< k coefficients of the slope terms
  Eigen::MatrixXd r;         ///< k x k upper-triangular factor of the shifted X
  double rss = 0;            ///< residual sum of squares
  double mss = 0;            ///< model sum of squares (centred with intercept, as R)
};

/// Solves the least-squares problem held in `state`. Throws model_error when
/// there are no more rows than parameters, or when a term is (numerically)
/// a linear combination of the terms before it, naming the term from
/// `terms` (the k slope-term names).
ols_fit solve(const qr_state& state, const std::vector<std::string>& terms);

/// Intercept in the raw parametrisation: mean(y) - mean(x)' slopes (0 without).
double raw_intercept(const ols_fit& fit);

/// Term row minus the column means, with the means' low parts applied.
Eigen::VectorXd centred(const ols_fit& fit, const Eigen::Ref<const Eigen::VectorXd>& term_row);

/// h = (1/n if intercept) + || R^-T (t - mean) ||^2 for a term row t:
/// the leverage x0'(X'X)^-1 x0 of a point, computed from the triangular factor.
double leverage(const ols_fit& fit, const Eigen::Ref<const Eigen::VectorXd>& term_row);

/// Fitted value at a term row.
double fitted_value(const ols_fit& fit, const Eigen::Ref<const Eigen::VectorXd>& term_row);

}  // namespace regress
