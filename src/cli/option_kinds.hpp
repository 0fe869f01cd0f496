#pragma once
/// \file option_kinds.hpp
/// What each option of each command takes, read off the CLI11 definition:
/// the one description that the shell completions, the rewritten parse
/// errors and the man page check share, so that a flag added to a command
/// reaches all of them without an edit here.

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace regress::cli {

/// What an option's value is.
enum class value_kind {
  none,     ///< a flag: no value
  columns,  ///< column names of the data file (-y, -x, --along, --weights...)
  file,     ///< a path (the data, --save, --new, -m, --svg...)
  choice,   ///< one of a fixed set (--format, --interval, --side...)
  number,   ///< an integer or a real
  text      ///< anything else (--at V,V, a formula...)
};

/// Names every option's value on every subcommand of `app`, for --help and
/// for kind_of(): columns "COL", files "FILE", a fixed set "a|b|c" (for
/// --format, the formats its own description names). Call once every
/// command is set up.
void name_values(CLI::App& app);

/// The kind of value `o` takes (after name_values).
value_kind kind_of(const CLI::Option& o);

/// The values of a value_kind::choice option, in order; empty otherwise.
std::vector<std::string> choices_of(const CLI::Option& o);

/// A value for `o` that a user could type, for the examples in messages.
std::string example_of(const CLI::Option& o);

/// One option as the completions and the man page check see it.
struct option_info {
  std::vector<std::string> names;  ///< "-y", "--response"; a positional: its name
  std::string description;
  value_kind kind = value_kind::none;
  std::vector<std::string> choices;
  bool positional = false;
};
/// One subcommand and its options (help excluded).
struct command_info {
  std::string name;
  std::string description;
  std::vector<option_info> options;
};
/// Every subcommand of `app`, in the order they were added.
std::vector<command_info> describe_commands(const CLI::App& app);

}  // namespace regress::cli
