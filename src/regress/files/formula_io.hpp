#pragma once
// Private to regress_core: the formula part of a version-2 model file
// (model_io.cpp): the formula and the data's header (to expand '.' again),
// every variable's coding (levels, poly coefficients), the aliased terms,
// weights and the ranges within each cell of the factors.

#include "regress/files/json_file.hpp"
#include "regress/model/formula_state.hpp"
#include "regress/model/model.hpp"

namespace regress::files {

/// The formula fields of `m` (which has terms).
json formula_json(const model& m);

/// Restores m.terms, m.aliased, m.cells and the fit's weight fields from
/// `root`, checking them against m.slope_terms (from the file's "terms").
void read_formula(const json& root, const json_reader& rd, model& m);

/// The fields of a version-2 state file (a formula fit's state), read from
/// `root` (already checked as a state file of version 2) and validated
/// against the plan its formula makes; throws model_error naming `source`.
formula_state read_formula_state(const json& root, const std::string& source);

}  // namespace regress::files
