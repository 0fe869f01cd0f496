// End-to-end tests of R formulas on the command line: `regress fit FILE
// 'formula'` against what R prints, the ways a formula is given (positional,
// -f, standard input), --weights, bad formulas, and `regress predict` with a
// formula model (factor levels as text, levels never seen, each cell's own
// range, --at, prediction weights, saved models, old model files). The
// binary harness (support/binary.hpp) runs the real executable; the
// in-process one (support/in_process.hpp) runs many reference cases cheaply.
// (That predict's rows are the library's predict_row, bit for bit, is
// checked in formula_reference_test.cpp, which may include library headers.)
//
// Where the expected values come from (R 4.2.2):
//  - tests/reference/formula_summary_<case>.txt (make_formula_reference.R,
//    cases in formula_cases.csv) and text_summary_<case>.txt
//    (make_formula_text_reference.R, cases in text_cases.tsv): R's
//    print(summary(lm())) with the call set to lm(formula = <formula>);
//  - tests/reference/formula_reference.csv: lm's coefficients and
//    predict.lm's fit, se_fit, lwr and upr at the new points of every case;
//  - one-off figures, quoted beside the check with the R call that gives them.

#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "support/binary.hpp"
#include "support/cars.hpp"
#include "support/files.hpp"
#include "support/in_process.hpp"
#include "support/numeric.hpp"
#include "support/text.hpp"

using namespace test_support;
using json = nlohmann::json;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

namespace {

/// The fields of one CSV line (RFC 4180 quoting, no line breaks in fields).
std::vector<std::string> csv_fields(const std::string& line) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted && c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
      out.back() += '"';
      ++i;
    } else if (c == '"') {
      quoted = !quoted;
    } else if (c == ',' && !quoted) {
      out.emplace_back();
    } else {
      out.back() += c;
    }
  }
  return out;
}

/// A reference case: data and new points (paths from the repository root),
/// the formula as typed, the weights' column, the level.
struct formula_case {
  std::string name, data, formula, weights, new_points;
  double level = 0.95;
};

/// tests/reference/formula_cases.csv.
std::vector<formula_case> reference_cases() {
  std::vector<formula_case> out;
  const auto lines = lines_of(read_file(repo_path("tests/reference/formula_cases.csv")));
  for (std::size_t i = 1; i < lines.size(); ++i) {
    const auto f = csv_fields(lines[i]);
    REQUIRE(f.size() == 6);
    out.push_back({f[0], "tests/data/" + f[1], f[2], f[3], "tests/data/" + f[4], std::stod(f[5])});
  }
  return out;
}

/// A printed summary of R's and the case it belongs to.
struct text_case {
  std::string name, data, formula, weights, reference;
};

/// Every summary R printed: the [summary] cases of formula_cases.csv and
/// the cases of text_cases.tsv.
std::vector<text_case> text_cases() {
  std::vector<text_case> out;
  for (const auto& c : reference_cases()) {
    const std::string ref = "tests/reference/formula_summary_" + c.name + ".txt";
    if (!read_file(repo_path(ref)).empty())
      out.push_back({c.name, c.data, c.formula, c.weights, ref});
  }
  const auto lines = lines_of(read_file(repo_path("tests/reference/text_cases.tsv")));
  for (std::size_t i = 1; i < lines.size(); ++i) {
    auto f = split(lines[i], '\t');
    f.resize(4);
    out.push_back({f[0], f[1], f[2], f[3], "tests/reference/text_summary_" + f[0] + ".txt"});
  }
  return out;
}

/// R's reference values: (section, row, name) -> value, NaN for NA.
using reference_key = std::tuple<std::string, std::string, std::string>;
std::map<reference_key, double> r_values(const std::string& case_name) {
  std::map<reference_key, double> out;
  const auto lines = lines_of(read_file(repo_path("tests/reference/formula_reference.csv")));
  for (std::size_t i = 1; i < lines.size(); ++i) {
    const auto f = csv_fields(lines[i]);
    if (f.at(0) != case_name) continue;
    out[{f[1], f[2], f[3]}] = f[4] == "NA" ? NAN : std::stod(f[4]);
  }
  return out;
}

std::string fit_args(const std::string& data, const std::string& formula,
                     const std::string& weights, const std::string& extra = "") {
  return "fit " + quote(repo_path(data)) + " " + quote(formula) +
         (weights.empty() ? "" : " --weights " + quote(weights)) + extra;
}

/// Agreement with R to 1e-9 relative: R's lm and regress solve the same
/// least-squares problem by different methods (QR in doubles, double-double
/// normal equations), which agree to about 1e-12 on these data.
constexpr double r_tolerance = 1e-9;

}  // namespace

// ===========================================================================
// The text output against R's printed summary

