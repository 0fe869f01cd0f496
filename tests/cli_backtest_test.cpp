// End-to-end tests of `regress backtest` through the built binary: the held-out
// extrapolation and control parts, their csv and json, --seed, and its usage
// errors. Each test runs the real executable (support/binary.hpp).

#include <catch2/catch.hpp>
#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>

#include "support/binary.hpp"
#include "support/files.hpp"
#include "support/sanitizer.hpp"
#include "support/text.hpp"

using namespace test_support;
using json = nlohmann::json;
using Catch::Matchers::Contains;

namespace {

std::string backtest_cars(const std::string& extra = "") {
  return "backtest " + quote(cars()) + " -y dist -x speed " + extra;
}
std::string backtest_pressure(const std::string& extra = "") {
  return "backtest " + quote(pressure()) + " -y pressure -x temperature " + extra;
}

}  // namespace

// ===========================================================================
// backtest

TEST_CASE("backtest --format json has the documented keys", "[cli][backtest]") {
  scratch_dir dir;
  const outcome r = regress(dir, backtest_cars("--format json"));
  INFO(r.err);
  REQUIRE(r.status == 0);
  const json j = json::parse(r.out);
  CHECK(j.at("level") == 0.95);
  for (const char* part : {"extrapolation", "control"}) {
    INFO(part);
    const json& p = j.at(part);
    REQUIRE(p.is_object());
    for (const char* key : {"n", "coverage", "mae"}) {
      INFO(key);
      REQUIRE(p.at(key).is_number());
    }
    CHECK(p["n"] == 10);  // 20% of 50 rows
    CHECK(p["coverage"].get<double>() >= 0);
    CHECK(p["coverage"].get<double>() <= 1);
    CHECK(p["mae"].get<double>() > 0);
  }
  const json& bins = j.at("bins");
  REQUIRE(bins.is_array());
  REQUIRE(!bins.empty());
  std::size_t n = 0;
  double previous_to = 0;
  for (const auto& b : bins) {
    for (const char* key : {"distance_from", "distance_to", "n", "coverage", "mae"}) {
      INFO(key);
      REQUIRE(b.contains(key));
    }
    CHECK(b["distance_from"].get<double>() >= previous_to);  // nearest first
    if (b["distance_to"].is_number()) {
      CHECK(b["distance_to"].get<double>() > b["distance_from"].get<double>());
      previous_to = b["distance_to"].get<double>();
    }
    CHECK(b["n"].get<std::size_t>() > 0);
    n += b["n"].get<std::size_t>();
  }
  CHECK(n == j["extrapolation"]["n"].get<std::size_t>());

  SECTION("and --level changes the level reported") {
    const json j99 = json::parse(succeed(dir, backtest_cars("--format json --level 0.99")));
    CHECK(j99.at("level") == 0.99);
    CHECK(j99["extrapolation"]["coverage"].get<double>() >=
          j["extrapolation"]["coverage"].get<double>());
  }
}

TEST_CASE("backtest of pressure at its upper end shows the intervals failing outside the data",
          "[cli][backtest]") {
  scratch_dir dir;
  const json j = json::parse(succeed(dir, backtest_pressure("--side upper --format json")));
  const double outside = j["extrapolation"]["coverage"].get<double>();
  const double inside = j["control"]["coverage"].get<double>();
  INFO("extrapolation coverage " << outside << ", control " << inside);
  CHECK(outside < inside);
  CHECK(j["extrapolation"]["mae"].get<double>() > j["control"]["mae"].get<double>());
  CHECK(j["extrapolation"]["n"] == j["control"]["n"]);

  const outcome text = regress(dir, backtest_pressure("--side upper"));
  REQUIRE(text.status == 0);
  CHECK_THAT(text.out, Contains("extrapolation"));
  CHECK_THAT(text.out, Contains("control"));
  CHECK_THAT(text.out, Contains("does not hold out there"));
}

