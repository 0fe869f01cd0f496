// End-to-end tests of `regress fit` through the built binary: its output
// formats, choosing the input and the columns, threads, --save, and its
// errors. Each test runs the real executable through /bin/sh in a fresh
// temporary directory (support/binary.hpp) and looks only at what a user
// sees: standard output, standard error, the exit status and files written.
//
// Reference values for cars are R 4.2's summary(lm(dist ~ speed, cars))
// (support/cars.hpp).

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "support/binary.hpp"
#include "support/cars.hpp"
#include "support/files.hpp"
#include "support/numeric.hpp"
#include "support/text.hpp"

using namespace test_support;
using json = nlohmann::json;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

// ===========================================================================
// Output formats

TEST_CASE("fit -y/-x prints R's summary.lm line for line for the R reference cases", "[cli]") {
  // tests/reference/r_summary_<case>.txt, cases in r_text_cases.tsv
  // (make_r_text_reference.R): R 4.2's print(summary(lm())) of the formula
  // the -y/-x flags stand for, with the Call set to lm(formula = <formula>).
  scratch_dir dir;
  const auto cases = lines_of(read_file(repo_path("tests/reference/r_text_cases.tsv")));
  REQUIRE(cases.size() == 7);
  for (std::size_t i = 1; i < cases.size(); ++i) {
    const auto f = split(cases[i], '\t');
    REQUIRE(f.size() == 6);
    INFO("case " << f[0]);
    std::vector<std::string> r =
        lines_of(read_file(repo_path("tests/reference/r_summary_" + f[0] + ".txt")));
    // R's print starts with an empty line ("\nCall:") and ends with one.
    REQUIRE(r.size() > 10);
    r.erase(r.begin());
    r.pop_back();
    const outcome out =
        regress(dir, "fit " + quote(repo_path(f[1])) + " -y " + f[2] + " -x " + f[3] +
                         " --degree " + f[4] + (f[5] == "no" ? " --no-intercept" : ""));
    REQUIRE(out.status == 0);
    const auto got = lines_of(out.out);
    REQUIRE(got.size() > r.size());
    for (std::size_t j = 0; j < r.size(); ++j) CHECK(got[j] == r[j]);
    CHECK_THAT(got[r.size()], StartsWith("Log-likelihood: "));
  }
}

TEST_CASE("fit names the powers of --degree I(x^2), I(x^3) in every format, as R", "[cli]") {
  // R: names(coef(lm(y ~ x + I(x^2) + I(x^3), r_poly)))
  scratch_dir dir;
  const std::string args = "fit " + quote(repo_path("tests/data/r_poly.csv")) +
                           " -y y -x x --degree 3 --save m.json --format ";
  const table_text t = parse_table(succeed(dir, args + "csv"));
  REQUIRE(t.rows.size() == 4);
  CHECK(t.text(2, "term") == "I(x^2)");
  CHECK(t.text(3, "term") == "I(x^3)");
  const json j = json::parse(succeed(dir, args + "json"));
  CHECK(j["terms"][2]["term"] == "I(x^2)");
  CHECK(json::parse(dir.read("m.json"))["terms"] == json({"x", "I(x^2)", "I(x^3)"}));
  // A name R backquotes keeps its backquotes inside I().
  dir.write("sp.csv", "my x,y\n1,2\n2,3.5\n3,7\n4,12.5\n5,20\n");
  CHECK_THAT(succeed(dir, "fit sp.csv -y y -x 'my x' --degree 2 --format csv"),
             Contains("\nI(`my x`^2),"));
  // And so does the error of a power that overflows.
  dir.write("big.csv", "x,y\n1e200,1\n2e200,2\n3e200,4\n4e200,3\n");
  check_failure(regress(dir, "fit big.csv -y y -x x --degree 2"), 1, {"'I(x^2)' overflows"});
}

TEST_CASE("fit prints an R-style summary as text by default", "[cli]") {
  scratch_dir dir;
  const outcome r = regress(dir, "fit " + quote(cars()) + " -y dist -x speed");
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK(r.err.empty());
  CHECK_THAT(r.out, Contains("Coefficients:"));
  CHECK_THAT(r.out, Contains("(Intercept)"));
  CHECK_THAT(r.out, Contains("Residual standard error"));
  CHECK_THAT(r.out, Contains("-17.5791"));
  CHECK_THAT(r.out, Contains("3.9324"));
  CHECK_THAT(r.out, Contains("15.38 on 48 degrees of freedom"));
}

