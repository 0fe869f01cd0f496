// The formula's text to tokens, as R's lexer reads it: names (letters,
// digits, '.' and '_', any byte >= 0x80 as a letter, as R's in a UTF-8
// locale), names in backquotes with R's escapes, numbers read as R_strtod
// reads them, and the operators and punctuation a formula uses.
#include <cfloat>
#include <cmath>
#include <string>
#include <utility>

#include "regress/error.hpp"
#include "regress/model/formula_syntax.hpp"

namespace regress::formula_detail {

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

}  // namespace

std::vector<token> lex(std::string_view text, const context& where) {
  return lexer(text, where).run();
}

}  // namespace regress::formula_detail
