// The streaming engine's formula fits against the in-memory fit of the same
// rows. The engine accumulates each cell of the factors in Sum2 pairs (in
// lanes for 2 to 8 terms, scalar beyond, straight into the cell's state with
// weights), folds them every few hundred rows, finds cells through a hash
// table and merges chunks; a plain formula (y ~ x + z) takes the -y/-x first
// pass. The in-memory path (read_formula_frame, fit_formula) builds the model
// matrix row by row and shares none of that: the two must agree to rounding
// on data with enough rows per cell to fold many times and with chunks small
// enough to merge many times.

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "regress/engine/engine.hpp"
#include "regress/model/formula_stats.hpp"
#include "regress/model/frame.hpp"
#include "regress/model/ols.hpp"
#include "regress/reading/csv.hpp"
#include "regress/reading/number.hpp"
#include "support/files.hpp"

namespace {

/// 6000 rows of y, x, z, a (3 text levels), b (4 text levels, one cell of
/// a x b left out), k (a number used as factor(k)), w (a weight) from a
/// fixed linear congruential generator; y depends on all of them.
std::string make_data() {
  std::uint64_t state = 12345;
  auto next = [&state]() {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(state >> 11) / 9007199254740992.0;
  };
  std::ostringstream out;
  out.precision(10);
  out << "y,x,z,a,b,k,w\n";
  const char* as[] = {"alpha", "beta", "Gamma delta"};
  const char* bs[] = {"p", "q", "r", "s"};
  for (int i = 0; i < 6000; ++i) {
    const double x = 1 + 9 * next(), z = 100 + 50 * next();
    const int a = static_cast<int>(3 * next()) % 3;
    int b = static_cast<int>(4 * next()) % 4;
    if (a == 2 && b == 3) b = 0;  // an empty cell: an aliased interaction column
    const int k = 4 + 2 * (static_cast<int>(3 * next()) % 3);
    const double w = 0.5 + next();
    const double y = 3 + 0.7 * x - 0.02 * z + a * (1 + 0.3 * x) + 0.5 * b + 0.1 * k + 0.01 * x * z +
                     (next() - 0.5);
    out << y << ',' << x << ',' << z << ',' << as[a] << ',' << bs[b] << ',' << k << ',' << w
        << '\n';
  }
  return out.str();
}

regress::model in_memory(const std::string& path, const std::string& formula,
                         const std::string& weights) {
  std::ifstream in(path, std::ios::binary);
  regress::csv_reader reader(in, regress::csv_options{',', path});
  std::vector<std::string> header;
  reader.next(header);
  return regress::fit_formula(regress::read_formula_frame(reader, header, formula, weights), 0.95);
}

regress::model streamed(const std::string& path, const std::string& formula,
                        const std::string& weights, unsigned threads) {
  regress::formula_request request;
  request.formula = formula;
  request.weights = weights;
  request.level = 0.95;
  regress::engine_options options;
  options.threads = threads;
  options.chunk_bytes = 4096;  // dozens of chunks, each merged into the next
  return regress::fit_formula_csv_file(path, request, options).fitted;
}

void check_close(double got, double want, double tol) {
  INFO("got " << got << ", want " << want);
  CHECK(std::abs(got - want) <= tol * std::max(1.0, std::abs(want)));
}

}  // namespace

TEST_CASE("the engine's formula fits agree with the in-memory fit of the same rows",
          "[formula][engine]") {
  test_support::temp_file data(make_data());
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"y ~ x + z", ""},                         // the -y/-x first pass
      {"y ~ x * a", ""},                         // 2 terms per cell, in lanes
      {"log(y) ~ log(x) * b + sqrt(z)", ""},     // functions, lanes
      {"y ~ (x + z + I(x^2))^2 * a", ""},        // 9+ terms: the scalar pairs
      {"y ~ x * a * b", ""},                     // two text factors, an aliased column
      {"y ~ poly(x, 3) + factor(k) + a:z", ""},  // a numeric factor, poly
      {"y ~ x * a + z", "w"},                    // weights
      {"y ~ 0 + a + x:b", ""},                   // no intercept
  };
  for (const auto& [formula, weights] : cases) {
    for (unsigned threads : {1U, 2U}) {
      INFO(formula << (weights.empty() ? "" : " weights " + weights) << ", threads " << threads);
      const regress::model want = in_memory(data.path(), formula, weights);
      const regress::model got = streamed(data.path(), formula, weights, threads);
      REQUIRE(got.slope_terms == want.slope_terms);
      REQUIRE(got.aliased == want.aliased);
      REQUIRE(got.fit.slopes.size() == want.fit.slopes.size());
      for (std::size_t j = 0; j < want.fit.slopes.size(); ++j) {
        check_close(double(got.fit.slopes[j]), double(want.fit.slopes[j]), 1e-10);
      }
      check_close(double(regress::raw_intercept(got.fit)), double(regress::raw_intercept(want.fit)),
                  1e-10);
      check_close(double(got.fit.rss), double(want.fit.rss), 1e-11);
      check_close(double(got.fit.mss), double(want.fit.mss), 1e-11);
      CHECK(got.fit.nobs == want.fit.nobs);
      REQUIRE(got.cells.size() == want.cells.size());
    }
  }
}