// Exact decimal ties, where R's value lies a floating-point error beside the
// tie and prints one way, while regress lands on the tie and rounds to even
// as R's round() does (R 4's fround: the nearer neighbour as doubles, the
// even one on a tie). Checked with exact fractions of the data:
//  - intercept_only, 1Q: quantile 7 of y - mean(y) is -33607/20000 =
//    -1.68035 exactly; R has -1.68034999999999979 and prints -1.6803, regress
//    holds the double nearest -1.68035 and prints -1.6804;
//  - alias_cell, alo:bq: the cell means give -47257/20000 = -2.36285 exactly;
//    R has -2.36285000000000167 (printed -2.3629), regress -2.36285 (-2.3628).
const std::map<std::string, std::pair<std::string, std::string>> exact_ties = {
    {"intercept_only",
     {"-3.2481 -1.6803 -0.3566  1.3829  5.1829 ", "-3.2481 -1.6804 -0.3566  1.3829  5.1829 "}},
    {"alias_cell",
     {"alo:bq       -2.3629     4.8591  -0.486    0.632  ",
      "alo:bq       -2.3628     4.8591  -0.486    0.632  "}}};

TEST_CASE(
    "fit FILE 'formula' prints R's summary.lm line for line, then the log-likelihood "
    "and the training range",
    "[cli][formula]") {
  scratch_dir dir;
  const auto cases = text_cases();
  REQUIRE(cases.size() >= 17);
  for (const auto& c : cases) {
    INFO("case " << c.name << ": " << c.formula);
    // R's print starts with an empty line ("\nCall:") and ends with one;
    // regress prints neither the first nor, before its own lines, the last.
    std::vector<std::string> r = lines_of(read_file(repo_path(c.reference)));
    REQUIRE(r.size() > 10);
    REQUIRE(r.front().empty());
    REQUIRE(r.back().empty());
    r.erase(r.begin());
    r.pop_back();
    const outcome out = regress(dir, fit_args(c.data, c.formula, c.weights));
    INFO(out.err);
    REQUIRE(out.status == 0);
    const std::vector<std::string> got = lines_of(out.out);
    REQUIRE(got.size() > r.size() + 2);
    for (std::size_t i = 0; i < r.size(); ++i) {
      const auto tie = exact_ties.find(c.name);
      if (tie != exact_ties.end() && r[i] == tie->second.first) {
        CHECK(got[i] == tie->second.second);
        continue;
      }
      CHECK(got[i] == r[i]);
    }
    CHECK_THAT(got[r.size()], StartsWith("Log-likelihood: "));
    CHECK(got[r.size() + 1].empty());
    CHECK(got[r.size() + 2] == "Training range (predictions outside it are extrapolations):");
  }
}

TEST_CASE("fit -y/-x prints the same R text as the formula it stands for", "[cli][formula]") {
  // R's summaries of lm(mpg ~ cyl + ... + carb) (the Call broken onto two
  // lines, stars one wide) and lm(vs ~ gear) (no stars, no legend).
  scratch_dir dir;
  const std::string full = succeed(
      dir, "fit " + quote(mtcars()) + " -y mpg -x cyl,disp,hp,drat,wt,qsec,vs,am,gear,carb");
  const std::string no_stars = succeed(dir, "fit " + quote(mtcars()) + " -y vs -x gear");
  for (const auto& [text, name] :
       {std::pair{full, "mtcars_full"}, std::pair{no_stars, "no_stars"}}) {
    INFO(name);
    std::string r =
        read_file(repo_path(std::string("tests/reference/text_summary_") + name + ".txt"));
    r = r.substr(1, r.size() - 2);  // R's leading and closing empty lines
    CHECK(text.substr(0, r.size()) == r);
  }
}

// ===========================================================================
// Giving the formula

TEST_CASE("a formula is given after the file, with -f, or alone with the data on standard input",
          "[cli][formula]") {
  scratch_dir dir;
  const std::string file = quote(cars());
  const std::string expected = succeed(dir, "fit " + file + " 'dist ~ speed' --format csv");
  CHECK(succeed(dir, "fit -f 'dist ~ speed' " + file + " --format csv") == expected);
  CHECK(succeed(dir, "fit " + file + " --formula 'dist ~ speed' --format csv") == expected);
  CHECK(succeed(dir, "fit - 'dist ~ speed' --format csv < " + file) == expected);
  CHECK(succeed(dir, "fit -f 'dist ~ speed' --format csv < " + file) == expected);
  const outcome piped = sh(dir, "cat " + file + " | \"$REGRESS\" fit 'dist ~ speed' --format csv");
  INFO(piped.err);
  CHECK(piped.status == 0);
  CHECK(piped.out == expected);
  // The same model as -y/-x, fitted by the streaming engine: the same
  // figures to double-double rounding (R: coef(lm(dist ~ speed, cars))).
  require_close(expected, succeed(dir, fit_cars("--format csv")), 1e-14);
  const table_text t = parse_table(expected);
  CHECK(t.number(0, "estimate") == Approx(r_intercept).epsilon(1e-13));
  CHECK(t.number(1, "estimate") == Approx(r_slope).epsilon(1e-13));
}

