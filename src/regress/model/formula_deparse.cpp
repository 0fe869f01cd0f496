// Expressions back to text as R's deparse() writes them in term labels, and
// the small questions asked of an expression (its columns, its identity).
#include <fmt/format.h>
#include <locale.h>  // newlocale: C.UTF-8 letters, as R's in a UTF-8 locale
#include <wctype.h>

#include <cfloat>
#include <cmath>
#include <cstdint>
#include <string>

#include "regress/model/formula.hpp"
#include "regress/model/formula_syntax.hpp"

namespace regress {
namespace formula_detail {
namespace {

// R's scientific() (src/main/format.c) for R_print.digits = 15, the digits
// deparse uses: the decimal exponent of x, the significant digits it needs
// (at most 15), and whether rounding to them widens the fixed notation.
// R computes in long double where it is wider than double (x86), as here.
struct sci_form {
  int kpower = 0;
  int nsig = 1;
  bool rounding_widens = false;
};

constexpr int digits = 15;

template <typename Wide>
sci_form scientific(double x) {
  constexpr bool wide = sizeof(Wide) > sizeof(double);
  constexpr int kp_max = wide ? 27 : 22;
  static const Wide table[] = {1e00, 1e01, 1e02, 1e03, 1e04, 1e05, 1e06, 1e07, 1e08, 1e09,
                               1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
                               1e20, 1e21, 1e22, 1e23, 1e24, 1e25, 1e26, 1e27};
  sci_form s;
  if (x == 0.0) return s;
  const double r = std::fabs(x);
  int kp = static_cast<int>(std::floor(std::log10(r))) - digits + 1;
  Wide r_prec = r;
  if (std::abs(kp) <= kp_max) {
    if (kp > 0) {
      r_prec /= table[kp];
    } else if (kp < 0) {
      r_prec *= table[-kp];
    }
  } else {
    r_prec /= std::pow(static_cast<Wide>(10.0), static_cast<Wide>(kp));
  }
  if (r_prec < table[digits - 1]) {
    r_prec *= 10.0;
    --kp;
  }
  double alpha = static_cast<double>(std::nearbyint(r_prec));
  s.nsig = digits;
  for (int j = 1; j <= digits; ++j) {
    alpha /= 10.0;
    if (alpha != std::floor(alpha)) break;
    --s.nsig;
  }
  if (s.nsig == 0) {
    s.nsig = 1;
    ++kp;
  }
  s.kpower = kp + digits - 1;
  int rgt = digits - s.kpower;
  rgt = rgt < 0 ? 0 : rgt > kp_max ? kp_max : rgt;
  const double fuzz = 0.5 / static_cast<double>(table[rgt]);
  s.rounding_widens = s.kpower > 0 && s.kpower <= kp_max && r < table[s.kpower] - fuzz;
  return s;
}

/// C.UTF-8's classification of a code point, as R's iswalpha/iswalnum in a
/// UTF-8 locale; without that locale, every non-ASCII code point counts.
bool is_wide_letter(std::uint32_t cp, bool alnum) {
  static const locale_t utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(nullptr));
  if (utf8 == static_cast<locale_t>(nullptr)) return true;
  const auto wc = static_cast<wint_t>(cp);
  return alnum ? iswalnum_l(wc, utf8) != 0 : iswalpha_l(wc, utf8) != 0;
}

/// Decodes one UTF-8 code point at name[i], advancing i; false if invalid.
bool decode(std::string_view name, std::size_t& i, std::uint32_t& cp) {
  const auto b = static_cast<unsigned char>(name[i]);
  std::size_t len = 0;
  if (b < 0x80) {
    cp = b;
    len = 1;
  } else if ((b & 0xE0U) == 0xC0U) {
    cp = b & 0x1FU;
    len = 2;
  } else if ((b & 0xF0U) == 0xE0U) {
    cp = b & 0x0FU;
    len = 3;
  } else if ((b & 0xF8U) == 0xF0U) {
    cp = b & 0x07U;
    len = 4;
  } else {
    return false;
  }
  if (i + len > name.size()) return false;
  for (std::size_t k = 1; k < len; ++k) {
    const auto c = static_cast<unsigned char>(name[i + k]);
    if ((c & 0xC0U) != 0x80U) return false;
    cp = (cp << 6U) | (c & 0x3FU);
  }
  i += len;
  return true;
}

bool is_name_char(std::uint32_t cp, bool first) {
  if (cp < 0x80) {
    const auto c = static_cast<char>(cp);
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (first) return letter || c == '.';
    return letter || (c >= '0' && c <= '9') || c == '.' || c == '_';
  }
  return is_wide_letter(cp, !first);
}

/// A name in backquotes, escaped as R's deparse escapes it.
std::string backquoted(const std::string& name) {
  std::string out = "`";
  for (const char c : name) {
    const auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '`':
        out += "\\`";
        break;
      case '\a':
        out += "\\a";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\v':
        out += "\\v";
        break;
      default:
        if (u < 0x20 || u == 0x7f) {
          out += fmt::format("\\{:03o}", u);
        } else {
          out += c;
        }
    }
  }
  return out + "`";
}

void deparse_into(const formula_expr& e, std::string& out) {
  using k = formula_expr::kind;
  switch (e.type) {
    case k::column:
      out += is_syntactic(e.name) ? e.name : backquoted(e.name);
      return;
    case k::number:
      out += format_number(e.number);
      return;
    case k::logical:
      out += e.number != 0 ? "TRUE" : "FALSE";
      return;
    case k::call:
      out += e.name;
      out += '(';
      for (std::size_t i = 0; i < e.args.size(); ++i) {
        if (i > 0) out += ", ";
        if (i < e.arg_names.size() && !e.arg_names[i].empty()) {
          out += is_syntactic(e.arg_names[i]) ? e.arg_names[i] : backquoted(e.arg_names[i]);
          out += " = ";
        }
        deparse_into(e.args[i], out);
      }
      out += ')';
      return;
    case k::negate:
      out += e.name.empty() ? "-" : e.name;
      deparse_into(e.args.at(0), out);
      return;
    case k::paren:
      out += '(';
      deparse_into(e.args.at(0), out);
      out += ')';
      return;
    case k::binary: {
      // R's deparse: spaces around + - * and %in%, none around / ^ :.
      const bool tight = e.name == "/" || e.name == "^" || e.name == ":";
      deparse_into(e.args.at(0), out);
      out += tight ? e.name : " " + e.name + " ";
      deparse_into(e.args.at(1), out);
      return;
    }
  }
}

void key_into(const formula_expr& e, std::string& out) {
  const auto named = [&out](const std::string& s) {
    out += std::to_string(s.size());
    out += ':';
    out += s;
  };
  switch (e.type) {
    case formula_expr::kind::column:
      out += 'c';
      named(e.name);
      return;
    case formula_expr::kind::number:
    case formula_expr::kind::logical:
      out += fmt::format("n{};", e.number);  // shortest round trip: equal iff equal values
      return;
    default:
      break;
  }
  out += static_cast<char>('0' + static_cast<int>(e.type));
  named(e.name);
  out += '(';
  for (std::size_t i = 0; i < e.args.size(); ++i) {
    named(i < e.arg_names.size() ? e.arg_names[i] : std::string());
    key_into(e.args[i], out);
  }
  out += ')';
}

void columns_into(const formula_expr& e, std::vector<std::string>& out) {
  if (e.type == formula_expr::kind::column) {
    for (const std::string& seen : out) {
      if (seen == e.name) return;
    }
    out.push_back(e.name);
    return;
  }
  for (const formula_expr& a : e.args) columns_into(a, out);
}

}  // namespace

