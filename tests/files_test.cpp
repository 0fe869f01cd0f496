// The model and state files (src/regress/files): what a writer does with a
// name JSON cannot hold. Reading is covered by model_io_test.cpp,
// engine_test.cpp and hostile_test.cpp, and by the fuzz corpora.

#include "support/files.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "regress/error.hpp"
#include "regress/files/model_io.hpp"
#include "regress/files/state_file.hpp"
#include "support/fit.hpp"
#include "support/in_process.hpp"

using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

namespace {
// "x" followed by a byte that is never UTF-8.
const std::string bad_name = "x\xff";

regress::fit_state line_state() {
  std::istringstream data("x,y\n1,2.1\n2,3.9\n3,6.2\n4,7.8\n");
  const auto choose = [](const std::vector<std::string>&) {
    regress::column_choice c;
    c.spec.response = "y";
    c.spec.predictors = {"x"};
    c.indices = {1, 0};
    return c;
  };
  return regress::state_of(regress::fit_csv_stream(data, choose, {}));
}

std::vector<std::string> entries(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    out.push_back(e.path().filename().string());
  }
  return out;
}
}  // namespace

TEST_CASE("a column name that is not UTF-8 cannot be saved in a model file", "[files]") {
  regress::model m = regress::test::fit_columns({{1, 2, 3, 4}, {2.1, 3.9, 6.2, 7.8}}, {"x", "y"});
  std::ostringstream out;
  REQUIRE_NOTHROW(regress::write_model(out, m));
  for (const bool response : {false, true}) {
    INFO("in the response: " << response);
    regress::model bad = m;
    (response ? bad.spec.response : bad.spec.predictors[0]) = bad_name;
    if (!response) bad.ranges[0].name = bad_name;
    std::ostringstream file;
    CHECK_THROWS_AS(regress::write_model(file, bad), regress::model_error);
    CHECK_THROWS_WITH(regress::write_model(file, bad),
                      Contains("not valid UTF-8") && Contains("rename the column"));
  }
}

TEST_CASE("a column name that is not UTF-8 cannot be saved in a state file", "[files]") {
  regress::fit_state s = line_state();
  std::ostringstream out;
  REQUIRE_NOTHROW(regress::write_state(out, s));
  s.spec.predictors[0] = bad_name;
  s.ranges[0].name = bad_name;
  std::ostringstream file;
  CHECK_THROWS_AS(regress::write_state(file, s), regress::model_error);
  CHECK_THROWS_WITH(regress::write_state(file, s),
                    Contains("not valid UTF-8") && Contains("rename the column"));
}

TEST_CASE("fit --save and --save-state refuse a column name that is not UTF-8", "[files][cli]") {
  const std::string csv = bad_name + ",y\n1,2.1\n2,3.9\n3,6.2\n4,7.8\n";
  for (const char* flag : {"--save", "--save-state"}) {
    INFO(flag);
    test_support::scratch_dir dir;
    const auto r = test_support::run_regress(
        {"fit", "-", "-y", "y", "-x", "1", flag, dir.file("saved.json")}, csv);
    CHECK(r.code == 1);
    CHECK_THAT(r.err, StartsWith("regress: error: ") && Contains("not valid UTF-8") &&
                          Contains("rename the column"));
    CHECK(r.err.find("internal error") == std::string::npos);
    // One line, and no file (nor a temporary beside it) is left behind.
    CHECK(r.err.find('\n') == r.err.size() - 1);
    CHECK(entries(dir.path()).empty());
  }
}
