// Model-averaged intervals (--method averaged, analyses/averaged.hpp).
//
// Against R: every expected number comes from
// tests/reference/make_averaged_reference.R (R 4.2.2: lm, AIC, predict.lm,
// pt, uniroot with tol 1e-14), which writes
// tests/reference/averaged_reference.csv (case,section,name,value; %.17g):
// the AICc and weights of each case's candidates, and the averaged fit and
// the mixture's quantiles (prediction and confidence, level 0.95) at points
// inside and far outside the data. Rerun it with
//   LC_ALL=C Rscript tests/reference/make_averaged_reference.R
// Cases: cars with degrees 1,2,3 (here through the command line's -y/-x
// --degree 1,2,3 and through formulas), cars with y ~ x, poly(x, 2) and
// ns(x, 3), and a weighted fit (tests/data/f_weights.csv, zero weights
// among them) with y ~ x, poly(x, 2), poly(x, 3).
//
// Simulation (fixed seed): a curved truth, candidates of degree 1, 2 and 3,
// predicted 3 training spans beyond the data: the averaged interval covers
// close to nominal where the line's textbook interval does not.

#include "regress/analyses/averaged.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "regress/engine/engine.hpp"
#include "regress/model/design.hpp"
#include "regress/model/predict.hpp"
#include "regress/reading/csv.hpp"
#include "support/files.hpp"
#include "support/in_process.hpp"

using namespace regress;

namespace {

constexpr double kRelTol = 1e-9;

/// (case, section, name) -> value.
using reference_map = std::map<std::string, double>;

const reference_map& references() {
  static const reference_map refs = [] {
    reference_map out;
    const std::string path = test_support::repo_path("tests/reference/averaged_reference.csv");
    std::ifstream in(path, std::ios::binary);
    csv_reader reader(in, csv_options{',', path});
    std::vector<std::string> fields;
    reader.next(fields);  // header
    while (reader.next(fields))
      out[fields[0] + "/" + fields[1] + "/" + fields[2]] = std::stod(fields[3]);
    return out;
  }();
  return refs;
}

double reference_value(const std::string& key) {
  const auto it = references().find(key);
  if (it == references().end()) FAIL("no reference value " << key);
  return it->second;
}

bool near(double got, double want) {
  return std::abs(got - want) <= kRelTol * std::max(1.0, std::abs(want));
}

model fit_engine(const std::string& path, const std::string& formula, const std::string& weights) {
  formula_request request;
  request.formula = formula;
  request.weights = weights;
  engine_options options;
  options.need_max_leverage = true;
  return fit_formula_csv_file(test_support::repo_path(path), request, options).fitted;
}

struct reference_case {
  std::string name, path, weights, column;
  std::vector<std::string> formulas;
  std::vector<std::string> at;  ///< as R printed them (%.17g)
};

std::vector<reference_case> cases() {
  const std::vector<std::string> cars_at = {"4", "10", "15.5", "25", "40", "60"};
  return {
      {"cars_degrees",
       "data/cars.csv",
       "",
       "speed",
       {"dist ~ speed", "dist ~ speed + I(speed^2)", "dist ~ speed + I(speed^2) + I(speed^3)"},
       cars_at},
      {"cars_formulas",
       "data/cars.csv",
       "",
       "speed",
       {"dist ~ speed", "dist ~ poly(speed, 2)", "dist ~ ns(speed, 3)"},
       cars_at},
      {"weighted",
       "tests/data/f_weights.csv",
       "w",
       "x",
       {"y ~ x", "y ~ poly(x, 2)", "y ~ poly(x, 3)"},
       {"0.62", "5", "9.8699999999999992", "15", "30"}},
  };
}

prediction predict_at(const model& m, const std::string& column, double v, interval_kind kind) {
  row_values row;
  for (const auto& c : m.terms->numeric_columns) {
    row.numbers.emplace_back(c == column ? v : std::numeric_limits<double>::quiet_NaN());
  }
  return predict_row(m, row, kind, 0.95);
}

}  // namespace

TEST_CASE("averaged: AICc weights and mixture quantiles match R", "[averaged]") {
  for (const auto& c : cases()) {
    SECTION(c.name) {
      std::vector<model> ms;
      for (const auto& f : c.formulas) ms.push_back(fit_engine(c.path, f, c.weights));
      REQUIRE_NOTHROW(check_same_rows(ms));
      const model_weights w = aicc_weights(ms);
      for (std::size_t i = 0; i < ms.size(); ++i) {
        const std::string k = c.name + "/aicc/" + std::to_string(i + 1);
        CHECK(near(w.aicc[i], reference_value(k)));
        CHECK(near(w.weights[i], reference_value(c.name + "/weight/" + std::to_string(i + 1))));
      }
      for (const auto& x : c.at) {
        for (auto kind : {interval_kind::prediction, interval_kind::confidence}) {
          const std::string section =
              kind == interval_kind::prediction ? "/prediction/" : "/confidence/";
          std::vector<prediction> each;
          for (const auto& m : ms) each.push_back(predict_at(m, c.column, std::stod(x), kind));
          const prediction p = average_predictions(ms, w, each, kind, 0.95);
          INFO(c.name << section << x);
          CHECK(near(p.fit, reference_value(c.name + section + x + "|fit")));
          CHECK(near(p.lwr, reference_value(c.name + section + x + "|lwr")));
          CHECK(near(p.upr, reference_value(c.name + section + x + "|upr")));
        }
      }
    }
  }
}

