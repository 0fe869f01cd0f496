#include "regress/error.hpp"

#include <utility>

namespace regress {
namespace {
/// The message on one line, safe for a terminal and with nothing invisible:
/// messages quote user text (header names, cells, paths), which may hold any
/// byte.
std::string one_line(const std::string& message) {
  static const char hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(message.size());
  for (std::size_t i = 0; i < message.size(); ++i) {
    const char c = message[i];
    const auto u = static_cast<unsigned char>(c);
    if (message.compare(i, 3, "\xEF\xBB\xBF") == 0) {
      out += "\\ufeff";  // a byte-order mark inside a file is invisible otherwise
      i += 2;
    } else if (u >= 0x20 && u != 0x7f) {
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else {
      out += "\\x";
      out += hex[u >> 4U];
      out += hex[u & 15U];
    }
  }
  return out;
}

std::string locate(const std::string& message, const std::string& file, std::size_t line,
                   std::size_t column) {
  if (file.empty()) return message;
  std::string where = file;
  if (line > 0) {
    where += ":" + std::to_string(line);
    if (column > 0) where += ":" + std::to_string(column);
  }
  return where + ": " + message;
}
}  // namespace

error::error(const std::string& message) : std::runtime_error(one_line(message)) {}

data_error::data_error(const std::string& message, std::string file, std::size_t line,
                       std::size_t column)
    : error(locate(message, file, line, column)),
      file_(std::move(file)),
      line_(line),
      column_(column) {}

}  // namespace regress