TEST_CASE("a formula with -y, -x, --degree or --no-intercept is exit 2", "[cli][formula]") {
  scratch_dir dir;
  const std::string fit = "fit " + quote(cars()) + " 'dist ~ speed' ";
  check_failure(regress(dir, fit + "-y dist"), 2, {"either as a formula or with -y/-x"});
  check_failure(regress(dir, fit + "-x speed"), 2, {"either as a formula or with -y/-x"});
  check_failure(regress(dir, fit + "--degree 2"), 2, {"--degree", "poly(x, 2, raw = TRUE)"});
  check_failure(regress(dir, fit + "--no-intercept"), 2, {"--no-intercept", "- 1"});
}

TEST_CASE("fit --weights fits weighted least squares as lm(weights =) with a formula or -y/-x",
          "[cli][formula]") {
  scratch_dir dir;
  const auto r = r_values("weighted");  // lm(y ~ x + g, f_weights, weights = w)
  const table_text t = parse_table(
      succeed(dir, fit_args("tests/data/f_weights.csv", "y ~ x + g", "w", " --format csv")));
  REQUIRE(t.rows.size() == 4);
  for (std::size_t i = 0; i < t.rows.size(); ++i) {
    const std::string term = t.text(i, "term");
    INFO(term);
    for (const char* name : {"estimate", "std_error", "statistic", "conf_low", "conf_high"}) {
      CHECK(relatively_close(t.number(i, name), r.at({"term", term, name}), r_tolerance));
    }
  }
  // -y/-x with --weights is the same model as the formula y ~ x.
  const std::string data = quote(repo_path("tests/data/f_weights.csv"));
  const std::string by_columns =
      succeed(dir, "fit " + data + " -y y -x x --weights w --format csv");
  CHECK(by_columns == succeed(dir, "fit " + data + " 'y ~ x' --weights w --format csv"));
  // R: coef(lm(y ~ x, read.csv("tests/data/f_weights.csv"), weights = w)).
  const table_text w = parse_table(by_columns);
  CHECK(w.number(0, "estimate") == Approx(3.1816528789238010).epsilon(1e-12));
  CHECK(w.number(1, "estimate") == Approx(1.1927940851392316).epsilon(1e-12));
  CHECK_THAT(succeed(dir, "fit " + data + " -y y -x x --weights w"),
             Contains("Weighted Residuals:"));
  // The weights' column must exist, hold numbers, and be >= 0.
  check_failure(regress(dir, "fit " + data + " 'y ~ x' --weights nope"), 2,
                {"'nope'", "x, g, w, y"});
  const std::string negative = dir.write("negative.csv", "x,y,w\n1,2,1\n2,3,-1\n3,5,1\n4,4,2\n");
  check_failure(regress(dir, "fit " + quote(negative) + " 'y ~ x' --weights w"), 1,
                {"negative.csv:3:", "-1", "negative"});
}

TEST_CASE("an aliased coefficient is NA in csv and null in json, with one warning",
          "[cli][formula]") {
  // R: lm(y ~ x1 + x2 + x3, f_alias) has coefficient x3 NA (x3 = x1 + x2).
  scratch_dir dir;
  const std::string args = fit_args("tests/data/f_alias.csv", "y ~ x1 + x2 + x3", "");
  const outcome csv = regress(dir, args + " --format csv");
  REQUIRE(csv.status == 0);
  CHECK(lines_of(csv.out).back() == "x3,NA,NA,NA,NA,NA,NA");
  CHECK(count_lines(csv.err) == 1);
  CHECK_THAT(csv.err, StartsWith("regress: warning: 1 coefficient is not defined because of "
                                 "singularities"));
  CHECK_THAT(csv.err, Contains("x3"));
  const json j = json::parse(succeed(dir, args + " --format json"));
  const json& x3 = j.at("terms").at(3);
  CHECK(x3.at("term") == "x3");
  for (const char* key :
       {"estimate", "std_error", "statistic", "p_value", "conf_low", "conf_high"}) {
    CHECK(x3.at(key).is_null());
  }
  CHECK(j.at("terms").at(1).at("estimate").is_number());
}

TEST_CASE("an empty cell of two factors is an NA coefficient in the text as R prints it",
          "[cli][formula]") {
  // R: summary(lm(mpg ~ factor(cyl) * factor(gear), mtcars)): no car has 8
  // cylinders and 4 gears.
  scratch_dir dir;
  const outcome r = regress(dir, "fit " + quote(mtcars()) + " 'mpg ~ factor(cyl) * factor(gear)'");
  REQUIRE(r.status == 0);
  CHECK_THAT(r.out, Contains("Coefficients: (1 not defined because of singularities)\n"));
  CHECK_THAT(r.out,
             Contains("\nfactor(cyl)8:factor(gear)4       NA         NA      NA       NA    \n"));
  CHECK_THAT(r.out,
             Contains("\nfactor(cyl)6:factor(gear)5   -6.750      5.800  -1.164   0.2559    \n"));
  CHECK_THAT(r.err, Contains("factor(cyl)8:factor(gear)4 is a linear combination"));
  // No numeric column: the training range says so.
  CHECK_THAT(r.out, Contains("extrapolations):\n  no numeric column"));
}

