#pragma once
/// \file anova_command.hpp
/// regress anova [FILE] FORMULA [FORMULA...]: R's anova() of one model (the
/// sequential table) or of nested models (their F tests).

#include <CLI/CLI.hpp>
#include <istream>
#include <ostream>
#include <string>
#include <vector>

#include "common.hpp"

namespace regress::cli {

/// anova's flags as typed (setup_anova fills them).
struct anova_flags {
  data_options data;
  std::vector<std::string> words;  ///< [FILE] FORMULA...
  std::string degrees = "1";       ///< -y/-x: one or more, comma-separated
  std::string format = "text";
};
/// Declares anova's flags, help and footer on `app`; parsing fills `f`.
void setup_anova(CLI::App& app, anova_flags& f);
/// Resolves the flags, fits every model and writes the table.
int run_anova(const anova_flags& f, std::istream& in, std::ostream& out, std::ostream& err);

}  // namespace regress::cli