// tests/reference/make_residuals_reference.R wrote what R 4.2.2 prints.
TEST_CASE("fit lists every residual by row number with 5 or fewer residual df as summary.lm",
          "[cli]") {
  auto block = [](const std::string& text) {
    const auto from = text.find("Residuals:\n");
    const auto to = text.find("Coefficients:\n");
    REQUIRE(from != std::string::npos);
    REQUIRE(to != std::string::npos);
    return text.substr(from, to - from);
  };
  scratch_dir dir;
  for (const char* name : {"missing", "wrap", "six"}) {
    const std::string c = name;
    INFO(c);
    const std::string degree = c == "wrap" ? " --degree 9" : "";
    const outcome r = regress(
        dir, "fit " + quote(repo_path("tests/data/r_resid_" + c + ".csv")) + " -y y -x x" + degree);
    INFO(r.err);
    REQUIRE(r.status == 0);
    CHECK(block(r.out) == read_file(repo_path("tests/reference/r_resid_" + c + ".txt")));
  }
}

// tests/reference/make_field_reference.R: R 4.2.2's summary.lm warns on
// y = 2x (x = 1..5), not on y = 2x plus noise of 1e-6
// (tests/reference/field_reference.txt).
TEST_CASE("fit warns as R's summary.lm on an essentially perfect fit", "[cli]") {
  scratch_dir dir;
  dir.write("exact.csv", "x,y\n1,2\n2,4\n3,6\n4,8\n5,10\n");
  dir.write("noisy.csv", "x,y\n1,2.000001\n2,3.999999\n3,6\n4,8.000001\n5,9.999999\n");
  const std::string warning =
      "regress: warning: essentially perfect fit: summary may be unreliable";
  for (const char* model : {"-y y -x x", "'y ~ x'", "-y y -x x --format json", "'y ~ x - 1'"}) {
    INFO(model);
    const outcome exact = regress(dir, std::string("fit exact.csv ") + model);
    REQUIRE(exact.status == 0);
    CHECK_THAT(exact.err, StartsWith(warning));
    const outcome noisy = regress(dir, std::string("fit noisy.csv ") + model);
    REQUIRE(noisy.status == 0);
    CHECK(noisy.err.empty());
  }
  // merge prints a fit summary too.
  const outcome merged =
      sh(dir,
         "\"$REGRESS\" fit exact.csv -y y -x x --save-state p.json --format csv > /dev/null && "
         "\"$REGRESS\" merge p.json");
  REQUIRE(merged.status == 0);
  CHECK_THAT(merged.err, Contains(warning));
  CHECK_THAT(merged.out, Contains("Residuals:\n  not shown for a merged fit"));
}

// R 4.2.2's print(logLik(m)), AIC(m) and BIC(m), from
// tests/reference/make_field_reference.R (tests/reference/field_reference.txt).
TEST_CASE("fit prints the log-likelihood, AIC and BIC as R prints logLik and AIC", "[cli]") {
  scratch_dir dir;
  CHECK_THAT(succeed(dir, fit_cars("")),
             Contains("Log-likelihood: -206.5784,  AIC: 419.1569,  BIC: 424.8929,  n = 50\n"));
  // 200,000 rows: whole numbers in full, and a note where the Residuals block was.
  const outcome big =
      sh(dir,
         "awk 'BEGIN { print \"x,y\"; for (i = 1; i <= 200000; i++) print i \",\" (i * 7919 % "
         "1000) / 10 }' | \"$REGRESS\" fit - -y y -x x");
  INFO(big.err);
  REQUIRE(big.status == 0);
  CHECK_THAT(big.out,
             Contains("Log-likelihood: -956331,  AIC: 1912668,  BIC: 1912699,  n = 200000\n"));
  CHECK_THAT(big.out, Contains("Residuals:\n  not shown for more than 100000 rows"));
}

