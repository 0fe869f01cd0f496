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
