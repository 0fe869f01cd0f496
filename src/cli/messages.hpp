#pragma once
/// \file messages.hpp
/// The one place where the command line's message prefixes are written: every
/// line on stderr is "regress: error: ..." or "regress: warning: ...", one
/// line each (the library's messages are one line already, see error.hpp).
/// --quiet is kept on the error stream itself (an iword), so every command
/// and helper that warns on that stream obeys it without passing a flag.

#include <ostream>
#include <string_view>

namespace regress::cli {

/// Silences (or restores) warnings and notes written to `err` (--quiet);
/// errors are always written.
void set_quiet(std::ostream& err, bool quiet);

/// Writes "regress: warning: <message>\n" to `err`, unless `err` is quiet.
void warn(std::ostream& err, std::string_view message);

/// Writes "regress: note: <message>\n" to `err`, unless `err` is quiet.
void note(std::ostream& err, std::string_view message);

/// Writes "regress: error: <message>\n" to `err`, quiet or not.
void report_error(std::ostream& err, std::string_view message);

/// Says once on `err` (unless quiet) that regress is waiting for the CSV on
/// standard input, a terminal, and how to end it: a user who typed
/// `regress fit -y y -x x` and forgot the file would otherwise see nothing.
void note_terminal_input(std::ostream& err);

}  // namespace regress::cli
