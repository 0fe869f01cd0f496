// Robust standard errors (fit --vcov, --cluster) and anova, against R.
//
// Every expected number comes from tests/reference/make_vcov_anova_reference.R
// (R 4.2.2, sandwich 3.0.2, lmtest 0.9.40), which writes the manifests
// tests/reference/vcov_cases.csv and anova_cases.csv, the values
// vcov_reference.csv (lmtest::coeftest / coefci with each covariance, and
// waldtest's F) and anova_reference.csv (anova(m) and anova(m1, m2, ...)),
// and R's printed tables anova_<case>.txt. Rerun it with
//   LC_ALL=C Rscript tests/reference/make_vcov_anova_reference.R
// The runs here are in-process (support/in_process.hpp).

#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "regress/reading/csv.hpp"
#include "support/files.hpp"
#include "support/in_process.hpp"
#include "support/numeric.hpp"

namespace {

using json = nlohmann::json;
using test_support::run_regress;

// The tolerances: figures to 1e-9 relative, p-values to 1e-6 (their
// tails come from different incomplete-beta codes).
constexpr double kRelTol = 1e-9;
constexpr double kPValueRelTol = 1e-6;

std::string test_dir() { return std::string(REGRESS_TEST_DATA_DIR); }

std::vector<std::vector<std::string>> read_records(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  regress::csv_reader reader(in, regress::csv_options{',', path});
  std::vector<std::vector<std::string>> out;
  std::vector<std::string> fields;
  while (reader.next(fields)) out.push_back(fields);
  return out;
}

double value_of(const std::string& text) { return text == "NA" ? std::nan("") : std::stod(text); }

double json_value(const json& v) { return v.is_null() ? std::nan("") : v.get<double>(); }

void check_close(const std::string& what, double got, double want, bool p_value) {
  INFO(what << ": regress " << got << ", R " << want);
  if (std::isnan(want)) {
    CHECK(std::isnan(got));
    return;
  }
  CHECK(test_support::relatively_close(got, want, p_value ? kPValueRelTol : kRelTol));
}

bool is_p_value(const std::string& name) { return name.find("p_value") != std::string::npos; }

/// The command line of a case: -y/-x for cars (the -y/-x route), else the
/// formula; its weights.
std::vector<std::string> fit_args(const std::vector<std::string>& c) {
  std::vector<std::string> args = {"fit", test_support::repo_path(c.at(1))};
  if (c.at(0) == "cars") {
    args.insert(args.end(), {"-y", "dist", "-x", "speed"});
  } else {
    args.push_back(c.at(2));
  }
  if (!c.at(3).empty()) args.insert(args.end(), {"--weights", c.at(3)});
  return args;
}

}  // namespace

TEST_CASE("fit --vcov agrees with sandwich and lmtest for every type and case", "[vcov][cli]") {
  const auto cases = read_records(test_dir() + "/reference/vcov_cases.csv");
  const auto ref = read_records(test_dir() + "/reference/vcov_reference.csv");
  // case -> vcov -> name -> value
  std::map<std::string, std::map<std::string, std::map<std::string, double>>> want;
  for (std::size_t i = 1; i < ref.size(); ++i) {
    if (ref[i].at(2) == "confidence") continue;  // predict's, below
    want[ref[i].at(0)][ref[i].at(1)][ref[i].at(3)] = value_of(ref[i].at(4));
  }
  std::size_t compared = 0;
  for (std::size_t i = 1; i < cases.size(); ++i) {
    const auto& c = cases[i];
    for (const auto& [type, values] : want.at(c.at(0))) {
      std::vector<std::string> args = fit_args(c);
      args.insert(args.end(), {"--vcov", type, "--format", "json"});
      if (type == "CL") args.insert(args.end(), {"--cluster", c.at(4)});
      INFO("case " << c.at(0) << ", --vcov " << type);
      const auto r = run_regress(args);
      REQUIRE(r.code == 0);
      const json out = json::parse(r.out);
      CHECK(out.value("vcov", std::string("const")) == type);
      std::map<std::string, double> got;
      for (const auto& t : out.at("terms")) {
        const std::string term = t.at("term").get<std::string>();
        for (const char* field :
             {"estimate", "std_error", "statistic", "p_value", "conf_low", "conf_high"}) {
          got[term + ":" + field] = json_value(t.at(field));
        }
      }
      got["f_statistic"] = json_value(out.at("f_statistic"));
      got["f_p_value"] = json_value(out.at("f_p_value"));
      for (const auto& [name, v] : values) {
        if (name == "f_df1") continue;  // the text's "on q and df DF", checked below
        REQUIRE(got.count(name) == 1);
        check_close(c.at(0) + " " + type + " " + name, got.at(name), v, is_p_value(name));
        ++compared;
      }
    }
  }
  CHECK(compared > 600);
}

