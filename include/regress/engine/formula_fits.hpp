#pragma once
/// \file formula_fits.hpp
/// Several formulas fitted to one CSV with their passes shared (predict and
/// explore --method averaged's candidates); see engine.hpp for one formula.

#include <cstddef>
#include <exception>
#include <functional>
#include <istream>
#include <string>
#include <vector>

#include "regress/engine/engine.hpp"

namespace regress {

/// Several formulas' fits to one file (predict --method averaged's
/// candidates): `fits` in the order of the requests, and `failure` the
/// exception of the first that fails (the fits before it are in `fits`).
struct formula_fits {
  std::vector<engine_result> fits;
  std::exception_ptr failure;
  bool shared = false;  ///< whether the passes were shared (else one fit after another)
};

/// Which one fit's largest training leverage (model::max_leverage) is
/// wanted, given every fit's model as solved so far (predict --method
/// averaged: the largest AICc weight's, whose region every row takes).
using leverage_choice = std::function<std::size_t(const std::vector<model>&)>;

/// Fits several formulas to one CSV file, each exactly as
/// fit_formula_csv_file fits it (the same bits, warnings and errors), but
/// with their passes shared: one first pass reads the union of their columns
/// and hands each record to every formula's statistics (each with its own
/// rule for missing values), and one second pass serves every fit that
/// needs one. Fitted one after another instead: a formula with ns() or bs()
/// (in memory, as always), requests with keep_stats or rows, formulas that
/// read a column differently (as text in one, as numbers in another), and
/// whenever a fit fails (so that the failure and what comes before it are
/// the single fits'). A column found to hold text past the first records
/// runs the shared first pass again. Throws, as fit_formula_csv_file,
/// only what no fit gets to (an unreadable file).
///
/// With `choose` and engine_options::need_max_leverage, the shared second
/// pass finds the largest leverage of the fit `choose` picks from the
/// first pass's models only (per row it costs more than the rest of the
/// pass); every other fit's max_leverage is left 0 (not found, as
/// formula_stats::finish leaves it). When the second pass's
/// exact sums of squares make `choose` pick another, one pass more finds
/// that one's (the first pick keeps its own). The chosen fit is then the bits of its own fit, and
/// the others too but for max_leverage.
formula_fits fit_formulas_csv_file(const std::string& path,
                                   const std::vector<formula_request>& requests,
                                   const engine_options& options,
                                   const leverage_choice& choose = {});

/// As fit_formulas_csv_file for a stream, copied once to a temporary file.
formula_fits fit_formulas_csv_stream(std::istream& in, const std::vector<formula_request>& requests,
                                     const engine_options& options,
                                     const leverage_choice& choose = {});

}  // namespace regress