std::string format_number(double x) {
  if (!std::isfinite(x)) return std::isnan(x) ? "NaN" : x > 0 ? "Inf" : "-Inf";
  // R's formatReal for one value: fixed notation unless it is wider than
  // scientific (R_print.scipen = 0).
  const sci_form s =
      sizeof(long double) > sizeof(double) ? scientific<long double>(x) : scientific<double>(x);
  const int neg = x < 0 ? 1 : 0;
  int left = s.kpower + 1;
  if (s.rounding_widens) --left;
  int sleft = neg + (left <= 0 ? 1 : left);
  const int rgt = std::max(s.nsig - left, 0);
  if (left < 0) sleft = 1 + neg;
  const int fixed_width = sleft + rgt + (rgt != 0 ? 1 : 0);
  const int e = (left > 100 || left <= -99) ? 2 : 1;
  const int d = s.nsig - 1;
  const int sci_width = neg + (d > 0 ? 1 : 0) + d + 4 + e;
  if (fixed_width <= sci_width) return fmt::format("{:.{}f}", x, rgt);
  return fmt::format("{:.{}e}", x, d);
}

bool is_syntactic(std::string_view name) {
  if (name.empty()) return false;
  if (name == "...") return true;
  std::size_t i = 0;
  std::uint32_t cp = 0;
  if (!decode(name, i, cp) || !is_name_char(cp, true)) return false;
  if (cp == '.' && i < name.size() && name[i] >= '0' && name[i] <= '9') return false;
  while (i < name.size()) {
    if (!decode(name, i, cp) || !is_name_char(cp, false)) return false;
  }
  static const char* const keywords[] = {"NULL",          "NA",          "TRUE",        "FALSE",
                                         "Inf",           "NaN",         "NA_integer_", "NA_real_",
                                         "NA_character_", "NA_complex_", "function",    "while",
                                         "repeat",        "for",         "if",          "in",
                                         "else",          "next",        "break"};
  for (const char* word : keywords) {
    if (name == word) return false;
  }
  return true;
}

