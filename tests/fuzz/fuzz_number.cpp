// libFuzzer target: regress::parse_cell, differential against strtod.
//
// The accepted grammar (number.hpp, README "Input"): after trimming spaces,
// tabs, CR and LF, an optional sign, then digits with at most one '.', at
// least one digit, and an optional exponent [eE][+-]?digits; the value must
// be finite. Empty, NA, NaN and null (any case) are missing. Everything else
// (hex, inf, "+-1", a sign before nan, a comma decimal, ...) is invalid on
// purpose, even where strtod would read it.
//
// Oracles:
//  1. number   => strtod on the trimmed text without a leading '+' consumes
//                 all of it and gives the same bits, and the token is in the
//                 grammar above;
//  2. invalid  => not (the token is in the grammar, strtod consumes it all,
//                 and the result is finite);
//  3. missing  <=> the trimmed text is empty or a missing marker;
//  4. the double-double overload agrees on the kind and the high part, its
//     low part rounds away (hi + lo == hi), and hi + lo is the decimal to
//     within long double precision whenever lo is claimed (checked against
//     strtold, which is correctly rounded to 64 bits).
#include <cerrno>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "regress/model/double_double.hpp"
#include "regress/reading/number.hpp"

namespace {

[[noreturn]] void finding(const char* what, std::string_view text) {
  std::fprintf(stderr, "FINDING: %s for the cell \"", what);
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u < 0x7f && c != '"' && c != '\\') {
      std::fputc(c, stderr);
    } else {
      std::fprintf(stderr, "\\x%02x", u);
    }
  }
  std::fprintf(stderr, "\"\n");
  std::abort();
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool is_marker(std::string_view t) {
  std::string l;
  for (char c : t) l += lower(c);
  return l.empty() || l == "na" || l == "nan" || l == "null";
}

/// The plain decimal grammar: [+-]? (d+ | d+ '.' d* | '.' d+) ([eE] [+-]? d+)?
bool in_grammar(std::string_view t) {
  std::size_t i = 0;
  if (i < t.size() && (t[i] == '+' || t[i] == '-')) ++i;
  std::size_t digits = 0;
  while (i < t.size() && is_digit(t[i])) ++i, ++digits;
  if (i < t.size() && t[i] == '.') {
    ++i;
    while (i < t.size() && is_digit(t[i])) ++i, ++digits;
  }
  if (digits == 0) return false;
  if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
    ++i;
    if (i < t.size() && (t[i] == '+' || t[i] == '-')) ++i;
    std::size_t exp_digits = 0;
    while (i < t.size() && is_digit(t[i])) ++i, ++exp_digits;
    if (exp_digits == 0) return false;
  }
  return i == t.size();
}

/// strtod (and strtold) on the token, in the C locale (the fuzzer never
/// calls setlocale). `consumed` says whether all of it was read.
template <typename F>
auto c_parse(std::string_view token, F parse, bool& consumed) {
  const std::string s(token);  // NUL-terminated copy
  char* end = nullptr;
  errno = 0;
  const auto v = parse(s.c_str(), &end);
  consumed = !s.empty() && end == s.c_str() + s.size();
  return v;
}

/// Significant digits of a token in the grammar (leading zeros excluded).
std::size_t significant_digits(std::string_view t) {
  std::size_t n = 0;
  bool leading = true;
  for (char c : t) {
    if (c == 'e' || c == 'E') break;
    if (!is_digit(c)) continue;
    if (leading && c == '0') continue;
    leading = false;
    ++n;
  }
  return n;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 256) return -1;  // cells are short; long ones only slow the search down
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::string_view t = trim(text);

  double value = 0;
  const regress::cell_kind kind = regress::parse_cell(text, value);

  // Embedded NULs: strtod stops at them; the grammar check below handles it.
  const std::string_view unsigned_t = !t.empty() && t.front() == '+' ? t.substr(1) : t;
  bool consumed = false;
  const double c_value = c_parse(unsigned_t, std::strtod, consumed);
  const bool grammar = in_grammar(t);

  switch (kind) {
    case regress::cell_kind::missing:
      if (!is_marker(t)) finding("missing, but not a missing marker", text);
      break;
    case regress::cell_kind::number: {
      if (is_marker(t)) finding("a missing marker read as a number", text);
      if (!grammar) finding("a number outside the plain decimal grammar", text);
      if (!std::isfinite(value)) finding("a non-finite number", text);
      if (!consumed) finding("a number strtod does not read in full", text);
      if (std::memcmp(&value, &c_value, sizeof value) != 0) {
        std::fprintf(stderr, "parse_cell %.17g, strtod %.17g\n", value, c_value);
        finding("a number whose bits differ from strtod's", text);
      }
      break;
    }
    case regress::cell_kind::invalid:
      if (is_marker(t)) finding("a missing marker called invalid", text);
      if (grammar && consumed && std::isfinite(c_value)) {
        finding("a finite plain decimal called invalid", text);
      }
      break;
  }

  regress::dd wide;
  const regress::cell_kind wide_kind = regress::parse_cell(text, wide);
  if (wide_kind != kind) finding("the double-double overload disagrees on the kind", text);
  if (kind == regress::cell_kind::number) {
    if (std::memcmp(&wide.hi, &value, sizeof value) != 0) {
      finding("the double-double high part differs from the double", text);
    }
    if (!std::isfinite(wide.lo) || wide.hi + wide.lo != wide.hi) {
      finding("the double-double low part is not below half an ulp of the high part", text);
    }
    // hi + lo must be the decimal to ~32 digits. long double (64-bit
    // mantissa on x86) can check it to ~19: strtold is correctly rounded, and
    // hi + lo in long double is within one of its ulps of the true sum.
    const bool moderate =
        std::isnormal(value) && std::fabs(value) > 1e-280 && std::fabs(value) < 1e280;
    if (moderate && (wide.lo != 0 || significant_digits(t) <= 18)) {
      bool ld_consumed = false;
      const long double exact = c_parse(unsigned_t, std::strtold, ld_consumed);
      const long double sum = static_cast<long double>(wide.hi) + wide.lo;
      const long double tolerance = 4 * std::fabs(exact) * LDBL_EPSILON;
      if (!(std::fabs(sum - exact) <= tolerance)) {
        std::fprintf(stderr, "hi %.17g lo %.17g, strtold %.21Lg\n", wide.hi, wide.lo, exact);
        finding("hi + lo is not the decimal to long double precision", text);
      }
    }
  }
  return 0;
}
