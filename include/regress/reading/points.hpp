#pragma once
/// \file points.hpp
/// The rows of a CSV of new points (to predict at), read one at a time: the
/// columns named like a model's predictors, in the model's order, wherever
/// they stand in the file. Streams: nothing is kept but the current row.

#include <cstddef>
#include <string>
#include <vector>

#include "regress/reading/csv.hpp"

namespace regress {

class point_reader {
 public:
  /// Reads the header from `reader` (which must outlive this object) and
  /// finds each of `names` in it. Throws data_error when the input is empty
  /// or lacks one of the names.
  point_reader(csv_reader& reader, std::vector<std::string> names);

  /// Reads the next row into `values` (one per name, in the order of the
  /// names; NaN for a missing value) and sets `missing` when any is missing.
  /// Returns false at the end of the input. Throws data_error for a row
  /// whose field count differs from the header's or for a cell that is
  /// neither a number nor a missing-value marker.
  bool next(double* values, bool& missing);

  /// True when the next read may block (see csv_reader::would_block).
  bool would_block() const { return reader_.would_block(); }

 private:
  csv_reader& reader_;
  std::vector<std::string> names_;
  std::vector<std::string> header_;
  std::vector<std::size_t> indices_;  // per name, its column in the file
  std::vector<std::string> fields_;
};

}  // namespace regress