// ===========================================================================
// Bad formulas

TEST_CASE("a bad formula is one usage error quoting the formula and naming the place",
          "[cli][formula]") {
  scratch_dir dir;
  const std::string file = quote(cars());
  struct bad {
    std::string formula;
    std::vector<std::string> mentions;
  };
  const std::vector<bad> cases = {
      {"dist ~ spd", {"formula 'dist ~ spd': ", "unknown column 'spd' at column 8", "speed, dist"}},
      {"dist ~ foo(speed)",
       {"formula 'dist ~ foo(speed)': ", "unknown function 'foo' at column 8", "log, log2, log10"}},
      {"dist ~ (speed", {"formula 'dist ~ (speed': ", "unbalanced parentheses", "column 8"}},
      {"dist ~ speed)", {"unbalanced parentheses", "column 13"}},
      {"dist speed", {"formula 'dist speed': ", "no '~'"}},
      {"dist ~ speed +", {"nothing after '+'", "column 14"}},
      {"dist ~ ns(speed, Boundary.knots = c(4, 4))",
       {"ns() at column 8", "Boundary.knots", "two different numbers"}},
  };
  for (const auto& c : cases) {
    INFO(c.formula);
    const outcome r = regress(dir, "fit " + file + " " + quote(c.formula));
    check_failure(r, 2, {});
    for (const auto& m : c.mentions) CHECK_THAT(r.err, Contains(m));
  }
  // A response that holds text (mtcars' car names): one error naming the
  // column (and the formula's usage error: the test below).
  const outcome text = regress(dir, "fit " + quote(mtcars()) + " 'model ~ wt'");
  CHECK(text.status != 0);
  CHECK(text.out.empty());
  CHECK(count_lines(text.err) == 1);
  CHECK_THAT(text.err, StartsWith("regress: error: ") && Contains("'model'"));
  // An empty formula, given either way, is not the two-column default fit.
  check_failure(regress(dir, "fit " + file + " ''"), 2, {"formula '': empty"});
  check_failure(regress(dir, "fit " + file + " -f ''"), 2, {"formula '': empty"});
  check_failure(regress(dir, "predict " + file + " -f '' --at 1"), 2, {"formula '': empty"});
}

// The engine looks for text in the response's and the weights' columns too
// (candidate_columns in src/regress/engine/formula_passes.cpp), so text there
// is the formula's usage error, not a bad cell.
TEST_CASE("a response or weights column holding text is a usage error quoting the formula",
          "[cli][formula]") {
  scratch_dir dir;
  check_failure(regress(dir, "fit " + quote(mtcars()) + " 'model ~ wt'"), 2,
                {"formula 'model ~ wt': ", "the response 'model'", "holds text"});
  check_failure(
      regress(dir, "fit " + quote(repo_path("tests/data/f_weights.csv")) + " 'y ~ x' --weights g"),
      2, {"'g'", "holds text"});
}

TEST_CASE("a value outside a function's domain is a data error naming the file and line",
          "[cli][formula]") {
  scratch_dir dir;
  // cars' first row has speed 4.
  check_failure(regress(dir, "fit " + quote(cars()) + " 'dist ~ log(speed - 4)'"), 1,
                {cars() + ":2: ", "'log(speed - 4)' is infinite at 0"});
  check_failure(regress(dir, "fit " + quote(cars()) + " 'dist ~ sqrt(speed - 10)'"), 1,
                {cars() + ":2: ", "'sqrt(speed - 10)' is not defined at -6"});
  // predict --at/--range checks every point before the first row is
  // written: nothing half-written (check_failure wants stdout empty).
  for (const char* method :
       {"", " --method bootstrap --boot 99", " 'dist ~ speed' --method averaged"}) {
    check_failure(
        regress(dir, "predict " + quote(cars()) + " 'dist ~ log(speed)' --at 5,0" + method), 1,
        {"'log(speed)' is infinite at 0"});
    check_failure(
        regress(dir, "predict " + quote(cars()) + " 'dist ~ sqrt(speed)' --range 1:-1:3" + method),
        1, {"'sqrt(speed)' is not defined at -1"});
  }
}

TEST_CASE("predict --inverse refuses a formula whose curve is not a straight line (exit 2)",
          "[cli][formula]") {
  scratch_dir dir;
  const std::string file = quote(cars());
  for (const char* formula : {"dist ~ poly(speed, 2)", "log(dist) ~ speed", "dist ~ speed - 1"}) {
    check_failure(regress(dir, "predict " + file + " '" + formula + "' --inverse --y 10"), 2,
                  {"--inverse takes a formula whose fitted curve is a straight line"});
  }
  check_failure(
      regress(dir, "predict " + file + " 'dist ~ speed' --weights speed --inverse --y 10"), 2,
      {"no weights"});
}

