// Compares the library's formula fits with R's lm().
//
// Every expected number comes from R: tests/reference/make_formula_reference.R
// writes the data (tests/data/f_*.csv), the new points (f_*_new.csv), the
// manifest tests/reference/formula_cases.csv (case,data,formula,weights,new,
// level) and the values tests/reference/formula_reference.csv
// (case,section,row,name,value; %.17g, NA where R has none). Rerun it with
//   LC_ALL=C Rscript tests/reference/make_formula_reference.R
// This file only reads them: for every case it binds the formula to the data
// (read_formula_frame), fits it (fit_formula), and checks every coefficient
// (names and order included, NA for aliased ones), every model statistic and
// predict.lm's fit, se_fit, lwr and upr at the new points. It also checks
// that `regress predict` (in-process) writes predict_row's numbers to the
// bit, and the Call line's deparse against R's
// (tests/reference/make_formula_text_reference.R).

#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include "regress/engine/engine.hpp"
#include "regress/model/formula.hpp"
#include "regress/model/formula_stats.hpp"
#include "regress/model/frame.hpp"
#include "regress/model/predict.hpp"
#include "regress/model/summary.hpp"
#include "regress/output/format.hpp"
#include "regress/reading/csv.hpp"
#include "regress/reading/number.hpp"
#include "support/in_process.hpp"

namespace {

constexpr double kRelTol = 1e-9;
constexpr double kPValueRelTol = 1e-6;

std::string test_dir() { return std::string(REGRESS_TEST_DATA_DIR); }

/// Every record of a CSV file (quoted fields and all), header first.
std::vector<std::vector<std::string>> read_records(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  regress::csv_reader reader(in, regress::csv_options{',', path});
  std::vector<std::vector<std::string>> out;
  std::vector<std::string> fields;
  while (reader.next(fields)) out.push_back(fields);
  return out;
}

struct formula_case {
  std::string name, data, formula, weights, new_points;
  double level = 0.95;
};

std::vector<formula_case> cases() {
  const auto records = read_records(test_dir() + "/reference/formula_cases.csv");
  std::vector<formula_case> out;
  for (std::size_t i = 1; i < records.size(); ++i) {
    const auto& f = records[i];
    out.push_back({f.at(0), f.at(1), f.at(2), f.at(3), f.at(4), std::stod(f.at(5))});
  }
  return out;
}

using key = std::tuple<std::string, std::string, std::string>;  // section, row, name
struct reference {
  std::map<key, double> values;  // NaN for NA
  std::vector<std::string> terms;
};

const std::map<std::string, reference>& references() {
  static const std::map<std::string, reference> refs = [] {
    std::map<std::string, reference> out;
    const auto records = read_records(test_dir() + "/reference/formula_reference.csv");
    for (std::size_t i = 1; i < records.size(); ++i) {
      const auto& f = records[i];
      reference& r = out[f.at(0)];
      const double v = f.at(4) == "NA" ? NAN : std::stod(f.at(4));
      r.values[key{f.at(1), f.at(2), f.at(3)}] = v;
      if (f[1] == "term" && (r.terms.empty() || r.terms.back() != f[2])) r.terms.push_back(f[2]);
    }
    return out;
  }();
  return refs;
}

void check_value(double expected, double actual, bool p_value, const std::string& what) {
  INFO(what << ": R " << expected << ", regress " << actual);
  if (std::isnan(expected)) {
    CHECK(std::isnan(actual));
    return;
  }
  const double tol = p_value ? kPValueRelTol : kRelTol;
  if (p_value && expected < 1e-300) {
    CHECK(actual < 1e-290);
    return;
  }
  CHECK(std::abs(actual - expected) <= tol * std::max(std::abs(expected), 1e-300) + 1e-12 * 0);
}

double ref(const reference& r, const std::string& section, const std::string& row,
           const std::string& name) {
  const auto it = r.values.find(key{section, row, name});
  if (it == r.values.end()) {
    throw std::runtime_error("no reference value " + section + "/" + row + "/" + name);
  }
  return it->second;
}

regress::model fit_case(const formula_case& c) {
  const std::string path = test_dir() + "/data/" + c.data;
  std::ifstream in(path, std::ios::binary);
  regress::csv_reader reader(in, regress::csv_options{',', path});
  std::vector<std::string> header;
  reader.next(header);
  const regress::formula_frame frame =
      regress::read_formula_frame(reader, header, c.formula, c.weights);
  return regress::fit_formula(frame, c.level);
}

void check_predictions(const formula_case& c, const regress::model& m, const reference& r) {
  const auto records = read_records(test_dir() + "/data/" + c.new_points);
  const regress::new_row_reader rows(*m.terms, records.at(0), c.new_points);
  for (std::size_t i = 1; i < records.size(); ++i) {
    regress::row_values row;
    double w = 1;
    if (!rows.read(records[i], i + 1, row, w)) continue;
    const std::string at = std::to_string(i);
    for (const auto& [section, kind] :
         {std::pair{"confidence", regress::interval_kind::confidence},
          std::pair{"prediction", regress::interval_kind::prediction}}) {
      if (r.values.count(key{section, at, "fit"}) == 0) continue;
      const regress::prediction p = regress::predict_row(m, row, kind, c.level, w);
      const std::string where = c.name + " " + section + " row " + at;
      check_value(ref(r, section, at, "fit"), p.fit, false, where + " fit");
      check_value(ref(r, section, at, "se_fit"), p.se_fit, false, where + " se_fit");
      check_value(ref(r, section, at, "lwr"), p.lwr, false, where + " lwr");
      check_value(ref(r, section, at, "upr"), p.upr, false, where + " upr");
    }
  }
}

}  // namespace