TEST_CASE("fit --format csv writes one row per term with R's estimates", "[cli]") {
  scratch_dir dir;
  const outcome r = regress(dir, fit_cars("--format csv"));
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK(r.err.empty());
  REQUIRE(lines_of(r.out).at(0) == table_header);
  const table_text t = parse_table(r.out);
  REQUIRE(t.rows.size() == 2);
  CHECK(t.text(0, "term") == "(Intercept)");
  CHECK(t.text(1, "term") == "speed");
  CHECK(t.number(0, "estimate") == Approx(r_intercept).epsilon(1e-12));
  CHECK(t.number(1, "estimate") == Approx(r_slope).epsilon(1e-12));
  // R prints these to 5 significant digits: 6.7584, 0.4155 (0.41551), 1.49e-12.
  CHECK(t.number(0, "std_error") == Approx(6.7584402).epsilon(1e-7));
  CHECK(t.number(1, "std_error") == Approx(0.4155128).epsilon(1e-6));
  CHECK(t.number(1, "statistic") == Approx(9.46399).epsilon(1e-5));
  CHECK(t.number(1, "p_value") == Approx(1.4898e-12).epsilon(1e-4));
  // The interval contains the estimate.
  for (std::size_t i = 0; i < 2; ++i) {
    CHECK(t.number(i, "conf_low") < t.number(i, "estimate"));
    CHECK(t.number(i, "estimate") < t.number(i, "conf_high"));
  }
}

TEST_CASE("fit --format tsv writes the csv table with tabs", "[cli]") {
  scratch_dir dir;
  const outcome csv = regress(dir, fit_cars("--format csv"));
  const outcome tsv = regress(dir, fit_cars("--format tsv"));
  REQUIRE(csv.status == 0);
  REQUIRE(tsv.status == 0);
  CHECK_THAT(tsv.out, !Contains(","));
  std::string as_csv = tsv.out;
  std::replace(as_csv.begin(), as_csv.end(), '\t', ',');
  CHECK(as_csv == csv.out);
}

TEST_CASE("fit --format json has every documented key with R's values for cars", "[cli]") {
  scratch_dir dir;
  const outcome r = regress(dir, fit_cars("--format json"));
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK(r.err.empty());
  const json j = json::parse(r.out);

  REQUIRE(j.at("terms").is_array());
  REQUIRE(j.at("terms").size() == 2);
  for (const auto& term : j.at("terms")) {
    for (const char* key :
         {"estimate", "std_error", "statistic", "p_value", "conf_low", "conf_high"}) {
      INFO(key);
      CHECK(term.at(key).is_number());
    }
  }
  CHECK(j["terms"][0].at("term") == "(Intercept)");
  CHECK(j["terms"][1].at("term") == "speed");
  CHECK(j["terms"][0]["estimate"].get<double>() == Approx(r_intercept).epsilon(1e-12));
  CHECK(j["terms"][1]["estimate"].get<double>() == Approx(r_slope).epsilon(1e-12));

  for (const char* key : {"r_squared", "adj_r_squared", "sigma", "df_residual", "nobs",
                          "f_statistic", "f_p_value", "log_lik", "aic", "bic", "level"}) {
    INFO(key);
    CHECK(j.at(key).is_number());
  }
  CHECK(j["sigma"].get<double>() == Approx(r_sigma).epsilon(1e-12));
  CHECK(j["r_squared"].get<double>() == Approx(r_r_squared).epsilon(1e-12));
  CHECK(j["adj_r_squared"].get<double>() == Approx(0.6438102).epsilon(1e-7));
  CHECK(j["df_residual"].get<double>() == 48);
  CHECK(j["nobs"].get<double>() == 50);
  CHECK(j["f_statistic"].get<double>() == Approx(89.56711).epsilon(1e-6));
  CHECK(j["log_lik"].get<double>() == Approx(-206.5784).epsilon(1e-6));
  CHECK(j["aic"].get<double>() == Approx(419.1569).epsilon(1e-6));
  CHECK(j["bic"].get<double>() == Approx(424.8929).epsilon(1e-6));
  CHECK(j["level"].get<double>() == 0.95);

  REQUIRE(j.at("predictors").is_array());
  REQUIRE(j["predictors"].size() == 1);
  const json& p = j["predictors"][0];
  CHECK(p.at("name") == "speed");
  CHECK(p.at("min").get<double>() == 4);
  CHECK(p.at("max").get<double>() == 25);
  CHECK(p.at("mean").get<double>() == Approx(15.4).epsilon(1e-14));
}

// ===========================================================================
// Choosing the input and the columns

