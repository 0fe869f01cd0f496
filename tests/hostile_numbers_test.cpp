// Hostile numbers: degenerate and extreme values that must give R's answer
// (or a finite one where the answer is finite) instead of inf, -nan or a
// label that contradicts the number beside it. Runs in-process through
// regress::cli::run().

#include <catch2/catch.hpp>
#include <cmath>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/files.hpp"
#include "support/in_process.hpp"
#include "support/text.hpp"

namespace {

using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;
using json = nlohmann::json;
using outcome = test_support::run_outcome;
using test_support::lines_of;
using test_support::parse_table;
using test_support::read_file;
using test_support::repo_path;
using test_support::run_regress;

/// R's text of a number written with sprintf("%.17g") (NaN, NA, Inf, -Inf
/// by name) as regress's csv writes it: NaN and NA both as NA, Inf as inf.
std::string csv_of_r(const std::string& r) {
  if (r == "NaN" || r == "NA") return "NA";
  if (r == "Inf") return "inf";
  if (r == "-Inf") return "-inf";
  return r;
}

/// `got` (regress's csv cell) is R's value `r`: the same non-finite name, or
/// the same number (-0 and 0 alike).
void check_cell(const std::string& got, const std::string& r) {
  INFO("regress " << got << ", R " << r);
  const std::string want = csv_of_r(r);
  if (want == "NA" || want == "inf" || want == "-inf") {
    CHECK(got == want);
  } else {
    CHECK(std::stod(got) == std::stod(want));
  }
}

/// The json value is R's value `r`: null for a non-finite one.
void check_json(const json& got, const std::string& r) {
  INFO("regress " << got.dump() << ", R " << r);
  if (csv_of_r(r) != r) {
    CHECK(got.is_null());
  } else {
    REQUIRE(got.is_number());
    CHECK(got.get<double>() == std::stod(r));
  }
}

struct constant_case {
  std::string name;
  std::vector<std::string> args;
};

std::vector<constant_case> constant_cases() {
  const std::string one = repo_path("tests/data/r_constant_one.csv");
  const std::string two = repo_path("tests/data/r_constant_two.csv");
  return {{"one", {"fit", one, "-y", "y", "-x", "x"}},
          {"two", {"fit", two, "-y", "y", "-x", "x,z"}},
          {"log", {"fit", one, "y ~ log(x)"}}};
}

}  // namespace

TEST_CASE("fit of a constant response prints R's summary: F NaN, p-value NA, R-squared NaN",
          "[hostile][numbers]") {
  // tests/reference/r_summary_constant_<case>.txt (make_constant_reference.R):
  // R 4.2's print(summary(lm())) with the Call set to lm(formula = <formula>).
  for (const auto& c : constant_cases()) {
    INFO("case " << c.name);
    auto r =
        lines_of(read_file(repo_path("tests/reference/r_summary_constant_" + c.name + ".txt")));
    REQUIRE(r.size() > 10);
    r.erase(r.begin());  // R's print starts with an empty line and ends with one
    r.pop_back();
    const outcome got = run_regress(c.args);
    REQUIRE(got.code == 0);
    CHECK_THAT(got.err, Contains("essentially perfect fit"));  // as R warns
    const auto lines = lines_of(got.out);
    REQUIRE(lines.size() > r.size());
    for (std::size_t j = 0; j < r.size(); ++j) CHECK(lines[j] == r[j]);
    CHECK_THAT(lines[r.size()], StartsWith("Log-likelihood: Inf,  AIC: -Inf,  BIC: -Inf"));
  }
}

