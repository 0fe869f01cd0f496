// regress augment and regress check against R.
//
// Every expected number comes from tests/reference/make_diagnostics_reference.R
// (R 4.2.2 with broom, lmtest and car), which fits the cases listed in `cases`
// below (the same table as the script's) and writes
//   tests/reference/diagnostics_reference.csv  case,row,.fitted,...,.rstudent
//       (broom::augment(fit) and rstudent(fit), row = R's row name)
//   tests/reference/check_reference.csv        case,test,statistic,df,p_value
//       (resettest, bptest, shapiro.test, Durbin-Watson, outlierTest, Cook's)
// Rerun it with
//   LC_ALL=C Rscript tests/reference/make_diagnostics_reference.R
// The commands run in-process (support/in_process.hpp); shapiro_wilk is also
// called directly.

#include <catch2/catch.hpp>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "regress/analyses/check.hpp"
#include "regress/error.hpp"
#include "support/files.hpp"
#include "support/in_process.hpp"
#include "support/text.hpp"

namespace {

using test_support::parse_table;
using test_support::repo_path;
using test_support::run_regress;

constexpr double kRelTol = 1e-9;  // every augment column and test statistic
constexpr double kPTol = 1e-6;    // p-values

struct diagnostics_case {
  std::string name, data, formula, weights;
};

// The table `cases` of make_diagnostics_reference.R.
const std::vector<diagnostics_case> cases = {
    {"cars", "f_cars.csv", "dist ~ speed", ""},
    {"factor_cyl", "f_mtcars.csv", "mpg ~ wt + factor(cyl)", ""},
    {"toothgrowth", "f_toothgrowth.csv", "len ~ log(dose) * supp", ""},
    {"weighted", "f_weights.csv", "y ~ x + g", "w"},
    {"alias_lincomb", "f_alias.csv", "y ~ x1 + x2 + x3", ""},
    {"missing", "f_missing.csv", "y ~ x + g", ""},
    {"poly_factor", "f_poly.csv", "y ~ poly(x, 2) * g", ""},
};

std::vector<std::string> command(const std::string& verb, const diagnostics_case& c) {
  std::vector<std::string> args = {verb, repo_path("tests/data/" + c.data), c.formula};
  if (!c.weights.empty()) {
    args.push_back("--weights");
    args.push_back(c.weights);
  }
  return args;
}

/// A cell as a number, NaN for NA.
double value(const test_support::table_text& t, std::size_t row, const std::string& column) {
  const std::string& cell = t.text(row, column);
  return cell == "NA" ? std::nan("") : std::stod(cell);
}

/// |a - b| within `tol` of the larger magnitude, or of `scale` (for values
/// that cross zero, such as residuals).
bool close(double a, double b, double tol, double scale) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
  return std::abs(a - b) <= tol * std::max({std::abs(a), std::abs(b), scale});
}

}  // namespace

TEST_CASE("augment agrees with broom::augment and rstudent on every case", "[augment]") {
  const auto reference =
      parse_table(test_support::read_file(repo_path("tests/reference/diagnostics_reference.csv")));
  for (const auto& c : cases) {
    INFO(c.name);
    const auto run = run_regress(command("augment", c));
    REQUIRE(run.code == 0);
    const auto got = parse_table(run.out);
    std::vector<std::size_t> expected;
    for (std::size_t i = 0; i < reference.rows.size(); ++i) {
      if (reference.text(i, "case") == c.name) expected.push_back(i);
    }
    REQUIRE(got.rows.size() == expected.size());
    for (const char* column :
         {".fitted", ".resid", ".hat", ".sigma", ".cooksd", ".std.resid", ".rstudent"}) {
      double scale = 0;
      for (std::size_t i : expected) {
        const double v = value(reference, i, column);
        if (!std::isnan(v)) scale = std::max(scale, std::abs(v));
      }
      for (std::size_t r = 0; r < expected.size(); ++r) {
        INFO(column << " row " << r);
        CHECK(got.text(r, "row") == reference.text(expected[r], "row"));
        CHECK(close(value(got, r, column), value(reference, expected[r], column), kRelTol,
                    1e-6 * scale));
      }
    }
  }
}

