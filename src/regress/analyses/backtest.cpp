#include "regress/analyses/backtest.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>

#include "regress/error.hpp"
#include "regress/model/model.hpp"
#include "regress/model/predict.hpp"

namespace regress {
namespace {

design subset(const design& d, const std::vector<std::size_t>& rows) {
  design s;
  s.terms = d.terms;
  const auto n = static_cast<Eigen::Index>(rows.size());
  s.x.resize(n, d.x.cols());
  s.y.resize(n);
  s.x_low = Eigen::MatrixXd::Zero(n, d.x.cols());
  s.y_low = Eigen::VectorXd::Zero(n);
  const bool low = d.x_low.rows() == d.x.rows();
  for (Eigen::Index r = 0; r < n; ++r) {
    const auto i = static_cast<Eigen::Index>(rows[static_cast<std::size_t>(r)]);
    s.x.row(r) = d.x.row(i);
    s.y(r) = d.y(i);
    if (low) {
      s.x_low.row(r) = d.x_low.row(i);
      s.y_low(r) = d.y_low(i);
    }
  }
  for (Eigen::Index c = 0; c < s.x.cols(); ++c) {
    predictor_range pr;
    pr.name = d.ranges.at(static_cast<std::size_t>(c)).name;
    pr.min = s.x.col(c).minCoeff();
    pr.max = s.x.col(c).maxCoeff();
    pr.mean = s.x.col(c).mean();
    s.ranges.push_back(pr);
  }
  return s;
}

struct scorer {
  backtest_part part;
  void add(bool covered, double error) {
    ++part.n;
    part.coverage += covered ? 1 : 0;
    part.mae += std::abs(error);
  }
  backtest_part done() const {
    backtest_part p = part;
    if (p.n > 0) {
      p.coverage /= static_cast<double>(p.n);
      p.mae /= static_cast<double>(p.n);
    } else {
      p.coverage = p.mae = std::numeric_limits<double>::quiet_NaN();
    }
    return p;
  }
};

/// Fits on `train` and scores `test`; calls `each(row, distance, covered, error)`.
template <class F>
void score(const model_spec& spec, const design& d, const std::vector<std::size_t>& train,
           const std::vector<std::size_t>& test, std::size_t along, F each) {
  const design t = subset(d, train);
  const model m = fit_model(spec, t);
  const auto& r = m.ranges[along];
  const double span = r.max - r.min;
  std::vector<double> values(static_cast<std::size_t>(d.x.cols()));
  for (std::size_t i : test) {
    for (std::size_t j = 0; j < values.size(); ++j) {
      values[j] = d.x(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j));
    }
    const prediction p = predict_one(m, values.data(), interval_kind::prediction, spec.level);
    const double y = d.y(static_cast<Eigen::Index>(i));
    const double x = values[along];
    const double beyond = std::max({r.min - x, x - r.max, 0.0});
    each(beyond / span, p.lwr <= y && y <= p.upr, y - p.fit);
  }
}
}  // namespace

backtest_split split_for_backtest(const model_spec& spec, const design& d,
                                  const backtest_options& o) {
  if (!(o.holdout > 0 && o.holdout <= 0.5)) {
    throw usage_error(
        "the holdout fraction must be above 0 and at most 0.5 (the control draws as many "
        "rows again from inside the range)");
  }
  backtest_split s;
  s.rows = static_cast<std::size_t>(d.y.size());
  s.held = static_cast<std::size_t>(std::lround(o.holdout * static_cast<double>(s.rows)));
  s.held = std::max<std::size_t>(s.held, o.side == holdout_side::both ? 2 : 1);
  s.parameters = d.terms.size() + (spec.intercept ? 1 : 0);
  return s;
}

backtest_result backtest(const model_spec& spec, const design& d, const backtest_options& o) {
  const backtest_split split = split_for_backtest(spec, d, o);
  const std::size_t n = split.rows;
  const std::size_t held = split.held;
  // The extremes are held out, then as many inner rows for the control: both
  // fits need more rows than parameters.
  if (!split.enough()) {
    throw data_error("too few rows to backtest: " + std::to_string(n) + " rows, " +
                     std::to_string(held) + " held out, and the fit needs more than " +
                     std::to_string(split.parameters + 1) +
                     "; hold out a smaller fraction or use more data");
  }
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  const auto col = static_cast<Eigen::Index>(o.along);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return d.x(static_cast<Eigen::Index>(a), col) < d.x(static_cast<Eigen::Index>(b), col);
  });
  const std::size_t low = o.side == holdout_side::upper   ? 0
                          : o.side == holdout_side::lower ? held
                                                          : held / 2;
  const std::size_t high = held - low;
  std::vector<std::size_t> inner(order.begin() + static_cast<std::ptrdiff_t>(low),
                                 order.end() - static_cast<std::ptrdiff_t>(high));
  std::vector<std::size_t> outer(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(low));
  outer.insert(outer.end(), order.end() - static_cast<std::ptrdiff_t>(high), order.end());

  backtest_result result;
  result.level = spec.level;
  static const double edges[] = {0, 0.1, 0.25, 0.5, 1, 2, std::numeric_limits<double>::infinity()};
  constexpr std::size_t bins = sizeof edges / sizeof edges[0] - 1;
  std::vector<scorer> by_bin(bins);
  scorer outside;
  score(spec, d, inner, outer, o.along, [&](double distance, bool covered, double error) {
    outside.add(covered, error);
    std::size_t b = 0;
    while (b + 1 < bins && distance >= edges[b + 1]) ++b;
    by_bin[b].add(covered, error);
  });
  result.extrapolation = outside.done();
  for (std::size_t b = 0; b < bins; ++b) {
    if (by_bin[b].part.n > 0) result.bins.push_back({edges[b], edges[b + 1], by_bin[b].done()});
  }

  // Control: the same number of rows drawn at random from the inner rows, the
  // fit made on every other row, so each held-out row lies inside the range.
  std::mt19937_64 rng(o.seed);
  std::vector<std::size_t> shuffled = inner;
  std::shuffle(shuffled.begin(), shuffled.end(), rng);
  std::vector<std::size_t> test(shuffled.begin(),
                                shuffled.begin() + static_cast<std::ptrdiff_t>(held));
  std::vector<std::size_t> train(shuffled.begin() + static_cast<std::ptrdiff_t>(held),
                                 shuffled.end());
  train.insert(train.end(), outer.begin(), outer.end());
  scorer control;
  score(spec, d, train, test, o.along,
        [&](double, bool covered, double error) { control.add(covered, error); });
  result.control = control.done();
  return result;
}

}  // namespace regress
