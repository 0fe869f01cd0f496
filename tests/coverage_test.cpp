// Coverage by simulation, fixed seeds: data drawn from a known model with
// normal noise, fitted by the library (make_design, fit_model) and predicted
// at points chosen from the predictors alone (predict_one), so that a level-q
// interval covers with probability exactly q given the design.
//
// Tolerance: over N independent data sets the covered count is binomial, with
// standard error sqrt(q (1 - q) / N) on the covered fraction; every check
// allows four of them (two-sided, about 6e-5 per check if the library is
// right; the seeds are fixed, so the outcome is deterministic anyway).
//
// The simulation checks levels 50%, 80%, 90%, 95% and 99%, both
// intervals (prediction: of a fresh observation; confidence: of the true
// mean), at
//  - polynomials of degree 2 and 3 in one predictor (n = 20), at the mean of x
//    ("centre") and half a training span beyond the largest x ("beyond");
//  - 2 and 5 correlated predictors (n = 20), at the means, at a hidden
//    extrapolation ("hidden": 20% and 80% of alternate predictors' ranges,
//    inside every range but off the data cloud) and half a span beyond every
//    predictor's largest value;
//  - n = p + 3 (three residual degrees of freedom: a cubic, 2 and 5
//    predictors; centre and beyond), where the t quantile is far from the
//    normal one. The controls there (the normal quantile, and the residual
//    degrees of freedom taken as n - 1) under-cover by more than the
//    tolerance: the checks can fail.
// N is 4,000 data sets per case (4 SE is 3.2% at 50%, 2.5% at 80%, 1.9% at
// 90%, 1.4% at 95%, 0.63% at 99%): the file runs in about 8 s in the Debug
// (dev) build. The foundation's 95% case, at the end, uses 20,000 data sets
// (4 SE = 0.6%) and one predictor.
#include <array>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <iomanip>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "regress/model/distributions.hpp"
#include "regress/model/predict.hpp"

using namespace regress;

