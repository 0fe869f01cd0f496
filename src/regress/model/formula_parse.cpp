// Tokens to the syntax tree by R's grammar, for the subset of R that
// formulas use (names, numbers, TRUE and FALSE, calls with named arguments,
// + - * / ^ : %in% ~ and parentheses), with R's precedence (?Syntax), from
// tight to loose: ^ (right to left), unary - +, :, %in%, * /, binary + -, ~.
#include <algorithm>
#include <string>
#include <utility>

#include "regress/model/formula_syntax.hpp"

namespace regress {
namespace formula_detail {

namespace {

/// How a token is shown in a message.
std::string describe(const token& t) {
  switch (t.kind) {
    case token::type::end:
      return "the end";
    case token::type::name:
      return t.quoted ? "'`" + t.text + "`'" : "'" + t.text + "'";
    default:
      return "'" + t.text + "'";
  }
}

/// Whole-text checks before the grammar: the '~', the parentheses, the
/// nesting limit. Their messages are clearer than "unexpected ..." would be.
void check_shape(const std::vector<token>& tokens, const context& where) {
  std::size_t tildes = 0;
  for (const token& t : tokens) tildes += t.kind == token::type::tilde ? 1 : 0;
  if (tildes == 0) {
    where.fail("no '~'; write the response, '~', then the terms (y ~ x + z)");
  }
  std::vector<std::size_t> open;
  for (const token& t : tokens) {
    if (t.kind == token::type::lparen) {
      open.push_back(t.position);
      if (open.size() > max_nesting) {
        where.fail("parentheses nested more than " + std::to_string(max_nesting) + " deep" +
                   context::at(t.position) + "; simplify the formula");
      }
    } else if (t.kind == token::type::rparen) {
      if (open.empty()) {
        where.fail("unbalanced parentheses: ')'" + context::at(t.position) +
                   " has no matching '('; remove it or add the '('");
      }
      open.pop_back();
    }
  }
  if (!open.empty()) {
    where.fail("unbalanced parentheses: '('" + context::at(open.back()) +
               " is never closed; add the ')'");
  }
  bool seen = false;
  for (const token& t : tokens) {
    if (t.kind != token::type::tilde) continue;
    if (seen) {
      where.fail("a second '~'" + context::at(t.position) +
                 "; a formula has one '~', between the response and the terms (y ~ x + z)");
    }
    seen = true;
  }
  if (tokens.front().kind == token::type::tilde) {
    where.fail("no response before '~'" + context::at(tokens.front().position) +
               "; write the response first (y ~ x)");
  }
  if (tokens[tokens.size() - 2].kind == token::type::tilde) {
    where.fail("nothing after '~'" + context::at(tokens[tokens.size() - 2].position) +
               "; write the terms after it (y ~ x + z), or 1 for the intercept alone (y ~ 1)");
  }
}

class parser {
 public:
  parser(std::vector<token> tokens, const context& where)
      : tokens_(std::move(tokens)), where_(where) {}

  syntax run() {
    syntax s;
    s.response = sum(0);
    expect_tilde();
    ++i_;
    s.rhs = sum(0);
    if (peek().kind != token::type::end) unexpected();
    return s;
  }

 private:
  const token& peek() const { return tokens_[i_]; }
  bool at_op(std::initializer_list<const char*> ops) const {
    if (peek().kind != token::type::op) return false;
    return std::any_of(ops.begin(), ops.end(), [&](const char* op) { return peek().text == op; });
  }

  void deeper(std::size_t depth) const {
    if (depth > max_nesting) {
      where_.fail("nested more than " + std::to_string(max_nesting) + " levels deep" +
                  context::at(peek().position) + "; simplify the formula");
    }
  }

  void expect_tilde() const {
    if (peek().kind == token::type::tilde) return;
    unexpected();
  }

