#pragma once
/// \file anova.hpp
/// Analysis of variance tables as R's anova() makes them for lm fits: the
/// sequential (type I) table of one model, from the triangular factor of its
/// cross products (no pass over the rows), and the F tests between nested
/// models fitted to the same rows.

#include <string>
#include <vector>

#include "regress/model/model.hpp"

namespace regress {

/// One row of anova(lm): a term, or "Residuals" (statistic and p_value NaN).
struct anova_row {
  std::string term;
  double df = 0;
  double sum_sq = 0;
  double mean_sq = 0;
  double statistic = 0;  ///< F value
  double p_value = 0;
};

/// anova(lm): a row per term with a fitted column, in model order, then
/// Residuals.
struct anova_table {
  std::string response;  ///< R's label of the response ("mpg", "log(y)")
  std::vector<anova_row> rows;
};

/// R's sequential table: a term's sum of squares is what it adds to the
/// terms before it, the squares of its columns' entries of L' b (L the
/// Cholesky factor of the centred cross products X'WX in model order, so
/// L' b = L^-1 X'Wy). A term whose every column is aliased is left out, and
/// one with some aliased columns has that many fewer degrees of freedom, as
/// R's table (which follows the QR's pivoted rank).
anova_table sequential_anova(const model& m);

/// One model of anova(m1, m2, ...): its residual degrees of freedom and sum
/// of squares, and (from the second on) the test of what it adds to the one
/// before (df, sum_sq, statistic, p_value NaN for the first).
struct anova_model {
  std::string formula;  ///< as R deparses it
  double res_df = 0;
  double rss = 0;
  double df = 0;
  double sum_sq = 0;
  double statistic = 0;
  double p_value = 0;
};

/// anova(m1, m2, ...): each F is the change's mean square over the residual
/// mean square of the model with the fewest residual degrees of freedom (the
/// last). Throws usage_error naming the models when they are not nested in
/// the order given (each model's terms, response, intercept and weights
/// among the next one's) or not fitted to the same rows (their counts
/// differ), where R would compare them anyway, and meaninglessly.
std::vector<anova_model> compare_models(const std::vector<model>& models);

}  // namespace regress
