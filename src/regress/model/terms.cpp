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
    case kind::spline:
      return spline.width();
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
    case variable_coding::kind::spline:
      // model.matrix names a one-column matrix by its label alone: ns(x).
      return var.width() == 1 ? var.label : var.label + std::to_string(part + 1);
    case variable_coding::kind::numeric:
      break;
  }
  return var.label;
}
}  // namespace

void lay_out_columns(model_terms& t) {
  t.response_code = compiled_expr(t, t.response);
  for (auto& v : t.variables) {
    if (v.type != variable_coding::kind::factor) v.code = compiled_expr(t, v.expr);
  }
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

[[noreturn]] void domain_error(const std::string& label, const char* what, double at) {
  throw data_error("'" + label + "' " + what + " at " + r_number_name(at) +
                   "; drop the row, fix the value or change the formula");
}

double checked(const std::string& label, double value, double arg) {
  if (std::isnan(value)) domain_error(label, "is not defined", arg);
  if (std::isinf(value)) domain_error(label, "is infinite", arg);
  return value;
}

dd power(dd base, const std::string& label, double exponent) {
  if (exponent == std::floor(exponent) && std::abs(exponent) <= 64) {
    dd result(1.0);
    for (int i = 0; i < static_cast<int>(std::abs(exponent)); ++i) result = result * base;
    if (exponent < 0) result = dd(1.0) / result;
    checked(label, double(result), double(base));
    return result;
  }
  return dd(checked(label, std::pow(double(base), exponent), double(base)));
}

double log_of(double x) { return x > 0 ? std::log(x) : (x == 0 ? -HUGE_VAL : NAN); }
}  // namespace

compiled_expr::compiled_expr(const model_terms& t, const formula_expr& e) {
  emit(t, e);
  std::size_t depth = 0;
  for (const step& s : steps_) {
    depth += s.code == op::column || s.code == op::constant ? 1 : 0;
    depth -= s.code >= op::add && s.code <= op::log_base ? 1 : 0;
    depth_ = std::max(depth_, depth);
  }
}

void compiled_expr::emit(const model_terms& t, const formula_expr& e) {
  auto labelled = [&](op code) {
    labels_.push_back(deparse(e));
    steps_.push_back({code, 0, 0, labels_.size() - 1});
  };
  switch (e.type) {
    case formula_expr::kind::column:
      steps_.push_back({op::column, numeric_index(t, e.name), 0, 0});
      return;
    case formula_expr::kind::number:
    case formula_expr::kind::logical:
      steps_.push_back({op::constant, 0, e.number, 0});
      return;
    case formula_expr::kind::paren:
      emit(t, e.args.at(0));
      return;
    case formula_expr::kind::negate:
      emit(t, e.args.at(0));
      steps_.push_back({op::negate, 0, 0, 0});
      return;
    case formula_expr::kind::binary: {
      emit(t, e.args.at(0));
      emit(t, e.args.at(1));
      const std::string& o = e.name;
      const op code = o == "+"   ? op::add
                      : o == "-" ? op::subtract
                      : o == "*" ? op::multiply
                      : o == "/" ? op::divide
                      : o == "^" ? op::power
                                 : op::none;
      if (code == op::none) {
        throw usage_error("operator '" + o + "' cannot be used inside an expression here");
      }
      labelled(code);
      return;
    }
    case formula_expr::kind::call:
      break;
  }
  const std::string& f = e.name;
  emit(t, *call_argument(e, "", 0));
  if (f == "I") return;
  if (f == "log") {
    if (const formula_expr* b = call_argument(e, "base", 1); b != nullptr) {
      emit(t, *b);
      labelled(op::log_base);
      return;
    }
    labelled(op::log);
    return;
  }
  const op code = f == "log2"    ? op::log2
                  : f == "log10" ? op::log10
                  : f == "log1p" ? op::log1p
                  : f == "exp"   ? op::exp
                  : f == "sqrt"  ? op::sqrt
                  : f == "abs"   ? op::abs
                                 : op::none;
  if (code == op::none) {
    throw usage_error("function '" + f + "' cannot be used inside an expression here");
  }
  labelled(code);
}

dd compiled_expr::operator()(const row_values& row) const {
  thread_local std::vector<dd> stack;
  stack.resize(std::max<std::size_t>(depth_, 1));
  std::size_t top = 0;  // values on the stack
  for (const step& s : steps_) {
    const std::string* label = s.code >= op::add ? &labels_[s.label] : nullptr;
    switch (s.code) {
      case op::column:
        stack[top++] = row.numbers[s.column];
        continue;
      case op::constant:
        stack[top++] = dd(s.value);
        continue;
      case op::negate:
        stack[top - 1] = -stack[top - 1];
        continue;
      default:
        break;
    }
    if (s.code > op::log_base) {
      stack[top - 1] = unary(s, stack[top - 1]);
      continue;
    }
    dd& a = stack[top - (s.code <= op::log_base ? 2 : 1)];
    const dd b = stack[top - 1];
    const double x = double(a);
    switch (s.code) {
      case op::add:
        a = a + b;
        break;
      case op::subtract:
        a = a - b;
        break;
      case op::multiply:
        a = a * b;
        break;
      case op::divide:
        checked(*label, double(a) / double(b), double(b));
        a = a / b;
        break;
      case op::power:
        a = power(a, *label, double(b));
        break;
      case op::log_base:
        a = dd(checked(*label, log_of(x) / std::log(double(b)), x));
        break;
      default:
        break;
    }
    if (s.code <= op::log_base) --top;
  }
  return stack[0];
}

