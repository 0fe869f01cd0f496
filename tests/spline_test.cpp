// R's spline bases ns() and bs() in formulas, against R.
//
// Every expected number comes from tests/reference/make_spline_reference.R
// (R 4.2.2, splines::ns, splines::bs, lm, predict.lm), which writes
// tests/reference/spline_reference.csv (case,section,name,value; %.17g) from
// the shipped data sets. Rerun it with
//   LC_ALL=C Rscript tests/reference/make_spline_reference.R
// This file reads it: the bases by themselves (knots learnt from the data,
// values inside and beyond the boundary knots), and every formula case fitted
// as `regress fit` fits it (the engine) and as `explore` binds it (the
// frame): coefficient names and values, sigma, R², fitted values, and
// predict.lm's fit and se_fit inside and beyond the boundary knots.

#include "regress/model/spline.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "regress/engine/engine.hpp"
#include "regress/files/model_io.hpp"
#include "regress/model/formula.hpp"
#include "regress/model/frame.hpp"
#include "regress/model/predict.hpp"
#include "regress/model/summary.hpp"
#include "regress/reading/csv.hpp"
#include "support/files.hpp"
#include "support/in_process.hpp"

namespace {

/// Agreement with R: both compute the same basis by different
/// floating-point paths (R's de Boor and LINPACK QR, regress's recurrence),
/// and the fits solve different but equivalent systems.
constexpr double kRelTol = 1e-9;

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

/// One case's reference values: section -> [(name, value)] in R's order.
using section_values = std::vector<std::pair<std::string, std::string>>;
using case_values = std::map<std::string, section_values>;

const std::map<std::string, case_values>& references() {
  static const std::map<std::string, case_values> refs = [] {
    std::map<std::string, case_values> out;
    const auto records = read_records(test_dir() + "/reference/spline_reference.csv");
    for (std::size_t i = 1; i < records.size(); ++i) {
      const auto& r = records[i];
      out[r.at(0)][r.at(1)].emplace_back(r.at(2), r.at(3));
    }
    return out;
  }();
  return refs;
}

void check_close(double expected, double actual, const std::string& what) {
  INFO(what << ": R " << expected << ", regress " << actual);
  CHECK(std::abs(actual - expected) <= kRelTol * std::max(std::abs(expected), 1e-12));
}

/// Splits "x|what" into x and what.
std::pair<double, std::string> at_name(const std::string& name) {
  const std::size_t bar = name.find('|');
  return {std::stod(name.substr(0, bar)), name.substr(bar + 1)};
}

regress::model fit_frame(const std::string& data, const std::string& formula) {
  const std::string path = test_support::repo_path("data/" + data + ".csv");
  std::ifstream in(path, std::ios::binary);
  regress::csv_reader reader(in, regress::csv_options{',', path});
  std::vector<std::string> header;
  reader.next(header);
  return regress::fit_formula(regress::read_formula_frame(reader, header, formula, ""), 0.95);
}

regress::model fit_engine(const std::string& data, const std::string& formula) {
  regress::formula_request request;
  request.formula = formula;
  request.level = 0.95;
  regress::engine_options options;
  options.need_max_leverage = true;
  return regress::fit_formula_csv_file(test_support::repo_path("data/" + data + ".csv"), request,
                                       options)
      .fitted;
}

/// The row of new data at x (the swept column) and the held columns' values.
std::vector<std::string> new_row(const std::vector<std::string>& header, const std::string& swept,
                                 double x, const std::map<std::string, std::string>& held) {
  std::vector<std::string> row;
  for (const auto& h : header) {
    if (h == swept) {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.17g", x);
      row.emplace_back(buf);
    } else {
      const auto it = held.find(h);
      row.push_back(it == held.end() ? "0" : it->second);
    }
  }
  return row;
}

struct formula_case {
  std::string name, data, formula, swept;
  std::map<std::string, std::string> held;
};

/// The cases of make_spline_reference.R (its `cases` list).
std::vector<formula_case> cases() {
  return {{"cars_ns3", "cars", "", "speed", {}},
          {"cars_ns1", "cars", "", "speed", {}},
          {"cars_bs5", "cars", "", "speed", {}},
          {"cars_bs_default", "cars", "", "speed", {}},
          {"cars_ns_knots", "cars", "", "speed", {}},
          {"cars_bs_deg2", "cars", "", "speed", {}},
          {"cars_bs_intercept", "cars", "", "speed", {}},
          {"cars_ns_intercept", "cars", "", "speed", {}},
          {"pressure_ns4", "pressure", "", "temperature", {}},
          {"mtcars_ns_am", "mtcars", "", "hp", {{"am", "1"}}},
          {"mtcars_ns_colon", "mtcars", "", "hp", {{"am", "0"}, {"wt", "3"}}},
          {"tooth_ns_supp", "toothgrowth", "", "dose", {{"supp", "VC"}}},
          {"mtcars_bs_log", "mtcars", "", "disp", {{"wt", "3"}}}};
}

void check_fit(const formula_case& c, const regress::model& m) {
  const case_values& r = references().at(c.name);
  const regress::summary s = regress::summarize(m, 0.95);
  const section_values& coef = r.at("coef");
  REQUIRE(s.terms.size() + 2 == coef.size());
  for (std::size_t j = 0; j < s.terms.size(); ++j) {
    CHECK(s.terms[j].term == coef[j].first);
    check_close(std::stod(coef[j].second), s.terms[j].estimate, c.name + " " + coef[j].first);
  }
  check_close(std::stod(coef[coef.size() - 2].second), s.stats.sigma, c.name + " sigma");
  check_close(std::stod(coef.back().second), s.stats.r_squared, c.name + " r_squared");

  // Fitted values: predict_row at each data row.
  const auto data = read_records(test_support::repo_path("data/" + c.data + ".csv"));
  const regress::new_row_reader rows(*m.terms, data.at(0), c.data);
  const section_values& fitted = r.at("fitted");
  REQUIRE(fitted.size() == data.size() - 1);
  for (const auto& [row_name, value] : fitted) {
    const std::size_t i = std::stoul(row_name);
    regress::row_values row;
    double w = 1;
    REQUIRE(rows.read(data.at(i), i + 1, row, w));
    const auto p = regress::predict_row(m, row, regress::interval_kind::confidence, 0.95, w);
    check_close(std::stod(value), p.fit, c.name + " fitted " + row_name);
  }
  for (const auto& [name, value] : r.at("predict")) {
    const auto [x, what] = at_name(name);
    regress::row_values row;
    double w = 1;
    const std::vector<std::string> fields = new_row(data.at(0), c.swept, x, c.held);
    REQUIRE(rows.read(fields, 0, row, w));
    const auto p = regress::predict_row(m, row, regress::interval_kind::confidence, 0.95, w);
    check_close(std::stod(value), what == "fit" ? p.fit : p.se_fit, c.name + " at " + name);
  }
  // The knots kept for prediction are R's predvars.
  const regress::variable_coding* spline = nullptr;
  for (const auto& v : m.terms->variables) {
    if (v.type == regress::variable_coding::kind::spline) spline = &v;
  }
  REQUIRE(spline != nullptr);
  std::vector<double> knots;
  for (const auto& [name, value] : r.at("knots")) {
    if (name == "lower") check_close(std::stod(value), spline->spline.lower, c.name + " lower");
    if (name == "upper") check_close(std::stod(value), spline->spline.upper, c.name + " upper");
    if (name.rfind("knots", 0) == 0) knots.push_back(std::stod(value));
  }
  REQUIRE(knots.size() == spline->spline.knots.size());
  for (std::size_t k = 0; k < knots.size(); ++k) {
    check_close(knots[k], spline->spline.knots[k], c.name + " knot");
  }
}

std::string formula_of(const formula_case& c) {
  return references().at(c.name).at("formula").at(0).second;
}

}  // namespace

