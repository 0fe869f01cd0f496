#pragma once
/// \file augment_table.hpp
/// The writer of augment's rows (what `regress augment` prints): per data
/// row used by the fit, `row` (its 1-based data row), the model frame's
/// columns and broom::augment's .fitted, .resid, .hat, .sigma, .cooksd,
/// .std.resid, then .rstudent; as csv, tsv or json (an array of objects),
/// streamed. Numbers go through format.hpp (NA in csv/tsv and null in json
/// for what is not a number), names and levels through table_field and
/// json_quote.
///
/// Rows are formatted in two steps so that worker threads can format them
/// before their row numbers are known (chunks learn how many records came
/// before them only in file order): format_row() makes a row's text without
/// its number, on any thread; write_row() adds the number and writes it.

#include <cstddef>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "regress/analyses/diagnostics.hpp"
#include "regress/output/format.hpp"

namespace regress {

/// The diagnostics' column names, in order: .fitted to .rstudent.
const std::vector<std::string>& augment_columns();

/// Formats and writes augment's rows in one format (csv, tsv or json; text
/// is written as csv: rows of numbers have no rounded form for people).
class augment_writer {
 public:
  /// A writer of rows with the frame columns `frame`; writes nothing yet.
  augment_writer(std::ostream& out, output_format format, frame_layout frame);
  augment_writer(const augment_writer&) = delete;
  augment_writer& operator=(const augment_writer&) = delete;

  /// The frame columns the rows carry.
  const frame_layout& frame() const noexcept { return frame_; }
  /// Appends one row's text, without its row number, to `piece`: `numbers`
  /// and `text` per frame column (frame_values), then `d`. Touches no state
  /// of the writer, so threads may call it at once.
  void format_row(std::string& piece, const double* numbers, const std::string_view* text,
                  const row_diagnostics& d) const;
  /// Writes a row formatted by format_row with its data row number (the
  /// header or opening bracket first, once).
  void write_row(std::size_t row, std::string_view piece);
  /// Ends the output (the header alone when there were no rows; json's
  /// closing bracket) and flushes the stream.
  void finish();

 private:
  void start();
  void flush_buffer();
  std::ostream& out_;
  output_format format_;
  char delimiter_;
  frame_layout frame_;
  std::vector<std::string> json_keys_;  // "\"name\": " per frame column, then diagnostics
  std::string buffer_;
  bool started_ = false;
  bool first_ = true;
};

}  // namespace regress