TEST_CASE("fit reads standard input when the file is omitted or given as -", "[cli]") {
  scratch_dir dir;
  const outcome from_file = regress(dir, fit_cars("--format csv"));
  REQUIRE(from_file.status == 0);

  const outcome piped =
      sh(dir, "cat " + quote(cars()) + " | \"$REGRESS\" fit -y dist -x speed --format csv");
  INFO(piped.err);
  CHECK(piped.status == 0);
  CHECK(piped.out == from_file.out);

  const outcome dash =
      sh(dir, "\"$REGRESS\" fit - -y dist -x speed --format csv < " + quote(cars()));
  INFO(dash.err);
  CHECK(dash.status == 0);
  CHECK(dash.out == from_file.out);
}

TEST_CASE("fit accepts columns by 1-based index", "[cli]") {
  scratch_dir dir;
  const outcome by_name = regress(dir, fit_cars("--format csv"));
  const outcome by_index = regress(dir, "fit " + quote(cars()) + " -y 2 -x 1 --format csv");
  INFO(by_index.err);
  REQUIRE(by_name.status == 0);
  CHECK(by_index.status == 0);
  CHECK(by_index.out == by_name.out);
}

TEST_CASE("fit on a two-column file without -x or -y regresses the second column on the first",
          "[cli]") {
  scratch_dir dir;
  const outcome by_name = regress(dir, fit_cars("--format csv"));
  const outcome bare = regress(dir, "fit " + quote(cars()) + " --format csv");
  INFO(bare.err);
  REQUIRE(by_name.status == 0);
  CHECK(bare.status == 0);
  CHECK(bare.out == by_name.out);

  SECTION("and with only -y, the other column is the predictor") {
    const outcome y_only = regress(dir, "fit " + quote(cars()) + " -y dist --format csv");
    CHECK(y_only.status == 0);
    CHECK(y_only.out == by_name.out);
  }
}

TEST_CASE("fit accepts predictors as a comma list or as repeated -x", "[cli]") {
  scratch_dir dir;
  const outcome list = regress(dir, "fit " + quote(mtcars()) + " -y mpg -x wt,disp --format csv");
  const outcome repeated =
      regress(dir, "fit " + quote(mtcars()) + " -y mpg -x wt -x disp --format csv");
  INFO(list.err);
  REQUIRE(list.status == 0);
  CHECK(repeated.status == 0);
  CHECK(repeated.out == list.out);
  const table_text t = parse_table(list.out);
  REQUIRE(t.rows.size() == 3);
  CHECK(t.text(0, "term") == "(Intercept)");
  CHECK(t.text(1, "term") == "wt");
  CHECK(t.text(2, "term") == "disp");
  // R: coef(lm(mpg ~ wt + disp, mtcars)) = 34.96055404, -3.35082533, -0.01772474.
  CHECK(t.number(0, "estimate") == Approx(34.96055404).epsilon(1e-8));
  CHECK(t.number(1, "estimate") == Approx(-3.35082533).epsilon(1e-8));
  CHECK(t.number(2, "estimate") == Approx(-0.01772474).epsilon(1e-6));
}

TEST_CASE("fit reads a .tsv file as tab separated", "[cli]") {
  scratch_dir dir;
  dir.write("d.tsv", "x\ty\n1\t2\n2\t3\n3\t5\n4\t4\n");
  dir.write("d.csv", "x,y\n1,2\n2,3\n3,5\n4,4\n");
  const outcome tsv = regress(dir, "fit d.tsv -y y -x x --format csv");
  const outcome csv = regress(dir, "fit d.csv -y y -x x --format csv");
  INFO(tsv.err);
  CHECK(tsv.status == 0);
  CHECK(tsv.out == csv.out);
}

TEST_CASE("fit drops rows with missing values in used columns and says how many", "[cli]") {
  scratch_dir dir;
  // Two rows miss a used value (an empty y, an NA x); the unused 'note' column
  // holds arbitrary text, including a quoted comma and an empty cell.
  dir.write("missing.csv",
            "note,x,y\n"
            "hello world,1,2\n"
            "\"a, quoted; text!\",2,\n"
            "foo,NA,3\n"
            ",4,4\n"
            "bar,5,6.5\n"
            "baz?,6,6\n");
  const outcome r = regress(dir, "fit missing.csv -y y -x x --format json");
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK_THAT(r.err, StartsWith("regress: warning:"));
  CHECK_THAT(r.err, Contains("2"));
  CHECK_THAT(r.err, !Contains("error"));
  const json j = json::parse(r.out);
  CHECK(j["nobs"].get<double>() == 4);
  // Complete rows (1,2) (4,4) (5,6.5) (6,6): slope 12.5/14, intercept 4.625 - 4 * slope.
  CHECK(j["terms"][1]["estimate"].get<double>() == Approx(12.5 / 14).epsilon(1e-12));
  CHECK(j["terms"][0]["estimate"].get<double>() == Approx(4.625 - 4 * 12.5 / 14).epsilon(1e-12));
  CHECK(j["predictors"][0]["min"].get<double>() == 1);
  CHECK(j["predictors"][0]["max"].get<double>() == 6);

  SECTION("an unused text column alone needs no warning") {
    dir.write("text.csv", "label,x,y\nwhat ever,1,2\n\"x, y\",2,3\n!!,3,5\n,4,4\n");
    const outcome clean = regress(dir, "fit text.csv -y y -x x --format csv");
    INFO(clean.err);
    CHECK(clean.status == 0);
    CHECK(clean.err.empty());
  }
}

