#pragma once
/// \file method_option.hpp
/// --method, shared by predict, explore and backtest: how the intervals are
/// made. textbook (R's t intervals, the default), averaged (AICc-weighted
/// mixture over candidate models, analyses/averaged.hpp), bootstrap.
/// A method that is not built in yet is refused with exit 2 by
/// require_available; available_methods() lists those that are (and is
/// what backtest's `all` means).

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "common.hpp"

namespace regress::cli {

enum class interval_method { textbook, averaged, bootstrap };

const char* to_string(interval_method m) noexcept;

/// The methods this build can compute, in the order backtest reports them.
std::vector<interval_method> available_methods();

/// One method's name. Throws usage_error for an unknown name, and for a
/// known one that is not available.
interval_method parse_method(const std::string& text);

/// backtest's --method: M[,M...] or all (available_methods()), duplicates
/// dropped, order kept. Throws as parse_method.
std::vector<interval_method> parse_methods(const std::string& text);

/// Declares --method on `app` (default textbook); `list` for backtest's
/// M[,M...]|all.
void add_method_option(CLI::App& app, std::string& method, bool list = false);

/// --seed's check: digits only (CLI11 would wrap -1 round to 2^64 - 1).
CLI::Validator seed_number();

/// --degree's list for averaged: whole numbers from 1 to 20, ascending.
/// Throws usage_error.
std::vector<int> parse_degree_list(const std::string& text);

/// The models asked for: a formula each (the positional FORMULA, with a
/// first positional that is a formula when no file is given, and `more`),
/// or -y/-x at each of `degrees` (D or D,D,...). Several only when
/// `several` (--method averaged); throws usage_error otherwise, and for a
/// `more` that is not a formula or formulas given with --degree.
std::vector<data_options> candidate_models(const data_options& data, const std::string& degrees,
                                           const std::vector<std::string>& more, bool several);

}  // namespace regress::cli
