#pragma once
/// \file binary.hpp
/// The end-to-end harness: runs the built `regress` executable (REGRESS_BINARY)
/// as a user would, through /bin/sh in a scratch directory, and gives back
/// what a user sees: standard output, standard error and the exit status.
///
/// Which harness to use:
///  - this one (sh, regress, succeed) for what only a real process shows:
///    files, pipes and standard input from a shell (`cat f | regress fit`,
///    `| head -1`), exit statuses, the output of --help and --version, a
///    terminal (run_on_tty) and answers streamed before end of input
///    (child_process). Each run costs a fork and exec, a few milliseconds.
///  - in_process.hpp (run_regress) for many small inputs on standard input,
///    large inputs built in memory, and anything a sanitizer or the fuzzer
///    should see inside the process: it calls regress::cli::run directly.
///
/// Do not include this header in a file that also includes library headers:
/// the function `regress` below would clash with namespace `regress`.

#include <signal.h>
#include <sys/types.h>

#include <initializer_list>
#include <string>
#include <vector>

#include "support/files.hpp"

namespace test_support {

/// The absolute path of the built executable under test.
std::string binary_path();

/// Single-quotes `s` for /bin/sh.
std::string quote(const std::string& s);

/// What a run of a shell script gave.
struct outcome {
  std::string out;
  std::string err;
  int status = -1;  ///< exit status of the script (WEXITSTATUS), -1 if it did not exit
};

/// Runs `script` with /bin/sh in `dir` (as the working directory), with
/// $REGRESS naming the binary and stdin from /dev/null unless the script
/// redirects it; captures the script's stdout, stderr and exit status. The
/// shell starts with SIGPIPE at its default, as in a terminal, even if the
/// test runner ignores it. The files .stdout and .stderr in `dir` hold the
/// captured output.
outcome sh(const scratch_dir& dir, const std::string& script);

/// Runs `regress ARGS` (ARGS already quoted as needed, e.g. with quote()) in
/// `dir`.
outcome regress(const scratch_dir& dir, const std::string& args);

/// Runs `regress ARGS` in `dir`, requires (REQUIRE) exit 0 and returns stdout.
std::string succeed(const scratch_dir& dir, const std::string& args);

/// Checks a failure as the error policy states it: the exit code, one message
/// line on stderr starting "regress: error: " that mentions each of
/// `mentions`, and nothing at all on stdout (one Catch CHECK each).
void check_failure(const outcome& r, int code, std::initializer_list<std::string> mentions);

/// A child process running the binary with pipes to its stdin and from its
/// stdout, to see answers arrive before the end of input. Killed and reaped
/// on destruction if the test did not wait for it. While it lives, SIGPIPE is
/// ignored in the test runner, so writing to a child that died fails the
/// test instead of killing the runner.
class child_process {
 public:
  /// Starts `argv` (argv[0] the program's path); its stderr goes to the file
  /// `stderr_path`. Fails the test (REQUIRE) if the pipes or fork fail.
  child_process(const std::vector<std::string>& argv, const std::string& stderr_path);
  ~child_process();
  child_process(const child_process&) = delete;
  child_process& operator=(const child_process&) = delete;

  /// Writes all of `text` to the child's stdin; false if the pipe broke.
  bool write(const std::string& text);
  /// Closes the child's stdin (end of input); harmless when already closed.
  void close_stdin();
  /// Reads until `lines` complete lines are there, end of file, or no byte
  /// arrives for `timeout_ms`; returns at most `lines` complete lines.
  std::string read_lines(std::size_t lines, int timeout_ms);
  /// Reads everything left until end of file (or a timeout).
  std::string read_rest(int timeout_ms);
  /// Waits for the child to exit; its exit status, or -1.
  int wait();

 private:
  bool read_some(int timeout_ms);
  pid_t pid_ = -1;
  int to_child_ = -1;
  int from_child_ = -1;
  std::string pending_;
  struct sigaction old_sigpipe_ {};
};

/// What a run on a pseudo-terminal gave.
struct tty_outcome {
  bool available = false;  ///< false when no pseudo-terminal could be had
  std::string out;         ///< what the terminal received (newlines as \r\n)
  int status = -1;
};

/// Runs the binary with `args`, its stdout a fresh pseudo-terminal, stdin and
/// stderr /dev/null; NO_COLOR removed from the environment, or set to
/// `no_color` when that is not null. A run that prints nothing for 30 s is
/// killed (status -1).
tty_outcome run_on_tty(const std::vector<std::string>& args, const char* no_color);

}  // namespace test_support
