#include "regress/model/formula_state.hpp"

#include <algorithm>
#include <cstdlib>
#include <limits>
#include <utility>

#include "regress/error.hpp"
#include "regress/model/formula.hpp"
#include "regress/model/predict.hpp"

namespace regress {
namespace {

std::size_t packed(std::size_t i, std::size_t j) {
  return i >= j ? i * (i + 1) / 2 + j : j * (j + 1) / 2 + i;
}

dd binomial(int n, int k) {
  double c = 1;
  for (int i = 1; i <= k; ++i) c = c * (n - k + i) / i;  // exact for the small degrees of poly()
  return dd(c);
}

dd power(dd x, int e) {
  dd p(1.0);
  for (int i = 0; i < e; ++i) p = p * x;
  return p;
}

/// A monomial of the new atoms t' = t + d written over the old ones:
/// prod_a (t_a + d_a)^e_a as coefficients of [1, basis], by the binomial
/// expansion of each factor (f counts through every lower power).
std::vector<dd> shifted_monomial(const std::vector<int>& e, const std::vector<dd>& d,
                                 const std::vector<std::vector<int>>& basis) {
  std::vector<dd> out(basis.size() + 1, dd());
  std::vector<int> f(e.size(), 0);
  for (std::size_t a = 0; a < e.size(); ++a) f[a] = d[a].hi == 0 ? e[a] : 0;
  for (;;) {
    dd coef(1.0);
    for (std::size_t a = 0; a < e.size(); ++a) {
      if (f[a] != e[a]) coef = coef * binomial(e[a], f[a]) * power(d[a], e[a] - f[a]);
    }
    const bool constant = std::all_of(f.begin(), f.end(), [](int x) { return x == 0; });
    if (constant) {
      out[0] += coef;
    } else {
      const auto it = std::find(basis.begin(), basis.end(), f);
      if (it == basis.end()) throw model_error("internal: a monomial is missing from the basis");
      out[1 + static_cast<std::size_t>(it - basis.begin())] += coef;
    }
    // Next f: count up through the atoms being shifted.
    std::size_t a = 0;
    for (; a < e.size(); ++a) {
      if (d[a].hi == 0 || f[a] == e[a]) {
        if (d[a].hi != 0) f[a] = 0;
        continue;
      }
      ++f[a];
      break;
    }
    if (a == e.size()) return out;
  }
}

/// The cell's state with its monomials b replaced by A [1; b] (rows of `map`).
ols_state transform(const ols_state& s, const std::vector<std::vector<dd>>& map) {
  const std::size_t k = s.k(), m = k + 2;  // z = (1, b - shift, y - shift_y)
  std::vector<dd> e(m * (m + 1) / 2);
  e[0] = dd(s.n());
  for (std::size_t i = 0; i <= k; ++i) {
    e[packed(i + 1, 0)] = s.sums()[i];
    for (std::size_t j = 0; j <= i; ++j) e[packed(i + 1, j + 1)] = s.cross()[packed(i, j)];
  }
  // New shifts: each new monomial at the old shift, rounded; the rounding
  // error r stays in the map: b' - shift' = A (b - shift) + r.
  std::vector<std::vector<dd>> t(m, std::vector<dd>(m, dd()));
  t[0][0] = dd(1.0);
  t[m - 1][m - 1] = dd(1.0);
  std::vector<double> shift(k + 1, s.shift()[k]);
  for (std::size_t i = 0; i < k; ++i) {
    dd at = map[i][0];
    for (std::size_t j = 0; j < k; ++j) at += map[i][j + 1] * dd(s.shift()[j]);
    shift[i] = at.hi;
    t[i + 1][0] = at - dd(shift[i]);
    for (std::size_t j = 0; j < k; ++j) t[i + 1][j + 1] = map[i][j + 1];
  }
  std::vector<std::vector<dd>> te(m, std::vector<dd>(m, dd()));  // T E
  for (std::size_t i = 0; i < m; ++i) {
    for (std::size_t j = 0; j < m; ++j) {
      for (std::size_t l = 0; l < m; ++l) {
        if (t[i][l].hi != 0) te[i][j] += t[i][l] * e[packed(l, j)];
      }
    }
  }
  std::vector<dd> sums(k + 1), cross((k + 1) * (k + 2) / 2);
  for (std::size_t i = 1; i < m; ++i) {
    for (std::size_t j = 0; j <= i; ++j) {
      dd v;
      for (std::size_t l = 0; l < m; ++l) {
        if (t[j][l].hi != 0) v += te[i][l] * t[j][l];
      }
      if (j == 0) {
        sums[i - 1] = v;
      } else {
        cross[packed(i - 1, j - 1)] = v;
      }
    }
  }
  ols_state out = ols_state::from_parts(k, 1, true, s.n(), shift, sums, cross);
  if (s.weighted()) out.set_weights(s.rows(), s.log_weight_sum());
  return out;
}

std::string describe_columns(const formula_state& s) {
  std::string out;
  for (std::size_t c = 0; c < s.columns.size(); ++c) {
    out += (c > 0 ? ", " : "") + s.columns[c] + (s.text[c] ? " (text)" : "");
  }
  return out;
}
}  // namespace

formula_stats formula_stats::restore(const formula_plan& plan, std::size_t records,
                                     std::size_t dropped, double weight_min, double weight_max,
                                     std::vector<formula_cell> cells,
                                     std::vector<power_sums> powers) {
  // Each cell is filed under the lookup key of its level texts.
  formula_stats out(plan);
  for (auto& cell : cells) out.file_cell(std::move(cell));
  out.powers_ = std::move(powers);
  out.records = records;
  out.dropped = dropped;
  out.weight_min = weight_min;
  out.weight_max = weight_max;
  return out;
}

formula_state state_of(const formula_plan& plan, const formula_stats& stats, double level) {
  formula_state s;
  s.formula = plan.terms.formula;
  s.weights = plan.terms.weights;
  s.level = level;
  s.header = plan.terms.data_columns;
  s.columns = plan.columns;
  s.text = plan.text;
  s.centres = plan.centre;
  s.cells = stats.cells();
  s.powers = stats.powers();
  s.records = stats.records;
  s.dropped = stats.dropped;
  s.weight_min = stats.weight_min;
  s.weight_max = stats.weight_max;
  return s;
}

formula_plan plan_of(const formula_state& s) {
  std::vector<std::string> text;
  for (std::size_t c = 0; c < s.columns.size() && c < s.text.size(); ++c) {
    if (s.text[c]) text.push_back(s.columns[c]);
  }
  formula_plan plan = plan_formula(s.formula, s.header, s.weights, text);
  if (plan.columns != s.columns || plan.text != s.text) {
    throw model_error("the formula reads the columns " + column_list(plan.columns) +
                      ", not the saved ones");
  }
  if (s.centres.size() != plan.atoms.size()) {
    throw model_error("the saved poly() centres do not fit the formula");
  }
  plan.centre = s.centres;
  return plan;
}

void recentre(formula_state& s, const formula_plan& plan, const std::vector<double>& centres) {
  const std::size_t atoms = plan.atoms.size();
  std::vector<dd> d(atoms);
  bool any = false;
  for (std::size_t a = 0; a < atoms; ++a) {
    // t' = x - new = t + (old - new)
    d[a] = two_diff(s.centres.at(a), centres.at(a));
    any = any || d[a].hi != 0;
  }
  if (!any) return;
  for (std::size_t a = 0; a < atoms; ++a) {
    std::vector<dd>& m = s.powers.at(a).sums;
    std::vector<dd> next(m.size());
    for (std::size_t k = 0; k < m.size(); ++k) {
      for (std::size_t j = 0; j <= k; ++j) {
        next[k] += binomial(static_cast<int>(k), static_cast<int>(j)) *
                   power(d[a], static_cast<int>(k - j)) * m[j];
      }
    }
    m = std::move(next);
  }
  std::vector<std::vector<dd>> map;
  for (const auto& mono : plan.basis) map.push_back(shifted_monomial(mono, d, plan.basis));
  for (auto& cell : s.cells) {
    cell.state = transform(cell.state, map);
  }
  s.centres = centres;
}

formula_state merge_formula_states(const std::vector<formula_state>& states,
                                   const std::vector<std::string>& sources) {
  const formula_state& first = states.at(0);
  const formula_plan plan = plan_of(first);
  formula_stats all = formula_stats::restore(plan, first.records, first.dropped, first.weight_min,
                                             first.weight_max, first.cells, first.powers);
  for (std::size_t i = 1; i < states.size(); ++i) {
    formula_state s = states[i];
    // The same formula however it is spaced (R's deparse of each).
    if (deparse_formula(s.formula) != deparse_formula(first.formula) ||
        s.weights != first.weights) {
      auto what = [](const formula_state& x) {
        return "'" + x.formula + "'" + (x.weights.empty() ? "" : " with weights " + x.weights);
      };
      throw usage_error(sources.at(i) + " is a fit of " + what(s) + " but " + sources.at(0) +
                        " is a fit of " + what(first) +
                        "; merge only states of the same formula and weights");
    }
    if (s.columns != first.columns || s.text != first.text) {
      throw model_error(sources.at(i) + " reads the columns " + describe_columns(s) + " but " +
                        sources.at(0) + " reads " + describe_columns(first) +
                        "; a column must hold text in every shard or in none, as a fit of "
                        "the whole data decides from every cell: fit the concatenated data "
                        "instead");
    }
    recentre(s, plan_of(s), first.centres);
    all.merge(formula_stats::restore(plan, s.records, s.dropped, s.weight_min, s.weight_max,
                                     std::move(s.cells), std::move(s.powers)));
  }
  formula_state out = state_of(plan, all, first.level);
  return out;
}

namespace {
/// The largest leverage at each cell's extremes (see model_of).
double extreme_leverage(const model& m, const formula_plan& plan,
                        const std::vector<formula_cell>& cells, double level) {
  const model_terms& t = *m.terms;
  double top = 0;
  for (const auto& cell : cells) {
    if (cell.rows == 0) continue;
    row_values row;
    row.numbers.assign(t.numeric_columns.size(), dd(std::numeric_limits<double>::quiet_NaN()));
    row.text.assign(t.factor_columns.size(), std::string_view());
    for (std::size_t q = 0; q < plan.key_index.size(); ++q) {
      if (plan.key_numeric[q]) {
        row.numbers[plan.key_index[q]] = dd(std::strtod(cell.key[q].c_str(), nullptr));
      } else {
        row.text[plan.key_index[q]] = cell.key[q];
      }
    }
    std::vector<double> mean(plan.ranges.size());
    for (std::size_t r = 0; r < mean.size(); ++r) {
      mean[r] = double(cell.sum[r] / dd(static_cast<double>(cell.rows)));
    }
    for (std::size_t point = 0; point <= 2 * mean.size(); ++point) {
      for (std::size_t r = 0; r < mean.size(); ++r) {
        double x = mean[r];
        if (point == 2 * r + 1) x = cell.min[r];
        if (point == 2 * r + 2) x = cell.max[r];
        row.numbers[plan.range_index[r]] = dd(x);
      }
      try {
        const prediction p = predict_row(m, row, interval_kind::confidence, level);
        if (std::isfinite(p.leverage)) top = std::max(top, p.leverage);
      } catch (const regress::error&) {
        // a function outside its domain at a cell's mean: no candidate here
      }
    }
  }
  return top;
}
}  // namespace

model model_of(const formula_state& s, double level, bool* exact_leverage, bool* near_exact) {
  const formula_plan plan = plan_of(s);
  const formula_stats stats = formula_stats::restore(plan, s.records, s.dropped, s.weight_min,
                                                     s.weight_max, s.cells, s.powers);
  model m = stats.finish(level, near_exact);
  m.max_leverage = extreme_leverage(m, plan, stats.cells(), level);
  // The largest leverage is at least the mean one, k / n (unweighted): a
  // floor when no cell's extremes could be evaluated.
  if (!(m.max_leverage > 0)) {
    m.max_leverage = static_cast<double>(m.fit.k() + (m.fit.intercept ? 1 : 0)) / m.fit.nobs;
  }
  if (exact_leverage != nullptr) {
    bool straight = plan.ranges.size() <= 1;
    for (std::size_t v = 0; v < plan.terms.variables.size(); ++v) {
      const variable_coding& var = plan.terms.variables[v];
      if (var.type == variable_coding::kind::factor) continue;
      straight = straight && var.type == variable_coding::kind::numeric &&
                 var.expr.type == formula_expr::kind::column;
    }
    *exact_leverage = straight;
  }
  return m;
}

}  // namespace regress
