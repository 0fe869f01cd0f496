#pragma once
/// \file diagnostics.hpp
/// Per-row diagnostics of a fitted model, as R defines them: the fitted
/// value and residual, the leverage, the leave-one-out residual standard
/// error, Cook's distance and the standardized and studentized residuals
/// (broom::augment(lm), influence(), rstandard(), rstudent(), weighted fits
/// included); and the model frame's columns that augment prints beside them.
///
/// Every measure comes from the fit's own triangular factor (leverage_of),
/// so a row costs O(k^2) and needs nothing but the fit: the rows can stream.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "regress/model/model.hpp"
#include "regress/model/terms.hpp"

namespace regress {

/// One row's fit and influence, named as broom::augment names them.
struct row_diagnostics {
  double fitted = 0;     ///< .fitted: the fitted value
  double resid = 0;      ///< .resid: y - fitted (unweighted, as residuals(lm))
  double hat = 0;        ///< .hat: w x'(X'WX)^-1 x, the diagonal of the hat matrix
  double sigma = 0;      ///< .sigma: the residual standard error without this row
  double cooksd = 0;     ///< .cooksd: Cook's distance
  double std_resid = 0;  ///< .std.resid: rstandard, sqrt(w) e / (s sqrt(1 - h))
  double rstudent = 0;   ///< .rstudent: sqrt(w) e / (s_(i) sqrt(1 - h))
};

/// The diagnostics of one row used by the fit `m`: `kept` holds its values of
/// the fit's slope terms (aliased columns dropped, see keep_columns), `y` its
/// response and `weight` its case weight (1 unweighted). A row of weight 0
/// (which R leaves out of influence()) gets its fitted value and residual,
/// .hat 0 and NaN for the rest; a row of leverage 1 (to 10 machine epsilons)
/// gets .hat 1 and NaN where R's formulas divide by 1 - h, as R does.
row_diagnostics diagnose_row(const model& m, const double* kept, double y, double weight);

/// R's model frame of a formula model, as broom::augment prints it: the
/// response, each right-hand-side variable (a factor as its level, poly()
/// as its argument), and "(weights)" for a weighted fit.
struct frame_layout {
  std::vector<std::string> names;  ///< R's model.frame names
  std::vector<bool> text;          ///< per name: a factor's level (text)
  /// Per name: the variable it shows (an index into model_terms::variables),
  /// or response / weights.
  std::vector<std::size_t> source;
  static constexpr std::size_t response = static_cast<std::size_t>(-1);
  static constexpr std::size_t weights = static_cast<std::size_t>(-2);
};
/// The frame's columns for model terms `t`.
frame_layout frame_layout_of(const model_terms& t);

/// One row's values of the columns of `f` (frame_layout_of(t)): numbers[j] for a
/// numeric column (NaN for a text one), text[j] for a text column (views
/// into `t` or `row`); `weight` fills "(weights)". Throws data_error (without
/// a place) as evaluate() does.
void frame_values(const model_terms& t, const frame_layout& f, const row_values& row, double weight,
                  std::vector<double>& numbers, std::vector<std::string_view>& text);

}  // namespace regress
