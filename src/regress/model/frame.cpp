#include "regress/model/frame.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <set>
#include <utility>

#include "regress/error.hpp"
#include "regress/model/formula.hpp"
#include "regress/reading/number.hpp"
#include "regress/reading/table.hpp"

namespace regress {
namespace {

void add_unique(std::vector<std::string>& list, const std::string& name) {
  if (std::find(list.begin(), list.end(), name) == list.end()) list.push_back(name);
}

using raw_columns = formula_rows;

const formula_expr* plain_column(const formula_expr& e) {
  if (e.type == formula_expr::kind::paren) return plain_column(e.args.at(0));
  return e.type == formula_expr::kind::column ? &e : nullptr;
}

/// The variable's kind from its expression and the columns' kinds.
variable_coding code_variable(const formula_expr& e, const std::string& label,
                              const std::function<bool(const std::string&)>& text_column,
                              const std::string& formula) {
  variable_coding v;
  v.label = label;
  v.expr = e;
  if (e.type == formula_expr::kind::call && e.name == "factor") {
    const formula_expr* col = plain_column(*call_argument(e, "", 0));
    if (col == nullptr) {
      throw usage_error("formula '" + formula + "': factor() takes a column name, as in factor(" +
                        "cyl)");
    }
    v.type = variable_coding::kind::factor;
    v.column = col->name;
    v.numeric_levels = !text_column(col->name);
    return v;
  }
  if (e.type == formula_expr::kind::call && (e.name == "ns" || e.name == "bs")) {
    v.type = variable_coding::kind::spline;
    spline_arguments(e, v);
  } else if (e.type == formula_expr::kind::call && e.name == "poly") {
    v.type = variable_coding::kind::poly;
    poly_arguments(e, v);
  } else if (const formula_expr* col = plain_column(e); col != nullptr && text_column(col->name)) {
    v.type = variable_coding::kind::factor;
    v.column = col->name;
    return v;
  }
  for (const auto& c : columns_of(v.expr)) {
    if (text_column(c)) {
      throw usage_error("formula '" + formula + "': column '" + c +
                        "' holds text (a factor), so '" + label +
                        "' cannot compute with it; use it as a term of its own");
    }
  }
  return v;
}

}  // namespace

model_terms bind_formula(const parsed_formula& f,
                         const std::function<bool(const std::string&)>& text_column,
                         const std::string& weights) {
  model_terms t;
  t.formula = f.text;
  t.call = deparse_formula(f.text);
  t.response = f.response;
  t.response_label = deparse(f.response);
  t.terms = f.terms;
  t.intercept = f.intercept;
  t.weights = weights;
  for (const auto& c : columns_of(f.response)) {
    if (text_column(c)) {
      throw usage_error("formula '" + f.text + "': the response '" + t.response_label +
                        "' reads column '" + c +
                        "', which holds text; regress fits a numeric response");
    }
    add_unique(t.numeric_columns, c);
  }
  for (std::size_t i = 0; i < f.variables.size(); ++i) {
    t.variables.push_back(code_variable(f.variables[i], f.labels.at(i), text_column, f.text));
    const variable_coding& v = t.variables.back();
    if (v.type == variable_coding::kind::factor && !v.numeric_levels) {
      add_unique(t.factor_columns, v.column);
    } else if (v.type == variable_coding::kind::factor) {
      add_unique(t.numeric_columns, v.column);
    } else {
      for (const auto& c : columns_of(v.expr)) add_unique(t.numeric_columns, c);
    }
  }
  if (!weights.empty()) {
    if (text_column(weights)) {
      throw usage_error("the weights column '" + weights +
                        "' holds text; weights are numbers >= 0");
    }
    add_unique(t.numeric_columns, weights);
  }
  return t;
}

namespace {
row_values row_of(const model_terms& t, const raw_columns& raw, std::size_t i) {
  row_values r;
  for (const auto& c : t.numeric_columns) r.numbers.push_back(raw.value[raw.column(c)][i]);
  for (const auto& c : t.factor_columns) r.text.emplace_back(raw.text[raw.column(c)][i]);
  return r;
}

/// Levels over the complete rows: byte order for text, numeric order for
/// factor() of numbers.
void find_levels(model_terms& t, const raw_columns& raw, const std::vector<std::size_t>& rows) {
  for (auto& v : t.variables) {
    if (v.type != variable_coding::kind::factor) continue;
    const std::size_t c = raw.column(v.column);
    if (v.numeric_levels) {
      std::set<double> values;
      for (std::size_t i : rows) values.insert(double(raw.value[c][i]));
      v.level_values.assign(values.begin(), values.end());
      for (double x : v.level_values) v.levels.push_back(r_number_name(x));
    } else {
      std::set<std::string> levels;
      for (std::size_t i : rows) levels.insert(raw.text[c][i]);
      v.levels.assign(levels.begin(), levels.end());
    }
  }
}

/// R's poly(): the recurrence's coefficients from the argument's values (in
/// double-double: Stieltjes' procedure, the monic orthogonal polynomials
/// evaluated at the points).
void fit_poly(variable_coding& v, const std::vector<double>& x) {
  const std::size_t n = x.size();
  const auto d = static_cast<std::size_t>(v.degree);
  if (n <= d) {
    throw model_error("'" + v.label + "' needs more distinct points than its degree; lower the " +
                      "degree or use more data");
  }
  std::vector<dd> z0(n, dd(1.0)), z1(n), z2(n);
  v.alpha.clear();
  v.norm2.assign({1.0, static_cast<double>(n)});
  dd norm_prev(static_cast<double>(n));
  dd norm_prev2(1.0);
  for (std::size_t k = 0; k < d; ++k) {
    dd sx;
    for (std::size_t i = 0; i < n; ++i) sx += dd(x[i]) * z0[i] * z0[i];
    const dd alpha = sx / norm_prev;
    v.alpha.push_back(double(alpha));
    dd norm;
    for (std::size_t i = 0; i < n; ++i) {
      z2[i] = (dd(x[i]) - alpha) * z0[i];
      if (k > 0) z2[i] -= (norm_prev / norm_prev2) * z1[i];
      norm += z2[i] * z2[i];
    }
    if (!(norm.hi > 1e-300)) {
      throw model_error("'" + v.label + "' needs at least " + std::to_string(d + 1) +
                        " distinct values of its argument; lower the degree");
    }
    v.norm2.push_back(double(norm));
    norm_prev2 = norm_prev;
    norm_prev = norm;
    z1.swap(z0);
    z0.swap(z2);
  }
}

/// poly()'s coefficients and ns()/bs()'s knots, from their argument's values.
void find_poly_coefficients(model_terms& t, const raw_columns& raw,
                            const std::vector<std::size_t>& records) {
  for (auto& v : t.variables) {
    const bool spline = v.type == variable_coding::kind::spline;
    if (!spline && (v.type != variable_coding::kind::poly || v.raw)) continue;
    // As R, over every row where the argument is known (model.frame builds
    // poly's columns before dropping rows with missing values elsewhere).
    std::vector<std::size_t> cols;
    for (const auto& c : columns_of(v.expr)) cols.push_back(raw.column(c));
    std::vector<double> x;
    for (std::size_t i : records) {
      bool known = true;
      for (std::size_t c : cols) known = known && raw.kind[c][i] == cell_kind::number;
      if (!known) continue;
      try {
        x.push_back(double(evaluate(t, v.expr, row_of(t, raw, i))));
      } catch (const data_error& e) {
        throw data_error(e.what(), "", raw.lines[i]);
      }
    }
    if (spline) {
      learn_knots(v.spline, std::move(x), v.label);
    } else {
      fit_poly(v, x);
    }
  }
}

std::vector<std::string> range_columns(const model_terms& t) {
  std::vector<std::string> cols;
  for (const auto& v : t.variables) {
    if (v.type == variable_coding::kind::factor) continue;
    for (const auto& c : columns_of(v.expr)) add_unique(cols, c);
  }
  return cols;
}

/// The records with no missing value in a used column.
std::vector<std::size_t> complete_records(const raw_columns& raw,
                                          const std::vector<std::size_t>& records) {
  std::vector<std::size_t> complete;
  for (std::size_t i : records) {
    bool ok = true;
    for (const auto& kinds : raw.kind) ok = ok && kinds[i] != cell_kind::missing;
    if (ok) complete.push_back(i);
  }
  return complete;
}

/// Each complete record's design row, response and weight.
void fill_rows(formula_frame& f, const raw_columns& raw, const std::vector<std::size_t>& complete,
               bool design) {
  const std::string& weights = f.terms.weights;
  std::vector<dd> row(f.p);
  const std::size_t wcol = weights.empty() ? 0 : raw.column(weights);
  for (std::size_t i : complete) {
    const row_values values = row_of(f.terms, raw, i);
    try {
      if (!weights.empty()) {
        const double w = double(raw.value[wcol][i]);
        if (w < 0) {
          throw data_error("the weight " + r_number_name(w) + " in column '" + weights +
                           "' is negative; weights must be >= 0");
        }
        f.w.push_back(w);
      }
      design_row(f.terms, values, row.data(), nullptr);
      f.y.push_back(response_value(f.terms, values));
    } catch (const data_error& e) {
      throw data_error(e.what(), raw.source, raw.lines[i]);
    }
    if (design) f.x.insert(f.x.end(), row.begin(), row.end());
    f.row_numbers.push_back(i + 1);
  }
}

/// The ranges of the numeric variables' columns, each row's values of them,
/// and the cells of the factors (with each row's cell).
void find_ranges(formula_frame& f, const raw_columns& raw,
                 const std::vector<std::size_t>& complete) {
  const std::vector<std::string> rcols = range_columns(f.terms);
  std::vector<std::size_t> rindex;
  for (const auto& c : rcols) rindex.push_back(raw.column(c));
  for (std::size_t r = 0; r < rindex.size(); ++r) {
    predictor_range range;
    range.name = rcols[r];
    range.min = HUGE_VAL;
    range.max = -HUGE_VAL;
    dd sum;
    for (std::size_t i : complete) {
      const double x = double(raw.value[rindex[r]][i]);
      range.min = std::min(range.min, x);
      range.max = std::max(range.max, x);
      sum += dd(x);
    }
    range.mean = double(sum / dd(static_cast<double>(complete.size())));
    f.ranges.push_back(range);
  }
  for (std::size_t i : complete) {
    for (std::size_t c : rindex) f.range_values.push_back(double(raw.value[c][i]));
  }
  std::vector<std::size_t> factor_vars;
  for (std::size_t v = 0; v < f.terms.variables.size(); ++v) {
    if (f.terms.variables[v].type == variable_coding::kind::factor) factor_vars.push_back(v);
  }
  if (factor_vars.empty() || rindex.empty()) return;
  std::map<std::vector<std::size_t>, cell_range> cells;
  std::vector<std::vector<std::size_t>> keys;
  for (std::size_t i : complete) {
    const row_values values = row_of(f.terms, raw, i);
    std::vector<std::size_t> key;
    for (std::size_t v : factor_vars) key.push_back(factor_level(f.terms, v, values));
    auto& cell = cells[key];
    if (cell.rows == 0) {
      cell.levels = key;
      cell.min.assign(rindex.size(), HUGE_VAL);
      cell.max.assign(rindex.size(), -HUGE_VAL);
    }
    ++cell.rows;
    for (std::size_t r = 0; r < rindex.size(); ++r) {
      const double x = double(raw.value[rindex[r]][i]);
      cell.min[r] = std::min(cell.min[r], x);
      cell.max[r] = std::max(cell.max[r], x);
    }
    keys.push_back(std::move(key));
  }
  std::map<std::vector<std::size_t>, std::size_t> index;
  for (auto& [key, cell] : cells) {
    index[key] = f.cells.size();
    f.cells.push_back(std::move(cell));
  }
  for (const auto& key : keys) f.row_cells.push_back(index[key]);
}
}  // namespace

std::size_t formula_rows::column(const std::string& name) const {
  for (std::size_t c = 0; c < names.size(); ++c) {
    if (names[c] == name) return c;
  }
  throw usage_error("internal: column '" + name + "' was not read");
}

formula_rows read_formula_rows(csv_reader& reader, const std::vector<std::string>& raw_header,
                               std::string_view formula, const std::string& weights) {
  // A formula names columns as R's lm sees read.csv's: made unique.
  const std::vector<std::string> header = unique_names(raw_header);
  formula_rows r;
  r.formula = parse_formula(formula, header);
  r.weights = weights;
  r.source = reader.options().source;
  r.header = header;
  std::vector<std::string> used = columns_of(r.formula.response);
  for (const auto& v : r.formula.variables) {
    for (const auto& c : columns_of(v)) add_unique(used, c);
  }
  if (!weights.empty()) {
    resolve_column(header, weights);
    add_unique(used, weights);
  }
  std::vector<std::size_t> index;
  for (const auto& name : used) {
    r.names.push_back(name);
    index.push_back(resolve_column(header, name));
  }
  const std::size_t m = used.size();
  r.text.resize(m);
  r.value.resize(m);
  r.kind.resize(m);
  r.numeric.assign(m, true);
  std::vector<std::string> fields;
  while (reader.next(fields)) {
    if (fields.size() != header.size()) {
      throw data_error(ragged_row_message(fields.size(), header.size()), r.source, reader.line());
    }
    for (std::size_t c = 0; c < m; ++c) {
      std::string& cell = fields[index[c]];
      dd v;
      const cell_kind k = parse_cell(cell, v);
      r.numeric[c] = r.numeric[c] && k != cell_kind::invalid;
      r.kind[c].push_back(k);
      r.value[c].push_back(v);
      r.text[c].push_back(std::move(cell));
    }
    r.lines.push_back(reader.line());
  }
  return r;
}

formula_frame bind_frame(const formula_rows& raw, const std::vector<std::size_t>& records,
                         bool design) {
  formula_frame f;
  f.terms = bind_formula(
      raw.formula, [&](const std::string& name) { return !raw.numeric[raw.column(name)]; },
      raw.weights);
  f.terms.data_columns = raw.header;
  const std::vector<std::size_t> complete = complete_records(raw, records);
  f.rows_dropped = records.size() - complete.size();
  if (complete.empty()) {
    throw data_error(records.empty() ? "no data rows; the file has only a header"
                                     : "no complete rows: every row has a missing value in a "
                                       "column the formula uses");
  }
  find_levels(f.terms, raw, complete);
  try {
    find_poly_coefficients(f.terms, raw, records);
  } catch (const data_error& e) {
    throw data_error(e.what(), raw.source, e.line());
  }
  lay_out_columns(f.terms);
  f.p = f.terms.columns.size();
  fill_rows(f, raw, complete, design);
  find_ranges(f, raw, complete);
  return f;
}

row_values record_values(const model_terms& t, const formula_rows& data, std::size_t record) {
  return row_of(t, data, record);
}

formula_frame read_formula_frame(csv_reader& reader, const std::vector<std::string>& header,
                                 std::string_view formula, const std::string& weights) {
  const formula_rows raw = read_formula_rows(reader, header, formula, weights);
  std::vector<std::size_t> all(raw.records());
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
  return bind_frame(raw, all);
}

}  // namespace regress