TEST_CASE("averaged: predict -y/-x --degree 1,2,3 matches R", "[averaged]") {
  const auto out = test_support::run_regress(
      {"predict", test_support::repo_path("data/cars.csv"), "-y", "dist", "-x", "speed", "--degree",
       "1,2,3", "--method", "averaged", "--at", "4,10,15.5,25,40,60"});
  REQUIRE(out.code == 0);
  CHECK(out.err.find("AICc weights") != std::string::npos);
  std::istringstream lines(out.out);
  std::string line;
  std::getline(lines, line);
  CHECK(line == "speed,fit,se_fit,lwr,upr,leverage,region");
  int rows = 0;
  while (std::getline(lines, line)) {
    std::vector<std::string> f;
    std::stringstream cells(line);
    std::string cell;
    while (std::getline(cells, cell, ',')) f.push_back(cell);
    REQUIRE(f.size() == 7);
    const std::string x = f[0];
    INFO(line);
    CHECK(near(std::stod(f[1]), reference_value("cars_degrees/prediction/" + x + "|fit")));
    CHECK(near(std::stod(f[3]), reference_value("cars_degrees/prediction/" + x + "|lwr")));
    CHECK(near(std::stod(f[4]), reference_value("cars_degrees/prediction/" + x + "|upr")));
    ++rows;
  }
  CHECK(rows == 6);
}

TEST_CASE("averaged: refusals", "[averaged]") {
  const std::string cars = test_support::repo_path("data/cars.csv");
  // Several candidates need --method averaged.
  CHECK(test_support::run_regress(
            {"predict", cars, "-y", "dist", "-x", "speed", "--degree", "1,2", "--at", "10"})
            .code == 2);
  // Different responses.
  const auto r = test_support::run_regress(
      {"predict", cars, "dist ~ speed", "speed ~ dist", "--method", "averaged", "--at", "10"});
  CHECK(r.code == 2);
  CHECK(r.err.find("same response") != std::string::npos);
  // -m is one model.
  CHECK(test_support::run_regress({"predict", "-m", "x.json", "--method", "averaged", "--at", "10"})
            .code == 2);
  CHECK(test_support::run_regress(
            {"predict", cars, "-y", "dist", "-x", "speed", "--method", "bogus", "--at", "10"})
            .code == 2);
}

TEST_CASE("averaged: the mixture of one component is its t interval", "[averaged]") {
  const std::vector<mixture_component> one = {{1.0, 3.0, 2.0, 7.0}};
  CHECK(mixture_quantile(one, 0.975) ==
        Approx(3.0 + 2.0 * 2.3646242515927849).epsilon(1e-14));  // qt(0.975, 7) in R
}

TEST_CASE("averaged: coverage 3 spans beyond a curved truth", "[averaged]") {
  // Truth y = 1 + 2x + 1.5x^2 on x in [0, 1] (30 evenly spaced rows), normal
  // noise sd 0.5; a fresh observation at x = 4, three training spans beyond
  // the largest x. Candidates: degrees 1, 2, 3 (-y/-x), AICc weights.
  std::mt19937_64 rng(20261201);
  std::normal_distribution<double> z;
  const std::size_t n = 30;
  const int datasets = 2000;
  const double x0 = 4, sd = 0.5;
  const auto truth = [](double x) { return 1 + 2 * x + 1.5 * x * x; };
  table t;
  t.names = {"x", "y"};
  t.columns.assign(2, std::vector<double>(n));
  t.lines.assign(n, 0);
  int line_covered = 0, averaged_covered = 0;
  for (int d = 0; d < datasets; ++d) {
    for (std::size_t i = 0; i < n; ++i) {
      t.columns[0][i] = static_cast<double>(i) / (n - 1);
      t.columns[1][i] = truth(t.columns[0][i]) + sd * z(rng);
    }
    std::vector<model> ms;
    for (int degree = 1; degree <= 3; ++degree) {
      model_spec spec;
      spec.response = "y";
      spec.predictors = {"x"};
      spec.degree = degree;
      ms.push_back(fit_model(spec, make_design(spec, t)));
    }
    const double y0 = truth(x0) + sd * z(rng);
    std::vector<prediction> each;
    for (const auto& m : ms) each.push_back(predict_one(m, &x0, interval_kind::prediction, 0.95));
    const prediction avg =
        average_predictions(ms, aicc_weights(ms), each, interval_kind::prediction, 0.95);
    line_covered += each[0].lwr <= y0 && y0 <= each[0].upr;
    averaged_covered += avg.lwr <= y0 && y0 <= avg.upr;
  }
  const double line = static_cast<double>(line_covered) / datasets;
  const double averaged = static_cast<double>(averaged_covered) / datasets;
  WARN("coverage at 3 spans out (nominal 0.95): line textbook " << line << ", averaged "
                                                                << averaged);
  CHECK(line < 0.5);
  CHECK(averaged > 0.85);
  CHECK(std::abs(averaged - 0.95) < std::abs(line - 0.95) / 4);
}
