#include "regress/output/format.hpp"

#include <fmt/compile.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <nlohmann/json.hpp>

namespace regress {
namespace {
// Formats into a local array, then appends: a back_inserter into the string
// would make fmt resize (and zero-fill) the string for every number, which
// cost about 5% of a streamed prediction. The longest shortest round-trip
// double, "-2.2250738585072014e-308", has 24 characters.
void append_shortest(std::string& out, double v) {
  char text[32];
  const char* end = fmt::format_to(text, FMT_COMPILE("{}"), v);
  out.append(text, static_cast<std::size_t>(end - text));
}
}  // namespace

char delimiter_of(output_format format) noexcept {
  return format == output_format::tsv ? '\t' : ',';
}

void append_number(std::string& out, double v) {
  if (std::isnan(v)) {
    out += "NA";
    return;
  }
  // fmt's "{}" is the shortest round-trip text (Dragonbox); "inf"/"-inf".
  append_shortest(out, v);
}

std::string number_text(double v) {
  std::string out;
  append_number(out, v);
  return out;
}

void append_json_number(std::string& out, double v) {
  if (!std::isfinite(v)) {
    out += "null";
    return;
  }
  append_shortest(out, v);
}

std::string json_number(double v) {
  std::string out;
  append_json_number(out, v);
  return out;
}

std::string percent_text(double level) {
  const double pct = level * 100;
  std::string text = fmt::format("{:g}", pct);
  // A level strictly between 0 and 1 must not print as 0 or 100: add digits
  // until the text reads back as something else (17 always does).
  for (int digits = 7; digits <= 17 && pct > 0 && pct < 100; ++digits) {
    const double back = std::strtod(text.c_str(), nullptr);
    if (back > 0 && back < 100) break;
    text = fmt::format("{:.{}g}", pct, digits);
  }
  return text;
}

std::string text_name(std::string_view s) {
  const auto is_control = [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7f;
  };
  if (std::none_of(s.begin(), s.end(), is_control)) return std::string(s);
  std::string out;
  for (char c : s) {
    if (!is_control(c)) {
      out += c;
      continue;
    }
    switch (c) {
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
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
      case '\v':
        out += "\\v";
        break;
      default:
        out += fmt::format("\\{:03o}", static_cast<unsigned char>(c));
    }
  }
  return out;
}

std::string json_quote(std::string_view s) {
  return nlohmann::json(std::string(s))
      .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string table_field(std::string_view s, char delimiter) {
  const char special[] = {delimiter, '"', '\n', '\r'};
  if (s.find_first_of(std::string_view(special, sizeof special)) == std::string_view::npos) {
    return std::string(s);
  }
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + '"';
}

}  // namespace regress