/// The one-pass statistics of a case's rows, split into `shards` parts
/// (each its own formula_stats, merged in order), as the engine reads them.
regress::model fit_case_one_pass(const formula_case& c, std::size_t shards) {
  const auto records = read_records(test_dir() + "/data/" + c.data);
  const auto& header = records.at(0);
  // A column is text when one of its non-missing cells is not a number.
  std::vector<std::string> text;
  for (std::size_t j = 0; j < header.size(); ++j) {
    for (std::size_t i = 1; i < records.size(); ++i) {
      regress::dd v;
      if (regress::parse_cell(records[i][j], v) == regress::cell_kind::invalid) {
        text.push_back(header[j]);
        break;
      }
    }
  }
  regress::formula_plan plan = regress::plan_formula(c.formula, header, c.weights, text);
  const std::size_t cols = plan.columns.size();
  std::vector<regress::dd> values(cols);
  std::vector<regress::cell_kind> kinds(cols);
  std::vector<std::string_view> texts(cols);
  auto read = [&](const std::vector<std::string>& rec) {
    for (std::size_t s = 0; s < cols; ++s) {
      texts[s] = rec[plan.fields[s]];
      kinds[s] = regress::parse_cell(texts[s], values[s]);
      if (plan.text[s] && kinds[s] == regress::cell_kind::invalid)
        kinds[s] = regress::cell_kind::invalid;
    }
  };
  // Poly atoms are centred at their first known value, as the engine does.
  for (std::size_t a = 0; a < plan.atoms.size(); ++a) {
    if (!plan.poly_atom[a]) continue;
    for (std::size_t i = 1; i < records.size(); ++i) {
      read(records[i]);
      regress::row_values row;
      bool known = true;
      for (const auto& col : plan.terms.numeric_columns) {
        std::size_t s = 0;
        while (plan.columns[s] != col) ++s;
        row.numbers.push_back(values[s]);
        known = known && kinds[s] == regress::cell_kind::number;
      }
      if (!known) continue;
      plan.centre[a] = double(regress::evaluate(plan.terms, plan.atoms[a], row));
      break;
    }
  }
  regress::formula_stats all(plan);
  const std::size_t n = records.size() - 1;
  for (std::size_t k = 0; k < shards; ++k) {
    regress::formula_stats part(plan);
    for (std::size_t i = 1 + k * n / shards; i < 1 + (k + 1) * n / shards; ++i) {
      read(records[i]);
      part.add_record(values.data(), kinds.data(), texts.data());
    }
    all.merge(std::move(part));
  }
  return all.finish(c.level);
}

