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
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "regress/engine/engine.hpp"
#include "regress/engine/input.hpp"
#include "regress/engine/passes.hpp"
#include "regress/error.hpp"
#include "regress/files/state_file.hpp"
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
  // About 0.2 s; the bound is loose because two tests run at once under the
  // sanitizers (15 s seen once on a loaded machine), and a hang never ends.
  CHECK(seconds_since(start) < 30);
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
  CHECK(seconds_since(start) < 30);  // loose, as above
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

namespace {

/// `fit NAME.csv MODEL... --save-state NAME.json` in `dir`, the CSV holding
/// `text`.
test_support::run_outcome save_shard(const test_support::scratch_dir& dir, const std::string& name,
                                     const std::vector<std::string>& model,
                                     const std::string& text) {
  const std::string csv = dir.write(name + ".csv", text);
  std::vector<std::string> args = {"fit", csv};
  args.insert(args.end(), model.begin(), model.end());
  args.insert(args.end(), {"--save-state", dir.file(name + ".json"), "--format", "csv"});
  return run_regress(args);
}

std::string cars_rows(std::size_t from, std::size_t to) {
  const auto lines = lines_of(test_support::read_file(test_support::cars()));
  std::string text = lines.at(0) + "\n";
  for (std::size_t i = from + 1; i < to + 1 && i < lines.size(); ++i) text += lines[i] + "\n";
  return text;
}

}  // namespace

TEST_CASE("merge refuses a shard given twice, directly or inside a merged state",
          "[hostile][streams][merge]") {
  for (const std::vector<std::string>& model :
       {std::vector<std::string>{"-y", "dist", "-x", "speed"},
        std::vector<std::string>{"dist ~ speed"}}) {
    const test_support::scratch_dir dir;
    REQUIRE(save_shard(dir, "p1", model, cars_rows(0, 25)).code == 0);
    REQUIRE(save_shard(dir, "p2", model, cars_rows(25, 50)).code == 0);
    const std::string p1 = dir.file("p1.json"), p2 = dir.file("p2.json");
    const auto twice = run_regress({"merge", p1, p1, p2});
    CHECK(twice.code == 2);
    CHECK_THAT(last_error(twice), Contains(p1 + " holds a shard that " + p1 + " holds too") &&
                                      Contains("its rows would count twice"));
    REQUIRE(run_regress({"merge", p1, p2, "--save-state", dir.file("p12.json")}).code == 0);
    const auto nested = run_regress({"merge", dir.file("p12.json"), p2});
    CHECK(nested.code == 2);
    CHECK_THAT(last_error(nested), Contains(p2 + " holds a shard that " + dir.file("p12.json")));
    // The same file by another name, even without ids.
    const auto renamed = run_regress({"merge", p1, dir.path() + "/./p1.json"});
    CHECK(renamed.code == 2);
  }
}

TEST_CASE("Each saved state gets its own shard id", "[hostile][streams][merge]") {
  const test_support::scratch_dir dir;
  const std::vector<std::string> model = {"-y", "dist", "-x", "speed"};
  REQUIRE(save_shard(dir, "a", model, cars_rows(0, 25)).code == 0);
  REQUIRE(save_shard(dir, "b", model, cars_rows(0, 25)).code == 0);  // the same rows, twice
  const auto a = nlohmann::json::parse(dir.read("a.json"));
  const auto b = nlohmann::json::parse(dir.read("b.json"));
  REQUIRE(a.at("shards").size() == 1);
  CHECK(a.at("shards")[0].get<std::string>().size() == 32);
  CHECK(a.at("shards") != b.at("shards"));
}

TEST_CASE("A state file from before shard ids still merges, unchecked",
          "[hostile][streams][merge]") {
  const test_support::scratch_dir dir;
  const std::vector<std::string> model = {"-y", "dist", "-x", "speed"};
  REQUIRE(save_shard(dir, "p1", model, cars_rows(0, 25)).code == 0);
  REQUIRE(save_shard(dir, "p2", model, cars_rows(25, 50)).code == 0);
  auto old = nlohmann::json::parse(dir.read("p1.json"));
  old.erase("shards");
  dir.write("old.json", old.dump(1));
  const auto merged =
      run_regress({"merge", dir.file("old.json"), dir.file("p2.json"), "--format", "csv"});
  const auto whole =
      run_regress({"fit", test_support::cars(), "-y", "dist", "-x", "speed", "--format", "csv"});
  REQUIRE(merged.code == 0);
  CHECK(lines_of(merged.out).size() == lines_of(whole.out).size());
}

TEST_CASE("An empty or all-missing shard saves an empty state that merges as nothing",
          "[hostile][streams][merge]") {
  for (const std::vector<std::string>& model :
       {std::vector<std::string>{"-y", "dist", "-x", "speed"},
        std::vector<std::string>{"dist ~ speed"}}) {
    const test_support::scratch_dir dir;
    REQUIRE(save_shard(dir, "p1", model, cars_rows(0, 25)).code == 0);
    REQUIRE(save_shard(dir, "p2", model, cars_rows(25, 50)).code == 0);
    const auto empty = save_shard(dir, "empty", model, "speed,dist\n");
    CHECK(empty.code == 0);
    CHECK(empty.out.empty());
    CHECK_THAT(empty.err, Contains("no data rows") && Contains(dir.file("empty.json")));
    const auto missing = save_shard(dir, "missing", model, "speed,dist\nNA,3\n4,NA\n");
    CHECK(missing.code == 0);
    CHECK_THAT(missing.err, Contains("no complete rows") && Contains(dir.file("missing.json")));
    const auto merged =
        run_regress({"merge", dir.file("empty.json"), dir.file("p1.json"), dir.file("missing.json"),
                     dir.file("p2.json"), "--format", "csv"});
    INFO(merged.err);
    REQUIRE(merged.code == 0);
    std::vector<std::string> whole = {"fit", test_support::cars()};
    whole.insert(whole.end(), model.begin(), model.end());
    whole.insert(whole.end(), {"--format", "csv"});
    CHECK(merged.out == run_regress(whole).out);
    // Only empty shards: nothing to fit, an error.
    const auto none = run_regress({"merge", dir.file("empty.json"), dir.file("missing.json")});
    CHECK(none.code == 1);
    CHECK_THAT(last_error(none), Contains("no complete rows"));
  }
}

TEST_CASE("An empty state reads back, writes the same text again, and merges with itself",
          "[hostile][streams][merge]") {
  // The oracles of tests/fuzz/fuzz_state.cpp, for the empty state.
  const test_support::scratch_dir dir;
  REQUIRE(save_shard(dir, "empty", {"-y", "dist", "-x", "speed"}, "speed,dist\n").code == 0);
  std::istringstream in(dir.read("empty.json"));
  const regress::fit_state s = regress::read_state(in, "empty.json");
  CHECK(s.state.n() == 0);
  CHECK(s.shards.size() == 1);
  std::ostringstream out;
  regress::write_state(out, s);
  CHECK(out.str() == dir.read("empty.json"));
  const regress::fit_state both = regress::merge_states({s, s}, {"a", "b"});
  CHECK(both.state.n() == 0);
  CHECK_THROWS_AS(regress::model_of(both), regress::model_error);
}