dd compiled_expr::unary(const step& s, dd a) const {
  const std::string& label = labels_[s.label];
  const double x = double(a);
  switch (s.code) {
    case op::log:
      return dd(checked(label, log_of(x), x));
    case op::log2:
      return dd(checked(label, x > 0 ? std::log2(x) : (x == 0 ? -HUGE_VAL : NAN), x));
    case op::log10:
      return dd(checked(label, x > 0 ? std::log10(x) : (x == 0 ? -HUGE_VAL : NAN), x));
    case op::log1p:
      return dd(checked(label, x > -1 ? std::log1p(x) : (x == -1 ? -HUGE_VAL : NAN), x));
    case op::exp:
      return dd(checked(label, std::exp(x), x));
    case op::sqrt:
      return dd(checked(label, x >= 0 ? std::sqrt(x) : NAN, x));
    default:  // abs
      return a.hi < 0 ? -a : a;
  }
}

std::size_t compiled_expr::unary_column() const noexcept {
  return steps_.size() == 2 && steps_[0].code == op::column && steps_[1].code > op::log_base &&
                 steps_[1].code < op::none
             ? steps_[0].column
             : static_cast<std::size_t>(-1);
}

dd compiled_expr::apply_unary(dd x) const { return unary(steps_[1], x); }

bool compiled_expr::unary_is_log() const noexcept {
  return unary_column() != static_cast<std::size_t>(-1) && steps_[1].code == op::log;
}

dd evaluate(const model_terms& t, const formula_expr& e, const row_values& row) {
  return compiled_expr(t, e)(row);
}

dd response_value(const model_terms& t, const row_values& row) {
  const dd v = t.response_code ? t.response_code(row) : evaluate(t, t.response, row);
  if (!std::isfinite(v.hi)) checked(t.response_label, v.hi, v.hi);
  return v;
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
        value[v] = var.code ? var.code(row) : evaluate(t, var.expr, row);
        break;
      case variable_coding::kind::factor:
        level[v] = factor_level(t, v, row);
        if (level[v] == unseen_level) {
          if (unseen != nullptr) *unseen = v;
          return false;
        }
        break;
      case variable_coding::kind::poly: {
        const dd x = var.code ? var.code(row) : evaluate(t, var.expr, row);
        if (!std::isfinite(x.hi)) checked(var.label, x.hi, x.hi);
        poly[v].resize(var.width());
        for (std::size_t p = 0; p < var.width(); ++p) poly[v][p] = poly_column(var, x, p);
        break;
      }
      case variable_coding::kind::spline: {
        const dd x = var.code ? var.code(row) : evaluate(t, var.expr, row);
        if (!std::isfinite(x.hi)) checked(var.label, x.hi, x.hi);
        poly[v].resize(var.width());
        spline_row(var.spline, double(x), poly[v].data());
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
        case variable_coding::kind::spline:
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

namespace {
/// The numbers of a literal vector: a number, -number, or c() of them.
std::vector<double> literal_numbers(const formula_expr& e) {
  if (e.type == formula_expr::kind::paren) return literal_numbers(e.args.at(0));
  if (e.type == formula_expr::kind::negate) {
    std::vector<double> v = literal_numbers(e.args.at(0));
    for (double& x : v) x = -x;
    return v;
  }
  if (e.type == formula_expr::kind::call && e.name == "c") {
    std::vector<double> v;
    for (const auto& a : e.args) {
      const std::vector<double> more = literal_numbers(a);
      v.insert(v.end(), more.begin(), more.end());
    }
    return v;
  }
  return {e.number};
}
}  // namespace

void spline_arguments(const formula_expr& call, variable_coding& v) {
  constexpr std::size_t named_only = static_cast<std::size_t>(-1);
  v.expr = *call_argument(call, "", 0);
  spline_basis& s = v.spline;
  s.natural = call.name == "ns";
  if (const formula_expr* df = call_argument(call, "df", 1); df != nullptr) {
    s.df = static_cast<int>(df->number);
  }
  if (const formula_expr* d = call_argument(call, "degree", named_only); d != nullptr) {
    s.degree = static_cast<int>(d->number);
  }
  v.degree = s.degree;
  if (const formula_expr* i = call_argument(call, "intercept", named_only); i != nullptr) {
    s.intercept = i->number != 0;
  }
  if (const formula_expr* k = call_argument(call, "knots", named_only); k != nullptr) {
    s.knots_given = true;
    s.knots = literal_numbers(*k);
    std::sort(s.knots.begin(), s.knots.end());
  }
  if (const formula_expr* b = call_argument(call, "Boundary.knots", named_only); b != nullptr) {
    std::vector<double> ends = literal_numbers(*b);
    std::sort(ends.begin(), ends.end());
    s.bounds_given = true;
    s.lower = ends.front();
    s.upper = ends.back();
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
