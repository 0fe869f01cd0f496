#pragma once
/// \file text.hpp
/// Reading what regress prints: lines, delimited tables (csv and tsv as
/// regress writes them, without quoting) and the figures of a fit table.

#include <cstddef>
#include <string>
#include <vector>

namespace test_support {

/// The lines of `text`, without their '\n'; a final line without '\n' counts.
std::vector<std::string> lines_of(const std::string& text);

/// The fields of one line split at every `delimiter` (no quoting).
std::vector<std::string> split(const std::string& line, char delimiter);

/// The number of '\n' in `text`.
std::size_t count_lines(const std::string& text);

/// Unicode code points in UTF-8 text (continuation bytes not counted): the
/// width of a line of a terminal plot.
std::size_t code_points(const std::string& s);

/// A delimited table as printed by regress (no quoting): header and rows.
/// Looking up a column that is not in the header fails the test (REQUIRE).
struct table_text {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  /// The index of the column named `name`.
  std::size_t column(const std::string& name) const;
  /// The cell of `row` in column `name`, read as a double (std::stod).
  double number(std::size_t row, const std::string& name) const;
  /// The cell of `row` in column `name`, as printed.
  const std::string& text(std::size_t row, const std::string& name) const;
  /// Every cell of column `name`, read as doubles.
  std::vector<double> numbers(const std::string& name) const;
};

/// Parses `text` (header line, then rows); fails the test (REQUIRE) if it is
/// empty or a row has another number of fields than the header.
table_text parse_table(const std::string& text, char delimiter = ',');

/// One numeric column of the CSV file at `path`, which has a header row.
std::vector<double> csv_column(const std::string& path, const std::string& name);

/// The estimates and standard errors of a `fit --format csv` output, in
/// order: estimate and std_error of the first term, then of the second, ...
std::vector<double> fit_figures(const std::string& csv);

}  // namespace test_support
