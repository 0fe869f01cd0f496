// The state of a formula fit (model/formula_state.hpp, files/state_file.hpp):
// shards that saw different factor levels and centred their poly() arguments
// at different first values merge, through their state files, into the fit
// of the concatenated data. The reference is the engine's own fit of the
// whole file (which agrees with R: formula_reference_test.cpp); the tolerance
// is double-double rounding carried into doubles, 1e-12 relative.

#include "regress/model/formula_state.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "regress/engine/engine.hpp"
#include "regress/error.hpp"
#include "regress/files/state_file.hpp"
#include "regress/model/summary.hpp"
#include "support/files.hpp"
#include "support/numeric.hpp"

using namespace regress;
using test_support::relatively_close;

namespace {
constexpr double merge_tolerance = 1e-12;

/// y, x, g (text), k (numbers used as factor(k)), w; rows `from` to `to`
/// (exclusive). Level g = "c" and k = 3.5 appear only from row 40 on; one
/// row (57) lacks y.
std::string rows(int from, int to, bool reversed = false) {
  std::string out;
  for (int n = 0; n < to - from; ++n) {
    const int i = reversed ? to - 1 - n : from + n;
    const double x = 1.37 + 0.173 * i + 0.05 * std::sin(3.1 * i);
    const char* g = i < 40 ? (i % 2 == 0 ? "a" : "b") : (i % 3 == 0 ? "a" : i % 3 == 1 ? "b" : "c");
    const double k = i < 40 ? 1 + i % 2 : (i % 4 == 0 ? 3.5 : 1 + i % 2);
    const double w = 1 + 0.25 * (i % 5);
    const double y =
        3 + 0.8 * x - 0.04 * x * x + 0.3 * k + (g[0] == 'c' ? 1.1 : 0) + 0.2 * std::sin(7.3 * i);
    if (i == 57) {
      out += "," + std::to_string(x) + "," + g + "," + std::to_string(k) + "," + std::to_string(w) +
             "\n";
      continue;
    }
    char line[200];
    std::snprintf(line, sizeof line, "%.10g,%.10g,%s,%.10g,%.10g\n", y, x, g, k, w);
    out += line;
  }
  return out;
}

const std::string header = "y,x,g,k,w\n";

engine_result fit_file(const std::string& path, const std::string& formula,
                       const std::string& weights, std::optional<formula_state>* state) {
  formula_request req;
  req.formula = formula;
  req.weights = weights;
  if (state != nullptr) {
    req.keep_stats = [state](const formula_plan& plan, const formula_stats& stats) {
      *state = state_of(plan, stats, 0.95);
    };
  }
  engine_options o;
  o.threads = 1;
  o.need_max_leverage = true;
  return fit_formula_csv_file(path, req, o);
}

/// Through a state file and back.
formula_state round_trip(const formula_state& s) {
  std::stringstream file;
  write_formula_state(file, s);
  const saved_state back = read_any_state(file, "shard.json");
  REQUIRE(back.is_formula);
  return back.formula_part;
}

void require_same_model(const model& merged, const model& whole) {
  REQUIRE(merged.slope_terms == whole.slope_terms);
  REQUIRE(merged.aliased == whole.aliased);
  const summary a = summarize(merged, 0.95), b = summarize(whole, 0.95);
  REQUIRE(a.terms.size() == b.terms.size());
  for (std::size_t j = 0; j < a.terms.size(); ++j) {
    INFO(b.terms[j].term);
    CHECK(relatively_close(a.terms[j].estimate, b.terms[j].estimate, merge_tolerance));
    CHECK(relatively_close(a.terms[j].std_error, b.terms[j].std_error, merge_tolerance));
    CHECK(relatively_close(a.terms[j].statistic, b.terms[j].statistic, merge_tolerance));
  }
  CHECK(relatively_close(a.stats.sigma, b.stats.sigma, merge_tolerance));
  CHECK(relatively_close(a.stats.r_squared, b.stats.r_squared, merge_tolerance));
  CHECK(relatively_close(a.stats.adj_r_squared, b.stats.adj_r_squared, merge_tolerance));
  CHECK(relatively_close(a.stats.f_statistic, b.stats.f_statistic, merge_tolerance));
  CHECK(relatively_close(a.stats.log_lik, b.stats.log_lik, merge_tolerance));
  CHECK(a.stats.nobs == b.stats.nobs);
  CHECK(a.stats.df_residual == b.stats.df_residual);
  CHECK(merged.rows_dropped == whole.rows_dropped);
  CHECK(merged.fit.weighted == whole.fit.weighted);
  CHECK(merged.weighted_residuals == whole.weighted_residuals);
  // Levels, poly coefficients, ranges overall and per cell.
  for (std::size_t v = 0; v < whole.terms->variables.size(); ++v) {
    const auto& x = merged.terms->variables[v];
    const auto& y = whole.terms->variables[v];
    CHECK(x.levels == y.levels);
    REQUIRE(x.alpha.size() == y.alpha.size());
    for (std::size_t i = 0; i < y.alpha.size(); ++i) {
      CHECK(relatively_close(x.alpha[i], y.alpha[i], merge_tolerance));
    }
    for (std::size_t i = 0; i < y.norm2.size(); ++i) {
      CHECK(relatively_close(x.norm2[i], y.norm2[i], merge_tolerance));
    }
  }
  REQUIRE(merged.ranges.size() == whole.ranges.size());
  for (std::size_t r = 0; r < whole.ranges.size(); ++r) {
    CHECK(merged.ranges[r].min == whole.ranges[r].min);
    CHECK(merged.ranges[r].max == whole.ranges[r].max);
    CHECK(relatively_close(merged.ranges[r].mean, whole.ranges[r].mean, merge_tolerance));
  }
  REQUIRE(merged.cells.size() == whole.cells.size());
  for (std::size_t c = 0; c < whole.cells.size(); ++c) {
    CHECK(merged.cells[c].levels == whole.cells[c].levels);
    CHECK(merged.cells[c].min == whole.cells[c].min);
    CHECK(merged.cells[c].max == whole.cells[c].max);
    CHECK(merged.cells[c].rows == whole.cells[c].rows);
  }
}
}  // namespace