  /// A run of one left-associative operator class, as a chain node.
  template <typename Operand>
  node chain(std::initializer_list<const char*> ops, Operand operand) {
    node first = operand();
    if (!at_op(ops)) return first;
    node c;
    c.kind = node::type::chain;
    c.position = first.position;
    c.kids.push_back(std::move(first));
    while (at_op(ops)) {
      c.names.push_back(peek().text);
      c.places.push_back(peek().position);
      ++i_;
      c.kids.push_back(operand());
    }
    return c;
  }

  node sum(std::size_t depth) {
    return chain({"+", "-"}, [&] { return product(depth); });
  }
  node product(std::size_t depth) {
    return chain({"*", "/"}, [&] { return special(depth); });
  }
  node special(std::size_t depth) {
    return chain({"%in%"}, [&] { return colon(depth); });
  }
  node colon(std::size_t depth) {
    return chain({":"}, [&] { return unary(depth); });
  }

  node unary(std::size_t depth) {
    if (!at_op({"-", "+"})) return power(depth);
    deeper(depth + 1);
    node u;
    u.kind = node::type::unary;
    u.name = peek().text;
    u.position = peek().position;
    ++i_;
    u.kids.push_back(unary(depth + 1));
    return u;
  }

  node power(std::size_t depth) {
    node base = primary(depth);
    if (!at_op({"^"})) return base;
    deeper(depth + 1);
    node p;
    p.kind = node::type::power;
    p.position = peek().position;
    ++i_;
    p.kids.push_back(std::move(base));
    p.kids.push_back(unary(depth + 1));  // R: 2^-1, and a^b^c is a^(b^c)
    return p;
  }

  node primary(std::size_t depth) {
    const token& t = peek();
    node n;
    n.position = t.position;
    if (t.kind == token::type::number) {
      n.kind = node::type::number;
      n.number = t.value;
      ++i_;
      return n;
    }
    if (t.kind == token::type::name) {
      ++i_;
      if (!t.quoted && (t.text == "TRUE" || t.text == "FALSE")) {
        n.kind = node::type::logical;
        n.number = t.text == "TRUE" ? 1 : 0;
        return n;
      }
      n.name = t.text;
      if (peek().kind == token::type::lparen) return call(std::move(n), depth);
      return n;  // a column
    }
    if (t.kind == token::type::lparen) {
      deeper(depth + 1);
      ++i_;
      if (peek().kind == token::type::rparen) {
        where_.fail("empty parentheses" + context::at(t.position) +
                    "; write a term between them, or remove them");
      }
      n.kind = node::type::paren;
      n.kids.push_back(sum(depth + 1));
      if (peek().kind != token::type::rparen) unexpected();
      ++i_;
      return n;
    }
    missing_operand();
  }

  node call(node n, std::size_t depth) {
    deeper(depth + 1);
    n.kind = node::type::call;
    ++i_;  // (
    if (peek().kind == token::type::rparen) {
      ++i_;
      return n;
    }
    while (true) {
      std::string arg_name;
      if (peek().kind == token::type::name && tokens_[i_ + 1].kind == token::type::equals) {
        arg_name = peek().text;
        i_ += 2;
      }
      if (peek().kind == token::type::comma || peek().kind == token::type::rparen) {
        where_.fail("empty argument" + context::at(peek().position) + " in the call of " + n.name +
                    context::at(n.position) + "; write the argument or remove the ','");
      }
      n.names.push_back(std::move(arg_name));
      n.kids.push_back(sum(depth + 1));
      if (peek().kind == token::type::rparen) break;
      if (peek().kind != token::type::comma) unexpected();
      ++i_;
    }
    ++i_;
    return n;
  }

  /// Where a term should start and none does.
  [[noreturn]] void missing_operand() const {
    const token& t = peek();
    if (i_ == 0) {  // the text starts where the response should
      where_.fail("unexpected " + describe(t) + context::at(t.position) +
                  "; write the response first (y ~ x)");
    }
    const token& before = tokens_[i_ - 1];
    if (t.kind == token::type::end || t.kind == token::type::rparen ||
        t.kind == token::type::comma || t.kind == token::type::tilde) {
      where_.fail("nothing after '" + before.text + "'" + context::at(before.position) +
                  "; write a term after it, or remove it");
    }
    where_.fail("unexpected " + describe(t) + context::at(t.position) +
                "; expected a term (a column, a number, a function call or '(')" +
                (before.kind == token::type::op ? " after '" + before.text + "'" : std::string()));
  }

