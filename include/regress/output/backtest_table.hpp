#pragma once
/// \file backtest_table.hpp
/// The writer of a backtest (analyses/backtest.hpp) as text, csv, tsv or
/// json. Printing only: every number was computed by backtest(). Machine
/// formats print numbers through format.hpp; text is rounded for people.

#include <ostream>
#include <string>
#include <vector>

#include "regress/analyses/backtest.hpp"
#include "regress/model/model_spec.hpp"
#include "regress/output/format.hpp"

namespace regress {

/// Writes `r`, the backtest of the model `spec` names, in `format`:
/// - csv/tsv: part,distance_from,distance_to,n,coverage,mae,level,p_value
///   with a row for the extrapolation, the control and each distance bin (NA
///   for the distances of the first two; NA for a coverage or mae of no
///   rows); the test's p-value on the first two rows, NA on the bins.
/// - json: {"level", "extrapolation", "control", "p_value",
///   "least_p_value", "verdict", "bins": [...]}, null for what is not a
///   finite number; verdict is "breaks", "holds", "too_few" or
///   "no_comparison"; and "along" (after "level") when r.along is set.
/// - ndjson: csv's rows as JSON objects, one a line (null for NA).
/// - text: a title (naming r.along when set), a table of the three kinds of
///   rows and the verdict of the test
///   comparing the extrapolation's coverage with the control's, its p-value.
/// For a formula model (r.formula not empty) the text names the formula and
/// notes held-out rows of a new factor level, csv gains a last column
/// new_level and each json part a "new_level" count; `spec` is then unused.
/// Throws nothing but what the stream and allocation throw.
void write_backtest(std::ostream& out, const backtest_result& r, const model_spec& spec,
                    output_format format);

/// Writes the backtest of several interval methods (backtest --method):
/// - json: {"level", "methods": [{"method", "extrapolation", "control",
///   "bins", "mean_width", "p_value", "verdict"}]}, each part with n,
///   coverage, mae, mean_width (and new_level for formulas); the method's
///   "mean_width" is its extrapolation's;
/// - csv/tsv/ndjson: write_backtest's rows with a first column `method`
///   and a last column `mean_width`;
/// - text: a title naming the candidates (`title`), a table per method
///   (n, coverage, mean |err|, mean width per part and bin) and which method
///   came closest to the nominal level outside the data, at what cost in
///   width against the first method's.
void write_backtest_methods(std::ostream& out, const std::vector<method_backtest>& r,
                            const std::string& title, output_format format);

}  // namespace regress
