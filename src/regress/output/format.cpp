#include "regress/output/format.hpp"

#include <fmt/compile.h>
#include <fmt/format.h>

#include <cmath>
#include <iterator>
#include <nlohmann/json.hpp>

namespace regress {

char delimiter_of(output_format format) noexcept {
  return format == output_format::tsv ? '\t' : ',';
}

void append_number(std::string& out, double v) {
  if (std::isnan(v)) {
    out += "NA";
    return;
  }
  // fmt's "{}" is the shortest round-trip text (Dragonbox); "inf"/"-inf".
  fmt::format_to(std::back_inserter(out), FMT_COMPILE("{}"), v);
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
  fmt::format_to(std::back_inserter(out), FMT_COMPILE("{}"), v);
}

std::string json_number(double v) {
  std::string out;
  append_json_number(out, v);
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
