// libFuzzer target: regress::csv_reader::next and regress::read_columns.
//
// Input: the first byte picks the delimiter (',', ';', tab or '|') and which
// columns read_columns parses; the rest is the CSV text.
//
// Oracles:
//  - only regress::error escapes (data_error for malformed input, usage_error
//    never: the columns are chosen by index), never anything else;
//  - every record after the header reported as read has as many values per
//    column as rows, each finite or NaN (missing), with increasing lines;
//  - round trip: every record, written back with every field quoted and
//    quotes doubled, reads back as the same fields (fields holding a CR are
//    skipped: the reader normalises CRLF inside quoted fields to LF).
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include "regress/error.hpp"
#include "regress/reading/table.hpp"

namespace {

[[noreturn]] void finding(const char* what) {
  std::fprintf(stderr, "FINDING: %s\n", what);
  std::abort();
}

std::string quoted_record(const std::vector<std::string>& fields, char delimiter) {
  std::string line;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) line += delimiter;
    line += '"';
    for (char c : fields[i]) {
      if (c == '"') line += '"';
      line += c;
    }
    line += '"';
  }
  return line + '\n';
}

bool has_cr(const std::vector<std::string>& fields) {
  for (const auto& f : fields) {
    if (f.find('\r') != std::string::npos) return true;
  }
  return false;
}

void check_round_trip(const std::vector<std::string>& fields, char delimiter) {
  if (has_cr(fields)) return;
  std::istringstream again(quoted_record(fields, delimiter));
  regress::csv_reader reader(again, regress::csv_options{delimiter, "<round trip>"});
  std::vector<std::string> back;
  if (!reader.next(back) || back != fields) finding("a record does not survive quoting");
  if (reader.next(back)) finding("a quoted record reads back as two");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return -1;
  static const char delimiters[] = {',', ';', '\t', '|'};
  const char delimiter = delimiters[data[0] & 3];
  const unsigned column_mask = data[0] >> 2U;  // which of the first 6 columns to parse
  const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);

  std::istringstream in(text);
  regress::csv_reader reader(in, regress::csv_options{delimiter, "<fuzz>"});
  try {
    std::vector<std::string> header;
    if (!reader.next(header)) return 0;
    if (header.empty()) finding("a record with no fields");
    check_round_trip(header, delimiter);
    std::vector<std::size_t> indices;
    for (std::size_t i = 0; i < header.size() && i < 6; ++i) {
      if ((column_mask >> i) & 1U) indices.push_back(i);
    }
    if (indices.empty()) {
      // No columns: walk the records only, checking each round trip.
      std::vector<std::string> fields;
      std::size_t last_line = reader.line();
      while (reader.next(fields)) {
        if (fields.empty()) finding("a record with no fields");
        if (reader.line() <= last_line) finding("record lines do not increase");
        last_line = reader.line();
        check_round_trip(fields, delimiter);
      }
      return 0;
    }
    const regress::table t = regress::read_columns(reader, header, indices);
    if (t.names.size() != indices.size() || t.columns.size() != indices.size()) {
      finding("read_columns returned the wrong number of columns");
    }
    // Repeated header names are told apart as R's make.unique does.
    const std::vector<std::string> unique = regress::unique_names(header);
    for (std::size_t c = 0; c < t.columns.size(); ++c) {
      if (t.columns[c].size() != t.rows()) finding("a column's length differs from the rows");
      if (t.names[c] != unique[indices[c]]) finding("a column is misnamed");
      for (double v : t.columns[c]) {
        if (std::isinf(v)) finding("an infinite value was read");
      }
      if (!t.low.empty()) {
        if (t.low.size() != t.columns.size() || t.low[c].size() != t.rows()) {
          finding("the low parts are not the shape of the columns");
        }
        for (std::size_t r = 0; r < t.rows(); ++r) {
          const double hi = t.columns[c][r], lo = t.low[c][r];
          if (std::isnan(hi) ? !(std::isnan(lo) || lo == 0) : !(hi + lo == hi)) {
            finding("a low part is not below half an ulp of its value");
          }
        }
      }
    }
    for (std::size_t r = 0; r < t.rows(); ++r) {
      if (t.lines[r] < 2 || (r > 0 && t.lines[r] <= t.lines[r - 1])) {
        finding("row lines do not increase from line 2");
      }
    }
  } catch (const regress::data_error& e) {
    const std::string what = e.what();
    if (what.rfind("<fuzz>:", 0) != 0) finding("a data_error that does not name the source");
  } catch (const regress::error&) {
    finding("an error other than data_error from reading a CSV");
  }
  return 0;
}