TEST_CASE(
    "ns and bs bases agree with R's, their knots learnt from the data, inside and beyond "
    "the boundary knots",
    "[spline][r]") {
  std::vector<double> x;
  for (const auto& rec : read_records(test_support::repo_path("data/pressure.csv"))) {
    if (rec.at(0) != "temperature") x.push_back(std::stod(rec.at(0)));
  }
  struct basis_case {
    const char* name;
    bool natural;
    int df, degree;
    bool intercept;
  };
  for (const basis_case& b : {basis_case{"ns_pressure_df4", true, 4, 3, false},
                              basis_case{"ns_pressure_df6_int", true, 6, 3, true},
                              basis_case{"bs_pressure_df6", false, 6, 3, false},
                              basis_case{"bs_pressure_deg1", false, 3, 1, false},
                              basis_case{"bs_pressure_deg5", false, 7, 5, true}}) {
    SECTION(b.name) {
      regress::spline_basis s;
      s.natural = b.natural;
      s.df = b.df;
      s.degree = b.degree;
      s.intercept = b.intercept;
      regress::learn_knots(s, x, b.name);
      const case_values& r = references().at(b.name);
      std::vector<double> knots;
      for (const auto& [name, value] : r.at("knots")) {
        if (name == "lower") CHECK(s.lower == std::stod(value));
        if (name == "upper") CHECK(s.upper == std::stod(value));
        if (name.rfind("knots", 0) == 0) knots.push_back(std::stod(value));
      }
      REQUIRE(knots.size() == s.knots.size());
      for (std::size_t k = 0; k < knots.size(); ++k) check_close(knots[k], s.knots[k], "knot");
      std::vector<double> row(s.width());
      double last = NAN;
      for (const auto& [name, value] : r.at("basis")) {
        const auto [at, column] = at_name(name);
        if (at != last) regress::spline_row(s, at, row.data());
        last = at;
        const std::size_t j = std::stoul(column) - 1;
        REQUIRE(j < row.size());
        // Entries R computes as exactly 0 may come out as rounding noise.
        const double expected = std::stod(value);
        INFO(b.name << " at " << name << ": R " << expected << ", regress " << row[j]);
        CHECK(std::abs(row[j] - expected) <= kRelTol * std::max(std::abs(expected), 1.0));
      }
    }
  }
}

