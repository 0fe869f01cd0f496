// explore for a model given as a formula: --along and --hold against the
// model's columns and levels, the sweep's ends inside the formula's domain.

#include "formula_explore.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "explore_stream.hpp"
#include "messages.hpp"
#include "regress/error.hpp"
#include "regress/pictures/explore_picture.hpp"
#include "regress/reading/number.hpp"
#include "regress/reading/table.hpp"

namespace regress::cli {
namespace {

/// Holds every factor that reads `column` at the level `text`. Returns false
/// when no factor reads it; throws usage_error for a level never seen.
bool hold_level(const model& m, const std::string& column, const std::string& text,
                explore_request& r) {
  bool found = false;
  const auto& vars = m.terms->variables;
  for (std::size_t v = 0; v < vars.size(); ++v) {
    const variable_coding& var = vars[v];
    if (var.type != variable_coding::kind::factor || var.column != column) continue;
    found = true;
    std::size_t level = var.levels.size();
    double number = 0;
    for (std::size_t i = 0; i < var.levels.size(); ++i) {
      const bool same = var.numeric_levels ? parse_cell(text, number) == cell_kind::number &&
                                                 number == var.level_values[i]
                                           : var.levels[i] == text;
      if (same) level = i;
    }
    if (level == var.levels.size()) {
      throw usage_error("--hold " + column + "=" + text + ": '" + text + "' is not a level of '" +
                        var.label +
                        "' seen in training; its levels are: " + column_list(var.levels));
    }
    r.levels.emplace_back(v, level);
  }
  return found;
}

void resolve_holds(const explore_options& o, const model& m, explore_request& r) {
  // --hold may name any column the right-hand side reads.
  const std::vector<std::string> names = predictor_columns(*m.terms);
  for (const auto& h : o.hold) {
    const auto eq = h.find('=');
    const std::string col = h.substr(0, eq);
    const std::string value = eq == std::string::npos ? "" : h.substr(eq + 1);
    if (eq == std::string::npos || std::find(names.begin(), names.end(), col) == names.end()) {
      throw usage_error(
          "--hold takes COL=V with COL a column the formula's right-hand side "
          "reads (" +
          column_list(names) + "); got '" + h + "'");
    }
    if (col == m.ranges[r.along].name) {
      throw usage_error("--hold '" + col + "' is the swept column (--along)");
    }
    if (hold_level(m, col, value, r)) continue;
    double v = 0;
    if (parse_cell(value, v) != cell_kind::number) {
      throw usage_error("--hold " + h + ": '" + col + "' is a numeric column; give a number");
    }
    for (std::size_t j = 0; j < m.ranges.size(); ++j) {
      if (m.ranges[j].name == col) r.hold.emplace_back(j, v);
    }
  }
}

/// The sweep's ends: given ones where the formula is defined, default ones
/// pulled inside its domain.
void resolve_ends(const explore_options& o, const model& m, explore_request& r, std::ostream& err) {
  const predictor_range& range = m.ranges[r.along];
  const double span = range.max - range.min;
  const sweep_line line = held_line(m, r);
  if (!defined_at(m, line, range.min) && !defined_at(m, line, range.max)) {
    throw usage_error("the formula cannot be evaluated at the held values; change --hold");
  }
  const std::string& x = range.name;
  auto end = [&](const std::optional<double>& given, double edge, double fallback, const char* flag,
                 const char* verb) {
    if (given) {
      if (!defined_at(m, line, *given)) {
        throw usage_error(
            fmt::format("{} {}: the formula is not defined at {} = {}; {} the "
                        "sweep where it is",
                        flag, *given, x, *given, verb));
      }
      return *given;
    }
    const double v = end_inside_domain(m, line, edge, fallback);
    if (v != fallback) {
      warn(err, fmt::format("the formula is not defined at {} = {:.6g}, so the sweep {}s at "
                            "{:.6g}, halfway from the data to where it stops being defined "
                            "({} sets it)",
                            x, fallback, verb, v, flag));
    }
    return v;
  };
  r.from = end(o.from, range.min, range.min - o.span * span, "--from", "start");
  r.to = end(o.to, range.max, range.max + o.span * span, "--to", "end");
  if (!std::isfinite(r.from) || !std::isfinite(r.to)) {
    throw usage_error("--from and --to must be finite numbers");
  }
  if (!(r.from < r.to)) throw usage_error("--from must be less than --to");
}

}  // namespace

explore_request make_formula_request(const explore_options& o, const model& m, std::ostream& err) {
  explore_request r;
  r.steps = o.steps;
  r.level = o.data.level;
  r.trust = o.trust;
  // -y/-x with --weights sweeps the first -x by default, as without.
  r.along =
      o.data.formula.empty() && o.along.empty() ? 0 : formula_along(m.ranges, *m.terms, o.along);
  resolve_holds(o, m, r);
  resolve_ends(o, m, r, err);
  return r;
}

namespace {

/// Whether the formula calls ns() or bs(): such a model is fitted in memory
/// (its knots are quantiles of the data), without a pass over its rows.
bool calls_spline(const std::string& formula) {
  const auto part_of_name = [&](std::size_t at) {
    const auto c = static_cast<unsigned char>(formula[at]);
    return std::isalnum(c) != 0 || c == '.' || c == '_';
  };
  for (const char* name : {"ns", "bs"}) {
    for (std::size_t at = formula.find(name); at != std::string::npos;
         at = formula.find(name, at + 1)) {
      if (at > 0 && part_of_name(at - 1)) continue;
      std::size_t next = at + 2;
      while (next < formula.size() && formula[next] == ' ') ++next;
      if (next < formula.size() && formula[next] == '(') return true;
    }
  }
  return false;
}

/// A spline formula: read into memory, fitted and explored with the rows
/// at hand.
int explore_in_memory(const explore_options& o, std::istream& in, std::ostream& out,
                      std::ostream& err, const terminal& term) {
  const formula_data data = load_formula_data(o.data, in, err);
  const model m = fit_formula(data.frame, o.data.level);
  warn_aliased(err, m);
  exploration e = explore_formula(m, make_formula_request(o, m, err), data.frame);
  e.notes = spline_notes(*m.terms);
  show_exploration(
      o, e, [&] { return explore_picture(e, data.frame); }, out, term);
  return ok;
}

}  // namespace

int run_formula_explore(const explore_options& o, std::istream& in, std::ostream& out,
                        std::ostream& err, const terminal& term) {
  if (o.degrees.size() > 1) {
    throw usage_error(
        "--degree with several degrees compares -y/-x polynomials; it does not work with a "
        "formula or --weights (write the polynomial in the formula: poly(x, 3))");
  }
  if (calls_spline(o.data.formula)) return explore_in_memory(o, in, out, err, term);
  // The streaming engine fits; when a picture is drawn, a pass over the rows
  // explores the model before its first row (warnings held until the fit's
  // own are given) and offers the held cell's rows to the picture's sample.
  const bool picture = !o.svg.empty() || o.format == output_format::text;
  std::ostringstream later;
  std::optional<exploration> e;
  std::optional<point_sample> points;
  std::size_t column = 0, cell = 0;
  bool by_cell = false;
  const row_pass pass = streamed_rows(
      [&](const model& m) {
        e = explore_formula(m, make_formula_request(o, m, later));
        column = numeric_column(m, e->along_name);
        by_cell = !e->cell_name.empty();
        cell = e->cell ? e->cell->index : static_cast<std::size_t>(-1);
        const std::size_t count = by_cell ? (e->cell ? e->cell->rows : 0) : e->nobs;
        const double low = e->cell ? e->cell->min : e->training.min;
        const double high = e->cell ? e->cell->max : e->training.max;
        points.emplace(count, low, high);
        points->partial = std::any_of(e->held.begin(), e->held.end(),
                                      [](const exploration::held_column& h) { return !h.factor; });
      },
      [&](const streamed_row& r) {
        if (by_cell && r.cell != cell) return;
        const double x = r.numbers[column];
        if (!points->take(x)) return;
        const model& m = *e->models.front().fitted;
        points->keep(x, points->partial ? r.y - r.fitted + fit_on_line(m, e->line, x) : r.y);
      });
  const engine_result r =
      fit_formula_data(o.data, in, err, true, nullptr, picture ? &pass : nullptr);
  if (!e) e = explore_formula(r.fitted, make_formula_request(o, r.fitted, later));
  if (!points) points.emplace(0, 0.0, 0.0);
  err << later.str();
  e->notes = spline_notes(*r.fitted.terms);
  show_exploration(
      o, *e, [&] { return explore_picture(*e, *points); }, out, term);
  return ok;
}

}  // namespace regress::cli
