#pragma once
// Internal to the engine: reading the records of one chunk into a sink.
// The scanners are templates over the sink (the first pass's accumulator or
// the second pass's residuals) so that each pass's loop is compiled whole,
// the decimal fast path (reading/decimal.hpp) inlined into it.

#include <cstddef>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "regress/engine/records.hpp"
#include "regress/model/double_double.hpp"
#include "regress/reading/decimal.hpp"
#include "regress/reading/number.hpp"
#include "regress/reading/table.hpp"

namespace regress::engine {

/// One data record's used fields, parsed; handed to a sink.
struct record_values {
  std::vector<dd> value;               // per slot
  std::vector<cell_kind> kind;         // per slot
  std::vector<std::string_view> text;  // per slot (valid during the call only)
  explicit record_values(std::size_t slots) : value(slots), kind(slots), text(slots) {}
};

/// Whether a sink takes whole records (`take_record(r, line, err)`: values, kinds and
/// texts; a formula's sink) or only the values (`row(values, missing)`).
template <class Sink, class = void>
struct takes_records : std::false_type {};
template <class Sink>
struct takes_records<Sink, std::void_t<decltype(&Sink::take_record)>> : std::true_type {};

/// Checks a parsed record (field count, then cells in slot order, as
/// csv_reader and read_columns do) and hands it to the sink. False on error.
/// A text slot's cell is never an error (cell_kind::invalid means text).
template <class Sink>
bool deliver(const layout& l, std::size_t fields, record_values& r, std::size_t line,
             chunk_error& err, Sink& sink) {
  if (fields != l.columns) {
    err.raise(ragged_row_message(fields, l.columns), line);
    return false;
  }
  bool missing = false;
  for (std::size_t s = 0; s < l.slots(); ++s) {
    const bool text = !l.text.empty() && l.text[l.index[s]] != 0;
    if (r.kind[s] == cell_kind::invalid && !text) {
      err.raise(bad_cell_message(r.text[s], l.name[s]), line, l.index[s] + 1);
      return false;
    }
    missing = missing || r.kind[s] == cell_kind::missing;
  }
  if constexpr (takes_records<Sink>::value) {
    return sink.take_record(r, line, err);
  } else {
    sink.row(r.value.data(), missing);
    return true;
  }
}

/// Reads the records of a quote-free chunk; returns the line breaks read. The fast path parses each
/// used field in place as a plain decimal (detail::scan_decimal) and checks that the delimiter or
/// the line's end follows; any other line (a missing value, spaces, text, a ragged row) is read
/// again by the general path, which splits it at the delimiters and gives parse_cell the cells.
template <class Sink>
std::size_t scan_plain(const char* p, const char* end, const layout& l, chunk_error& err,
                       Sink& sink) {
  record_values r(l.slots());
  std::size_t lines = 0;
  const char delim = l.delimiter;
  const int* slot = l.slot.data();
  const std::size_t columns = l.columns;
  dd* values = r.value.data();
  while (p < end) {
    const char* eol = end;  // the line's '\n', or end
    bool fast = true;
    std::size_t f = 0;
    for (const char* q = p;;) {
      const char* after = q;
      bool text_cell = false;
      if constexpr (takes_records<Sink>::value) {
        if (f < columns && slot[f] >= 0 && !l.text.empty() && l.text[f] != 0) {
          // A text cell: handed over as it is (a quote sends the line to
          // the careful path below).
          after = q;
          while (after < end && *after != delim && *after != '\n' && *after != '"') ++after;
          if (after < end && *after == '"') {
            fast = false;
            break;
          }
          const char* stop = after > q && after[-1] == '\r' && (after == end || *after == '\n')
                                 ? after - 1
                                 : after;
          const auto s = static_cast<std::size_t>(slot[f]);
          r.text[s] = std::string_view(q, static_cast<std::size_t>(stop - q));
          r.kind[s] = is_missing_marker(r.text[s]) ? cell_kind::missing : cell_kind::invalid;
          text_cell = true;
        }
      }
      if (text_cell) {
        // read above
      } else if (f < columns && slot[f] >= 0) {
        after = detail::scan_decimal(q, end, values[slot[f]]);
        if (after == nullptr) {
          fast = false;
          break;
        }
        if constexpr (takes_records<Sink>::value) {
          r.kind[static_cast<std::size_t>(slot[f])] = cell_kind::number;
        }
      } else {
        after = q;
        // Stops at a quote too: a quoted field may hide line breaks.
        while (after < end && *after != delim && *after != '\n' && *after != '"') ++after;
      }
      ++f;
      if (after == end) break;
      const char c = *after;
      if (c == delim) {
        q = after + 1;
        continue;
      }
      if (c == '\n') {
        eol = after;
        break;
      }
      if (c == '\r' && (after + 1 == end || after[1] == '\n')) {
        eol = after + 1;
        break;
      }
      fast = false;
      break;
    }
    if (fast && f == columns) {
      if constexpr (takes_records<Sink>::value) {
        if (!sink.take_record(r, lines, err)) return lines;
      } else {
        sink.row(values, false);
      }
    } else {
      const auto* nl =
          static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
      eol = nl == nullptr ? end : nl;
      // A quote (the fast path stops at every one) means the chunk was cut
      // without knowing the quoting: give it back to be cut carefully.
      if (std::memchr(p, '"', static_cast<std::size_t>(eol - p)) != nullptr) {
        err.quote = true;
        return lines;
      }
      const char* stop = eol > p && eol[-1] == '\r' ? eol - 1 : eol;
      if (stop != p) {
        f = 0;
        const char* q = p;
        for (;;) {
          const auto* d =
              static_cast<const char*>(std::memchr(q, delim, static_cast<std::size_t>(stop - q)));
          const char* fe = d == nullptr ? stop : d;
          if (f < columns && slot[f] >= 0) {
            const auto s = static_cast<std::size_t>(slot[f]);
            r.text[s] = std::string_view(q, static_cast<std::size_t>(fe - q));
            r.kind[s] = parse_cell(r.text[s], r.value[s]);
            if (!l.text.empty() && l.text[f] != 0 && r.kind[s] != cell_kind::missing) {
              r.kind[s] = cell_kind::invalid;  // text, whatever it looks like
            }
          }
          ++f;
          if (d == nullptr) break;
          q = d + 1;
        }
        if (!deliver(l, f, r, lines, err, sink)) return lines;
      }
    }
    if (eol == end) break;
    ++lines;
    p = eol + 1;
  }
  return lines;
}

/// Reads the records of a chunk that holds quotes with careful_reader, as
/// csv_reader would; returns the line breaks read.
template <class Sink>
std::size_t scan_careful(const char* p, const char* end, const layout& l, chunk_error& err,
                         Sink& sink) {
  careful_reader reader(p, end, l.delimiter);
  record_values r(l.slots());
  std::vector<std::string> fields;
  std::size_t line = 0;
  while (reader.next(fields, line, err)) {
    if (fields.size() == l.columns) {
      for (std::size_t s = 0; s < l.slots(); ++s) {
        const std::string& cell = fields[l.index[s]];
        r.text[s] = cell;
        r.kind[s] = parse_cell(cell, r.value[s]);
        if (!l.text.empty() && l.text[l.index[s]] != 0 && r.kind[s] != cell_kind::missing) {
          r.kind[s] = cell_kind::invalid;  // text, whatever it looks like
        }
      }
    }
    if (!deliver(l, fields.size(), r, line, err, sink)) break;
  }
  return reader.lines();
}

/// Reads the records of [p, end) into `sink`, carefully when `quoted`;
/// returns the line breaks read. Stops at the first error (err set) or, on
/// the quote-free path, at a quote (err.quote: the chunk must be cut again).
template <class Sink>
std::size_t scan_chunk(const char* p, const char* end, bool quoted, const layout& l,
                       chunk_error& err, Sink& sink) {
  return quoted ? scan_careful(p, end, l, err, sink) : scan_plain(p, end, l, err, sink);
}

}  // namespace regress::engine