TEST_CASE("fit prints non-finite statistics as null in json and inf or NA in csv", "[cli]") {
  scratch_dir dir;
  // A constant response: R gives t = Inf for the intercept and NaN for x.
  dir.write("flat.csv", "x,y\n1,1\n2,1\n3,1\n4,1\n");
  const outcome j = regress(dir, "fit flat.csv --format json");
  INFO(j.err);
  REQUIRE(j.status == 0);
  const json parsed = json::parse(j.out);
  CHECK(parsed["terms"][0]["estimate"].get<double>() == 1);
  CHECK(parsed["terms"][1]["statistic"].is_null());
  CHECK(parsed["r_squared"].is_null());
  const outcome c = regress(dir, "fit flat.csv --format csv");
  const table_text t = parse_table(c.out);
  CHECK(t.text(0, "statistic") == "inf");
  CHECK(t.text(1, "statistic") == "NA");
}

// ===========================================================================
// Threads

TEST_CASE("fit gives the same answer on any number of threads and from standard input",
          "[cli][engine]") {
  scratch_dir dir;
  dir.write("d.csv", plane_csv(30000));
  const auto one = sh(dir, "\"$REGRESS\" fit d.csv -y y -x x1,x2 --format csv --threads 1");
  REQUIRE(one.status == 0);
  const auto two = sh(dir, "\"$REGRESS\" fit d.csv -y y -x x1,x2 --format csv --threads 2");
  const auto three = sh(dir, "\"$REGRESS\" fit d.csv -y y -x x1,x2 --format csv --threads 3");
  CHECK(two.out == one.out);
  CHECK(three.out == one.out);
  const auto piped = sh(dir, "cat d.csv | \"$REGRESS\" fit - -y y -x x1,x2 --format csv");
  REQUIRE(piped.status == 0);
  require_close(one.out, piped.out, 1e-14);
  CHECK(sh(dir, "\"$REGRESS\" fit d.csv -y y -x x1 --threads 0").status == 2);
}

// ===========================================================================
// Saving the model

TEST_CASE("the saved model file is JSON with a version field", "[cli]") {
  scratch_dir dir;
  REQUIRE(regress(dir, fit_cars("--save m.json")).status == 0);
  const json m = json::parse(dir.read("m.json"));
  REQUIRE(m.is_object());
  REQUIRE(m.contains("version"));
  CHECK(m["version"].is_number_integer());
  CHECK(m["version"].get<int>() >= 1);
}

TEST_CASE("a --save that cannot be written is exit 1 with nothing printed", "[cli]") {
  scratch_dir dir;
  check_failure(regress(dir, fit_cars("--save no/such/dir/m.json")), 1, {"no/such/dir/m.json"});
}

TEST_CASE("a failed fit saves no model", "[cli]") {
  scratch_dir dir;
  dir.write("const.csv", "x,c,y\n1,7,2\n2,7,3\n3,7,5\n4,7,4\n");
  check_failure(regress(dir, "fit const.csv -y y -x x,c --save m.json"), 1, {"'c'"});
  CHECK(!std::filesystem::exists(dir.file("m.json")));
}

TEST_CASE("fit --save refuses to overwrite the input file", "[cli]") {
  scratch_dir dir;
  const std::string original = read_file(cars());
  dir.write("cars.csv", original);
  check_failure(regress(dir, "fit cars.csv -y dist -x speed --save cars.csv"), 2, {"cars.csv"});
  CHECK(dir.read("cars.csv") == original);
}

