#pragma once
/// \file backtest.hpp
/// An honest check of extrapolation on the user's own data: fit on the inner
/// part of the x range, predict the held-out extreme rows, and compare the
/// coverage of the nominal prediction interval there with a random in-range
/// holdout of the same size.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "regress/analyses/bootstrap.hpp"
#include "regress/model/design.hpp"
#include "regress/model/frame.hpp"
#include "regress/model/model_spec.hpp"
#include "regress/model/predict.hpp"

namespace regress {

enum class holdout_side { upper, lower, both };

struct backtest_options {
  double holdout = 0.2;  ///< fraction of rows held out, in (0, 0.5]
  holdout_side side = holdout_side::both;
  std::size_t along = 0;   ///< predictor whose extremes are held out (formula: entry of ranges)
  std::uint64_t seed = 1;  ///< for the random control holdout
};

struct backtest_part {
  std::size_t n = 0;
  double coverage = 0;  ///< share of held-out responses inside their prediction interval
  double mae = 0;       ///< mean absolute error of the fit
  /// Formula models: held-out rows with a factor level the fit's rows never
  /// had (region new_level): no prediction, so not in n, coverage or mae.
  std::size_t new_level = 0;
  /// Mean width of the scored rows' intervals (upr - lwr).
  double mean_width = std::numeric_limits<double>::quiet_NaN();
};

struct backtest_bin {
  double distance_from, distance_to;  ///< in spans of the inner fit's range
  backtest_part part;
};

/// What the coverages say about the fitted form beyond the data, from a
/// one-sided Fisher's exact test of the 2x2 table (extreme, control) x
/// (covered, missed) at backtest_significance.
enum class backtest_verdict {
  no_comparison,  ///< a part has no scored row: no test
  too_few,        ///< even the extremes all missed and the control all covered would not be
                  ///< significant: too few held-out rows to tell
  breaks,         ///< the extremes were covered significantly less often than the control
  holds           ///< no significant shortfall
};

/// The level below which the test's p-value says the form breaks down.
constexpr double backtest_significance = 0.05;

struct backtest_result {
  double level;
  /// Formula models: the formula (the writers then name it and count the
  /// new levels); empty for -y/-x models.
  std::string formula;
  /// The column the rows were ordered by, when the model reads several
  /// (-y/-x predictors, a formula's numeric columns); empty with one.
  std::string along;
  backtest_part extrapolation;
  backtest_part control;
  std::vector<backtest_bin> bins;  ///< bins with a scored row only, nearest first
  /// One-sided Fisher's exact test that the extremes' coverage is lower than
  /// the control's (R's fisher.test(table, alternative = "less")$p.value);
  /// NaN when a part has no scored row.
  double p_value = std::numeric_limits<double>::quiet_NaN();
  /// The smallest p-value the parts' sizes allow (every extreme row missed,
  /// every control row covered): 1 / choose(n_extreme + n_control, n_extreme).
  double least_p_value = std::numeric_limits<double>::quiet_NaN();
  backtest_verdict verdict = backtest_verdict::no_comparison;
};

/// Fills r.p_value, r.least_p_value and r.verdict from the counts of
/// r.extrapolation and r.control (n and coverage).
void judge_backtest(backtest_result& r);

/// How a backtest splits the rows: `held` extreme rows are held out, and as
/// many inner rows again for the control, so both fits keep rows - 2 held.
struct backtest_split {
  std::size_t rows = 0;        ///< rows of the data
  std::size_t held = 0;        ///< rows held out at the extremes (at least 2 for both sides)
  std::size_t parameters = 0;  ///< coefficients of the model, intercept included
  /// Both fits keep more rows than parameters.
  bool enough() const { return rows >= 2 * held + parameters + 1; }
};

/// The split backtest() would make of `d`. Throws usage_error unless
/// 0 < o.holdout <= 0.5.
backtest_split split_for_backtest(const model_spec& spec, const design& d,
                                  const backtest_options& o);

/// Runs the backtest at spec.level. Throws data_error when too few rows remain
/// to fit (see backtest_split::enough), usage_error for a bad fraction.
backtest_result backtest(const model_spec& spec, const design& d, const backtest_options& o);

/// The split backtest() would make of a formula's frame (its parameters:
/// the design's columns and the intercept). Throws as the one above.
backtest_split split_for_backtest(const formula_frame& frame, const backtest_options& o);

/// The backtest of a formula model, exactly as for -y/-x: the frame's rows
/// (every complete record of `data`, bound as `frame`) are ordered by the
/// column frame.ranges[o.along], the extremes held out and a random inner
/// control drawn as above; each fit is fit_formula on bind_frame(data, the
/// kept records), so factor levels and poly coefficients come from the kept
/// rows, as R refits lm(formula, data[kept, ]). Held-out responses are on
/// the model's scale (log(y) for `log(y) ~ ...`), each predicted with its
/// own case weight (predict.lm's weights); distances count from the kept
/// rows' range of the column, in its spans. A held-out row whose factor
/// level the kept rows never had counts in new_level only. Throws
/// usage_error for a bad fraction or column, data_error for too few rows,
/// model_error (saying it was the backtest's fit) when a part cannot be
/// fitted.
backtest_result backtest(const formula_rows& data, const formula_frame& frame,
                         const backtest_options& o, double level);

/// backtest --method: how a held-out row's interval is made. A method is
/// given a part's fits (the candidate models fitted to its kept rows, in
/// candidate order, and the first candidate's kept rows as the bootstrap
/// resamples them) and the level, and returns the rule that turns a
/// held-out row (the candidates' predictions there, predict_one /
/// predict_row of each in the same order, its case weight and the first
/// candidate's design row point_of) into the method's prediction.
/// textbook: the first candidate's own t interval; averaged: the AICc
/// mixture of averaged.hpp; bootstrap: the first candidate's residual
/// bootstrap interval (bootstrap.hpp). Another method plugs in as one more
/// named_method.
struct held_row {
  const std::vector<prediction>& each;
  double weight;
  const Eigen::VectorXd& x0;
};
struct part_fits {
  const std::vector<model>& fits;
  const bootstrap_rows& rows;
};
using interval_rule = std::function<prediction(const held_row& row)>;
using backtest_method = std::function<interval_rule(const part_fits& part, double level)>;

struct named_method {
  std::string name;
  backtest_method make;
  /// Reads part_fits::rows (the bootstrap); for the others they are not
  /// made, so that a part's fit holds the rows once.
  bool needs_rows = false;
};

/// The first candidate's own interval (R's predict.lm).
named_method textbook_method();
/// The AICc-weighted mixture over every candidate (averaged.hpp).
named_method averaged_method();
/// The first candidate's residual bootstrap prediction interval
/// (bootstrap.hpp), `o.replicates` replicates from `o.seed` per part.
named_method bootstrap_method(const bootstrap_options& o);

/// One method's backtest: its coverage, error and widths.
struct method_backtest {
  std::string method;
  backtest_result result;
};

/// The backtest of every method on the same split: the candidates (-y/-x
/// specs differing in degree, say, over the same design `d`) are fitted to
/// each part's kept rows, and every method scores the same held-out rows.
/// With one candidate and textbook it is backtest(). Throws as backtest().
std::vector<method_backtest> backtest_methods(const std::vector<model_spec>& candidates,
                                              const design& d, const backtest_options& o,
                                              const std::vector<named_method>& methods);

/// As above for formula candidates: data[i] and frames[i] are candidate i's
/// records and frame (read_formula_rows, bind_frame of every record), which
/// must hold the same rows (usage_error otherwise); the rows are ordered by
/// the first frame's column o.along.
std::vector<method_backtest> backtest_methods(const std::vector<const formula_rows*>& data,
                                              const std::vector<const formula_frame*>& frames,
                                              const backtest_options& o, double level,
                                              const std::vector<named_method>& methods);

}  // namespace regress
