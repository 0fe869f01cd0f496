#include "regress/engine/engine.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <exception>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <thread>
#include <utility>

#include "regress/error.hpp"
#include "regress/reading/decimal.hpp"
#include "regress/reading/number.hpp"

namespace regress {
namespace {

// ---------------------------------------------------------------------------
// What to parse: the used fields of each record

struct layout {
  char delimiter = ',';
  std::size_t columns = 0;         // fields per record (the header's)
  std::vector<int> slot;           // per field: -1 unused, else 0 = response, 1.. predictors
  std::vector<std::size_t> index;  // per slot: the field's 0-based index
  std::vector<std::string> name;   // per slot: the column name
  std::size_t slots() const { return index.size(); }
};

/// An error found inside a chunk; its line is relative to the chunk's start
/// and made absolute when the chunk's turn comes (chunks finish out of order).
struct chunk_error {
  bool quote = false;  // a quote in a chunk read as quote-free: cut it again carefully
  bool set = false;
  std::string message;
  std::size_t line = 0;    // 0-based physical line within the chunk
  std::size_t column = 0;  // 1-based; 0 for none
  void raise(std::string m, std::size_t l, std::size_t c = 0) {
    set = true;
    message = std::move(m);
    line = l;
    column = c;
  }
};

const char* const unterminated_text =
    "unterminated quoted field (a '\"' opened here is never closed); close the quote or double "
    "any quote inside the field";
const char* const after_quote_text =
    "unexpected text after a closing quote; a quote inside a quoted field must be doubled (\"\")";

std::string ragged_text(std::size_t fields, std::size_t columns) {
  return "this row has " + std::to_string(fields) + " fields but the header has " +
         std::to_string(columns) +
         "; every row needs one field per column (quote fields that contain the delimiter)";
}

std::string bad_cell_text(std::string_view cell, const std::string& column) {
  std::string shown =
      cell.size() > 40 ? std::string(cell.substr(0, 40)) + "..." : std::string(cell);
  return "cannot read '" + shown + "' in column '" + column +
         "' as a number; write a finite number, or leave the cell empty or NA to mark it "
         "missing";
}

// ---------------------------------------------------------------------------
// Record boundaries

/// Walks [s, end) from a record start with the RFC 4180 state machine that
/// csv_reader implements (a quote opens a quoted field only at a field's
/// start; a doubled quote inside stays inside) and returns the position just
/// past the first line break outside quotes at or after `target`, or `end`.
const char* walk_to_record_end(const char* s, const char* target, const char* end, char delim) {
  bool quoted = false, field_start = true;
  for (const char* p = s; p < end; ++p) {
    const char c = *p;
    if (quoted) {
      if (c == '"') {
        if (p + 1 < end && p[1] == '"') {
          ++p;
        } else {
          quoted = false;
        }
      }
      continue;
    }
    if (c == '\n') {
      if (p >= target) return p + 1;
      field_start = true;
    } else if (c == delim) {
      field_start = true;
    } else if (c == '"' && field_start) {
      quoted = true;
      field_start = false;
    } else {
      field_start = false;
    }
  }
  return end;
}

/// The end of the first record that ends at or after `target`, for a chunk
/// starting at the record start `s`; `end` when no record ends there.
/// `quoted` says whether [s, result) holds a quote (then the careful parser
/// reads it). The quote-free case, nearly all data, costs two memchr.
const char* find_cut(const char* s, const char* target, const char* end, char delim, bool& quoted) {
  const auto* nl =
      static_cast<const char*>(std::memchr(target, '\n', static_cast<std::size_t>(end - target)));
  const char* stop = nl == nullptr ? end : nl + 1;
  quoted = std::memchr(s, '"', static_cast<std::size_t>(stop - s)) != nullptr;
  if (!quoted || nl == nullptr) return stop;
  const char* cut = walk_to_record_end(s, target, end, delim);
  quoted = std::memchr(s, '"', static_cast<std::size_t>(cut - s)) != nullptr;
  return cut;
}

// ---------------------------------------------------------------------------
// Reading records

/// One data record's used fields, parsed; handed to a sink.
struct record_values {
  std::vector<dd> value;               // per slot
  std::vector<cell_kind> kind;         // per slot
  std::vector<std::string_view> text;  // per slot (valid during the call only)
  explicit record_values(std::size_t slots) : value(slots), kind(slots), text(slots) {}
};

/// Checks a parsed record (field count, then cells in slot order, as
/// csv_reader and read_columns do) and hands it to the sink. False on error.
template <class Sink>
bool deliver(const layout& l, std::size_t fields, record_values& r, std::size_t line,
             chunk_error& err, Sink& sink) {
  if (fields != l.columns) {
    err.raise(ragged_text(fields, l.columns), line);
    return false;
  }
  bool missing = false;
  for (std::size_t s = 0; s < l.slots(); ++s) {
    if (r.kind[s] == cell_kind::invalid) {
      err.raise(bad_cell_text(r.text[s], l.name[s]), line, l.index[s] + 1);
      return false;
    }
    missing = missing || r.kind[s] == cell_kind::missing;
  }
  sink.row(r.value.data(), missing);
  return true;
}

/// Reads the records of a quote-free chunk. The fast path parses each used
/// field in place as a plain decimal (detail::scan_decimal) and checks that
/// the delimiter or the line's end follows; any other line (a missing value,
/// spaces, text, a ragged row) is read again by the general path, which
/// splits it at the delimiters and gives parse_cell the cells.
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
      const char* after;
      if (f < columns && slot[f] >= 0) {
        after = detail::scan_decimal(q, end, values[slot[f]]);
        if (after == nullptr) {
          fast = false;
          break;
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
      sink.row(values, false);
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

/// A careful reader of one chunk, record by record, exactly as csv_reader
/// reads a stream (blank lines skipped, one trailing CR per physical line
/// dropped, quoted fields with doubled quotes and line breaks).
class careful_reader {
 public:
  careful_reader(const char* begin, const char* end, char delim)
      : p_(begin), end_(end), delim_(delim) {}

  /// Reads the next record into fields (all of them). False at the end or on
  /// error (err set). `line` is the 0-based physical line it started on.
  bool next(std::vector<std::string>& fields, std::size_t& line, chunk_error& err) {
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
              err.raise(unterminated_text, quote_line, quote_column);
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
              err.raise(after_quote_text, current_, static_cast<std::size_t>(i - b_) + 1);
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
  /// Line breaks consumed so far.
  std::size_t lines() const noexcept { return lines_; }
  const char* position() const noexcept { return p_; }

 private:
  bool physical_line() {
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
  const char* p_;
  const char* end_;
  char delim_;
  const char* b_ = nullptr;
  const char* e_ = nullptr;
  std::size_t lines_ = 0;
  std::size_t current_ = 0;
};

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
      }
    }
    if (!deliver(l, fields.size(), r, line, err, sink)) break;
  }
  return reader.lines();
}

template <class Sink>
std::size_t scan_chunk(const char* p, const char* end, bool quoted, const layout& l,
                       chunk_error& err, Sink& sink) {
  return quoted ? scan_careful(p, end, l, err, sink) : scan_plain(p, end, l, err, sink);
}

// ---------------------------------------------------------------------------
// Accumulating a chunk

/// The cross products of one chunk, accumulated with few renormalisations:
/// every product of the shifted values is formed exactly (TwoProd with the
/// low parts' cross terms) and added to a double running sum whose rounding
/// errors (TwoSum) go, with the products' low parts, to a second double
/// (Ogita, Rump and Oishi's Sum2: as accurate as summing in twice the
/// precision). Every `block` rows the pairs are folded into double-double
/// totals, which bounds the error of the plain second sum to
/// block x eps^2 relative: with 256 rows the same order as adding every
/// product in double-double, at a fraction of the cost.
template <std::size_t M>
class chunk_accumulator {
 public:
  static constexpr int block = 256;

