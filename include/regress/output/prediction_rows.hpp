#pragma once
/// \file prediction_rows.hpp
/// The writer of prediction rows (what `regress predict` prints): per row the
/// predictor values, then fit, se_fit, lwr, upr, leverage, region and, when
/// asked, in_trust; as csv, tsv, json or ndjson, streamed. Numbers go through
/// format.hpp (shortest round-trip text; NA in csv/tsv and null in json for
/// what is not a number), names through table_field and json_quote.

#include <condition_variable>
#include <cstddef>
#include <exception>
#include <mutex>
#include <ostream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "regress/model/predict.hpp"
#include "regress/output/format.hpp"

namespace regress {

/// Writes prediction rows in one format, streaming. Rows are formatted into a
/// buffer and handed to the stream in blocks: at 10 million rows the
/// per-number ostream calls, not the arithmetic, were the cost. Nothing is
/// written to the stream before the first block is full or flush() is called.
class prediction_writer {
 public:
  /// Starts the output: the header row (csv, tsv), the opening bracket
  /// (json) or nothing (ndjson: an object per row, each on its own line).
  /// `predictor_names` head the first columns (json, ndjson: the keys);
  /// `trust_column` adds in_trust. output_format::text is written as csv:
  /// rows of numbers have no rounded form for people. Throws nothing but what
  /// the stream and allocation throw.
  prediction_writer(std::ostream& out, output_format format,
                    const std::vector<std::string>& predictor_names, bool trust_column);
  prediction_writer(const prediction_writer&) = delete;
  prediction_writer& operator=(const prediction_writer&) = delete;
  /// Hands what is buffered to the stream (without finishing a json array).
  ~prediction_writer();

  /// One row: `values` holds one value per predictor name; `p` is the
  /// prediction there, or null for a row that has none (a missing predictor
  /// value: every column NA, json null, as R's predict.lm with na.pass).
  /// `in_trust` is written only when the writer has a trust column.
  void row(const double* values, const prediction* p, bool in_trust = false);
  /// Marks the columns that hold text (a formula's factors): row_text()
  /// writes those from `text` (csv/tsv fields quoted as needed, json strings).
  void set_text_columns(std::vector<bool> text) { text_ = std::move(text); }
  /// As row(), with text[j] written for the text columns.
  void row_text(const double* values, const std::string_view* text, const prediction* p,
                bool in_trust = false);
  /// Ends the output (json: the closing bracket) and flushes the stream.
  void finish();
  /// Hands everything formatted so far to the stream and flushes it.
  void flush();

 private:
  void flush_buffer();

  std::ostream& out_;
  output_format format_;
  bool trust_;
  char delimiter_;
  std::size_t names_count_;
  std::vector<std::string> json_keys_;  // "\"name\": " per predictor
  std::string buffer_;
  bool first_ = true;
  std::vector<bool> text_;  // per predictor column: holds text
  const std::string_view* row_text_ = nullptr;
};

/// Formats rows on a second thread while the caller reads and predicts the
/// next ones: shortest round-trip formatting is about half the work of a
/// streamed prediction. Rows are handed over in batches of batch_rows; only
/// one batch is in flight, so memory stays bounded. The thread starts with the
/// first full batch, so a handful of points never starts one. Order is kept:
/// one writer. An exception thrown by the stream on the second thread is
/// rethrown by the next add(), flush() or finish().
class pipelined_prediction_writer {
 public:
  /// Rows this many at a time go to the second thread.
  static constexpr std::size_t batch_rows = 4096;

  /// Feeds `writer` (which must outlive this object) with rows of
  /// `predictors` values each.
  pipelined_prediction_writer(prediction_writer& writer, std::size_t predictors);
  pipelined_prediction_writer(const pipelined_prediction_writer&) = delete;
  pipelined_prediction_writer& operator=(const pipelined_prediction_writer&) = delete;
  /// On an exception in the caller, the rows already added are still
  /// written, as an unbatched writer would have.
  ~pipelined_prediction_writer();

  /// As prediction_writer::row; `values` and `*p` are copied.
  void add(const double* values, const prediction* p, bool in_trust);
  /// Everything added so far reaches the stream (call it before a read that
  /// may block, so that a program waiting for an answer gets it).
  void flush();
  /// Writes every row, stops the thread and finishes the writer.
  void finish();

 private:
  struct pending {
    prediction p;
    bool has_prediction;
    bool trusted;
  };
  struct batch {
    std::vector<double> values;
    std::vector<pending> rows;
    bool flush = false;
    void clear();
  };

  void write(batch& b);
  void hand_over(bool flush);
  void work();
  void stop();

  prediction_writer& writer_;
  std::size_t np_;
  batch current_;
  batch handed_;
  bool full_ = false;
  bool stopping_ = false;
  std::exception_ptr error_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::thread worker_;
};

}  // namespace regress
