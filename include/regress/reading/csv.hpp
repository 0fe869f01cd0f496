#pragma once
/// \file csv.hpp
/// RFC 4180 CSV reading: header row, quoted fields, doubled quotes, CRLF or LF,
/// a UTF-8 byte-order mark.

#include <cstddef>
#include <istream>
#include <string>
#include <vector>

namespace regress {

struct csv_options {
  char delimiter = ',';
  std::string source = "<stdin>";  ///< file name used in error messages
};

/// Reads records one at a time from a stream. Reads one physical line at a
/// time (more while a quoted field is open), so it never blocks waiting for
/// input beyond the end of the current record: suitable for interactive pipes.
class csv_reader {
 public:
  csv_reader(std::istream& in, csv_options options);

  /// Reads the next record into `fields`. Returns false at end of input.
  /// Throws data_error on an unterminated quote or a stray quote.
  bool next(std::vector<std::string>& fields);

  /// Line number (1-based) where the last record returned by next() started.
  std::size_t line() const noexcept { return record_line_; }
  const csv_options& options() const noexcept { return options_; }
  /// True when no more bytes are buffered, i.e. the next read may block.
  bool would_block() const;

 private:
  std::istream& in_;
  csv_options options_;
  std::size_t next_line_ = 1;
  std::size_t record_line_ = 0;
  std::string buffer_;
};

}  // namespace regress