  chunk_accumulator(std::size_t np, int degree, bool intercept)
      : np_(np),
        degree_(degree),
        intercept_(intercept),
        m_(M > 0 ? M : np + static_cast<std::size_t>(degree)),
        pairs_(m_ * (m_ + 1) / 2),
        shift_(m_, 0.0),
        terms_(m_),
        zh_(m_),
        zl_(m_),
        s_(pairs_ + m_, 0.0),
        c_(pairs_ + m_, 0.0),
        lane_s_(M > 0 ? (pairs_ + m_) * lanes : 0, 0.0),
        lane_c_(M > 0 ? (pairs_ + m_) * lanes : 0, 0.0),
        total_(pairs_ + m_) {}

  void add(const dd* predictors, dd y) {
    // With M known (no powers), the loops below have constant bounds.
    const std::size_t m = M > 0 ? M : m_;
    if (M > 0) {
      for (std::size_t j = 0; j + 1 < m; ++j) terms_[j] = predictors[j];
    } else {
      expand_terms(degree_, predictors, np_, terms_.data());
    }
    terms_[m - 1] = y;
    if (n_ == 0 && intercept_) {
      for (std::size_t j = 0; j < m; ++j) shift_[j] = terms_[j].hi;
    }
    for (std::size_t j = 0; j < m; ++j) {
      // z = term - shift as a normalised double-double.
      const dd d = two_diff(terms_[j].hi, shift_[j]);
      const double lo = d.lo + terms_[j].lo;
      const double hi = d.hi + lo;
      zh_[j] = hi;
      zl_[j] = lo - (hi - d.hi);
    }
    double* s = s_.data();
    double* c = c_.data();
    std::size_t idx = 0;
    for (std::size_t i = 0; i < m; ++i) {
      const double ah = zh_[i], al = zl_[i];
      for (std::size_t j = 0; j <= i; ++j, ++idx)
        add_product(s[idx], c[idx], ah, al, zh_[j], zl_[j]);
    }
    for (std::size_t j = 0; j < m; ++j, ++idx) add_value(s[idx], c[idx], zh_[j], zl_[j]);
    ++n_;
    if (++pending_ == block) fold();
  }

  static constexpr std::size_t lanes = 4;

  /// Adds `count` rows (M > 0 only), given column by column: term j of row k
  /// is hi[j * stride + k] + lo[j * stride + k], the response last. Rows go
  /// round-robin to four lanes, each its own Sum2 accumulation, so the same
  /// arithmetic runs on four rows at once in vector registers (the cost of
  /// the exact products was three-quarters of a fit's time above the bare
  /// parse); lanes are folded into the totals with the rest. The order of
  /// operations depends only on the rows' order, never on threads.
  void add_rows(const double* hi, const double* lo, std::size_t stride, std::size_t count) {
    static_assert(M > 0, "add_rows needs a fixed number of terms");
    constexpr std::size_t pairs = M * (M + 1) / 2;
    constexpr std::size_t slots = pairs + M;
    if (n_ == 0 && intercept_ && count > 0) {
      for (std::size_t j = 0; j < M; ++j) shift_[j] = hi[j * stride];
    }
    double shift[M];
    for (std::size_t j = 0; j < M; ++j) shift[j] = shift_[j];
    double s[slots][lanes], c[slots][lanes];
    std::copy_n(lane_s_.data(), slots * lanes, &s[0][0]);
    std::copy_n(lane_c_.data(), slots * lanes, &c[0][0]);
    std::size_t k = 0;
    for (; k + lanes <= count; k += lanes) {
      double zh[M][lanes], zl[M][lanes];
      for (std::size_t j = 0; j < M; ++j) {
        for (std::size_t l = 0; l < lanes; ++l) {
          shifted(hi[j * stride + k + l], lo[j * stride + k + l], shift[j], zh[j][l], zl[j][l]);
        }
      }
      std::size_t idx = 0;
      for (std::size_t i = 0; i < M; ++i) {
        for (std::size_t j = 0; j <= i; ++j, ++idx) {
          for (std::size_t l = 0; l < lanes; ++l) {
            add_product(s[idx][l], c[idx][l], zh[i][l], zl[i][l], zh[j][l], zl[j][l]);
          }
        }
      }
      for (std::size_t j = 0; j < M; ++j, ++idx) {
        for (std::size_t l = 0; l < lanes; ++l) add_value(s[idx][l], c[idx][l], zh[j][l], zl[j][l]);
      }
    }
    for (std::size_t l = 0; l < lanes && k < count; ++k, ++l) {  // the last rows, lane by lane
      double zh[M], zl[M];
      for (std::size_t j = 0; j < M; ++j) {
        shifted(hi[j * stride + k], lo[j * stride + k], shift[j], zh[j], zl[j]);
      }
      std::size_t idx = 0;
      for (std::size_t i = 0; i < M; ++i) {
        for (std::size_t j = 0; j <= i; ++j, ++idx) {
          add_product(s[idx][l], c[idx][l], zh[i], zl[i], zh[j], zl[j]);
        }
      }
      for (std::size_t j = 0; j < M; ++j, ++idx) add_value(s[idx][l], c[idx][l], zh[j], zl[j]);
    }
    std::copy_n(&s[0][0], slots * lanes, lane_s_.data());
    std::copy_n(&c[0][0], slots * lanes, lane_c_.data());
    n_ += count;
    pending_ += static_cast<int>(count);
    if (pending_ >= block) fold();
  }

