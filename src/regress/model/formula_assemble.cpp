// formula_stats::finish: from the cells' moments to the fit (formula_stats.hpp).

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "regress/error.hpp"
#include "regress/model/formula_stats.hpp"

namespace regress {
namespace {
constexpr std::size_t npos = static_cast<std::size_t>(-1);

std::size_t packed(std::size_t i, std::size_t j) { return i * (i + 1) / 2 + j; }

/// A polynomial in one variable, lowest power first.
using poly_coefs = std::vector<dd>;

/// The levels of each factor variable from the cells' keys, in R's order,
/// and each cell's level indices.
std::vector<std::vector<std::size_t>> find_levels(model_terms& t,
                                                  const std::vector<formula_cell>& cells) {
  std::vector<std::size_t> factors;
  for (std::size_t v = 0; v < t.variables.size(); ++v) {
    if (t.variables[v].type == variable_coding::kind::factor) factors.push_back(v);
  }
  std::vector<std::vector<std::size_t>> cell_levels(cells.size());
  for (std::size_t q = 0; q < factors.size(); ++q) {
    variable_coding& var = t.variables[factors[q]];
    std::vector<std::string> texts;
    for (const auto& c : cells) texts.push_back(c.key.at(q));
    std::sort(texts.begin(), texts.end());
    texts.erase(std::unique(texts.begin(), texts.end()), texts.end());
    if (var.numeric_levels) {
      std::vector<double> values;
      for (const auto& s : texts) values.push_back(std::strtod(s.c_str(), nullptr));
      std::sort(values.begin(), values.end());
      var.level_values = values;
      var.levels.clear();
      for (double x : values) var.levels.push_back(r_number_name(x));
      for (std::size_t c = 0; c < cells.size(); ++c) {
        const double x = std::strtod(cells[c].key[q].c_str(), nullptr);
        cell_levels[c].push_back(static_cast<std::size_t>(
            std::lower_bound(values.begin(), values.end(), x) - values.begin()));
      }
    } else {
      var.levels = texts;
      for (std::size_t c = 0; c < cells.size(); ++c) {
        cell_levels[c].push_back(static_cast<std::size_t>(
            std::lower_bound(texts.begin(), texts.end(), cells[c].key[q]) - texts.begin()));
      }
    }
  }
  return cell_levels;
}

/// Stieltjes' procedure on the power sums of t = x - centre: R's alpha and
/// norm2, and the orthogonal polynomials' columns as polynomials in t.
std::vector<poly_coefs> orthogonal(variable_coding& v, const power_sums& ps, double centre) {
  const auto d = static_cast<std::size_t>(v.degree);
  const std::vector<dd>& m = ps.sums;  // m[k] = sum t^k
  auto inner = [&](const poly_coefs& a, const poly_coefs& b) {
    dd s;
    for (std::size_t i = 0; i < a.size(); ++i) {
      for (std::size_t j = 0; j < b.size(); ++j) s += a[i] * b[j] * m.at(i + j);
    }
    return s;
  };
  auto times_t = [](const poly_coefs& a) {
    poly_coefs r(a.size() + 1, dd());
    for (std::size_t i = 0; i < a.size(); ++i) r[i + 1] = a[i];
    return r;
  };
  std::vector<poly_coefs> p{poly_coefs{dd(1.0)}};
  std::vector<dd> norms{m.at(0)};
  v.alpha.clear();
  v.norm2.assign({1.0, double(m.at(0))});
  for (std::size_t k = 0; k < d; ++k) {
    const dd a = inner(times_t(p[k]), p[k]) / norms[k];  // in t
    v.alpha.push_back(double(a + dd(centre)));
    poly_coefs next = times_t(p[k]);
    next.resize(k + 2, dd());
    for (std::size_t i = 0; i <= k; ++i) next[i] -= a * p[k][i];
    if (k > 0) {
      const dd ratio = norms[k] / norms[k - 1];
      for (std::size_t i = 0; i < k; ++i) next[i] -= ratio * p[k - 1][i];
    }
    const dd norm = inner(next, next);
    if (!(norm.hi > 1e-300 * std::abs(double(m.at(0))))) {
      throw model_error("'" + v.label + "' needs at least " + std::to_string(d + 1) +
                        " distinct values of its argument; lower the degree");
    }
    norms.push_back(norm);
    v.norm2.push_back(double(norm));
    p.push_back(std::move(next));
  }
  std::vector<poly_coefs> columns;
  for (std::size_t j = 1; j <= d; ++j) {
    poly_coefs c = p[j];
    const dd scale = sqrt(norms[j]);
    for (auto& x : c) x = x / scale;
    columns.push_back(std::move(c));
  }
  return columns;
}

/// Raw powers x^1..x^d as polynomials in t = x - centre.
std::vector<poly_coefs> raw_powers(int degree, double centre) {
  std::vector<poly_coefs> columns;
  poly_coefs power{dd(1.0)};
  for (int j = 1; j <= degree; ++j) {
    poly_coefs next(power.size() + 1, dd());
    for (std::size_t i = 0; i < power.size(); ++i) {
      next[i + 1] += power[i];
      next[i] += power[i] * dd(centre);
    }
    power = next;
    columns.push_back(power);
  }
  return columns;
}

/// A design column's numeric part over [constant, basis monomials].
std::vector<dd> column_coefficients(const formula_plan& p, const model_terms& t,
                                    const design_column& col,
                                    const std::vector<std::vector<poly_coefs>>& polys) {
  std::map<std::vector<int>, dd> terms{{std::vector<int>(p.atoms.size(), 0), dd(1.0)}};
  const auto& vars = t.terms[col.term].variables;
  for (std::size_t q = 0; q < vars.size(); ++q) {
    const variable_coding& var = t.variables[vars[q]];
    if (var.type == variable_coding::kind::factor) continue;
    const std::size_t a = p.atom_of[vars[q]];
    poly_coefs factor{dd(), dd(1.0)};  // the atom itself
    if (var.type == variable_coding::kind::poly) factor = polys[vars[q]].at(col.part[q]);
    std::map<std::vector<int>, dd> next;
    for (const auto& [mono, coef] : terms) {
      for (std::size_t e = 0; e < factor.size(); ++e) {
        if (factor[e].hi == 0) continue;
        std::vector<int> m = mono;
        m[a] += static_cast<int>(e);
        next[m] += coef * factor[e];
      }
    }
    terms = std::move(next);
  }
  std::vector<dd> u(p.basis.size() + 1, dd());
  for (const auto& [mono, coef] : terms) {
    bool constant = true;
    for (int e : mono) constant = constant && e == 0;
    if (constant) {
      u[0] += coef;
      continue;
    }
    const auto it = std::find(p.basis.begin(), p.basis.end(), mono);
    if (it == p.basis.end()) throw model_error("internal: a monomial is missing from the basis");
    u[1 + static_cast<std::size_t>(it - p.basis.begin())] += coef;
  }
  return u;
}

/// A cell's moments about the common shift g, over z = (1, b - g, y - g_y):
/// the packed lower triangle of sum w z z'.
std::vector<dd> cell_moments(const ols_state& s, const std::vector<double>& g) {
  const std::size_t m = s.k() + 1;  // monomials and y
  std::vector<dd> d(m);
  for (std::size_t j = 0; j < m; ++j) d[j] = two_diff(s.shift()[j], g[j]);
  const dd n(s.n());
  std::vector<dd> sums(m);
  for (std::size_t j = 0; j < m; ++j) sums[j] = s.sums()[j] + n * d[j];
  std::vector<dd> e((m + 1) * (m + 2) / 2);
  e[0] = n;
  for (std::size_t i = 0; i < m; ++i) {
    e[packed(i + 1, 0)] = sums[i];
    for (std::size_t j = 0; j <= i; ++j) {
      e[packed(i + 1, j + 1)] =
          s.cross()[packed(i, j)] + d[i] * s.sums()[j] + s.sums()[i] * d[j] + n * d[i] * d[j];
    }
  }
  return e;
}

dd entry(const std::vector<dd>& e, std::size_t i, std::size_t j) {
  return i >= j ? e[packed(i, j)] : e[packed(j, i)];
}
/// The model's ranges of the numeric columns, overall and per cell (cells in
/// the order of their levels), from the cells' extremes and sums.
void set_ranges(model& m, const formula_plan& p, const model_terms& t,
                const std::vector<formula_cell>& cells,
                const std::vector<std::vector<std::size_t>>& cell_levels) {
  for (std::size_t r = 0; r < p.ranges.size(); ++r) {
    predictor_range range{p.ranges[r], HUGE_VAL, -HUGE_VAL, 0};
    dd sum, count;
    for (const auto& cell : cells) {
      range.min = std::min(range.min, cell.min[r]);
      range.max = std::max(range.max, cell.max[r]);
      sum += cell.sum[r];
      count += dd(static_cast<double>(cell.rows));
    }
    range.mean = double(sum / count);
    m.ranges.push_back(range);
  }
  const bool any_factor = std::any_of(t.variables.begin(), t.variables.end(), [](const auto& v) {
    return v.type == variable_coding::kind::factor;
  });
  if (any_factor && !p.ranges.empty()) {
    std::vector<std::size_t> order(cells.size());
    for (std::size_t c = 0; c < order.size(); ++c) order[c] = c;
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return cell_levels[a] < cell_levels[b]; });
    for (std::size_t c : order) {
      m.cells.push_back(cell_range{cell_levels[c], cells[c].min, cells[c].max, cells[c].rows});
    }
  }
}
}  // namespace