namespace {
/// Bit-for-bit equality of two doubles (NaN equal to NaN).
bool same_bits(double a, double b) { return a == b || (std::isnan(a) && std::isnan(b)); }
}  // namespace

TEST_CASE("the fast row path gives the bits add() gives", "[formula][engine]") {
  // add_record reads the common shapes (a column or log(column), one
  // factor, 2 to 8 terms, no weights or poly) without the interpreter;
  // add() takes every row through row_values and the compiled expressions.
  std::string text = make_data();
  text += "1,NA,3,alpha,p,4,1\n";  // x missing
  text += ",2,3,beta,q,4,1\n";     // y missing
  text += "4,5,6,,,4,1\n";         // a and b missing
  std::istringstream in(text);
  std::vector<std::vector<std::string>> rows;
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> fields;
    std::string field;
    std::istringstream ls(line);
    while (std::getline(ls, field, ',')) fields.push_back(field);
    if (!line.empty() && line.back() == ',') fields.emplace_back();
    rows.push_back(fields);
  }
  const std::vector<std::string> header = rows.at(0);
  const std::vector<std::pair<std::string, bool>> cases = {
      {"y ~ x * a", true},
      {"log(y) ~ log(x) * b + sqrt(z)", true},
      {"y ~ x:z + log10(z) + a", true},
      {"y ~ log(x) + factor(k)", true},
      {"y ~ abs(x) + exp(z / 100)", false},  // an expression of more than one step
      {"y ~ x * a * b", false},              // two factors
      {"y ~ x + z", true},                   // no factor
  };
  for (const auto& [formula, fast] : cases) {
    INFO(formula);
    const regress::formula_plan plan = regress::plan_formula(formula, header, "", {"a", "b"});
    regress::formula_stats by_record(plan), by_row(plan);
    CHECK(by_record.fast_rows() == fast);
    const std::size_t cols = plan.columns.size();
    std::vector<regress::dd> values(cols);
    std::vector<regress::cell_kind> kinds(cols);
    std::vector<std::string_view> texts(cols);
    regress::row_values row;
    std::vector<char> known;
    for (std::size_t i = 1; i < rows.size(); ++i) {
      for (std::size_t s = 0; s < cols; ++s) {
        texts[s] = rows[i].at(plan.fields[s]);
        kinds[s] = regress::parse_cell(texts[s], values[s]);
      }
      by_record.add_record(values.data(), kinds.data(), texts.data());
      const bool complete =
          regress::fill_row(plan, values.data(), kinds.data(), texts.data(), row, known);
      by_row.add(row, known.data(), complete);
    }
    CHECK(by_record.records == by_row.records);
    CHECK(by_record.dropped == by_row.dropped);
    CHECK(by_record.dropped >= 2);
    const regress::model a = by_record.finish(0.95), b = by_row.finish(0.95);
    REQUIRE(a.fit.slopes.size() == b.fit.slopes.size());
    for (std::size_t j = 0; j < a.fit.slopes.size(); ++j) {
      CHECK(same_bits(a.fit.slopes[j].hi, b.fit.slopes[j].hi));
      CHECK(same_bits(a.fit.slopes[j].lo, b.fit.slopes[j].lo));
    }
    CHECK(same_bits(a.fit.rss.hi, b.fit.rss.hi));
    CHECK(same_bits(a.fit.rss.lo, b.fit.rss.lo));
    REQUIRE(a.cells.size() == b.cells.size());
  }
}

TEST_CASE("the fast row path refuses log of a non-positive value as add() does",
          "[formula][engine]") {
  const std::vector<std::string> header = {"y", "x", "g"};
  const regress::formula_plan plan = regress::plan_formula("y ~ log(x) * g", header, "", {"g"});
  regress::formula_stats stats(plan);
  REQUIRE(stats.fast_rows());
  std::vector<regress::dd> values = {regress::dd(1.0), regress::dd(-2.0), regress::dd()};
  std::vector<regress::cell_kind> kinds = {regress::cell_kind::number, regress::cell_kind::number,
                                           regress::cell_kind::invalid};
  std::vector<std::string_view> texts = {"1", "-2", "a"};
  CHECK_THROWS_WITH(stats.add_record(values.data(), kinds.data(), texts.data()),
                    Catch::Contains("'log(x)' is not defined at -2"));
  values[1] = regress::dd(0.0);
  CHECK_THROWS_WITH(stats.add_record(values.data(), kinds.data(), texts.data()),
                    Catch::Contains("'log(x)' is infinite at 0"));
}

namespace {
/// The lines of a CSV text, each split at its commas (a trailing CR dropped,
/// as the readers drop it; blank lines kept, as empty records).
std::vector<std::vector<std::string>> split_lines(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::vector<std::string> fields;
    std::string field;
    std::istringstream ls(line);
    while (std::getline(ls, field, ',')) fields.push_back(field);
    if (!line.empty() && line.back() == ',') fields.emplace_back();
    rows.push_back(fields);
  }
  return rows;
}
}  // namespace

