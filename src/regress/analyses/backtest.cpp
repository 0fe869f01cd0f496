#include "regress/analyses/backtest.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <memory>
#include <numeric>
#include <random>
#include <string>

#include "regress/analyses/averaged.hpp"
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
    width += p.upr - p.lwr;
  }
  double width = 0;
  backtest_part done() const {
    backtest_part p = part;
    if (p.n > 0) {
      p.coverage /= static_cast<double>(p.n);
      p.mae /= static_cast<double>(p.n);
      p.mean_width = width / static_cast<double>(p.n);
    } else {
      p.coverage = p.mae = std::numeric_limits<double>::quiet_NaN();
    }
    return p;
  }
};

/// Scores a held-out row: its distance beyond the fit's range (in its
/// spans), each method's prediction and its response.
using score_row = std::function<void(double, const std::vector<prediction>&, double)>;

/// Each method's rule for the candidates fitted to one part.
std::vector<interval_rule> rules_for(const std::vector<named_method>& methods,
                                     const part_fits& part, double level) {
  std::vector<interval_rule> out;
  for (const auto& m : methods) out.push_back(m.make(part, level));
  return out;
}

std::vector<prediction> apply_rules(const std::vector<interval_rule>& rules, const held_row& row) {
  std::vector<prediction> out;
  for (const auto& r : rules) out.push_back(r(row));
  return out;
}
bool needs_rows(const std::vector<named_method>& methods) {
  return std::any_of(methods.begin(), methods.end(),
                     [](const named_method& m) { return m.needs_rows; });
}

/// Fits on the rows `train` and scores the rows `test`.
using score_rows = std::function<void(const std::vector<std::size_t>& train,
                                      const std::vector<std::size_t>& test, const score_row&)>;

/// Fits the candidates on `train` and scores `test` (-y/-x models).
void score(const std::vector<model_spec>& specs, const design& d,
           const std::vector<std::size_t>& train, const std::vector<std::size_t>& test,
           std::size_t along, const std::vector<named_method>& methods, const score_row& each) {
  design t = subset(d, train);
  std::vector<model> fits;
  for (const auto& spec : specs) {
    t.terms = slope_terms(spec);  // each candidate forms its own powers
    fits.push_back(fit_model(spec, t));
  }
  const double level = specs.front().level;
  const bootstrap_rows rows = needs_rows(methods) ? rows_of(fits.front(), t) : bootstrap_rows{};
  const std::vector<interval_rule> rules = rules_for(methods, {fits, rows}, level);
  const auto& r = fits.front().ranges[along];
  const double span = r.max - r.min;
  std::vector<double> values(static_cast<std::size_t>(d.x.cols()));
  std::vector<prediction> own(fits.size());
  for (std::size_t i : test) {
    for (std::size_t j = 0; j < values.size(); ++j) {
      values[j] = d.x(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j));
    }
    for (std::size_t k = 0; k < fits.size(); ++k) {
      own[k] = predict_one(fits[k], values.data(), interval_kind::prediction, level);
    }
    const double x = values[along];
    const double beyond = std::max({r.min - x, x - r.max, 0.0});
    const Eigen::VectorXd x0 = point_of(fits.front(), values.data());
    each(beyond / span, apply_rules(rules, {own, 1, x0}), d.y(static_cast<Eigen::Index>(i)));
  }
}

