#pragma once
/// \file run.hpp
/// The whole command line as a function of its arguments and streams, so the
/// tests can drive it in-process. main() only forwards argv and std streams.

#include <istream>
#include <ostream>
#include <string>
#include <vector>

namespace regress::cli {

/// Exit codes: 0 success, 1 data or model error, 2 usage error, 3 predictions
/// extrapolate and --fail-on-extrapolation was given.
enum exit_code : int { ok = 0, data_failure = 1, usage_failure = 2, extrapolated = 3 };

/// What the process knows about where its output goes; tests leave it default.
struct terminal {
  bool stdout_is_tty = false;
  bool stderr_is_tty = false;
  bool no_color = false;  ///< NO_COLOR is set
};

/// Runs `regress` with `args` (without the program name).
int run(const std::vector<std::string>& args, std::istream& in, std::ostream& out,
        std::ostream& err, const terminal& term = {});

}  // namespace regress::cli