TEST_CASE(
    "formulas with ns and bs agree with R's lm: names, coefficients, fitted values and "
    "predictions inside and beyond the boundary knots",
    "[spline][formula][r]") {
  for (formula_case c : cases()) {
    c.formula = formula_of(c);
    REQUIRE(references().at(c.name).at("formula").at(0).first == c.data);
    SECTION(c.name + " (engine)") {
      INFO(c.formula);
      check_fit(c, fit_engine(c.data, c.formula));
    }
    SECTION(c.name + " (frame)") {
      INFO(c.formula);
      check_fit(c, fit_frame(c.data, c.formula));
    }
  }
}

TEST_CASE(
    "beyond its boundary knots a natural spline's prediction is a straight line, a "
    "B-spline's is not",
    "[spline]") {
  for (const auto& [formula, linear] : {std::pair{"dist ~ ns(speed, df = 4)", true},
                                        std::pair{"dist ~ bs(speed, df = 4)", false}}) {
    INFO(formula);
    const regress::model m = fit_frame("cars", formula);
    const regress::new_row_reader rows(*m.terms, {"speed"}, "new");
    auto fit_at = [&](double x) {
      const std::vector<std::string> fields{std::to_string(x)};
      regress::row_values row;
      double w = 1;
      REQUIRE(rows.read(fields, 1, row, w));
      return regress::predict_row(m, row, regress::interval_kind::prediction, 0.95, w).fit;
    };
    // Training speeds run from 4 to 25: equal steps on each side.
    for (const double start : {-20.0, 25.0}) {
      const double a = fit_at(start), b = fit_at(start + 10), c = fit_at(start + 20);
      const double curvature = std::abs(a - 2 * b + c) / std::max({std::abs(a), std::abs(c), 1.0});
      INFO("from " << start << ": " << a << ", " << b << ", " << c);
      if (linear) {
        CHECK(curvature < 1e-12);
      } else {
        CHECK(curvature > 1e-3);
      }
    }
  }
}

TEST_CASE("a saved model with ns() predicts as the fit it came from, beyond the boundary too",
          "[spline][cli]") {
  const test_support::scratch_dir dir;
  const std::string model_path = dir.file("spline_model.json");
  const std::string cars = test_support::repo_path("data/cars.csv");
  const auto fit =
      test_support::run_regress({"fit", cars, "dist ~ ns(speed, df = 3)", "--save", model_path});
  REQUIRE(fit.code == 0);
  const auto direct = test_support::run_regress(
      {"predict", cars, "dist ~ ns(speed, df = 3)", "--at", "2,15,40", "--format", "csv"});
  const auto saved = test_support::run_regress(
      {"predict", "-m", model_path, "--at", "2,15,40", "--format", "csv"});
  REQUIRE(direct.code == 0);
  REQUIRE(saved.code == 0);
  CHECK(saved.out == direct.out);
  // R: predict(lm(dist ~ ns(speed, df = 3), cars), data.frame(speed = 40))
  // (make_spline_reference.R, case cars_ns3).
  double r40 = NAN;
  for (const auto& [name, value] : references().at("cars_ns3").at("predict")) {
    if (name == "40|fit") r40 = std::stod(value);
  }
  const std::string last = saved.out.substr(saved.out.rfind("\n40,") + 4);
  check_close(r40, std::stod(last.substr(0, last.find(','))), "saved model at 40");
}

