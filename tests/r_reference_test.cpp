// Compares the regress library with R's lm().
//
// Every expected number here comes from R: tests/reference/make_r_reference.R
// writes the datasets tests/data/r_<case>.csv, the new points
// tests/data/r_<case>_new.csv and the values tests/reference/r_reference.csv
// (case,section,row,name,value; values printed with %.17g). Rerun it with
//   Rscript tests/reference/make_r_reference.R
// from the repository root. This file only reads those files; it fits each
// case through the public pipeline (CSV reader -> design -> fit -> summary /
// predict) and checks every reference value, and that the library produces no
// value the reference lacks.

#include <catch2/catch.hpp>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "regress/model/design.hpp"
#include "regress/model/model.hpp"
#include "regress/model/model_spec.hpp"
#include "regress/model/predict.hpp"
#include "regress/model/summary.hpp"
#include "regress/reading/table.hpp"

namespace {

// Tolerances. R and the library both compute in double precision by stable
// methods (QR), so estimates, standard errors, statistics, intervals, model
// statistics and predictions must agree to a relative 1e-9 (absolute 1e-9
// where R's value is exactly 0). P-values go through different special
// function implementations (R's nmath vs Boost.Math), so they get a relative
// 1e-6; below 1e-300 both only need to be that tiny.
constexpr double kRelTol = 1e-9;
constexpr double kAbsTolAtZero = 1e-9;
constexpr double kPValueRelTol = 1e-6;
constexpr double kTinyPValue = 1e-300;

/// (section, row, name) of one reference value, e.g. ("term", "x", "estimate").
using value_key = std::tuple<std::string, std::string, std::string>;

struct case_reference {
  std::map<value_key, double> values;
  std::vector<std::string> term_order;  ///< term rows in file (R's model) order
};

std::string test_dir() { return std::string(REGRESS_TEST_DATA_DIR); }

std::vector<std::string> split_plain(const std::string& line) {
  std::vector<std::string> out;
  std::string field;
  std::istringstream in(line);
  while (std::getline(in, field, ',')) out.push_back(field);
  if (!line.empty() && line.back() == ',') out.emplace_back();
  return out;
}

double parse_reference_number(const std::string& text, const std::string& where) {
  const char* begin = text.c_str();
  char* end = nullptr;
  const double v = std::strtod(begin, &end);
  if (text.empty() || end != begin + text.size() || !std::isfinite(v)) {
    throw std::runtime_error(where + ": not a finite number: '" + text + "'");
  }
  return v;
}

/// Reads tests/reference/r_reference.csv once. The file is plain CSV without
/// quoting (no name contains a comma).
const std::map<std::string, case_reference>& all_references() {
  static const std::map<std::string, case_reference> refs = [] {
    const std::string path = test_dir() + "/reference/r_reference.csv";
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot open " + path);
    std::string line;
    if (!std::getline(in, line) || line != "case,section,row,name,value") {
      throw std::runtime_error(path + ": unexpected header '" + line + "'");
    }
    std::map<std::string, case_reference> out;
    std::size_t line_no = 1;
    while (std::getline(in, line)) {
      ++line_no;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.empty()) continue;
      const std::string where = path + ":" + std::to_string(line_no);
      const std::vector<std::string> f = split_plain(line);
      if (f.size() != 5) throw std::runtime_error(where + ": expected 5 fields");
      case_reference& c = out[f[0]];
      const value_key key{f[1], f[2], f[3]};
      if (!c.values.emplace(key, parse_reference_number(f[4], where)).second) {
        throw std::runtime_error(where + ": duplicate value");
      }
      if (f[1] == "term" && (c.term_order.empty() || c.term_order.back() != f[2])) {
        c.term_order.push_back(f[2]);
      }
    }
    return out;
  }();
  return refs;
}

/// One comparison case: the reference case name, the stem of its data files
/// (tests/data/r_<data>.csv and r_<data>_new.csv) and the model to fit.
struct case_def {
  std::string name;
  std::string data;
  regress::model_spec spec;
};

regress::model_spec make_spec(std::string response, std::vector<std::string> predictors, int degree,
                              bool intercept, double level) {
  regress::model_spec spec;
  spec.response = std::move(response);
  spec.predictors = std::move(predictors);
  spec.degree = degree;
  spec.intercept = intercept;
  spec.level = level;
  return spec;
}

