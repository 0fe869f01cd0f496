#include "regress/files/formula_io.hpp"

#include <cmath>
#include <string>
#include <vector>

#include "regress/error.hpp"
#include "regress/model/formula.hpp"

namespace regress::files {
namespace {
const char* kind_name(variable_coding::kind k) {
  switch (k) {
    case variable_coding::kind::factor:
      return "factor";
    case variable_coding::kind::poly:
      return "poly";
    case variable_coding::kind::spline:
      return "spline";
    case variable_coding::kind::numeric:
      break;
  }
  return "numeric";
}

std::vector<std::string> strings(const json& obj, const char* key, const json_reader& rd) {
  const json& v = rd.field(obj, key);
  if (!v.is_array()) rd.fail(std::string("field '") + key + "' must be an array of names");
  std::vector<std::string> out;
  for (const auto& s : v) {
    if (!s.is_string()) rd.fail(std::string("field '") + key + "' must be an array of names");
    out.push_back(s.get<std::string>());
  }
  return out;
}

std::vector<double> doubles(const json& obj, const char* key, const json_reader& rd) {
  const json& v = rd.field(obj, key);
  if (!v.is_array()) rd.fail(std::string("field '") + key + "' must be an array of numbers");
  return rd.numbers(v, v.size(), key);
}

/// An ns() or bs() term's knots, as R's predvars keep them.
void read_spline(const json& j, const json_reader& rd, variable_coding& v) {
  if (v.type != variable_coding::kind::spline) rd.fail("variable '" + v.label + "' is no spline");
  spline_basis& s = v.spline;
  if (rd.boolean(j, "natural") != s.natural ||
      rd.count(j, "degree") != static_cast<std::size_t>(s.degree) ||
      rd.boolean(j, "intercept") != s.intercept) {
    rd.fail("the spline '" + v.label + "' does not match its formula");
  }
  s.knots = doubles(j, "knots", rd);
  if (s.degree > 30)  // as learn_knots allows
    rd.fail("the spline '" + v.label + "' has too high a degree");
  const std::vector<double> bounds = doubles(j, "boundary_knots", rd);
  if (bounds.size() != 2 || !(bounds[0] < bounds[1])) {
    rd.fail("the spline '" + v.label + "' needs two increasing boundary knots");
  }
  s.lower = bounds[0];
  s.upper = bounds[1];
  for (std::size_t i = 0; i < s.knots.size(); ++i) {
    if (!std::isfinite(s.knots[i]) || (i > 0 && s.knots[i] < s.knots[i - 1])) {
      rd.fail("the spline '" + v.label + "' has knots out of order");
    }
  }
  if (!s.knots_given && s.knots.size() != s.interior_count()) {
    rd.fail("the spline '" + v.label + "' has " + std::to_string(s.knots.size()) +
            " knots where its df asks for " + std::to_string(s.interior_count()));
  }
}

void read_variable(const json& j, const json_reader& rd, variable_coding& v) {
  const std::string kind = rd.string(j, "kind");
  if (rd.string(j, "label") != v.label) rd.fail("variable '" + v.label + "' does not match");
  if (kind == "factor") {
    v.type = variable_coding::kind::factor;
    v.column = rd.string(j, "column");
    v.levels = strings(j, "levels", rd);
    v.numeric_levels = rd.boolean(j, "numeric_levels");
    if (v.numeric_levels) {
      v.level_values = doubles(j, "level_values", rd);
      if (v.level_values.size() != v.levels.size()) rd.fail("factor levels do not match");
      for (std::size_t i = 1; i < v.level_values.size(); ++i) {
        if (!(v.level_values[i - 1] < v.level_values[i])) rd.fail("factor levels out of order");
      }
    }
    for (std::size_t i = 1; i < v.levels.size(); ++i) {
      if (!v.numeric_levels && !(v.levels[i - 1] < v.levels[i])) {
        rd.fail("factor levels out of order");
      }
    }
  } else if (kind == "poly") {
    v.type = variable_coding::kind::poly;
    v.raw = rd.boolean(j, "raw");
    if (!v.raw) {
      const auto d = static_cast<std::size_t>(v.degree);
      v.alpha = rd.numbers(rd.field(j, "alpha"), d, "alpha");
      v.norm2 = rd.numbers(rd.field(j, "norm2"), d + 2, "norm2");
      for (double n : v.norm2) {
        if (!(n > 0)) rd.fail("poly norms must be positive");
      }
    }
  } else if (kind == "spline") {
    read_spline(j, rd, v);
  } else if (kind != "numeric") {
    rd.fail("unknown variable kind '" + kind + "'");
  }
}
}  // namespace

json formula_json(const model& m) {
  const model_terms& t = *m.terms;
  json f;
  f["text"] = t.formula;
  f["call"] = t.call;
  f["data_columns"] = t.data_columns;
  f["weights"] = t.weights;
  f["numeric_columns"] = t.numeric_columns;
  f["factor_columns"] = t.factor_columns;
  json vars = json::array();
  for (const auto& v : t.variables) {
    json j{{"label", v.label}, {"kind", kind_name(v.type)}};
    if (v.type == variable_coding::kind::factor) {
      j["column"] = v.column;
      j["levels"] = v.levels;
      j["numeric_levels"] = v.numeric_levels;
      if (v.numeric_levels) j["level_values"] = v.level_values;
    } else if (v.type == variable_coding::kind::spline) {
      j["natural"] = v.spline.natural;
      j["degree"] = v.spline.degree;
      j["intercept"] = v.spline.intercept;
      j["knots"] = v.spline.knots;
      j["boundary_knots"] = std::vector<double>{v.spline.lower, v.spline.upper};
    } else if (v.type == variable_coding::kind::poly) {
      j["raw"] = v.raw;
      if (!v.raw) {
        j["alpha"] = v.alpha;
        j["norm2"] = v.norm2;
      }
    }
    vars.push_back(j);
  }
  f["variables"] = vars;
  json out;
  out["formula"] = f;
  std::vector<bool> aliased(m.aliased);
  aliased.resize(m.slope_terms.size(), false);
  out["aliased"] = aliased;
  json cells = json::array();
  for (const auto& c : m.cells) {
    cells.push_back({{"levels", c.levels}, {"min", c.min}, {"max", c.max}, {"rows", c.rows}});
  }
  out["cells"] = cells;
  out["weighted"] = m.fit.weighted;
  out["weight_sum"] = m.fit.weight_sum;
  out["log_weight_sum"] = m.fit.log_weight_sum;
  // A robust covariance (fit --vcov), for predict's se_fit: an optional
  // key, so files without it read as before.
  if (m.robust) {
    out["vcov"] = {{"type", vcov_name(m.robust->kind)},
                   {"cluster", m.robust->cluster},
                   {"clusters", m.robust->clusters},
                   {"matrix", m.robust->matrix}};
  }
  return out;
}

void read_formula(const json& root, const json_reader& rd, model& m) {
  const json& f = rd.field(root, "formula");
  model_terms t;
  t.data_columns = strings(f, "data_columns", rd);
  parsed_formula parsed;
  try {
    parsed = parse_formula(rd.string(f, "text"), t.data_columns);
  } catch (const usage_error& e) {
    rd.fail(std::string("its formula does not parse: ") + e.what());
  }
  t.formula = parsed.text;
  t.call = rd.string(f, "call");
  t.response = parsed.response;
  t.response_label = deparse(parsed.response);
  t.terms = parsed.terms;
  t.intercept = parsed.intercept;
  t.weights = rd.string(f, "weights");
  t.numeric_columns = strings(f, "numeric_columns", rd);
  t.factor_columns = strings(f, "factor_columns", rd);
  const json& vars = rd.field(f, "variables");
  if (!vars.is_array() || vars.size() != parsed.variables.size()) {
    rd.fail("field 'variables' does not match the formula");
  }
  for (std::size_t i = 0; i < parsed.variables.size(); ++i) {
    variable_coding v;
    v.label = parsed.labels.at(i);
    v.expr = parsed.variables[i];
    if (v.expr.type == formula_expr::kind::call && v.expr.name == "poly") {
      poly_arguments(parsed.variables[i], v);
    }
    if (v.expr.type == formula_expr::kind::call && (v.expr.name == "ns" || v.expr.name == "bs")) {
      v.type = variable_coding::kind::spline;
      spline_arguments(parsed.variables[i], v);
    }
    read_variable(vars[i], rd, v);
    t.variables.push_back(std::move(v));
  }
  lay_out_columns(t);
  if (t.column_names() != m.slope_terms) rd.fail("field 'terms' does not match the formula");
  const json& aliased = rd.field(root, "aliased");
  if (!aliased.is_array() || aliased.size() != m.slope_terms.size()) {
    rd.fail("field 'aliased' must have one entry per term");
  }
  bool any = false;
  for (const auto& a : aliased) {
    if (!a.is_boolean()) rd.fail("field 'aliased' must hold true or false");
    m.aliased.push_back(a.get<bool>());
    any = any || m.aliased.back();
  }
  if (!any) m.aliased.clear();
  for (const auto& c : rd.field(root, "cells")) {
    cell_range cell;
    for (const auto& l : rd.field(c, "levels")) {
      if (!l.is_number_unsigned()) rd.fail("cell levels must be level numbers");
      cell.levels.push_back(l.get<std::size_t>());
    }
    cell.min = rd.numbers(rd.field(c, "min"), m.ranges.size(), "min");
    cell.max = rd.numbers(rd.field(c, "max"), m.ranges.size(), "max");
    cell.rows = rd.count(c, "rows");
    m.cells.push_back(std::move(cell));
  }
  m.fit.weighted = rd.boolean(root, "weighted");
  m.fit.weight_sum = rd.number(root, "weight_sum");
  m.fit.log_weight_sum = rd.number(root, "log_weight_sum");
  if (root.contains("vcov")) {
    const json& v = root.at("vcov");
    robust_vcov r;
    try {
      r.kind = parse_vcov(rd.string(v, "type"));
    } catch (const usage_error&) {
      rd.fail("field 'vcov' names an unknown covariance");
    }
    r.cluster = rd.string(v, "cluster");
    r.clusters = rd.count(v, "clusters");
    std::size_t p = m.fit.k() + (m.fit.intercept ? 1 : 0);
    r.matrix = rd.numbers(rd.field(v, "matrix"), p * p, "matrix");
    m.robust = std::move(r);
  }
  m.terms = std::move(t);
}

}  // namespace regress::files