TEST_CASE("augment prints the model frame's columns as R's model.frame names them", "[augment]") {
  const auto& tooth = cases[2];
  const auto run = run_regress(command("augment", tooth));
  REQUIRE(run.code == 0);
  const auto t = parse_table(run.out);
  const std::vector<std::string> header = {"row",     "len",        "log(dose)", "supp",
                                           ".fitted", ".resid",     ".hat",      ".sigma",
                                           ".cooksd", ".std.resid", ".rstudent"};
  CHECK(t.header == header);
  CHECK(t.text(0, "supp") == "VC");
  CHECK(t.number(0, "log(dose)") == Approx(std::log(0.5)).epsilon(1e-15));
  const auto weighted = run_regress(command("augment", cases[3]));
  REQUIRE(weighted.code == 0);
  CHECK(parse_table(weighted.out).column("(weights)") == 4);
}

TEST_CASE("check agrees with lmtest, shapiro.test and car on every case", "[check]") {
  const auto reference =
      parse_table(test_support::read_file(repo_path("tests/reference/check_reference.csv")));
  const std::map<std::string, std::string> names = {
      {"reset", "reset"},      {"bp", "breusch_pagan"}, {"shapiro", "shapiro_wilk"},
      {"dw", "durbin_watson"}, {"outlier", "outlier"},  {"cooks", "cooks_distance"}};
  for (const auto& c : cases) {
    INFO(c.name);
    auto args = command("check", c);
    args.push_back("--format");
    args.push_back("tsv");  // df "2, 46" is quoted in csv
    const auto run = run_regress(args);
    REQUIRE(run.code == 0);
    const auto got = parse_table(run.out, '\t');
    REQUIRE(got.rows.size() == 6);
    for (std::size_t i = 0; i < reference.rows.size(); ++i) {
      if (reference.text(i, "case") != c.name) continue;
      const std::string test = names.at(reference.text(i, "test"));
      // lmtest's resettest fits a weighted model without its weights;
      // check's RESET of a weighted fit is the weighted regression.
      if (test == "reset" && !c.weights.empty()) continue;
      INFO(test);
      std::size_t r = 0;
      while (r < got.rows.size() && got.text(r, "test") != test) ++r;
      REQUIRE(r < got.rows.size());
      CHECK(close(value(got, r, "statistic"), value(reference, i, "statistic"), kRelTol, 0));
      const std::string& p = reference.text(i, "p_value");
      if (test == "cooks_distance") {
        // df holds R's row name, p_value the count above 4/n.
        CHECK(got.text(r, "verdict").rfind("row " + reference.text(i, "df") + " has", 0) == 0);
        CHECK(got.text(r, "verdict").find(" " + p + " row") != std::string::npos);
      } else if (test == "outlier") {
        CHECK(got.text(r, "verdict").rfind("row " + reference.text(i, "df") + " ", 0) == 0);
        CHECK(close(got.number(r, "p_value"), std::min(1.0, std::stod(p)), kPTol, 0));
      } else if (p != "") {
        CHECK(close(got.number(r, "p_value"), std::stod(p), kPTol, 0));
      }
      if (test == "reset" || test == "breusch_pagan") {
        std::string df = reference.text(i, "df");
        const auto space = df.find(' ');
        if (space != std::string::npos) df.replace(space, 1, ", ");
        CHECK(got.text(r, "df") == df);
      }
    }
  }
}

TEST_CASE("shapiro_wilk gives R's W and p-value, exact for three values", "[check]") {
  // LC_ALL=C Rscript -e 'shapiro.test(c(1, 2, 4))' (R 4.2.2), printed with %.17g.
  const regress::shapiro_result three = regress::shapiro_wilk({4, 1, 2});
  CHECK(three.w == Approx(0.96428571428571419).epsilon(1e-12));
  CHECK(three.p_value == Approx(0.6368868450289632).epsilon(1e-9));
  CHECK_THROWS_AS(regress::shapiro_wilk({1, 2}), regress::model_error);
  CHECK_THROWS_AS(regress::shapiro_wilk({3, 3, 3, 3}), regress::model_error);
}