TEST_CASE("fit of a constant response gives R's figures in csv and json", "[hostile][numbers]") {
  // tests/reference/constant_reference.csv (make_constant_reference.R):
  // coef(summary(fit)) and the model's figures, as sprintf("%.17g").
  const auto ref = parse_table(read_file(repo_path("tests/reference/constant_reference.csv")));
  for (const auto& c : constant_cases()) {
    INFO("case " << c.name);
    auto args = c.args;
    args.insert(args.end(), {"--format", "csv"});
    const outcome csv = run_regress(args);
    REQUIRE(csv.code == 0);
    const auto got = parse_table(csv.out);
    args.back() = "json";
    const outcome js = run_regress(args);
    REQUIRE(js.code == 0);
    const json j = json::parse(js.out);
    std::size_t term = 0;
    for (std::size_t i = 0; i < ref.rows.size(); ++i) {
      if (ref.text(i, "case") != c.name) continue;
      if (ref.text(i, "term") == "(model)") {
        for (const char* key : {"r_squared", "adj_r_squared", "sigma", "f_statistic", "f_p_value",
                                "log_lik", "aic", "bic"}) {
          INFO(key);
          check_json(j[key], ref.text(i, key));
        }
        continue;
      }
      REQUIRE(term < got.rows.size());
      CHECK(got.text(term, "term") == ref.text(i, "term"));
      for (const char* key : {"estimate", "std_error", "statistic", "p_value"}) {
        INFO(key);
        check_cell(got.text(term, key), ref.text(i, key));
        check_json(j["terms"][term][key], ref.text(i, key));
      }
      ++term;
    }
    CHECK(term == got.rows.size());
  }
}

namespace {

/// tests/reference/far_reference.csv (make_far_reference.R), by name.
double far_reference(const std::string& name) {
  const auto t = parse_table(read_file(repo_path("tests/reference/far_reference.csv")));
  for (std::size_t i = 0; i < t.rows.size(); ++i) {
    if (t.text(i, "name") == name) return t.number(i, "value");
  }
  FAIL("no " << name << " in far_reference.csv");
  return 0;
}

/// Neither output holds a NaN as C prints it ("nan", "-nan").
void require_no_nan(const outcome& r) {
  INFO("stdout: " << r.out << "\nstderr: " << r.err);
  CHECK(r.out.find("nan") == std::string::npos);
  CHECK(r.err.find("nan") == std::string::npos);
}

}  // namespace

TEST_CASE(
    "predict --range over the whole double range gives evenly spaced finite points, none "
    "labelled inside",
    "[hostile][numbers]") {
  const std::string cars = repo_path("data/cars.csv");
  for (const auto& model : std::vector<std::vector<std::string>>{
           {cars, "-y", "dist", "-x", "speed"}, {cars, "dist ~ speed"}}) {
    std::vector<std::string> args{"predict"};
    args.insert(args.end(), model.begin(), model.end());
    args.insert(args.end(), {"--range", "-1e308:1e308:3", "--format", "csv"});
    const outcome r = run_regress(args);
    REQUIRE(r.code == 0);
    require_no_nan(r);
    const auto t = parse_table(r.out);
    REQUIRE(t.rows.size() == 3);
    CHECK(t.number(0, "speed") == -1e308);
    CHECK(t.number(1, "speed") == 0);
    CHECK(t.number(2, "speed") == 1e308);
    // 0 is below cars' speeds (4 to 25); the ends are far below and above.
    CHECK(t.text(0, "region") == "below");
    CHECK(t.text(1, "region") == "below");
    CHECK(t.text(2, "region") == "above");
    // The fit overflows there (as R's: -Inf, Inf); its standard error is
    // |x| times the slope's, finite.
    CHECK(t.text(0, "fit") == "-inf");
    CHECK(t.text(2, "fit") == "inf");
    const double se = far_reference("se_speed");
    CHECK(t.number(0, "se_fit") == Approx(1e308 * se).epsilon(1e-12));
    CHECK(t.number(2, "se_fit") == Approx(1e308 * se).epsilon(1e-12));
  }
}

TEST_CASE("explore sweeps from -1e308 to 1e308 without NaN", "[hostile][numbers]") {
  const std::string cars = repo_path("data/cars.csv");
  for (const char* format : {"text", "csv"}) {
    // Degree 2 overflows there (x^2 beyond the largest double): its rows are
    // NA and the text says the interval cannot be computed, never "nan".
    for (const char* degree : {"1", "2", "1,2"}) {
      INFO(format << ", degree " << degree);
      const outcome r =
          run_regress({"explore", cars, "-y", "dist", "-x", "speed", "--from", "-1e308", "--to",
                       "1e308", "--steps", "5", "--format", format, "--degree", degree});
      REQUIRE(r.code == 0);
      require_no_nan(r);
    }
  }
  const outcome r = run_regress({"explore", cars, "-y", "dist", "-x", "speed", "--from", "-1e308",
                                 "--to", "1e308", "--steps", "5", "--format", "csv"});
  const auto t = parse_table(r.out);
  REQUIRE(t.rows.size() == 5);
  const std::vector<double> want{-1e308, -5e307, 0, 5e307, 1e308};
  for (std::size_t i = 0; i < want.size(); ++i) {
    CHECK(t.number(i, "speed") == want[i]);
    CHECK(std::isfinite(t.number(i, "se_fit")));
    CHECK(std::isfinite(t.number(i, "widening")));
  }
}

