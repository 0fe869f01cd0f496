#include "regress/analyses/backtest.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <numeric>
#include <random>
#include <string>

#include "regress/error.hpp"
#include "regress/model/distributions.hpp"
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
  void add(const prediction& p, double y) {
    if (p.where == region::new_level) {
      ++part.new_level;
      return;
    }
    ++part.n;
    part.coverage += p.lwr <= y && y <= p.upr ? 1 : 0;
    part.mae += std::abs(y - p.fit);
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

/// Scores a held-out row: its distance beyond the fit's range (in its
/// spans), its prediction and its response.
using score_row = std::function<void(double, const prediction&, double)>;
/// Fits on the rows `train` and scores the rows `test`.
using score_rows = std::function<void(const std::vector<std::size_t>& train,
                                      const std::vector<std::size_t>& test, const score_row&)>;

/// Fits on `train` and scores `test` (a -y/-x model).
void score(const model_spec& spec, const design& d, const std::vector<std::size_t>& train,
           const std::vector<std::size_t>& test, std::size_t along, const score_row& each) {
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
    const double x = values[along];
    const double beyond = std::max({r.min - x, x - r.max, 0.0});
    each(beyond / span, p, d.y(static_cast<Eigen::Index>(i)));
  }
}

/// Fits a formula on the records of the frame's rows `train` and scores the
/// rows `test`.
void score_formula(const formula_rows& data, const formula_frame& frame,
                   const std::vector<std::size_t>& train, const std::vector<std::size_t>& test,
                   std::size_t along, double level, const score_row& each) {
  std::vector<std::size_t> records;
  for (std::size_t i : train) records.push_back(frame.row_numbers[i] - 1);
  std::sort(records.begin(), records.end());
  model m;
  try {
    m = fit_formula(bind_frame(data, records), level);
  } catch (const model_error& e) {
    throw model_error("the backtest's fit on " + std::to_string(records.size()) +
                      " rows failed: " + e.what());
  }
  const std::string& name = frame.ranges[along].name;
  const auto r = std::find_if(m.ranges.begin(), m.ranges.end(),
                              [&](const predictor_range& p) { return p.name == name; });
  const double span = r->max - r->min;
  const std::size_t width = frame.ranges.size();
  for (std::size_t i : test) {
    const row_values row = record_values(*m.terms, data, frame.row_numbers[i] - 1);
    const double weight = frame.w.empty() ? 1.0 : frame.w[i];
    const prediction p = predict_row(m, row, interval_kind::prediction, level, weight);
    const double x = frame.range_values[i * width + along];
    const double beyond = std::max({r->min - x, x - r->max, 0.0});
    each(beyond / span, p, double(frame.y[i]));
  }
}

void check_enough(const backtest_split& split) {
  // The extremes are held out, then as many inner rows for the control: both
  // fits need more rows than parameters.
  if (!split.enough()) {
    throw data_error("too few rows to backtest: " + std::to_string(split.rows) + " rows, " +
                     std::to_string(split.held) + " held out, and the fit needs more than " +
                     std::to_string(split.parameters + 1) +
                     "; hold out a smaller fraction or use more data");
  }
}

/// The backtest of rows ordered by `key` (the held-out column's values).
backtest_result run(const backtest_split& split, const std::vector<double>& key,
                    const backtest_options& o, double level, const score_rows& score) {
  const std::size_t n = split.rows;
  const std::size_t held = split.held;
  check_enough(split);
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return key[a] < key[b]; });
  const std::size_t low = o.side == holdout_side::upper   ? 0
                          : o.side == holdout_side::lower ? held
                                                          : held / 2;
  const std::size_t high = held - low;
  std::vector<std::size_t> inner(order.begin() + static_cast<std::ptrdiff_t>(low),
                                 order.end() - static_cast<std::ptrdiff_t>(high));
  std::vector<std::size_t> outer(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(low));
  outer.insert(outer.end(), order.end() - static_cast<std::ptrdiff_t>(high), order.end());

  backtest_result result;
  result.level = level;
  static const double edges[] = {0, 0.1, 0.25, 0.5, 1, 2, std::numeric_limits<double>::infinity()};
  constexpr std::size_t bins = sizeof edges / sizeof edges[0] - 1;
  std::vector<scorer> by_bin(bins);
  scorer outside;
  score(inner, outer, [&](double distance, const prediction& p, double y) {
    outside.add(p, y);
    std::size_t b = 0;
    while (b + 1 < bins && distance >= edges[b + 1]) ++b;
    by_bin[b].add(p, y);
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
  score(train, test, [&](double, const prediction& p, double y) { control.add(p, y); });
  result.control = control.done();
  judge_backtest(result);
  return result;
}

/// The rows of a part whose response its interval covered.
std::size_t covered_rows(const backtest_part& p) {
  return static_cast<std::size_t>(std::llround(p.coverage * static_cast<double>(p.n)));
}

void check_fraction(const backtest_options& o) {
  if (!(o.holdout > 0 && o.holdout <= 0.5)) {
    throw usage_error(
        "the holdout fraction must be above 0 and at most 0.5 (the control draws as many "
        "rows again from inside the range)");
  }
}

std::size_t held_rows(std::size_t rows, const backtest_options& o) {
  const auto held = static_cast<std::size_t>(std::lround(o.holdout * static_cast<double>(rows)));
  return std::max<std::size_t>(held, o.side == holdout_side::both ? 2 : 1);
}
}  // namespace