TEST_CASE("augment streams in file order whatever the threads", "[augment]") {
  // 30000 rows are several of the row pass's chunks: their rows must come
  // out in file order, numbered by data row, the same with one thread or three.
  std::string csv = "x,y\n";
  for (int i = 0; i < 30000; ++i) {
    const double x = i * 0.001;
    csv += std::to_string(x) + "," + std::to_string(2 * x + std::sin(i)) + "\n";
    if (i == 7) csv += "NA,1\n";  // dropped: data row 9, skipped in the numbering
  }
  const auto one = run_regress({"augment", "-", "-y", "y", "-x", "x", "--threads", "1"}, csv);
  const auto three = run_regress({"augment", "-", "-y", "y", "-x", "x", "--threads", "3"}, csv);
  REQUIRE(one.code == 0);
  REQUIRE(three.code == 0);
  CHECK(one.out == three.out);
  const auto t = parse_table(one.out);
  REQUIRE(t.rows.size() == 30000);
  CHECK(t.text(7, "row") == "8");
  CHECK(t.text(8, "row") == "10");
  CHECK(t.text(29999, "row") == "30001");
  CHECK(one.err.find("dropped 1 of 30001 rows") != std::string::npos);
}

TEST_CASE("check skips Shapiro-Wilk above 5000 rows and says so", "[check]") {
  std::string csv = "x,y\n";
  for (int i = 0; i < 5001; ++i) {
    csv += std::to_string(i) + "," + std::to_string(i + std::cos(i * 1.7)) + "\n";
  }
  const auto run = run_regress({"check", "-", "-y", "y", "-x", "x", "--format", "tsv"}, csv);
  REQUIRE(run.code == 0);
  const auto t = parse_table(run.out, '\t');
  CHECK(t.text(2, "test") == "shapiro_wilk");
  CHECK(t.text(2, "statistic") == "NA");
  CHECK(t.text(2, "verdict").find("skipped") == 0);
}

TEST_CASE("augment and check write json, and refuse what they cannot write", "[augment]") {
  const auto json = run_regress(
      {"augment", test_support::cars(), "-y", "dist", "-x", "speed", "--format", "json"});
  REQUIRE(json.code == 0);
  CHECK(json.out.rfind("[\n  {\"row\": 1, \"dist\": 2, \"speed\": 4, \".fitted\": ", 0) == 0);
  REQUIRE(json.out.size() > 4);
  CHECK(json.out.substr(json.out.size() - 4) == "}\n]\n");
  const auto text = run_regress({"augment", test_support::cars(), "--format", "text"});
  CHECK(text.code == 2);
  CHECK(text.err.find("csv, tsv, json or ndjson") != std::string::npos);
  const auto check = run_regress({"check", test_support::cars(), "--format", "json"});
  REQUIRE(check.code == 0);
  CHECK(check.out.find("{\"test\": \"reset\", \"statistic\": ") != std::string::npos);
}

TEST_CASE("fit hints at regress check when RESET or Breusch-Pagan rejects at 1%", "[check]") {
  // pressure ~ temperature is strongly curved (RESET p far below 0.01);
  // cars' straight line passes both tests at 1% (check_reference.csv).
  const std::string hint = "run 'regress check' with the same model";
  const auto curved =
      run_regress({"fit", test_support::pressure(), "-y", "pressure", "-x", "temperature"});
  REQUIRE(curved.code == 0);
  CHECK(curved.err.find("RESET rejects the fitted form at 1%") != std::string::npos);
  CHECK(curved.err.find(hint) != std::string::npos);
  const auto formula = run_regress({"fit", test_support::pressure(), "pressure ~ temperature"});
  REQUIRE(formula.code == 0);
  CHECK(formula.err.find(hint) != std::string::npos);
  const auto straight = run_regress({"fit", test_support::cars(), "-y", "dist", "-x", "speed"});
  REQUIRE(straight.code == 0);
  CHECK(straight.err.empty());
  // Standard input is not read again for a -y/-x fit's hint.
  const auto piped = run_regress({"fit", "-", "-y", "pressure", "-x", "temperature"},
                                 test_support::read_file(test_support::pressure()));
  REQUIRE(piped.code == 0);
  CHECK(piped.err.find(hint) == std::string::npos);
}
