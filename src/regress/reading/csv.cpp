#include "regress/reading/csv.hpp"

#include <streambuf>
#include <string>

#include "regress/error.hpp"

namespace regress {

csv_reader::csv_reader(std::istream& in, csv_options options)
    : in_(in), options_(std::move(options)) {}

bool csv_reader::would_block() const {
  auto* buf = in_.rdbuf();
  return buf == nullptr || buf->in_avail() <= 0;
}

std::string line_too_long_message(const std::string& what, std::size_t limit) {
  const std::string size = limit % (std::size_t(1) << 20) == 0
                               ? std::to_string(limit >> 20) + " MiB"
                               : std::to_string(limit) + " bytes";
  return what + " is longer than " + size +
         " (no line break within it: is this a CSV file?); raise --max-line-bytes if it is "
         "meant to be that long";
}

bool csv_reader::read_line(std::string& line) {
  line.clear();
  std::streambuf* buf = in_.rdbuf();
  if (buf == nullptr || !in_.good()) return false;
  using traits = std::streambuf::traits_type;
  const std::size_t limit = options_.max_record_bytes;
  for (;;) {
    const traits::int_type c = buf->sbumpc();
    if (traits::eq_int_type(c, traits::eof())) {
      in_.setstate(std::ios::eofbit);
      if (line.empty()) in_.setstate(std::ios::failbit);
      return !line.empty();
    }
    if (traits::to_char_type(c) == '\n') return true;
    if (++record_bytes_ > limit) {
      throw data_error(line_too_long_message(records_ == 0 ? "the header" : "the record", limit),
                       options_.source, record_start_);
    }
    line.push_back(traits::to_char_type(c));
  }
}

bool csv_reader::next(std::vector<std::string>& fields) {
  fields.clear();
  const char delim = options_.delimiter;
  // Skip blank lines, as R's read.csv does.
  for (;;) {
    record_bytes_ = 0;
    record_start_ = next_line_;
    if (!read_line(buffer_)) return false;
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
          if (!read_line(more)) {
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
    ++i;                        // skip the delimiter
    if (i == buffer_.size()) {  // a trailing delimiter ends with an empty field
      fields.emplace_back();
      break;
    }
  }
  ++records_;
  return true;
}

}  // namespace regress
