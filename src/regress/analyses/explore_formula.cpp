// The line of a sweep in a formula model (explore.hpp): the row of the
// model's columns at each swept value, its leverage, the held cell of the
// factors and where the formula is defined.

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "regress/analyses/explore.hpp"
#include "regress/error.hpp"
#include "regress/model/frame.hpp"

namespace regress {
namespace {
constexpr double inf = std::numeric_limits<double>::infinity();

bool is_factor(const variable_coding& v) { return v.type == variable_coding::kind::factor; }

std::size_t level_of(const sweep_line& line, std::size_t v) {
  return v < line.levels.size() ? line.levels[v] : 0;
}

/// The levels of the line's factors, in the order of model::cells' keys.
std::vector<std::size_t> held_levels(const model& m, const sweep_line& line) {
  std::vector<std::size_t> levels;
  for (std::size_t v = 0; v < m.terms->variables.size(); ++v) {
    if (is_factor(m.terms->variables[v])) levels.push_back(level_of(line, v));
  }
  return levels;
}

/// Whether factor() reads the column (a factor of a numeric column).
bool read_by_factor(const model_terms& t, const std::string& column) {
  for (const auto& v : t.variables) {
    if (is_factor(v) && v.numeric_levels && v.column == column) return true;
  }
  return false;
}
}  // namespace

row_values point_on(const model& m, const sweep_line& line, double x) {
  const model_terms& t = *m.terms;
  row_values row;
  row.numbers.reserve(t.numeric_columns.size());
  for (const auto& c : t.numeric_columns) {
    double value = std::numeric_limits<double>::quiet_NaN();
    bool swept = false;
    for (std::size_t j = 0; j < m.ranges.size(); ++j) {
      if (m.ranges[j].name != c) continue;
      swept = j == line.along;
      value = swept ? x : line.hold.at(j);
    }
    for (std::size_t v = 0; v < t.variables.size() && !swept; ++v) {
      const variable_coding& var = t.variables[v];
      if (is_factor(var) && var.numeric_levels && var.column == c) {
        value = var.level_values.at(level_of(line, v));
      }
    }
    row.numbers.emplace_back(value);
  }
  for (const auto& c : t.factor_columns) {
    for (std::size_t v = 0; v < t.variables.size(); ++v) {
      const variable_coding& var = t.variables[v];
      if (is_factor(var) && !var.numeric_levels && var.column == c) {
        row.text.emplace_back(var.levels.at(level_of(line, v)));
        break;
      }
    }
  }
  return row;
}

double leverage_at(const model& m, const sweep_line& line, double x) {
  if (!m.terms) {
    std::vector<double> values = line.hold;
    values.at(line.along) = x;
    return leverage(m.fit, values.data());
  }
  thread_local std::vector<dd> full;
  thread_local std::vector<double> kept;
  full.resize(m.slope_terms.size());
  try {
    if (!design_row(*m.terms, point_on(m, line, x), full.data(), nullptr)) return inf;
  } catch (const data_error&) {
    return inf;
  }
  keep_columns(m, full.data(), kept);
  const double h = leverage(m.fit, kept.data());
  return std::isnan(h) ? inf : h;
}

const cell_range* held_cell(const model& m, const sweep_line& line) {
  if (!m.terms || m.cells.empty()) return nullptr;
  const std::vector<std::size_t> levels = held_levels(m, line);
  for (const auto& c : m.cells) {
    if (c.levels == levels) return &c;
  }
  return nullptr;
}

std::pair<double, double> swept_range(const model& m, const sweep_line& line) {
  if (const cell_range* c = held_cell(m, line); c != nullptr) {
    return {c->min.at(line.along), c->max.at(line.along)};
  }
  const auto& r = m.ranges.at(line.along);
  return {r.min, r.max};
}

sweep_line held_line(const model& m, const explore_request& r) {
  if (!m.terms) throw usage_error("held_line needs a model fitted from a formula");
  const model_terms& t = *m.terms;
  if (r.along >= m.ranges.size()) {
    throw usage_error("the swept column is not one of the numeric columns the model reads");
  }
  if (read_by_factor(t, m.ranges[r.along].name)) {
    throw usage_error("column '" + m.ranges[r.along].name +
                      "' is read by factor(), so it cannot be swept");
  }
  sweep_line line = line_at_means(m, r.along);
  for (const auto& [index, value] : r.hold) {
    if (index >= m.ranges.size() || index == r.along) {
      throw usage_error("a held column must be one of the model's other numeric columns");
    }
    line.hold[index] = value;
  }
  for (const auto& [v, level] : r.levels) {
    if (v >= t.variables.size() || !is_factor(t.variables[v]) ||
        level >= t.variables[v].levels.size()) {
      throw usage_error("a held level must be one of a factor's levels");
    }
    line.levels[v] = level;
  }
  // A column that factor() reads holds its level's value everywhere.
  for (std::size_t j = 0; j < m.ranges.size(); ++j) {
    for (std::size_t v = 0; v < t.variables.size(); ++v) {
      const variable_coding& var = t.variables[v];
      if (is_factor(var) && var.numeric_levels && var.column == m.ranges[j].name) {
        line.hold[j] = var.level_values.at(line.levels[v]);
      }
    }
  }
  return line;
}

bool defined_at(const model& m, const sweep_line& line, double x) {
  thread_local std::vector<dd> full;
  full.resize(m.slope_terms.size());
  try {
    design_row(*m.terms, point_on(m, line, x), full.data(), nullptr);
  } catch (const data_error&) {
    return false;
  }
  return true;
}

double end_inside_domain(const model& m, const sweep_line& line, double edge, double end) {
  if (defined_at(m, line, end) || !defined_at(m, line, edge)) return end;
  double inside = edge, outside = end;
  for (int it = 0; it < 200; ++it) {
    const double mid = inside + (outside - inside) / 2;
    if (mid == inside || mid == outside) break;
    (defined_at(m, line, mid) ? inside : outside) = mid;
  }
  return edge + (inside - edge) / 2;
}

double fit_on_line(const model& m, const sweep_line& line, double x) {
  thread_local std::vector<dd> full;
  thread_local std::vector<double> kept;
  full.resize(m.slope_terms.size());
  try {
    if (!design_row(*m.terms, point_on(m, line, x), full.data(), nullptr))
      return std::numeric_limits<double>::quiet_NaN();
  } catch (const data_error&) {
    return std::numeric_limits<double>::quiet_NaN();
  }
  keep_columns(m, full.data(), kept);
  return fitted_value(m.fit, kept.data());
}

exploration explore_formula(const model& m, const explore_request& request,
                            const formula_frame& frame) {
  exploration e = explore_formula(m, request);
  if (std::none_of(e.held.begin(), e.held.end(),
                   [](const exploration::held_column& h) { return !h.factor; })) {
    return e;  // factors alone: the held cell's rows are the points as they are
  }
  const sweep_line line = held_line(m, request);
  const std::size_t width = frame.ranges.size();
  std::vector<double> kept;
  for (std::size_t i = 0; i < frame.rows(); ++i) {
    keep_columns(m, frame.x.data() + i * frame.p, kept);
    const double fitted = fitted_value(m.fit, kept.data());
    const double x = frame.range_values.at(i * width + request.along);
    e.partial_residuals.push_back(double(frame.y[i]) - fitted + fit_on_line(m, line, x));
  }
  return e;
}

}  // namespace regress