TEST_CASE("predict --inverse with a straight-line formula gives R's calibration interval",
          "[cli][formula][predict]") {
  // tests/reference/make_formula_inverse_reference.R: the ends found by root
  // finding on predict.lm's bands of lm(mpg ~ I(wt), mtcars).
  const table_text r =
      parse_table(read_file(repo_path("tests/reference/formula_inverse_reference.csv")));
  REQUIRE(r.rows.size() == 12);
  for (std::size_t i = 0; i < r.rows.size(); ++i) {
    const std::string y = r.text(i, "y");
    INFO(r.text(i, "interval") << " " << r.text(i, "level") << " y = " << y);
    for (const char* formula : {"mpg ~ I(wt)", "mpg ~ wt"}) {
      const run_outcome out = run_regress(
          {"predict", repo_path("data/mtcars.csv"), formula, "--inverse", "--y", y, "--interval",
           r.text(i, "interval"), "--level", r.text(i, "level"), "--format", "csv"});
      INFO(out.err);
      REQUIRE(out.code == 0);
      const table_text t = parse_table(out.out);
      // The x column is named by the predictor's column.
      for (const auto& [name, ref] :
           {std::pair{"wt", "x"}, std::pair{"lwr", "lwr"}, std::pair{"upr", "upr"}}) {
        INFO(name);
        // uniroot's tolerance (1e-14) and the bands' rounding
        CHECK(std::abs(t.number(0, name) - r.number(i, ref)) <= 1e-9);
      }
      CHECK(t.text(0, "shape") == "interval");
    }
  }
  // A saved formula model inverts as the fit does.
  scratch_dir dir;
  REQUIRE(
      regress(dir, "fit " + quote(repo_path("data/mtcars.csv")) + " 'mpg ~ I(wt)' --save m.json")
          .status == 0);
  const auto saved = regress(dir, "predict -m m.json --inverse --y 12,20 --format csv");
  const auto direct = regress(dir, "predict " + quote(repo_path("data/mtcars.csv")) +
                                       " 'mpg ~ I(wt)' --inverse --y 12,20 --format csv");
  CHECK(saved.status == 0);
  CHECK(saved.out == direct.out);
}

TEST_CASE("predict with a formula model marks in_trust from the formula's narrowest interval",
          "[cli][formula][predict]") {
  scratch_dir dir;
  // The narrowest leverage of lm(dist ~ poly(speed, 2), cars) inside the
  // data, by optimize() (tests/reference/make_formula_explore_reference.R).
  const double narrowest = 0.031766687413109493;
  const double widening = 1.05, ceiling = widening * widening * (1 + narrowest) - 1;
  const std::string at = " --at 0,3,4,6,9,12,15,18,21,24,25,27,30,40 --format csv";
  const auto direct = regress(
      dir, "predict " + quote(cars()) + " 'dist ~ poly(speed, 2)' --max-widening 1.05" + at);
  INFO(direct.err);
  REQUIRE(direct.status == 0);
  CHECK_THAT(direct.err, Contains("points lie outside the trust range"));
  const table_text t = parse_table(direct.out);
  REQUIRE(t.header.back() == "in_trust");
  std::size_t trusted = 0;
  for (std::size_t i = 0; i < t.rows.size(); ++i) {
    const double h = t.number(i, "leverage");
    if (std::abs(h - ceiling) < 1e-9) continue;
    CHECK(t.text(i, "in_trust") == (h <= ceiling ? "true" : "false"));
    trusted += h <= ceiling ? 1 : 0;
  }
  CHECK(trusted > 0);
  CHECK(trusted < t.rows.size());
  // A saved model gives the same column; a half-width bound is the
  // prediction interval's own half-width.
  REQUIRE(regress(dir, "fit " + quote(cars()) + " 'dist ~ poly(speed, 2)' --save m.json").status ==
          0);
  const auto saved = regress(dir, "predict -m m.json --max-widening 1.05" + at);
  CHECK(saved.out == direct.out);
  const auto half = regress(dir, "predict -m m.json --max-halfwidth 33" + at);
  REQUIRE(half.status == 0);
  const table_text h = parse_table(half.out);
  std::size_t inside = 0;
  for (std::size_t i = 0; i < h.rows.size(); ++i) {
    const double width = (h.number(i, "upr") - h.number(i, "lwr")) / 2;
    if (std::abs(width - 33) < 1e-9) continue;
    CHECK(h.text(i, "in_trust") == (width <= 33 ? "true" : "false"));
    inside += width <= 33 ? 1 : 0;
  }
  CHECK(inside > 0);
  CHECK(inside < h.rows.size());
  // --fail-on-extrapolation counts the rows outside the trust range (6 is
  // inside the data).
  CHECK(regress(dir, "predict -m m.json --max-widening 1.05 --at 15 --fail-on-extrapolation")
            .status == 0);
  CHECK(
      regress(dir, "predict -m m.json --max-widening 1.05 --at 6 --fail-on-extrapolation").status ==
      3);
}

