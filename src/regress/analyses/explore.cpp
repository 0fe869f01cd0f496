#include "regress/analyses/explore.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "regress/error.hpp"
#include "regress/model/distributions.hpp"
#include "regress/model/frame.hpp"

namespace regress {
namespace {
constexpr double inf = std::numeric_limits<double>::infinity();

double leverage_on(const model& m, const sweep_line& line, double x) {
  if (m.terms) return leverage_at(m, line, x);
  std::vector<double> values = line.hold;
  values[line.along] = x;
  return leverage(m.fit, values.data());
}

double sigma_of(const model& m) { return std::sqrt(double(m.fit.rss) / m.fit.df_residual); }

/// For a straight-line model the leverage along the line is exactly the
/// quadratic h(x) = c + 2 b d + a d^2 with d = x - mean_along: a = ||g||^2,
/// b = v0.g, c = (1/n) + ||v0||^2, where g = L^-1 e_along and v0 = L^-1 u0,
/// u0 the held point's centred terms with the swept one at its mean.
struct quadratic {
  double a, b, c, centre;
  double at(double x) const {
    const double d = x - centre;
    return c + 2 * b * d + a * d * d;
  }
};

quadratic leverage_quadratic(const model& m, const sweep_line& line) {
  const ols_fit& f = m.fit;
  const std::size_t k = f.k();
  auto l = [&](std::size_t i, std::size_t j) { return double(f.chol[i * (i + 1) / 2 + j]); };
  std::vector<double> g(k), v(k);
  for (std::size_t i = 0; i < k; ++i) {
    double gi = i == line.along ? 1.0 : 0.0;
    double vi = i == line.along ? 0.0 : line.hold[i] - double(f.mean[i]);
    for (std::size_t j = 0; j < i; ++j) {
      gi -= l(i, j) * g[j];
      vi -= l(i, j) * v[j];
    }
    g[i] = gi / l(i, i);
    v[i] = vi / l(i, i);
  }
  quadratic q{0, 0, f.intercept ? 1.0 / f.nobs : 0.0, double(f.mean[line.along])};
  for (std::size_t i = 0; i < k; ++i) {
    q.a += g[i] * g[i];
    q.b += v[i] * g[i];
    q.c += v[i] * v[i];
  }
  return q;
}

bool straight(const model& m) { return m.spec.degree == 1 && !m.terms; }

/// Golden-section minimum of h on [lo, hi] after a coarse grid.
double minimise(const model& m, const sweep_line& line, double lo, double hi) {
  constexpr int grid = 400;
  double best_x = lo, best_h = inf;
  for (int i = 0; i <= grid; ++i) {
    const double x = lo + (hi - lo) * i / grid;
    const double h = leverage_on(m, line, x);
    if (h < best_h) {
      best_h = h;
      best_x = x;
    }
  }
  double a = std::max(lo, best_x - (hi - lo) / grid), b = std::min(hi, best_x + (hi - lo) / grid);
  const double ratio = (std::sqrt(5.0) - 1) / 2;
  for (int it = 0; it < 100 && b - a > 1e-15 * std::max(1.0, std::abs(a)); ++it) {
    const double c = b - ratio * (b - a), d = a + ratio * (b - a);
    if (leverage_on(m, line, c) < leverage_on(m, line, d)) {
      b = d;
    } else {
      a = c;
    }
  }
  return std::min(best_h, leverage_on(m, line, (a + b) / 2));
}

/// narrowest_leverage of a formula model (see explore.hpp): the smallest
/// over one line per training cell of the factors.
double formula_narrowest(const model& m, std::size_t along) {
  const sweep_line base = line_at_means(m, along);
  std::vector<std::size_t> factors;
  std::vector<std::size_t> counts;
  for (std::size_t v = 0; v < m.terms->variables.size(); ++v) {
    if (m.terms->variables[v].type != variable_coding::kind::factor) continue;
    factors.push_back(v);
    counts.push_back(m.terms->variables[v].levels.size());
  }
  double best = inf;
  auto consider = [&](const std::vector<std::size_t>& levels, double lo, double hi) {
    sweep_line line = base;
    for (std::size_t q = 0; q < factors.size(); ++q) line.levels[factors[q]] = levels[q];
    best = std::min(best, m.ranges.empty() ? leverage_on(m, line, 0) : minimise(m, line, lo, hi));
  };
  if (!m.cells.empty()) {
    for (const auto& c : m.cells) consider(c.levels, c.min.at(along), c.max.at(along));
    return best;
  }
  const double lo = m.ranges.empty() ? 0 : m.ranges.at(along).min;
  const double hi = m.ranges.empty() ? 0 : m.ranges.at(along).max;
  // Without cells (no factors, or no numeric column): every combination of
  // levels, counted like an odometer, up to 4096 of them.
  std::vector<std::size_t> levels(factors.size(), 0);
  for (int combination = 0; combination < 4096; ++combination) {
    consider(levels, lo, hi);
    std::size_t q = 0;
    while (q < levels.size() && ++levels[q] == counts[q]) levels[q++] = 0;
    if (q == levels.size()) break;
  }
  return best;
}

/// A textbook row at x from its confidence and prediction results: the
/// swept predictor's training range `range` (a formula's cell may narrow it)
/// gives the distance, in spans of the whole training range.
sweep_row textbook_row(const model& m, const sweep_line& line, double x,
                       std::pair<double, double> range, std::pair<prediction, prediction> conf_pred,
                       double narrowest) {
  const prediction& pred = conf_pred.second;
  sweep_row row{};
  row.x = x;
  set_intervals(row, conf_pred.first, pred);
  row.leverage = pred.leverage;
  row.widening = widening(pred, narrowest);
  const auto& r = m.ranges[line.along];
  const double span = r.max - r.min;
  const double beyond = std::max({range.first - x, x - range.second, 0.0});
  row.distance = beyond == 0 ? 0.0 : span > 0 ? beyond / span : inf;
  row.leverage_ratio = pred.leverage / m.max_leverage;
  row.where = pred.where;
  return row;
}

/// A formula model's row of a sweep at x.
sweep_row formula_sweep_at(const model& m, const sweep_line& line, double x, double level,
                           double narrowest) {
  const row_values point = point_on(m, line, x);
  if (!defined_at(m, line, x)) {
    throw data_error(
        fmt::format("the formula cannot be evaluated at {} = {} of the sweep (a "
                    "function of it is not defined or infinite there); sweep a "
                    "range that avoids it",
                    m.ranges[line.along].name, x));
  }
  const prediction conf = predict_row(m, point, interval_kind::confidence, level);
  const prediction pred = predict_row(m, point, interval_kind::prediction, level);
  const auto [lo, hi] = swept_range(m, line);
  return textbook_row(m, line, x, {lo, hi}, {conf, pred}, narrowest);
}
}  // namespace

void set_intervals(sweep_row& row, const prediction& conf, const prediction& pred) {
  row.fit = pred.fit;
  row.se_fit = pred.se_fit;
  row.conf_lwr = conf.lwr;
  row.conf_upr = conf.upr;
  row.pred_lwr = pred.lwr;
  row.pred_upr = pred.upr;
}

sweep_line line_at_means(const model& m, std::size_t along) {
  sweep_line line;
  line.along = along;
  for (const auto& r : m.ranges) line.hold.push_back(r.mean);
  if (m.terms) line.levels.assign(m.terms->variables.size(), 0);
  return line;
}

double narrowest_leverage(const model& m, const sweep_line& swept) {
  if (m.terms) return formula_narrowest(m, swept.along);
  const sweep_line line = line_at_means(m, swept.along);
  const auto& r = m.ranges.at(line.along);
  if (straight(m)) {
    const quadratic q = leverage_quadratic(m, line);
    const double vertex = q.centre - q.b / q.a;
    return q.at(std::clamp(vertex, r.min, r.max));
  }
  return minimise(m, line, r.min, r.max);
}

sweep_row sweep_at(const model& m, const sweep_line& line, double x, double level,
                   double narrowest) {
  if (m.terms) return formula_sweep_at(m, line, x, level, narrowest);
  std::vector<double> values = line.hold;
  values[line.along] = x;
  const prediction conf = predict_one(m, values.data(), interval_kind::confidence, level);
  const prediction pred = predict_one(m, values.data(), interval_kind::prediction, level);
  const auto& r = m.ranges[line.along];
  return textbook_row(m, line, x, {r.min, r.max}, {conf, pred}, narrowest);
}

double decimal_scale(double from, double to, std::size_t intervals) {
  constexpr double whole_limit = 9007199254740992.0;  // 2^53: integers exact below it
  if (intervals == 0) return 0;
  const auto n = static_cast<double>(intervals);
  double scale = 1;
  for (int k = 0; k <= 15; ++k, scale *= 10) {
    const double f = std::nearbyint(from * scale), t = std::nearbyint(to * scale);
    if (!(std::abs(f) < whole_limit && std::abs(t) < whole_limit)) return 0;
    // The ends must be these decimals exactly (as doubles), and the step whole.
    if (f / scale != from || t / scale != to) continue;
    if (std::fmod(t - f, n) == 0) return scale;
  }
  return 0;
}

double evenly_spaced(double from, double to, std::size_t count, std::size_t i, double scale) {
  if (count <= 1) return from;
  if (i + 1 == count) return to;
  const auto n = static_cast<double>(count - 1);
  const auto k = static_cast<double>(i);
  if (scale != 0) {
    // Whole numbers below 2^53 are exact, and one division rounds correctly:
    // the double nearest the decimal from + i * step.
    const double f = std::nearbyint(from * scale), t = std::nearbyint(to * scale);
    return (f + (t - f) / n * k) / scale;
  }
  const double x = from + (to - from) * k / n;
  if (std::isfinite(x)) return x;
  // Ends near the largest double: to - from (or its product with k)
  // overflows; weigh the ends instead, each term no larger than its end.
  return from / n * (n - k) + to / n * k;
}

std::vector<sweep_row> sweep(const model& m, const sweep_line& line, double from, double to,
                             std::size_t steps, double level) {
  if (steps < 2) throw usage_error("a sweep needs at least 2 steps");
  if (!(from < to)) throw usage_error("a sweep must run from a smaller value to a larger one");
  const double narrowest = narrowest_leverage(m, line);
  std::vector<sweep_row> rows;
  rows.reserve(steps);
  const double scale = decimal_scale(from, to, steps - 1);
  for (std::size_t i = 0; i < steps; ++i) {
    const double x = evenly_spaced(from, to, steps, i, scale);
    rows.push_back(sweep_at(m, line, x, level, narrowest));
  }
  return rows;
}

double leverage_ceiling(const model& m, const sweep_line& line, const trust_bounds& bounds,
                        double level) {
  if (!bounds.max_widening && !bounds.max_halfwidth) {
    throw usage_error("a trust range needs a bound on the widening or on the half-width");
  }
  if (bounds.max_widening && !(*bounds.max_widening >= 1)) {
    throw usage_error(
        "the trust range's widening bound must be at least 1 (1 = the narrowest interval)");
  }
  if (bounds.max_halfwidth && !(*bounds.max_halfwidth > 0)) {
    throw usage_error("the trust range's half-width bound must be positive");
  }
  double ceiling = inf;
  if (bounds.max_widening) {
    const double w = *bounds.max_widening;
    ceiling = std::min(ceiling, w * w * (1 + narrowest_leverage(m, line)) - 1);
  }
  if (bounds.max_halfwidth) {
    const double ts = critical_t(m.fit.df_residual, level) * sigma_of(m);
    const double ratio = *bounds.max_halfwidth / ts;
    ceiling = std::min(ceiling, ts > 0 ? ratio * ratio - 1 : inf);
  }
  return ceiling;
}

trust_range solve_trust(const model& m, const sweep_line& line, const trust_bounds& bounds,
                        double level) {
  const double ceiling = leverage_ceiling(m, line, bounds, level);
  trust_range t;
  if (straight(m)) {
    // h(x) <= ceiling  <=>  a d^2 + 2 b d + (c - ceiling) <= 0.
    const quadratic q = leverage_quadratic(m, line);
    const double disc = q.b * q.b - q.a * (q.c - ceiling);
    if (std::isinf(ceiling)) return t;
    if (disc < 0 || q.a <= 0) {
      t.empty = true;
      return t;
    }
    const double root = std::sqrt(disc);
    t.lower = q.centre + (-q.b - root) / q.a;
    t.upper = q.centre + (-q.b + root) / q.a;
    return t;
  }
  // Polynomial (and any formula): from the narrowest point inside the data
  // (inside the held cell's range, for a formula with factors), walk outward
  // by doubling steps until the ceiling is crossed, then bisect.
  const auto [lo, hi] = swept_range(m, line);
  const double span = hi - lo;
  double centre = lo;
  double best = inf;
  for (int i = 0; i <= 400; ++i) {
    const double x = lo + span * i / 400;
    const double h = leverage_on(m, line, x);
    if (h < best) {
      best = h;
      centre = x;
    }
  }
  if (best > ceiling) {
    t.empty = true;
    return t;
  }
  // Steps in the whole range's span (a held cell's may be a single value).
  double whole = m.ranges[line.along].max - m.ranges[line.along].min;
  if (!(whole > 0)) whole = 1;
  auto edge = [&](double direction) {
    double inside = centre, step = whole / 64;
    double outside = centre + direction * step;
    while (leverage_on(m, line, outside) <= ceiling) {
      inside = outside;
      step *= 2;
      outside = centre + direction * step;
      if (step > 1e12 * std::max(whole, 1.0)) return direction * inf;
    }
    for (int it = 0; it < 200; ++it) {
      const double mid = (inside + outside) / 2;
      if (mid == inside || mid == outside) break;
      (leverage_on(m, line, mid) <= ceiling ? inside : outside) = mid;
    }
    return inside;
  };
  t.lower = edge(-1);
  t.upper = edge(+1);
  return t;
}

bool contains(const trust_range& t, double x) { return !t.empty && t.lower <= x && x <= t.upper; }

namespace {
/// Extends `d` by one sweep point where the models stand at `a` and `b`;
/// `open` says whether the point before was already apart.
void note_apart(disagreement& d, bool& open, const sweep_row& a, const sweep_row& b) {
  const double gap = std::abs(a.fit - b.fit);
  const double half_a = (a.pred_upr - a.pred_lwr) / 2;
  const double half_b = (b.pred_upr - b.pred_lwr) / 2;
  const bool apart = gap > std::min(half_a, half_b);
  if (apart && !open) d.where.push_back({a.x, a.x});
  if (apart) d.where.back().second = a.x;
  open = apart;
}
}  // namespace

disagreement compare_models(const std::string& first, const std::vector<sweep_row>& a,
                            const std::string& second, const std::vector<sweep_row>& b) {
  disagreement d{first, second, {}};
  const std::size_t n = std::min(a.size(), b.size());
  bool open = false;
  for (std::size_t i = 0; i < n; ++i) note_apart(d, open, a[i], b[i]);
  return d;
}

model_comparison split_at_range(const disagreement& d, double min, double max) {
  model_comparison c{d, {}, {}};
  for (const auto& [a, b] : d.where) {
    if (a < min) c.outside.push_back({a, std::min(b, min)});
    if (b > max) c.outside.push_back({std::max(a, max), b});
    if (a <= max && b >= min) c.inside.push_back({std::max(a, min), std::min(b, max)});
  }
  return c;
}

namespace {

void check_request(const model_spec& spec, const explore_request& r) {
  if (r.degrees.empty()) throw usage_error("explore needs at least one degree");
  for (int degree : r.degrees) {
    if (degree < 1 || degree > 20) throw usage_error("explore takes degrees from 1 to 20");
    if (degree > 1 && spec.predictors.size() != 1) {
      throw usage_error("a degree above 1 needs exactly one predictor");
    }
  }
  if (r.along >= spec.predictors.size()) {
    throw usage_error("the swept predictor is not one of the model's predictors");
  }
  for (const auto& [index, value] : r.hold) {
    if (index >= spec.predictors.size() || index == r.along) {
      throw usage_error("a held predictor must be one of the model's other predictors");
    }
  }
  if (!std::isfinite(r.from) || !std::isfinite(r.to)) {
    throw usage_error("a sweep's ends must be finite numbers");
  }
}

/// The number of points in the full sweep of `e`.
std::size_t full_steps(const exploration& e, std::size_t k) {
  return e.steps == 0 ? e.models[k].rows.size() : e.steps;
}

/// Row p of the full sweep of e.models[k] (`scale` from decimal_scale).
sweep_row full_row(const exploration& e, std::size_t k, std::size_t p, double scale) {
  const explored_model& m = e.models[k];
  const std::size_t steps = full_steps(e, k);
  if (!m.fitted || m.rows.size() == steps) return m.rows[p];
  const double x = evenly_spaced(e.from, e.to, steps, p, scale);
  if (m.method_row) return m.method_row(x);
  return sweep_at(*m.fitted, e.line, x, e.level, m.narrowest_leverage);
}

/// The reference model's hidden extrapolation and every pair's disagreement,
/// over the full sweep: one point at a time, so that a sweep longer than the
/// kept rows is judged at its own resolution without being held.
void judge_sweep(exploration& e) {
  const std::size_t n = e.models.size();
  std::vector<disagreement> apart;
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = i + 1; j < n; ++j)
      apart.push_back({e.models[i].name, e.models[j].name, {}});
  }
  std::vector<char> open(apart.size(), 0);
  std::vector<sweep_row> at(n);
  const std::size_t steps = full_steps(e, 0);
  const double scale = decimal_scale(e.from, e.to, steps - 1);
  for (std::size_t p = 0; p < steps; ++p) {
    for (std::size_t k = 0; k < n; ++k) at[k] = full_row(e, k, p, scale);
    if (at[0].where == region::hidden) {
      if (!e.hidden) e.hidden = std::make_pair(at[0].x, at[0].x);
      e.hidden->second = at[0].x;
    }
    std::size_t q = 0;
    for (std::size_t i = 0; i < n; ++i) {
      for (std::size_t j = i + 1; j < n; ++j, ++q) {
        bool was_open = open[q] != 0;
        note_apart(apart[q], was_open, at[i], at[j]);
        open[q] = was_open ? 1 : 0;
      }
    }
  }
  for (const auto& d : apart) {
    e.comparisons.push_back(split_at_range(d, e.training.min, e.training.max));
  }
}

