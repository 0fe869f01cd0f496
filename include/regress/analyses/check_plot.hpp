#pragma once
/// \file check_plot.hpp
/// The numbers of R's four diagnostic panels (plot.lm, which = c(1, 2, 3, 5),
/// R 4.2), drawn by `regress check --plot` and `--svg`: residuals against
/// fitted values, the normal Q-Q plot of the standardized residuals, the
/// scale-location plot and the standardized residuals against leverage with
/// Cook's distance contours; each labels its three most extreme rows by data
/// row (id.n = 3).
///
/// The rows come from the pass over the fitted rows that `augment` uses
/// (diagnose_row), in file order; a diagnostic_sample keeps at most
/// check_plot_points() of them, so that any number of rows plots in
/// bounded memory.

#include <cstddef>
#include <vector>

#include "regress/analyses/diagnostics.hpp"

namespace regress {

/// One plotted row: its data row (1-based, as augment numbers it) and its
/// diagnostics; `weight` its case weight (1 unweighted).
struct diagnostic_point {
  std::size_t row = 0;
  double fitted = 0, resid = 0, hat = 0, std_resid = 0, cooksd = 0, weight = 1;
};

/// The most rows a panel draws (20,000).
std::size_t check_plot_points();

/// The rows the panels draw, chosen as they go by in file order: every row
/// of positive weight (plot.lm drops rows of weight 0) when there are at most
/// check_plot_points() of them; else every k-th (k the smallest stride that
/// keeps at most check_plot_points() - 9 of them, the first row kept) and,
/// always, the rows any panel labels (the 3 largest |resid|, |std_resid| and
/// Cook's distances; the same rows on every run.
class diagnostic_sample {
 public:
  /// For `rows` rows of positive weight to come.
  explicit diagnostic_sample(std::size_t rows);
  /// The next row (in file order); rows of weight 0 are skipped.
  void add(const diagnostic_point& p);
  /// The rows kept, in file order (the extremes put in their place).
  std::vector<diagnostic_point> points() const;
  /// Rows offered with positive weight.
  std::size_t rows() const noexcept { return seen_; }

 private:
  std::size_t stride_ = 1, seen_ = 0;
  std::vector<diagnostic_point> kept_;
  std::vector<diagnostic_point> extremes_[3];  // by |resid|, |std_resid|, cooksd
};

/// One panel's points (NaN coordinates are not drawn) and the indices into
/// them of the labelled rows, most extreme first.
struct diagnostic_panel {
  std::vector<double> x, y;
  std::vector<std::size_t> rows;      ///< data row of each point
  std::vector<std::size_t> labelled;  ///< up to 3 indices into x, y, rows
};

/// The four panels, as plot.lm computes them (see make_check_plot_reference.R):
///  residuals_fitted   (fitted, resid), labelled by |resid|
///  normal_qq          (qnorm(ppoints(n))[rank of std_resid], std_resid),
///                     labelled by |std_resid|, with qqline's intercept and
///                     slope (the line through the quartiles, R's type 7)
///  scale_location     (fitted, sqrt|std_resid|), labelled by |std_resid|
///  residuals_leverage (hat, std_resid), labelled by Cook's distance, with
///                     the contours +-sqrt(c p (1 - h) / h) for c = 0.5 and 1
///                     at R's 101 leverages from min(h_min, h_max / 100) to
///                     1.04 h_max (the plot's right edge in R).
/// A row of leverage 1 has NaN standardized residual and is left out of the
/// last three panels, as R does.
struct diagnostic_panels {
  diagnostic_panel residuals_fitted, normal_qq, scale_location, residuals_leverage;
  double qq_intercept = 0, qq_slope = 0;
  std::vector<double> contour_hat;                    ///< 101 leverages
  std::vector<double> cook_levels{0.5, 1.0};          ///< the contours' Cook's distances
  std::vector<std::vector<double>> contour_residual;  ///< per level: +sqrt(c p (1-h)/h)
  std::size_t rank = 0;                               ///< p: the fit's rank
};

/// The panels of `points` (in file order) for a fit of rank `rank`. Throws
/// nothing but allocation failures; with no points every panel is empty.
diagnostic_panels make_diagnostic_panels(const std::vector<diagnostic_point>& points,
                                         std::size_t rank);

}  // namespace regress
