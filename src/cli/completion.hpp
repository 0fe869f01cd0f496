#pragma once
/// \file completion.hpp
/// `regress completion bash|zsh|fish`: a completion script written from the
/// CLI11 definition at run time (option_kinds.hpp), so that it lists exactly
/// the commands and flags this binary has: subcommands, flags, the values of
/// flags with a fixed set (--format, --interval...), files, and the column
/// names in the header of the data file already on the command line.

#include <CLI/CLI.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "option_kinds.hpp"

namespace regress::cli {

/// Declares the completion command's one positional, the shell.
void setup_completion(CLI::App& app, std::string& shell);

/// Writes the script for `shell` from `root`'s commands to `out`; exit code.
/// Throws usage_error for a shell other than bash, zsh or fish.
int run_completion(const CLI::App& root, const std::string& shell, std::ostream& out);

/// The bash script for `commands` (completion_bash.cpp).
void write_bash_completion(std::ostream& out, const std::vector<command_info>& commands);

}  // namespace regress::cli