// ===========================================================================
// predict with a formula model

TEST_CASE("predict with a formula gives R's predict.lm at every reference case's new points",
          "[cli][formula][predict]") {
  const auto cases = reference_cases();
  REQUIRE(cases.size() >= 39);
  for (const auto& c : cases) {
    const auto r = r_values(c.name);
    for (const char* kind : {"confidence", "prediction"}) {
      INFO("case " << c.name << ": " << c.formula << ", " << kind);
      std::vector<std::string> args = {"predict",
                                       repo_path(c.data),
                                       c.formula,
                                       "--new",
                                       repo_path(c.new_points),
                                       "--interval",
                                       kind,
                                       "--level",
                                       std::to_string(c.level)};
      if (!c.weights.empty()) {
        args.push_back("--weights");
        args.push_back(c.weights);
      }
      const run_outcome out = run_regress(args);
      INFO(out.err);
      REQUIRE(out.code == 0);
      const table_text t = parse_table(out.out);
      REQUIRE(!t.rows.empty());
      for (std::size_t i = 0; i < t.rows.size(); ++i) {
        const std::string row = std::to_string(i + 1);
        for (const char* name : {"fit", "se_fit", "lwr", "upr"}) {
          INFO("row " << row << " " << name);
          const double expected = r.at({kind, row, name});
          CHECK(std::abs(t.number(i, name) - expected) <=
                r_tolerance * std::max(std::abs(expected), 1.0));
        }
      }
    }
  }
}

TEST_CASE("predict from the data and from a saved formula model give identical rows",
          "[cli][formula][predict]") {
  scratch_dir dir;
  for (const auto& [data, formula, weights, points] :
       {std::tuple{"tests/data/f_toothgrowth.csv", "len ~ log(dose) * supp", "",
                   "tests/data/f_toothgrowth_new.csv"},
        std::tuple{"tests/data/f_weights.csv", "y ~ x + g", "w", "tests/data/f_weights_new.csv"},
        std::tuple{"tests/data/f_poly.csv", "y ~ poly(x, 2) * g", "", "tests/data/f_poly_new.csv"},
        std::tuple{"tests/data/f_utf8.csv", "y ~ city + `Gr\u00f6\u00dfe`", "",
                   "tests/data/f_utf8_new.csv"}}) {
    INFO(formula);
    const std::string w = std::string(weights).empty() ? "" : std::string(" --weights ") + weights;
    const std::string model = "fit " + quote(repo_path(data)) + " " + quote(formula) + w;
    succeed(dir, model + " --save m.json");
    for (const char* format : {"csv", "json"}) {
      const std::string tail =
          " --new " + quote(repo_path(points)) + " --format " + format + " --level 0.9";
      const std::string direct =
          succeed(dir, "predict " + quote(repo_path(data)) + " " + quote(formula) + w + tail);
      CHECK(succeed(dir, "predict -m m.json" + tail) == direct);
    }
  }
}

TEST_CASE("predict writes factor columns as text: quoted in csv when needed, strings in json",
          "[cli][formula][predict]") {
  scratch_dir dir;
  std::string data = "x,g,y\n";
  const char* levels[] = {"\"a,b\"", "\"say \"\"hi\"\"\"", "plain"};
  for (int i = 0; i < 18; ++i) {
    data += std::to_string(i % 6) + "," + levels[i % 3] + "," +
            std::to_string(1 + 0.5 * (i % 6) + (i % 3) + 0.01 * (i % 5)) + "\n";
  }
  dir.write("d.csv", data);
  dir.write("new.csv", "g,x\n\"a,b\",1\n\"say \"\"hi\"\"\",2\nplain,3\n");
  const std::string csv = succeed(dir, "predict d.csv 'y ~ x + g' --new new.csv");
  const auto lines = lines_of(csv);
  REQUIRE(lines.size() == 4);
  CHECK(lines[0] == "x,g,fit,se_fit,lwr,upr,leverage,region");
  CHECK_THAT(lines[1], StartsWith("1,\"a,b\","));
  CHECK_THAT(lines[2], StartsWith("2,\"say \"\"hi\"\"\","));
  CHECK_THAT(lines[3], StartsWith("3,plain,"));
  const json j = json::parse(succeed(dir, "predict d.csv 'y ~ x + g' --new new.csv --format json"));
  REQUIRE(j.size() == 3);
  CHECK(j[0].at("g") == "a,b");
  CHECK(j[1].at("g") == "say \"hi\"");
  CHECK(j[2].at("g") == "plain");
  CHECK(j[0].at("x") == 1);
  CHECK(j[0].at("fit").is_number());
}

