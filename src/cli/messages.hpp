#pragma once
/// \file messages.hpp
/// The one place where the command line's message prefixes are written: every
/// line on stderr is "regress: error: ..." or "regress: warning: ...", one
/// line each (the library's messages are one line already, see error.hpp).

#include <ostream>
#include <string_view>

namespace regress::cli {

/// Writes "regress: warning: <message>\n" to `err`.
void warn(std::ostream& err, std::string_view message);

/// Writes "regress: error: <message>\n" to `err`.
void report_error(std::ostream& err, std::string_view message);

}  // namespace regress::cli
