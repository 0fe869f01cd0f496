#pragma once
/// \file table.hpp
/// Numeric columns read from a CSV (reading/csv.hpp): only the columns asked
/// for are parsed as numbers; column lookup by name or index.

#include <cstddef>
#include <istream>
#include <string>
#include <string_view>
#include <vector>

#include "regress/reading/csv.hpp"

namespace regress {

/// The header's names made unique as R's make.unique (what read.csv gives
/// lm): a name's second occurrence becomes `x.1`, its third `x.2`, skipping
/// any name already in the header (`x, x, x.1` gives `x, x.2, x.1`). Columns
/// chosen by index keep these names in every output, so two columns named
/// alike stay apart; formulas refer to columns by them.
std::vector<std::string> unique_names(const std::vector<std::string>& header);

/// Refuses new data (--new) whose header names a column the model reads
/// (`used`, unique names) more than once, unless the model reads the
/// repeats too (it was fitted on a header repeated the same way): otherwise
/// which of the two holds the values is a guess. Throws data_error naming the
/// column, both positions and `source`.
void require_unrepeated(const std::vector<std::string>& header,
                        const std::vector<std::string>& used, const std::string& source);

/// Finds a column by header name, by its unique name (unique_names), or by
/// 1-based index ("3"). Throws usage_error for a name the header holds more
/// than once (naming the columns and their unique names) and, listing the
/// available columns, when not found.
std::size_t resolve_column(const std::vector<std::string>& header, std::string_view spec);

/// The columns a column list's item names, as resolve_column, but for the
/// spaces around it and around the header's names (`-x 'wt, hp'`, a header
/// "x, y"), and a 1-based range of indices ("3-7", every column from the
/// third to the seventh) when no column is named so. Throws usage_error as
/// resolve_column, with the closest names (did_you_mean) for an unknown one.
std::vector<std::size_t> resolve_columns(const std::vector<std::string>& header,
                                         std::string_view spec);

/// "; did you mean 'Wind'?" (or "'Wind' or 'wind'?") when some of `names`
/// are close to `name` (edit distance, ignoring case, at most a third of its
/// length, at least 1); otherwise empty.
std::string did_you_mean(const std::vector<std::string>& names, std::string_view name);

/// Whether resolve_columns reads `spec` as a header name that is also a
/// valid 1-based index of another column ("3" naming a column, not the
/// third): the name wins, and the caller warns.
bool name_shadows_index(const std::vector<std::string>& header, std::string_view spec);

/// Numeric columns read from a CSV. NaN marks a missing value.
struct table {
  std::vector<std::string> names;            ///< names of the columns read
  std::vector<std::vector<double>> columns;  ///< one vector per name
  /// Low parts: columns[c][i] + low[c][i] is the decimal text to ~32 digits
  /// (see parse_cell). Empty, or the same shape as columns.
  std::vector<std::vector<double>> low;
  std::vector<std::size_t> lines;  ///< source line of each row
  std::size_t rows() const noexcept { return lines.size(); }
};

/// Reads the rest of `reader` (header already consumed), parsing only the
/// fields at `indices` (0-based) and naming them from `header`. Throws
/// data_error naming file, line, column and the text for a non-numeric cell
/// or a record with too few fields.
table read_columns(csv_reader& reader, const std::vector<std::string>& header,
                   const std::vector<std::size_t>& indices);

/// The message for a record with `fields` fields under a header of
/// `columns` (without file and line: data_error adds them). Every reader of
/// data rows says it in these words. (Inline, as the two below: the streaming
/// engine's flattened first pass loses its vectorization to an out-of-line
/// call, even on its error path.)
inline std::string ragged_row_message(std::size_t fields, std::size_t columns) {
  return "this row has " + std::to_string(fields) + " fields but the header has " +
         std::to_string(columns) +
         "; every row needs one field per column (quote fields that contain the delimiter)";
}

/// The message for a cell that is neither a number nor a missing-value marker,
/// in column `column` (without file, line and column: data_error adds them).
/// Shows at most the cell's first 40 bytes: a cell can be a whole runaway line.
inline std::string bad_cell_message(std::string_view cell, std::string_view column) {
  const std::string shown =
      cell.size() > 40 ? std::string(cell.substr(0, 40)) + "..." : std::string(cell);
  return "cannot read '" + shown + "' in column '" + std::string(column) +
         "' as a number; write a finite number, or leave the cell empty or NA to mark it "
         "missing";
}

/// The header's column names for a message: "a, b, c", or, for a wide
/// header, the first 20 names and how many there are in all, so that a
/// million-column file gives a readable message rather than megabytes.
std::string column_list(const std::vector<std::string>& header);

/// Splits a comma-separated list ("a,b,c") into its items, trimming spaces.
std::vector<std::string> split_list(std::string_view text);

}  // namespace regress
