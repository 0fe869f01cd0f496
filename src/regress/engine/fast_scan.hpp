#pragma once
// Internal to the engine: the first pass's scanner for a formula whose rows
// take formula_stats' fast path (formula_stats::fast_rows: y ~ log(x) * g
// and the like). It parses each record's used fields straight into a
// fast_batch (two numbers' parts, the level's text) with no per-record
// kinds or texts, and hands the batch over every fast_batch::capacity rows;
// a record that is anything but numbers and a present level (a missing
// value, text where a number goes, spaces, a ragged row) is read again by
// scan_plain after the batch before it, so the rows reach the statistics in
// the file's order and the sums are the same bits.

#include <cstddef>
#include <cstring>
#include <string_view>
#include <vector>

#include "regress/engine/records.hpp"
#include "regress/engine/scan.hpp"
#include "regress/error.hpp"
#include "regress/model/formula_stats.hpp"
#include "regress/reading/decimal.hpp"
#include "regress/reading/number.hpp"

namespace regress::engine {

/// Adds a batch's rows to `stats`; false (err raised at the failing row's
/// line) when one is refused.
inline bool add_batch(formula_stats& stats, fast_batch& b, chunk_error& err) {
  if (b.rows == 0) return true;
  try {
    stats.add_batch(b);
  } catch (const data_error& e) {
    err.raise(e.what(), b.line[b.failed]);
    return false;
  }
  return true;
}

/// Whether a level's text may be a missing value (is_missing_marker's
/// first test, inline: a level that starts with anything but a space or
/// n/N is none).
inline bool maybe_missing(std::string_view text) {
  if (text.empty()) return true;
  const char c = text.front();
  return c == ' ' || c == '\t' || (c | 0x20) == 'n' ? is_missing_marker(text) : false;
}

/// The bytes that end a text field on the fast path (the delimiter, a line
/// break, a quote), looked up instead of compared one by one.
struct field_stops {
  unsigned char stop[256] = {};
  explicit field_stops(char delim) {
    stop[static_cast<unsigned char>(delim)] = 1;
    stop[static_cast<unsigned char>('\n')] = 1;
    stop[static_cast<unsigned char>('"')] = 1;
  }
  bool at(char c) const { return stop[static_cast<unsigned char>(c)] != 0; }
};

/// Reads one record at p as the fast path takes it, into row b.rows of
/// `b`; returns where the record ends (its '\n', or end) or nullptr when
/// the record must take the general path.
inline const char* scan_fast_record(const char* p, const char* end, const layout& l,
                                    const field_stops& stops, fast_batch& b) {
  const char delim = l.delimiter;
  const int* slot = l.slot.data();
  const char* text = l.text.data();
  const std::size_t columns = l.columns;
  const std::size_t row = b.rows;
  double* hi = b.hi.data() + row;
  double* lo = b.lo.data() + row;
  std::size_t f = 0;
  for (const char* q = p;; ++f) {
    const char* after = q;
    const int s = f < columns ? slot[f] : -1;
    if (s >= 0 && text[f] == 0) {
      const auto at = static_cast<std::size_t>(s) * fast_batch::capacity;
      after = detail::scan_decimal_parts(q, end, hi[at], lo[at]);
      if (after == nullptr) return nullptr;
    } else {
      // Stops at a quote too: a quoted field may hide line breaks.
      while (after < end && !stops.at(*after)) ++after;
      if (after < end && *after == '"') return nullptr;
      if (s >= 0) {
        const char* stop =
            after > q && after[-1] == '\r' && (after == end || *after == '\n') ? after - 1 : after;
        const std::string_view level(q, static_cast<std::size_t>(stop - q));
        if (maybe_missing(level)) return nullptr;
        b.level[row] = level;
      }
    }
    if (after == end) return f + 1 == columns ? end : nullptr;
    const char c = *after;
    if (c == delim) {
      q = after + 1;
      continue;
    }
    if (c == '\n') return f + 1 == columns ? after : nullptr;
    if (c == '\r' && (after + 1 == end || after[1] == '\n')) {
      return f + 1 == columns ? after + 1 : nullptr;
    }
    return nullptr;
  }
}

/// Reads the records of a quote-free chunk into a stats_sink-like `sink`
/// (its `stats` with fast_rows(), at most one text column in `l`); returns
/// the line breaks read, as scan_plain does.
template <class Sink>
std::size_t scan_fast(const char* p, const char* end, const layout& l, chunk_error& err,
                      Sink& sink) {
  fast_batch b(l.slots());
  const field_stops stops(l.delimiter);
  std::size_t lines = 0;
  while (p < end) {
    const char* eol = scan_fast_record(p, end, l, stops, b);
    if (eol != nullptr) {
      b.line[b.rows] = lines;
      if (++b.rows == fast_batch::capacity && !add_batch(sink.stats, b, err)) return lines;
    } else {
      // The general path, for this record alone, after the rows before it.
      if (!add_batch(sink.stats, b, err)) return lines;
      const auto* nl =
          static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
      eol = nl == nullptr ? end : nl;
      scan_plain(p, eol, l, err, sink);
      if (err.set || err.quote) {
        err.line += lines;
        return lines;
      }
    }
    if (eol == end) break;
    ++lines;
    p = eol + 1;
  }
  add_batch(sink.stats, b, err);
  return lines;
}

}  // namespace regress::engine
