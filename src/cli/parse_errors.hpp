#pragma once
/// \file parse_errors.hpp
/// CLI11's parse errors in the project's words: what was wrong, what is
/// expected and one example, naming the command. CLI11's own text ("At Most
/// 1 required", "Could not convert") never reaches the user.

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace regress::cli {

/// The one-line message (without the "regress: error: " prefix) for `e`,
/// thrown while parsing `args` (as given, without the program name) for
/// `app`, whose subcommands were set up and named (name_values).
std::string explain_parse_error(const CLI::ParseError& e, const CLI::App& app,
                                const std::vector<std::string>& args);

}  // namespace regress::cli