model formula_stats::finish(double level, bool* near_exact) const {
  const formula_plan& p = *plan_;
  fold();  // rows still waiting in the cells' pairs
  if (cells_.empty()) {
    throw data_error(records == 0 ? "no data rows; the file has only a header"
                                  : "no complete rows: every row has a missing value in a "
                                    "column the formula uses");
  }
  model_terms t = p.terms;
  const std::vector<std::vector<std::size_t>> cell_levels = find_levels(t, cells_);
  std::vector<std::vector<poly_coefs>> polys(t.variables.size());
  for (std::size_t v = 0; v < t.variables.size(); ++v) {
    variable_coding& var = t.variables[v];
    if (var.type != variable_coding::kind::poly) continue;
    const std::size_t a = p.atom_of[v];
    polys[v] =
        var.raw ? raw_powers(var.degree, p.centre[a]) : orthogonal(var, powers_.at(a), p.centre[a]);
  }
  lay_out_columns(t);
  const std::size_t cols = t.columns.size();
  const std::size_t mz = p.basis.size() + 2;  // z = (1, monomials, y)

  // Each column's coefficients over z, its factor requirements, its shift.
  const std::vector<double>& g = cells_.front().state.shift();
  std::vector<std::vector<dd>> u(cols + 1);
  std::vector<std::vector<std::pair<std::size_t, std::size_t>>> needs(cols + 1);
  std::vector<double> sigma(cols + 1, 0.0);
  std::vector<std::size_t> factor_slot(t.variables.size(), npos);
  for (std::size_t v = 0, q = 0; v < t.variables.size(); ++v) {
    if (t.variables[v].type == variable_coding::kind::factor) factor_slot[v] = q++;
  }
  for (std::size_t a = 0; a < cols; ++a) {
    u[a] = column_coefficients(p, t, t.columns[a], polys);
    u[a].push_back(dd());  // y's place
    dd gamma = u[a][0];
    for (std::size_t k = 1; k + 1 < mz; ++k) gamma += u[a][k] * dd(g[k - 1]);
    const auto& vars = t.terms[t.columns[a].term].variables;
    for (std::size_t q = 0; q < vars.size(); ++q) {
      if (factor_slot[vars[q]] != npos)
        needs[a].emplace_back(factor_slot[vars[q]], t.columns[a].part[q]);
    }
    // A column without factors is shifted by its value at the common
    // shift: in every cell its shifted value is then u'(b - g), exactly.
    if (needs[a].empty() && t.intercept) sigma[a] = double(gamma);
    u[a][0] = gamma - dd(sigma[a]);
  }
  u[cols].assign(mz, dd());
  u[cols][mz - 1] = dd(1.0);
  sigma[cols] = t.intercept ? g.back() : 0.0;
  u[cols][0] = dd(g.back()) - dd(sigma[cols]);

  std::vector<dd> sums(cols + 1), cross((cols + 1) * (cols + 2) / 2);
  dd n, rows, log_w;
  bool weighted = false;
  for (std::size_t c = 0; c < cells_.size(); ++c) {
    const ols_state& s = cells_[c].state;
    if (s.n() == 0) continue;
    const std::vector<dd> e = cell_moments(s, g);
    std::vector<std::size_t> active;
    for (std::size_t a = 0; a <= cols; ++a) {
      bool on = true;
      for (const auto& [slot, wanted] : needs[a]) on = on && cell_levels[c][slot] == wanted;
      if (on) active.push_back(a);
    }
    // Columns inactive here are 0 minus their shift, which is 0 for every
    // column that can be inactive: they add nothing.
    std::vector<std::vector<dd>> eu(active.size(), std::vector<dd>(mz));
    for (std::size_t i = 0; i < active.size(); ++i) {
      for (std::size_t r = 0; r < mz; ++r) {
        dd v;
        for (std::size_t k = 0; k < mz; ++k) {
          if (u[active[i]][k].hi != 0) v += entry(e, r, k) * u[active[i]][k];
        }
        eu[i][r] = v;
      }
    }
    for (std::size_t i = 0; i < active.size(); ++i) {
      sums[active[i]] += eu[i][0];
      for (std::size_t j = 0; j <= i; ++j) {
        dd v;
        for (std::size_t k = 0; k < mz; ++k) {
          if (u[active[i]][k].hi != 0) v += u[active[i]][k] * eu[j][k];
        }
        cross[packed(active[i], active[j])] += v;
      }
    }
    n += dd(s.n());
    rows += dd(s.rows());
    log_w += dd(s.log_weight_sum());
    weighted = weighted || s.weighted();
  }
  std::vector<double> shift(sigma);
  ols_state full = ols_state::from_parts(cols, 1, t.intercept, double(n), shift, sums, cross);
  if (weighted) full.set_weights(double(rows), double(log_w));
  model m;
  m.spec.response = t.response_label;
  m.spec.predictors = p.ranges;
  m.spec.intercept = t.intercept;
  m.spec.level = level;
  m.slope_terms = t.column_names();
  m.aliased = aliased_terms(full);
  std::vector<std::size_t> keep;
  std::vector<std::string> kept_names;
  for (std::size_t j = 0; j < cols; ++j) {
    if (!m.aliased[j]) {
      keep.push_back(j);
      kept_names.push_back(m.slope_terms[j]);
    }
  }
  const ols_state kept = keep.size() < cols ? full.select(keep) : full;
  m.fit = solve(kept, kept_names);
  if (near_exact != nullptr) *near_exact = needs_residual_pass(kept, m.fit);
  if (keep.size() == cols) m.aliased.clear();
  m.rows_dropped = dropped;
  m.weighted_residuals = weighted && weight_min != weight_max;
  set_ranges(m, p, t, cells_, cell_levels);
  m.terms = std::move(t);
  return m;
}

}  // namespace regress
