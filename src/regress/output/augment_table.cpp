#include "regress/output/augment_table.hpp"

#include <utility>

namespace regress {
namespace {
// Rows are handed to the stream in blocks of about this many bytes.
constexpr std::size_t block = std::size_t(1) << 16;
}  // namespace

const std::vector<std::string>& augment_columns() {
  static const std::vector<std::string> names = {".fitted", ".resid",     ".hat",     ".sigma",
                                                 ".cooksd", ".std.resid", ".rstudent"};
  return names;
}

augment_writer::augment_writer(std::ostream& out, output_format format, frame_layout frame)
    : out_(out),
      format_(format == output_format::text ? output_format::csv : format),
      delimiter_(delimiter_of(format_)),
      frame_(std::move(frame)) {
  for (const auto& n : frame_.names) json_keys_.push_back(json_quote(n) + ": ");
  for (const auto& n : augment_columns()) json_keys_.push_back(json_quote(n) + ": ");
}

void augment_writer::start() {
  started_ = true;
  if (format_ == output_format::ndjson) return;  // an object a line, no header
  if (format_ == output_format::json) {
    buffer_ += '[';
    return;
  }
  buffer_ += "row";
  for (const auto& n : frame_.names) {
    buffer_ += delimiter_;
    buffer_ += table_field(n, delimiter_);
  }
  for (const auto& n : augment_columns()) {
    buffer_ += delimiter_;
    buffer_ += n;
  }
  buffer_ += '\n';
}

void augment_writer::format_row(std::string& piece, const double* numbers,
                                const std::string_view* text, const row_diagnostics& d) const {
  const double diagnostics[] = {d.fitted, d.resid,     d.hat,     d.sigma,
                                d.cooksd, d.std_resid, d.rstudent};
  const std::size_t columns = frame_.names.size();
  if (format_ == output_format::json || format_ == output_format::ndjson) {
    for (std::size_t j = 0; j < columns; ++j) {
      piece += ", ";
      piece += json_keys_[j];
      if (frame_.text[j]) {
        piece += json_quote(text[j]);
      } else {
        append_json_number(piece, numbers[j]);
      }
    }
    for (std::size_t j = 0; j < 7; ++j) {
      piece += ", ";
      piece += json_keys_[columns + j];
      append_json_number(piece, diagnostics[j]);
    }
    return;
  }
  for (std::size_t j = 0; j < columns; ++j) {
    piece += delimiter_;
    if (frame_.text[j]) {
      piece += table_field(text[j], delimiter_);
    } else {
      append_number(piece, numbers[j]);
    }
  }
  for (double v : diagnostics) {
    piece += delimiter_;
    append_number(piece, v);
  }
}

void augment_writer::write_row(std::size_t row, std::string_view piece) {
  if (!started_) start();
  if (format_ == output_format::ndjson) {
    buffer_ += "{\"row\": ";
    append_number(buffer_, static_cast<double>(row));
    buffer_ += piece;
    buffer_ += "}\n";
  } else if (format_ == output_format::json) {
    buffer_ += first_ ? "\n  {\"row\": " : ",\n  {\"row\": ";
    append_number(buffer_, static_cast<double>(row));
    buffer_ += piece;
    buffer_ += '}';
  } else {
    append_number(buffer_, static_cast<double>(row));
    buffer_ += piece;
    buffer_ += '\n';
  }
  first_ = false;
  if (buffer_.size() >= block) flush_buffer();
}

void augment_writer::finish() {
  if (!started_) start();
  if (format_ == output_format::json) buffer_ += first_ ? "]\n" : "\n]\n";
  flush_buffer();
  out_.flush();
}

void augment_writer::flush_buffer() {
  out_.write(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
  buffer_.clear();
}

}  // namespace regress