namespace {

constexpr std::array<double, 5> levels = {0.5, 0.8, 0.9, 0.95, 0.99};
/// z_{(1+q)/2} for each level above (the normal quantile of the control).
constexpr std::array<double, 5> normal_quantiles = {0.6744897501960817, 1.2815515655446004,
                                                    1.6448536269514722, 1.9599639845400540,
                                                    2.5758293035489004};
constexpr std::size_t n_levels = levels.size();

/// Four binomial standard errors of a covered fraction at level q over N.
double tolerance(double q, int datasets) { return 4 * std::sqrt(q * (1 - q) / datasets); }

std::string percent(double q) { return std::to_string(std::lround(100 * q)) + "%"; }

enum class place { centre, hidden, beyond };

const char* name_of(place p) {
  switch (p) {
    case place::centre:
      return "centre";
    case place::hidden:
      return "hidden";  // inside every range, off the data cloud
    case place::beyond:
      return "beyond";  // half a span beyond every max
  }
  return "?";
}

struct scenario {
  std::string name;
  std::size_t predictors = 1;  ///< k; several only with degree 1
  int degree = 1;
  std::size_t n = 0;
  int datasets = 4000;
  std::uint64_t seed = 0;
  std::vector<place> places;
};

struct tally {
  place where = place::centre;
  region expected = region::inside;
  int in_region = 0;  ///< data sets where predict_one put the point in `expected`
  std::array<int, n_levels> prediction{}, confidence{};
  /// Controls: the prediction interval with the normal quantile for t's, and
  /// with the residual degrees of freedom taken as n - 1 (sigma and t both).
  std::array<int, n_levels> normal{}, wrong_df{};
};

// True models. One predictor: a polynomial of the scenario's degree in x drawn
// uniformly on [0, 10]. Several: x_j = offset_j + scale_j (f + 0.4 e_j) with
// f, e_j standard normal (correlation 0.86 between any two, so a point at the
// 20% of one range and the 80% of the next is well off the cloud), and
// y = 3 + sum_j beta_j x_j.
constexpr std::array<double, 4> poly = {2, 0.8, -0.15, 0.012};
constexpr std::array<double, 5> offset = {0, 10, -5, 100, 1};
constexpr std::array<double, 5> scale = {1, 3, 0.5, 20, 2};
constexpr std::array<double, 5> beta = {1.5, -0.7, 2, 0.05, 0.3};
constexpr double noise_sd = 1.5;

double truth(const scenario& s, const double* x) {
  double y = 0;
  if (s.predictors == 1) {
    double power = 1;
    for (std::size_t j = 0; j <= static_cast<std::size_t>(s.degree); ++j, power *= x[0]) {
      y += poly[j] * power;
    }
    return y;
  }
  y = 3;
  for (std::size_t j = 0; j < s.predictors; ++j) y += beta[j] * x[j];
  return y;
}

std::vector<double> point_at(const model& m, place where) {
  std::vector<double> x(m.ranges.size());
  for (std::size_t j = 0; j < x.size(); ++j) {
    const predictor_range& r = m.ranges[j];
    const double span = r.max - r.min;
    switch (where) {
      case place::centre:
        x[j] = r.mean;
        break;
      case place::hidden:
        x[j] = r.min + (j % 2 == 0 ? 0.2 : 0.8) * span;
        break;
      case place::beyond:
        x[j] = r.max + 0.5 * span;
        break;
    }
  }
  return x;
}

region expected_region(const scenario& s, place where) {
  switch (where) {
    case place::centre:
      return region::inside;
    case place::hidden:
      return region::hidden;
    case place::beyond:
      return s.predictors == 1 ? region::above : region::outside;
  }
  return region::inside;
}

std::vector<tally> simulate(const scenario& s) {
  std::mt19937_64 rng(s.seed);
  std::normal_distribution<double> z;
  std::uniform_real_distribution<double> u(0, 10);

  model_spec spec;
  spec.response = "y";
  spec.degree = s.degree;
  table t;
  for (std::size_t j = 0; j < s.predictors; ++j) {
    spec.predictors.push_back("x" + std::to_string(j + 1));
    t.names.push_back(spec.predictors.back());
  }
  t.names.push_back("y");
  t.columns.assign(s.predictors + 1, std::vector<double>(s.n));
  t.lines.assign(s.n, 0);

  const double p = static_cast<double>(s.predictors) + s.degree;  // with the intercept
  const double df = static_cast<double>(s.n) - p, naive_df = static_cast<double>(s.n) - 1;
  std::array<double, n_levels> t_right{}, t_naive{};
  for (std::size_t i = 0; i < n_levels; ++i) {
    t_right[i] = critical_t(df, levels[i]);
    t_naive[i] = critical_t(naive_df, levels[i]);
  }

  std::vector<tally> tallies;
  for (place where : s.places) tallies.push_back(tally{where, expected_region(s, where)});

  // Draw and fit every data set first, with its points and their draws, then
  // predict level by level: predict_one's t quantile is computed once per
  // level (critical_t keeps the last one) rather than once per call.
  struct target {
    std::vector<double> x0;
    double mean;      ///< the true mean response at x0
    double observed;  ///< a fresh observation there
  };
  std::vector<model> models;
  std::vector<std::vector<target>> targets;
  models.reserve(static_cast<std::size_t>(s.datasets));
  targets.reserve(static_cast<std::size_t>(s.datasets));
  std::vector<double> x(s.predictors);
  for (int d = 0; d < s.datasets; ++d) {
    for (std::size_t i = 0; i < s.n; ++i) {
      if (s.predictors == 1) {
        x[0] = u(rng);
      } else {
        const double f = z(rng);
        for (std::size_t j = 0; j < s.predictors; ++j) {
          x[j] = offset[j] + scale[j] * (f + 0.4 * z(rng));
        }
      }
      for (std::size_t j = 0; j < s.predictors; ++j) t.columns[j][i] = x[j];
      t.columns[s.predictors][i] = truth(s, x.data()) + noise_sd * z(rng);
    }
    models.push_back(fit_model(spec, make_design(spec, t)));
    targets.emplace_back();
    for (const tally& c : tallies) {
      target g{point_at(models.back(), c.where), 0, 0};
      g.mean = truth(s, g.x0.data());
      g.observed = g.mean + noise_sd * z(rng);
      targets.back().push_back(std::move(g));
    }
  }
  REQUIRE(models.front().fit.df_residual == df);

  for (std::size_t i = 0; i < n_levels; ++i) {
    for (std::size_t d = 0; d < models.size(); ++d) {
      for (std::size_t c = 0; c < tallies.size(); ++c) {
        tally& tl = tallies[c];
        const target& g = targets[d][c];
        const model& m = models[d];
        const prediction pi = predict_one(m, g.x0.data(), interval_kind::prediction, levels[i]);
        const prediction ci = predict_one(m, g.x0.data(), interval_kind::confidence, levels[i]);
        if (i == 0) tl.in_region += pi.where == tl.expected;
        tl.prediction[i] += pi.lwr <= g.observed && g.observed <= pi.upr;
        tl.confidence[i] += ci.lwr <= g.mean && g.mean <= ci.upr;
        const double half = (pi.upr - pi.lwr) / 2, error = std::abs(g.observed - pi.fit);
        tl.normal[i] += error <= half / t_right[i] * normal_quantiles[i];
        tl.wrong_df[i] += error <= half / t_right[i] * t_naive[i] * std::sqrt(df / naive_df);
      }
    }
  }
  return tallies;
}

/// Every level, both intervals, every point: covered within tolerance. And
/// each point lies where it was meant to (the hidden one at least 95% of the
/// time: its leverage is compared with the largest training leverage).
void check_nominal(const scenario& s, const std::vector<tally>& tallies) {
  const int N = s.datasets;
  for (const tally& c : tallies) {
    {
      INFO(s.name << ", " << name_of(c.where) << ": " << to_string(c.expected) << " in "
                  << c.in_region << " of " << N);
      if (c.where == place::hidden) {
        CHECK(c.in_region >= 0.95 * N);
      } else {
        CHECK(c.in_region == N);
      }
    }
    for (std::size_t i = 0; i < n_levels; ++i) {
      const double q = levels[i], tol = tolerance(q, N);
      const double pred = c.prediction[i] / double(N), conf = c.confidence[i] / double(N);
      INFO(s.name << ", " << name_of(c.where) << ", " << percent(q) << std::fixed
                  << std::setprecision(4) << ": pred " << pred << ", conf " << conf << " (4 SE "
                  << tol << ")");
      CHECK(std::abs(pred - q) <= tol);
      CHECK(std::abs(conf - q) <= tol);
    }
  }
}

}  // namespace