/// Reads the named columns of a CSV file through the library's reader.
regress::table read_table(const std::string& path, const std::vector<std::string>& columns) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  regress::csv_reader reader(in, regress::csv_options{',', path});
  std::vector<std::string> header;
  if (!reader.next(header)) throw std::runtime_error(path + ": no header");
  std::vector<std::size_t> indices;
  for (const std::string& c : columns) indices.push_back(regress::resolve_column(header, c));
  return regress::read_columns(reader, header, indices);
}

struct fitted_case {
  regress::model model;
  std::size_t rows_read;
};

fitted_case fit_case(const case_def& c) {
  regress::validate(c.spec);
  std::vector<std::string> columns{c.spec.response};
  columns.insert(columns.end(), c.spec.predictors.begin(), c.spec.predictors.end());
  const regress::table data = read_table(test_dir() + "/data/r_" + c.data + ".csv", columns);
  const regress::design d = regress::make_design(c.spec, data);
  return {regress::fit_model(c.spec, d), data.rows()};
}

/// The new points, one vector of predictor values (in spec order) per row.
std::vector<std::vector<double>> read_new_points(const case_def& c) {
  const regress::table t =
      read_table(test_dir() + "/data/r_" + c.data + "_new.csv", c.spec.predictors);
  std::vector<std::vector<double>> points(t.rows());
  for (std::size_t r = 0; r < t.rows(); ++r) {
    for (std::size_t j = 0; j < c.spec.predictors.size(); ++j) {
      // t.columns follows the order of the names asked for, i.e. spec order.
      points[r].push_back(t.columns[j][r]);
    }
  }
  return points;
}

/// Everything the library computes for a case, keyed as the reference is.
std::map<value_key, double> library_values(const case_def& c, const regress::model& m,
                                           const regress::summary& s) {
  std::map<value_key, double> out;
  for (const auto& t : s.terms) {
    out[{"term", t.term, "estimate"}] = t.estimate;
    out[{"term", t.term, "std_error"}] = t.std_error;
    out[{"term", t.term, "statistic"}] = t.statistic;
    out[{"term", t.term, "p_value"}] = t.p_value;
    out[{"term", t.term, "conf_low"}] = t.conf_low;
    out[{"term", t.term, "conf_high"}] = t.conf_high;
  }
  const regress::model_stats& st = s.stats;
  out[{"model", "model", "sigma"}] = st.sigma;
  out[{"model", "model", "df_residual"}] = st.df_residual;
  out[{"model", "model", "nobs"}] = st.nobs;
  out[{"model", "model", "r_squared"}] = st.r_squared;
  out[{"model", "model", "adj_r_squared"}] = st.adj_r_squared;
  out[{"model", "model", "f_statistic"}] = st.f_statistic;
  out[{"model", "model", "f_p_value"}] = st.f_p_value;
  out[{"model", "model", "log_lik"}] = st.log_lik;
  out[{"model", "model", "aic"}] = st.aic;
  out[{"model", "model", "bic"}] = st.bic;

  const std::vector<std::vector<double>> points = read_new_points(c);
  const std::pair<regress::interval_kind, const char*> kinds[] = {
      {regress::interval_kind::prediction, "prediction"},
      {regress::interval_kind::confidence, "confidence"}};
  for (const auto& kind : kinds) {
    for (std::size_t i = 0; i < points.size(); ++i) {
      const regress::prediction p =
          regress::predict_one(m, points[i].data(), kind.first, c.spec.level);
      const std::string row = std::to_string(i + 1);  // 1-based, as in R
      out[{kind.second, row, "fit"}] = p.fit;
      out[{kind.second, row, "se_fit"}] = p.se_fit;
      out[{kind.second, row, "lwr"}] = p.lwr;
      out[{kind.second, row, "upr"}] = p.upr;
      out[{kind.second, row, "leverage"}] = p.leverage;
    }
  }
  return out;
}

bool within_relative(double actual, double expected, double rel_tol) {
  if (!std::isfinite(actual)) return false;
  if (expected == 0) return std::fabs(actual) <= kAbsTolAtZero;
  return std::fabs(actual - expected) <= rel_tol * std::fabs(expected);
}