TEST_CASE("an aliased coefficient stays NA under a robust covariance", "[vcov][cli]") {
  const auto r = run_regress({"fit", test_support::mtcars(), "mpg ~ wt + I(2 * wt) + hp", "--vcov",
                              "HC3", "--format", "csv"});
  REQUIRE(r.code == 0);
  CHECK(r.out.find("term,estimate,std_error,statistic,p_value,conf_low,conf_high,vcov\n") == 0);
  CHECK(r.out.find("I(2 * wt),NA,NA,NA,NA,NA,NA,HC3\n") != std::string::npos);
}

TEST_CASE("fit's text names the covariance and the Wald F", "[vcov][cli]") {
  const auto r =
      run_regress({"fit", test_support::mtcars(), "mpg ~ wt + factor(cyl)", "--cluster", "carb"});
  REQUIRE(r.code == 0);
  CHECK(r.out.find("Standard errors: clustered by carb (sandwich::vcovCL, type HC1); F is the "
                   "Wald test with them\n") != std::string::npos);
  // make_vcov_anova_reference.R, mtcars_cyl CL: f_df1 3 on df.residual 28.
  CHECK(r.out.find("Wald F-statistic: ") != std::string::npos);
  CHECK(r.out.find(" on 3 and 28 DF,") != std::string::npos);
  const auto hc =
      run_regress({"fit", test_support::cars(), "-y", "dist", "-x", "speed", "--vcov", "HC2"});
  REQUIRE(hc.code == 0);
  CHECK(hc.out.find("Standard errors: robust HC2 (sandwich::vcovHC)") != std::string::npos);
  const auto plain = run_regress({"fit", test_support::cars(), "-y", "dist", "-x", "speed"});
  CHECK(plain.out.find("Standard errors:") == std::string::npos);
  CHECK(plain.out.find("Wald") == std::string::npos);
}

TEST_CASE("fit refuses a robust covariance it cannot compute, and bad --vcov or --cluster",
          "[vcov][cli]") {
  const std::string mt = test_support::mtcars();
  auto r = run_regress({"fit", mt, "mpg ~ wt", "--vcov", "HC9"});
  CHECK(r.code == 2);
  CHECK(r.err.find("use const, HC0, HC1, HC2, HC3, HC4 or CL") != std::string::npos);
  r = run_regress({"fit", mt, "mpg ~ wt", "--vcov", "CL"});
  CHECK(r.code == 2);
  CHECK(r.err.find("--vcov CL needs --cluster COL") != std::string::npos);
  r = run_regress({"fit", mt, "mpg ~ wt", "--vcov", "HC3", "--cluster", "cyl"});
  CHECK(r.code == 2);
  CHECK(r.err.find("--cluster goes with --vcov CL") != std::string::npos);
  r = run_regress({"fit", mt, "mpg ~ wt", "--cluster", "nope"});
  CHECK(r.code == 2);
  CHECK(r.err.find("--cluster 'nope' is not a column") != std::string::npos);
  r = run_regress({"fit", "-", "y ~ x", "--weights", "w", "--vcov", "HC0"},
                  "x,y,w\n1,2,1\n2,4.1,0\n3,5.9,1\n4,8.2,2\n");
  CHECK(r.code == 1);
  CHECK(r.err.find("cannot use a row of weight 0") != std::string::npos);
  // y ~ g with a level of one row: its leverage is 1, where HC3 divides by 0.
  r = run_regress({"fit", "-", "y ~ g", "--vcov", "HC3"}, "g,y\na,1\na,2\nb,3\nb,5\nc,7\n");
  CHECK(r.code == 1);
  CHECK(r.err.find("leverage 1") != std::string::npos);
}

