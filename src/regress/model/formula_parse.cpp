// The formula's text to its syntax tree: R's lexer and grammar, for the
// subset of R that formulas use (names, backquoted names, numbers, TRUE and
// FALSE, calls with named arguments, + - * / ^ : %in% ~ and parentheses),
// with R's precedence (?Syntax), from tight to loose: ^ (right to left),
// unary - +, :, %in%, * /, binary + -, ~.
#include <algorithm>
#include <cfloat>
#include <cmath>
#include <string>
#include <utility>

#include "regress/error.hpp"
#include "regress/model/formula_syntax.hpp"

namespace regress {
namespace formula_detail {

context::context(std::string_view text) {
  constexpr std::size_t shown = 100;
  if (text.size() <= shown) {
    shown_ = std::string(text);
    return;
  }
  std::size_t cut = shown;
  // Never cut inside a UTF-8 sequence.
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0U) == 0x80U) --cut;
  shown_ = std::string(text.substr(0, cut)) + "...";
}

void context::fail(const std::string& what) const {
  throw usage_error("formula '" + shown_ + "': " + what);
}

namespace {

struct token {
  enum class type { name, number, op, lparen, rparen, comma, equals, tilde, end };
  type kind = type::end;
  std::string text;  ///< a name (backquotes removed), an operator, a number as written
  double value = 0;
  std::size_t position = 0;  ///< 1-based
  bool quoted = false;       ///< a name written in backquotes
};

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_ascii_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_high(char c) { return static_cast<unsigned char>(c) >= 0x80; }
bool is_name_start(char c) { return is_ascii_letter(c) || c == '.' || is_high(c); }
bool is_name_char(char c) { return is_name_start(c) || is_digit(c) || c == '_'; }
bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/// What the user wrote, for a message: printable ASCII as is, else \xNN.
std::string shown_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  if (u >= 0x20 && u < 0x7f) return std::string(1, c);
  static const char hex[] = "0123456789abcdef";
  return std::string("\\x") + hex[u >> 4U] + hex[u & 15U];
}

const char* const reserved[] = {
    "if",       "else",  "repeat", "while",         "function",   "for",
    "next",     "break", "in",     "NULL",          "NA",         "NA_integer_",
    "NA_real_", "Inf",   "NaN",    "NA_character_", "NA_complex_"};

}  // namespace

/// A decimal literal's value as R's parser reads it (R_strtod in
/// src/main/util.c): the digits accumulated in long double, then scaled by
/// a power of ten built by squaring, then rounded to double. This is not
/// always the correctly rounded double (one literal in several thousand
/// differs by an ulp), so a formula's constants are bit for bit R's.
/// `text` is digits, an optional '.' and digits, an optional exponent.
double r_strtod(std::string_view text) {
  using wide = long double;
  wide ans = 0;
  int expn = 0;
  int ndigits = 0;
  std::size_t i = 0;
  for (; i < text.size() && is_digit(text[i]); ++i, ++ndigits) ans = 10 * ans + (text[i] - '0');
  if (i < text.size() && text[i] == '.') {
    for (++i; i < text.size() && is_digit(text[i]); ++i, ++ndigits, --expn) {
      ans = 10 * ans + (text[i] - '0');
    }
  }
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    int sign = 1;
    ++i;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) sign = text[i++] == '-' ? -1 : 1;
    int n = 0;
    for (; i < text.size() && is_digit(text[i]); ++i) n = n < 9999 ? n * 10 + (text[i] - '0') : n;
    expn += sign * n;
  }
  if (expn + ndigits < -300) {  // R: avoid needless underflow
    for (int k = 0; k < ndigits; ++k) ans /= 10.0;
    expn += ndigits;
  }
  wide p10 = 10.0;
  wide fac = 1.0;
  if (expn < -307) {
    for (int n = -expn; n != 0; n >>= 1, p10 *= p10) {
      if ((n & 1) != 0) fac /= p10;
    }
    ans *= fac;
  } else if (expn < 0) {
    for (int n = -expn; n != 0; n >>= 1, p10 *= p10) {
      if ((n & 1) != 0) fac *= p10;
    }
    ans /= fac;
  } else if (ans != 0.0) {
    for (int n = expn; n != 0; n >>= 1, p10 *= p10) {
      if ((n & 1) != 0) fac *= p10;
    }
    ans *= fac;
  }
  if (ans > DBL_MAX) return HUGE_VAL;
  return static_cast<double>(ans);
}

namespace {

class lexer {
 public:
  lexer(std::string_view text, const context& where) : text_(text), where_(where) {}

  std::vector<token> run() {
    std::vector<token> tokens;
    while (true) {
      while (i_ < text_.size() && is_space(text_[i_])) ++i_;
      if (i_ == text_.size()) break;
      tokens.push_back(next());
    }
    token end;
    end.position = text_.size() + 1;
    tokens.push_back(end);
    return tokens;
  }

 private:
  token make(token::type kind, std::string text, std::size_t start) {
    token t;
    t.kind = kind;
    t.text = std::move(text);
    t.position = start + 1;
    return t;
  }

