// The formula algebra, expanded into terms as R's termsform() does
// (src/library/stats/src/model.c): ExtractVars collects the variables in
// order, EncodeVars expands the operators into terms, each a set of
// variables; then the terms are ordered by how many variables they hold.
#include <algorithm>
#include <cmath>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "regress/model/formula.hpp"
#include "regress/model/formula_syntax.hpp"

namespace regress {
namespace formula_detail {
namespace {

/// A term: the indices of its variables, ascending; 0 is the response.
using term = std::vector<std::size_t>;
using term_list = std::vector<term>;

struct term_hash {
  std::size_t operator()(const term& t) const noexcept {
    std::size_t h = t.size();
    for (const std::size_t v : t) h = (h ^ v) * 0x100000001b3ULL;
    return h;
  }
};

term unite(const term& a, const term& b) {
  term out;
  out.reserve(a.size() + b.size());
  std::set_union(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

class expander {
 public:
  expander(const context& where, const column_set& columns, formula_expr response)
      : where_(where), columns_(columns) {
    install(std::move(response), 0);
  }

  /// R's ExtractVars on the right of '~': every variable, in order.
  void extract(const node& n) {
    switch (n.kind) {
      case node::type::column:
        if (n.name == ".") {
          extract_dot(n);
        } else {
          variable(n);
        }
        return;
      case node::type::call:
        variable(n);
        return;
      case node::type::number:
        if (n.number != 0 && n.number != 1) {
          where_.fail("the number " + format_number(n.number) + context::at(n.position) +
                      " cannot be a term: only 0 (no intercept) and 1 (intercept) stand alone; "
                      "for arithmetic write I(...), such as I(2 * x)");
        }
        return;
      case node::type::logical:
        return;  // R reads TRUE and FALSE as 1 and 0
      case node::type::power:
        power_of(n);
        extract(n.kids[0]);
        return;
      default:
        for (const node& k : n.kids) extract(k);
    }
  }

  /// R's EncodeVars: the terms of the expanded formula, in R's order before
  /// sorting; sets the intercept as R's global does.
  term_list encode(const node& n) {
    switch (n.kind) {
      case node::type::column:
        if (n.name == ".") return encode_dot();
        return {term{indices_.at(&n)}};
      case node::type::call:
        return {term{indices_.at(&n)}};
      case node::type::number:
      case node::type::logical:
        intercept_ = n.number == 1 ? parity_ : !parity_;
        return {};
      case node::type::paren:
        return encode(n.kids[0]);
      case node::type::unary: {
        if (n.name == "+") return encode(n.kids[0]);
        builder nothing(*this);  // R's DeleteTerms(NULL, operand)
        for (const term& t : negated(n.kids[0])) nothing.strike(t);
        return nothing.take();
      }
      case node::type::power: {
        const term_list left = encode(n.kids[0]);
        return power(left, static_cast<long>(n.kids[1].number));
      }
      case node::type::chain:
        break;
    }
    term_list acc = encode(n.kids[0]);
    if (n.names[0] == "+" || n.names[0] == "-") return sum(n, std::move(acc));
    for (std::size_t i = 1; i < n.kids.size(); ++i) {
      const std::string& op = n.names[i - 1];
      const term_list right = encode(n.kids[i]);
      if (op == ":") {
        acc = products(acc, right, false);
      } else if (op == "*") {
        acc = products(acc, right, true);
      } else if (op == "/") {
        acc = nest(acc, right);
      } else {
        acc = within(acc, right);
      }
    }
    return acc;
  }

  parsed_formula result(std::string_view text, const term_list& terms) {
    parsed_formula f;
    f.text = std::string(text);
    f.response = vars_[0];
    f.intercept = intercept_;
    for (std::size_t i = 1; i < vars_.size(); ++i) f.labels.push_back(deparse(vars_[i]));
    std::size_t bytes = 0;
    for (const term& t : terms) {
      for (const std::size_t v : t) bytes += (v == 0 ? 0 : f.labels[v - 1].size()) + 1;
    }
    if (bytes > max_label_bytes) {
      where_.fail("the terms' labels would take " + std::to_string(bytes) + " bytes, more than " +
                  std::to_string(max_label_bytes) + "; simplify the formula");
    }
    std::vector<std::size_t> order(terms.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return terms[a].size() < terms[b].size();
    });
    for (const std::size_t i : order) {
      formula_term t;
      for (const std::size_t v : terms[i]) {
        if (v == 0) response_on_right(terms[i]);
        t.variables.push_back(v - 1);
        if (!t.label.empty()) t.label += ':';
        t.label += f.labels[v - 1];
      }
      f.terms.push_back(std::move(t));
    }
    f.variables.assign(std::make_move_iterator(vars_.begin() + 1),
                       std::make_move_iterator(vars_.end()));
    return f;
  }

 private:
  /// Installs a variable (R's InstallVar): its index, new or found.
  std::size_t install(formula_expr e, std::size_t position) {
    std::string key = identity_key(e);
    const auto found = keys_.find(key);
    if (found != keys_.end()) {
      if (found->second == 0 && response_at_ == 0) response_at_ = position;
      return found->second;
    }
    if (vars_.size() > max_terms) {
      where_.fail("more than " + std::to_string(max_terms) + " variables" + context::at(position) +
                  "; simplify the formula");
    }
    const std::size_t index = vars_.size();
    keys_.emplace(std::move(key), index);
    vars_.push_back(std::move(e));
    return index;
  }

  void variable(const node& n) {
    if (expr_depth(n) > max_expr_depth) {
      where_.fail("the expression" + context::at(n.position) + " is nested more than " +
                  std::to_string(max_expr_depth) +
                  " operators deep; simplify it or compute it as a column");
    }
    formula_expr e = to_expr(n);
    check_variable(e, where_, columns_);
    indices_[&n] = install(std::move(e), n.position);
  }

  void extract_dot(const node& n) {
    if (!have_frame_) {  // only for a formula with '.': the header may be wide
      frame_ = frame_names(columns_.header(), vars_[0]);
      have_frame_ = true;
    }
    if (frame_.size() > max_terms) {
      where_.fail("'.'" + context::at(n.position) + " stands for " + std::to_string(frame_.size()) +
                  " columns, more than the " + std::to_string(max_terms) +
                  " terms a formula may have; name the columns");
    }
    // A copy: installing may move vars_.
    const std::string response =
        vars_[0].type == formula_expr::kind::column ? vars_[0].name : std::string();
    for (const std::string_view name : frame_) {
      if (!response.empty() && name == response) continue;
      install(dot_column(name, n.position), n.position);
    }
    dot_position_ = n.position;
  }

  static formula_expr dot_column(std::string_view name, std::size_t position) {
    formula_expr e;
    e.type = formula_expr::kind::column;
    e.name = std::string(name);
    e.position = position;
    return e;
  }

  term_list encode_dot() {
    std::unordered_set<std::string_view> seen;
    term_list out;
    for (const std::string_view name : frame_) {
      if (name.empty()) {
        where_.fail("'.'" + context::at(dot_position_) +
                    " would stand for a column with an empty name; name every column");
      }
      if (!seen.insert(name).second) {
        where_.fail("'.'" + context::at(dot_position_) +
                    " stands for every column but the response, and the header names '" +
                    std::string(name) + "' twice; rename one, or name the columns instead of '.'");
      }
      out.push_back(term{install(dot_column(name, dot_position_), dot_position_)});
    }
    return out;
  }

  /// `^` in the algebra: R takes only a number, and a whole power >= 2.
  void power_of(const node& n) const {
    const node& e = n.kids[1];
    const bool number = e.kind == node::type::number || e.kind == node::type::logical;
    if (!number || e.number < 2 || e.number > 2147483647.0 || std::floor(e.number) != e.number) {
      where_.fail("the power of '^'" + context::at(n.position) +
                  " must be a whole number of at least 2, as in (a + b + c)^2 (all the "
                  "interactions up to that order); for arithmetic write I(x^2)");
    }
  }

  /// The terms of a removed operand, encoded with R's parity flipped.
  term_list negated(const node& n) {
    parity_ = !parity_;
    term_list r = encode(n);
    parity_ = !parity_;
    return r;
  }

  /// Unique, non-empty terms in first-seen order (R's TrimRepeats), from
  /// which terms can be struck out (R's StripTerm), within the limits; each
  /// term added or struck is paid for in work, so a long sum is linear.
  class builder {
   public:
    explicit builder(expander& owner) : owner_(owner) {}
    void add(term t) {
      if (t.empty()) return;
      owner_.spend(t.size());
      if (index_.count(t) != 0) return;
      if (index_.size() == max_terms) {
        owner_.where_.fail("the formula expands to more than " + std::to_string(max_terms) +
                           " terms; simplify it");
      }
      index_.emplace(t, out_.size());
      out_.push_back(std::move(t));
      live_.push_back(1);
    }
    void strike(const term& t) {
      if (t.empty()) owner_.intercept_ = false;  // R's StripTerm of the empty term
      owner_.spend(t.size());
      const auto found = index_.find(t);
      if (found == index_.end()) return;
      live_[found->second] = 0;
      index_.erase(found);
    }
    term_list take() {
      term_list out;
      out.reserve(index_.size());
      for (std::size_t i = 0; i < out_.size(); ++i) {
        if (live_[i] != 0) out.push_back(std::move(out_[i]));
      }
      return out;
    }

   private:
    expander& owner_;
    std::unordered_map<term, std::size_t, term_hash> index_;
    term_list out_;
    std::vector<char> live_;  ///< 0 once struck out
  };

  /// A chain of `+` and `-` (R's PlusTerms and DeleteTerms, nested to the
  /// left): the operands' terms added or struck out in order.
  term_list sum(const node& n, term_list first) {
    builder b(*this);
    for (term& t : first) b.add(std::move(t));
    for (std::size_t i = 1; i < n.kids.size(); ++i) {
      if (n.names[i - 1] == "+") {
        for (term& t : encode(n.kids[i])) b.add(std::move(t));
      } else {
        for (const term& t : negated(n.kids[i])) b.strike(t);
      }
    }
    return b.take();
  }

  /// Counts the work of combining terms (variable indices touched), which
  /// must stay within max_work: the terms of a formula can multiply.
  void spend(std::size_t units) {
    if (units > max_work - work_) {
      where_.fail(
          "the formula expands to too many interactions (combining them would touch "
          "more than " +
          std::to_string(max_work) + " variables); simplify it");
    }
    work_ += units;
  }

  term join(const term& a, const term& b) {
    spend(a.size() + b.size());
    return unite(a, b);
  }

  /// Every variable of any term in `list`.
  term all_of(const term_list& list) {
    term all;
    for (const term& t : list) {
      spend(t.size());
      all.insert(all.end(), t.begin(), t.end());
    }
    std::sort(all.begin(), all.end());
    all.erase(std::unique(all.begin(), all.end()), all.end());
    return all;
  }

  /// R's InteractTerms (`:`) or, with `cross`, CrossTerms (`*`: left, right,
  /// then the products). As R's, a cross with no left terms (`1*x`) is empty.
  term_list products(const term_list& left, const term_list& right, bool cross) {
    if (!left.empty() && right.size() > max_work / left.size()) spend(max_work + 1);
    if (cross && left.empty()) return {};
    builder b(*this);
    if (cross) {
      for (const term& t : left) b.add(t);
      for (const term& t : right) b.add(t);
    }
    for (const term& l : left) {
      for (const term& r : right) b.add(join(l, r));
    }
    return b.take();
  }

  /// R's PowerTerms: left times itself, power - 1 times; it stops changing
  /// once every combination is there, which R's loop does not notice.
  term_list power(const term_list& left, long times) {
    term_list right = left;
    for (long i = 1; i < times; ++i) {
      term_list next = products(left, right, false);
      if (next == right) break;
      right = std::move(next);
    }
    return right;
  }

  /// R's NestTerms (`a/b`): left, then each right term with all of left's
  /// variables. As R's, a nest with no left terms (`1/x`) is empty.
  term_list nest(const term_list& left, const term_list& right) {
    if (left.empty()) return {};
    const term all = all_of(left);
    builder b(*this);
    for (const term& t : left) b.add(t);
    for (const term& t : right) b.add(join(t, all));
    return b.take();
  }

  /// R's InTerms (`a %in% b`): each left term with all of right's variables.
  term_list within(const term_list& left, const term_list& right) {
    const term all = all_of(right);
    builder b(*this);
    for (const term& t : left) b.add(join(t, all));
    return b.take();
  }

  [[noreturn]] void response_on_right(const term& t) const {
    std::string label;
    for (const std::size_t v : t) {
      if (!label.empty()) label += ':';
      label += deparse(vars_[v]);
    }
    where_.fail("the response '" + deparse(vars_[0]) + "' is also on the right of '~'" +
                context::at(response_at_ != 0 ? response_at_ : dot_position_) + " (in the term '" +
                label + "'); R drops it with a warning; remove it from the terms");
  }

  const context& where_;
  const column_set& columns_;
  std::vector<std::string_view> frame_;  ///< what '.' stands for (views of the header), once
                                         ///< there is a '.'
  bool have_frame_ = false;
  std::vector<formula_expr> vars_;
  std::unordered_map<std::string, std::size_t> keys_;
  std::unordered_map<const node*, std::size_t> indices_;
  bool intercept_ = true;
  bool parity_ = true;
  std::size_t work_ = 0;
  std::size_t response_at_ = 0;
  std::size_t dot_position_ = 0;
};

}  // namespace
}  // namespace formula_detail

parsed_formula parse_formula(std::string_view text, const std::vector<std::string>& columns) {
  using namespace formula_detail;
  const context where(text);
  if (text.size() > max_length) {
    where.fail("too long (" + std::to_string(text.size()) + " bytes; the limit is " +
               std::to_string(max_length) + "); name fewer terms, or use '.' for every column");
  }
  const syntax s = parse_syntax(text, where);
  const column_set known(columns);
  if (expr_depth(s.response) > max_expr_depth) {
    where.fail("the response is nested more than " + std::to_string(max_expr_depth) +
               " operators deep; simplify it or compute it as a column");
  }
  formula_expr response = to_expr(s.response);
  check_response(response, where, known);
  expander x(where, known, std::move(response));
  x.extract(s.rhs);
  const auto terms = x.encode(s.rhs);
  return x.result(text, terms);
}

}  // namespace regress
