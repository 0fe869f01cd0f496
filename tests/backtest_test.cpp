// Backtests on simulated data with a fixed seed: when the truth is a line the
// held-out extremes are covered at about the nominal rate; when the truth
// curves, coverage collapses outside while the in-range control stays nominal.
// The verdict's p-values are R's fisher.test(alternative = "less") from
// tests/reference/backtest_fisher.csv (make_backtest_reference.R).
#include "regress/analyses/backtest.hpp"

#include <catch2/catch.hpp>
#include <random>
#include <string>
#include <vector>

#include "regress/error.hpp"
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