  token next() {
    const std::size_t start = i_;
    const char c = text_[i_];
    if (is_digit(c) || (c == '.' && i_ + 1 < text_.size() && is_digit(text_[i_ + 1]))) {
      return number();
    }
    if (is_name_start(c)) return name();
    if (c == '`') return backquoted();
    ++i_;
    switch (c) {
      case '+':
      case '-':
      case '/':
      case '^':
        return make(token::type::op, std::string(1, c), start);
      case '*':
        if (i_ < text_.size() && text_[i_] == '*') {  // R reads ** as ^
          ++i_;
          return make(token::type::op, "^", start);
        }
        return make(token::type::op, "*", start);
      case ':':
        if (i_ < text_.size() && text_[i_] == ':') {
          where_.fail("'::'" + context::at(start + 1) +
                      " is not supported; call the function by its name alone (ns(x), not "
                      "splines::ns(x))");
        }
        return make(token::type::op, ":", start);
      case '%':
        return special(start);
      case '(':
        return make(token::type::lparen, "(", start);
      case ')':
        return make(token::type::rparen, ")", start);
      case ',':
        return make(token::type::comma, ",", start);
      case '=':
        return make(token::type::equals, "=", start);
      case '~':
        return make(token::type::tilde, "~", start);
      default:
        break;
    }
    where_.fail("unexpected character '" + shown_char(c) + "'" + context::at(start + 1) +
                "; a formula is made of column names (`in backquotes` when they hold other "
                "characters), numbers, function calls and + - * / ^ : %in% ( ) ~");
  }

  token number() {
    const std::size_t start = i_;
    if (text_[i_] == '0' && i_ + 1 < text_.size() &&
        (text_[i_ + 1] == 'x' || text_[i_ + 1] == 'X')) {
      where_.fail("hexadecimal number" + context::at(start + 1) +
                  " is not supported; write it in decimal");
    }
    while (i_ < text_.size() && is_digit(text_[i_])) ++i_;
    if (i_ < text_.size() && text_[i_] == '.') {
      ++i_;
      while (i_ < text_.size() && is_digit(text_[i_])) ++i_;
    }
    if (i_ < text_.size() && (text_[i_] == 'e' || text_[i_] == 'E')) {
      std::size_t j = i_ + 1;
      if (j < text_.size() && (text_[j] == '+' || text_[j] == '-')) ++j;
      if (j < text_.size() && is_digit(text_[j])) {
        while (j < text_.size() && is_digit(text_[j])) ++j;
        i_ = j;
      } else {
        i_ = j;
        malformed(start);
      }
    }
    if (i_ < text_.size() && is_name_char(text_[i_])) {
      while (i_ < text_.size() && is_name_char(text_[i_])) ++i_;
      malformed(start);
    }
    token t = make(token::type::number, std::string(text_.substr(start, i_ - start)), start);
    t.value = r_strtod(t.text);
    if (!std::isfinite(t.value)) {
      where_.fail("the number '" + t.text + "'" + context::at(start + 1) +
                  " is too large for a double; write a smaller one");
    }
    return t;
  }

  [[noreturn]] void malformed(std::size_t start) const {
    const std::string word(text_.substr(start, i_ - start));
    where_.fail("'" + word + "'" + context::at(start + 1) +
                " is neither a number nor a name: a name cannot start with a digit, and R's "
                "integer (1L) and complex (1i) numbers are not supported; write a column of that "
                "name in backquotes (`" +
                word + "`)");
  }

  token name() {
    const std::size_t start = i_;
    while (i_ < text_.size() && is_name_char(text_[i_])) ++i_;
    token t = make(token::type::name, std::string(text_.substr(start, i_ - start)), start);
    for (const char* word : reserved) {
      if (t.text == word) {
        where_.fail("'" + t.text + "'" + context::at(start + 1) +
                    " is a reserved word in R, not a column or a number; write a column of that "
                    "name in backquotes (`" +
                    t.text + "`)");
      }
    }
    return t;
  }

  token backquoted() {
    const std::size_t start = i_++;
    std::string name;
    while (i_ < text_.size() && text_[i_] != '`') {
      char c = text_[i_++];
      if (c == '\\') {
        if (i_ == text_.size()) break;
        c = escaped(text_[i_++], start);
      }
      name += c;
    }
    if (i_ == text_.size()) {
      where_.fail("unbalanced backquote: '`'" + context::at(start + 1) +
                  " is never closed; end the name with another '`'");
    }
    ++i_;
    if (name.empty()) {
      where_.fail("empty name ``" + context::at(start + 1) +
                  "; write a column name between the backquotes");
    }
    token t = make(token::type::name, std::move(name), start);
    t.quoted = true;
    return t;
  }

  char escaped(char c, std::size_t start) const {
    switch (c) {
      case '\\':
      case '`':
      case '\'':
      case '"':
        return c;
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case 'r':
        return '\r';
      default:
        break;
    }
    where_.fail("unknown escape '\\" + shown_char(c) + "' in the backquoted name" +
                context::at(start + 1) + R"(; write \\ for a backslash and \` for a backquote)");
  }

  token special(std::size_t start) {
    const std::size_t close = text_.find('%', i_);
    if (close == std::string_view::npos) {
      where_.fail("'%'" + context::at(start + 1) + " starts no operator; the only %-operator in " +
                  "a formula is %in%");
    }
    const std::string op(text_.substr(start, close + 1 - start));
    i_ = close + 1;
    if (op != "%in%") {
      where_.fail("unknown operator '" + op + "'" + context::at(start + 1) +
                  "; the formula operators are + - * / ^ : %in%");
    }
    return make(token::type::op, op, start);
  }

  std::string_view text_;
  const context& where_;
  std::size_t i_ = 0;
};

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
  std::vector<token> tokens = lexer(text, where).run();
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