  ols_state finish() {
    fold();
    std::vector<dd> cross(total_.begin(), total_.begin() + static_cast<std::ptrdiff_t>(pairs_));
    std::vector<dd> sums(total_.begin() + static_cast<std::ptrdiff_t>(pairs_), total_.end());
    return ols_state::from_parts(np_, degree_, intercept_, static_cast<double>(n_), shift_,
                                 std::move(sums), std::move(cross));
  }

 private:
  static void add_product(double& s, double& c, double ah, double al, double bh, double bl) {
    const double ph = ah * bh;
    const double pl = std::fma(ah, bh, -ph) + (ah * bl + al * bh);
    add_value(s, c, ph, pl);
  }
  static void add_value(double& s, double& c, double h, double l) {
    const double t = s + h;
    const double bp = t - s;
    const double e = (s - (t - bp)) + (h - bp);
    s = t;
    c += e + l;
  }
  // z = term - shift as a normalised double-double.
  static void shifted(double th, double tl, double shift, double& zh, double& zl) {
    const dd d = two_diff(th, shift);
    const double lo = d.lo + tl;
    const double hi = d.hi + lo;
    zh = hi;
    zl = lo - (hi - d.hi);
  }
  void fold() {
    for (std::size_t i = 0; i < s_.size(); ++i) {
      if constexpr (M > 0) {
        for (std::size_t l = 0; l < lanes; ++l) {
          total_[i] += dd_detail::two_sum(lane_s_[i * lanes + l], lane_c_[i * lanes + l]);
          lane_s_[i * lanes + l] = 0;
          lane_c_[i * lanes + l] = 0;
        }
      } else {
        total_[i] += dd_detail::two_sum(s_[i], c_[i]);
        s_[i] = 0;
        c_[i] = 0;
      }
    }
    pending_ = 0;
  }

  std::size_t np_;
  int degree_;
  bool intercept_;
  std::size_t m_;      // slope terms + response
  std::size_t pairs_;  // packed lower triangle
  std::vector<double> shift_;
  std::vector<dd> terms_;
  std::vector<double> zh_, zl_;
  std::vector<double> s_, c_;            // cross products then sums
  std::vector<double> lane_s_, lane_c_;  // the same per lane (add_rows), [slot][lane]
  std::vector<dd> total_;
  std::size_t n_ = 0;
  int pending_ = 0;
};

/// Per chunk: everything the first pass learns.
template <std::size_t M>
struct fit_sink {
  std::size_t np;
  chunk_accumulator<M> acc;
  std::size_t records = 0, dropped = 0;
  std::vector<double> min, max;  // per predictor (high parts)
  std::vector<double> extremes;  // 2 np rows of np values: argmin, argmax per predictor
  std::vector<double> hi;

  static constexpr std::size_t rows_per_block = 64;
  // M > 0: rows not yet accumulated, term by term ([term][row]).
  std::vector<double> rows_hi, rows_lo;
  std::size_t waiting = 0;

  fit_sink(std::size_t predictors, int degree, bool intercept)
      : np(predictors),
        acc(predictors, degree, intercept),
        min(predictors, HUGE_VAL),
        max(predictors, -HUGE_VAL),
        extremes(2 * predictors * predictors, 0.0),
        hi(predictors),
        rows_hi(M * rows_per_block),
        rows_lo(M * rows_per_block) {}

  /// Accumulates the waiting rows; call before reading acc.
  void flush() {
    if constexpr (M > 0) {
      acc.add_rows(rows_hi.data(), rows_lo.data(), rows_per_block, waiting);
      waiting = 0;
    }
  }

  void row(const dd* v, bool missing) {
    ++records;
    if (missing) {
      ++dropped;
      return;
    }
    if constexpr (M > 0) {
      // Rows wait in a small block, column by column, and reach the
      // accumulator together; the response is the last term.
      for (std::size_t j = 0; j + 1 < M; ++j) {
        rows_hi[j * rows_per_block + waiting] = v[1 + j].hi;
        rows_lo[j * rows_per_block + waiting] = v[1 + j].lo;
      }
      rows_hi[(M - 1) * rows_per_block + waiting] = v[0].hi;
      rows_lo[(M - 1) * rows_per_block + waiting] = v[0].lo;
      if (++waiting == rows_per_block) flush();
    } else {
      acc.add(v + 1, v[0]);
    }
    for (std::size_t j = 0; j < np; ++j) hi[j] = v[1 + j].hi;
    for (std::size_t j = 0; j < np; ++j) {
      if (hi[j] < min[j]) {
        min[j] = hi[j];
        std::copy(hi.begin(), hi.end(), extremes.begin() + static_cast<std::ptrdiff_t>(2 * j * np));
      }
      if (hi[j] > max[j]) {
        max[j] = hi[j];
        std::copy(hi.begin(), hi.end(),
                  extremes.begin() + static_cast<std::ptrdiff_t>((2 * j + 1) * np));
      }
    }
  }
};

/// Per chunk: what the second pass learns from the rows and the fit.
struct residual_sink {
  const ols_fit& fit;
  bool want_leverage;
  bool want_residuals;
  dd rss;
  double max_leverage = 0;
  std::vector<double> residuals;
  std::vector<std::size_t> records;  // with residuals: each one's record in the chunk (0-based)
  std::size_t record = 0;            // records seen, missing ones too
  std::vector<double> hi;

  residual_sink(const ols_fit& f, bool leverage_wanted, bool residuals_wanted)
      : fit(f),
        want_leverage(leverage_wanted),
        want_residuals(residuals_wanted),
        hi(f.predictor_count) {}

