// Backtests on simulated data with a fixed seed: when the truth is a line the
// held-out extremes are covered at about the nominal rate; when the truth
// curves, coverage collapses outside while the in-range control stays nominal.
// The verdict's p-values are R's fisher.test(alternative = "less") from
// tests/reference/backtest_fisher.csv (make_backtest_reference.R).
#include "regress/analyses/backtest.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "regress/error.hpp"
#include "regress/model/frame.hpp"
#include "regress/model/predict.hpp"
#include "regress/reading/csv.hpp"
#include "support/files.hpp"
#include "support/text.hpp"

using namespace regress;

namespace {
design simulate(bool curved, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> xs(0, 10);
  std::normal_distribution<double> noise(0, 1);
  const int n = 4000;
  design d;
  d.terms = {"x"};
  d.x.resize(n, 1);
  d.y.resize(n);
  for (int i = 0; i < n; ++i) {
    const double x = xs(rng);
    d.x(i, 0) = x;
    d.y(i) = 1 + 2 * x + (curved ? 0.4 * x * x : 0.0) + noise(rng);
  }
  d.ranges.push_back({"x", d.x.col(0).minCoeff(), d.x.col(0).maxCoeff(), d.x.col(0).mean()});
  return d;
}
model_spec line_spec() {
  model_spec spec;
  spec.response = "y";
  spec.predictors = {"x"};
  return spec;
}
}  // namespace

TEST_CASE("a true line keeps nominal coverage outside the data", "[backtest]") {
  const backtest_result r = backtest(line_spec(), simulate(false, 11), backtest_options{});
  CHECK(r.extrapolation.n == 800);
  CHECK(r.control.n == 800);
  // Binomial standard error at n = 800 is 0.8%; allow four.
  CHECK(r.extrapolation.coverage == Approx(0.95).margin(0.032));
  CHECK(r.control.coverage == Approx(0.95).margin(0.032));
  REQUIRE(!r.bins.empty());
  CHECK(r.bins.front().distance_from == 0);
}

TEST_CASE("the backtest's verdict is R's one-sided Fisher's exact test of the two coverages",
          "[backtest]") {
  using test_support::lines_of;
  const auto lines = lines_of(
      test_support::read_file(test_support::repo_path("tests/reference/backtest_fisher.csv")));
  REQUIRE(lines.size() == 12);
  for (std::size_t i = 1; i < lines.size(); ++i) {
    const auto f = test_support::split(lines[i], ',');
    REQUIRE(f.size() == 6);
    INFO(lines[i]);
    const auto ne = std::stoul(f[0]), a = std::stoul(f[1]), nc = std::stoul(f[2]),
               c = std::stoul(f[3]);
    backtest_result r;
    r.level = 0.95;
    r.extrapolation = {ne, static_cast<double>(a) / static_cast<double>(ne), 1};
    r.control = {nc, static_cast<double>(c) / static_cast<double>(nc), 1};
    judge_backtest(r);
    // Boost's hypergeometric sums and R's dhyper agree to a few ulps; the
    // tiny ones (1e-240) to the relative accuracy of their lgamma terms.
    CHECK(r.p_value == Approx(std::stod(f[4])).epsilon(1e-12));
    CHECK(r.least_p_value == Approx(std::stod(f[5])).epsilon(1e-12));
    const backtest_verdict expected =
        !(std::stod(f[5]) < backtest_significance) ? backtest_verdict::too_few
        : std::stod(f[4]) < backtest_significance  ? backtest_verdict::breaks
                                                   : backtest_verdict::holds;
    CHECK(r.verdict == expected);
  }
  // The tables the sizes decide: mtcars -x wt (6 and 6 rows) can tell, 3 and
  // 3 cannot (even 0 of 3 against 3 of 3 gives exactly 1/20), 10 and 10 say
  // 4 of 10 against 10 of 10 breaks.
  backtest_result small;
  small.extrapolation = {3, 0, 1};
  small.control = {3, 1, 1};
  judge_backtest(small);
  CHECK(small.verdict == backtest_verdict::too_few);
  small.extrapolation = {10, 0.4, 1};
  small.control = {10, 1, 1};
  judge_backtest(small);
  CHECK(small.verdict == backtest_verdict::breaks);
  small.control.n = 0;
  judge_backtest(small);
  CHECK(small.verdict == backtest_verdict::no_comparison);
}