TEST_CASE(
    "a prediction far out keeps a finite standard error and interval where the leverage "
    "overflows",
    "[hostile][numbers]") {
  // Far out se_fit = |x|^d * SE(highest power) and the prediction interval's
  // half-width is qt(0.975, df) * se_fit (far_reference.csv).
  const std::string cars = repo_path("data/cars.csv");
  struct far_case {
    std::vector<std::string> model;
    double x, scale;
    const char *se, *t;
  };
  const std::vector<far_case> cases{
      {{cars, "-y", "dist", "-x", "speed"}, 1e160, 1e160, "se_speed", "t975_48"},
      {{cars, "dist ~ speed"}, 1e160, 1e160, "se_speed", "t975_48"},
      {{cars, "-y", "dist", "-x", "speed", "--degree", "2"}, 1e100, 1e200, "se_speed2", "t975_47"},
      {{cars, "dist ~ speed + I(speed^2)"}, 1e100, 1e200, "se_speed2", "t975_47"}};
  for (const auto& c : cases) {
    std::vector<std::string> args{"predict"};
    args.insert(args.end(), c.model.begin(), c.model.end());
    args.insert(args.end(), {"--at", c.x == 1e160 ? "1e160" : "1e100", "--format", "csv"});
    INFO(c.model.back() << " at " << c.x);
    const outcome r = run_regress(args);
    REQUIRE(r.code == 0);
    require_no_nan(r);
    CHECK_THAT(r.err, Contains("times as wide"));
    const auto t = parse_table(r.out);
    REQUIRE(t.rows.size() == 1);
    const double se = t.number(0, "se_fit");
    CHECK(se == Approx(c.scale * far_reference(c.se)).epsilon(1e-9));
    const double half = (t.number(0, "upr") - t.number(0, "lwr")) / 2;
    CHECK(half == Approx(far_reference(c.t) * se).epsilon(1e-9));
    CHECK(t.text(0, "region") == "above");
  }
}

TEST_CASE("a level just below 1 prints as a percentage below 100", "[hostile][numbers]") {
  const std::string cars = repo_path("data/cars.csv");
  const outcome r = run_regress({"explore", cars, "-y", "dist", "-x", "speed", "--level",
                                 "0.9999999999999999", "--steps", "3", "--format", "text"});
  REQUIRE(r.code == 0);
  CHECK_THAT(r.out, Contains("99.99999999999999%"));
  CHECK(r.out.find("100%") == std::string::npos);
  // The ordinary levels print as before.
  const outcome usual = run_regress(
      {"explore", cars, "-y", "dist", "-x", "speed", "--steps", "3", "--format", "text"});
  CHECK_THAT(usual.out, Contains("95%"));
}

TEST_CASE("predict refuses new data that repeat a column the model reads, naming it",
          "[hostile][numbers]") {
  const std::string cars = repo_path("data/cars.csv");
  for (const auto& model : std::vector<std::vector<std::string>>{
           {cars, "-y", "dist", "-x", "speed"}, {cars, "dist ~ speed"}}) {
    std::vector<std::string> args{"predict"};
    args.insert(args.end(), model.begin(), model.end());
    args.insert(args.end(), {"--new", "-"});
    const outcome r = run_regress(args, "speed,speed\n10,20\n");
    INFO("stderr: " << r.err);
    CHECK(r.code == 1);
    CHECK_THAT(r.err, StartsWith("regress: error: "));
    CHECK_THAT(r.err, Contains("two columns named 'speed' (columns 1 and 2)"));
    // A repeated column the model does not read is no question.
    const outcome fine = run_regress(args, "speed,note,note\n10,a,b\n");
    CHECK(fine.code == 0);
  }
  // A model fitted on the same repeated header reads both, as x and x.1.
  test_support::scratch_dir dir;
  const std::string data = dir.write("d.csv", "x,x,y\n1,2,3\n2,1,4\n3,5,8\n4,3,9\n5,4,12\n");
  const outcome r = run_regress({"predict", data, "y ~ x + x.1", "--new", "-"}, "x,x\n1,2\n");
  INFO("stderr: " << r.err);
  CHECK(r.code == 0);
}

