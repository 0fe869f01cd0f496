// The command line as a whole, through the built `regress` binary: --help and
// --version, pipes and unwritable outputs, and the usage and data errors every
// subcommand shares (exit 1 for bad data or models, 2 for bad requests).
// Each test runs the real executable through /bin/sh in a fresh temporary
// directory (support/binary.hpp) and looks only at what a user sees.

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>

#include "support/binary.hpp"
#include "support/cars.hpp"

using namespace test_support;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

// ===========================================================================
// Help and version

TEST_CASE("fit --help and predict --help exit 0 and show examples", "[cli]") {
  scratch_dir dir;
  for (const char* sub : {"fit", "predict"}) {
    INFO(sub);
    const outcome r = regress(dir, std::string(sub) + " --help");
    CHECK(r.status == 0);
    CHECK(r.err.empty());
    CHECK_THAT(r.out, Contains("Example"));
    CHECK_THAT(r.out, Contains("--format"));
    CHECK_THAT(r.out, Contains("Usage: regress " + std::string(sub) + " [OPTIONS]"));
  }
}

TEST_CASE("explore, backtest and predict --help exit 0 and show examples", "[cli][explore]") {
  scratch_dir dir;
  for (const char* sub : {"explore", "backtest", "predict"}) {
    INFO(sub);
    const outcome r = regress(dir, std::string(sub) + " --help");
    CHECK(r.status == 0);
    CHECK(r.err.empty());
    CHECK_THAT(r.out, Contains("Example"));
    CHECK_THAT(r.out, Contains(std::string("regress ") + sub));
  }
}

TEST_CASE("regress --version prints the project version", "[cli]") {
  scratch_dir dir;
  const outcome r = regress(dir, "--version");
  CHECK(r.status == 0);
  CHECK(r.err.empty());
  CHECK(r.out == std::string("regress ") + REGRESS_VERSION + "\n");
}

// ===========================================================================
// Pipes and outputs

TEST_CASE("a reader that stops early, as head does, ends the pipeline quietly", "[cli]") {
  scratch_dir dir;
  const outcome r = sh(dir, "{ \"$REGRESS\" " + predict_cars("--range 0:100:100000") +
                                " 2>regress.err; echo $? >regress.status; } | head -1");
  CHECK(r.status == 0);
  CHECK(r.out == predict_header + "\n");
  const std::string err = dir.read("regress.err");
  INFO("regress stderr: " << err);
  CHECK_THAT(err, !Contains("error"));
  // regress itself ends by SIGPIPE (128 + 13 in the shell) or, had it finished
  // first, with 0; never with an error exit.
  const std::string status = dir.read("regress.status");
  CHECK((status == "141\n" || status == "0\n"));
}

TEST_CASE("an output that cannot be written is exit 1 with a message", "[cli]") {
  scratch_dir dir;
  if (!std::filesystem::exists("/dev/full")) return;  // Linux only
  const outcome r = sh(dir, "\"$REGRESS\" " + fit_cars() + " >/dev/full");
  CHECK(r.status == 1);
  CHECK_THAT(r.err, StartsWith("regress: error: "));
  CHECK_THAT(r.err, Contains("standard output"));
}

// ===========================================================================
// Errors every command shares: exit 1 for bad data, exit 2 for bad requests

TEST_CASE("a missing input file is exit 1", "[cli]") {
  scratch_dir dir;
  check_failure(regress(dir, "fit nope.csv -y dist -x speed"), 1, {"nope.csv"});
  check_failure(regress(dir, "predict -m nope.json --at 1"), 1, {"nope.json"});
}

TEST_CASE("a --level outside (0,1) is exit 2", "[cli]") {
  scratch_dir dir;
  check_failure(regress(dir, fit_cars("--level 1.5")), 2, {"--level"});
  check_failure(regress(dir, predict_cars("--at 10 --level 1.5")), 2, {"--level"});
  check_failure(regress(dir, fit_cars("--level 0")), 2, {"--level"});
}

TEST_CASE("an unknown flag is exit 2", "[cli]") {
  scratch_dir dir;
  check_failure(regress(dir, fit_cars("--bogus")), 2, {"--bogus"});
  check_failure(regress(dir, predict_cars("--at 10 --bogus")), 2, {"--bogus"});
  check_failure(regress(dir, ""), 2, {});
}

TEST_CASE("an unknown --format is exit 2", "[cli]") {
  scratch_dir dir;
  check_failure(regress(dir, fit_cars("--format xml")), 2, {"xml"});
  check_failure(regress(dir, predict_cars("--at 10 --format xml")), 2, {"xml"});
  check_failure(regress(dir, predict_cars("--at 10 --format text")), 2, {"csv"});
}