  void row(const dd* v, bool missing) {
    ++record;
    if (missing) return;
    add_squared_residual(fit, v + 1, v[0], rss);
    for (std::size_t j = 0; j < hi.size(); ++j) hi[j] = v[1 + j].hi;
    if (want_leverage) max_leverage = std::max(max_leverage, leverage(fit, hi.data()));
    if (want_residuals) {
      residuals.push_back(v[0].hi - fitted_value(fit, hi.data()));
      records.push_back(record - 1);
    }
  }
};

// ---------------------------------------------------------------------------
// Chunks through worker threads, results in order

struct task {
  std::size_t index = 0;
  const char* begin = nullptr;
  const char* end = nullptr;
  bool quoted = false;
  int buffer = -1;           // stream buffer to recycle, or -1
  std::uint64_t offset = 0;  // byte offset of `end` in the input, for progress
};

/// Runs `work` on chunks in worker threads (or inline with one thread) and
/// hands the results to `consume` in chunk order on the calling thread. At
/// most `window` chunks are in flight, which bounds memory.
template <class Result>
class chunk_pipeline {
 public:
  using work_fn = std::function<Result(const task&)>;
  using consume_fn = std::function<void(const task&, Result&)>;

  chunk_pipeline(unsigned threads, std::size_t window, work_fn work, consume_fn consume)
      : window_(std::max<std::size_t>(window, 1)),
        work_(std::move(work)),
        consume_(std::move(consume)) {
    if (threads > 1) {
      for (unsigned i = 0; i < threads; ++i) workers_.emplace_back([this] { serve(); });
    }
  }
  chunk_pipeline(const chunk_pipeline&) = delete;
  chunk_pipeline& operator=(const chunk_pipeline&) = delete;
  ~chunk_pipeline() { stop(); }

  void submit(const task& t) {
    if (workers_.empty()) {
      Result r = work_(t);
      consume_(t, r);
      return;
    }
    std::unique_lock<std::mutex> lock(mu_);
    while (submitted_ - consumed_ >= window_) consume_one(lock);
    queue_.push_back(t);
    ++submitted_;
    work_cv_.notify_one();
  }
  /// Waits for every chunk and consumes it. Rethrows what consume throws.
  void finish() {
    if (workers_.empty()) return;
    std::unique_lock<std::mutex> lock(mu_);
    while (consumed_ < submitted_) consume_one(lock);
  }
  /// Blocks until the oldest in-flight chunk is consumed (frees a buffer).
  void wait_one() {
    if (workers_.empty()) return;
    std::unique_lock<std::mutex> lock(mu_);
    if (consumed_ < submitted_) consume_one(lock);
  }

 private:
  void consume_one(std::unique_lock<std::mutex>& lock) {
    done_cv_.wait(lock, [&] { return done_.count(consumed_) > 0; });
    auto node = done_.extract(consumed_);
    lock.unlock();
    if (node.mapped().failure) std::rethrow_exception(node.mapped().failure);
    try {
      consume_(node.mapped().t, node.mapped().result);
    } catch (...) {
      lock.lock();
      ++consumed_;
      throw;
    }
    lock.lock();
    ++consumed_;
  }
  void serve() {
    for (;;) {
      task t;
      {
        std::unique_lock<std::mutex> lock(mu_);
        work_cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
        if (stopping_) return;
        t = queue_.front();
        queue_.pop_front();
      }
      done_entry entry;
      entry.t = t;
      try {
        entry.result = work_(t);
      } catch (...) {
        entry.failure = std::current_exception();
      }
      std::lock_guard<std::mutex> lock(mu_);
      done_.emplace(t.index, std::move(entry));
      done_cv_.notify_all();
    }
  }
  void stop() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stopping_ = true;
      queue_.clear();
    }
    work_cv_.notify_all();
    for (auto& w : workers_) w.join();
    workers_.clear();
  }

  struct done_entry {
    task t;
    Result result{};
    std::exception_ptr failure;
  };
  std::size_t window_;
  work_fn work_;
  consume_fn consume_;
  std::vector<std::thread> workers_;
  std::mutex mu_;
  std::condition_variable work_cv_, done_cv_;
  std::deque<task> queue_;
  std::map<std::size_t, done_entry> done_;
  std::size_t submitted_ = 0, consumed_ = 0;
  bool stopping_ = false;
};

// ---------------------------------------------------------------------------
// Inputs: a mapped file, or a stream through buffers

/// A read-only mapping of a whole file whose pages are released behind the
/// reader, so the resident set stays near the chunks in flight.
class mapped_file {
 public:
  mapped_file(int fd, std::size_t size, const std::string& name) : size_(size) {
    if (size_ == 0) return;
    void* p = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd, 0);
    if (p == MAP_FAILED) {
      throw data_error("cannot map '" + name + "' into memory: " + std::strerror(errno));
    }
    data_ = static_cast<const char*>(p);
    ::madvise(p, size_, MADV_SEQUENTIAL);
  }
  mapped_file(const mapped_file&) = delete;
  mapped_file& operator=(const mapped_file&) = delete;
  ~mapped_file() {
    if (data_ != nullptr) ::munmap(const_cast<char*>(data_), size_);
  }
  const char* begin() const { return data_; }
  const char* end() const { return data_ + size_; }
  std::size_t size() const { return size_; }
  /// Drops the pages wholly before `upto` from the resident set.
  void release(const char* upto) {
    if (data_ == nullptr) return;
    const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    const std::size_t to = static_cast<std::size_t>(upto - data_) / page * page;
    if (to > released_) {
      ::madvise(const_cast<char*>(data_) + released_, to - released_, MADV_DONTNEED);
      released_ = to;
    }
  }
  void reset_release() { released_ = 0; }
  /// Faults in the pages of [from, to) in one call before a worker reads
  /// them (Linux 5.14+; elsewhere a no-op): two workers faulting page by
  /// page contend in the kernel.
  static void populate(const char* from, const char* to) {
#ifdef __linux__
    constexpr int populate_read = 22;  // MADV_POPULATE_READ, not in every libc's headers
    const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
    const auto start = reinterpret_cast<std::uintptr_t>(from) / page * page;
    const auto stop = reinterpret_cast<std::uintptr_t>(to);
    if (stop > start) {
      (void)::madvise(reinterpret_cast<void*>(start), stop - start, populate_read);
    }
#else
    (void)from;
    (void)to;
#endif
  }

 private:
  const char* data_ = nullptr;
  std::size_t size_;
  std::size_t released_ = 0;
};

struct fd_guard {
  int fd = -1;
  ~fd_guard() {
    if (fd >= 0) ::close(fd);
  }
};

unsigned thread_count(unsigned requested) {
  if (requested > 0) return requested;
  const unsigned hw = std::thread::hardware_concurrency();
  return hw == 0 ? 1 : hw;
}

