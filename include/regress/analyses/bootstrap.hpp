#pragma once
/// \file bootstrap.hpp
/// Residual bootstrap intervals (`--method bootstrap`), as Davison and
/// Hinkley (1997), Bootstrap Methods and their Application, section 6.3.3,
/// Algorithm 6.4 (prediction in linear regression).
///
/// The fit's rows give the modified residuals r_j = e_j / sqrt(1 - h_j)
/// (h_j the row's leverage), centred. Replicate m draws n of them with
/// replacement, e*, and y* = fitted + e*; its coefficients are
/// beta*_m = beta_hat + (X'X)^-1 X' e*, from the one QR factorisation of X
/// (no refit), and it draws one more, eps*_m, the new response's error. At a
/// point x0 the simulated prediction error is
///   delta*_m = x0'beta*_m - (x0'beta_hat + eps*_m),
/// and the prediction interval is
///   [x0'beta_hat - delta*_((R+1)(1+level)/2), x0'beta_hat - delta*_((R+1)(1-level)/2)].
/// The confidence interval is the percentile interval of x0'beta*_m:
/// [q_((R+1)(1-level)/2), q_((R+1)(1+level)/2)].
///
/// Order statistics: the ((R+1)p)-th of R sorted values ((R+1)p within 1e-9
/// of a whole number is taken as it); when (R+1)p is not a whole number, interpolated on the normal
/// quantile scale between its neighbours k = floor((R+1)p) and k+1 (Davison and Hinkley 1997,
/// eq. 5.8), and the smallest or largest value when k < 1 or k >= R.
///
/// Weighted fits: the weighted analogue, on the rows scaled by sqrt(w)
/// (X~ = sqrt(w) X, e~ = sqrt(w) e, whose errors have a common variance);
/// a new row's error is eps*_m / sqrt(w0). Rows of weight 0 are left out
/// (they do not change the fit), and aliased columns (R's NA coefficients)
/// are left out, as the fit does.
///
/// Reproducible: replicate m draws from its own generator, seeded from
/// (seed, m), and the replicates are split across threads in fixed blocks,
/// so the result is the same for any thread count.

#include <Eigen/Dense>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "regress/model/design.hpp"
#include "regress/model/frame.hpp"
#include "regress/model/model.hpp"
#include "regress/model/predict.hpp"

namespace regress {

struct bootstrap_options {
  std::size_t replicates = 1999;  ///< R, at least 1
  std::uint64_t seed = 1;
  unsigned threads = 1;  ///< at least 1; the result does not depend on it
};

/// The fit's rows as the bootstrap resamples them: x is n x q, the column of
/// ones first (with an intercept), then the fit's estimable term columns in
/// model order; w the case weights (empty: unweighted). Rows of weight 0
/// are not included.
struct bootstrap_rows {
  Eigen::MatrixXd x;
  Eigen::VectorXd y;
  Eigen::VectorXd w;
};

/// The rows of a -y/-x model `m` fitted to `d` (powers formed as the fit
/// forms them).
bootstrap_rows rows_of(const model& m, const design& d);
/// The rows of a formula model `m` fitted to `frame` (fit_formula(frame)).
bootstrap_rows rows_of(const model& m, const formula_frame& frame);

/// A point's row of the bootstrap's x: a -y/-x model's predictor values.
Eigen::VectorXd point_of(const model& m, const double* predictors);
/// A formula model's row; false (x0 untouched) for a factor level never
/// seen in training.
bool point_of(const model& m, const row_values& row, Eigen::VectorXd& x0);

/// The generator of one replicate: splitmix64 (Steele, Lea and Flood 2014)
/// started from a state mixed from the seed and the replicate's index.
class bootstrap_generator {
 public:
  bootstrap_generator(std::uint64_t seed, std::uint64_t replicate);
  std::uint64_t next() noexcept;
  /// Uniform on 0..n-1 (n >= 1), by Lemire's (2019) multiply-and-reject.
  std::size_t below(std::size_t n) noexcept;

 private:
  std::uint64_t state_;
};

/// The replicates: per replicate m, column m of `shift` is beta*_m -
/// beta_hat and error[m] is eps*_m. Replicate m draws, from
/// bootstrap_generator(seed, m), the n residuals' row indices in row order
/// (below(n) each), then the new error's.
struct bootstrap_replicates {
  Eigen::MatrixXd shift;  ///< q x R
  std::vector<double> error;
  double df_residual = 0;  ///< n - q
};

/// Runs the bootstrap. Throws model_error when there are no more rows than
/// columns or x is rank deficient, usage_error for 0 replicates or threads.
bootstrap_replicates bootstrap(const bootstrap_rows& rows, const bootstrap_options& o);

/// The p-quantile of `sorted` (ascending, not empty) by the order statistic
/// (R+1)p, interpolated as the file comment says.
double bootstrap_quantile(const std::vector<double>& sorted, double p);

/// The interval at a point x0 (q values) around `centre` (x0'beta_hat, the
/// fit): prediction or confidence as the file comment says, at `level` in
/// (0,1); `new_weight` the new row's case weight (weighted fits).
struct bootstrap_limits {
  double lwr = 0;
  double upr = 0;
};
bootstrap_limits bootstrap_interval(const bootstrap_replicates& b, const Eigen::VectorXd& x0,
                                    double centre, interval_kind kind, double level,
                                    double new_weight = 1);

/// predict_one with the bootstrap's lwr and upr in place of the t
/// interval's (fit, se_fit, leverage and region stay the textbook's).
prediction bootstrap_predict(const model& m, const bootstrap_replicates& b,
                             const double* predictors, interval_kind kind, double level);
/// predict_row likewise (a new level stays NaN with region new_level).
prediction bootstrap_predict_row(const model& m, const bootstrap_replicates& b,
                                 const row_values& row, interval_kind kind, double level,
                                 double weight = 1, std::size_t* unseen = nullptr);

}  // namespace regress