void judge_backtest(backtest_result& r) {
  const backtest_part& e = r.extrapolation;
  const backtest_part& c = r.control;
  if (e.n == 0 || c.n == 0) {
    r.p_value = r.least_p_value = std::numeric_limits<double>::quiet_NaN();
    r.verdict = backtest_verdict::no_comparison;
    return;
  }
  // Fisher's exact test conditions on the margins: given how many rows were
  // covered in all, the extremes' share of them is hypergeometric when both
  // parts share one coverage. The lower tail is the one-sided p-value.
  const std::size_t e_covered = covered_rows(e), c_covered = covered_rows(c);
  const std::size_t covered = e_covered + c_covered;
  r.p_value = cdf(hypergeometric{covered, e.n + c.n - covered, e.n}, e_covered);
  r.least_p_value = cdf(hypergeometric{c.n, e.n, e.n}, 0);
  r.verdict = !(r.least_p_value < backtest_significance) ? backtest_verdict::too_few
              : r.p_value < backtest_significance        ? backtest_verdict::breaks
                                                         : backtest_verdict::holds;
}

backtest_split split_for_backtest(const model_spec& spec, const design& d,
                                  const backtest_options& o) {
  check_fraction(o);
  backtest_split s;
  s.rows = static_cast<std::size_t>(d.y.size());
  s.held = held_rows(s.rows, o);
  s.parameters = d.terms.size() + (spec.intercept ? 1 : 0);
  return s;
}

backtest_split split_for_backtest(const formula_frame& frame, const backtest_options& o) {
  check_fraction(o);
  backtest_split s;
  s.rows = frame.rows();
  s.held = held_rows(s.rows, o);
  s.parameters = frame.p + (frame.terms.intercept ? 1 : 0);
  return s;
}

backtest_result backtest(const model_spec& spec, const design& d, const backtest_options& o) {
  const backtest_split split = split_for_backtest(spec, d, o);
  check_enough(split);
  std::vector<double> key(split.rows);
  for (std::size_t i = 0; i < key.size(); ++i) {
    key[i] = d.x(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(o.along));
  }
  backtest_result r =
      run(split, key, o, spec.level,
          [&](const std::vector<std::size_t>& train, const std::vector<std::size_t>& test,
              const score_row& each) { score(spec, d, train, test, o.along, each); });
  if (spec.predictors.size() > 1) r.along = spec.predictors.at(o.along);
  return r;
}

backtest_result backtest(const formula_rows& data, const formula_frame& frame,
                         const backtest_options& o, double level) {
  const backtest_split split = split_for_backtest(frame, o);
  if (o.along >= frame.ranges.size()) {
    throw usage_error("the held-out column is not one of the numeric columns the formula reads");
  }
  check_enough(split);
  std::vector<double> key(split.rows);
  const std::size_t width = frame.ranges.size();
  for (std::size_t i = 0; i < key.size(); ++i) key[i] = frame.range_values[i * width + o.along];
  backtest_result r = run(split, key, o, level,
                          [&](const std::vector<std::size_t>& train,
                              const std::vector<std::size_t>& test, const score_row& each) {
                            score_formula(data, frame, train, test, o.along, level, each);
                          });
  r.formula = frame.terms.formula;
  if (frame.ranges.size() > 1) r.along = frame.ranges[o.along].name;
  return r;
}

}  // namespace regress
