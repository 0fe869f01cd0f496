#pragma once
/// \file explore.hpp
/// How uncertainty grows away from the data: a sweep of one predictor with the
/// others held, the trust range where the prediction interval stays within a
/// bound, and where competing models stop agreeing; explore() puts them
/// together for one or more models of the same data.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "regress/model/design.hpp"
#include "regress/model/frame.hpp"
#include "regress/model/model.hpp"
#include "regress/model/model_spec.hpp"
#include "regress/model/predict.hpp"

namespace regress {

/// The line along which a sweep runs: predictor `along` varies, every other
/// predictor is held at `hold[j]` (hold has one value per predictor; the
/// entry for `along` is ignored). For a formula model (model::terms) the
/// predictors are the numeric columns its right-hand side reads
/// (model::ranges), and the formula is applied to the swept values: `x`,
/// `I(x^2)`, `poly(x, 3)` and `log(x)` all follow the one column `x`.
struct sweep_line {
  std::size_t along = 0;
  std::vector<double> hold;
  /// Formula models: per variable of model_terms::variables, the held level
  /// of a factor (an index into its levels; ignored for other variables).
  /// Empty: every factor at its first level. A column that factor() reads
  /// takes its held level's value, whatever `hold` says.
  std::vector<std::size_t> levels;
};

/// The usual line: sweep `along`, others at their training means (and, in a
/// formula model, every factor at its first level).
sweep_line line_at_means(const model& m, std::size_t along);

/// Formula models: the row of the model's columns at x on the line (numbers
/// per model_terms::numeric_columns, NaN for the response's and the weights'
/// own columns; factor levels as text views into `m`, which must outlive
/// the row). Precondition: m.terms, and the line fits the model.
row_values point_on(const model& m, const sweep_line& line, double x);

/// The leverage at x on the line; for a formula model +inf where the formula
/// cannot be evaluated (a function outside its domain).
double leverage_at(const model& m, const sweep_line& line, double x);

/// Formula models with factors and numeric columns: the training cell of the
/// line's held levels (model::cells), or null when no training row had them
/// (and always null for a model without cells).
const cell_range* held_cell(const model& m, const sweep_line& line);

/// The training range of the swept predictor that counts for the line: its
/// range within the held cell when there is one, else its whole range.
std::pair<double, double> swept_range(const model& m, const sweep_line& line);

struct sweep_row {
  double x;  ///< value of the swept predictor
  double fit, se_fit;
  double conf_lwr, conf_upr, pred_lwr, pred_upr;
  double widening;  ///< prediction-interval width / its narrowest inside the data
  double distance;  ///< 0 inside the training range, else spans beyond the nearest edge
  double leverage;
  double leverage_ratio;  ///< leverage / largest training leverage
  region where;
};

/// The smallest leverage inside the data, where the prediction interval is
/// narrowest: along the line through the predictors' means with the swept
/// predictor inside its training range (1/n for a straight line with an
/// intercept: the centre of the data). The line's held values are ignored on
/// purpose, so that widening always compares with the best-supported point,
/// wherever a sweep runs, and explore and predict agree on it.
/// A formula model has one such line per cell of its factors (each training
/// combination of levels): the other numeric columns at their overall means,
/// the factors at the cell's levels and the swept column inside the cell's
/// own range; the narrowest is the smallest over them all (the held levels
/// are ignored as the held values are). Without numeric columns, the
/// smallest leverage over the combinations of levels (the first 4096).
double narrowest_leverage(const model& m, const sweep_line& line);

/// The power of ten 10^k (k from 0 to 15) at which `from` and `to` are whole
/// numbers (below 2^53) whose difference is a multiple of `intervals`; 0
/// when there is none.
double decimal_scale(double from, double to, std::size_t intervals);

/// Value i of `count` evenly spaced values from `from` to `to`, the last
/// exactly `to`. With a `scale` from decimal_scale (not 0) it is computed as
/// (F + i S) / scale from the whole numbers F = from * scale and S, the step
/// times scale, so decimal ends give the decimals a user expects (-9.1, not
/// -9.100000000000001); otherwise from + (to - from) i / (count - 1).
double evenly_spaced(double from, double to, std::size_t count, std::size_t i, double scale);

/// Rows at `steps` evenly spaced values from `from` to `to` (evenly_spaced,
/// decimals kept where decimal_scale finds a scale). Throws
/// usage_error unless steps >= 2 and from < to.
std::vector<sweep_row> sweep(const model& m, const sweep_line& line, double from, double to,
                             std::size_t steps, double level);

/// Sets a row's fit and se_fit (the prediction's) and its confidence and
/// prediction limits.
void set_intervals(sweep_row& row, const prediction& conf, const prediction& pred);

/// One row of a sweep at x (the building block of sweep()).
sweep_row sweep_at(const model& m, const sweep_line& line, double x, double level,
                   double narrowest);

/// Bounds that define a trust range; at least one must be set.
struct trust_bounds {
  std::optional<double> max_widening;   ///< > 1: prediction interval width over its narrowest
  std::optional<double> max_halfwidth;  ///< > 0: half-width of the prediction interval
};

/// The interval of the swept predictor around the data's centre where every
/// bound holds: closed form for a straight line (the leverage is quadratic in
/// x), bisection on each side for a polynomial. `empty` when no x satisfies
/// the bounds; a side never reached is +-inf. Throws usage_error for missing
/// or invalid bounds (see leverage_ceiling).
struct trust_range {
  double lower = -std::numeric_limits<double>::infinity();
  double upper = std::numeric_limits<double>::infinity();
  bool empty = false;
};
trust_range solve_trust(const model& m, const sweep_line& line, const trust_bounds& bounds,
                        double level);

/// The largest leverage at which every bound holds: the prediction half-width
/// is t s sqrt(1 + h) and the widening sqrt((1 + h) / (1 + h_narrowest)), so
/// each bound is a ceiling on h. Throws usage_error for missing or invalid
/// bounds. A point is inside the trust range when its leverage is at most this.
double leverage_ceiling(const model& m, const sweep_line& line, const trust_bounds& bounds,
                        double level);

/// True when x lies in the range (false for an empty range).
bool contains(const trust_range& t, double x);

/// Where two models' predictions differ by more than either model's own
/// prediction half-width: intervals of x over a sweep grid.
struct disagreement {
  std::string first, second;
  std::vector<std::pair<double, double>> where;  ///< [from, to] runs of grid points
};
disagreement compare_models(const std::string& first, const std::vector<sweep_row>& a,
                            const std::string& second, const std::vector<sweep_row>& b);

/// A disagreement's runs split at the training range [min, max]: beyond it
/// the disagreement is guesswork the data cannot settle; inside it one model
/// fits poorly. A run that crosses an edge contributes to both sides.
struct model_comparison {
  disagreement apart;                              ///< over the whole sweep
  std::vector<std::pair<double, double>> inside;   ///< parts within [min, max]
  std::vector<std::pair<double, double>> outside;  ///< parts beyond min or max
};
/// Splits `d`'s runs at [min, max] (min <= max). Throws nothing but allocation
/// failures.
model_comparison split_at_range(const disagreement& d, double min, double max);

/// What to explore: one model per degree over the same data, swept along one
/// predictor with the others held.
struct explore_request {
  std::vector<int> degrees = {1};  ///< non-empty, each 1..20; the first is the reference model
  std::size_t along = 0;           ///< index of the swept predictor
  /// Held values (predictor index, value) for predictors other than `along`;
  /// a predictor not listed is held at its training mean.
  std::vector<std::pair<std::size_t, double>> hold;
  /// Formula models: held levels (index into model_terms::variables of a
  /// factor, index into its levels); a factor not listed is held at its
  /// first level.
  std::vector<std::pair<std::size_t, std::size_t>> levels;
  double from = 0, to = 1;            ///< the sweep's ends, finite, from < to
  std::size_t steps = 201;            ///< points in the sweep, >= 2
  double level = 0.95;                ///< of both intervals, in (0, 1)
  std::optional<trust_bounds> trust;  ///< a trust range of the reference model, when asked
};

/// The most sweep rows an exploration keeps in memory: enough for any
/// picture (a terminal plot shows a few hundred columns, an SVG under two
/// thousand pixels) and for the summary's ends. A longer sweep (--steps
/// 10000000) is recomputed a row at a time as it is written
/// (for_each_sweep_row), so its memory does not grow with --steps.
inline constexpr std::size_t kept_sweep_rows = 2001;

/// One model of an exploration and its sweep.
struct explored_model {
  std::string name;  ///< "degree 2"
  int degree = 1;
  double narrowest_leverage = 0;  ///< see narrowest_leverage()
  /// The sweep at the picture's resolution: every row of the request's sweep
  /// when it has at most kept_sweep_rows, else kept_sweep_rows rows evenly
  /// spaced over the same ends.
  std::vector<sweep_row> rows;
  /// The fitted model, to recompute the full sweep row by row; null for an
  /// exploration built by hand, whose rows are then the whole sweep. With
  /// --method averaged or bootstrap: the reference model, whose textbook
  /// geometry the method's rows keep (analyses/explore_methods.hpp).
  std::shared_ptr<const model> fitted;
  /// --method averaged or bootstrap: the method's row at x (use_method);
  /// empty: the textbook row of `fitted` (sweep_at).
  std::function<sweep_row(double)> method_row;
};

/// How an exploration's intervals were made when not by the textbook t
/// intervals (analyses/explore_methods.hpp).
struct sweep_method {
  std::string name;  ///< "averaged" or "bootstrap"
  // averaged: the candidates (candidate_label), their AICc and weights, and
  // the index of the reference model (the largest weight).
  std::vector<std::string> candidates;
  std::vector<double> aicc, weights;
  std::size_t reference = 0;
  // bootstrap: the replicates and the seed.
  std::size_t boot = 0;
  std::uint64_t seed = 0;
};

/// Everything `explore` found, ready for a writer (output/sweep_table.hpp)
/// and a picture (pictures/explore_picture.hpp).
struct exploration {
  std::string response;
  std::string along_name;    ///< the swept predictor's name
  std::size_t along = 0;     ///< its index among the predictors
  predictor_range training;  ///< its training range
  std::size_t nobs = 0;      ///< training rows
  double level = 0.95;
  std::vector<explored_model> models;         ///< in the order of the request's degrees
  sweep_line line;                            ///< the line every model is swept along
  double from = 0, to = 1;                    ///< the request's sweep ends
  std::size_t steps = 0;                      ///< the request's points (0: as the rows)
  std::optional<trust_bounds> bounds;         ///< as requested
  std::optional<trust_range> trust;           ///< of the reference model, when bounds were given
  std::vector<model_comparison> comparisons;  ///< every pair (i < j) of models, in order
  /// The first and last x at which the reference model's sweep is hidden
  /// extrapolation (region::hidden), if any row is.
  std::optional<std::pair<double, double>> hidden;
  /// -y/-x models: the predictors in model order (for the picture's title).
  std::vector<std::string> predictors;
  /// -y/-x models with several predictors (formula models with a held
  /// numeric column: explore_formula with the frame): each training row's partial
  /// residual along the line, y - fit + fit at (x_along, the held values),
  /// in the design's row order, from the reference model (R's termplot and
  /// effects' partial residuals: the points as the line sees them). Empty
  /// with one predictor, where the raw y are the points.
  std::vector<double> partial_residuals;