  /// A token where an operator, ',' or ')' should be.
  [[noreturn]] void unexpected() const {
    const token& t = peek();
    switch (t.kind) {
      case token::type::name:
      case token::type::number:
      case token::type::lparen:
        where_.fail("unexpected " + describe(t) + context::at(t.position) +
                    "; join terms with an operator (+, *, :)");
      case token::type::comma:
        where_.fail("',' " + context::at(t.position).substr(1) +
                    " outside a function call; join terms with +");
      case token::type::equals:
        where_.fail("'='" + context::at(t.position) +
                    " outside a function call's argument; a formula uses '~' (y ~ x)");
      case token::type::tilde:
        where_.fail("'~'" + context::at(t.position) +
                    " inside parentheses or a call; a formula has one '~', between the response "
                    "and the terms (log(y) ~ x, not log(y ~ x))");
      default:
        where_.fail("unexpected " + describe(t) + context::at(t.position));
    }
  }

  std::vector<token> tokens_;
  const context& where_;
  std::size_t i_ = 0;
};

}  // namespace

syntax parse_syntax(std::string_view text, const context& where) {
  if (text.find_first_not_of(" \t\n\r\f\v") == std::string_view::npos) {
    where.fail("empty; write the response, '~', then the terms (y ~ x + z)");
  }
  std::vector<token> tokens = lex(text, where);
  check_shape(tokens, where);
  return parser(std::move(tokens), where).run();
}

std::size_t expr_depth(const node& n) {
  if (n.kind == node::type::chain) {
    const std::size_t ops = n.kids.size() - 1;
    std::size_t depth = 0;
    for (std::size_t i = 0; i < n.kids.size(); ++i) {
      const std::size_t above = i == 0 ? ops : ops + 1 - i;
      depth = std::max(depth, expr_depth(n.kids[i]) + above);
    }
    return depth;
  }
  std::size_t deepest = 0;
  for (const node& k : n.kids) deepest = std::max(deepest, expr_depth(k));
  return deepest + 1;
}

formula_expr to_expr(const node& n) {
  formula_expr e;
  e.position = n.position;
  switch (n.kind) {
    case node::type::column:
      e.type = formula_expr::kind::column;
      e.name = n.name;
      return e;
    case node::type::number:
    case node::type::logical:
      e.type =
          n.kind == node::type::number ? formula_expr::kind::number : formula_expr::kind::logical;
      e.number = n.number;
      return e;
    case node::type::call:
      e.type = formula_expr::kind::call;
      e.name = n.name;
      e.arg_names = n.names;
      for (const node& k : n.kids) e.args.push_back(to_expr(k));
      return e;
    case node::type::unary:
    case node::type::paren:
      e.type = n.kind == node::type::unary ? formula_expr::kind::negate : formula_expr::kind::paren;
      e.name = n.name;
      e.args.push_back(to_expr(n.kids[0]));
      return e;
    case node::type::power:
      e.type = formula_expr::kind::binary;
      e.name = "^";
      e.args.push_back(to_expr(n.kids[0]));
      e.args.push_back(to_expr(n.kids[1]));
      return e;
    case node::type::chain:
      break;
  }
  formula_expr left = to_expr(n.kids[0]);
  for (std::size_t i = 1; i < n.kids.size(); ++i) {
    formula_expr b;
    b.type = formula_expr::kind::binary;
    b.name = n.names[i - 1];
    b.position = n.places[i - 1];
    b.args.push_back(std::move(left));
    b.args.push_back(to_expr(n.kids[i]));
    left = std::move(b);
  }
  return left;
}

}  // namespace formula_detail

bool looks_like_formula(std::string_view text) {
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted && c == '\\') {
      ++i;
    } else if (c == '`') {
      quoted = !quoted;
    } else if (!quoted && c == '~') {
      return true;
    }
  }
  return false;
}

}  // namespace regress