TEST_CASE("anova agrees with R's anova for one model and for nested models", "[anova][cli]") {
  const auto cases = read_records(test_dir() + "/reference/anova_cases.csv");
  const auto ref = read_records(test_dir() + "/reference/anova_reference.csv");
  std::map<std::string, std::map<std::string, double>> want;  // case -> "row:name:col"
  for (std::size_t i = 1; i < ref.size(); ++i) {
    want[ref[i].at(0)][ref[i].at(1) + ":" + ref[i].at(2)] = value_of(ref[i].at(3));
  }
  for (std::size_t i = 1; i < cases.size(); ++i) {
    const auto& c = cases[i];
    INFO("case " << c.at(0));
    std::vector<std::string> args = {"anova", test_support::repo_path(c.at(1))};
    std::vector<std::string> formulas;
    std::stringstream split(c.at(2));
    for (std::string f; std::getline(split, f, '|');) {
      while (!f.empty() && f.front() == ' ') f.erase(f.begin());
      while (!f.empty() && f.back() == ' ') f.pop_back();
      formulas.push_back(f);
    }
    if (c.at(0) == "cars_degrees") {
      args.insert(args.end(), {"-y", "dist", "-x", "speed", "--degree", "1,2,3"});
    } else {
      args.insert(args.end(), formulas.begin(), formulas.end());
    }
    if (!c.at(3).empty()) args.insert(args.end(), {"--weights", c.at(3)});
    auto json_args = args;
    json_args.insert(json_args.end(), {"--format", "json"});
    const auto r = run_regress(json_args);
    REQUIRE(r.code == 0);
    const json out = json::parse(r.out);
    std::map<std::string, double> got;
    if (formulas.size() == 1) {
      std::size_t row = 1;
      for (const auto& t : out.at("rows")) {
        const std::string prefix =
            std::to_string(row++) + ":" + t.at("term").get<std::string>() + ":";
        for (const char* k : {"df", "sum_sq", "mean_sq", "statistic", "p_value"}) {
          got[prefix + k] = json_value(t.at(k));
        }
      }
    } else {
      for (const auto& m : out.at("models")) {
        const std::string n = std::to_string(m.at("model").get<int>());
        for (const char* k : {"res_df", "rss", "df", "sum_sq", "statistic", "p_value"}) {
          got[n + ":" + n + ":" + k] = json_value(m.at(k));
        }
      }
    }
    CHECK(got.size() == want.at(c.at(0)).size());
    for (const auto& [name, v] : want.at(c.at(0))) {
      REQUIRE(got.count(name) == 1);
      check_close(name, got.at(name), v, is_p_value(name));
    }
    // The text as R prints it.
    const auto text = run_regress(args);
    REQUIRE(text.code == 0);
    CHECK(text.out == test_support::read_file(test_dir() + "/reference/anova_" + c.at(0) + ".txt"));
  }
}

TEST_CASE("anova refuses models that are not nested or not fitted to the same rows",
          "[anova][cli]") {
  const std::string mt = test_support::mtcars();
  auto r = run_regress({"anova", mt, "mpg ~ wt", "mpg ~ hp"});
  CHECK(r.code == 2);
  CHECK(r.err.find("are not (term 'wt' is missing from the second)") != std::string::npos);
  r = run_regress({"anova", mt, "mpg ~ wt + hp", "mpg ~ wt"});
  CHECK(r.code == 2);
  r = run_regress({"anova", "-", "y ~ x", "y ~ x + z"},
                  "x,y,z\n1,2,1\n2,4.1,NA\n3,5.9,2\n4,8.2,5\n"
                  "5,9.7,3\n");
  CHECK(r.code == 2);
  CHECK(r.err.find("fitted to the same rows") != std::string::npos);
  const auto with_f = run_regress({"anova", mt, "-f", "mpg ~ wt", "--format", "csv"});
  REQUIRE(with_f.code == 0);
  CHECK(with_f.out.find("term,df,sum_sq,mean_sq,statistic,p_value\nwt,1,") == 0);
  r = run_regress({"anova", mt, "mpg ~ wt", "mpg ~ wt + factor(cyl)", "--format", "csv"});
  REQUIRE(r.code == 0);
  CHECK(r.out.find("model,formula,res_df,rss,df,sum_sq,statistic,p_value\n1,mpg ~ wt,30,") == 0);
}

