// The command line's manners for pipes and people: --format ndjson on every
// command that prints rows, --quiet, CLI11's errors in the project's words,
// and the note when standard input is a terminal.

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cerrno>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "support/binary.hpp"

using namespace test_support;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

/// Every line of `text` parsed as one JSON object.
std::vector<nlohmann::json> ndjson_of(const std::string& text) {
  std::vector<nlohmann::json> objects;
  for (const auto& line : lines_of(text)) {
    INFO("line: " << line);
    REQUIRE(!line.empty());
    objects.push_back(nlohmann::json::parse(line));
    REQUIRE(objects.back().is_object());
  }
  return objects;
}

std::string cars_model() { return quote(repo_path("data/cars.csv")) + " -y dist -x speed"; }

}  // namespace

// ===========================================================================
// --format ndjson

TEST_CASE("predict --format ndjson writes one object a line, the csv's rows", "[cli][unix]") {
  scratch_dir dir;
  const std::string csv = succeed(dir, "predict " + cars_model() + " --at 10,40 --format csv");
  const auto rows =
      ndjson_of(succeed(dir, "predict " + cars_model() + " --at 10,40 --format ndjson"));
  REQUIRE(rows.size() == 2);
  const auto csv_lines = lines_of(csv);
  CHECK(rows[0]["speed"] == 10);
  CHECK(rows[1]["region"] == "above");
  // The same number text as csv's second row: "40,<fit>,...".
  CHECK_THAT(csv_lines[2], StartsWith("40," + rows[1]["fit"].dump() + ","));
}

TEST_CASE("augment and check take --format ndjson; anova refuses it", "[cli][unix]") {
  scratch_dir dir;
  // These fell back to csv before: a silent wrong format.
  const auto rows = ndjson_of(succeed(dir, "augment " + cars_model() + " --format ndjson"));
  REQUIRE(rows.size() == 50);
  CHECK(rows[0]["row"] == 1);
  CHECK(rows[49]["row"] == 50);
  CHECK(rows[0].contains(".rstudent"));
  const auto json =
      nlohmann::json::parse(succeed(dir, "augment " + cars_model() + " --format json"));
  REQUIRE(json.size() == 50);
  CHECK(json[7] == rows[7]);
  const auto tests = ndjson_of(succeed(dir, "check " + cars_model() + " --format ndjson"));
  REQUIRE(tests.size() >= 5);
  CHECK(tests[0]["test"] == "reset");
  check_failure(regress(dir, "anova " + cars_model() + " --format ndjson"), 2,
                {"--format for anova"});
}

TEST_CASE("explore, backtest, fit and predict --inverse take --format ndjson", "[cli][unix]") {
  scratch_dir dir;
  const auto sweep =
      ndjson_of(succeed(dir, "explore " + cars_model() + " --steps 5 --format ndjson"));
  REQUIRE(sweep.size() == 5);
  CHECK(sweep[0].contains("pred_upr"));
  const auto backtest = ndjson_of(succeed(dir, "backtest " + cars_model() + " --format ndjson"));
  REQUIRE(backtest.size() >= 2);
  CHECK(backtest[0]["part"] == "extrapolation");
  CHECK(backtest[0]["distance_from"].is_null());
  const auto terms = ndjson_of(succeed(dir, "fit " + cars_model() + " --format ndjson"));
  REQUIRE(terms.size() == 2);
  CHECK(terms[1]["term"] == "speed");
  const auto inverse =
      ndjson_of(succeed(dir, "predict " + cars_model() + " --inverse --y 50,100 --format ndjson"));
  REQUIRE(inverse.size() == 2);
  CHECK(inverse[1]["y"] == 100);
}

TEST_CASE("predict --new - --format ndjson answers each row before the input ends", "[cli][unix]") {
  scratch_dir dir;
  succeed(dir, "fit " + cars_model() + " --save m.json");
  child_process child(
      {binary_path(), "predict", "-m", dir.file("m.json"), "--new", "-", "--format", "ndjson"},
      dir.file("child.err"));
  REQUIRE(child.write("speed\n10\n"));
  const std::string first = child.read_lines(1, 5000);
  REQUIRE(!first.empty());
  CHECK(nlohmann::json::parse(first)["speed"] == 10);
  REQUIRE(child.write("30\n"));
  CHECK(nlohmann::json::parse(child.read_lines(1, 5000))["speed"] == 30);
  child.close_stdin();
  CHECK(child.read_rest(5000).empty());
  CHECK(child.wait() == 0);
}

// ===========================================================================
// --quiet

TEST_CASE("with --quiet no command prints warnings, and errors still print", "[cli][unix]") {
  scratch_dir dir;
  const outcome loud = regress(dir, "predict " + cars_model() + " --at 40");
  REQUIRE_THAT(loud.err, Contains("regress: warning: "));
  const outcome quiet = regress(dir, "predict " + cars_model() + " --at 40 --quiet");
  CHECK(quiet.status == 0);
  CHECK(quiet.err.empty());
  CHECK(quiet.out == loud.out);
  CHECK(regress(dir, "explore " + cars_model() + " -q --format csv --steps 3").err.empty());
  check_failure(regress(dir, "fit nope.csv -y dist -x speed --quiet"), 1, {"nope.csv"});
}

// ===========================================================================
// CLI11's errors, rewritten

namespace {

/// The words of CLI11's own messages that must never reach a user.
void check_no_cli11_text(const std::string& err) {
  for (const char* raw :
       {"At Most", "At least", "could not convert", "Could not convert", "The following argument",
        "required but received", "is required", "Expected exactly", "not in range",
        "disallowed flag", "excludes", "Value ", "missing\n", "INT", "FLOAT", "TEXT"}) {
    INFO("raw CLI11 text: " << raw);
    CHECK_THAT(err, !Contains(raw));
  }
}

}  // namespace

