#pragma once
/// \file formula_predict.hpp
/// predict for a model fitted from a formula (model::terms): --new rows
/// with the model's columns (factor levels as text), or --at/--range for a
/// model that reads one numeric column.

#include <istream>
#include <ostream>
#include <vector>

#include "predict_resolve.hpp"
#include "regress/analyses/bootstrap.hpp"
#include "regress/model/model.hpp"

namespace regress::cli {

/// --inverse with a formula model: throws usage_error unless its fitted
/// curve is a straight line in its one numeric column (an intercept, one
/// slope, the column alone or in I(), a response column alone, no factors,
/// no weights), where the -y/-x calibration applies as it is.
void check_formula_inverse(const model& m);

/// --at/--range with a formula model that reads one numeric column: throws
/// the formula's data_error for the first value outside its domain (log of
/// 0, ...), so that it is raised before anything is written.
void check_defined(const model& m, const std::vector<double>& values);

/// Writes a row per point; returns the exit code (3: extrapolation with
/// --fail-on-extrapolation; a new level counts). With `boot` (--method
/// bootstrap) the intervals are the bootstrap's.
int run_formula_predict(const predict_options& o, const model& m, double level, std::istream& in,
                        std::ostream& out, std::ostream& err,
                        const bootstrap_replicates* boot = nullptr);

}  // namespace regress::cli