bool agrees(const std::string& name, double actual, double expected) {
  if (name == "p_value" || name == "f_p_value") {
    if (expected < kTinyPValue) return actual >= 0 && actual < kTinyPValue;
    return within_relative(actual, expected, kPValueRelTol);
  }
  return within_relative(actual, expected, kRelTol);
}

std::string g17(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

std::string describe(const std::string& case_name, const value_key& key) {
  return case_name + "," + std::get<0>(key) + "," + std::get<1>(key) + "," + std::get<2>(key);
}

void check_value(const std::string& case_name, const value_key& key, double actual,
                 double expected) {
  const double rel =
      expected != 0 ? std::fabs(actual - expected) / std::fabs(expected) : std::fabs(actual);
  INFO(describe(case_name, key) << ": library " << g17(actual) << ", R " << g17(expected)
                                << " (relative difference " << g17(rel) << ")");
  CHECK(agrees(std::get<2>(key), actual, expected));
}

void check_case(const case_def& c) {
  const auto& refs = all_references();
  const auto found = refs.find(c.name);
  INFO("case " << c.name);
  REQUIRE(found != refs.end());
  const case_reference& ref = found->second;
  REQUIRE(!ref.values.empty());

  const fitted_case fitted = fit_case(c);
  const regress::model& m = fitted.model;
  const regress::summary s = regress::summarize(m, c.spec.level);

  // Terms in the same order and with the same names as R's.
  std::vector<std::string> terms;
  for (const auto& t : s.terms) terms.push_back(t.term);
  CHECK(terms == ref.term_order);

  // Rows dropped for missing values plus rows used are all the rows read.
  CHECK(static_cast<double>(m.rows_dropped) + s.stats.nobs ==
        static_cast<double>(fitted.rows_read));

  const std::map<value_key, double> ours = library_values(c, m, s);
  std::size_t compared = 0;
  for (const auto& entry : ref.values) {
    const auto it = ours.find(entry.first);
    if (it == ours.end()) {
      FAIL_CHECK("the library has no value for " << describe(c.name, entry.first));
      continue;
    }
    check_value(c.name, entry.first, it->second, entry.second);
    ++compared;
  }
  for (const auto& entry : ours) {
    if (ref.values.count(entry.first) == 0) {
      FAIL_CHECK("R has no reference value for " << describe(c.name, entry.first));
    }
  }
  CHECK(compared == ref.values.size());
}

const case_def kSimple{"simple", "simple", make_spec("y", {"x"}, 1, true, 0.95)};
const case_def kMulti{"multi", "multi", make_spec("y", {"x1", "x2", "x3"}, 1, true, 0.95)};
const case_def kPoly{"poly", "poly", make_spec("y", {"x"}, 3, true, 0.95)};
const case_def kNoint{"noint", "noint", make_spec("y", {"x1", "x2"}, 1, false, 0.95)};
const case_def kMissing{"missing", "missing", make_spec("y", {"x1", "x2"}, 1, true, 0.95)};
const case_def kLevel99{"level99", "simple", make_spec("y", {"x"}, 1, true, 0.99)};
const case_def kFar{"far", "far", make_spec("y", {"x"}, 1, true, 0.95)};

}  // namespace

TEST_CASE("The R reference file holds exactly the cases tested here", "[r_reference]") {
  std::set<std::string> in_file;
  for (const auto& entry : all_references()) in_file.insert(entry.first);
  const std::set<std::string> tested{kSimple.name,  kMulti.name,   kPoly.name, kNoint.name,
                                     kMissing.name, kLevel99.name, kFar.name};
  CHECK(in_file == tested);
}

TEST_CASE("A simple regression matches R's lm", "[r_reference]") { check_case(kSimple); }

TEST_CASE("A regression on three predictors, response not last, matches R's lm", "[r_reference]") {
  check_case(kMulti);
}

TEST_CASE("A cubic polynomial in raw powers matches R's lm", "[r_reference]") { check_case(kPoly); }

TEST_CASE("A regression without intercept matches R's lm, uncentred R squared included",
          "[r_reference]") {
  check_case(kNoint);
}

TEST_CASE("Rows with missing values are dropped as R's na.omit does", "[r_reference]") {
  check_case(kMissing);
}

TEST_CASE("Intervals at level 0.99 match R's confint and predict", "[r_reference]") {
  check_case(kLevel99);
}

TEST_CASE("A predictor far from the origin is fitted as R's centred fit", "[r_reference]") {
  check_case(kFar);
}
