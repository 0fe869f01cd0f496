#pragma once
/// \file model.hpp
/// A fitted model: the spec, the numeric fit and what the training data looked
/// like (ranges, largest leverage). Everything predict() and summarize() need,
/// and exactly what a model file stores.

#include <array>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "regress/model/design.hpp"
#include "regress/model/model_spec.hpp"
#include "regress/model/ols.hpp"
#include "regress/model/robust.hpp"
#include "regress/model/terms.hpp"

namespace regress {

/// The training range of each numeric variable within one cell of the
/// factors (a combination of their levels seen in training).
struct cell_range {
  std::vector<std::size_t> levels;  ///< per factor variable, in model_terms order
  std::vector<double> min, max;     ///< per entry of model::ranges
  std::size_t rows = 0;
};

struct model {
  model_spec spec;
  std::vector<std::string> slope_terms;  ///< k slope-term names
  ols_fit fit;
  std::vector<predictor_range> ranges;  ///< one per predictor
  double max_leverage = 0;              ///< largest training-row leverage
  /// Min, 1Q, median, 3Q, max of the residuals (R's quantile type 7), when the
  /// training rows were at hand; not stored in model files.
  std::optional<std::array<double, 5>> residual_quantiles;
  /// With at most 5 residual degrees of freedom summary.lm lists every
  /// residual instead, named by its row: (data-row number, residual) in row
  /// order, the number counting rows dropped for missing values as R's row
  /// names do. Filled when the rows were at hand; not stored in model files.
  std::vector<std::pair<std::size_t, double>> listed_residuals;
  /// Why the residuals are not at hand (printed in place of summary.lm's
  /// Residuals block); empty when they are, or when nothing need be said.
  /// Not stored in model files.
  std::string residuals_note;
  std::size_t rows_dropped = 0;  ///< not stored in model files
  /// summary.lm's "Weighted Residuals:" (rather than "Residuals:"): the fit
  /// had weights and they were not all equal (R's diff(range(w)) != 0). Not
  /// stored in model files.
  bool weighted_residuals = false;
  /// Per slope term: aliased (R's NA coefficient, a linear combination of
  /// the terms before it). The fit holds only the others. Empty: none.
  std::vector<bool> aliased;
  /// The formula bound to the data (factors' levels, poly coefficients):
  /// how a row becomes a design row. Empty for a -y/-x model.
  std::optional<model_terms> terms;
  /// With factors and numeric variables: the ranges within each cell.
  std::vector<cell_range> cells;
  /// The robust covariance of the coefficients (--vcov), when one was asked
  /// for: summarize() and predict() then use it in place of sigma^2 (X'WX)^-1.
  std::optional<robust_vcov> robust;
};

/// summary.lm lists the residuals, rather than their quantiles, up to this
/// many residual degrees of freedom.
inline constexpr double max_listed_df = 5;

/// Sets the residual summary summary.lm prints: the residuals themselves,
/// each named by its data row (row_numbers[i] for residuals[i]), when the
/// fit has at most max_listed_df residual degrees of freedom; and their
/// quantiles (R's type 7) always. `residuals` is not empty.
void set_residual_summary(model& m, std::vector<double> residuals,
                          const std::vector<std::size_t>& row_numbers);

/// The residuals_note of a fit of more than `rows` rows, whose residuals are
/// not gathered (that would take a second pass over the data).
std::string too_many_rows_for_residuals(std::size_t rows);

/// Throws data_error when the highest power of a polynomial `spec` overflows
/// a double at `largest_abs`, the largest magnitude of its predictor (saying
/// to rescale the predictor or lower the degree); does nothing for degree 1.
void check_powers_representable(const model_spec& spec, double largest_abs);

/// Fits `spec` to `d`. Throws model_error for rank deficiency or n <= p.
model fit_model(const model_spec& spec, const design& d);

}  // namespace regress
