#include "regress/error.hpp"

#include <utility>

namespace regress {
namespace {
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

data_error::data_error(const std::string& message, std::string file, std::size_t line,
                       std::size_t column)
    : error(locate(message, file, line, column)),
      file_(std::move(file)),
      line_(line),
      column_(column) {}

}  // namespace regress