TEST_CASE("inverse prediction of a y near the largest double is finite", "[hostile][numbers]") {
  const std::string cars = repo_path("data/cars.csv");
  const outcome r = run_regress({"predict", cars, "-y", "dist", "-x", "speed", "--inverse", "--y",
                                 "1e308", "--format", "csv"});
  INFO("stdout: " << r.out << "\nstderr: " << r.err);
  REQUIRE(r.code == 0);
  require_no_nan(r);
  CHECK(r.out.find("inf") == std::string::npos);
  const auto t = parse_table(r.out);
  REQUIRE(t.rows.size() == 1);
  // x = mean(speed) + (y - mean(dist)) / slope: 1e308 / 3.93 (R's slope,
  // make_far_reference.R's model), to the digits that survive.
  const double x = t.number(0, "speed");
  CHECK(x == Approx(1e308 / 3.9324087591240855).epsilon(1e-12));
  CHECK(t.number(0, "lwr") < x);
  CHECK(t.number(0, "upr") > x);
  CHECK(std::isfinite(t.number(0, "upr")));
  // A slope below 1 would carry x past the largest double: a clear error.
  test_support::scratch_dir dir;
  const std::string flat = dir.write("f.csv", "x,y\n1,0.1\n2,0.3\n3,0.2\n4,0.4\n5,0.5\n");
  const outcome far = run_regress(
      {"predict", flat, "-y", "y", "-x", "x", "--inverse", "--y", "1.7e308", "--format", "csv"});
  CHECK(far.code == 1);
  CHECK_THAT(far.err, Contains("beyond the largest number a double holds"));
}

TEST_CASE("control characters in names are escaped in text output, as R prints them",
          "[hostile][numbers]") {
  test_support::scratch_dir dir;
  const std::string esc = "x\x1b[2J\x7f";
  const std::string data = dir.write("d.csv", esc + ",y\n1,2\n2,3.5\n3,7\n4,12.5\n5,20\n6,29\n");
  const std::string model = dir.file("m.json");
  const outcome fit =
      run_regress({"fit", data, "-y", "y", "-x", esc, "--save", model, "--format", "text"});
  INFO("stderr: " << fit.err);
  REQUIRE(fit.code == 0);
  CHECK(fit.out.find('\x1b') == std::string::npos);
  CHECK(fit.out.find('\x7f') == std::string::npos);
  CHECK_THAT(fit.out, Contains("x\\033[2J\\177"));
  // And in explore's text.
  const outcome ex = run_regress({"explore", data, "-y", "y", "-x", esc, "--format", "text"});
  REQUIRE(ex.code == 0);
  CHECK(ex.out.find('\x1b') == std::string::npos);
  CHECK_THAT(ex.out, Contains("x\\033[2J\\177"));
  // json escapes them its own way (\u001b).
  const outcome js = run_regress({"fit", data, "-y", "y", "-x", esc, "--format", "json"});
  CHECK(js.out.find('\x1b') == std::string::npos);
}

TEST_CASE("explore refuses more than 20 degrees to compare", "[hostile][numbers]") {
  std::string many = "1";
  for (int i = 0; i < 8000; ++i) many += ",1";
  const outcome r = run_regress(
      {"explore", repo_path("data/cars.csv"), "-y", "dist", "-x", "speed", "--degree", many});
  CHECK(r.code == 2);
  CHECK_THAT(r.err, Contains("--degree takes at most 20 degrees"));
  const outcome twenty =
      run_regress({"explore", repo_path("data/cars.csv"), "-y", "dist", "-x", "speed", "--degree",
                   "1,2,3,4,5,6,7,8,9,10,1,2,3,4,5,6,7,8,"
                   "9,10",
                   "--steps", "3"});
  CHECK(twenty.code == 0);
}