TEST_CASE("ns and bs arguments are checked, and a spline fit cannot be saved as a state",
          "[spline][cli]") {
  const std::string cars = test_support::repo_path("data/cars.csv");
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"dist ~ ns(speed, Boundary.knots = c(3, 3))", "Boundary.knots"},
      {"dist ~ ns(speed, Boundary.knots = 3)", "Boundary.knots"},
      {"dist ~ bs(speed, knots = speed)", "knots"},
      {"dist ~ ns(speed, intercept = 1)", "intercept"},
      {"dist ~ bs(speed, df = 0)", "df"},
      {"dist ~ ns(speed, raw = TRUE)", "no argument 'raw'"},
  };
  for (const auto& [formula, mention] : bad) {
    INFO(formula);
    const auto r = test_support::run_regress({"fit", cars, formula});
    CHECK(r.code == 2);
    CHECK(r.err.find(mention) != std::string::npos);
  }
  const test_support::scratch_dir dir;
  const auto state = test_support::run_regress(
      {"fit", cars, "dist ~ ns(speed, 3)", "--save-state", dir.file("s.json")});
  CHECK(state.code == 2);
  CHECK(state.err.find("ns() or bs()") != std::string::npos);
  for (const char* formula :
       {"dist ~ ns(speed, 2147483647)", "dist ~ bs(speed, degree = 2147483647)"}) {
    const auto huge = test_support::run_regress({"fit", cars, formula});
    CHECK(huge.code == 1);
    CHECK(huge.err.find("lower df or degree") != std::string::npos);
  }
  const auto constant =
      test_support::run_regress({"fit", "-", "y ~ ns(x, 2)"}, "x,y\n1,2\n1,3\n1,5\n");
  CHECK(constant.code == 1);
  CHECK(constant.err.find("boundary knots to differ") != std::string::npos);
}

TEST_CASE("explore's summary says what a spline does beyond its boundary knots", "[spline][cli]") {
  const std::string cars = test_support::repo_path("data/cars.csv");
  const auto natural = test_support::run_regress(
      {"explore", cars, "dist ~ ns(speed, df = 3)", "--format", "text", "--steps", "11"});
  REQUIRE(natural.code == 0);
  CHECK(natural.out.find("Beyond the boundary knots of ns(speed, df = 3) (speed below 4 or above "
                         "25) the natural spline is a straight line") != std::string::npos);
  const auto b = test_support::run_regress(
      {"explore", cars, "dist ~ bs(speed, df = 5)", "--format", "text", "--steps", "11"});
  REQUIRE(b.code == 0);
  CHECK(b.out.find("bs(speed, df = 5) (speed below 4 or above 25) the B-spline goes on as the "
                   "polynomials of degree 3 of its end pieces") != std::string::npos);
  const auto line =
      test_support::run_regress({"explore", cars, "dist ~ speed", "--format", "text"});
  REQUIRE(line.code == 0);
  CHECK(line.out.find("boundary knots") == std::string::npos);
}

TEST_CASE("a spline formula refuses --vcov, augment and check, which need the streaming passes",
          "[spline][cli]") {
  // The spline fit runs in memory, without the passes that sum the robust
  // covariance and visit the rows: refused rather than answered silently
  // with the default covariance or an empty table.
  using test_support::run_outcome;
  using test_support::run_regress;
  const std::string cars = test_support::repo_path("data/cars.csv");
  const std::string formula = "dist ~ ns(speed, df = 3)";
  const run_outcome robust = run_regress({"fit", cars, formula, "--vcov", "HC3"});
  CHECK(robust.code == 2);
  CHECK(robust.out.empty());
  CHECK(robust.err.find("--vcov other than const does not work yet") != std::string::npos);
  for (const char* command : {"augment", "check"}) {
    INFO(command);
    const run_outcome r = run_regress({command, cars, formula});
    CHECK(r.code == 2);
    CHECK(r.out.empty());
    CHECK(r.err.find("augment and check do not work yet") != std::string::npos);
  }
  // fit itself works and goes without its hint to run check.
  const run_outcome fit = run_regress({"fit", cars, formula, "--format", "csv"});
  CHECK(fit.code == 0);
}