TEST_CASE(
    "intervals cover at five levels for quadratics and cubics, at the centre and half a "
    "span out",
    "[coverage]") {
  for (int degree : {2, 3}) {
    scenario s;
    s.name = "degree " + std::to_string(degree) + ", n 20";
    s.degree = degree;
    s.n = 20;
    s.seed = 20260502 + static_cast<std::uint64_t>(degree);
    s.places = {place::centre, place::beyond};
    check_nominal(s, simulate(s));
  }
}

TEST_CASE(
    "intervals cover at five levels with 2 and 5 predictors, at the centre, a hidden "
    "extrapolation and outside the ranges",
    "[coverage]") {
  for (std::size_t k : {std::size_t{2}, std::size_t{5}}) {
    scenario s;
    s.name = std::to_string(k) + " predictors, n 20";
    s.predictors = k;
    s.n = 20;
    s.seed = 20260510 + k;
    s.places = {place::centre, place::hidden, place::beyond};
    check_nominal(s, simulate(s));
  }
}

TEST_CASE(
    "at n = p + 3 the t intervals cover; normal quantiles or n - 1 degrees of freedom "
    "would not",
    "[coverage]") {
  struct small {
    std::size_t k;
    int degree;
  };
  for (small shape : {small{1, 3}, small{2, 1}, small{5, 1}}) {
    scenario s;
    s.predictors = shape.k;
    s.degree = shape.degree;
    s.n = shape.k + static_cast<std::size_t>(shape.degree) + 3;  // p + 3
    s.name = (shape.k == 1 ? "degree " + std::to_string(shape.degree)
                           : std::to_string(shape.k) + " predictors") +
             ", n " + std::to_string(s.n);
    s.seed = 20260520 + s.n;
    s.places = {place::centre, place::beyond};
    const std::vector<tally> tallies = simulate(s);
    check_nominal(s, tallies);
    // The controls: the same prediction intervals with the normal quantile,
    // or with n - 1 residual degrees of freedom (sigma and t), under-cover by
    // more than the tolerance. At 3 df the normal quantile covers 45.2% at
    // 50% (so 6 SE short, but only 2 SE beyond the tolerance: there it need
    // only fall short of 50%), 71% at 80%, 80.5% at 90%, 86% at 95% and 92% at
    // 99%.
    for (const tally& c : tallies) {
      for (std::size_t i = 0; i < n_levels; ++i) {
        const double q = levels[i];
        const double bound = q - (q < 0.8 ? 0 : tolerance(q, s.datasets));
        const double normal = c.normal[i] / double(s.datasets);
        const double wrong_df = c.wrong_df[i] / double(s.datasets);
        INFO(s.name << ", " << name_of(c.where) << ", " << percent(q) << std::fixed
                    << std::setprecision(4) << ": z " << normal << ", n-1 df " << wrong_df << " (< "
                    << bound << ")");
        CHECK(normal < bound);
        CHECK(wrong_df < bound);
      }
    }
  }
}

