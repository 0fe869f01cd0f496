#pragma once
// Internal to the engine: what to parse (the used fields of each record),
// where records end, and the careful record-by-record reader that every
// quoted stretch and the header go through.

#include <cstddef>
#include <string>
#include <vector>

#include "regress/engine/engine.hpp"

namespace regress::engine {

/// The used fields of each record: which field feeds which slot.
struct layout {
  char delimiter = ',';
  std::size_t columns = 0;         ///< fields per record (the header's)
  std::vector<int> slot;           ///< per field: -1 unused, else 0 = response, 1.. predictors
  std::vector<std::size_t> index;  ///< per slot: the field's 0-based index
  std::vector<std::string> name;   ///< per slot: the column name
  std::size_t slots() const { return index.size(); }
};

/// The layout of the chosen columns in records of `columns` fields.
/// Precondition: every index in `c.indices` is below `columns` (else
/// std::out_of_range).
layout make_layout(const column_choice& c, std::size_t columns, char delim);

/// An error found inside a chunk; its line is relative to the chunk's start
/// and made absolute when the chunk's turn comes (chunks finish out of order).
struct chunk_error {
  bool quote = false;  ///< a quote in a chunk read as quote-free: cut it again carefully
  bool set = false;
  std::string message;
  std::size_t line = 0;    ///< 0-based physical line within the chunk
  std::size_t column = 0;  ///< 1-based; 0 for none
  void raise(std::string m, std::size_t l, std::size_t c = 0) {
    set = true;
    message = std::move(m);
    line = l;
    column = c;
  }
};

/// Walks [s, end) from a record start with the RFC 4180 state machine that
/// csv_reader implements (a quote opens a quoted field only at a field's
/// start; a doubled quote inside stays inside) and returns the position just
/// past the first line break outside quotes at or after `target`, or `end`.
const char* walk_to_record_end(const char* s, const char* target, const char* end, char delim);

/// The end of the first record that ends at or after `target`, for a chunk
/// starting at the record start `s`; `end` when no record ends there.
/// `quoted` says whether [s, result) holds a quote (then the careful parser
/// reads it). The quote-free case, nearly all data, costs two memchr.
const char* find_cut(const char* s, const char* target, const char* end, char delim, bool& quoted);

/// A careful reader of one chunk, record by record, exactly as csv_reader
/// reads a stream (blank lines skipped, one trailing CR per physical line
/// dropped, quoted fields with doubled quotes and line breaks).
class careful_reader {
 public:
  careful_reader(const char* begin, const char* end, char delim)
      : p_(begin), end_(end), delim_(delim) {}

  /// Reads the next record into fields (all of them). False at the end or on
  /// error (err set). `line` is the 0-based physical line it started on.
  bool next(std::vector<std::string>& fields, std::size_t& line, chunk_error& err);
  /// Line breaks consumed so far.
  std::size_t lines() const noexcept { return lines_; }
  /// Where the next record starts.
  const char* position() const noexcept { return p_; }

 private:
  bool physical_line();
  const char* p_;
  const char* end_;
  char delim_;
  const char* b_ = nullptr;
  const char* e_ = nullptr;
  std::size_t lines_ = 0;
  std::size_t current_ = 0;
};

/// Parses the header record at the start of [p, end) (after a byte-order
/// mark). Returns the position after it and the line breaks it used; throws
/// data_error (naming o.source) for an empty input or a malformed header.
const char* read_header(const char* p, const char* end, const engine_options& o,
                        std::vector<std::string>& header, std::size_t& lines);

/// Whether [b, e) holds a complete header record (blank lines before it
/// included), after a byte-order mark: a stream reads on until it does.
bool holds_complete_header(const char* b, const char* e, char delim);

}  // namespace regress::engine
