#include "regress/reading/points.hpp"

#include <algorithm>
#include <limits>
#include <utility>

#include "regress/error.hpp"
#include "regress/reading/number.hpp"
#include "regress/reading/table.hpp"

namespace regress {
namespace {
std::string joined(const std::vector<std::string>& names) {
  std::string text;
  for (const auto& n : names) text += (text.empty() ? "" : ", ") + n;
  return text;
}
}  // namespace

point_reader::point_reader(csv_reader& reader, std::vector<std::string> names)
    : reader_(reader), names_(std::move(names)) {
  const std::string& source = reader_.options().source;
  if (!reader_.next(header_)) {
    throw data_error("the new points are empty; they need a header row naming " + joined(names_),
                     source);
  }
  // The model's names are the training header's unique names (make.unique).
  require_unrepeated(header_, names_, source);
  const std::vector<std::string> unique = unique_names(header_);
  for (const auto& name : names_) {
    const auto it = std::find(unique.begin(), unique.end(), name);
    if (it == unique.end()) {
      throw data_error(
          "the new points have no column '" + name + "'; the model needs " + joined(names_), source,
          1);
    }
    indices_.push_back(static_cast<std::size_t>(it - unique.begin()));
  }
}

bool point_reader::next(double* values, bool& missing) {
  if (!reader_.next(fields_)) return false;
  if (fields_.size() != header_.size()) {
    throw data_error(ragged_row_message(fields_.size(), header_.size()), reader_.options().source,
                     reader_.line());
  }
  missing = false;
  for (std::size_t j = 0; j < indices_.size(); ++j) {
    const std::string& cell = fields_[indices_[j]];
    switch (parse_cell(cell, values[j])) {
      case cell_kind::number:
        break;
      case cell_kind::missing:
        values[j] = std::numeric_limits<double>::quiet_NaN();
        missing = true;
        break;
      case cell_kind::invalid:
        throw data_error(bad_cell_message(cell, names_[j]), reader_.options().source,
                         reader_.line(), indices_[j] + 1);
    }
  }
  return true;
}

}  // namespace regress