/// The progress line: drawn at most 4 times a second, from the second second.
class progress_line {
 public:
  progress_line(std::ostream* out, std::uint64_t total) : out_(out), total_(total) {}
  ~progress_line() { clear(); }
  void update(std::uint64_t done) {
    if (out_ == nullptr) return;
    const auto now = std::chrono::steady_clock::now();
    const double elapsed = std::chrono::duration<double>(now - start_).count();
    if (elapsed < 1.0 || now - last_ < std::chrono::milliseconds(250)) return;
    last_ = now;
    const double rate = static_cast<double>(done) / elapsed;
    char line[160];
    if (total_ > 0) {
      const double left =
          rate > 0 ? static_cast<double>(total_ - std::min(done, total_)) / rate : 0;
      std::snprintf(
          line, sizeof line, "\rregress: %.1f of %.1f MB (%.0f%%), %.0f MB/s, %.0f s left ",
          static_cast<double>(done) / 1e6, static_cast<double>(total_) / 1e6,
          100.0 * static_cast<double>(done) / static_cast<double>(total_), rate / 1e6, left);
    } else {
      std::snprintf(line, sizeof line, "\rregress: %.1f MB read, %.0f MB/s ",
                    static_cast<double>(done) / 1e6, rate / 1e6);
    }
    *out_ << line << std::flush;
    drawn_ = true;
  }
  void clear() {
    if (drawn_ && out_ != nullptr) *out_ << "\r" << std::string(72, ' ') << "\r" << std::flush;
    drawn_ = false;
  }

 private:
  std::ostream* out_;
  std::uint64_t total_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_ = start_;
  bool drawn_ = false;
};

// ---------------------------------------------------------------------------
// The header

/// Parses the header record at the start of [p, end) (after a byte-order
/// mark). Returns the position after it and the line breaks it used; throws
/// data_error for an empty input or a malformed header.
const char* read_header(const char* p, const char* end, const engine_options& o,
                        std::vector<std::string>& header, std::size_t& lines) {
  if (end - p >= 3 && std::memcmp(p, "\xEF\xBB\xBF", 3) == 0) p += 3;
  // Blank lines before the header are skipped, as csv_reader does.
  careful_reader reader(p, end, o.delimiter);
  chunk_error err;
  std::size_t line = 0;
  if (!reader.next(header, line, err)) {
    if (err.set) throw data_error(err.message, o.source, err.line + 1, err.column);
    throw data_error("the input is empty; it needs a header row and data rows", o.source);
  }
  lines = reader.lines();
  return reader.position();
}

layout make_layout(const column_choice& c, std::size_t columns, char delim) {
  layout l;
  l.delimiter = delim;
  l.columns = columns;
  l.slot.assign(columns, -1);
  for (std::size_t s = 0; s < c.indices.size(); ++s) {
    l.slot.at(c.indices[s]) = static_cast<int>(s);
    l.index.push_back(c.indices[s]);
    l.name.push_back(s == 0 ? c.spec.response : c.spec.predictors[s - 1]);
  }
  return l;
}

// ---------------------------------------------------------------------------
// The two passes over chunks

struct pass1_result {
  ols_state state;
  std::size_t records = 0, dropped = 0, lines = 0;
  std::vector<double> min, max, extremes;
  chunk_error error;
};

struct pass2_result {
  chunk_error error;
  dd rss;
  double max_leverage = 0;
  std::vector<double> residuals;
  std::vector<std::size_t> records;  // see residual_sink
  std::size_t record_count = 0;
};

/// Merges chunk results in order; raises the first error with its absolute line.
struct pass1_merger {
  const engine_options& o;
  std::size_t np;
  std::size_t line = 0;  // absolute 1-based line of the next chunk's first line
  ols_state state;
  std::size_t records = 0, dropped = 0;
  std::vector<double> min, max, extremes;

  pass1_merger(const engine_options& opts, const model_spec& spec, std::size_t first_line)
      : o(opts),
        np(spec.predictors.size()),
        line(first_line),
        state(spec.predictors.size(), spec.degree, spec.intercept),
        min(np, HUGE_VAL),
        max(np, -HUGE_VAL),
        extremes(2 * np * np, 0.0) {}

  void add(pass1_result& r) {
    if (r.error.set) {
      throw data_error(r.error.message, o.source, line + r.error.line, r.error.column);
    }
    state.merge(r.state);
    records += r.records;
    dropped += r.dropped;
    for (std::size_t j = 0; j < np; ++j) {
      if (r.min[j] < min[j]) {
        min[j] = r.min[j];
        std::copy_n(r.extremes.begin() + static_cast<std::ptrdiff_t>(2 * j * np), np,
                    extremes.begin() + static_cast<std::ptrdiff_t>(2 * j * np));
      }
      if (r.max[j] > max[j]) {
        max[j] = r.max[j];
        std::copy_n(r.extremes.begin() + static_cast<std::ptrdiff_t>((2 * j + 1) * np), np,
                    extremes.begin() + static_cast<std::ptrdiff_t>((2 * j + 1) * np));
      }
    }
    line += r.lines;
  }
};

template <std::size_t M>
pass1_result run_pass1_fixed(const task& t, const layout& l, const model_spec& spec) {
  fit_sink<M> sink(spec.predictors.size(), spec.degree, spec.intercept);
  pass1_result r;
  r.lines = scan_chunk(t.begin, t.end, t.quoted, l, r.error, sink);
  sink.flush();
  r.state = sink.acc.finish();
  r.records = sink.records;
  r.dropped = sink.dropped;
  r.min = std::move(sink.min);
  r.max = std::move(sink.max);
  r.extremes = std::move(sink.extremes);
  return r;
}

// The hot loop is compiled twice on x86-64 and chosen at load time: for the
// baseline, and for x86-64-v3 (AVX2 and FMA, every x86 CPU since about 2015),
// whose hardware FMA makes the exact products cheap. Both give the same bits:
// std::fma is exact either way and nothing is contracted (-ffp-contract=off).
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && defined(__gnu_linux__)
#define REGRESS_HOT_CLONES __attribute__((target_clones("arch=x86-64-v3", "default"), flatten))
#else
#define REGRESS_HOT_CLONES
#endif

