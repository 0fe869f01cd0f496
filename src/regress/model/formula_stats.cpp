#include "regress/model/formula_stats.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <utility>

#include "regress/error.hpp"
#include "regress/model/formula.hpp"
#include "regress/model/frame.hpp"
#include "regress/reading/table.hpp"

namespace regress {
namespace {
constexpr std::size_t npos = static_cast<std::size_t>(-1);

void add_unique(std::vector<std::string>& list, const std::string& name) {
  if (std::find(list.begin(), list.end(), name) == list.end()) list.push_back(name);
}

std::size_t index_in(const std::vector<std::string>& list, const std::string& name) {
  return static_cast<std::size_t>(std::find(list.begin(), list.end(), name) - list.begin());
}

/// The monomials a term needs: the products of its numeric variables' atoms
/// (power 1) and its poly variables' atoms (powers 0..degree).
void add_term_monomials(const formula_plan& p, const formula_term& term,
                        std::vector<std::vector<int>>& basis) {
  std::vector<std::vector<int>> products{std::vector<int>(p.atoms.size(), 0)};
  for (std::size_t v : term.variables) {
    const variable_coding& var = p.terms.variables[v];
    if (var.type == variable_coding::kind::factor) continue;
    const std::size_t a = p.atom_of[v];
    const int top = var.type == variable_coding::kind::poly ? var.degree : 1;
    const int bottom = var.type == variable_coding::kind::poly ? 0 : 1;
    std::vector<std::vector<int>> next;
    for (const auto& m : products) {
      for (int e = bottom; e <= top; ++e) {
        std::vector<int> n = m;
        n[a] += e;
        next.push_back(std::move(n));
      }
    }
    products = std::move(next);
  }
  for (const auto& m : products) {
    bool constant = true;
    for (int e : m) constant = constant && e == 0;
    if (!constant && std::find(basis.begin(), basis.end(), m) == basis.end()) basis.push_back(m);
  }
}
}  // namespace

formula_plan plan_formula(std::string_view formula, const std::vector<std::string>& header,
                          const std::string& weights,
                          const std::vector<std::string>& text_columns) {
  const parsed_formula parsed = parse_formula(formula, header);
  formula_plan p;
  for (const auto& c : columns_of(parsed.response)) add_unique(p.columns, c);
  for (const auto& v : parsed.variables) {
    for (const auto& c : columns_of(v)) add_unique(p.columns, c);
  }
  if (!weights.empty()) add_unique(p.columns, weights);
  auto is_text = [&](const std::string& name) {
    return std::find(text_columns.begin(), text_columns.end(), name) != text_columns.end();
  };
  for (const auto& c : p.columns) {
    std::size_t field = header.size();
    for (std::size_t i = 0; i < header.size() && field == header.size(); ++i) {
      if (header[i] == c) field = i;
    }
    if (field == header.size()) {
      // parse_formula found the formula's columns: this is the weights'.
      throw usage_error("no column '" + c +
                        "' for the weights; the columns are: " + column_list(header));
    }
    p.fields.push_back(field);
    p.text.push_back(is_text(c));
  }
  p.terms = bind_formula(parsed, is_text, weights);
  p.terms.data_columns = header;
  for (const auto& v : p.terms.variables) {
    if (v.type == variable_coding::kind::factor) {
      p.atom_of.push_back(npos);
      continue;
    }
    const bool poly = v.type == variable_coding::kind::poly;
    std::size_t a = 0;
    while (a < p.atoms.size() && !(p.poly_atom[a] == poly && same_expression(p.atoms[a], v.expr))) {
      ++a;
    }
    if (a == p.atoms.size()) {
      p.atoms.push_back(v.expr);
      p.poly_atom.push_back(poly);
      p.centre.push_back(0);
    }
    p.atom_of.push_back(a);
    for (const auto& c : columns_of(v.expr)) add_unique(p.ranges, c);
  }
  for (const auto& term : p.terms.terms) add_term_monomials(p, term, p.basis);
  for (const auto& r : p.ranges) p.range_index.push_back(index_in(p.terms.numeric_columns, r));
  for (const auto& c : p.terms.numeric_columns) p.numeric_slot.push_back(index_in(p.columns, c));
  p.terms.response_code = compiled_expr(p.terms, p.terms.response);
  for (const auto& atom : p.atoms) {
    p.atom_code.emplace_back(p.terms, atom);
    std::vector<std::size_t> cols;
    for (const auto& c : columns_of(atom)) cols.push_back(index_in(p.terms.numeric_columns, c));
    p.atom_columns.push_back(std::move(cols));
  }
  for (const auto& var : p.terms.variables) {
    if (var.type != variable_coding::kind::factor) continue;
    p.key_numeric.push_back(var.numeric_levels);
    p.key_index.push_back(var.numeric_levels ? index_in(p.terms.numeric_columns, var.column)
                                             : index_in(p.terms.factor_columns, var.column));
  }
  for (const auto& c : p.terms.factor_columns) p.factor_slot.push_back(index_in(p.columns, c));
  if (!weights.empty()) p.weight_index = index_in(p.terms.numeric_columns, weights);
  return p;
}

void atom_values(const formula_plan& plan, const row_values& row, dd* out) {
  for (std::size_t a = 0; a < plan.atoms.size(); ++a) {
    const dd v = plan.atom_code[a](row);
    if (!std::isfinite(v.hi)) {
      throw data_error("'" + deparse(plan.atoms[a]) + "' is not a finite number here");
    }
    out[a] = plan.poly_atom[a] ? v - dd(plan.centre[a]) : v;
  }
}

void power_sums::add(dd t) {
  dd p(1.0);
  for (auto& s : sums) {
    s += p;
    p = p * t;
  }
}

void power_sums::merge(const power_sums& other) {
  for (std::size_t k = 0; k < sums.size(); ++k) sums[k] += other.sums.at(k);
}

formula_stats::formula_stats(const formula_plan& plan)
    : plan_(&plan),
      powers_(plan.atoms.size()),
      atoms_(plan.atoms.size()),
      monomials_(plan.basis.size()) {
  for (std::size_t v = 0; v < plan.terms.variables.size(); ++v) {
    const variable_coding& var = plan.terms.variables[v];
    if (var.type == variable_coding::kind::poly) {
      powers_[plan.atom_of[v]].sums.assign(2 * static_cast<std::size_t>(var.degree) + 1, dd());
    }
  }
}

bool fill_row(const formula_plan& plan, const dd* values, const cell_kind* kinds,
              const std::string_view* texts, row_values& row, std::vector<char>& known) {
  const std::size_t nn = plan.numeric_slot.size(), nf = plan.factor_slot.size();
  row.numbers.resize(nn);
  row.text.resize(nf);
  known.resize(nn);
  bool complete = true;
  for (std::size_t i = 0; i < nn; ++i) {
    const std::size_t s = plan.numeric_slot[i];
    row.numbers[i] = values[s];
    known[i] = kinds[s] == cell_kind::number ? 1 : 0;
    complete = complete && known[i] != 0;
  }
  for (std::size_t i = 0; i < nf; ++i) {
    const std::size_t s = plan.factor_slot[i];
    row.text[i] = texts[s];
    complete = complete && kinds[s] != cell_kind::missing;
  }
  return complete;
}

void formula_stats::add_record(const dd* values, const cell_kind* kinds,
                               const std::string_view* texts) {
  const bool complete = fill_row(*plan_, values, kinds, texts, row_, known_);
  add(row_, known_.data(), complete);
}

namespace {
/// A number as exact text (shortest round trip), a numeric level's key.
std::string exact_text(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", x);
  return buf;
}

/// Appends one key part: its length, then its bytes (no separator can clash).
void append_part(std::string& key, std::string_view part) {
  const auto n = static_cast<std::uint32_t>(part.size());
  key.append(reinterpret_cast<const char*>(&n), sizeof n);
  key.append(part);
}

std::vector<std::string> split_key(const std::string& key) {
  std::vector<std::string> parts;
  std::size_t at = 0;
  while (at < key.size()) {
    std::uint32_t n = 0;
    std::memcpy(&n, key.data() + at, sizeof n);
    at += sizeof n;
    parts.emplace_back(key.substr(at, n));
    at += n;
  }
  return parts;
}
}  // namespace

void formula_stats::add(const row_values& row, const char* known, bool complete) {
  const formula_plan& p = *plan_;
  const model_terms& t = p.terms;
  ++records;
  for (std::size_t a = 0; a < p.atoms.size(); ++a) {
    if (powers_[a].sums.empty()) continue;
    bool all = true;
    for (const auto& c : columns_of(p.atoms[a]))
      all = all && known[index_in(t.numeric_columns, c)] != 0;
    if (all) powers_[a].add(evaluate(t, p.atoms[a], row) - dd(p.centre[a]));
  }
  if (!complete) {
    ++dropped;
    return;
  }
  double w = 1;
  if (p.weight_index != npos) {
    w = double(row.numbers[p.weight_index]);
    if (w < 0) {
      throw data_error("the weight " + r_number_name(w) + " in column '" + t.weights +
                       "' is negative; weights must be >= 0");
    }
    weight_min = std::min(weight_min, w);
    weight_max = std::max(weight_max, w);
  }
  key_.clear();
  for (std::size_t q = 0; q < p.key_index.size(); ++q) {
    if (p.key_numeric[q]) {
      append_part(key_, exact_text(double(row.numbers[p.key_index[q]])));
    } else {
      append_part(key_, row.text[p.key_index[q]]);
    }
  }
  atom_values(p, row, atoms_.data());
  for (std::size_t m = 0; m < p.basis.size(); ++m) {
    dd v(1.0);
    for (std::size_t a = 0; a < p.atoms.size(); ++a) {
      for (int e = 0; e < p.basis[m][a]; ++e) v = v * atoms_[a];
    }
    monomials_[m] = v;
  }
  const dd y = response_value(t, row);
  auto it = index_.find(key_);
  if (it == index_.end()) {
    formula_cell cell;
    cell.key = split_key(key_);
    cell.state = ols_state(p.basis.size(), 1, true);
    cell.min.assign(p.ranges.size(), HUGE_VAL);
    cell.max.assign(p.ranges.size(), -HUGE_VAL);
    cell.sum.assign(p.ranges.size(), dd());
    it = index_.emplace(key_, cells_.size()).first;
    cells_.push_back(std::move(cell));
  }
  formula_cell& cell = cells_[it->second];
  if (p.weight_index != npos) {
    cell.state.add_row(monomials_.data(), y, w);
  } else {
    cell.state.add_row(monomials_.data(), y);
  }
  for (std::size_t r = 0; r < p.ranges.size(); ++r) {
    const double x = row.numbers[p.range_index[r]].hi;
    cell.min[r] = std::min(cell.min[r], x);
    cell.max[r] = std::max(cell.max[r], x);
    cell.sum[r] += dd(x);
  }
  ++cell.rows;
}

void formula_stats::merge(formula_stats&& other) {
  if (plan_ == nullptr) {
    *this = std::move(other);
    return;
  }
  records += other.records;
  dropped += other.dropped;
  weight_min = std::min(weight_min, other.weight_min);
  weight_max = std::max(weight_max, other.weight_max);
  for (std::size_t a = 0; a < powers_.size(); ++a) powers_[a].merge(other.powers_.at(a));
  for (auto& cell : other.cells_) {
    std::string key;
    for (const auto& part : cell.key) append_part(key, part);
    const auto it = index_.find(key);
    if (it == index_.end()) {
      index_.emplace(key, cells_.size());
      cells_.push_back(std::move(cell));
      continue;
    }
    formula_cell& mine = cells_[it->second];
    mine.state.merge(cell.state);
    for (std::size_t r = 0; r < mine.min.size(); ++r) {
      mine.min[r] = std::min(mine.min[r], cell.min[r]);
      mine.max[r] = std::max(mine.max[r], cell.max[r]);
      mine.sum[r] += cell.sum[r];
    }
    mine.rows += cell.rows;
  }
}

}  // namespace regress