/// Fits each formula candidate on the records of the frames' rows `train`
/// and scores the rows `test`.
void score_formula(const std::vector<const formula_rows*>& data,
                   const std::vector<const formula_frame*>& frames,
                   const std::vector<std::size_t>& train, const std::vector<std::size_t>& test,
                   std::size_t along, double level, const std::vector<named_method>& methods,
                   const score_row& each) {
  const formula_frame& frame = *frames.front();
  std::vector<std::size_t> records;
  for (std::size_t i : train) records.push_back(frame.row_numbers[i] - 1);
  std::sort(records.begin(), records.end());
  std::vector<model> fits;
  bootstrap_rows rows;
  for (std::size_t k = 0; k < data.size(); ++k) {
    try {
      if (k == 0 && needs_rows(methods)) {  // the bootstrap resamples the kept rows
        const formula_frame kept = bind_frame(*data[k], records);
        fits.push_back(fit_formula(kept, level));
        rows = rows_of(fits.front(), kept);
      } else {
        fits.push_back(fit_records(*data[k], records, level));
      }
    } catch (const model_error& e) {
      throw model_error("the backtest's fit on " + std::to_string(records.size()) +
                        " rows failed: " + e.what());
    }
  }
  const std::vector<interval_rule> rules = rules_for(methods, {fits, rows}, level);
  const model& m = fits.front();
  const std::string& name = frame.ranges[along].name;
  const auto r = std::find_if(m.ranges.begin(), m.ranges.end(),
                              [&](const predictor_range& p) { return p.name == name; });
  const double span = r->max - r->min;
  const std::size_t width = frame.ranges.size();
  std::vector<prediction> own(fits.size());
  Eigen::VectorXd x0;
  for (std::size_t i : test) {
    const double weight = frame.w.empty() ? 1.0 : frame.w[i];
    for (std::size_t k = 0; k < fits.size(); ++k) {
      const row_values row = record_values(*fits[k].terms, *data[k], frame.row_numbers[i] - 1);
      own[k] = predict_row(fits[k], row, interval_kind::prediction, level, weight);
      // A new level has no design row: x0 stays empty, and every method's
      // prediction is the candidates' NaN.
      if (k == 0 && !point_of(fits[k], row, x0)) x0.resize(0);
    }
    const double x = frame.range_values[i * width + along];
    const double beyond = std::max({r->min - x, x - r->max, 0.0});
    each(beyond / span, apply_rules(rules, {own, weight, x0}), double(frame.y[i]));
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

/// Per method: the scorers of the extremes, their bins and the control.
struct method_scores {
  static constexpr std::size_t bins = 6;
  scorer outside;
  std::vector<scorer> by_bin = std::vector<scorer>(bins);
  scorer control;
};

/// The distance bins' edges, in spans of the inner range.
const double* bin_edges() {
  static const double edges[] = {0, 0.1, 0.25, 0.5, 1, 2, std::numeric_limits<double>::infinity()};
  return edges;
}

/// The held-out rows: the extremes of `key` (outer) and the rest (inner).
void split_rows(const backtest_split& split, const std::vector<double>& key,
                const backtest_options& o, std::vector<std::size_t>& inner,
                std::vector<std::size_t>& outer) {
  const std::size_t n = split.rows;
  const std::size_t held = split.held;
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return key[a] < key[b]; });
  const std::size_t low = o.side == holdout_side::upper   ? 0
                          : o.side == holdout_side::lower ? held
                                                          : held / 2;
  const std::size_t high = held - low;
  inner.assign(order.begin() + static_cast<std::ptrdiff_t>(low),
               order.end() - static_cast<std::ptrdiff_t>(high));
  outer.assign(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(low));
  outer.insert(outer.end(), order.end() - static_cast<std::ptrdiff_t>(high), order.end());
}

