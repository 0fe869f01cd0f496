#include "regress/output/prediction_rows.hpp"

#include <string_view>
#include <utility>

namespace regress {
namespace {
// The buffer is handed to the stream when it holds this much: big enough that
// the ostream call is rare, small enough to stay in cache.
constexpr std::size_t block = 1 << 16;
}  // namespace

prediction_writer::prediction_writer(std::ostream& out, output_format format,
                                     const std::vector<std::string>& predictor_names,
                                     bool trust_column)
    : out_(out),
      format_(format),
      trust_(trust_column),
      delimiter_(delimiter_of(format)),
      names_count_(predictor_names.size()) {
  // A row is at most a few hundred bytes: one allocation for the whole stream.
  buffer_.reserve(block + 1024);
  if (format_ == output_format::json || format_ == output_format::ndjson) {
    for (const auto& n : predictor_names) json_keys_.push_back(json_quote(n) + ": ");
    if (format_ == output_format::json) buffer_ += '[';
    return;
  }
  for (const auto& n : predictor_names) {
    buffer_ += table_field(n, delimiter_);
    buffer_ += delimiter_;
  }
  buffer_ += "fit";
  for (const char* name : {"se_fit", "lwr", "upr", "leverage", "region"}) {
    buffer_ += delimiter_;
    buffer_ += name;
  }
  if (trust_) {
    buffer_ += delimiter_;
    buffer_ += "in_trust";
  }
  buffer_ += '\n';
}

prediction_writer::~prediction_writer() {
  try {
    flush_buffer();
  } catch (...) {  // NOLINT(bugprone-empty-catch): a destructor must not throw
  }
}

void prediction_writer::row_text(const double* values, const std::string_view* text,
                                 const prediction* p, bool in_trust) {
  row_text_ = text;
  row(values, p, in_trust);
  row_text_ = nullptr;
}

void prediction_writer::row(const double* values, const prediction* p, bool in_trust) {
  std::string& b = buffer_;
  auto is_text = [&](std::size_t j) {
    return row_text_ != nullptr && j < text_.size() && text_[j];
  };
  if (format_ == output_format::json || format_ == output_format::ndjson) {
    if (format_ == output_format::json) b += first_ ? "\n  " : ",\n  ";
    b += '{';
    first_ = false;
    for (std::size_t j = 0; j < json_keys_.size(); ++j) {
      b += json_keys_[j];
      if (is_text(j)) {
        b += json_quote(row_text_[j]);
      } else {
        append_json_number(b, values[j]);
      }
      b += ", ";
    }
    if (p != nullptr) {
      b += "\"fit\": ";
      append_json_number(b, p->fit);
      b += ", \"se_fit\": ";
      append_json_number(b, p->se_fit);
      b += ", \"lwr\": ";
      append_json_number(b, p->lwr);
      b += ", \"upr\": ";
      append_json_number(b, p->upr);
      b += ", \"leverage\": ";
      append_json_number(b, p->leverage);
      b += ", \"region\": \"";
      b += to_string(p->where);
      b += '"';
      if (trust_) b += in_trust ? ", \"in_trust\": true" : ", \"in_trust\": false";
    } else {
      b += "\"fit\": null, \"se_fit\": null, \"lwr\": null, \"upr\": null, "
           "\"leverage\": null, \"region\": null";
      if (trust_) b += ", \"in_trust\": null";
    }
    b += '}';
    if (format_ == output_format::ndjson) b += '\n';
  } else {
    const char d = delimiter_;
    for (std::size_t j = 0; j < names_count_; ++j) {
      if (is_text(j)) {
        b += table_field(row_text_[j], d);
      } else {
        append_number(b, values[j]);
      }
      b += d;
    }
    if (p != nullptr) {
      for (double v : {p->fit, p->se_fit, p->lwr, p->upr, p->leverage}) {
        append_number(b, v);
        b += d;
      }
      b += to_string(p->where);
      if (trust_) {
        b += d;
        b += in_trust ? "true" : "false";
      }
    } else {
      b += "NA";
      for (int i = 0; i < (trust_ ? 6 : 5); ++i) {
        b += d;
        b += "NA";
      }
    }
    b += '\n';
  }
  if (b.size() >= block) flush_buffer();
}

void prediction_writer::finish() {
  if (format_ == output_format::json) buffer_ += first_ ? "]\n" : "\n]\n";
  flush();
}

void prediction_writer::flush() {
  flush_buffer();
  out_.flush();
}

void prediction_writer::flush_buffer() {
  out_.write(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
  buffer_.clear();
}

// ---------------------------------------------------------------------------

void pipelined_prediction_writer::batch::clear() {
  values.clear();
  rows.clear();
  flush = false;
}

pipelined_prediction_writer::pipelined_prediction_writer(prediction_writer& writer,
                                                         std::size_t predictors)
    : writer_(writer), np_(predictors) {}

pipelined_prediction_writer::~pipelined_prediction_writer() {
  try {
    stop();
    write(current_);
  } catch (...) {  // NOLINT(bugprone-empty-catch): nothing more can be done here
  }
}

void pipelined_prediction_writer::add(const double* values, const prediction* p, bool in_trust) {
  current_.values.insert(current_.values.end(), values, values + np_);
  current_.rows.push_back({p != nullptr ? *p : prediction{}, p != nullptr, in_trust});
  if (current_.rows.size() >= batch_rows) hand_over(false);
}

void pipelined_prediction_writer::flush() {
  if (current_.rows.empty() && !worker_.joinable()) {
    writer_.flush();
    return;
  }
  hand_over(true);
}

void pipelined_prediction_writer::finish() {
  stop();
  write(current_);
  writer_.finish();
}

void pipelined_prediction_writer::write(batch& b) {
  for (std::size_t i = 0; i < b.rows.size(); ++i) {
    const pending& r = b.rows[i];
    writer_.row(b.values.data() + i * np_, r.has_prediction ? &r.p : nullptr, r.trusted);
  }
  if (b.flush) writer_.flush();
  b.clear();
}

void pipelined_prediction_writer::hand_over(bool flush) {
  current_.flush = flush;
  if (!worker_.joinable()) {
    if (flush) {  // no thread yet: a short stream is written in place
      write(current_);
      return;
    }
    worker_ = std::thread([this] { work(); });
  }
  std::unique_lock<std::mutex> lock(mutex_);
  changed_.wait(lock, [this] { return !full_; });
  if (error_) std::rethrow_exception(error_);
  std::swap(current_, handed_);
  full_ = true;
  changed_.notify_all();
  current_.clear();
}

void pipelined_prediction_writer::work() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    changed_.wait(lock, [this] { return full_ || stopping_; });
    if (!full_) return;
    batch mine;
    std::swap(mine, handed_);
    lock.unlock();
    try {
      write(mine);
    } catch (...) {
      lock.lock();
      error_ = std::current_exception();
      full_ = false;
      changed_.notify_all();
      return;
    }
    lock.lock();
    std::swap(mine, handed_);  // hands the emptied vectors back for reuse
    full_ = false;
    changed_.notify_all();
  }
}

void pipelined_prediction_writer::stop() {
  if (!worker_.joinable()) return;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  worker_.join();
  if (error_) std::rethrow_exception(error_);
}

}  // namespace regress