/// A formula exploration's held columns and held cell, in words.
/// y - fit + fit on the line at the row's swept value, for each row of
/// `data`: the response with the other predictors' part of the fit moved to
/// their held values, so that the points scatter around the swept line.
std::vector<double> partial_residuals(const model& m, const sweep_line& line, const design& data) {
  std::vector<double> out;
  std::vector<double> row(static_cast<std::size_t>(data.x.cols()));
  for (Eigen::Index i = 0; i < data.y.size(); ++i) {
    for (std::size_t j = 0; j < row.size(); ++j) row[j] = data.x(i, static_cast<Eigen::Index>(j));
    out.push_back(partial_residual(m, line, row.data(), data.y(i)));
  }
  return out;
}

/// The request's sweep (its ends and points), checked as sweep() checks it.
void keep_sweep(exploration& e, const explore_request& request) {
  if (request.steps < 2) throw usage_error("a sweep needs at least 2 steps");
  e.from = request.from;
  e.to = request.to;
  e.steps = request.steps;
}

void describe_held(const model& m, const sweep_line& line, exploration& e) {
  const model_terms& t = *m.terms;
  std::vector<std::string> named;
  std::vector<std::string> cell;
  for (std::size_t v = 0; v < t.variables.size(); ++v) {
    const variable_coding& var = t.variables[v];
    if (var.type != variable_coding::kind::factor) continue;
    const std::string& level = var.levels.at(line.levels.at(v));
    if (std::find(named.begin(), named.end(), var.column) == named.end()) {
      named.push_back(var.column);
      e.held.push_back({var.column, true, level, 0});
    }
    cell.push_back(var.label + " = " + level);
  }
  for (std::size_t j = 0; j < m.ranges.size(); ++j) {
    const std::string& name = m.ranges[j].name;
    if (j == line.along || std::find(named.begin(), named.end(), name) != named.end()) continue;
    e.held.push_back({name, false, "", line.hold[j]});
  }
  if (m.cells.empty()) return;
  e.cell_name = fmt::format("{}", fmt::join(cell, ", "));
  if (const cell_range* c = held_cell(m, line); c != nullptr) {
    e.cell = exploration::cell_span{static_cast<std::size_t>(c - m.cells.data()),
                                    c->min.at(line.along), c->max.at(line.along), c->rows};
  }
}

}  // namespace