/// The backtest of rows ordered by `key` (the held-out column's values), a
/// result per method (`methods` of them).
std::vector<backtest_result> run(const backtest_split& split, const std::vector<double>& key,
                                 const backtest_options& o, double level, std::size_t methods,
                                 const score_rows& score) {
  const std::size_t held = split.held;
  check_enough(split);
  std::vector<std::size_t> inner, outer;
  split_rows(split, key, o, inner, outer);
  const double* edges = bin_edges();
  std::vector<method_scores> scores(methods);
  score(inner, outer, [&](double distance, const std::vector<prediction>& p, double y) {
    std::size_t b = 0;
    while (b + 1 < method_scores::bins && distance >= edges[b + 1]) ++b;
    for (std::size_t m = 0; m < methods; ++m) {
      scores[m].outside.add(p[m], y);
      scores[m].by_bin[b].add(p[m], y);
    }
  });

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
  score(train, test, [&](double, const std::vector<prediction>& p, double y) {
    for (std::size_t m = 0; m < methods; ++m) scores[m].control.add(p[m], y);
  });
  std::vector<backtest_result> results;
  for (const auto& sc : scores) {
    backtest_result result;
    result.level = level;
    result.extrapolation = sc.outside.done();
    for (std::size_t b = 0; b < method_scores::bins; ++b) {
      if (sc.by_bin[b].part.n > 0) {
        result.bins.push_back({edges[b], edges[b + 1], sc.by_bin[b].done()});
      }
    }
    result.control = sc.control.done();
    judge_backtest(result);
    results.push_back(result);
  }
  return results;
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

named_method textbook_method() {
  return {"textbook",
          [](const part_fits&, double) -> interval_rule {
            return [](const held_row& row) { return row.each.front(); };
          },
          false};
}

named_method averaged_method() {
  return {"averaged",
          [](const part_fits& part, double level) -> interval_rule {
            const model_weights w = aicc_weights(part.fits);
            return [&fits = part.fits, w, level](const held_row& row) {
              return average_predictions(fits, w, row.each, interval_kind::prediction, level,
                                         row.weight);
            };
          },
          false};
}

named_method bootstrap_method(const bootstrap_options& o) {
  return {"bootstrap",
          [o](const part_fits& part, double level) -> interval_rule {
            auto b = std::make_shared<const bootstrap_replicates>(bootstrap(part.rows, o));
            return [b, level](const held_row& row) {
              prediction p = row.each.front();
              if (p.where == region::new_level || row.x0.size() == 0) return p;
              const bootstrap_limits l = bootstrap_interval(
                  *b, row.x0, p.fit, interval_kind::prediction, level, row.weight);
              p.lwr = l.lwr;
              p.upr = l.upr;
              return p;
            };
          },
          true};
}

std::vector<method_backtest> backtest_methods(const std::vector<model_spec>& candidates,
                                              const design& d, const backtest_options& o,
                                              const std::vector<named_method>& methods) {
  const model_spec& spec = candidates.front();
  backtest_split split = split_for_backtest(spec, d, o);
  for (const auto& c : candidates) {
    split.parameters = std::max(split.parameters, slope_terms(c).size() + (c.intercept ? 1 : 0));
  }
  check_enough(split);
  std::vector<double> key(split.rows);
  for (std::size_t i = 0; i < key.size(); ++i) {
    key[i] = d.x(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(o.along));
  }
  const std::vector<backtest_result> rs = run(
      split, key, o, spec.level, methods.size(),
      [&](const std::vector<std::size_t>& train, const std::vector<std::size_t>& test,
          const score_row& each) { score(candidates, d, train, test, o.along, methods, each); });
  std::vector<method_backtest> out;
  for (std::size_t m = 0; m < methods.size(); ++m) {
    out.push_back({methods[m].name, rs[m]});
    if (spec.predictors.size() > 1) out.back().result.along = spec.predictors.at(o.along);
  }
  return out;
}

backtest_result backtest(const model_spec& spec, const design& d, const backtest_options& o) {
  return backtest_methods({spec}, d, o, {textbook_method()}).front().result;
}

std::vector<method_backtest> backtest_methods(const std::vector<const formula_rows*>& data,
                                              const std::vector<const formula_frame*>& frames,
                                              const backtest_options& o, double level,
                                              const std::vector<named_method>& methods) {
  const formula_frame& frame = *frames.front();
  backtest_split split = split_for_backtest(frame, o);
  for (const auto* f : frames) {
    if (f->row_numbers != frame.row_numbers) {
      throw usage_error("the candidate models must be fitted to the same rows; '" +
                        frame.terms.formula + "' and '" + f->terms.formula +
                        "' were not (a value missing in one's columns?)");
    }
    split.parameters = std::max(split.parameters, split_for_backtest(*f, o).parameters);
  }
  if (o.along >= frame.ranges.size()) {
    throw usage_error("the held-out column is not one of the numeric columns the formula reads");
  }
  check_enough(split);
  std::vector<double> key(split.rows);
  const std::size_t width = frame.ranges.size();
  for (std::size_t i = 0; i < key.size(); ++i) key[i] = frame.range_values[i * width + o.along];
  const std::vector<backtest_result> rs =
      run(split, key, o, level, methods.size(),
          [&](const std::vector<std::size_t>& train, const std::vector<std::size_t>& test,
              const score_row& each) {
            score_formula(data, frames, train, test, o.along, level, methods, each);
          });
  std::vector<method_backtest> out;
  for (std::size_t m = 0; m < methods.size(); ++m) {
    out.push_back({methods[m].name, rs[m]});
    out.back().result.formula = frame.terms.formula;
    if (frame.ranges.size() > 1) out.back().result.along = frame.ranges[o.along].name;
  }
  return out;
}

backtest_result backtest(const formula_rows& data, const formula_frame& frame,
                         const backtest_options& o, double level) {
  return backtest_methods({&data}, {&frame}, o, level, {textbook_method()}).front().result;
}

}  // namespace regress
