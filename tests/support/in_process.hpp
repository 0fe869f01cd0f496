#pragma once
/// \file in_process.hpp
/// The in-process harness: runs the command line as the function
/// regress::cli::run(args, in, out, err), with standard input from a string,
/// and gives back the exit code and both outputs. No process, no files.
///
/// Use it for many small inputs on standard input, for inputs built in memory
/// (hostile and very large data), and wherever a sanitizer should see the
/// whole run. Use binary.hpp instead for pipes, files named on the command
/// line from a shell, signals, terminals and streaming (see there).

#include <string>
#include <vector>

namespace test_support {

/// What an in-process run gave.
struct run_outcome {
  int code = -1;    ///< run()'s return value: the exit code the process would have
  std::string out;  ///< what run() wrote to standard output
  std::string err;  ///< what run() wrote to standard error
};

/// `regress ARGS < input`, in-process (args without the program name). The
/// terminal is left at its default: neither output is a terminal.
run_outcome run_regress(const std::vector<std::string>& args, const std::string& input = {});

}  // namespace test_support
