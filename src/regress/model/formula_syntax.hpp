#pragma once
/// \file formula_syntax.hpp
/// Private to the formula parser (model/formula.hpp): the syntax tree R's
/// grammar gives a formula's text, and the pieces the parser's files share.
///
/// The tree keeps a run of one left-associative operator class (`a + b - c`,
/// `a * b / c`, `a %in% b`, `a:b:c`) as one flat `chain` node, so that its
/// depth (and every recursion over it) is bounded by the nesting of
/// parentheses, calls and unary operators, which the parser limits; a long
/// sum of terms is a loop, never a deep recursion. Variables become
/// formula_expr trees (binary nodes, nested to the left as R's) only after
/// their depth is checked.

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "regress/model/formula.hpp"

namespace regress::formula_detail {

constexpr std::size_t max_length = 100000;         ///< bytes of formula text
constexpr std::size_t max_nesting = 200;           ///< parentheses, calls, unary operators, powers
constexpr std::size_t max_expr_depth = 1000;       ///< a variable's formula_expr tree
constexpr std::size_t max_terms = 100000;          ///< terms (and variables) after expansion
constexpr std::size_t max_work = 10000000;         ///< variable indices combined while expanding
constexpr std::size_t max_label_bytes = 10000000;  ///< all term labels together

/// Where a formula's errors go: every message starts "formula '<text>': ".
class context {
 public:
  explicit context(std::string_view text);
  [[noreturn]] void fail(const std::string& what) const;
  static std::string at(std::size_t position) { return " at column " + std::to_string(position); }

 private:
  std::string shown_;
};

/// One token of a formula's text.
struct token {
  enum class type { name, number, op, lparen, rparen, comma, equals, tilde, end };
  type kind = type::end;
  std::string text;  ///< a name (backquotes removed), an operator, a number as written
  double value = 0;
  std::size_t position = 0;  ///< 1-based
  bool quoted = false;       ///< a name written in backquotes
};

/// The tokens of `text`, ending with a token of type end. Throws
/// usage_error through `where` for a character no formula uses, an
/// unbalanced backquote, a malformed or too large number, a reserved word.
std::vector<token> lex(std::string_view text, const context& where);

struct node {
  enum class type { column, number, logical, call, unary, paren, chain, power };
  type kind = type::column;
  std::string name;                 ///< column name, function name, or the unary operator "-" / "+"
  double number = 0;                ///< number; logical: 1 or 0
  std::vector<node> kids;           ///< call: arguments; unary, paren: 1; chain: >= 2; power: 2
  std::vector<std::string> names;   ///< call: argument names ("" when unnamed);
                                    ///< chain: names[i] is the operator between kids[i], kids[i+1]
  std::vector<std::size_t> places;  ///< chain: the operators' positions
  std::size_t position = 0;         ///< 1-based byte column of the token that starts or names it
};

/// The two sides of `~`.
struct syntax {
  node response;
  node rhs;
};

/// Lexes and parses `text` by R's grammar (the subset formulas use), checking
/// for one `~`, balanced parentheses and backquotes, the nesting limit.
syntax parse_syntax(std::string_view text, const context& where);

/// Depth of to_expr(n) (a leaf is 1; a chain of k operators adds k levels).
std::size_t expr_depth(const node& n);

/// The node as R's parse tree: chains nested to the left, a power as "^".
formula_expr to_expr(const node& n);

/// A decimal literal (digits, '.', digits, exponent) as R's parser reads it.
double r_strtod(std::string_view text);

/// R's deparse of a double with 15 significant digits (formatReal).
std::string format_number(double x);

/// R's isValidName in a UTF-8 locale: a name deparse leaves unquoted.
bool is_syntactic(std::string_view name);

/// A string that is equal for two expressions exactly when same_expression
/// says so (lengths prefix every name; numbers by value).
std::string identity_key(const formula_expr& e);

/// The data's header: names to look up, and the list for messages.
/// The first few lookups scan the header; later ones use a hash set built
/// then, so that a formula naming a few columns of a million-column header
/// stays cheap, and one naming thousands stays linear.
class column_set {
 public:
  explicit column_set(const std::vector<std::string>& columns) : header_(&columns) {}
  bool contains(std::string_view name) const;
  const std::vector<std::string>& header() const { return *header_; }

 private:
  const std::vector<std::string>* header_;
  mutable std::size_t scans_ = 0;
  mutable std::unordered_set<std::string_view> names_;  ///< views of *header_, once built
};

/// Checks a right-hand-side variable (a column or a call, as a term): known
/// functions with the arguments they take, arithmetic only inside calls,
/// every column in `columns`. Throws usage_error through `where`.
void check_variable(const formula_expr& e, const context& where, const column_set& columns);

/// Checks the response as check_variable, but poly, factor, ns and bs are
/// not allowed, and it must read a column.
void check_response(const formula_expr& e, const context& where, const column_set& columns);

/// What '.' stands for: the header without every name on the left of '~'
/// (R's CheckRHS: function and operator names too, and of two equal names
/// side by side, each symbol erases one), as views of `header`.
std::vector<std::string_view> frame_names(const std::vector<std::string>& header,
                                          const formula_expr& response);

}  // namespace regress::formula_detail