TEST_CASE("merge refuses a robust covariance, saying why and what to do", "[vcov][cli]") {
  const auto r = run_regress({"merge", "part.json", "--vcov", "HC3"});
  CHECK(r.code == 2);
  CHECK(r.err.find("merge cannot compute a robust covariance (HC3)") != std::string::npos);
  CHECK(r.err.find("regress fit --vcov HC3") != std::string::npos);
}

TEST_CASE("predict --interval confidence uses the robust covariance, from data or a saved model",
          "[vcov][cli]") {
  const auto ref = read_records(test_dir() + "/reference/vcov_reference.csv");
  const std::string mt = test_support::mtcars();
  const std::string new_rows = test_support::repo_path("tests/data/v_mtcars_new.csv");
  test_support::scratch_dir dir;
  for (const std::string type : {"HC3", "CL"}) {
    INFO("--vcov " << type);
    std::vector<std::string> fit_flags = {"--vcov", type};
    if (type == "CL") fit_flags.insert(fit_flags.end(), {"--cluster", "carb"});
    std::vector<std::string> direct = {"predict",    mt,         "mpg ~ wt + factor(cyl)",
                                       "--new",      new_rows,   "--interval",
                                       "confidence", "--format", "json"};
    direct.insert(direct.end(), fit_flags.begin(), fit_flags.end());
    const std::string saved = dir.file("m_" + type + ".json");
    std::vector<std::string> save = {"fit", mt, "mpg ~ wt + factor(cyl)", "--save", saved};
    save.insert(save.end(), fit_flags.begin(), fit_flags.end());
    REQUIRE(run_regress(save).code == 0);
    const std::vector<std::string> from_model = {
        "predict", "-m", saved, "--new", new_rows, "--interval", "confidence", "--format", "json"};
    for (const auto& args : {direct, from_model}) {
      const auto r = run_regress(args);
      INFO(r.err);
      REQUIRE(r.code == 0);
      const json rows = json::parse(r.out);
      const json& list = rows.is_array() ? rows : rows.at("predictions");
      std::size_t checked = 0;
      for (std::size_t i = 1; i < ref.size(); ++i) {
        if (ref[i].at(1) != type || ref[i].at(2) != "confidence") continue;
        const std::string& name = ref[i].at(3);
        const std::size_t row = std::stoul(name.substr(0, name.find(':'))) - 1;
        const std::string field = name.substr(name.find(':') + 1);
        check_close(name, json_value(list.at(row).at(field)), value_of(ref[i].at(4)), false);
        ++checked;
      }
      CHECK(checked == 16);
    }
  }
  const auto refused =
      run_regress({"predict", "-m", dir.file("m_HC3.json"), "--at", "3", "--vcov", "HC1"});
  CHECK(refused.code == 2);
  CHECK(refused.err.find("carries its covariance") != std::string::npos);
}

TEST_CASE("explore --degree reports anova's nested F test between consecutive degrees",
          "[anova][explore][cli]") {
  const auto r = run_regress({"explore", test_support::cars(), "-y", "dist", "-x", "speed",
                              "--degree", "1,2,3", "--format", "text"});
  REQUIRE(r.code == 0);
  // anova_reference.csv, cars_degrees: F 2.287399734534175 (p 0.13726875372675726) and
  // 0.82339534983918805 (p 0.36891857730179467) on 1 and 46 DF.
  CHECK(r.out.find("Degree 2 against degree 1 (anova's nested F test): F = 2.2874 on 1 and 46 "
                   "DF, p-value = 0.1373.\n") != std::string::npos);
  CHECK(r.out.find("Degree 3 against degree 2 (anova's nested F test): F = 0.8234 on 1 and 46 "
                   "DF, p-value = 0.3689.\n") != std::string::npos);
  const auto one = run_regress(
      {"explore", test_support::cars(), "-y", "dist", "-x", "speed", "--format", "text"});
  REQUIRE(one.code == 0);
  CHECK(one.out.find("nested F test") == std::string::npos);
}