void check_case(const formula_case& c, const regress::model& m, bool predictions) {
  const reference& r = references().at(c.name);
  const regress::summary s = regress::summarize(m, c.level);
  std::vector<std::string> names;
  for (const auto& t : s.terms) names.push_back(t.term);
  REQUIRE(names == r.terms);
  for (const auto& t : s.terms) {
    CHECK(t.aliased == std::isnan(ref(r, "term", t.term, "estimate")));
    const std::string w = c.name + " " + t.term;
    check_value(ref(r, "term", t.term, "estimate"), t.estimate, false, w + " estimate");
    check_value(ref(r, "term", t.term, "std_error"), t.std_error, false, w + " std_error");
    check_value(ref(r, "term", t.term, "statistic"), t.statistic, false, w + " statistic");
    check_value(ref(r, "term", t.term, "p_value"), t.p_value, true, w + " p_value");
    check_value(ref(r, "term", t.term, "conf_low"), t.conf_low, false, w + " conf_low");
    check_value(ref(r, "term", t.term, "conf_high"), t.conf_high, false, w + " conf_high");
  }
  const auto& st = s.stats;
  const std::vector<std::pair<const char*, double>> stats = {{"sigma", st.sigma},
                                                             {"r_squared", st.r_squared},
                                                             {"adj_r_squared", st.adj_r_squared},
                                                             {"df_residual", st.df_residual},
                                                             {"nobs", st.nobs},
                                                             {"log_lik", st.log_lik},
                                                             {"aic", st.aic},
                                                             {"bic", st.bic},
                                                             {"f_statistic", st.f_statistic},
                                                             {"f_df1", st.f_df1}};
  for (const auto& [name, value] : stats) {
    const double expected = ref(r, "model", "", name);
    // R has no F test for y ~ 1; regress reports none either (NaN).
    if (std::isnan(expected)) {
      CHECK(!std::isfinite(value));
      continue;
    }
    check_value(expected, value, false, c.name + " " + name);
  }
  if (std::isfinite(ref(r, "model", "", "f_p_value"))) {
    check_value(ref(r, "model", "", "f_p_value"), st.f_p_value, true, c.name + " f_p_value");
  }
  if (predictions) check_predictions(c, m, r);
}

TEST_CASE("formula fits agree with R's lm, coefficient names, NA and predictions included",
          "[formula][r]") {
  const auto all = cases();
  REQUIRE(all.size() >= 30);
  for (const auto& c : all) {
    SECTION(c.name) {
      INFO("case " << c.name << ": " << c.formula);
      check_case(c, fit_case(c), true);
    }
  }
}

TEST_CASE("one-pass formula statistics, whole or merged from shards, agree with R's lm",
          "[formula][r]") {
  for (const auto& c : cases()) {
    for (const std::size_t shards : {std::size_t{1}, std::size_t{3}}) {
      SECTION(c.name + " in " + std::to_string(shards)) {
        INFO("case " << c.name << ": " << c.formula << ", " << shards << " shard(s)");
        check_case(c, fit_case_one_pass(c, shards), false);
      }
    }
  }
}

