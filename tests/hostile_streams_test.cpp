// A hostile environment around the inputs, in-process: a file that shrinks
// while it is mapped, a file without line breaks (/dev/zero), records and
// model files too big or too deep to hold, /proc files whose size says 0,
// more threads than sensible, and standard input that cannot be kept for a
// second pass. The cases that need a real process (named pipes, limits on
// processes, a read-only /tmp) are in hostile_streams_cli_test.cpp.

#include <fcntl.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <sstream>
#include <string>
#include <vector>

#include "regress/engine/engine.hpp"
#include "regress/engine/input.hpp"
#include "regress/engine/passes.hpp"
#include "regress/error.hpp"
#include "regress/reading/table.hpp"
#include "support/files.hpp"
#include "support/in_process.hpp"
#include "support/text.hpp"

namespace {

using Catch::Matchers::Contains;
using test_support::lines_of;
using test_support::run_regress;
using test_support::temp_file;

regress::column_chooser y_on_x() {
  return [](const std::vector<std::string>& header) {
    regress::column_choice c;
    c.spec.response = "y";
    c.spec.predictors = {"x"};
    c.indices = {regress::resolve_column(header, "y"), regress::resolve_column(header, "x")};
    return c;
  };
}

/// The last line of stderr, which must be the only error line.
std::string last_error(const test_support::run_outcome& r) {
  const auto lines = lines_of(r.err);
  REQUIRE(!lines.empty());
  return lines.back();
}

std::string rows(int n) {
  std::string text = "x,y\n";
  for (int i = 0; i < n; ++i) {
    text += std::to_string(i) + "," + std::to_string(2 * i + (i % 3)) + "\n";
  }
  return text;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

TEST_CASE("A mapped file that shrinks during the fit is an error, not a crash",
          "[hostile][streams]") {
  const temp_file f(rows(200000));  // about 2.5 MB: pages well past the cut
  const int fd = ::open(f.path().c_str(), O_RDONLY | O_CLOEXEC);
  REQUIRE(fd >= 0);
  const std::size_t size = static_cast<std::size_t>(::lseek(fd, 0, SEEK_END));
  regress::engine::mapped_file map(fd, size, f.path());
  ::close(fd);
  // What copytruncate does to a log while it is being read.
  REQUIRE(::truncate(f.path().c_str(), 100) == 0);
  regress::engine_options o;
  o.source = f.path();
  o.threads = 2;
  o.chunk_bytes = 1 << 16;
  CHECK_THROWS_WITH(
      regress::engine::fit_mapped(map, map.begin() + 4, 2, {"x", "y"}, y_on_x(), o, size),
      Contains(f.path()) && Contains("the file changed while it was being read"));
  CHECK(map.changed());
}

TEST_CASE("fit /dev/zero stops at the limit on a header's length, quickly", "[hostile][streams]") {
  const auto start = std::chrono::steady_clock::now();
  const auto r = run_regress({"fit", "/dev/zero", "-y", "y", "-x", "x"});
  CHECK(r.code == 1);
  CHECK(last_error(r) ==
        "regress: error: /dev/zero:1: the header is longer than 64 MiB (no line break within it: "
        "is this a CSV file?); raise --max-line-bytes if it is meant to be that long");
  CHECK(seconds_since(start) < 10);  // about 0.2 s
}

TEST_CASE("A header longer than --max-line-bytes is an error naming line 1, mapped or streamed",
          "[hostile][streams]") {
  const std::string text = "x,y" + std::string(300, ' ') + "\n1,2\n2,3\n3,5\n";
  const temp_file f(text);
  for (const std::string& source : {f.path(), std::string("-")}) {
    INFO(source);
    const auto r =
        run_regress({"fit", source, "-y", "y", "-x", "x", "--max-line-bytes", "100"}, text);
    CHECK(r.code == 1);
    CHECK_THAT(last_error(r), Contains(":1: the header is longer than 100 bytes") &&
                                  Contains("raise --max-line-bytes"));
  }
}

TEST_CASE("A streamed record longer than --max-line-bytes is an error naming its line",
          "[hostile][streams]") {
  // Longer than a stream's buffer (2 MiB), which only grows for such a record.
  std::string text = "x,y,note\n";
  for (int i = 0; i < 50; ++i)
    text += std::to_string(i) + "," + std::to_string(3 * i + i % 4) + ",a\n";
  text += "7,21," + std::string(3'000'000, 'a') + "\n";  // line 52
  text += "8,24,a\n";
  const std::vector<std::string> fit = {"fit", "-", "-y", "y", "-x", "x", "--threads", "2"};
  std::vector<std::string> limited = fit;
  limited.insert(limited.end(), {"--max-line-bytes", "1000000"});
  const auto r = run_regress(limited, text);
  CHECK(r.code == 1);
  CHECK_THAT(last_error(r), Contains("<stdin>:52: the record is longer than 1000000 bytes"));
  // Within the limit it fits.
  std::vector<std::string> raised = fit;
  raised.insert(raised.end(), {"--max-line-bytes", "10000000"});
  CHECK(run_regress(raised, text).code == 0);
}

TEST_CASE("A model file bigger than 64 MiB is refused, quickly", "[hostile][streams]") {
  // `yes ' ' | regress predict -m - --at 1`, in memory.
  const std::string spaces(std::size_t(65) << 20, ' ');
  const auto start = std::chrono::steady_clock::now();
  const auto r = run_regress({"predict", "-m", "-", "--at", "1"}, spaces);
  CHECK(r.code == 1);
  CHECK_THAT(last_error(r), Contains("<stdin>: larger than 64 MiB"));
  CHECK(seconds_since(start) < 10);
}

TEST_CASE("Model and state files nested deeper than regress writes are refused",
          "[hostile][streams]") {
  std::string deep = R"({"format": "regress-model", "version": 1, "x": )";
  deep += std::string(100000, '[') + std::string(100000, ']') + "}";
  const temp_file model(deep);
  const auto p = run_regress({"predict", "-m", model.path(), "--at", "1"});
  CHECK(p.code == 1);
  CHECK_THAT(last_error(p), Contains("nested more than 16 levels deep"));
  const temp_file state(deep);
  const auto m = run_regress({"merge", state.path()});
  CHECK(m.code == 1);
  CHECK_THAT(last_error(m), Contains("nested more than 16 levels deep"));
}

TEST_CASE("The files regress writes are within the nesting limit", "[hostile][streams]") {
  // A formula fit's state, with factors, nests deepest.
  const test_support::scratch_dir dir;
  const auto r = run_regress({"fit", test_support::mtcars(), "mpg ~ wt * factor(cyl)", "--save",
                              dir.file("m.json"), "--save-state", dir.file("s.json")});
  REQUIRE(r.code == 0);
  const std::string at = dir.write("new.csv", "wt,cyl\n3,4\n");
  CHECK(run_regress({"predict", "-m", dir.file("m.json"), "--new", at}).code == 0);
  CHECK(run_regress({"merge", dir.file("s.json")}).code == 0);
}

TEST_CASE("A /proc file, whose size says 0, is read for its content", "[hostile][streams]") {
  // One line: a header and no rows (read as empty, it said "the input is empty").
  const auto r = run_regress({"fit", "/proc/loadavg", "--delimiter", " ", "-y", "1", "-x", "2"});
  CHECK(r.code == 1);
  CHECK_THAT(last_error(r), Contains("no data rows; the file has only a header"));
}

TEST_CASE("A --threads beyond what the machine can use is capped, with a warning",
          "[hostile][streams]") {
  const auto r = run_regress({"fit", "-", "-y", "y", "-x", "x", "--threads", "1000"}, rows(10));
  CHECK(r.code == 0);
  CHECK_THAT(r.err, Contains("regress: warning: --threads 1000 is more than this machine can use"));
  CHECK(lines_of(r.err).size() == 1);
}

TEST_CASE("startable_threads starts what is asked when the system allows it",
          "[hostile][streams]") {
  CHECK(regress::startable_threads(1) == 1);
  CHECK(regress::startable_threads(6) == 6);
}

TEST_CASE("Standard input not kept for a second pass says the Residuals block is left out",
          "[hostile][streams]") {
  std::istringstream in(rows(100));
  regress::engine_options o;
  o.spool_bytes = 64;  // as if it were over 64 MiB
  const auto r = regress::fit_csv_stream(in, y_on_x(), o);
  REQUIRE(r.warnings.size() == 1);
  CHECK_THAT(r.warnings[0], Contains("the Residuals block is left out"));
  CHECK_THAT(r.fitted.residuals_note, Contains("not shown"));
}