TEST_CASE("every kind of command-line error is said in regress's words, exit 2", "[cli][unix]") {
  scratch_dir dir;
  struct expectation {
    std::string args;
    std::vector<std::string> mentions;
  };
  const std::vector<expectation> cases = {
      // a missing value
      {"fit " + cars_model() + " --level", {"--level needs a value", "e.g. regress fit"}},
      {"predict --at", {"--at needs a value", "--at 10,30"}},
      // an option given twice (CLI11: "At Most 1 required but received 2")
      {"predict " + cars_model() + " --at 10 --at 20", {"--at was given more than once"}},
      // a value that does not convert
      {"fit " + cars_model() + " --degree 1,2", {"--degree must be a whole number", "'1,2'"}},
      {"explore " + cars_model() + " --steps many", {"--steps must be a whole number"}},
      {"fit " + cars_model() + " --level high", {"--level must be a number", "--level 0.9"}},
      // a value outside a validator's range
      {"fit " + cars_model() + " --threads 0", {"--threads must be", "from 1 to 1024"}},
      // an unknown option, with a suggestion
      {"fit " + cars_model() + " --formt csv", {"unknown option '--formt'", "'--format'"}},
      {"backtest " + cars_model() + " --bogus", {"unknown option '--bogus'"}},
      // an extra positional
      {"fit " + cars_model() + " 'dist ~ speed' extra", {"unexpected argument 'extra'"}},
      // a required positional
      {"completion", {"shell is missing", "regress completion"}},
      // no subcommand, an unknown one
      {"", {"give a subcommand"}},
      {"fti data.csv", {"unknown subcommand 'fti'", "did you mean 'fit'"}},
      // a switch given a value
      {"predict " + cars_model() + " --at 10 --fail-on-extrapolation=maybe", {"--fail-on"}},
  };
  for (const auto& c : cases) {
    INFO("regress " << c.args);
    const outcome r = regress(dir, c.args);
    CHECK(r.status == 2);
    CHECK(r.out.empty());
    REQUIRE(lines_of(r.err).size() == 1);
    CHECK_THAT(r.err, StartsWith("regress: error: "));
    for (const auto& m : c.mentions) CHECK_THAT(r.err, Contains(m));
    check_no_cli11_text(r.err);
  }
}

TEST_CASE("a missing value of each flag of each command is said in regress's words",
          "[cli][unix]") {
  scratch_dir dir;
  // Every option that takes a value, as the completion script lists them.
  const std::string script = succeed(dir, "completion bash");
  for (const char* command : {"fit", "predict", "explore", "backtest", "merge"}) {
    const std::string arms = std::string("\"") + command + " --";
    for (std::size_t at = script.find(arms); at != std::string::npos;
         at = script.find(arms, at + 1)) {
      const std::size_t end = script.find('"', at + 1);
      const std::string flag = script.substr(at + arms.size() - 2, end - at - arms.size() + 2);
      INFO("regress " << command << " " << flag);
      const outcome r = regress(dir, std::string(command) + " " + flag);
      CHECK(r.status == 2);
      CHECK_THAT(r.err, StartsWith("regress: error: " + flag + " needs a value"));
      check_no_cli11_text(r.err);
    }
  }
}

// ===========================================================================
// Standard input a terminal

TEST_CASE("with no file and a terminal on standard input, regress says how to end it",
          "[cli][unix]") {
  const int master = ::posix_openpt(O_RDWR | O_NOCTTY);
  if (master < 0 || ::grantpt(master) != 0 || ::unlockpt(master) != 0) {
    if (master >= 0) ::close(master);
    WARN("no pseudo-terminal here; skipped");
    return;
  }
  const std::string slave_name = ::ptsname(master);
  const std::string binary = binary_path();
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::setsid();
    const int slave = ::open(slave_name.c_str(), O_RDWR);
    if (slave < 0) ::_exit(126);
    ::dup2(slave, STDIN_FILENO);
    ::dup2(slave, STDOUT_FILENO);
    ::dup2(slave, STDERR_FILENO);
    ::close(master);
    ::execl(binary.c_str(), binary.c_str(), "fit", "-y", "y", "-x", "x", "--format", "csv",
            static_cast<char*>(nullptr));
    ::_exit(127);
  }
  // Typed rows, then Ctrl-D on an empty line: the terminal's end of input.
  const std::string typed = "x,y\n1,2\n2,4.1\n3,5.9\n\x04";
  REQUIRE(::write(master, typed.data(), typed.size()) == static_cast<ssize_t>(typed.size()));
  std::string seen;
  char buffer[4096];
  for (;;) {
    pollfd p{master, POLLIN, 0};
    const int ready = ::poll(&p, 1, 20000);
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) {
      ::kill(pid, SIGKILL);
      break;
    }
    const ssize_t got = ::read(master, buffer, sizeof buffer);
    if (got <= 0) break;  // EIO once the child has closed the terminal
    seen.append(buffer, static_cast<std::size_t>(got));
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  ::close(master);
  INFO("terminal: " << seen);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK_THAT(seen, Contains("regress: reading the CSV from standard input"));
  CHECK_THAT(seen, Contains("Ctrl-D"));
  CHECK_THAT(seen, Contains("(Intercept),"));
}

TEST_CASE("standard input from a pipe or a file gets no terminal note", "[cli][unix]") {
  scratch_dir dir;
  const outcome r =
      sh(dir, "printf 'x,y\\n1,2\\n2,4.1\\n3,5.9\\n' | \"$REGRESS\" fit --format csv");
  CHECK(r.status == 0);
  CHECK(r.err.empty());
}