TEST_CASE("backtest --format csv writes the documented header and the json's figures",
          "[cli][backtest]") {
  scratch_dir dir;
  const outcome r = regress(dir, backtest_pressure("--side upper --format csv"));
  INFO(r.err);
  REQUIRE(r.status == 0);
  REQUIRE(lines_of(r.out).at(0) == "part,distance_from,distance_to,n,coverage,mae,level,p_value");
  const table_text t = parse_table(r.out);
  const json j = json::parse(succeed(dir, backtest_pressure("--side upper --format json")));
  REQUIRE(t.rows.size() == 2 + j["bins"].size());
  CHECK(t.text(0, "part") == "extrapolation");
  CHECK(t.text(1, "part") == "control");
  for (std::size_t i = 0; i < 2; ++i) {
    const json& p = j[i == 0 ? "extrapolation" : "control"];
    CHECK(t.number(i, "n") == p["n"].get<double>());
    CHECK(t.number(i, "coverage") == Approx(p["coverage"].get<double>()).epsilon(1e-15));
    CHECK(t.number(i, "mae") == Approx(p["mae"].get<double>()).epsilon(1e-15));
  }
  for (std::size_t i = 2; i < t.rows.size(); ++i) {
    const json& b = j["bins"][i - 2];
    CHECK(t.text(i, "part") == "bin");
    CHECK(t.number(i, "distance_from") == b["distance_from"].get<double>());
    CHECK(t.number(i, "n") == b["n"].get<double>());
  }
  for (std::size_t i = 0; i < t.rows.size(); ++i) CHECK(t.number(i, "level") == 0.95);
  for (std::size_t i = 0; i < 2; ++i) CHECK(t.number(i, "p_value") == j["p_value"].get<double>());
  for (std::size_t i = 2; i < t.rows.size(); ++i) CHECK(t.text(i, "p_value") == "NA");
}

TEST_CASE("backtest's verdict is a test of the two coverages and does not flip with the seed",
          "[cli][backtest]") {
  // mtcars -y mpg -x wt: 6 extreme rows, 5 covered; the control covers 5 or
  // 6 of 6 by seed. R: fisher.test(matrix(c(5, 6, 1, 0), 2), alternative =
  // "less")$p.value = 0.5, and 0.77272727272727282 for 5 of 6 against 5 of 6
  // (make_backtest_reference.R): neither is evidence.
  scratch_dir dir;
  const std::string args = "backtest " + quote(mtcars()) + " -y mpg -x wt";
  for (const char* seed : {"1", "2", "3", "4", "5"}) {
    INFO("seed " << seed);
    const json j = json::parse(succeed(dir, args + " --seed " + seed + " --format json"));
    CHECK(j["verdict"] == "holds");
    const double p = j["p_value"].get<double>();
    CHECK((p == Approx(0.5).epsilon(1e-12) || p == Approx(0.77272727272727282).epsilon(1e-12)));
    CHECK(j["least_p_value"].get<double>() == Approx(1.0 / 924).epsilon(1e-12));
    CHECK_THAT(succeed(dir, args + " --seed " + seed), Contains("No significant sign"));
  }
  // Three rows a part cannot tell: even 0 of 3 against 3 of 3 is p = 1/20.
  const std::string few = succeed(dir, args + " --holdout 0.1");
  CHECK_THAT(few, Contains("Too few held-out rows to tell"));
  CHECK(json::parse(succeed(dir, args + " --holdout 0.1 --format json"))["verdict"] == "too_few");
}

TEST_CASE("backtest's control holdout is reproducible with --seed", "[cli][backtest]") {
  scratch_dir dir;
  const std::string once = succeed(dir, backtest_cars("--format csv --seed 7"));
  const std::string again = succeed(dir, backtest_cars("--format csv --seed 7"));
  CHECK(once == again);
}

TEST_CASE("backtest rejects a holdout fraction outside (0,1) and an unknown side with exit 2",
          "[cli][backtest]") {
  scratch_dir dir;
  check_failure(regress(dir, backtest_cars("--holdout 1.5")), 2, {"--holdout"});
  check_failure(regress(dir, backtest_cars("--holdout 0")), 2, {"--holdout"});
  check_failure(regress(dir, backtest_cars("--holdout -0.2")), 2, {"--holdout"});
  check_failure(regress(dir, backtest_cars("--side sideways")), 2, {"sideways"});
}

// More than half the rows held out once aborted (the control drew more rows
// than the inside had); it is now refused up front, as the control needs as
// many inner rows again.
TEST_CASE("backtest with more than half the rows held out ends with a message, not a crash",
          "[cli][backtest]") {
  scratch_dir dir;
  for (const char* fraction : {"0.6", "0.9"}) {
    INFO("--holdout " << fraction);
    check_failure(regress(dir, backtest_cars(std::string("--holdout ") + fraction)), 2,
                  {"--holdout"});
  }
}

// ===========================================================================
// Models given as R formulas (the numbers are checked against R in
// formula_explore_test.cpp)

