#pragma once
/// \file model_io.hpp
/// Model files: versioned JSON with every double written as the shortest text
/// that reads back to the same bits, so a loaded model predicts exactly what
/// the fit it came from predicts.

#include <istream>
#include <ostream>
#include <string>

#include "regress/model/model.hpp"

namespace regress {

/// Version 1: a -y/-x model (still written for those, and read). Version 2
/// adds the formula (model::terms), aliased terms, weights and cell ranges;
/// written for a model fitted from a formula.
inline constexpr int model_format_version = 2;

/// Writes `m` as JSON.
void write_model(std::ostream& out, const model& m);

/// Reads a model. Throws model_error (naming `source`) for malformed JSON, a
/// missing or unknown version, missing fields, non-finite or inconsistent
/// values.
model read_model(std::istream& in, const std::string& source);

}  // namespace regress