TEST_CASE("the engine's batch scanner gives the bits add_record gives", "[formula][engine]") {
  // The first pass reads a fast_rows() plan's records straight into
  // batches (engine/fast_scan.hpp) and sends any other record through the
  // general scanner, after the batch before it. Fed the same records one by
  // one (add_record, cells parsed by parse_cell) and merged into empty
  // statistics as the engine merges its one chunk, the statistics must
  // give the same bits.
  const std::string specials =
      "1,NA,3,alpha,p,4,1\n"                     // x missing
      ",2,3,beta,q,4,1\n"                        // y missing
      "4,5,6,,,4,1\n"                            // levels missing
      "4,5,6,NA,p,4,1\n"                         // a level missing
      "\n"                                       // a blank line
      "2.5,3.25,120,beta,q,6,1\r\n"              // CRLF
      "1e1,2.5E-1,130,alpha,r,4,1\n"             // exponents
      " 3, 4,140,alpha,r,4,1\n"                  // spaces: the general path
      "+2.5,+4,110,Gamma delta,s,8,1\n"          // signs, a level with a space
      "7,8,9,north,p,4,1\n"                      // a level that starts with n
      "12345678901234567890,1,1,alpha,p,4,1\n";  // 20 digits: the general path
  const std::string data = make_data();
  const std::size_t cut = data.find('\n', data.size() / 3) + 1;
  const std::string text = data.substr(0, cut) + specials + data.substr(cut) + specials;
  test_support::temp_file file(text);
  const std::vector<std::vector<std::string>> rows = split_lines(text);
  for (const std::string formula :
       {"y ~ log(x) * a", "log(y) ~ log(x) * b + sqrt(z)", "y ~ x:z + log10(z) + a",
        "y ~ log(x) + factor(k)", "y ~ x + log(z)"}) {
    INFO(formula);
    const regress::formula_plan plan = regress::plan_formula(formula, rows.at(0), "", {"a", "b"});
    regress::formula_stats by_record(plan);
    REQUIRE(by_record.fast_rows());
    const std::size_t cols = plan.columns.size();
    std::vector<regress::dd> values(cols);
    std::vector<regress::cell_kind> kinds(cols);
    std::vector<std::string_view> texts(cols);
    for (std::size_t i = 1; i < rows.size(); ++i) {
      if (rows[i].empty()) continue;  // the blank line: no record
      for (std::size_t s = 0; s < cols; ++s) {
        texts[s] = rows[i].at(plan.fields[s]);
        kinds[s] = regress::parse_cell(texts[s], values[s]);
        if (plan.text[s] && kinds[s] != regress::cell_kind::missing) {
          kinds[s] = regress::cell_kind::invalid;
        }
      }
      by_record.add_record(values.data(), kinds.data(), texts.data());
    }
    regress::formula_stats merged(plan);
    merged.merge(std::move(by_record));
    const regress::model want = merged.finish(0.95);
    regress::formula_request request;
    request.formula = formula;
    request.level = 0.95;
    regress::engine_options options;
    options.threads = 1;
    options.chunk_bytes = std::size_t(1) << 26;  // one chunk
    const regress::engine_result got = regress::fit_formula_csv_file(file.path(), request, options);
    CHECK(got.rows_read == merged.records);
    CHECK(got.rows_dropped == merged.dropped);
    CHECK(got.rows_dropped >= 4);
    REQUIRE(got.fitted.fit.slopes.size() == want.fit.slopes.size());
    for (std::size_t j = 0; j < want.fit.slopes.size(); ++j) {
      CHECK(same_bits(got.fitted.fit.slopes[j].hi, want.fit.slopes[j].hi));
      CHECK(same_bits(got.fitted.fit.slopes[j].lo, want.fit.slopes[j].lo));
    }
    CHECK(same_bits(got.fitted.fit.mss.hi, want.fit.mss.hi));
    CHECK(got.fitted.cells.size() == want.cells.size());
  }
}

TEST_CASE("the engine's batch scanner places a refused row on its line", "[formula][engine]") {
  // A batch is added after its rows are read: the error must still name the
  // row's own line (the header is line 1).
  std::string text = "y,x,g\n";
  for (int i = 0; i < 150; ++i) {
    text += std::to_string(i % 7) + "," + (i == 99 ? "-3" : std::to_string(1 + i % 5)) + ",g" +
            std::to_string(i % 3) + "\n";
  }
  test_support::temp_file file(text);
  regress::formula_request request;
  request.formula = "y ~ log(x) * g";
  request.level = 0.95;
  regress::engine_options options;
  options.threads = 1;
  CHECK_THROWS_WITH(regress::fit_formula_csv_file(file.path(), request, options),
                    Catch::Contains(":101:") && Catch::Contains("'log(x)' is not defined at -3"));
}