// ===========================================================================
// Errors: exit 1 for bad data, exit 2 for bad requests

TEST_CASE("a non-numeric cell is exit 1, naming file, line, column and the text", "[cli]") {
  scratch_dir dir;
  dir.write("bad.csv", "x,y\n1,2\n2,abc\n3,5\n4,4\n");
  check_failure(regress(dir, "fit bad.csv -y y -x x"), 1, {"bad.csv:3:2", "'abc'"});
}

TEST_CASE("an infinite cell is exit 1", "[cli]") {
  scratch_dir dir;
  dir.write("inf.csv", "x,y\n1,2\n2,inf\n3,5\n4,4\n");
  check_failure(regress(dir, "fit inf.csv -y y -x x"), 1, {"inf.csv:3:2", "'inf'"});
}

TEST_CASE("an unterminated quote is exit 1", "[cli]") {
  scratch_dir dir;
  dir.write("quote.csv", "x,y\n1,2\n2,\"3\n3,5\n4,4\n");
  check_failure(regress(dir, "fit quote.csv -y y -x x"), 1, {"quote.csv:3", "quote"});
}

TEST_CASE("an unknown column is exit 2 and lists the columns", "[cli]") {
  scratch_dir dir;
  check_failure(regress(dir, "fit " + quote(cars()) + " -y dist -x nosuch"), 2,
                {"nosuch", "speed, dist"});
  check_failure(regress(dir, "fit " + quote(cars()) + " -y 3 -x 1"), 2, {"speed, dist"});
}

TEST_CASE("a file with more than two columns needs -y, and the message lists the columns",
          "[cli]") {
  scratch_dir dir;
  check_failure(regress(dir, "fit " + quote(mtcars())), 2, {"-y", "mpg", "wt", "carb"});
  check_failure(regress(dir, "fit " + quote(mtcars()) + " -x wt"), 2, {"-y", "mpg", "carb"});
}

TEST_CASE("a predictor that duplicates another is exit 1, naming the term", "[cli]") {
  scratch_dir dir;
  dir.write("dup.csv", "x,x2,y\n1,1,2\n2,2,3\n3,3,5\n4,4,4\n5,5,7\n");
  check_failure(regress(dir, "fit dup.csv -y y -x x,x2"), 1, {"'x2'", "rank deficient"});
}

TEST_CASE("a constant predictor is exit 1, naming the term", "[cli]") {
  scratch_dir dir;
  dir.write("const.csv", "x,c,y\n1,7,2\n2,7,3\n3,7,5\n4,7,4\n");
  check_failure(regress(dir, "fit const.csv -y y -x x,c"), 1, {"'c'", "constant"});
}

TEST_CASE("fewer rows than parameters is exit 1", "[cli]") {
  scratch_dir dir;
  dir.write("few.csv", "a,b,y\n1,3,2\n2,5,3\n");
  check_failure(regress(dir, "fit few.csv -y y -x a,b"), 1, {"3 parameters", "2"});
  // As many rows as parameters leaves no residual degrees of freedom.
  dir.write("exact.csv", "x,y\n1,2\n2,3\n3,5\n");
  check_failure(regress(dir, "fit exact.csv -y y -x x --degree 2"), 1, {"3 parameters"});
}

TEST_CASE("empty input is exit 1", "[cli]") {
  scratch_dir dir;
  check_failure(sh(dir, "\"$REGRESS\" fit -y y -x x < /dev/null"), 1, {"empty"});
}

TEST_CASE("a row with the wrong number of fields is exit 1", "[cli]") {
  scratch_dir dir;
  dir.write("short.csv", "x,y\n1,2\n2\n3,5\n4,4\n");
  check_failure(regress(dir, "fit short.csv"), 1, {"short.csv:3", "header"});
  dir.write("long.csv", "x,y\n1,2\n2,3,4\n3,5\n4,4\n");
  check_failure(regress(dir, "fit long.csv"), 1, {"long.csv:3", "header"});
}

TEST_CASE("data with no complete row is exit 1", "[cli]") {
  scratch_dir dir;
  dir.write("na.csv", "x,y\n1,NA\n,2\nnull,\n");
  check_failure(regress(dir, "fit na.csv"), 1, {"no complete rows"});
}

TEST_CASE("a --degree below 1 is exit 2", "[cli]") {
  scratch_dir dir;
  check_failure(regress(dir, fit_cars("--degree 0")), 2, {"--degree"});
}
