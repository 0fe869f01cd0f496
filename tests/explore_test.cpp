#include "regress/analyses/explore.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <random>
#include <string>

#include "regress/error.hpp"
#include "support/fit.hpp"

using namespace regress;

namespace {

struct line_data {
  std::vector<double> x, y;
  double xbar = 0, sxx = 0;
};

line_data twenty_points() {
  line_data d;
  for (int i = 0; i < 20; ++i) {
    d.x.push_back(1 + 0.5 * i + (i % 3) * 0.1);
    d.y.push_back(3 + 2 * d.x.back() + std::sin(7.0 * i));
  }
  for (double v : d.x) d.xbar += v / 20;
  for (double v : d.x) d.sxx += (v - d.xbar) * (v - d.xbar);
  return d;
}
}  // namespace

TEST_CASE("widening is 1 at the mean of a line and grows monotonically away", "[explore]") {
  const line_data d = twenty_points();
  const model m = test::fit_columns({d.x, d.y}, {"x", "y"});
  const sweep_line line = line_at_means(m, 0);
  const double narrowest = narrowest_leverage(m, line);
  CHECK(narrowest == Approx(1.0 / 20).epsilon(1e-12));
  CHECK(sweep_at(m, line, d.xbar, 0.95, narrowest).widening == Approx(1).epsilon(1e-12));
  const auto rows = sweep(m, line, d.xbar - 30, d.xbar + 30, 301, 0.95);
  for (std::size_t i = 1; i < rows.size(); ++i) {
    if (rows[i].x > d.xbar) {
      CHECK(rows[i].widening > rows[i - 1].widening);
    } else if (rows[i].x < d.xbar) {
      CHECK(rows[i].widening < rows[i - 1].widening);
    }
    CHECK(rows[i].widening >= 1 - 1e-12);
  }
  // Distance is 0 inside and counts training spans outside.
  const auto& r = m.ranges[0];
  const double span = r.max - r.min;
  CHECK(sweep_at(m, line, r.max + 2 * span, 0.95, narrowest).distance == Approx(2));
  CHECK(sweep_at(m, line, r.min, 0.95, narrowest).distance == 0);
}

TEST_CASE("the trust range of a line matches the closed form", "[explore]") {
  // For y = b0 + b1 x: h(x) = 1/n + (x - xbar)^2 / Sxx, so widening <= R holds
  // for |x - xbar| <= sqrt(Sxx (R^2 - 1)(1 + 1/n)), and half-width <= H for
  // |x - xbar| <= sqrt(Sxx ((H / (t s))^2 - 1 - 1/n)).
  const line_data d = twenty_points();
  const model m = test::fit_columns({d.x, d.y}, {"x", "y"});
  const sweep_line line = line_at_means(m, 0);
  const double n = 20;
  trust_bounds widening;
  widening.max_widening = 1.5;
  const trust_range t = solve_trust(m, line, widening, 0.95);
  const double reach = std::sqrt(d.sxx * (1.5 * 1.5 - 1) * (1 + 1 / n));
  CHECK(t.lower == Approx(d.xbar - reach).epsilon(1e-12));
  CHECK(t.upper == Approx(d.xbar + reach).epsilon(1e-12));

  const double s = std::sqrt(double(m.fit.rss) / 18);
  const double tq = 2.1009220402410382;  // R 4.2: qt(0.975, 18)
  trust_bounds half;
  half.max_halfwidth = 3 * tq * s;
  const trust_range th = solve_trust(m, line, half, 0.95);
  const double reach_h = std::sqrt(d.sxx * (9 - 1 - 1 / n));
  CHECK(th.lower == Approx(d.xbar - reach_h).epsilon(1e-10));
  CHECK(th.upper == Approx(d.xbar + reach_h).epsilon(1e-10));

  trust_bounds both = widening;
  both.max_halfwidth = half.max_halfwidth;
  const trust_range tb = solve_trust(m, line, both, 0.95);
  CHECK(tb.upper == Approx(std::min(t.upper, th.upper)).epsilon(1e-12));

  trust_bounds impossible;
  impossible.max_halfwidth = 0.5 * tq * s;  // narrower than the narrowest interval
  CHECK(solve_trust(m, line, impossible, 0.95).empty);
  CHECK_THROWS_AS(solve_trust(m, line, trust_bounds{}, 0.95), usage_error);
}

