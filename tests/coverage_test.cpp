// Coverage by simulation, fixed seed: data drawn from a known line with normal
// noise; the nominal 95% intervals must cover 95% +- 0.6% (the binomial
// standard error at 20,000 draws is 0.15%, so this is four of them).
#include <random>

#include <catch2/catch.hpp>

#include "regress/predict.hpp"

using namespace regress;

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
      t.columns[1][static_cast<std::size_t>(i)] = a + b * t.columns[0][static_cast<std::size_t>(i)] +
                                                   noise(rng);
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