TEST_CASE("a level never seen in training gives region new_level, NA numbers and one warning",
          "[cli][formula][predict]") {
  scratch_dir dir;
  dir.write("new.csv", "dose,supp\n1,XX\n2,OJ\n0.5,XX\n1,YY\n");
  const std::string args = "predict " + quote(repo_path("tests/data/f_toothgrowth.csv")) +
                           " 'len ~ log(dose) * supp' "
                           "--new new.csv";
  const outcome r = regress(dir, args);
  INFO(r.err);
  REQUIRE(r.status == 0);
  const auto lines = lines_of(r.out);
  REQUIRE(lines.size() == 5);
  CHECK(lines[1] == "1,XX,NA,NA,NA,NA,NA,new_level");
  CHECK_THAT(lines[2], StartsWith("2,OJ,") && Contains(",inside"));
  CHECK(lines[3] == "0.5,XX,NA,NA,NA,NA,NA,new_level");
  CHECK(lines[4] == "1,YY,NA,NA,NA,NA,NA,new_level");
  // One warning per unseen level, naming the column and the level; the
  // account of extrapolations counts every predicted row.
  CHECK(count_lines(r.err) == 2);
  CHECK_THAT(r.err, Contains("regress: warning: column 'supp': level 'XX' was never seen"));
  CHECK_THAT(r.err, Contains("regress: warning: column 'supp': level 'YY' was never seen"));
  // They count as extrapolations: every row written, then exit 3.
  const outcome failed = regress(dir, args + " --fail-on-extrapolation");
  CHECK(failed.status == 3);
  CHECK(failed.out == r.out);
  CHECK_THAT(failed.err, Contains("regress: error: predictions extrapolate"));
}

TEST_CASE("a row inside x's overall range but beyond its own cell's range is an extrapolation",
          "[cli][formula][predict]") {
  // Group a has x in 0..5, group b x in 5..10: a at x = 8 lies inside x's
  // overall range 0..10 but above every x of its own cell.
  scratch_dir dir;
  std::ostringstream data;
  data << "x,g,y\n";
  for (int i = 0; i <= 10; ++i) {
    const double xa = 0.5 * i, xb = 5 + 0.5 * i, wiggle = 0.1 * (i % 3) - 0.1;
    data << xa << ",a," << 1 + 2 * xa + wiggle << "\n"
         << xb << ",b," << 3 - 0.5 * xb - wiggle << "\n";
  }
  dir.write("cells.csv", data.str());
  dir.write("new.csv", "x,g\n8,a\n2,a\n8,b\n");
  const std::string args = "predict cells.csv 'y ~ x * g' --new new.csv";
  const outcome r = regress(dir, args);
  INFO(r.err);
  REQUIRE(r.status == 0);
  const table_text t = parse_table(r.out);
  REQUIRE(t.rows.size() == 3);
  CHECK(t.text(0, "region") == "above");
  CHECK(t.text(1, "region") == "inside");
  CHECK(t.text(2, "region") == "inside");
  CHECK(count_lines(r.err) == 1);
  CHECK_THAT(r.err, StartsWith("regress: warning: 1 of 3 points are extrapolations"));
  CHECK(regress(dir, args + " --fail-on-extrapolation").status == 3);
}

TEST_CASE("predict --at works with a formula that reads one numeric column, not with factors",
          "[cli][formula][predict]") {
  scratch_dir dir;
  // R: predict(lm(dist ~ log(speed), cars), data.frame(speed = c(10, 30)),
  //            interval = "prediction", se.fit = TRUE)
  const double fit[] = {26.264322511775248, 77.357656324679311};
  const double se_fit[] = {3.2429216536711856, 5.0245217919468264};
  const double lwr[] = {-9.0400169637832306, 41.2198404744583371};
  const double upr[] = {61.568661987333726, 113.495472174900286};
  const std::string model = "predict " + quote(cars()) + " 'dist ~ log(speed)'";
  const std::string at = succeed(dir, model + " --at 10,30");
  CHECK(lines_of(at).at(0) == predict_header);
  const table_text t = parse_table(at);
  REQUIRE(t.rows.size() == 2);
  for (std::size_t i = 0; i < 2; ++i) {
    CHECK(t.number(i, "speed") == (i == 0 ? 10 : 30));
    CHECK(t.number(i, "fit") == Approx(fit[i]).epsilon(1e-12));
    CHECK(t.number(i, "se_fit") == Approx(se_fit[i]).epsilon(1e-12));
    CHECK(t.number(i, "lwr") == Approx(lwr[i]).epsilon(1e-12));
    CHECK(t.number(i, "upr") == Approx(upr[i]).epsilon(1e-12));
  }
  CHECK(t.text(0, "region") == "inside");
  CHECK(t.text(1, "region") == "above");
  CHECK(succeed(dir, model + " --range 10:30:2") == at);
  check_failure(regress(dir, "predict " + quote(repo_path("tests/data/f_toothgrowth.csv")) +
                                 " 'len ~ log(dose) * supp' --at 1"),
                2, {"--at", "--new", "dose, supp"});
}

