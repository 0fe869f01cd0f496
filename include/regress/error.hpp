#pragma once
/// \file error.hpp
/// The error policy, stated once: every failure is an exception derived from
/// regress::error. data_error and model_error map to exit code 1 in the CLI,
/// usage_error to exit code 2. Warnings are never thrown; they are returned as
/// data (engine_result::warnings, for one) and printed by the CLI.

#include <cstddef>
#include <stdexcept>
#include <string>

namespace regress {

/// Base of every error regress throws. what() is always one line: control
/// characters in the message (a newline inside a quoted header name, say, or
/// an escape sequence) are shown as \n, \r, \t or \xNN.
class error : public std::runtime_error {
 public:
  explicit error(const std::string& message);
};

/// Bad input data: a malformed CSV, a non-numeric cell, too few rows.
/// file/line/column are empty/0 when not known. what() is the full message,
/// already prefixed with "file:line:column: " where known.
class data_error : public error {
 public:
  explicit data_error(const std::string& message, std::string file = {}, std::size_t line = 0,
                      std::size_t column = 0);
  const std::string& file() const noexcept { return file_; }
  std::size_t line() const noexcept { return line_; }
  std::size_t column() const noexcept { return column_; }

 private:
  std::string file_;
  std::size_t line_;
  std::size_t column_;
};

/// The data cannot support the requested model (rank deficiency, n <= p), or a
/// saved model file is malformed or of an unknown version.
class model_error : public error {
 public:
  using error::error;
};

/// The request itself is wrong: an unknown column, an invalid level.
class usage_error : public error {
 public:
  using error::error;
};

}  // namespace regress
