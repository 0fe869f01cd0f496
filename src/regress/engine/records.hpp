#pragma once
// Internal to the engine: what to parse (the used fields of each record),
// where records end, and the careful record-by-record reader that every
// quoted stretch and the header go through.

#include <cstddef>
#include <cstring>
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
  /// Per field: 1 when its slot is read as text (a formula's factor column):
  /// its cells are handed over as they are, not parsed. Empty: none.
  std::vector<char> text;
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
  static constexpr const char* unterminated_text =
      "unterminated quoted field (a '\"' opened here is never closed); close the quote or "
      "double any quote inside the field";
  static constexpr const char* after_quote_text =
      "unexpected text after a closing quote; a quote inside a quoted field must be doubled "
      "(\"\")";
  bool physical_line();
  const char* p_;
  const char* end_;
  char delim_;
  const char* b_ = nullptr;
  const char* e_ = nullptr;
  std::size_t lines_ = 0;
  std::size_t current_ = 0;
};

// careful_reader's members are defined here, inline, because the first
// pass's hot function (accumulate.cpp) is flattened: measured with GCC 12,
// its accumulation loop is vectorized worse (6% more instructions per row)
// when the careful path is a call rather than inlined code.

inline bool careful_reader::next(std::vector<std::string>& fields, std::size_t& line,
                                 chunk_error& err) {
  fields.clear();
  for (;;) {
    if (!physical_line()) return false;
    if (b_ != e_) break;
  }
  line = current_;
  const char* i = b_;
  std::string field;
  for (;;) {
    field.clear();
    if (i < e_ && *i == '"') {
      const std::size_t quote_line = current_;
      const auto quote_column = static_cast<std::size_t>(i - b_) + 1;
      ++i;
      for (;;) {
        if (i >= e_) {
          if (!physical_line()) {
            err.raise(careful_reader::unterminated_text, quote_line, quote_column);
            return false;
          }
          field += '\n';
          i = b_;
          continue;
        }
        const char c = *i;
        if (c == '"') {
          if (i + 1 < e_ && i[1] == '"') {
            field += '"';
            i += 2;
            continue;
          }
          ++i;
          if (i < e_ && *i != delim_) {
            err.raise(careful_reader::after_quote_text, current_,
                      static_cast<std::size_t>(i - b_) + 1);
            return false;
          }
          break;
        }
        field += c;
        ++i;
      }
    } else {
      const auto* d =
          static_cast<const char*>(std::memchr(i, delim_, static_cast<std::size_t>(e_ - i)));
      const char* stop = d == nullptr ? e_ : d;
      field.assign(i, stop);
      i = stop;
    }
    fields.push_back(field);
    if (i >= e_) break;
    ++i;
    if (i == e_) {
      fields.emplace_back();
      break;
    }
  }
  return true;
}

inline bool careful_reader::physical_line() {
  if (p_ >= end_) return false;
  const auto* nl =
      static_cast<const char*>(std::memchr(p_, '\n', static_cast<std::size_t>(end_ - p_)));
  b_ = p_;
  e_ = nl == nullptr ? end_ : nl;
  current_ = lines_;
  if (nl != nullptr) ++lines_;
  p_ = nl == nullptr ? end_ : nl + 1;
  if (e_ > b_ && e_[-1] == '\r') --e_;
  return true;
}

/// Parses the header record at the start of [p, end) (after a byte-order
/// mark). Returns the position after it and the line breaks it used; throws
/// data_error (naming o.source) for an empty input or a malformed header.
const char* read_header(const char* p, const char* end, const engine_options& o,
                        std::vector<std::string>& header, std::size_t& lines);

/// Whether [b, e) holds a complete header record (blank lines before it
/// included), after a byte-order mark: a stream reads on until it does.
bool holds_complete_header(const char* b, const char* e, char delim);

}  // namespace regress::engine
