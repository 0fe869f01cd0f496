// Backtests on simulated data with a fixed seed: when the truth is a line the
// held-out extremes are covered at about the nominal rate; when the truth
// curves, coverage collapses outside while the in-range control stays nominal.
#include "regress/analyses/backtest.hpp"

#include <catch2/catch.hpp>
#include <random>

#include "regress/error.hpp"

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
