#pragma once
/// \file ols.hpp
/// The numeric core, as R's lm.fit: a one-pass, mergeable accumulator of the
/// least-squares problem, and its solution. No inference here.
///
/// Accuracy. Every cross product of the shifted terms and response is
/// accumulated in double-double (about 32 digits; see double_double.hpp), and
/// the k x k system is centred, Cholesky-factored and solved in double-double.
/// The normal equations square the condition number, but at 32 digits that
/// costs what a double-precision Householder QR costs only when the condition
/// number reaches 1e16, where no double method has a digit left; below that it
/// is strictly more accurate, and it needs one pass and O(k^2) state. Powers
/// of a predictor are formed in double-double too: rounding x^10 to double
/// alone would cap Filip at 7.6 digits. The one thing a single pass cannot
/// give to the last digit is a residual sum of squares far smaller than the
/// response's spread (a near-exact fit); residual_sum_of_squares() recomputes
/// it from the rows in a second pass, and needs_residual_pass() says when that
/// matters.

#include <Eigen/Dense>
#include <cstddef>
#include <string>
#include <vector>

#include "regress/model/double_double.hpp"

namespace regress {

/// Term values of one point: the predictors, then powers x^2..x^degree of the
/// single predictor (formed in double-double). `out` has np + degree - 1 slots.
void expand_terms(int degree, const dd* predictors, std::size_t np, dd* out);

/// Sufficient statistics of a least-squares problem on k terms (+ intercept):
/// the row count, per-column shifts (the first row's values; 0 without an
/// intercept), and in double-double the sums and cross products of the
/// shifted [terms y]. Merging re-expresses one state about the other's shifts
/// exactly, so any split of the rows merges to the state of all of them, up to
/// double-double rounding.
class ols_state {
 public:
  ols_state() = default;
  /// np predictors, polynomial `degree` (> 1 only with np == 1).
  ols_state(std::size_t np, int degree, bool intercept);

  /// Adds one row: np predictor values and the response. All finite.
  void add_row(const double* predictors, double y);
  /// Adds one row whose values carry low parts (decimal inputs to ~32 digits).
  void add_row(const dd* predictors, dd y);
  /// Adds one row with a case weight w >= 0 (weighted least squares, as R's
  /// lm(weights =)): its cross products count w times. A zero weight adds
  /// nothing (R drops such rows from the residual degrees of freedom).
  void add_row(const dd* predictors, dd y, double w);
  /// Adds the rows of x (n x np predictor values) with responses y.
  void add_rows(const Eigen::Ref<const Eigen::MatrixXd>& x,
                const Eigen::Ref<const Eigen::VectorXd>& y);
  /// Adds another state of the same model; throws model_error otherwise.
  void merge(const ols_state& other);

  std::size_t predictor_count() const noexcept { return np_; }
  int degree() const noexcept { return degree_; }
  bool intercept() const noexcept { return intercept_; }
  std::size_t k() const noexcept { return k_; }  ///< slope terms
  /// The number of rows (with weights: the sum of the weights, which is
  /// what centring divides by).
  double n() const noexcept { return n_; }
  /// Rows added with a positive weight (the count R calls n); n() unweighted.
  double rows() const noexcept { return weighted_ ? rows_ : n_; }
  bool weighted() const noexcept { return weighted_; }
  /// Sum of log(w) over the rows with a positive weight (logLik.lm).
  double log_weight_sum() const noexcept { return log_w_; }
  /// Marks a state built by from_parts as weighted: `rows` rows of positive
  /// weight (n() is then the weights' sum) whose logs sum to `log_w`.
  void set_weights(double rows, double log_w) {
    weighted_ = true;
    rows_ = rows;
    log_w_ = log_w;
  }
  /// The state of the same rows on the terms `keep` (ascending slope-term
  /// indices) only: the sub-problem without aliased columns.
  ols_state select(const std::vector<std::size_t>& keep) const;
  const std::vector<double>& shift() const noexcept { return shift_; }  ///< k + 1
  const std::vector<dd>& sums() const noexcept { return sums_; }        ///< k + 1
  /// Packed lower triangle of the cross products, row-major: (i, j<=i) at
  /// i(i+1)/2 + j, over the k terms then y.
  const std::vector<dd>& cross() const noexcept { return cross_; }

