#include "regress/reading/number.hpp"

#include <fast_float/fast_float.h>

#include <cmath>
#include <cstdint>

#include "regress/reading/decimal.hpp"

namespace regress {
namespace {
bool is_space(char c) noexcept { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char c = a[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != b[i]) return false;
  }
  return true;
}
}  // namespace

bool is_missing_marker(std::string_view text) noexcept {
  // Most cells are a level or a number: one that starts with anything but a
  // space or n/N is no marker (each marker starts with n once trimmed).
  if (!text.empty() && !is_space(text.front()) && (text.front() | 0x20) != 'n') return false;
  text = trim(text);
  return text.empty() || iequals(text, "na") || iequals(text, "nan") || iequals(text, "null");
}

cell_kind parse_cell(std::string_view text, double& value) noexcept {
  text = trim(text);
  if (is_missing_marker(text)) return cell_kind::missing;
  const char* first = text.data();
  const char* last = first + text.size();
  bool negative = false;
  if (*first == '+' || *first == '-') {
    negative = *first == '-';
    ++first;
  }
  // The sign is handled here so that "+-1" and "--1" are rejected; fast_float
  // would otherwise see the inner sign.
  if (first == last || !((*first >= '0' && *first <= '9') || *first == '.')) {
    return cell_kind::invalid;  // also rejects inf, infinity, nan with a sign
  }
  double parsed = 0;
  auto result = fast_float::from_chars(first, last, parsed);
  if (result.ec != std::errc() || result.ptr != last || !std::isfinite(parsed)) {
    return cell_kind::invalid;
  }
  value = negative ? -parsed : parsed;
  return cell_kind::number;
}

namespace {
/// 10^e as a double-double (exact for 0 <= e <= 22, else to ~32 digits).
dd pow10(int e) {
  static const double exact[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                 1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
  dd v(1.0);
  while (e > 22) {
    v *= dd(1e22);
    e -= 22;
  }
  return v * dd(exact[e]);
}
}  // namespace

namespace {
/// parse_cell's fast path: a plain decimal filling the trimmed text.
bool parse_plain_decimal(const char* p, const char* end, dd& value) noexcept {
  while (p < end && (*p == ' ' || *p == '\t')) ++p;
  while (end > p && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r' || end[-1] == '\n')) {
    --end;
  }
  if (p == end) return false;  // also keeps a null end apart from scan_decimal's failure
  dd v;
  if (detail::scan_decimal(p, end, v) != end) return false;
  value = v;
  return true;
}
}  // namespace

cell_kind parse_cell(std::string_view text, dd& value) noexcept {
  if (parse_plain_decimal(text.data(), text.data() + text.size(), value)) {
    return cell_kind::number;
  }
  double hi = 0;
  const cell_kind kind = parse_cell(text, hi);
  if (kind != cell_kind::number) return kind;
  value = dd(hi);
  if (hi == 0 || !std::isnormal(hi)) return kind;
  // Scan the decimal again for its integer mantissa M and exponent e.
  text = trim(text);
  std::size_t i = 0;
  const bool minus = text[0] == '-';
  if (text[i] == '+' || text[i] == '-') ++i;
  const double magnitude = std::abs(hi);
  std::uint64_t m = 0;
  int digits = 0, scale = 0;
  bool point = false;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '.') {
      point = true;
      continue;
    }
    if (c < '0' || c > '9') break;
    if (m == 0 && c == '0') {  // leading zeros carry no digits
      if (point) --scale;
      continue;
    }
    if (digits == 18) {
      if (!point) ++scale;  // beyond 18 digits: give up on the low part
      return kind;
    }
    m = m * 10 + static_cast<std::uint64_t>(c - '0');
    ++digits;
    if (point) --scale;
  }
  if (i < text.size()) {  // exponent; parse_cell has validated its form
    ++i;
    bool negative = false;
    if (text[i] == '+' || text[i] == '-') negative = text[i++] == '-';
    int e = 0;
    for (; i < text.size(); ++i) {
      e = e * 10 + (text[i] - '0');
      if (e > 10000) return kind;
    }
    scale += negative ? -e : e;
  }
  // Beyond 1e+-300 the products below can overflow or underflow (a text near
  // DBL_MAX gave lo = NaN), and the doc promises lo = 0 there.
  if (scale > 300 || scale < -300 || magnitude > 1e300 || magnitude < 1e-300) return kind;
  // M exactly as a double-double (M < 1e18 < 2^63).
  const double m_hi = static_cast<double>(m);
  const auto m_rest = static_cast<std::int64_t>(m) - static_cast<std::int64_t>(m_hi);
  const dd mant(m_hi, static_cast<double>(m_rest));
  dd exact_minus_hi;
  if (scale >= 0) {
    exact_minus_hi = mant * pow10(scale) - dd(magnitude);
  } else {
    // (M - |hi| 10^k) / 10^k, with |hi| 10^k exact (TwoProd) when k <= 22.
    const dd p = pow10(-scale);
    exact_minus_hi = (mant - (p.lo == 0 ? two_prod(magnitude, p.hi) : dd(magnitude) * p)) / p;
  }
  value.lo = minus ? -exact_minus_hi.hi : exact_minus_hi.hi;
  return kind;
}

}  // namespace regress
