#include "regress/table.hpp"

#include <limits>
#include <string>
#include <utility>

#include "regress/error.hpp"
#include "regress/number.hpp"

namespace regress {

csv_reader::csv_reader(std::istream& in, csv_options options)
    : in_(in), options_(std::move(options)) {}

bool csv_reader::would_block() const {
  auto* buf = in_.rdbuf();
  return buf == nullptr || buf->in_avail() <= 0;
}

bool csv_reader::next(std::vector<std::string>& fields) {
  fields.clear();
  const char delim = options_.delimiter;
  // Skip blank lines, as R's read.csv does.
  for (;;) {
    if (!std::getline(in_, buffer_)) return false;
    record_line_ = next_line_++;
    if (record_line_ == 1 && buffer_.compare(0, 3, "\xEF\xBB\xBF") == 0) buffer_.erase(0, 3);
    if (!buffer_.empty() && buffer_.back() == '\r') buffer_.pop_back();
    if (!buffer_.empty()) break;
  }

  std::string field;
  std::size_t i = 0;
  for (;;) {  // one field per iteration
    field.clear();
    if (i < buffer_.size() && buffer_[i] == '"') {
      const std::size_t quote_column = i + 1;
      const std::size_t quote_line = next_line_ - 1;
      ++i;
      for (;;) {
        if (i >= buffer_.size()) {
          // The quoted field spans a line break: read the next physical line.
          std::string more;
          if (!std::getline(in_, more)) {
            throw data_error(
                "unterminated quoted field (a '\"' opened here is never closed); "
                "close the quote or double any quote inside the field",
                options_.source, quote_line, quote_column);
          }
          ++next_line_;
          if (!more.empty() && more.back() == '\r') more.pop_back();
          field += '\n';
          buffer_ = std::move(more);
          i = 0;
          continue;
        }
        const char c = buffer_[i];
        if (c == '"') {
          if (i + 1 < buffer_.size() && buffer_[i + 1] == '"') {
            field += '"';
            i += 2;
            continue;
          }
          ++i;  // closing quote
          if (i < buffer_.size() && buffer_[i] != delim) {
            throw data_error(
                "unexpected text after a closing quote; a quote inside a quoted "
                "field must be doubled (\"\")",
                options_.source, next_line_ - 1, i + 1);
          }
          break;
        }
        field += c;
        ++i;
      }
    } else {
      const std::size_t end = buffer_.find(delim, i);
      const std::size_t stop = end == std::string::npos ? buffer_.size() : end;
      field.assign(buffer_, i, stop - i);
      i = stop;
    }
    fields.push_back(field);
    if (i >= buffer_.size()) break;
    ++i;  // skip the delimiter
    if (i == buffer_.size()) {  // a trailing delimiter ends with an empty field
      fields.emplace_back();
      break;
    }
  }
  return true;
}

std::size_t resolve_column(const std::vector<std::string>& header, std::string_view spec) {
  std::size_t found = header.size();
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (header[i] != spec) continue;
    if (found != header.size()) {
      throw usage_error("column name '" + std::string(spec) + "' appears more than once in the " +
                        "header (columns " + std::to_string(found + 1) + " and " +
                        std::to_string(i + 1) + "); choose the column by its 1-based index");
    }
    found = i;
  }
  if (found != header.size()) return found;
  if (!spec.empty() && spec.find_first_not_of("0123456789") == std::string_view::npos &&
      spec.size() < 10) {
    const std::size_t index = std::stoul(std::string(spec));
    if (index >= 1 && index <= header.size()) return index - 1;
  }
  throw usage_error("no column '" + std::string(spec) + "'; choose by name or 1-based index from: " +
                    column_list(header));
}

std::string column_list(const std::vector<std::string>& header) {
  constexpr std::size_t shown = 20;
  std::string list;
  for (std::size_t i = 0; i < header.size() && i < shown; ++i) {
    if (i > 0) list += ", ";
    list += header[i];
  }
  if (header.size() > shown) {
    list += ", ... (" + std::to_string(header.size()) + " columns in all)";
  }
  return list;
}

table read_columns(csv_reader& reader, const std::vector<std::string>& header,
                   const std::vector<std::size_t>& indices) {
  table t;
  t.columns.resize(indices.size());
  t.low.resize(indices.size());
  for (std::size_t index : indices) t.names.push_back(header.at(index));
  std::vector<std::string> fields;
  while (reader.next(fields)) {
    if (fields.size() != header.size()) {
      throw data_error("this row has " + std::to_string(fields.size()) +
                           " fields but the header has " + std::to_string(header.size()) +
                           "; every row needs one field per column (quote fields that "
                           "contain the delimiter)",
                       reader.options().source, reader.line());
    }
    for (std::size_t c = 0; c < indices.size(); ++c) {
      const std::string& cell = fields[indices[c]];
      dd value;
      switch (parse_cell(cell, value)) {
        case cell_kind::number:
          t.columns[c].push_back(value.hi);
          t.low[c].push_back(value.lo);
          break;
        case cell_kind::missing:
          t.columns[c].push_back(std::numeric_limits<double>::quiet_NaN());
          t.low[c].push_back(0);
          break;
        case cell_kind::invalid: {
          std::string shown = cell.size() > 40 ? cell.substr(0, 40) + "..." : cell;
          throw data_error("cannot read '" + shown + "' in column '" + t.names[c] +
                               "' as a number; write a finite number, or leave the cell "
                               "empty or NA to mark it missing",
                           reader.options().source, reader.line(), indices[c] + 1);
        }
      }
    }
    t.lines.push_back(reader.line());
  }
  return t;
}

std::vector<std::string> split_list(std::string_view text) {
  std::vector<std::string> items;
  std::size_t start = 0;
  for (;;) {
    const std::size_t comma = text.find(',', start);
    std::string_view item =
        text.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    items.emplace_back(item);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return items;
}

}  // namespace regress
