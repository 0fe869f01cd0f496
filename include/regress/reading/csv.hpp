#pragma once
/// \file csv.hpp
/// RFC 4180 CSV reading: header row, quoted fields, doubled quotes, CRLF or LF,
/// a UTF-8 byte-order mark.

#include <cstddef>
#include <istream>
#include <string>
#include <vector>

namespace regress {

/// The longest record (a header or a data row, every physical line of a
/// quoted field that spans lines counted) a reader takes by default: 64 MiB.
inline constexpr std::size_t default_max_record_bytes = std::size_t(64) << 20;

struct csv_options {
  char delimiter = ',';
  std::string source = "<stdin>";  ///< file name used in error messages
  /// A longer record is a data_error naming its line (line_too_long_message),
  /// so that input without line breaks (/dev/zero) ends once this much is
  /// read instead of filling memory.
  std::size_t max_record_bytes = default_max_record_bytes;
};

/// The message for `what` ("the header", "the record") longer than `limit`
/// bytes: says how to raise the limit (--max-line-bytes).
std::string line_too_long_message(const std::string& what, std::size_t limit);

/// Reads records one at a time from a stream. Reads one physical line at a
/// time (more while a quoted field is open), so it never blocks waiting for
/// input beyond the end of the current record: suitable for interactive pipes.
class csv_reader {
 public:
  csv_reader(std::istream& in, csv_options options);

  /// Reads the next record into `fields`. Returns false at end of input.
  /// Throws data_error on an unterminated quote or a stray quote, and on a
  /// record longer than csv_options::max_record_bytes (naming its line).
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
  std::size_t record_bytes_ = 0;  // bytes of the record being read
  std::size_t record_start_ = 1;  // its first line
  std::size_t records_ = 0;       // records returned so far

  /// std::getline with the record's limit: false at the end of the input.
  bool read_line(std::string& line);
};

}  // namespace regress