TEST_CASE("the trust range of a polynomial is found numerically to the bound", "[explore]") {
  line_data d = twenty_points();
  for (std::size_t i = 0; i < d.y.size(); ++i) d.y[i] += 0.3 * d.x[i] * d.x[i];
  const model m = test::fit_columns({d.x, d.y}, {"x", "y"}, 2);
  const sweep_line line = line_at_means(m, 0);
  trust_bounds b;
  b.max_widening = 2;
  const trust_range t = solve_trust(m, line, b, 0.95);
  REQUIRE(!t.empty);
  const double narrowest = narrowest_leverage(m, line);
  CHECK(sweep_at(m, line, t.lower, 0.95, narrowest).widening == Approx(2).epsilon(1e-9));
  CHECK(sweep_at(m, line, t.upper, 0.95, narrowest).widening == Approx(2).epsilon(1e-9));
  CHECK(sweep_at(m, line, (t.lower + t.upper) / 2, 0.95, narrowest).widening < 2);
  CHECK(t.lower < m.ranges[0].min);
  CHECK(t.upper > m.ranges[0].max);
}

TEST_CASE("a sweep with another predictor held off the data shows hidden extrapolation",
          "[explore]") {
  std::vector<double> a, b, y;
  for (int i = 1; i <= 30; ++i) {
    a.push_back(i);
    b.push_back(i + (i % 4 == 0 ? 0.5 : -0.2));
    y.push_back(1 + a.back() - b.back() + 0.1 * std::cos(i));
  }
  const model m = test::fit_columns({a, b, y}, {"a", "b", "y"});
  sweep_line line = line_at_means(m, 0);
  line.hold[1] = 28;  // b near its top, inside its range
  const auto rows = sweep(m, line, 1, 30, 59, 0.95);
  int hidden = 0;
  for (const auto& r : rows) {
    hidden += r.where == region::hidden;
    if (r.where == region::hidden) CHECK(r.leverage_ratio > 1);
  }
  CHECK(hidden > 0);
  for (const auto& r : rows) {
    if (r.x == 28) CHECK(r.where == region::inside);  // a = 28, b = 28: on the data
  }
}

TEST_CASE("models that agree inside the data disagree outside it", "[explore]") {
  std::vector<double> x, y;
  for (int i = 0; i <= 40; ++i) {
    x.push_back(i * 0.25);
    y.push_back(2 + x.back() + 0.01 * x.back() * x.back() + 0.2 * std::sin(3.0 * i));
  }
  const model line = test::fit_columns({x, y}, {"x", "y"}, 1);
  const model quad = test::fit_columns({x, y}, {"x", "y"}, 2);
  const auto a = sweep(line, line_at_means(line, 0), -30, 40, 141, 0.95);
  const auto b = sweep(quad, line_at_means(quad, 0), -30, 40, 141, 0.95);
  const disagreement d = compare_models("degree 1", a, "degree 2", b);
  REQUIRE(!d.where.empty());
  for (const auto& [from, to] : d.where) {
    CHECK((to < 0 || from > 10));  // only outside the data [0, 10]
  }
}

/// The decimal (whole / 1000) as text, e.g. -15395 -> "-15.395": its
/// nearest double is what a user who wrote it expects.
static std::string thousandths(long long whole) {
  const long long a = whole < 0 ? -whole : whole;
  std::string frac = std::to_string(a % 1000);
  frac.insert(0, 3 - frac.size(), '0');
  return (whole < 0 ? "-" : "") + std::to_string(a / 1000) + "." + frac;
}

TEST_CASE("evenly spaced values from decimal ends are the decimals, the last exactly the end",
          "[explore]") {
  // cars' default sweep runs a span beyond each end; these ends step by 0.305.
  const double from = -15.7, to = 45.3;
  const std::size_t count = 201;
  const double scale = decimal_scale(from, to, count - 1);
  CHECK(scale == 1000);
  for (std::size_t i = 0; i < count; ++i) {
    const long long whole = -15700 + 305 * static_cast<long long>(i);
    INFO(i);
    CHECK(evenly_spaced(from, to, count, i, scale) == std::stod(thousandths(whole)));
  }
  CHECK(evenly_spaced(from, to, count, count - 1, scale) == to);
  // No decimal scale fits a third: the plain formula, still ending at `to`.
  CHECK(decimal_scale(0, 1, 3) == 0);
  CHECK(evenly_spaced(0, 1, 4, 1, 0) == 1.0 / 3);
  CHECK(evenly_spaced(0, 1, 4, 3, 0) == 1);
  // The sweep uses them.
  const model m = test::fit_columns({{1, 2, 3, 4}, {1.1, 1.9, 3.2, 3.9}}, {"x", "y"});
  const auto s = sweep(m, line_at_means(m, 0), from, to, count, 0.95);
  CHECK(s[1].x == -15.395);
}
