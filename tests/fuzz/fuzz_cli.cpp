// libFuzzer target: the whole command line, regress::cli::run() in-process.
//
// Input: the first line is the argument list, split on spaces; the rest is
// standard input. So seeds are readable, e.g.
//     fit --response=y --predictor=x --format=json
//     x,y
//     1,2
//     ...
// The harness never lets run() touch the file system: an argument is kept
// only when it is
//  - a subcommand (fit predict explore backtest), and only as the first
//    argument;
//  - one of the bare flags in `bare` below;
//  - `--model=-` or `--new=-` exactly (standard input, never a path);
//  - `--NAME=VALUE` for a NAME in `valued` below: options that never name a
//    file.
// Anything else is dropped, so no positional argument other than "-" reaches
// run(), and --save, --svg and file paths never do.
//
// Oracles: run() returns 0, 1, 2 or 3 and throws nothing; on 1, 2 or 3
// stderr's last line is a `regress: error: ` message; every stderr line
// starts with `regress: `; on 0 after a subcommand, stdout is not empty.
// Output is capped (1 MiB) so that a large but legitimate --range stays fast.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <sstream>
#include <streambuf>
#include <string>
#include <string_view>
#include <vector>

#include "cli/run.hpp"

namespace {

[[noreturn]] void finding(const char* what, const std::string& err) {
  std::fprintf(stderr, "FINDING: %s\n--- stderr of run() ---\n%s\n", what, err.c_str());
  std::abort();
}

bool allowed(std::string_view arg, bool first) {
  static constexpr std::string_view subcommands[] = {"fit", "predict", "explore", "backtest"};
  static constexpr std::string_view bare[] = {
      "-",         "--no-intercept", "--help",
      "-h",        "--version",      "--plot",
      "--ascii",   "--inverse",      "--fail-on-extrapolation",
      "--model=-", "--new=-"};
  static constexpr std::string_view valued[] = {
      "--response=", "--predictor=", "--degree=",       "--level=",
      "--format=",   "--delimiter=", "--at=",           "--range=",
      "--interval=", "--y=",         "--max-widening=", "--max-halfwidth=",
      "--along=",    "--hold=",      "--from=",         "--to=",
      "--span=",     "--steps=",     "--width=",        "--height=",
      "--holdout=",  "--side=",      "--seed="};
  for (std::string_view s : subcommands) {
    if (arg == s) return first;
  }
  for (std::string_view b : bare) {
    if (arg == b) return true;
  }
  for (std::string_view v : valued) {
    if (arg.substr(0, v.size()) == v) return true;
  }
  return false;
}

struct output_limit {};

/// A string sink that throws output_limit past a cap; the ostream rethrows it
/// because its exception mask includes badbit.
class capped_buf : public std::stringbuf {
 public:
  explicit capped_buf(std::size_t cap) : cap_(cap) {}

 protected:
  int_type overflow(int_type c) override {
    if (++written_ > cap_) throw output_limit{};
    return std::stringbuf::overflow(c);
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    written_ += static_cast<std::size_t>(n);
    if (written_ > cap_) throw output_limit{};
    return std::stringbuf::xsputn(s, n);
  }

 private:
  std::size_t cap_;
  std::size_t written_ = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 256 * 1024) return -1;
  const std::string_view all(reinterpret_cast<const char*>(data), size);
  const std::size_t newline = all.find('\n');
  const std::string_view line = all.substr(0, newline);
  const std::string input(newline == std::string_view::npos ? std::string_view()
                                                            : all.substr(newline + 1));

  std::vector<std::string> args;
  std::size_t start = 0;
  while (start <= line.size() && args.size() < 16) {
    std::size_t space = line.find(' ', start);
    if (space == std::string_view::npos) space = line.size();
    const std::string_view arg = line.substr(start, space - start);
    if (!arg.empty() && allowed(arg, args.empty())) args.emplace_back(arg);
    start = space + 1;
  }

  std::istringstream in(input);
  capped_buf out_buf(1 << 20);
  std::ostream out(&out_buf);
  out.exceptions(std::ios::badbit);
  std::ostringstream err;
  int code = 0;
  try {
    code = regress::cli::run(args, in, out, err);
  } catch (const output_limit&) {
    return 0;
  }

  const std::string messages = err.str();
  // run()'s last resort (an exception of no regress type) is a bug. Only a
  // line that starts so counts: messages may quote the input, which may say
  // anything (control characters are escaped, so it cannot start a line).
  if (messages.rfind("regress: error: internal error (", 0) == 0 ||
      messages.find("\nregress: error: internal error (") != std::string::npos) {
    finding("an exception escaped to run()'s last resort", messages);
  }
  if (code < 0 || code > 3) finding("an exit code other than 0, 1, 2, 3", messages);
  std::size_t line_start = 0;
  std::string last_line;
  while (line_start < messages.size()) {
    std::size_t end = messages.find('\n', line_start);
    if (end == std::string::npos) finding("stderr does not end with a newline", messages);
    last_line = messages.substr(line_start, end - line_start);
    if (last_line.rfind("regress: ", 0) != 0) {
      finding("a stderr line that does not start with 'regress: '", messages);
    }
    line_start = end + 1;
  }
  if (code != 0 && last_line.rfind("regress: error: ", 0) != 0) {
    finding("a failure without a 'regress: error:' message", messages);
  }
  if (code == 0 && !args.empty() && args[0] != "--help" && args[0] != "-h" &&
      args[0] != "--version" && out_buf.str().empty()) {
    finding("success with nothing on stdout", messages);
  }
  return 0;
}