TEST_CASE("95% intervals cover 95% at the centre and three spans outside", "[coverage]") {
  constexpr int datasets = 20000;
  constexpr int n = 15;
  constexpr double a = 2, b = 0.5, sd = 1.5;
  std::mt19937_64 rng(20261126);
  std::normal_distribution<double> noise(0, sd);
  std::uniform_real_distribution<double> xs(0, 10);

  model_spec spec;
  spec.response = "y";
  spec.predictors = {"x"};
  table t;
  t.names = {"x", "y"};
  t.columns.assign(2, std::vector<double>(n));
  t.lines.assign(n, 0);

  int pred_centre = 0, pred_far = 0, conf_centre = 0, conf_far = 0;
  for (int d = 0; d < datasets; ++d) {
    for (int i = 0; i < n; ++i) {
      t.columns[0][static_cast<std::size_t>(i)] = xs(rng);
      t.columns[1][static_cast<std::size_t>(i)] =
          a + b * t.columns[0][static_cast<std::size_t>(i)] + noise(rng);
    }
    const model m = fit_model(spec, make_design(spec, t));
    const double centre = m.ranges[0].mean;
    const double far = m.ranges[0].max + 3 * (m.ranges[0].max - m.ranges[0].min);
    for (double x0 : {centre, far}) {
      const double truth = a + b * x0;
      const double observed = truth + noise(rng);
      const prediction p = predict_one(m, &x0, interval_kind::prediction, 0.95);
      const prediction c = predict_one(m, &x0, interval_kind::confidence, 0.95);
      const bool p_ok = p.lwr <= observed && observed <= p.upr;
      const bool c_ok = c.lwr <= truth && truth <= c.upr;
      (x0 == centre ? pred_centre : pred_far) += p_ok;
      (x0 == centre ? conf_centre : conf_far) += c_ok;
    }
  }
  const double tolerance = 0.006;
  INFO("prediction: centre " << pred_centre << ", far " << pred_far << "; confidence: centre "
                             << conf_centre << ", far " << conf_far << " of " << datasets);
  CHECK(pred_centre / double(datasets) == Approx(0.95).margin(tolerance));
  CHECK(pred_far / double(datasets) == Approx(0.95).margin(tolerance));
  CHECK(conf_centre / double(datasets) == Approx(0.95).margin(tolerance));
  CHECK(conf_far / double(datasets) == Approx(0.95).margin(tolerance));
}

TEST_CASE("intervals that ignore the leverage under-cover far outside", "[coverage]") {
  // The control that shows the test can fail: a fixed-width interval (the one
  // at the centre) applied three spans out covers far less than 95%.
  std::mt19937_64 rng(7);
  std::normal_distribution<double> noise(0, 1);
  model_spec spec;
  spec.response = "y";
  spec.predictors = {"x"};
  table t;
  t.names = {"x", "y"};
  t.columns.assign(2, std::vector<double>(15));
  t.lines.assign(15, 0);
  int covered = 0;
  constexpr int datasets = 2000;
  for (int d = 0; d < datasets; ++d) {
    for (std::size_t i = 0; i < 15; ++i) {
      t.columns[0][i] = static_cast<double>(i);
      t.columns[1][i] = 1 + 0.5 * static_cast<double>(i) + noise(rng);
    }
    const model m = fit_model(spec, make_design(spec, t));
    double centre = 7, far = 14 + 3 * 14;
    const prediction pc = predict_one(m, &centre, interval_kind::prediction, 0.95);
    const prediction pf = predict_one(m, &far, interval_kind::prediction, 0.95);
    const double half = (pc.upr - pc.lwr) / 2;
    const double observed = 1 + 0.5 * far + noise(rng);
    covered += std::abs(observed - pf.fit) <= half;
  }
  CHECK(covered / double(datasets) < 0.85);
}
