#pragma once
/// \file backtest.hpp
/// An honest check of extrapolation on the user's own data: fit on the inner
/// part of the x range, predict the held-out extreme rows, and compare the
/// coverage of the nominal prediction interval there with a random in-range
/// holdout of the same size.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "regress/model/design.hpp"
#include "regress/model/model_spec.hpp"

namespace regress {

enum class holdout_side { upper, lower, both };

struct backtest_options {
  double holdout = 0.2;  ///< fraction of rows held out, in (0, 0.5]
  holdout_side side = holdout_side::both;
  std::size_t along = 0;   ///< predictor whose extremes are held out
  std::uint64_t seed = 1;  ///< for the random control holdout
};

struct backtest_part {
  std::size_t n = 0;
  double coverage = 0;  ///< share of held-out responses inside their prediction interval
  double mae = 0;       ///< mean absolute error of the fit
};

struct backtest_bin {
  double distance_from, distance_to;  ///< in spans of the inner fit's range
  backtest_part part;
};

struct backtest_result {
  double level;
  backtest_part extrapolation;
  backtest_part control;
  std::vector<backtest_bin> bins;  ///< non-empty bins only, nearest first
};

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

}  // namespace regress