// tests/reference/make_formula_text_reference.R wrote, for each formula, R's
// deparse of lm(formula = <formula>): the Call line of summary.lm, with R's
// line breaks (records: "formula: <text>", the call's lines, a blank line).
TEST_CASE("the Call line is R's deparse of lm(formula = ...) with R's line breaks",
          "[formula][r]") {
  std::ifstream in(test_dir() + "/reference/formula_calls.txt", std::ios::binary);
  REQUIRE(in);
  std::vector<std::pair<std::string, std::string>> records;  // formula, call
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("formula: ", 0) == 0) {
      records.emplace_back(line.substr(9), std::string());
    } else if (!line.empty()) {
      REQUIRE(!records.empty());
      std::string& call = records.back().second;
      call += (call.empty() ? "" : "\n") + line;
    }
  }
  REQUIRE(records.size() >= 40);
  for (const auto& [formula, call] : records) {
    INFO(formula);
    CHECK(regress::deparse_lm_call(formula) == call);
    // One line: the same text without R's breaks and indentation.
    std::string flat = call.substr(std::string("lm(formula = ").size());
    flat.pop_back();  // ')'
    for (std::size_t at; (at = flat.find('\n')) != std::string::npos;) {
      flat.erase(at, flat.find_first_not_of(' ', at + 1) - at);
    }
    CHECK(regress::deparse_formula(formula) == flat);
    // Deparsing is idempotent: R's text parses back to itself.
    CHECK(regress::deparse_formula(flat) == flat);
  }
}

// What `regress predict DATA 'formula' --new NEW` writes is the library's
// predict_row for each row, to the last bit (the shortest text that reads
// back to the same double), for every reference case and both intervals; the
// model fitted as the command line fits it, by the streaming engine.
TEST_CASE("predict on the command line writes predict_row's numbers for every reference case",
          "[formula][cli]") {
  for (const auto& c : cases()) {
    regress::formula_request request;
    request.formula = c.formula;
    request.weights = c.weights;
    request.level = c.level;
    regress::engine_options options;
    options.need_max_leverage = true;  // as predict fits it
    const regress::model m =
        regress::fit_formula_csv_file(test_dir() + "/data/" + c.data, request, options).fitted;
    const auto points = read_records(test_dir() + "/data/" + c.new_points);
    const regress::new_row_reader rows(*m.terms, points.at(0), c.new_points);
    for (const auto& [name, kind] : {std::pair{"confidence", regress::interval_kind::confidence},
                                     std::pair{"prediction", regress::interval_kind::prediction}}) {
      INFO("case " << c.name << ", " << name);
      std::vector<std::string> args = {"predict",
                                       test_dir() + "/data/" + c.data,
                                       c.formula,
                                       "--new",
                                       test_dir() + "/data/" + c.new_points,
                                       "--interval",
                                       name,
                                       "--level",
                                       regress::number_text(c.level)};
      if (!c.weights.empty()) {
        args.insert(args.end(), {"--weights", c.weights});
      }
      const test_support::run_outcome out = test_support::run_regress(args);
      INFO(out.err);
      REQUIRE(out.code == 0);
      std::istringstream printed(out.out);
      regress::csv_reader reader(printed, regress::csv_options{',', "output"});
      std::vector<std::string> header, fields;
      REQUIRE(reader.next(header));
      for (std::size_t i = 1; i < points.size(); ++i) {
        REQUIRE(reader.next(fields));
        regress::row_values row;
        double w = 1;
        REQUIRE(rows.read(points[i], i + 1, row, w));
        const regress::prediction p = regress::predict_row(m, row, kind, c.level, w);
        const std::size_t first = header.size() - 6;  // fit, se_fit, lwr, upr, leverage, region
        CHECK(fields.at(first) == regress::number_text(p.fit));
        CHECK(fields.at(first + 1) == regress::number_text(p.se_fit));
        CHECK(fields.at(first + 2) == regress::number_text(p.lwr));
        CHECK(fields.at(first + 3) == regress::number_text(p.upr));
        CHECK(fields.at(first + 4) == regress::number_text(p.leverage));
        CHECK(fields.at(first + 5) == regress::to_string(p.where));
      }
      CHECK(!reader.next(fields));
    }
  }
}