TEST_CASE("new rows that lack a column the formula reads are refused before any output",
          "[cli][formula][predict]") {
  scratch_dir dir;
  dir.write("new.csv", "dosex,supp\n0.5,VC\n");
  // The csv header (dose,supp,fit,...) used to be written before the new
  // file's header was checked, leaving a half-written table on stdout.
  for (const char* format : {"csv", "tsv", "json"}) {
    INFO(format);
    check_failure(regress(dir, "predict " + quote(repo_path("tests/data/f_toothgrowth.csv")) +
                                   " 'len ~ log(dose) * supp' --new new.csv --format " + format),
                  1, {"new.csv", "no column 'dose'"});
  }
}

TEST_CASE("a weights column in the new rows gives their prediction weights, as predict.lm",
          "[cli][formula][predict]") {
  scratch_dir dir;
  const std::string model =
      "predict " + quote(repo_path("tests/data/f_weights.csv")) + " 'y ~ x + g' --weights w --new ";
  const outcome weighted = regress(dir, model + quote(repo_path("tests/data/f_weights_new.csv")));
  const outcome plain =
      regress(dir, model + quote(repo_path("tests/data/f_weights_new_unweighted.csv")));
  REQUIRE(weighted.status == 0);
  REQUIRE(plain.status == 0);
  // Without weights R assumes weight 1 and warns once; so does regress.
  CHECK_THAT(weighted.err, !Contains("constant prediction variance"));
  CHECK_THAT(plain.err,
             Contains("regress: warning: assuming constant prediction variance even though the "
                      "model fit is weighted"));
  // R: predict(fit, new, weights = new$w, interval = "prediction") and
  // without weights (cases weighted and weighted_default).
  for (const auto& [out, name] :
       {std::pair{weighted.out, "weighted"}, std::pair{plain.out, "weighted_default"}}) {
    INFO(name);
    const auto r = r_values(name);
    const table_text t = parse_table(out);
    REQUIRE(t.rows.size() == 5);
    for (std::size_t i = 0; i < t.rows.size(); ++i) {
      for (const char* column : {"fit", "se_fit", "lwr", "upr"}) {
        CHECK(relatively_close(t.number(i, column),
                               r.at({"prediction", std::to_string(i + 1), column}), r_tolerance));
      }
    }
  }
  // The weights change the prediction interval only: the new file's second
  // row has weight 2.
  const table_text a = parse_table(weighted.out), b = parse_table(plain.out);
  CHECK(a.number(1, "se_fit") == b.number(1, "se_fit"));
  CHECK(a.number(1, "upr") - a.number(1, "fit") < b.number(1, "upr") - b.number(1, "fit"));
}

TEST_CASE("a new row missing a value the formula reads keeps its values and gets no prediction",
          "[cli][formula][predict]") {
  scratch_dir dir;
  dir.write("new.csv", "dose,supp\n1,\n,OJ\nNA,VC\n2,VC\n");
  const std::string out =
      succeed(dir, "predict " + quote(repo_path("tests/data/f_toothgrowth.csv")) +
                       " 'len ~ log(dose) * supp' --new new.csv");
  const auto lines = lines_of(out);
  REQUIRE(lines.size() == 5);
  CHECK(lines[1] == "1,,NA,NA,NA,NA,NA,NA");
  CHECK(lines[2] == "NA,OJ,NA,NA,NA,NA,NA,NA");  // as -y/-x: a missing number prints NA
  CHECK(lines[3] == "NA,VC,NA,NA,NA,NA,NA,NA");
  CHECK_THAT(lines[4], StartsWith("2,VC,") && Contains(",inside"));
}

// tests/data/model_v1_cars.json: `regress fit data/cars.csv -y dist -x speed
// --save` at commit 03006e6, the last format of -y/-x model files
// (version 1); kept so that files saved before formula models still load.
TEST_CASE("a model file saved by a -y/-x fit (version 1) still loads and predicts",
          "[cli][formula][predict]") {
  scratch_dir dir;
  const std::string file = repo_path("tests/data/model_v1_cars.json");
  const json saved = json::parse(read_file(file));
  CHECK(saved.at("version") == 1);
  CHECK(saved.at("format") == "regress-model");
  for (const char* points : {"--at 10,40", "--range 0:30:7 --interval confidence --format json"}) {
    INFO(points);
    CHECK(succeed(dir, "predict -m " + quote(file) + " " + points) ==
          succeed(dir, predict_cars(points)));
  }
  const table_text t = parse_table(succeed(dir, "predict -m " + quote(file) + " --at 10"));
  // R: predict(lm(dist ~ speed, cars), data.frame(speed = 10)).
  CHECK(t.number(0, "fit") == Approx(r_intercept + 10 * r_slope).epsilon(1e-13));
}
