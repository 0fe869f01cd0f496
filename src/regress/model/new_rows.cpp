// Reading new rows for a formula model (frame.hpp).

#include <algorithm>
#include <limits>

#include "regress/error.hpp"
#include "regress/model/frame.hpp"
#include "regress/reading/number.hpp"
#include "regress/reading/table.hpp"

namespace regress {
namespace {
void add_unique(std::vector<std::string>& list, const std::string& name) {
  if (std::find(list.begin(), list.end(), name) == list.end()) list.push_back(name);
}

std::size_t field_of(const std::vector<std::string>& header, const std::string& name) {
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (header[i] == name) return i;
  }
  return static_cast<std::size_t>(-1);
}
}  // namespace

std::vector<std::string> predictor_columns(const model_terms& t) {
  std::vector<std::string> names;
  for (const auto& v : t.variables) {
    if (v.type == variable_coding::kind::factor) {
      add_unique(names, v.column);
    } else {
      for (const auto& c : columns_of(v.expr)) add_unique(names, c);
    }
  }
  return names;
}

new_row_reader::new_row_reader(const model_terms& t, const std::vector<std::string>& raw_header,
                               const std::string& source)
    : t_(t), source_(source), names_(predictor_columns(t)) {
  require_unrepeated(raw_header, names_, source);
  const std::vector<std::string> header = unique_names(raw_header);
  for (const auto& name : names_) {
    const std::size_t f = field_of(header, name);
    if (f == npos) {
      throw data_error("the new data have no column '" + name + "', which the model reads; " +
                           "the columns are: " + column_list(header),
                       source);
    }
    fields_.push_back(f);
  }
  for (const auto& c : t.numeric_columns) {
    const bool needed = std::find(names_.begin(), names_.end(), c) != names_.end();
    numeric_field_.push_back(needed ? field_of(header, c) : npos);
  }
  for (const auto& c : t.factor_columns) factor_field_.push_back(field_of(header, c));
  if (!t.weights.empty()) weight_field_ = field_of(header, t.weights);
}

bool new_row_reader::read(const std::vector<std::string>& fields, std::size_t line, row_values& row,
                          double& weight) const {
  row.numbers.assign(numeric_field_.size(), dd(std::numeric_limits<double>::quiet_NaN()));
  row.text.assign(factor_field_.size(), {});
  bool complete = true;
  for (std::size_t i = 0; i < numeric_field_.size(); ++i) {
    if (numeric_field_[i] == npos) continue;
    const std::string& cell = fields.at(numeric_field_[i]);
    switch (parse_cell(cell, row.numbers[i])) {
      case cell_kind::number:
        break;
      case cell_kind::missing:
        complete = false;
        break;
      case cell_kind::invalid:
        throw data_error(bad_cell_message(cell, t_.numeric_columns[i]), source_, line,
                         numeric_field_[i] + 1);
    }
  }
  for (std::size_t i = 0; i < factor_field_.size(); ++i) {
    const std::string& cell = fields.at(factor_field_[i]);
    if (is_missing_marker(cell)) complete = false;
    row.text[i] = cell;
  }
  weight = 1;
  if (weight_field_ != npos) {
    const std::string& cell = fields.at(weight_field_);
    dd w;
    const cell_kind k = parse_cell(cell, w);
    if (k == cell_kind::missing) return false;
    if (k == cell_kind::invalid || !(w.hi > 0)) {
      throw data_error("the prediction weight '" + cell + "' in column '" + t_.weights +
                           "' is not a positive number",
                       source_, line, weight_field_ + 1);
    }
    weight = w.hi;
  }
  return complete;
}

}  // namespace regress