  /// Rebuilds a state from its parts (for reading saved states); throws
  /// model_error when the sizes do not fit the model.
  static ols_state from_parts(std::size_t np, int degree, bool intercept, double n,
                              std::vector<double> shift, std::vector<dd> sums,
                              std::vector<dd> cross);

 private:
  std::size_t np_ = 0;
  int degree_ = 1;
  bool intercept_ = true;
  std::size_t k_ = 0;
  double n_ = 0;
  std::vector<double> shift_;
  std::vector<dd> sums_;
  std::vector<dd> cross_;
  std::vector<dd> row_;  // scratch for one shifted row
  bool weighted_ = false;
  double rows_ = 0;   // rows with a positive weight (weighted only)
  double log_w_ = 0;  // sum of their log weights
};

/// The least-squares solution, with everything needed to predict and to do
/// inference. Serialised as is into model files, so a loaded model predicts
/// bit for bit what the fit it came from predicts.
struct ols_fit {
  std::size_t predictor_count = 0;  ///< columns given (before powers)
  int degree = 1;
  bool intercept = true;
  double nobs = 0;  ///< rows (with weights: rows of positive weight)
  double df_residual = 0;
  bool weighted = false;
  double log_weight_sum = 0;  ///< sum of log(w) over rows of positive weight
  double weight_sum = 0;      ///< sum of the weights (weighted only)
  /// What the intercept's variance divides by: the rows, or the weights' sum.
  double centring_n() const noexcept { return weighted ? weight_sum : nobs; }
  std::vector<dd> mean;    ///< k term means (0 without an intercept)
  dd y_mean;               ///< mean of y (0 without an intercept)
  std::vector<dd> slopes;  ///< k coefficients of the slope terms
  /// Packed lower-triangular L (row-major, k(k+1)/2) with L L' the centred
  /// (uncentred without an intercept) cross-product matrix of the terms.
  std::vector<dd> chol;
  dd rss;  ///< residual sum of squares
  dd mss;  ///< model sum of squares (centred with intercept, as R)
  std::size_t k() const noexcept { return slopes.size(); }
};

/// Solves the least-squares problem held in `state`. Throws model_error when
/// there are no more rows than parameters, or when a term is (numerically) a
/// linear combination of the terms before it or constant, naming the term
/// from `terms` (the k slope-term names).
ols_fit solve(const ols_state& state, const std::vector<std::string>& terms);

/// The slope terms R's lm would alias (coefficient NA): a term that is
/// constant (with an intercept), zero (without), or (numerically) a linear
/// combination of the non-aliased terms before it, in model order. Solve
/// state.select() of the others.
std::vector<bool> aliased_terms(const ols_state& state);

/// True when the one-pass residual sum of squares may have lost digits to
/// cancellation (a near-exact fit): recompute it with residual_sum_of_squares.
bool needs_residual_pass(const ols_state& state, const ols_fit& fit);

/// Adds one row's squared residual, in double-double, to `rss`.
void add_squared_residual(const ols_fit& fit, const dd* predictors, dd y, dd& rss);

/// Intercept in the raw parametrisation: mean(y) - mean(terms)' slopes (0 without).
dd raw_intercept(const ols_fit& fit);

/// Leverage h = x0'(X'X)^-1 x0 of a point given its predictor values, from
/// the triangular factor: (1/n with an intercept) + ||L^-1 (t - mean)||^2.
double leverage(const ols_fit& fit, const double* predictors);

/// A leverage and its square root. Far from the data (|x| near 1e160 for a
/// straight line) h overflows to inf while sqrt(h), which the standard
/// errors and intervals need, is finite; `root` is then found from the
/// scaled terms and stays finite.
struct leverage_value {
  double h = 0;     ///< x0'(X'X)^-1 x0 (inf where it overflows)
  double root = 0;  ///< sqrt(h), finite wherever its terms are
};

/// The leverage of a point and its square root (leverage_value); h is
/// leverage(fit, predictors) bit for bit wherever that is finite.
leverage_value leverage_of(const ols_fit& fit, const double* predictors);

/// Fitted value at a point given its predictor values.
double fitted_value(const ols_fit& fit, const double* predictors);

/// Diagonal of (X'X)^-1 for the slope terms (centred with an intercept), and
/// for the raw intercept as the last element when there is one: the squared
/// standard errors divided by sigma^2.
std::vector<double> variance_factors(const ols_fit& fit);

}  // namespace regress
