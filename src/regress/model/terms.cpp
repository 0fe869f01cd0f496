#include "regress/model/terms.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "regress/error.hpp"

namespace regress {

std::size_t variable_coding::width() const noexcept {
  switch (type) {
    case kind::factor:
      return levels.size();
    case kind::poly:
      return static_cast<std::size_t>(degree);
    case kind::numeric:
      break;
  }
  return 1;
}

std::vector<std::string> model_terms::column_names() const {
  std::vector<std::string> names;
  names.reserve(columns.size());
  for (const auto& c : columns) names.push_back(c.name);
  return names;
}

namespace {
bool is_factor(const model_terms& t, std::size_t v) {
  return t.variables[v].type == variable_coding::kind::factor;
}

/// R's TermCode: factor `v` of term `j` is coded by contrasts when the term
/// without it is empty or contained in an earlier term.
bool by_contrasts(const model_terms& t, std::size_t j, std::size_t v) {
  std::vector<std::size_t> rest;
  for (std::size_t u : t.terms[j].variables) {
    if (u != v) rest.push_back(u);
  }
  if (rest.empty()) return true;
  for (std::size_t i = 0; i < j; ++i) {
    const auto& earlier = t.terms[i].variables;
    if (std::includes(earlier.begin(), earlier.end(), rest.begin(), rest.end())) return true;
  }
  return false;
}

/// The parts (level, poly column, or 0) variable `v` takes in a term.
std::vector<std::size_t> parts_of(const variable_coding& var, bool contrasts) {
  std::vector<std::size_t> parts;
  const std::size_t first = var.type == variable_coding::kind::factor && contrasts ? 1 : 0;
  for (std::size_t p = first; p < var.width(); ++p) parts.push_back(p);
  return parts;
}

std::string part_name(const variable_coding& var, std::size_t part) {
  switch (var.type) {
    case variable_coding::kind::factor:
      return var.label + var.levels.at(part);
    case variable_coding::kind::poly:
      return var.label + std::to_string(part + 1);
    case variable_coding::kind::numeric:
      break;
  }
  return var.label;
}
}  // namespace

void lay_out_columns(model_terms& t) {
  t.contrasts.assign(t.terms.size(), {});
  for (std::size_t j = 0; j < t.terms.size(); ++j) {
    for (std::size_t v : t.terms[j].variables) {
      t.contrasts[j].push_back(!is_factor(t, v) || by_contrasts(t, j, v));
    }
  }
  // model.matrix: without an intercept the first factor of the first term
  // holding one is coded by an indicator for every level.
  if (!t.intercept) {
    bool done = false;
    for (std::size_t j = 0; j < t.terms.size() && !done; ++j) {
      const auto& vars = t.terms[j].variables;
      for (std::size_t q = 0; q < vars.size() && !done; ++q) {
        if (is_factor(t, vars[q]) && t.variables[vars[q]].levels.size() > 1) {
          t.contrasts[j][q] = false;
          done = true;
        }
      }
    }
  }
  t.columns.clear();
  for (std::size_t j = 0; j < t.terms.size(); ++j) {
    const auto& vars = t.terms[j].variables;
    std::vector<std::vector<std::size_t>> parts;
    for (std::size_t q = 0; q < vars.size(); ++q) {
      parts.push_back(parts_of(t.variables[vars[q]], t.contrasts[j][q]));
    }
    // Every combination, the first variable varying fastest (as R).
    std::vector<std::size_t> at(vars.size(), 0);
    bool empty = false;
    for (const auto& p : parts) empty = empty || p.empty();
    while (!empty) {
      design_column c;
      c.term = j;
      for (std::size_t q = 0; q < vars.size(); ++q) {
        const std::size_t part = parts[q][at[q]];
        c.part.push_back(part);
        if (q > 0) c.name += ':';
        c.name += part_name(t.variables[vars[q]], part);
      }
      t.columns.push_back(std::move(c));
      std::size_t q = 0;
      while (q < vars.size() && ++at[q] == parts[q].size()) at[q++] = 0;
      if (q == vars.size()) break;
    }
  }
}

namespace {
std::size_t numeric_index(const model_terms& t, const std::string& column) {
  for (std::size_t i = 0; i < t.numeric_columns.size(); ++i) {
    if (t.numeric_columns[i] == column) return i;
  }
  throw usage_error("column '" + column + "' holds text, so it can only be a factor");
}

std::size_t factor_index(const model_terms& t, const std::string& column) {
  for (std::size_t i = 0; i < t.factor_columns.size(); ++i) {
    if (t.factor_columns[i] == column) return i;
  }
  return t.factor_columns.size();
}

[[noreturn]] void domain_error(const formula_expr& e, const char* what, double at) {
  throw data_error("'" + deparse(e) + "' " + what + " at " + r_number_name(at) +
                   "; drop the row, fix the value or change the formula");
}

double checked(const formula_expr& e, double value, double arg) {
  if (std::isnan(value)) domain_error(e, "is not defined", arg);
  if (std::isinf(value)) domain_error(e, "is infinite", arg);
  return value;
}

dd power(dd base, const formula_expr& e, double exponent) {
  if (exponent == std::floor(exponent) && std::abs(exponent) <= 64) {
    dd result(1.0);
    for (int i = 0; i < static_cast<int>(std::abs(exponent)); ++i) result = result * base;
    if (exponent < 0) result = dd(1.0) / result;
    checked(e, double(result), double(base));
    return result;
  }
  return dd(checked(e, std::pow(double(base), exponent), double(base)));
}

dd call(const model_terms& t, const formula_expr& e, const row_values& row) {
  const dd a = evaluate(t, *call_argument(e, "", 0), row);
  const double x = double(a);
  const std::string& f = e.name;
  if (f == "I") return a;
  if (f == "log") {
    if (const formula_expr* b = call_argument(e, "base", 1); b != nullptr) {
      const double base = double(evaluate(t, *b, row));
      return dd(checked(e, std::log(x) / std::log(base), x));
    }
    return dd(checked(e, x > 0 ? std::log(x) : (x == 0 ? -HUGE_VAL : NAN), x));
  }
  if (f == "log2") return dd(checked(e, x > 0 ? std::log2(x) : (x == 0 ? -HUGE_VAL : NAN), x));
  if (f == "log10") {
    return dd(checked(e, x > 0 ? std::log10(x) : (x == 0 ? -HUGE_VAL : NAN), x));
  }
  if (f == "log1p") {
    return dd(checked(e, x > -1 ? std::log1p(x) : (x == -1 ? -HUGE_VAL : NAN), x));
  }
  if (f == "exp") return dd(checked(e, std::exp(x), x));
  if (f == "sqrt") return dd(checked(e, x >= 0 ? std::sqrt(x) : NAN, x));
  if (f == "abs") return a.hi < 0 ? -a : a;
  throw usage_error("function '" + f + "' cannot be used inside an expression here");
}
}  // namespace

dd evaluate(const model_terms& t, const formula_expr& e, const row_values& row) {
  switch (e.type) {
    case formula_expr::kind::column:
      return row.numbers.at(numeric_index(t, e.name));
    case formula_expr::kind::number:
    case formula_expr::kind::logical:
      return dd(e.number);
    case formula_expr::kind::paren:
      return evaluate(t, e.args.at(0), row);
    case formula_expr::kind::negate:
      return -evaluate(t, e.args.at(0), row);
    case formula_expr::kind::call:
      return call(t, e, row);
    case formula_expr::kind::binary:
      break;
  }
  const dd a = evaluate(t, e.args.at(0), row);
  const dd b = evaluate(t, e.args.at(1), row);
  const std::string& op = e.name;
  if (op == "+") return a + b;
  if (op == "-") return a - b;
  if (op == "*") return a * b;
  if (op == "/") {
    const double q = double(a) / double(b);
    checked(e, q, double(b));
    return a / b;
  }
  if (op == "^") return power(a, e, double(b));
  throw usage_error("operator '" + op + "' cannot be used inside an expression here");
}

dd response_value(const model_terms& t, const row_values& row) {
  const dd v = evaluate(t, t.response, row);
  return dd(checked(t.response, double(v), double(v)), v.lo);
}

std::size_t factor_level(const model_terms& t, std::size_t v, const row_values& row) {
  const variable_coding& var = t.variables[v];
  if (var.numeric_levels) {
    const double x = double(row.numbers.at(numeric_index(t, var.column)));
    const auto it = std::lower_bound(var.level_values.begin(), var.level_values.end(), x);
    return it != var.level_values.end() && *it == x
               ? static_cast<std::size_t>(it - var.level_values.begin())
               : unseen_level;
  }
  const std::size_t c = factor_index(t, var.column);
  const std::string_view text = row.text.at(c);
  const auto it = std::lower_bound(var.levels.begin(), var.levels.end(), text,
                                   [](const std::string& a, std::string_view b) { return a < b; });
  return it != var.levels.end() && *it == text ? static_cast<std::size_t>(it - var.levels.begin())
                                               : unseen_level;
}

namespace {
/// Column `part` (0-based) of poly() at x: R's predict for poly (three-term
/// recurrence with the saved coefficients), or the raw power.
double poly_column(const variable_coding& var, dd x, std::size_t part) {
  if (var.raw) {
    dd p = x;
    for (std::size_t i = 0; i < part; ++i) p = p * x;
    return double(p);
  }
  const double xv = double(x);
  double z0 = 1, z1 = xv - var.alpha.at(0);
  for (std::size_t i = 2; i <= part + 1; ++i) {
    const double z2 =
        (xv - var.alpha.at(i - 1)) * z1 - (var.norm2.at(i) / var.norm2.at(i - 1)) * z0;
    z0 = z1;
    z1 = z2;
  }
  return z1 / std::sqrt(var.norm2.at(part + 2));
}
}  // namespace

bool design_row(const model_terms& t, const row_values& row, dd* out, std::size_t* unseen) {
  // Each variable once: its value, level or poly columns.
  thread_local std::vector<dd> value;
  thread_local std::vector<std::size_t> level;
  thread_local std::vector<std::vector<double>> poly;
  value.assign(t.variables.size(), dd());
  level.assign(t.variables.size(), 0);
  poly.resize(t.variables.size());
  for (std::size_t v = 0; v < t.variables.size(); ++v) {
    const variable_coding& var = t.variables[v];
    switch (var.type) {
      case variable_coding::kind::numeric:
        value[v] = evaluate(t, var.expr, row);
        break;
      case variable_coding::kind::factor:
        level[v] = factor_level(t, v, row);
        if (level[v] == unseen_level) {
          if (unseen != nullptr) *unseen = v;
          return false;
        }
        break;
      case variable_coding::kind::poly: {
        const dd x = evaluate(t, var.expr, row);
        checked(var.expr, double(x), double(x));
        poly[v].resize(var.width());
        for (std::size_t p = 0; p < var.width(); ++p) poly[v][p] = poly_column(var, x, p);
        break;
      }
    }
  }
  for (std::size_t c = 0; c < t.columns.size(); ++c) {
    const design_column& col = t.columns[c];
    const auto& vars = t.terms[col.term].variables;
    dd x(1.0);
    for (std::size_t q = 0; q < vars.size(); ++q) {
      const std::size_t v = vars[q];
      switch (t.variables[v].type) {
        case variable_coding::kind::numeric:
          x = x * value[v];
          break;
        case variable_coding::kind::factor:
          if (level[v] != col.part[q]) x = dd();
          break;
        case variable_coding::kind::poly:
          x = x * dd(poly[v][col.part[q]]);
          break;
      }
    }
    out[c] = x;
  }
  return true;
}

void poly_arguments(const formula_expr& call, variable_coding& v) {
  v.expr = *call_argument(call, "", 0);
  if (const formula_expr* d = call_argument(call, "degree", 1); d != nullptr) {
    v.degree = static_cast<int>(d->number);
  }
  if (const formula_expr* r = call_argument(call, "raw", static_cast<std::size_t>(-1));
      r != nullptr) {
    v.raw = r->number != 0;
  }
}

std::string r_number_name(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Inf" : "-Inf";
  if (v == 0) return "0";
  // The fewest significant digits (up to 15) that give the value to 15.
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.14e", v);
  const double target = std::strtod(buf, nullptr);
  int digits = 1;
  for (; digits < 15; ++digits) {
    std::snprintf(buf, sizeof buf, "%.*e", digits - 1, v);
    if (std::strtod(buf, nullptr) == target) break;
  }
  std::snprintf(buf, sizeof buf, "%.*e", digits - 1, v);
  const int exponent = std::atoi(std::strchr(buf, 'e') + 1);
  const int neg = v < 0 ? 1 : 0;
  const int sci_width = neg + (digits > 1 ? digits + 1 : 1) + (std::abs(exponent) >= 100 ? 5 : 4);
  const int right = std::max(0, digits - exponent - 1);
  const int left = exponent >= 0 ? exponent + 1 : 1;
  const int fixed_width = neg + left + (right > 0 ? right + 1 : 0);
  if (fixed_width <= sci_width) {
    std::snprintf(buf, sizeof buf, "%.*f", right, v);
    return buf;
  }
  // R writes the exponent with at least two digits: 1e+05, 1.5e-07.
  std::string s(buf);
  return s;
}

}  // namespace regress