TEST_CASE("a curved truth collapses coverage outside but not inside", "[backtest]") {
  backtest_options o;
  o.side = holdout_side::upper;
  const backtest_result r = backtest(line_spec(), simulate(true, 12), o);
  CHECK(r.extrapolation.coverage < 0.5);
  CHECK(r.control.coverage > 0.85);  // the line is wrong inside too, but far less
  CHECK(r.extrapolation.mae > 2 * r.control.mae);
  // Farther bins do worse.
  REQUIRE(r.bins.size() >= 2);
  CHECK(r.bins.back().part.mae > r.bins.front().part.mae);
}

TEST_CASE("bad holdout fractions and tiny data are refused", "[backtest]") {
  backtest_options o;
  o.holdout = 1.5;
  CHECK_THROWS_AS(backtest(line_spec(), simulate(false, 1), o), usage_error);
  design tiny = simulate(false, 2);
  tiny.x.conservativeResize(4, 1);
  tiny.y.conservativeResize(4);
  CHECK_THROWS_AS(backtest(line_spec(), tiny, backtest_options{}), data_error);
}

namespace {
/// The cells of a shipped data set for a formula.
formula_rows shipped_rows(const std::string& path, const std::string& formula,
                          const std::string& weights = "") {
  std::ifstream in(path, std::ios::binary);
  csv_reader reader(in, csv_options{',', path});
  std::vector<std::string> header;
  reader.next(header);
  return read_formula_rows(reader, header, formula, weights);
}

bool close(double a, double b, double tol) {
  return std::abs(a - b) <= tol * std::max(1.0, std::max(std::abs(a), std::abs(b)));
}
}  // namespace

TEST_CASE("a backtest's fit from the records' one-pass statistics is the frame's fit",
          "[backtest][formula]") {
  // fit_records (the backtest's refits) against fit_formula(bind_frame(...)),
  // which the formula tests check against R: every third record left out, as
  // a backtest leaves out its held-out rows, and those predicted.
  struct example {
    std::string path, formula, weights;
  };
  const std::vector<example> examples = {
      {test_support::mtcars(), "mpg ~ wt + factor(cyl)", ""},
      {test_support::mtcars(), "mpg ~ wt * factor(am) + log(hp)", ""},
      {test_support::mtcars(), "mpg ~ poly(wt, 2) + qsec", ""},
      {test_support::mtcars(), "log(mpg) ~ I(wt^2) + disp", "hp"},
      {test_support::cars(), "dist ~ ns(speed, 3)", ""},  // the frame's own fit
      {test_support::repo_path("data/toothgrowth.csv"), "len ~ log(dose) * supp", ""},
  };
  for (const auto& e : examples) {
    INFO(e.formula);
    const formula_rows data = shipped_rows(e.path, e.formula, e.weights);
    std::vector<std::size_t> kept, held;
    for (std::size_t r = 0; r < data.records(); ++r) (r % 3 == 1 ? held : kept).push_back(r);
    const model a = fit_records(data, kept, 0.95);
    const model b = fit_formula(bind_frame(data, kept), 0.95);
    CHECK(a.fit.nobs == b.fit.nobs);
    CHECK(a.fit.df_residual == b.fit.df_residual);
    CHECK(close(double(a.fit.rss), double(b.fit.rss), 1e-12));
    REQUIRE(a.terms.has_value());
    CHECK(a.terms->columns.size() == b.terms->columns.size());
    for (std::size_t r : held) {
      const row_values row = record_values(*a.terms, data, r);
      const prediction pa = predict_row(a, row, interval_kind::prediction, 0.95);
      const prediction pb =
          predict_row(b, record_values(*b.terms, data, r), interval_kind::prediction, 0.95);
      CHECK(close(pa.fit, pb.fit, 1e-11));
      CHECK(close(pa.lwr, pb.lwr, 1e-11));
      CHECK(close(pa.upr, pb.upr, 1e-11));
    }
  }
}

TEST_CASE("a frame bound without its design keeps every other part", "[backtest][formula]") {
  const formula_rows data = shipped_rows(test_support::mtcars(), "mpg ~ wt * factor(cyl)");
  std::vector<std::size_t> all(data.records());
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
  const formula_frame full = bind_frame(data, all);
  const formula_frame light = bind_frame(data, all, false);
  CHECK(light.x.empty());
  CHECK(full.x.size() == full.rows() * full.p);
  CHECK(light.p == full.p);
  CHECK(light.row_numbers == full.row_numbers);
  CHECK(light.range_values == full.range_values);
  CHECK(light.row_cells == full.row_cells);
  REQUIRE(light.y.size() == full.y.size());
  for (std::size_t i = 0; i < full.y.size(); ++i) CHECK(double(light.y[i]) == double(full.y[i]));
}