std::string identity_key(const formula_expr& e) {
  std::string key;
  key_into(e, key);
  return key;
}

}  // namespace formula_detail

std::string deparse(const formula_expr& e) {
  std::string out;
  formula_detail::deparse_into(e, out);
  return out;
}

std::vector<std::string> columns_of(const formula_expr& e) {
  std::vector<std::string> out;
  formula_detail::columns_into(e, out);
  return out;
}

bool same_expression(const formula_expr& a, const formula_expr& b) {
  using k = formula_expr::kind;
  const auto numeric = [](const formula_expr& e) {
    return e.type == k::number || e.type == k::logical;
  };
  if (numeric(a) || numeric(b)) return numeric(a) && numeric(b) && a.number == b.number;
  if (a.type != b.type || a.name != b.name || a.args.size() != b.args.size()) return false;
  for (std::size_t i = 0; i < a.args.size(); ++i) {
    const std::string none;
    const std::string& an = i < a.arg_names.size() ? a.arg_names[i] : none;
    const std::string& bn = i < b.arg_names.size() ? b.arg_names[i] : none;
    if (an != bn || !same_expression(a.args[i], b.args[i])) return false;
  }
  return true;
}

const formula_expr* call_argument(const formula_expr& call, std::string_view name,
                                  std::size_t position) {
  for (std::size_t i = 0; i < call.args.size() && i < call.arg_names.size(); ++i) {
    if (!name.empty() && call.arg_names[i] == name) return &call.args[i];
  }
  std::size_t unnamed = 0;
  for (std::size_t i = 0; i < call.args.size(); ++i) {
    if (i < call.arg_names.size() && !call.arg_names[i].empty()) continue;
    if (unnamed++ == position) return &call.args[i];
  }
  return nullptr;
}

std::string formula_functions() {
  return "log, log2, log10, log1p, exp, sqrt, abs, I, poly, factor, ns, bs";
}

}  // namespace regress
