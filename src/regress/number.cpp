#include "regress/number.hpp"

#include <cmath>

#include <fast_float/fast_float.h>

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

}  // namespace regress
