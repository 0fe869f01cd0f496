#include "regress/model/formula_stats.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <limits>
#include <stdexcept>
#include <utility>

#include "regress/error.hpp"
#include "regress/model/formula.hpp"
#include "regress/model/frame.hpp"
#include "regress/model/sum2.hpp"
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
  p.response_column = p.terms.response_code.bare_column();
  for (const auto& m : p.basis) {
    std::vector<std::size_t> factors;
    for (std::size_t a = 0; a < m.size(); ++a)
      factors.insert(factors.end(), static_cast<std::size_t>(m[a]), a);
    p.monomial_atoms.push_back(std::move(factors));
  }
  for (const auto& atom : p.atoms) {
    p.atom_code.emplace_back(p.terms, atom);
    p.atom_column.push_back(p.atom_code.back().bare_column());
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

std::vector<std::size_t> plain_columns(const formula_plan& plan) {
  if (plan.weight_index != npos || !plan.key_index.empty() || plan.response_column == npos) {
    return {};
  }
  for (bool poly : plan.poly_atom) {
    if (poly) return {};
  }
  std::vector<std::size_t> numeric{plan.response_column};
  for (const auto& factors : plan.monomial_atoms) {
    if (factors.size() != 1 || plan.atom_column[factors[0]] == npos) return {};
    numeric.push_back(plan.atom_column[factors[0]]);
  }
  // Every range column is some monomial's column (the ranges come from them).
  for (std::size_t r : plan.range_index) {
    if (std::find(numeric.begin() + 1, numeric.end(), r) == numeric.end()) return {};
  }
  std::vector<std::size_t> out;
  for (std::size_t c : numeric) {
    const std::size_t slot = plan.numeric_slot.at(c);
    if (std::find(out.begin(), out.end(), slot) != out.end()) return {};
    out.push_back(slot);
  }
  return out;
}

bool has_spline(const parsed_formula& f) {
  return std::any_of(f.variables.begin(), f.variables.end(), [](const formula_expr& v) {
    return v.type == formula_expr::kind::call && (v.name == "ns" || v.name == "bs");
  });
}

void centre_polys(formula_plan& plan, std::size_t records,
                  const std::function<bool(std::size_t, row_values&)>& numbers) {
  for (std::size_t a = 0; a < plan.atoms.size(); ++a) {
    if (!plan.poly_atom[a]) continue;
    for (std::size_t r = 0; r < records; ++r) {
      row_values row;
      if (!numbers(r, row)) continue;
      try {
        plan.centre[a] = double(evaluate(plan.terms, plan.atoms[a], row));
      } catch (const regress::error&) {
        continue;
      }
      break;
    }
  }
}

void atom_values(const formula_plan& plan, const row_values& row, dd* out) {
  for (std::size_t a = 0; a < plan.atoms.size(); ++a) {
    const std::size_t column = plan.atom_column[a];
    // A bare column is read as it is (a number read is finite).
    const dd v = column != npos ? row.numbers[column] : plan.atom_code[a](row);
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
      monomials_(plan.basis.size() + 1),
      atom_hi_(plan.atoms.size()),
      atom_lo_(plan.atoms.size()),
      zh_(plan.basis.size() + 1),
      zl_(plan.basis.size() + 1) {
  for (std::size_t v = 0; v < plan.terms.variables.size(); ++v) {
    const variable_coding& var = plan.terms.variables[v];
    if (var.type == variable_coding::kind::poly) {
      powers_[plan.atom_of[v]].sums.assign(2 * static_cast<std::size_t>(var.degree) + 1, dd());
    }
  }
  prepare_fast();
}

bool fill_row(const formula_plan& plan, const dd* values, const cell_kind* kinds,
              const std::string_view* texts, row_values& row, std::vector<char>& known) {
  const std::size_t nn = plan.numeric_slot.size(), nf = plan.factor_slot.size();
  if (row.numbers.size() != nn) row.numbers.resize(nn);
  if (row.text.size() != nf) row.text.resize(nf);
  if (known.size() != nn) known.resize(nn);
  dd* numbers = row.numbers.data();
  char* is_known = known.data();
  bool complete = true;
  for (std::size_t i = 0; i < nn; ++i) {
    const std::size_t s = plan.numeric_slot[i];
    numbers[i] = values[s];
    is_known[i] = kinds[s] == cell_kind::number ? 1 : 0;
    complete = complete && is_known[i] != 0;
  }
  for (std::size_t i = 0; i < nf; ++i) {
    const std::size_t s = plan.factor_slot[i];
    row.text[i] = texts[s];
    complete = complete && kinds[s] != cell_kind::missing;
  }
  return complete;
}

namespace {
/// A number as exact text (shortest round trip), a numeric level's name.
std::string exact_text(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", x);
  return buf;
}

/// Appends one key part: its length, then its bytes (no separator can clash).
void append_part(std::string& key, const void* bytes, std::size_t size) {
  const auto n = static_cast<std::uint32_t>(size);
  key.append(reinterpret_cast<const char*>(&n), sizeof n);
  key.append(static_cast<const char*>(bytes), size);
}

/// A lookup key's parts as level texts: numeric parts (a double's bytes)
/// written as exact numbers.
std::vector<std::string> key_texts(std::string_view key, const std::vector<bool>& numeric) {
  std::vector<std::string> parts;
  if (numeric.size() == 1) {  // one part: its bytes alone
    double x = 0;
    if (numeric[0]) std::memcpy(&x, key.data(), sizeof x);
    parts.push_back(numeric[0] ? exact_text(x) : std::string(key));
    return parts;
  }
  std::size_t at = 0;
  for (std::size_t q = 0; at < key.size(); ++q) {
    std::uint32_t n = 0;
    std::memcpy(&n, key.data() + at, sizeof n);
    at += sizeof n;
    if (numeric.at(q)) {
      double x = 0;
      std::memcpy(&x, key.data() + at, sizeof x);
      parts.push_back(exact_text(x));
    } else {
      parts.emplace_back(key.substr(at, n));
    }
    at += n;
  }
  return parts;
}

/// A fast hash of a short key (levels are mostly a few bytes): the key's
/// bytes as words (a short key's first and last bytes, which cover it)
/// through a multiply-xorshift mix (SplitMix64's finaliser).
std::size_t hash_of(std::string_view key) {
  const std::size_t n = key.size();
  const auto* b = reinterpret_cast<const unsigned char*>(key.data());
  std::uint64_t h = 0x9e3779b97f4a7c15ULL ^ n;
  std::uint64_t w = 0;
  if (n >= 8) {
    for (std::size_t i = 0; i + 8 < n; i += 8) {
      std::memcpy(&w, b + i, sizeof w);
      h = (h ^ w) * 0xbf58476d1ce4e5b9ULL;
      h ^= h >> 31;
    }
    std::memcpy(&w, b + n - 8, sizeof w);  // the last eight, overlapping
  } else if (n >= 4) {
    std::uint32_t first = 0, last = 0;
    std::memcpy(&first, b, sizeof first);
    std::memcpy(&last, b + n - 4, sizeof last);
    w = (static_cast<std::uint64_t>(first) << 32) | last;
  } else if (n > 0) {
    w = (std::uint64_t{b[0]} << 16) | (std::uint64_t{b[n / 2]} << 8) | b[n - 1];
  }
  h = (h ^ w) * 0x94d049bb133111ebULL;
  h ^= h >> 29;
  return static_cast<std::size_t>(h);
}

/// Whether a stored key equals a row's, given that their hashes are equal
/// (short keys byte by byte, without a library call). A key of at most 8
/// bytes needs no comparison: hash_of reads all of its bytes (the first and
/// last four, or the first, middle and last of three) into one word w, and
/// for a given length the hash is a bijection of w (an xor, a multiplication
/// by an odd number and an xorshift), so equal hashes and lengths mean equal
/// bytes.
bool same_key(const std::string& stored, std::string_view key) {
  const std::size_t n = key.size();
  if (stored.size() != n) return false;
  if (n <= 8) return true;
  if (n > 16) return std::memcmp(stored.data(), key.data(), n) == 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (stored[i] != key[i]) return false;
  }
  return true;
}

/// Rows a cell keeps waiting for its lanes: few, as every cell keeps them.
constexpr std::size_t waiting_rows = 16;

/// Whether a cell's m terms go through the lanes (sum2::add_rows).
bool uses_lanes(const formula_plan& p) {
  const std::size_t m = p.basis.size() + 1;
  return p.weight_index == static_cast<std::size_t>(-1) && m >= 2 && m <= 8;
}

/// Adds a cell's waiting rows to its lanes.
void flush_lanes(formula_pending& q, std::size_t m) {
  double* s = q.lane_s.data();
  double* c = q.lane_c.data();
  const double* g = q.shift.data();
  const double* hi = q.hi.data();
  const double* lo = q.lo.data();
  const std::size_t n = q.waiting, w = waiting_rows;
  switch (m) {
    case 2:
      sum2::add_rows<2>(s, c, g, hi, lo, w, n);
      break;
    case 3:
      sum2::add_rows<3>(s, c, g, hi, lo, w, n);
      break;
    case 4:
      sum2::add_rows<4>(s, c, g, hi, lo, w, n);
      break;
    case 5:
      sum2::add_rows<5>(s, c, g, hi, lo, w, n);
      break;
    case 6:
      sum2::add_rows<6>(s, c, g, hi, lo, w, n);
      break;
    case 7:
      sum2::add_rows<7>(s, c, g, hi, lo, w, n);
      break;
    default:
      sum2::add_rows<8>(s, c, g, hi, lo, w, n);
      break;
  }
  q.waiting = 0;
}

/// Folds a cell's pairs, lanes and scalar, into its totals (the lanes'
/// slots are the first ones).
void fold_pairs(formula_pending& q, std::size_t m) {
  if (q.waiting > 0) flush_lanes(q, m);
  for (std::size_t i = 0; i < q.lane_s.size(); ++i) {
    q.total[i / sum2::lanes] += dd_detail::two_sum(q.lane_s[i], q.lane_c[i]);
    q.lane_s[i] = 0;
    q.lane_c[i] = 0;
  }
  for (std::size_t i = 0; i < q.s.size(); ++i) {
    q.total[i] += dd_detail::two_sum(q.s[i], q.c[i]);
    q.s[i] = 0;
    q.c[i] = 0;
  }
  q.since_fold = 0;
}
}  // namespace

std::size_t formula_stats::find(std::string_view key, std::size_t hash) const {
  if (table_.empty()) return none;
  const std::size_t mask = table_.size() - 1;
  for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
    const std::uint32_t slot = table_[i];
    if (slot == 0) return none;
    const std::size_t c = slot - 1;
    if (hashes_[c] == hash && same_key(keys_[c], key)) return c;  // same_key needs equal hashes
  }
}

std::size_t formula_stats::insert(std::string key, std::size_t hash, formula_cell cell) {
  const std::size_t c = cells_.size();
  if (c >= std::numeric_limits<std::uint32_t>::max() - 1) {
    throw data_error("too many combinations of factor levels (over 4 billion)");
  }
  cells_.push_back(std::move(cell));
  keys_.push_back(std::move(key));
  hashes_.push_back(hash);
  formula_pending pending;
  const std::size_t m = plan_->basis.size() + 1;
  pending.shift.assign(m, 0.0);
  const std::size_t slots = m * (m + 1) / 2 + m + plan_->ranges.size();
  pending.s.assign(slots, 0.0);
  pending.c.assign(slots, 0.0);
  pending.total.assign(slots, dd());
  if (uses_lanes(*plan_)) {
    pending.hi.assign(m * waiting_rows, 0.0);
    pending.lo.assign(m * waiting_rows, 0.0);
    pending.lane_s.assign((slots - plan_->ranges.size()) * sum2::lanes, 0.0);
    pending.lane_c.assign(pending.lane_s.size(), 0.0);
  }
  pending_.push_back(std::move(pending));
  if (2 * cells_.size() > table_.size()) {
    // Keep the table at most half full: rebuild it twice as large.
    table_.assign(std::max<std::size_t>(16, 2 * table_.size()), 0);
    const std::size_t mask = table_.size() - 1;
    for (std::size_t k = 0; k < cells_.size(); ++k) {
      std::size_t i = hashes_[k] & mask;
      while (table_[i] != 0) i = (i + 1) & mask;
      table_[i] = static_cast<std::uint32_t>(k + 1);
    }
  } else {
    const std::size_t mask = table_.size() - 1;
    std::size_t i = hash & mask;
    while (table_[i] != 0) i = (i + 1) & mask;
    table_[i] = static_cast<std::uint32_t>(c + 1);
  }
  return c;
}

void formula_stats::file_cell(formula_cell cell) {
  const formula_plan& p = *plan_;
  const std::vector<std::string>& texts = cell.key;
  if (texts.size() != p.key_numeric.size()) {
    throw data_error("a cell has " + std::to_string(texts.size()) +
                     " levels where the formula has " + std::to_string(p.key_numeric.size()) +
                     " factors");
  }
  std::string key;
  for (std::size_t q = 0; q < texts.size(); ++q) {
    double x = 0;
    if (p.key_numeric[q]) {
      // Written by exact_text: %.17g reads back to the same double.
      char* end = nullptr;
      x = std::strtod(texts[q].c_str(), &end);
      if (texts[q].empty() || *end != '\0') {
        throw data_error("the level '" + texts[q] + "' of a numeric factor is not a number");
      }
    }
    const std::string_view part =
        p.key_numeric[q] ? std::string_view(reinterpret_cast<const char*>(&x), sizeof x)
                         : std::string_view(texts[q]);
    if (texts.size() == 1) {
      key = std::string(part);
    } else {
      append_part(key, part.data(), part.size());
    }
  }
  const std::size_t hash = hash_of(key);
  if (find(key, hash) != none) {
    throw data_error("the state holds the same combination of levels twice");
  }
  insert(std::move(key), hash, std::move(cell));
}

std::size_t formula_stats::cell_of_key(std::string_view key) {
  const std::size_t hash = hash_of(key);
  const std::size_t found = find(key, hash);
  if (found != none) return found;
  const formula_plan& p = *plan_;
  formula_cell cell;
  cell.key = key_texts(key, p.key_numeric);
  cell.state = ols_state(p.basis.size(), 1, true);
  cell.min.assign(p.ranges.size(), HUGE_VAL);
  cell.max.assign(p.ranges.size(), -HUGE_VAL);
  cell.sum.assign(p.ranges.size(), dd());
  return insert(std::string(key), hash, std::move(cell));
}

void formula_stats::fold() const {
  const std::size_t m = plan_ == nullptr ? 0 : plan_->basis.size() + 1;
  const std::size_t pairs = m * (m + 1) / 2;
  for (std::size_t c = 0; c < pending_.size(); ++c) {
    formula_pending& q = pending_[c];
    if (q.rows == 0) continue;
    fold_pairs(q, m);
    const auto at = [&](std::size_t i) { return q.total.begin() + static_cast<std::ptrdiff_t>(i); };
    formula_cell& cell = cells_[c];
    // Weighted rows go to the cell's state as read; only their range sums wait here.
    if (plan_->weight_index == npos) {
      cell.state.merge(ols_state::from_parts(m - 1, 1, true, static_cast<double>(q.rows), q.shift,
                                             std::vector<dd>(at(pairs), at(pairs + m)),
                                             std::vector<dd>(at(0), at(pairs))));
    }
    for (std::size_t r = 0; r < cell.sum.size(); ++r) cell.sum[r] += q.total[pairs + m + r];
    std::fill(q.total.begin(), q.total.end(), dd());
    q.rows = 0;
    q.since_fold = 0;
  }
}

namespace {
/// A record's cells as fast_row reads them (add_record).
struct record_row {
  const dd* values;
  std::string_view level;
  double hi(std::uint32_t s) const { return values[s].hi; }
  double lo(std::uint32_t s) const { return values[s].lo; }
};

/// One row of a fast_batch as fast_row reads it (add_batch).
struct batch_row {
  const double* hi_at;  // the batch's hi + the row
  const double* lo_at;
  std::string_view level;
  double hi(std::uint32_t s) const { return hi_at[s * fast_batch::capacity]; }
  double lo(std::uint32_t s) const { return lo_at[s * fast_batch::capacity]; }
};
}  // namespace

template <std::size_t M, class Row>
void formula_stats::fast_row(const Row& in) {
  const fast_plan& f = fast_;
  std::string_view key;
  double level_number = 0;
  if (f.keyed && f.key_text) {
    key = in.level;
  } else if (f.keyed) {
    level_number = in.hi(f.key_slot);
    key = std::string_view(reinterpret_cast<const char*>(&level_number), sizeof level_number);
  }
  // The atoms, as atom_values computes them (log of a positive number
  // directly: the interpreter's value there), their parts kept apart (read
  // back as one 16-byte value, two 8-byte stores stall the load).
  double* ah = atom_hi_.data();
  double* al = atom_lo_.data();
  const std::size_t na = f.atom_slot.size();
  for (std::size_t a = 0; a < na; ++a) {
    const std::uint32_t slot = f.atom_slot[a];
    const double h = in.hi(slot), l = in.lo(slot);
    if (f.atom_fn[a] == nullptr) {
      ah[a] = h;
      al[a] = l;
    } else if (const double x = h + l; f.atom_log[a] != 0 && x > 0) {
      ah[a] = std::log(x);
      al[a] = 0;
    } else {
      const dd v = f.atom_fn[a]->apply_unary(dd(h, l));
      ah[a] = v.hi;
      al[a] = v.lo;
    }
  }
  double th[M], tl[M];
  const std::uint32_t* term_atoms = f.term_atoms.data();
  for (std::size_t j = 0; j + 1 < M; ++j) {
    if (f.single_atoms) {
      th[j] = ah[term_atoms[j]];
      tl[j] = al[term_atoms[j]];
      continue;
    }
    const std::uint32_t* at = term_atoms + f.term_at[j];
    const std::uint32_t* stop = term_atoms + f.term_at[j + 1];
    dd v(ah[*at], al[*at]);
    for (++at; at != stop; ++at) v = v * dd(ah[*at], al[*at]);
    th[j] = v.hi;
    tl[j] = v.lo;
  }
  if (f.response_fn != nullptr) {
    const dd y = f.response_fn->apply_unary(dd(in.hi(f.response_slot), in.lo(f.response_slot)));
    th[M - 1] = y.hi;
    tl[M - 1] = y.lo;
  } else {
    th[M - 1] = in.hi(f.response_slot);
    tl[M - 1] = in.lo(f.response_slot);
  }
  const std::size_t c = cells_.size() == 1 && !f.keyed ? 0 : cell_of_key(key);
  formula_cell& cell = cells_[c];
  formula_pending& q = pending_[c];
  if (q.rows == 0) {
    for (std::size_t j = 0; j < M; ++j) q.shift[j] = th[j];
  }
  double* hi = q.hi.data();
  double* lo = q.lo.data();
  const std::size_t w = q.waiting;
  for (std::size_t j = 0; j < M; ++j) {
    hi[j * waiting_rows + w] = th[j];
    lo[j * waiting_rows + w] = tl[j];
  }
  if (w + 1 == waiting_rows) {
    sum2::add_rows<M>(q.lane_s.data(), q.lane_c.data(), q.shift.data(), hi, lo, waiting_rows,
                      waiting_rows);
    q.waiting = 0;
  } else {
    q.waiting = w + 1;
  }
  constexpr std::size_t first_range = M * (M + 1) / 2 + M;
  double* s = q.s.data() + first_range;
  double* cc = q.c.data() + first_range;
  double* low = cell.min.data();
  double* high = cell.max.data();
  const std::size_t nr = f.range_slot.size();
  for (std::size_t r = 0; r < nr; ++r) {
    const double x = in.hi(f.range_slot[r]);
    low[r] = std::min(low[r], x);
    high[r] = std::max(high[r], x);
    sum2::add_value(s[r], cc[r], x, 0.0);
  }
  ++cell.rows;
  ++q.rows;
  if (++q.since_fold == sum2::block) fold_pairs(q, M);
}

template <std::size_t M>
void formula_stats::add_fast(const dd* values, const cell_kind* kinds,
                             const std::string_view* texts) {
  const fast_plan& f = fast_;
  ++records;
  bool complete = true;
  for (std::uint32_t s : f.numbers) complete = complete && kinds[s] == cell_kind::number;
  for (std::uint32_t s : f.present) complete = complete && kinds[s] != cell_kind::missing;
  if (!complete) {
    ++dropped;
    return;
  }
  fast_row<M>(record_row{values, f.keyed && f.key_text ? texts[f.key_slot] : std::string_view()});
}

template <std::size_t M>
void formula_stats::add_fast_batch(fast_batch& b) {
  const std::size_t n = b.rows;
  const double* hi = b.hi.data();
  const double* lo = b.lo.data();
  const std::string_view* level = b.level.data();
  std::size_t k = 0;
  try {
    for (; k < n; ++k) {
      ++records;
      fast_row<M>(batch_row{hi + k, lo + k, level[k]});
    }
  } catch (const data_error&) {
    b.failed = k;
    b.rows = 0;
    throw;
  }
  b.rows = 0;
}

REGRESS_HOT_CLONES
void formula_stats::add_batch(fast_batch& b) {
  switch (fast_.terms) {
    case 2:
      return add_fast_batch<2>(b);
    case 3:
      return add_fast_batch<3>(b);
    case 4:
      return add_fast_batch<4>(b);
    case 5:
      return add_fast_batch<5>(b);
    case 6:
      return add_fast_batch<6>(b);
    case 7:
      return add_fast_batch<7>(b);
    case 8:
      return add_fast_batch<8>(b);
    default:
      throw std::logic_error("formula_stats::add_batch: the plan has no fast path");
  }
}

REGRESS_HOT_CLONES
void formula_stats::add_record(const dd* values, const cell_kind* kinds,
                               const std::string_view* texts) {
  switch (fast_.terms) {
    case 2:
      return add_fast<2>(values, kinds, texts);
    case 3:
      return add_fast<3>(values, kinds, texts);
    case 4:
      return add_fast<4>(values, kinds, texts);
    case 5:
      return add_fast<5>(values, kinds, texts);
    case 6:
      return add_fast<6>(values, kinds, texts);
    case 7:
      return add_fast<7>(values, kinds, texts);
    case 8:
      return add_fast<8>(values, kinds, texts);
    default:
      break;
  }
  const bool complete = fill_row(*plan_, values, kinds, texts, row_, known_);
  add(row_, known_.data(), complete);
}

REGRESS_HOT_CLONES
void formula_stats::add(const row_values& row, const char* known, bool complete) {
  const formula_plan& p = *plan_;
  const model_terms& t = p.terms;
  ++records;
  for (std::size_t a = 0; a < p.atoms.size(); ++a) {
    if (powers_[a].sums.empty()) continue;
    bool all = true;
    for (std::size_t c : p.atom_columns[a]) all = all && known[c] != 0;
    if (all) powers_[a].add(p.atom_code[a](row) - dd(p.centre[a]));
  }
  if (!complete) {
    ++dropped;
    return;
  }
  double w = 1;
  const bool weighted = p.weight_index != npos;
  if (weighted) {
    w = double(row.numbers[p.weight_index]);
    if (w < 0) {
      throw data_error("the weight " + r_number_name(w) + " in column '" + t.weights +
                       "' is negative; weights must be >= 0");
    }
    weight_min = std::min(weight_min, w);
    weight_max = std::max(weight_max, w);
  }
  // The cell's key: one factor's level as it is, several parts each with its length.
  std::string_view key;
  double level_number = 0;
  if (p.key_index.size() == 1 && p.key_numeric[0]) {
    level_number = row.numbers[p.key_index[0]].hi;
    key = std::string_view(reinterpret_cast<const char*>(&level_number), sizeof level_number);
  } else if (p.key_index.size() == 1) {
    key = row.text[p.key_index[0]];
  } else if (!p.key_index.empty()) {
    key_.clear();
    for (std::size_t q = 0; q < p.key_index.size(); ++q) {
      if (p.key_numeric[q]) {
        const double x = row.numbers[p.key_index[q]].hi;
        append_part(key_, &x, sizeof x);
      } else {
        const std::string_view text = row.text[p.key_index[q]];
        append_part(key_, text.data(), text.size());
      }
    }
    key = key_;
  }
  atom_values(p, row, atoms_.data());
  const std::size_t m = p.basis.size() + 1;
  for (std::size_t j = 0; j + 1 < m; ++j) {
    const std::vector<std::size_t>& factors = p.monomial_atoms[j];
    dd v = atoms_[factors[0]];
    for (std::size_t f = 1; f < factors.size(); ++f) v = v * atoms_[factors[f]];
    monomials_[j] = v;
  }
  monomials_[m - 1] =
      p.response_column != npos ? row.numbers[p.response_column] : response_value(t, row);
  const std::size_t c = cells_.size() == 1 && p.key_index.empty() ? 0 : cell_of_key(key);
  formula_cell& cell = cells_[c];
  formula_pending& q = pending_[c];
  if (weighted) cell.state.add_row(monomials_.data(), monomials_[m - 1], w);
  if (!weighted && q.rows == 0) {
    for (std::size_t j = 0; j < m; ++j) q.shift[j] = monomials_[j].hi;
  }
  const bool lanes = !q.hi.empty();
  if (lanes) {
    for (std::size_t j = 0; j < m; ++j) {
      q.hi[j * waiting_rows + q.waiting] = monomials_[j].hi;
      q.lo[j * waiting_rows + q.waiting] = monomials_[j].lo;
    }
    if (++q.waiting == waiting_rows) flush_lanes(q, m);
  }
  for (std::size_t j = 0; j < m && !weighted && !lanes; ++j) {
    sum2::shifted(monomials_[j].hi, monomials_[j].lo, q.shift[j], zh_[j], zl_[j]);
  }
  double* s = q.s.data();
  double* cc = q.c.data();
  std::size_t idx = 0;
  if (!weighted && !lanes) {
    for (std::size_t i = 0; i < m; ++i) {
      for (std::size_t j = 0; j <= i; ++j, ++idx)
        sum2::add_product(s[idx], cc[idx], zh_[i], zl_[i], zh_[j], zl_[j]);
    }
    for (std::size_t j = 0; j < m; ++j, ++idx) sum2::add_value(s[idx], cc[idx], zh_[j], zl_[j]);
  }
  idx = m * (m + 1) / 2 + m;
  for (std::size_t r = 0; r < p.ranges.size(); ++r, ++idx) {
    const double x = row.numbers[p.range_index[r]].hi;
    cell.min[r] = std::min(cell.min[r], x);
    cell.max[r] = std::max(cell.max[r], x);
    sum2::add_value(s[idx], cc[idx], x, 0.0);
  }
  ++cell.rows;
  ++q.rows;
  if (++q.since_fold == sum2::block) fold_pairs(q, m);
}

void formula_stats::prepare_fast() {
  const formula_plan& p = *plan_;
  fast_ = fast_plan();
  if (!uses_lanes(p) || p.key_index.size() > 1) return;
  for (bool poly : p.poly_atom) {
    if (poly) return;
  }
  fast_plan f;
  const auto slot = [](std::size_t s) { return static_cast<std::uint32_t>(s); };
  for (std::size_t s : p.numeric_slot) f.numbers.push_back(slot(s));
  for (std::size_t s : p.factor_slot) f.present.push_back(slot(s));
  for (std::size_t a = 0; a < p.atoms.size(); ++a) {
    const std::size_t unary = p.atom_code[a].unary_column();
    const std::size_t column = p.atom_column[a] != npos ? p.atom_column[a] : unary;
    if (column == npos) return;
    f.atom_slot.push_back(slot(p.numeric_slot.at(column)));
    f.atom_fn.push_back(p.atom_column[a] != npos ? nullptr : &p.atom_code[a]);
    f.atom_log.push_back(p.atom_column[a] == npos && p.atom_code[a].unary_is_log() ? 1 : 0);
  }
  f.single_atoms = true;
  for (const auto& atoms : p.monomial_atoms) f.single_atoms = f.single_atoms && atoms.size() == 1;
  for (const auto& atoms : p.monomial_atoms) {
    f.term_at.push_back(slot(f.term_atoms.size()));
    for (std::size_t a : atoms) f.term_atoms.push_back(slot(a));
  }
  f.term_at.push_back(slot(f.term_atoms.size()));
  const std::size_t response =
      p.response_column != npos ? p.response_column : p.terms.response_code.unary_column();
  if (response == npos) return;
  f.response_slot = slot(p.numeric_slot.at(response));
  if (p.response_column == npos) f.response_fn = &p.terms.response_code;
  if (!p.key_index.empty()) {
    f.keyed = true;
    f.key_text = !p.key_numeric[0];
    f.key_slot =
        slot(f.key_text ? p.factor_slot.at(p.key_index[0]) : p.numeric_slot.at(p.key_index[0]));
  }
  for (std::size_t r : p.range_index) f.range_slot.push_back(slot(p.numeric_slot.at(r)));
  f.terms = p.basis.size() + 1;
  fast_ = std::move(f);
}

void formula_stats::add_plain(const ols_state& s, const std::vector<double>& min,
                              const std::vector<double>& max, std::size_t records_read,
                              std::size_t dropped_rows) {
  const formula_plan& p = *plan_;
  records += records_read;
  dropped += dropped_rows;
  if (s.n() == 0) return;
  formula_cell& cell = cells_[cell_of_key({})];
  cell.state.merge(s);
  cell.rows += records_read - dropped_rows;
  for (std::size_t r = 0; r < p.ranges.size(); ++r) {
    // The range column's monomial: its sum is the shifted sum plus n shifts.
    std::size_t j = 0;
    while (p.atom_column[p.monomial_atoms.at(j)[0]] != p.range_index[r]) ++j;
    cell.min[r] = std::min(cell.min[r], min.at(j));
    cell.max[r] = std::max(cell.max[r], max.at(j));
    cell.sum[r] += s.sums().at(j) + dd(s.n()) * dd(s.shift().at(j));
  }
}

void formula_stats::merge(formula_stats&& other) {
  if (plan_ == nullptr) {
    *this = std::move(other);
    return;
  }
  fold();
  other.fold();
  records += other.records;
  dropped += other.dropped;
  weight_min = std::min(weight_min, other.weight_min);
  weight_max = std::max(weight_max, other.weight_max);
  for (std::size_t a = 0; a < powers_.size(); ++a) powers_[a].merge(other.powers_.at(a));
  for (std::size_t k = 0; k < other.cells_.size(); ++k) {
    formula_cell& cell = other.cells_[k];
    const std::size_t c = find(other.keys_[k], other.hashes_[k]);
    if (c == none) {
      insert(std::move(other.keys_[k]), other.hashes_[k], std::move(cell));
      continue;
    }
    formula_cell& mine = cells_[c];
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