REGRESS_HOT_CLONES
pass1_result run_pass1(const task& t, const layout& l, const model_spec& spec) {
  if (spec.degree == 1) {
    switch (spec.predictors.size()) {
      case 1:
        return run_pass1_fixed<2>(t, l, spec);
      case 2:
        return run_pass1_fixed<3>(t, l, spec);
      case 3:
        return run_pass1_fixed<4>(t, l, spec);
      case 4:
        return run_pass1_fixed<5>(t, l, spec);
      case 5:
        return run_pass1_fixed<6>(t, l, spec);
      case 6:
        return run_pass1_fixed<7>(t, l, spec);
      case 7:
        return run_pass1_fixed<8>(t, l, spec);
      case 8:
        return run_pass1_fixed<9>(t, l, spec);
      case 9:
        return run_pass1_fixed<10>(t, l, spec);
      case 10:
        return run_pass1_fixed<11>(t, l, spec);
      default:
        break;
    }
  }
  return run_pass1_fixed<0>(t, l, spec);
}

pass2_result run_pass2(const task& t, const layout& l, const ols_fit& fit, bool leverage_wanted,
                       bool residuals_wanted) {
  residual_sink sink(fit, leverage_wanted, residuals_wanted);
  pass2_result r;
  scan_chunk(t.begin, t.end, t.quoted, l, r.error, sink);
  r.rss = sink.rss;
  r.max_leverage = sink.max_leverage;
  r.residuals = std::move(sink.residuals);
  r.records = std::move(sink.records);
  r.record_count = sink.record;
  return r;
}

/// Thrown by the consumer when a chunk cut optimistically holds a quote.
struct recut {
  const char* at;
};

/// Cuts [begin, end) of a mapping into chunks and runs them through a
/// pipeline. Cutting is optimistic: at the first line break after each
/// chunk_bytes, without reading the chunk (a serial scan of the whole file
/// would cost a core a pass over memory). The workers stop at any quote; the
/// first chunk (in file order) that holds one started at a true record
/// boundary, so from there on the input is cut knowing the quoting
/// (find_cut), and the chunks after it are read again.
template <class Result>
void run_mapped(mapped_file& map, const char* begin, const engine_options& o, unsigned threads,
                const std::function<Result(const task&)>& work,
                const std::function<void(const task&, Result&)>& consume, progress_line& progress) {
  map.reset_release();
  const char* s = begin;
  const char* end = map.end();
  const std::size_t chunk = std::max<std::size_t>(o.chunk_bytes, 1);
  bool careful = false;
  for (;;) {
    try {
      const std::function<Result(const task&)> populated = [&](const task& t) {
        mapped_file::populate(t.begin, t.end);
        return work(t);
      };
      chunk_pipeline<Result> pipeline(threads, 2 * threads + 2, populated,
                                      [&](const task& t, Result& r) {
                                        if (r.error.quote) throw recut{t.begin};
                                        consume(t, r);
                                        map.release(t.end);
                                        progress.update(t.offset);
                                      });
      std::size_t index = 0;
      while (s < end) {
        task t;
        t.index = index++;
        t.begin = s;
        if (static_cast<std::size_t>(end - s) <= chunk) {
          t.end = end;
          t.quoted = careful && std::memchr(s, '"', static_cast<std::size_t>(end - s)) != nullptr;
        } else if (careful) {
          t.end = find_cut(s, s + chunk, end, o.delimiter, t.quoted);
        } else {
          const auto* nl = static_cast<const char*>(
              std::memchr(s + chunk, '\n',
                          static_cast<std::size_t>(end - s - static_cast<std::ptrdiff_t>(chunk))));
          t.end = nl == nullptr ? end : nl + 1;
        }
        t.offset = static_cast<std::uint64_t>(t.end - map.begin());
        pipeline.submit(t);
        s = t.end;
      }
      pipeline.finish();
      return;
    } catch (const recut& r) {
      s = r.at;
      careful = true;
    }
  }
}