  // Formula models only (explore_formula); empty for -y/-x models.
  std::string formula;  ///< as the user wrote it
  /// Sentences the text summary adds about the model's form beyond the data
  /// (what its spline terms do beyond their boundary knots: spline_notes).
  std::vector<std::string> notes;
  /// A held column: a factor's level, or a numeric column's value.
  struct held_column {
    std::string name;
    bool factor = false;
    std::string level;  ///< a factor's level (empty for a numeric column)
    double value = 0;   ///< a numeric column's value
    /// "supp = VC", "z = 3.25" (numbers to 6 significant digits).
    std::string text() const;
  };
  /// Every held column, the factors' first, in the model's order (-y/-x
  /// models: every predictor but the swept one, at its held value).
  std::vector<held_column> held;
  /// With factors and numeric columns: the held cell, "supp = VC, g = b".
  std::string cell_name;
  /// The swept column's training range within the held cell; absent when no
  /// training row has the held levels (then every point is extrapolation).
  struct cell_span {
    std::size_t index = 0;  ///< in model::cells
    double min = 0, max = 0;
    std::size_t rows = 0;
  };
  std::optional<cell_span> cell;
  /// --method averaged or bootstrap; absent for the textbook intervals.
  std::optional<sweep_method> method;
};

/// Calls `each` with every row of the full sweep of e.models[k], in order:
/// the kept rows when they are the whole sweep, else each row computed as it
/// is needed and then dropped. Throws what sweep_at throws.
void for_each_sweep_row(const exploration& e, std::size_t k,
                        const std::function<void(const sweep_row&)>& each);

/// Fits one model per requested degree to `data` (spec gives the response,
/// predictors and intercept; its degree and level are the request's), sweeps each along the
/// request's line, solves the trust range of the first and compares every
/// pair. Throws usage_error for an invalid request (see explore_request) and
/// whatever fit_model throws for data that cannot be fitted.
exploration explore(const model_spec& spec, const design& data, const explore_request& request);

/// As explore(), with the models fitted already (by the streaming engine:
/// fitted[i] is spec at request.degrees[i], its max_leverage exact), so that
/// no row need be held: everything but exploration::partial_residuals,
/// which needs the rows (see partial_residual). Throws as explore(), and
/// usage_error when `fitted` does not have one model per degree.
exploration explore_fitted(const model_spec& spec, std::vector<model> fitted,
                           const explore_request& request);

/// -y/-x models: one training row's partial residual along the line (see
/// exploration::partial_residuals): y - fit + fit at (the row's value of
/// the swept predictor, the line's held values). `row` holds the row's
/// predictor values in model order.
double partial_residual(const model& m, const sweep_line& line, const double* row, double y);

/// Formula models: the fit on the line at x (the formula applied to the
/// line's point); NaN where the formula is not defined there.
double fit_on_line(const model& m, const sweep_line& line, double x);

/// Formula models: the line a request describes (line_at_means, then the
/// request's held values and levels). Throws usage_error as explore_formula.
sweep_line held_line(const model& m, const explore_request& request);

/// Formula models: true when every function of the formula is defined at x
/// on the line (log of a positive number, ...).
bool defined_at(const model& m, const sweep_line& line, double x);

/// Formula models: a sweep's default end pulled inside the formula's domain.
/// `end` when the formula is defined there (or not even at `edge`, the
/// data's edge on that side); else halfway from `edge` to where the formula
/// stops being defined between them (found by bisection).
double end_inside_domain(const model& m, const sweep_line& line, double edge, double end);

/// Explores a model fitted from a formula (model::terms) as explore() does
/// one -y/-x model: the sweep along request.along (an index into
/// model::ranges, a column not read by factor()), the other numeric columns
/// held at their means or request.hold, the factors at their first levels
/// or request.levels; the trust range and hidden extrapolation as there.
/// Each point's region is its own cell's (predict.hpp): a point outside the
/// held cell's range of the swept column is below/above (outside, with
/// several numeric columns) even inside the overall range, and its distance
/// counts from the held cell's range in spans of the overall range. One
/// model, named "fit". Throws usage_error for request.degrees other than
/// {1}, an index out of range, a swept column that factor() reads, a bad
/// level, and as explore(); data_error where the formula cannot be
/// evaluated at a swept point.
exploration explore_formula(const model& m, const explore_request& request);

/// As above, and, when a numeric column is held, each row of `frame` (the
/// frame `m` was fitted to) gets its partial residual along the line in
/// exploration::partial_residuals: y - fit + fit on the line at the row's
/// value of the swept column (NaN where the formula is undefined there).
exploration explore_formula(const model& m, const explore_request& request,
                            const formula_frame& frame);

}  // namespace regress
