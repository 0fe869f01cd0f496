#include "regress/model/predict.hpp"

#include <catch2/catch.hpp>
#include <cmath>

#include "regress/model/summary.hpp"
#include "support/fit.hpp"

using namespace regress;

TEST_CASE("a straight line's leverage and intervals match the textbook formulas", "[predict]") {
  // x = 1..10, y = 2x + small alternating noise: closed forms below.
  std::vector<double> x, y;
  for (int i = 1; i <= 10; ++i) {
    x.push_back(i);
    y.push_back(2 * i + (i % 2 ? 0.5 : -0.5));
  }
  const model m = test::fit_columns({x, y}, {"x", "y"});
  const double n = 10, xbar = 5.5, sxx = 82.5;
  const double s = std::sqrt(double(m.fit.rss) / 8);
  for (double x0 : {5.5, 1.0, 10.0, 40.0, -30.0}) {
    const prediction p = predict_one(m, &x0, interval_kind::prediction, 0.95);
    const double h = 1 / n + (x0 - xbar) * (x0 - xbar) / sxx;
    CHECK(p.leverage == Approx(h).epsilon(1e-13));
    CHECK(p.se_fit == Approx(s * std::sqrt(h)).epsilon(1e-13));
    // qt(0.975, 8) = 2.306004135204166 (R 4.2)
    CHECK(p.upr - p.fit == Approx(2.306004135204166 * s * std::sqrt(1 + h)).epsilon(1e-12));
    const prediction c = predict_one(m, &x0, interval_kind::confidence, 0.95);
    CHECK(c.upr - c.fit == Approx(2.306004135204166 * s * std::sqrt(h)).epsilon(1e-12));
  }
  double below = 0, inside = 3, above = 11;
  CHECK(predict_one(m, &below, interval_kind::prediction, 0.95).where == region::below);
  CHECK(predict_one(m, &inside, interval_kind::prediction, 0.95).where == region::inside);
  CHECK(predict_one(m, &above, interval_kind::prediction, 0.95).where == region::above);
  // Widening is 1 at the mean and grows away from it.
  CHECK(widening(1 / n, 1 / n) == Approx(1));
  CHECK(widening(0.5, 1 / n) > 1);
}

TEST_CASE("a point inside every range but off the data is hidden extrapolation", "[predict]") {
  // Two strongly correlated predictors: (1,1), (2,2), ... with small wiggles.
  std::vector<double> a, b, y;
  for (int i = 1; i <= 20; ++i) {
    a.push_back(i);
    b.push_back(i + (i % 3 == 0 ? 0.3 : -0.1));
    y.push_back(1 + a.back() + 2 * b.back() + (i % 2 ? 0.2 : -0.2));
  }
  const model m = test::fit_columns({a, b, y}, {"a", "b", "y"});
  const double on_data[] = {10, 10};
  const double off_data[] = {1, 19.5};  // both inside their ranges
  const double outside[] = {25, 10};
  CHECK(predict_one(m, on_data, interval_kind::prediction, 0.95).where == region::inside);
  const prediction hidden = predict_one(m, off_data, interval_kind::prediction, 0.95);
  CHECK(hidden.where == region::hidden);
  CHECK(hidden.leverage > m.max_leverage);
  CHECK(predict_one(m, outside, interval_kind::prediction, 0.95).where == region::outside);
}

TEST_CASE("the extrapolation tally reports distance in training spans", "[predict]") {
  std::vector<double> x{0, 1, 2, 3, 4, 5, 6, 7, 8, 10}, y{1, 3, 5, 7, 9, 11, 13, 15, 17, 21.5};
  const model m = test::fit_columns({x, y}, {"x", "y"});
  extrapolation_tally tally;
  for (double x0 : {5.0, 30.0, -5.0}) {
    tally.add(m, &x0, predict_one(m, &x0, interval_kind::prediction, 0.95));
  }
  CHECK(tally.rows == 3);
  CHECK(tally.extrapolated == 2);
  CHECK(tally.max_distance == Approx(2.0));  // 30 is 20 beyond 10, span 10
  CHECK(tally.max_widening > 1);
  CHECK(tally.widening_at_farthest == Approx(tally.max_widening));  // 30 is farther than -5
  CHECK_THAT(tally.message(), Catch::Contains("2 training spans"));
}