double quantile7(const std::vector<double>& sorted, double p) {
  const double h = static_cast<double>(sorted.size() - 1) * p;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

/// The model from the merged first pass, before any second pass.
std::vector<predictor_range> ranges_of(const model_spec& spec, const pass1_merger& m) {
  std::vector<predictor_range> ranges;
  for (std::size_t j = 0; j < m.np; ++j) {
    predictor_range r;
    r.name = spec.predictors[j];
    r.min = m.min[j];
    r.max = m.max[j];
    ranges.push_back(r);
  }
  return ranges;
}

model first_model(const model_spec& spec, const pass1_merger& m) {
  if (m.state.n() == 0) {
    throw data_error(m.records == 0 ? "no data rows; the file has only a header"
                                    : "no complete rows: every row has a missing value in a "
                                      "column the model uses");
  }
  const std::vector<predictor_range> ranges = ranges_of(spec, m);
  extreme_rows ext;
  for (std::size_t e = 0; e < 2 * m.np; ++e) {
    ext.emplace_back(m.extremes.begin() + static_cast<std::ptrdiff_t>(e * m.np),
                     m.extremes.begin() + static_cast<std::ptrdiff_t>((e + 1) * m.np));
  }
  return model_from_state(spec, m.state, ranges, ext, m.dropped);
}

bool wants_exact_leverage(const model_spec& spec, const engine_options& o) {
  return o.need_max_leverage && (spec.predictors.size() > 1 || spec.degree > 1);
}

/// Decides on and runs the second pass over a mapping; fills the result.
void finish_with_rows(engine_result& out, mapped_file* map, const char* begin, const layout& l,
                      const engine_options& o, unsigned threads, progress_line& progress) {
  model& m = out.fitted;
  const bool leverage_wanted = wants_exact_leverage(m.spec, o);
  const bool residuals_wanted = m.fit.nobs <= static_cast<double>(o.quantile_rows);
  ols_state& state = out.state;
  const bool rss_wanted = needs_residual_pass(state, m.fit);
  if (!leverage_wanted && !residuals_wanted && !rss_wanted) return;
  if (map == nullptr) {  // a stream too big to have been kept
    if (rss_wanted) {
      out.warnings.push_back(
          "the fit is near-exact, and standard input was too big to keep for a second pass: "
          "the residual sum of squares (so sigma, the standard errors and R squared) comes "
          "from the one pass and may have lost digits; give the data as a file for all of them");
    }
    return;
  }
  out.second_pass = true;
  dd rss;
  double max_lev = 0;
  std::vector<double> residuals;
  std::vector<std::size_t> row_numbers;  // 1-based data-row number of each residual
  std::size_t records_before = 0;
  const ols_fit& fit = m.fit;
  std::function<pass2_result(const task&)> work = [&](const task& t) {
    return run_pass2(t, l, fit, leverage_wanted, residuals_wanted);
  };
  std::function<void(const task&, pass2_result&)> consume = [&](const task&, pass2_result& r) {
    rss += r.rss;
    max_lev = std::max(max_lev, r.max_leverage);
    residuals.insert(residuals.end(), r.residuals.begin(), r.residuals.end());
    for (std::size_t k : r.records) row_numbers.push_back(records_before + k + 1);
    records_before += r.record_count;
  };
  run_mapped<pass2_result>(*map, begin, o, threads, work, consume, progress);
  // The rows are at hand: the residual sum of squares from them keeps every
  // digit even for a near-exact fit.
  m.fit.rss = rss;
  if (leverage_wanted) m.max_leverage = max_lev;
  if (residuals_wanted && !residuals.empty()) {
    if (m.fit.df_residual <= max_listed_df) {
      for (std::size_t i = 0; i < residuals.size(); ++i) {
        m.listed_residuals.emplace_back(row_numbers[i], residuals[i]);
      }
    }
    std::sort(residuals.begin(), residuals.end());
    m.residual_quantiles = std::array<double, 5>{residuals.front(), quantile7(residuals, 0.25),
                                                 quantile7(residuals, 0.5),
                                                 quantile7(residuals, 0.75), residuals.back()};
  }
}

void take_first_pass(engine_result& out, const model_spec& spec, pass1_merger& merged) {
  try {
    out.fitted = first_model(spec, merged);
  } catch (const model_error& e) {
    // A shard that cannot be solved alone (too few rows, a term constant in
    // it) still has a well-defined state, which merges exactly.
    if (!merged.o.keep_unsolvable) throw;
    out.unsolved = e.what();
    out.fitted = model{};
    out.fitted.spec = spec;
    out.fitted.rows_dropped = merged.dropped;
    out.fitted.ranges = ranges_of(spec, merged);
  }
  out.state = merged.state;
  out.rows_read = merged.records;
  out.rows_dropped = merged.dropped;
  for (std::size_t e = 0; e < 2 * merged.np; ++e) {
    out.extremes.emplace_back(
        merged.extremes.begin() + static_cast<std::ptrdiff_t>(e * merged.np),
        merged.extremes.begin() + static_cast<std::ptrdiff_t>((e + 1) * merged.np));
  }
}

/// Both passes over a mapped input whose data records start at `begin`.
engine_result fit_mapped(mapped_file& map, const char* begin, std::size_t first_line,
                         std::vector<std::string> header, const column_chooser& choose,
                         const engine_options& o, std::uint64_t total_bytes) {
  engine_result out;
  out.header = std::move(header);
  const column_choice choice = choose(out.header);
  validate(choice.spec);
  const layout l = make_layout(choice, out.header.size(), o.delimiter);
  const unsigned threads = thread_count(o.threads);
  progress_line progress(o.progress, total_bytes);
  pass1_merger merged(o, choice.spec, first_line);
  std::function<pass1_result(const task&)> work = [&](const task& t) {
    return run_pass1(t, l, choice.spec);
  };
  std::function<void(const task&, pass1_result&)> consume = [&](const task&, pass1_result& r) {
    merged.add(r);
  };
  run_mapped<pass1_result>(map, begin, o, threads, work, consume, progress);
  take_first_pass(out, choice.spec, merged);
  if (out.unsolved.empty()) finish_with_rows(out, &map, begin, l, o, threads, progress);
  return out;
}

}  // namespace

model model_from_state(const model_spec& spec, const ols_state& state,
                       const std::vector<predictor_range>& ranges, const extreme_rows& extremes,
                       std::size_t rows_dropped) {
  validate(spec);
  if (spec.degree > 1 && !ranges.empty()) {
    const double biggest = std::max(std::abs(ranges[0].min), std::abs(ranges[0].max));
    if (!std::isfinite(std::pow(biggest, spec.degree))) {
      throw data_error("'" + spec.predictors.front() + "^" + std::to_string(spec.degree) +
                       "' overflows double precision; rescale the predictor (e.g. divide by a "
                       "power of ten) or lower --degree");
    }
  }
  model m;
  m.spec = spec;
  m.slope_terms = slope_terms(spec);
  m.fit = solve(state, m.slope_terms);
  m.ranges = ranges;
  m.rows_dropped = rows_dropped;
  // Means from the state: the shift plus the mean shifted value, in
  // double-double (the inputs' low parts included).
  const dd n(state.n());
  for (std::size_t j = 0; j < m.ranges.size() && j < state.k(); ++j) {
    m.ranges[j].mean = double(dd(state.shift()[j]) + state.sums()[j] / n);
  }
  m.max_leverage = 0;
  for (const auto& row : extremes) {
    if (row.size() == spec.predictors.size()) {
      m.max_leverage = std::max(m.max_leverage, leverage(m.fit, row.data()));
    }
  }
  return m;
}