double partial_residual(const model& m, const sweep_line& line, const double* row, double y) {
  const double fitted = predict_one(m, row, interval_kind::confidence, 0.95).fit;
  std::vector<double> on_line = line.hold;
  on_line[line.along] = row[line.along];
  const double along = predict_one(m, on_line.data(), interval_kind::confidence, 0.95).fit;
  return y - fitted + along;
}

exploration explore(const model_spec& spec, const design& data, const explore_request& request) {
  check_request(spec, request);
  std::vector<model> fitted;
  for (int degree : request.degrees) {
    model_spec s = spec;
    s.degree = degree;
    s.level = request.level;
    validate(s);
    // The fit reads the design's term names only: copy a million-row design
    // (40 bytes a row) just when they differ, as for a degree above 1.
    std::vector<std::string> terms = slope_terms(s);
    if (terms == data.terms) {
      fitted.push_back(fit_model(s, data));
    } else {
      design d = data;
      d.terms = std::move(terms);
      fitted.push_back(fit_model(s, d));
    }
  }
  exploration e = explore_fitted(spec, std::move(fitted), request);
  if (spec.predictors.size() > 1) {
    e.partial_residuals = partial_residuals(*e.models.front().fitted, e.line, data);
  }
  return e;
}

exploration explore_fitted(const model_spec& spec, std::vector<model> fitted,
                           const explore_request& request) {
  check_request(spec, request);
  if (fitted.size() != request.degrees.size()) {
    throw usage_error("explore needs one fitted model per degree");
  }
  exploration e;
  e.response = spec.response;
  e.along = request.along;
  e.along_name = spec.predictors[request.along];
  e.nobs = static_cast<std::size_t>(fitted.front().fit.nobs);
  e.level = request.level;
  e.bounds = request.trust;
  e.training = fitted.front().ranges[request.along];
  // Every model is swept along the reference model's line: the same held
  // values (the training means are the data's, whatever the degree).
  e.line = line_at_means(fitted.front(), request.along);
  for (const auto& [index, value] : request.hold) e.line.hold[index] = value;
  keep_sweep(e, request);
  for (std::size_t i = 0; i < fitted.size(); ++i) {
    explored_model x;
    x.degree = request.degrees[i];
    x.name = "degree " + std::to_string(x.degree);
    x.rows = sweep(fitted[i], e.line, e.from, e.to, std::min(e.steps, kept_sweep_rows), e.level);
    x.narrowest_leverage = narrowest_leverage(fitted[i], e.line);
    x.fitted = std::make_shared<const model>(std::move(fitted[i]));
    e.models.push_back(std::move(x));
  }
  const model& first = *e.models.front().fitted;
  if (request.trust) e.trust = solve_trust(first, e.line, *request.trust, request.level);
  judge_sweep(e);
  e.predictors = spec.predictors;
  for (std::size_t j = 0; j < spec.predictors.size(); ++j) {
    if (j != request.along) e.held.push_back({spec.predictors[j], false, "", e.line.hold[j]});
  }
  return e;
}

