#pragma once
/// \file formula_candidates.hpp
/// Fitting --method averaged's formula candidates (formula_data.cpp).

#include <istream>
#include <ostream>
#include <vector>

#include "common.hpp"
#include "regress/model/model.hpp"

namespace regress::cli {

/// Fits the candidates of --method averaged (formulas, or -y/-x with
/// --weights; the same data options but the formula) as fit_formula_data
/// fits each in turn, with the same warnings and errors, but with their
/// passes over the data shared (fit_formulas_csv_file).
std::vector<model> fit_formula_candidates(const std::vector<data_options>& candidates,
                                          std::istream& in, std::ostream& err);

}  // namespace regress::cli