engine_result fit_csv_file(const std::string& path, const column_chooser& choose,
                           const engine_options& opts) {
  engine_options options = opts;
  options.source = path;
  if (std::filesystem::is_directory(path)) {
    throw data_error("'" + path + "' is a directory; give a CSV file");
  }
  fd_guard fd{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
  if (fd.fd < 0) {
    throw data_error("cannot open '" + path + "': " + std::strerror(errno) +
                     "; check the path, or use - to read standard input");
  }
  struct stat st {};
  if (::fstat(fd.fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    // A named pipe or a device: read it as a stream.
    // (Reopening through an ifstream keeps one code path for streams.)
    std::ifstream in(path, std::ios::binary);
    return fit_csv_stream(in, choose, options);
  }
  mapped_file map(fd.fd, static_cast<std::size_t>(st.st_size), path);
  std::vector<std::string> header;
  std::size_t header_lines = 0;
  const char* begin = read_header(map.begin(), map.end(), options, header, header_lines);
  return fit_mapped(map, begin, header_lines + 1, std::move(header), choose, options,
                    static_cast<std::uint64_t>(map.size()));
}

engine_result fit_csv_stream(std::istream& in, const column_chooser& choose,
                             const engine_options& options) {
  // The spool: an unlinked temporary file holding the data records read, so
  // that a second pass can map it; the disk, not memory, holds the input.
  std::string dir = "/tmp";
  if (const char* t = std::getenv("TMPDIR"); t != nullptr && *t != '\0') dir = t;
  std::string name = dir + "/regress-spool-XXXXXX";
  fd_guard spool{::mkstemp(name.data())};
  if (spool.fd < 0) {
    throw data_error("cannot create a temporary file in '" + dir + "' to hold standard input: " +
                     std::strerror(errno) + "; set TMPDIR to a writable directory, or give a file");
  }
  ::unlink(name.c_str());
  // Spooling costs a copy of every byte; beyond spool_bytes it stops unless
  // the caller needs the second pass for sure (exact leverage), and a
  // near-exact fit then keeps its one-pass residual sum of squares (warned).
  bool spooling = true, must_spool = false;
  std::uint64_t spooled = 0;
  auto spool_write = [&](const char* p, std::size_t n) {
    if (!spooling) return;
    if (!must_spool && spooled + n > options.spool_bytes) {
      spooling = false;
      if (::ftruncate(spool.fd, 0) != 0) {
        // The space is released when the descriptor closes anyway.
      }
      return;
    }
    spooled += n;
    while (n > 0) {
      const ssize_t w = ::write(spool.fd, p, n);
      if (w < 0) {
        if (errno == EINTR) continue;
        throw data_error("cannot write the temporary copy of standard input in '" + dir + "': " +
                         std::strerror(errno) + "; free some space or set TMPDIR, or give a file");
      }
      p += w;
      n -= static_cast<std::size_t>(w);
    }
  };

  const unsigned threads = thread_count(options.threads);
  const std::size_t chunk = std::max<std::size_t>(options.chunk_bytes, 64);
  const std::size_t window = threads > 1 ? 2 * threads + 2 : 1;
  std::vector<std::vector<char>> buffers(window + 1, std::vector<char>());
  std::vector<int> free_buffers;
  for (std::size_t i = buffers.size(); i-- > 0;) free_buffers.push_back(static_cast<int>(i));
  std::streambuf* src = in.rdbuf();
  bool eof = src == nullptr;
  auto fill = [&](std::vector<char>& b, std::size_t& filled) {
    while (!eof && filled < b.size()) {
      const std::streamsize n =
          src->sgetn(b.data() + filled, static_cast<std::streamsize>(b.size() - filled));
      if (n <= 0) {
        eof = true;
        break;
      }
      filled += static_cast<std::size_t>(n);
    }
  };

  // The header: read until it is complete.
  int current = free_buffers.back();
  free_buffers.pop_back();
  std::vector<char>* buf = &buffers[static_cast<std::size_t>(current)];
  buf->resize(chunk);
  std::size_t filled = 0;
  std::size_t start = 0;  // where the records not yet cut begin
  std::vector<std::string> header;
  std::size_t header_lines = 0;
  for (;;) {
    fill(*buf, filled);
    const char* b = buf->data();
    const char* e = b + filled;
    const char* s = b;
    if (e - s >= 3 && std::memcmp(s, "\xEF\xBB\xBF", 3) == 0) s += 3;
    // A complete header record, blank lines before it included.
    careful_reader probe(s, e, options.delimiter);
    std::vector<std::string> fields;
    std::size_t line = 0;
    chunk_error err;
    const bool got = probe.next(fields, line, err);
    const bool complete = got && probe.position()[-1] == '\n';
    if (eof || complete) {
      const char* after = read_header(b, e, options, header, header_lines);
      start = static_cast<std::size_t>(after - b);
      break;
    }
    buf->resize(buf->size() * 2);
  }

  engine_result out;
  out.header = header;
  const column_choice choice = choose(out.header);
  validate(choice.spec);
  const layout l = make_layout(choice, out.header.size(), options.delimiter);
  must_spool = wants_exact_leverage(choice.spec, options);
  progress_line progress(options.progress, 0);
  pass1_merger merged(options, choice.spec, header_lines + 1);
  std::uint64_t read_total = 0;
  {
    chunk_pipeline<pass1_result> pipeline(
        threads, window, [&](const task& t) { return run_pass1(t, l, choice.spec); },
        [&](const task& t, pass1_result& r) {
          merged.add(r);
          if (t.buffer >= 0) free_buffers.push_back(t.buffer);
          progress.update(t.offset);
        });
    std::size_t index = 0;
    for (;;) {
      fill(*buf, filled);
      const char* b = buf->data();
      const char* s = b + start;
      const char* e = b + filled;
      task t;
      t.index = index;
      t.begin = s;
      t.buffer = current;
      if (eof) {
        t.end = e;
        t.quoted = std::memchr(s, '"', static_cast<std::size_t>(e - s)) != nullptr;
      } else {
        // Cut after the last record that ends in the buffer's last stretch,
        // or any record at all; none: the record is longer than the buffer.
        const std::size_t span = static_cast<std::size_t>(e - s);
        const char* target = e - std::min<std::size_t>(span / 2, 65536);
        t.end = find_cut(s, target, e, options.delimiter, t.quoted);
        if (t.end == e) t.end = find_cut(s, s, e, options.delimiter, t.quoted);
        if (t.end == e) {
          if (start > 0) {
            std::memmove(buf->data(), s, span);
            filled = span;
            start = 0;
          }
          buf->resize(buf->size() * 2);
          continue;
        }
      }
      spool_write(t.begin, static_cast<std::size_t>(t.end - t.begin));
      read_total += static_cast<std::uint64_t>(t.end - t.begin);
      t.offset = read_total;
      // The rest goes to the next buffer before this one is handed out.
      const std::size_t rest = static_cast<std::size_t>(e - t.end);
      if (t.begin == t.end && eof) break;
      while (free_buffers.empty()) pipeline.wait_one();
      const int next = free_buffers.back();
      free_buffers.pop_back();
      std::vector<char>& nb = buffers[static_cast<std::size_t>(next)];
      if (nb.size() < std::max(chunk, rest + 1)) nb.resize(std::max(chunk, 2 * rest));
      std::memcpy(nb.data(), t.end, rest);
      ++index;
      pipeline.submit(t);
      current = next;
      buf = &nb;
      filled = rest;
      start = 0;
      if (eof && rest == 0) break;
    }
    pipeline.finish();
  }
  take_first_pass(out, choice.spec, merged);

  // The second pass, when one is needed, maps the spool.
  if (!out.unsolved.empty()) return out;
  if (!spooling) {
    finish_with_rows(out, nullptr, nullptr, l, options, threads, progress);
    return out;
  }
  struct stat st {};
  if (::fstat(spool.fd, &st) != 0) {
    throw data_error(std::string("cannot read back the temporary copy of standard input: ") +
                     std::strerror(errno));
  }
  mapped_file map(spool.fd, static_cast<std::size_t>(st.st_size), "the spool");
  finish_with_rows(out, &map, map.begin(), l, options, threads, progress);
  return out;
}

}  // namespace regress