void for_each_sweep_row(const exploration& e, std::size_t k,
                        const std::function<void(const sweep_row&)>& each) {
  const std::size_t steps = full_steps(e, k);
  const double scale = decimal_scale(e.from, e.to, steps - 1);
  for (std::size_t p = 0; p < steps; ++p) each(full_row(e, k, p, scale));
}

std::string exploration::held_column::text() const {
  return factor ? name + " = " + level : fmt::format("{} = {:.6g}", name, value);
}

exploration explore_formula(const model& m, const explore_request& request) {
  if (request.degrees != std::vector<int>{1}) {
    throw usage_error("a formula model is explored as fitted; write other forms in the formula");
  }
  if (!std::isfinite(request.from) || !std::isfinite(request.to)) {
    throw usage_error("a sweep's ends must be finite numbers");
  }
  const sweep_line line = held_line(m, request);
  exploration e;
  e.formula = m.terms->formula;
  e.response = m.terms->response_label;
  e.along = request.along;
  e.along_name = m.ranges[request.along].name;
  e.training = m.ranges[request.along];
  e.nobs = static_cast<std::size_t>(m.fit.nobs);
  e.level = request.level;
  e.bounds = request.trust;
  e.line = line;
  keep_sweep(e, request);
  explored_model x;
  x.name = "fit";
  x.rows = sweep(m, line, e.from, e.to, std::min(e.steps, kept_sweep_rows), e.level);
  x.narrowest_leverage = narrowest_leverage(m, line);
  x.fitted = std::make_shared<const model>(m);
  e.models.push_back(std::move(x));
  if (request.trust) e.trust = solve_trust(m, line, *request.trust, request.level);
  judge_sweep(e);
  describe_held(m, line, e);
  return e;
}

}  // namespace regress
