#pragma once
/// \file robust.hpp
/// Heteroskedasticity-consistent and clustered covariances of a fit's
/// coefficients, as R's sandwich::vcovHC (HC0 to HC4) and
/// sandwich::vcovCL(type = "HC1") define them for lm, and the Wald test of
/// the slopes that lmtest::waldtest(m, vcov = ...) makes with them.
///
/// The bread is (X'WX)^-1, which the fit holds as a triangular factor; the
/// meat needs each row's residual (and, for HC2 to HC4, its leverage), so it
/// is summed in a second pass over the rows (meat_sum), in the fit's centred
/// coordinates z = (1, x - mean), in which the bread is block diagonal.

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "regress/model/ols.hpp"

namespace regress {

/// The covariance estimators of --vcov.
enum class vcov_kind { constant, hc0, hc1, hc2, hc3, hc4, cl };

/// Reads a --vcov value (const, HC0..HC4, CL; case as written). Throws
/// usage_error listing the choices for anything else.
vcov_kind parse_vcov(std::string_view text);

/// The name of a covariance as --vcov takes it ("const", "HC3", "CL").
std::string vcov_name(vcov_kind kind);

/// Whether the estimator weighs each row by its leverage (HC2, HC3, HC4).
bool vcov_needs_leverage(vcov_kind kind) noexcept;

/// A robust covariance of the fitted (not aliased) coefficients.
struct robust_vcov {
  vcov_kind kind = vcov_kind::constant;
  std::string cluster;       ///< CL: the column of the clusters
  std::size_t clusters = 0;  ///< CL: how many were seen
  /// p x p, row-major, in model order: the raw intercept first when there
  /// is one, then the fitted slope terms.
  std::vector<double> matrix;
  /// The order of `matrix`.
  std::size_t order() const noexcept;
  /// The (i, j) entry.
  double at(std::size_t i, std::size_t j) const { return matrix.at(i * order() + j); }
};

/// The meat of a sandwich, summed over the rows of a fit (one per chunk of
/// a pass, merged in order).
class meat_sum {
 public:
  meat_sum() = default;
  /// For `fit`'s rows, estimator `kind` (not constant).
  meat_sum(const ols_fit& fit, vcov_kind kind);

  /// One row of positive weight `w`: its fitted terms (the fit's k
  /// predictors), its residual y - fitted, its leverage x'(X'WX)^-1 x
  /// (unweighted; used by HC2 to HC4) and, for CL, its cluster's key.
  void add(const double* terms, double w, double residual, double leverage,
           std::string_view cluster = {});
  /// Adds the rows of another sum of the same fit.
  void merge(meat_sum&& other);
  /// Rows added.
  std::size_t rows() const noexcept { return rows_; }

  /// The covariance: bread * meat * bread in the raw parametrisation, with
  /// HC1's n/(n-p) and CL's G/(G-1) (n-1)/(n-p) adjustments. Throws
  /// model_error when a leverage is 1 (HC2 to HC4 are undefined there) or
  /// CL has a single cluster.
  robust_vcov finish(const ols_fit& fit, const std::string& cluster) const;

 private:
  vcov_kind kind_ = vcov_kind::constant;
  std::size_t p_ = 0;
  bool intercept_ = true;
  double n_ = 0;              ///< the fit's rows (HC4's delta)
  std::vector<double> mean_;  ///< per term: the fit's mean, subtracted
  std::vector<double> meat_;  ///< p x p (HC), or unused (CL)
  std::map<std::string, std::vector<double>, std::less<>> scores_;  ///< CL: per cluster
  std::vector<double> z_;
  std::size_t rows_ = 0;
  bool leverage_one_ = false;
};

/// The Wald test that every slope (every coefficient without an
/// intercept) is 0, with covariance `v` of the fitted coefficients
/// `estimates` (intercept first when `intercept`): lmtest::waldtest's F,
/// statistic b' V^-1 b / q on q numerator degrees of freedom.
struct wald_result {
  double statistic = 0;
  double df = 0;  ///< q
};
/// Computes wald_result; NaN statistic when there is no slope.
wald_result wald_slopes(const robust_vcov& v, const std::vector<double>& estimates, bool intercept);

}  // namespace regress
