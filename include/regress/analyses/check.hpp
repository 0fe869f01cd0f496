#pragma once
/// \file check.hpp
/// The tests behind `regress check`, computed from one pass over the rows of
/// a fitted model (chunks gathered apart and joined in file order):
/// Ramsey's RESET (lmtest::resettest, powers 2 and 3 of the fitted values),
/// the studentized Breusch-Pagan test (lmtest::bptest), Shapiro-Wilk on the
/// residuals (shapiro.test, n from 3 to 5000), the Durbin-Watson statistic in
/// file order, the largest |rstudent| with its Bonferroni p-value
/// (car::outlierTest) and the largest Cook's distance.
///
/// RESET and Breusch-Pagan are auxiliary regressions on the model's own
/// columns: their cross products with the design are gathered in the pass
/// and projected with the fit's triangular factor, so no second solver and
/// no rows are held (Shapiro-Wilk holds the residuals, at most 5000).

#include <cstddef>
#include <string>
#include <vector>

#include "regress/model/double_double.hpp"
#include "regress/model/model.hpp"

namespace regress {

/// The largest sample shapiro.test accepts.
inline constexpr std::size_t shapiro_max_rows = 5000;

/// Shapiro-Wilk's W and its p-value for `x` (3 to 5000 values; sorted here),
/// by Royston's algorithm AS R94 as R's shapiro.test computes them. Throws
/// model_error for fewer than 3 or more than 5000 values, or all equal.
struct shapiro_result {
  double w = 0;
  double p_value = 0;
};
shapiro_result shapiro_wilk(std::vector<double> x);

struct check_report;
class check_gatherer;
/// The tests from the rows of `m` gathered in `g` (every used row, in file
/// order). `m` is the fit the gatherer was made for, or a copy of it (the
/// engine hands back its result by value once the pass is over).
check_report check_model(const check_gatherer& g, const model& m);

/// What the check pass gathers from a stretch of rows in file order.
class check_gatherer {
 public:
  check_gatherer() = default;
  /// Ready for the rows of the fitted model `m` (which must outlive it).
  explicit check_gatherer(const model& m);
  /// One used row: its record (numbered within the stretch, 0-based), its
  /// values of the fit's slope terms (aliased dropped), response and weight.
  void add(std::size_t record, const double* kept, double y, double weight);
  /// Appends the rows of a later stretch whose records follow
  /// `records_before` records of this one's numbering.
  void append(const check_gatherer& later, std::size_t records_before);

 private:
  friend check_report check_model(const check_gatherer& g, const model& m);
  const model* m_ = nullptr;
  std::size_t k_ = 0;
  double sigma2_ = 0;              // Breusch-Pagan's rss / n
  double centre_ = 0, scale_ = 1;  // fitted values standardised before powers
  std::size_t rows_ = 0;           // rows of positive weight
  std::size_t all_rows_ = 0;       // every used row, weight 0 too
  // Per auxiliary column a (RESET's u^2, u^3; Breusch-Pagan's e^2 - s^2):
  // the weighted sum, and the weighted sums of (t - mean) times it.
  dd sum_[3];
  std::vector<dd> centred_;  // 3 x k
  dd cross_[3];              // u2 u2, u2 u3, u3 u3 (weighted)
  dd with_e_[2];             // weighted u2 e, u3 e
  dd v_squares_;             // unweighted sum of (e^2 - s^2)^2
  // Durbin-Watson on the weighted residuals in row order.
  bool any_ = false;
  double first_ = 0, last_ = 0;
  dd diff_squares_, squares_;
  std::vector<double> residuals_;  // for Shapiro-Wilk, while rows <= 5000
  double max_abs_rstudent_ = -1, rstudent_ = 0;
  std::size_t rstudent_row_ = 0;
  double max_cooks_ = -1;
  std::size_t cooks_row_ = 0, cooks_over_ = 0;
};

/// One test's line of the report.
struct check_test {
  std::string test;  ///< reset, breusch_pagan, shapiro_wilk, durbin_watson, outlier, cooks_distance
  double statistic = 0;    ///< F, BP, W, DW, rstudent, Cook's distance (NaN when skipped)
  std::vector<double> df;  ///< its degrees of freedom (none for W, DW, Cook's)
  double p_value = 0;      ///< NaN where there is none
  std::size_t row = 0;     ///< outlier, cooks_distance: the data row (1-based); else 0
  std::size_t count = 0;   ///< cooks_distance: rows above 4/n
  bool skipped = false;    ///< shapiro_wilk outside 3..5000 rows
  bool rejects = false;    ///< rejects at 5% (RESET, BP, SW, outlier); DW outside 1.5..2.5
};
/// Every test, in the order above.
struct check_report {
  std::vector<check_test> tests;
  std::size_t rows = 0;      ///< rows of positive weight
  std::size_t all_rows = 0;  ///< every row used, weight 0 too (Shapiro-Wilk's n)
};
/// Whether RESET or Breusch-Pagan rejects at `alpha` (fit's hint).
bool form_or_variance_doubtful(const check_report& r, double alpha);

}  // namespace regress