TEST_CASE("formula shards with different levels and poly centres merge into the whole fit",
          "[formula_state][merge]") {
  test_support::scratch_dir dir;
  // Shard one: rows 0-39 (levels a, b; k = 1, 2), from x = 1.37. Shard two:
  // rows 40-89 backwards (every level), so its poly() centre is another x.
  const std::string one = dir.write("one.csv", header + rows(0, 40));
  const std::string two = dir.write("two.csv", header + rows(40, 90, true));
  const std::string whole = dir.write("whole.csv", header + rows(0, 40) + rows(40, 90, true));
  const auto [formula, weights] = GENERATE(Catch::Generators::table<std::string, std::string>({
      {"y ~ x * g", ""},
      {"y ~ poly(x, 3) + factor(k) + g", ""},
      {"log(y) ~ poly(x, 2) * g + factor(k)", "w"},
      {"y ~ g:x + I(x^2) + factor(k)", "w"},
      {"y ~ g * factor(k)", ""},
  }));
  INFO(formula);
  std::optional<formula_state> a, b;
  fit_file(one, formula, weights, &a);
  fit_file(two, formula, weights, &b);
  REQUIRE(a);
  REQUIRE(b);
  if (formula.find("poly") != std::string::npos) CHECK(a->centres != b->centres);
  const model all = fit_file(whole, formula, weights, nullptr).fitted;
  const formula_state merged =
      merge_formula_states({round_trip(*a), round_trip(*b)}, {"one.json", "two.json"});
  bool exact = false;
  require_same_model(model_of(round_trip(merged), 0.95, &exact), all);
  if (exact) CHECK(relatively_close(model_of(merged, 0.95).max_leverage, all.max_leverage, 1e-9));
  // In the other order the poly centres are the second shard's.
  require_same_model(model_of(merge_formula_states({*b, *a}, {"two.json", "one.json"}), 0.95), all);
}

TEST_CASE("a formula state file that does not fit its formula is refused, naming the file",
          "[formula_state][files]") {
  test_support::scratch_dir dir;
  const std::string one = dir.write("one.csv", header + rows(0, 40));
  std::optional<formula_state> a;
  fit_file(one, "y ~ poly(x, 2) + g", "", &a);
  REQUIRE(a);
  std::stringstream file;
  write_formula_state(file, *a);
  const std::string text = file.str();
  auto refused = [](const std::string& t) {
    std::istringstream in(t);
    try {
      read_any_state(in, "s.json");
    } catch (const model_error& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  auto replaced = [&](const std::string& from, const std::string& to) {
    std::string t = text;
    const auto at = t.find(from);
    REQUIRE(at != std::string::npos);
    return t.replace(at, from.size(), to);
  };
  CHECK(refused(text) == "accepted");
  CHECK_THAT(refused(replaced("\"formula\": \"y ~ poly(x, 2) + g\"", "\"formula\": \"y ~ z\"")),
             Catch::StartsWith("s.json: the formula does not fit the saved columns"));
  CHECK_THAT(refused(replaced("\"records\": 40", "\"records\": 41")),
             Catch::Contains("inconsistent counts"));
  CHECK_THAT(refused(replaced("\"formula\":", "\"formulas\":")),
             Catch::Contains("missing field 'formula'"));
  CHECK_THAT(refused(replaced("\"powers\": [", "\"powers\": [[],")),
             Catch::Contains("field 'powers'"));
  // The -y/-x reader names what it got.
  std::istringstream in(text);
  CHECK_THROWS_WITH(read_state(in, "s.json"), Catch::Contains("the state of a formula fit"));
}