TEST_CASE("backtest takes a formula and refits it on the kept rows", "[cli][backtest]") {
  scratch_dir dir;
  const std::string base = "backtest " + quote(cars()) + " " + quote("dist ~ poly(speed, 2)");
  const json j = json::parse(succeed(dir, base + " --format json"));
  CHECK(j.at("extrapolation").at("n") == 10);
  // R 4.2, tests/reference/make_formula_explore_reference.R: 9 of the 10
  // extreme rows covered by lm(dist ~ poly(speed, 2)) refitted on the rest.
  CHECK(j.at("extrapolation").at("coverage") == 0.9);
  CHECK(j.at("extrapolation").at("new_level") == 0);
  CHECK(j.at("control").at("new_level") == 0);
  const std::string text = succeed(dir, base);
  CHECK_THAT(text, Contains("Backtest of dist ~ poly(speed, 2): 95% nominal"));
  CHECK(succeed(dir, "backtest " + quote(cars()) + " -f " + quote("dist ~ poly(speed, 2)")) ==
        text);
}

TEST_CASE("backtest counts held-out rows of a level the fit never saw as new_level",
          "[cli][backtest]") {
  scratch_dir dir;
  std::string cells = "x,g,y\n";
  for (int i = 1; i <= 30; ++i) {
    const char* g = i > 26 ? "c" : (i % 2 != 0 ? "a" : "b");
    cells += std::to_string(i) + "," + g + "," + std::to_string(2 * i + (i % 3)) + "\n";
  }
  const std::string data = dir.write("cells.csv", cells);
  // The top 6 rows (x 25..30) are held out; x 27..30 have g = c, which no
  // kept row has.
  const std::string base = "backtest " + quote(data) + " " + quote("y ~ x + g") + " --side upper";
  const table_text t = parse_table(succeed(dir, base + " --format csv"));
  CHECK(t.header.back() == "new_level");
  CHECK(t.text(0, "part") == "extrapolation");
  CHECK(t.number(0, "n") == 2);
  CHECK(t.number(0, "new_level") == 4);
  CHECK_THAT(succeed(dir, base), Contains("Note: 4 held-out rows (4 extreme, 0 control)"));
}

TEST_CASE("backtest --along chooses the column held out at its extremes", "[cli][backtest]") {
  scratch_dir dir;
  const std::string formula = "backtest " + quote(mtcars()) + " " + quote("mpg ~ wt + log(disp)");
  check_failure(regress(dir, formula), 2, {"--along", "wt, disp"});
  const json wt = json::parse(succeed(dir, formula + " --along wt --format json"));
  const json disp = json::parse(succeed(dir, formula + " --along disp --format json"));
  CHECK(wt.at("extrapolation") != disp.at("extrapolation"));
  const std::string columns = "backtest " + quote(mtcars()) + " -y mpg -x wt,disp";
  CHECK(succeed(dir, columns + " --along wt") == succeed(dir, columns));
  CHECK(succeed(dir, columns + " --along disp") != succeed(dir, columns));
  check_failure(regress(dir, columns + " --along hp"), 2, {"--along", "hp"});
  // With several columns every format says which one the rows were held out along.
  CHECK(wt.at("along") == "wt");
  CHECK(disp.at("along") == "disp");
  CHECK_THAT(succeed(dir, columns),
             Catch::Matchers::StartsWith("Backtest of mpg ~ wt + disp, held out along wt: "));
  CHECK_THAT(succeed(dir, columns + " --along disp"), Contains("held out along disp: "));
  CHECK(json::parse(succeed(dir, columns + " --format json")).at("along") == "wt");
  CHECK_FALSE(json::parse(succeed(dir, backtest_cars("--format json"))).contains("along"));
}

TEST_CASE("a formula backtest with a many-level factor refits without a design in memory",
          "[cli][backtest][formula][hostile]") {
  const scratch_dir dir;
  if (sh(dir, "prlimit --as=4000000000 true >/dev/null 2>&1").status != 0 || sanitized) {
    WARN("skipped: prlimit cannot run here, or a sanitised binary cannot start under --as");
    return;
  }
  // 100,000 rows, a 60-level factor: a design held in memory (61 double-double
  // columns a row, twice: all rows and a part's) took over 200 MB of address
  // space; the refits from the cells' statistics run in 100 MB.
  const outcome r =
      sh(dir,
         "awk 'BEGIN{srand(7); print \"y,x,g\"; for (i = 1; i <= 100000; i++) { x = 1 + "
         "(i * 7919 % 100000) / 1000; printf \"%.4f,%.3f,g%d\\n\", 2 * log(x) + (i % 60) / 10 + "
         "rand() - 0.5, x, i % 60 } }' > g.csv && timeout 120 prlimit --as=100000000 \"$REGRESS\" "
         "backtest g.csv 'y ~ log(x) + g' --format json");
  INFO(r.err);
  REQUIRE(r.status == 0);
  const json j = json::parse(r.out);
  CHECK(j["extrapolation"]["n"] == 20000);
  CHECK(j["control"]["n"] == 20000);
}
