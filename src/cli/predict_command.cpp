#include <fmt/compile.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <exception>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>
#include <thread>

#include "commands.hpp"
#include "regress/analyses/explore.hpp"
#include "regress/analyses/inverse.hpp"
#include "regress/error.hpp"
#include "regress/files/model_io.hpp"
#include "regress/model/predict.hpp"
#include "regress/reading/number.hpp"

namespace regress::cli {
namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

double parse_value(const std::string& text, const char* flag) {
  double v = 0;
  if (parse_cell(text, v) != cell_kind::number) {
    throw usage_error(std::string(flag) + " expects numbers; cannot read '" + text + "'");
  }
  return v;
}

std::vector<double> parse_at(const std::string& at) {
  std::vector<double> points;
  for (const auto& item : split_list(at)) points.push_back(parse_value(item, "--at"));
  return points;
}

struct even_range {
  double from = 0, to = 0;
  std::size_t count = 0;
  /// Point i: from + i * step, with the last point exactly `to`.
  double at(std::size_t i) const {
    if (count == 1) return from;
    if (i + 1 == count) return to;
    return from + (to - from) * static_cast<double>(i) / static_cast<double>(count - 1);
  }
};

even_range parse_range(const std::string& range) {
  std::vector<std::string> pieces;
  std::size_t start = 0;
  for (;;) {
    const std::size_t colon = range.find(':', start);
    pieces.push_back(range.substr(start, colon == std::string::npos ? colon : colon - start));
    if (colon == std::string::npos) break;
    start = colon + 1;
  }
  if (pieces.size() != 3) throw usage_error("--range must be FROM:TO:COUNT, e.g. 0:100:11");
  const double from = parse_value(pieces[0], "--range");
  const double to = parse_value(pieces[1], "--range");
  const double count = parse_value(pieces[2], "--range");
  if (count < 1 || count != std::floor(count) || count > 1e8) {
    throw usage_error("--range COUNT must be a whole number from 1 to 100000000");
  }
  return even_range{from, to, static_cast<std::size_t>(count)};
}

/// Writes prediction rows in one format, streaming. Rows are formatted into
/// a buffer and handed to the stream in blocks: at 10 million rows the
/// per-number ostream calls, not the arithmetic, were the cost.
class row_writer {
 public:
  row_writer(std::ostream& out, output_format format, const std::vector<std::string>& names,
             bool trust_column)
      : out_(out), format_(format), trust_(trust_column), names_count_(names.size()) {
    if (format_ == output_format::json) {
      for (const auto& n : names) json_keys_.push_back(fmt::format("\"{}\": ", escape(n)));
      put("[");
      return;
    }
    const char d = delimiter();
    for (const auto& n : names) {
      put(n);
      put(d);
    }
    put("fit");
    for (const char* name : {"se_fit", "lwr", "upr", "leverage", "region"}) {
      put(d);
      put(name);
    }
    if (trust_) {
      put(d);
      put("in_trust");
    }
    put('\n');
  }
  row_writer(const row_writer&) = delete;
  row_writer& operator=(const row_writer&) = delete;
  ~row_writer() { flush_buffer(); }

  /// `in_trust` is written only when the writer has a trust column.
  void row(const double* values, const prediction* p, bool in_trust = false) {
    if (format_ == output_format::json) {
      put(first_ ? "\n  {" : ",\n  {");
      first_ = false;
      for (std::size_t j = 0; j < json_keys_.size(); ++j) {
        put(json_keys_[j]);
        json_number(values[j]);
        put(", ");
      }
      if (p != nullptr) {
        put("\"fit\": ");
        json_number(p->fit);
        put(", \"se_fit\": ");
        json_number(p->se_fit);
        put(", \"lwr\": ");
        json_number(p->lwr);
        put(", \"upr\": ");
        json_number(p->upr);
        put(", \"leverage\": ");
        json_number(p->leverage);
        put(", \"region\": \"");
        put(to_string(p->where));
        put('"');
        if (trust_) put(in_trust ? ", \"in_trust\": true" : ", \"in_trust\": false");
      } else {
        put("\"fit\": null, \"se_fit\": null, \"lwr\": null, \"upr\": null, "
            "\"leverage\": null, \"region\": null");
        if (trust_) put(", \"in_trust\": null");
      }
      put('}');
    } else {
      const char d = delimiter();
      for (std::size_t j = 0; j < names_count_; ++j) {
        text_number(values[j]);
        put(d);
      }
      if (p != nullptr) {
        for (double v : {p->fit, p->se_fit, p->lwr, p->upr, p->leverage}) {
          text_number(v);
          put(d);
        }
        put(to_string(p->where));
        if (trust_) {
          put(d);
          put(in_trust ? "true" : "false");
        }
      } else {
        put("NA");
        for (int i = 0; i < (trust_ ? 6 : 5); ++i) {
          put(d);
          put("NA");
        }
      }
      put('\n');
    }
    if (buffer_.size() >= block) flush_buffer();
  }
  void finish() {
    if (format_ == output_format::json) put(first_ ? "]\n" : "\n]\n");
    flush();
  }
  /// Hands everything formatted so far to the stream and flushes it.
  void flush() {
    flush_buffer();
    out_.flush();
  }

 private:
  static constexpr std::size_t block = 1 << 16;
  void put(char c) { buffer_.push_back(c); }
  void put(std::string_view s) { buffer_.append(s); }
  // As number_text (report.hpp): the shortest text that reads back exactly.
  void text_number(double v) {
    if (std::isnan(v)) {
      put("NA");
    } else {
      fmt::format_to(std::back_inserter(buffer_), FMT_COMPILE("{}"), v);
    }
  }
  void json_number(double v) {
    if (std::isfinite(v)) {
      fmt::format_to(std::back_inserter(buffer_), FMT_COMPILE("{}"), v);
    } else {
      put("null");
    }
  }
  void flush_buffer() {
    out_.write(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
    buffer_.clear();
  }
  char delimiter() const { return format_ == output_format::tsv ? '\t' : ','; }
  static std::string escape(const std::string& s) {
    std::string out;
    for (char c : s) {
      if (c == '"' || c == '\\') out += '\\';
      if (static_cast<unsigned char>(c) < 0x20) {
        out += fmt::format("\\u{:04x}", c);
        continue;
      }
      out += c;
    }
    return out;
  }
  std::ostream& out_;
  output_format format_;
  bool trust_;
  std::size_t names_count_ = 0;
  std::vector<std::string> json_keys_;
  fmt::memory_buffer buffer_;
  bool first_ = true;
};

/// Formats rows on a second thread while the caller reads and predicts the
/// next ones: shortest round-trip formatting is about half the work of a
/// streamed prediction. Rows are handed over in batches; only one batch is
/// in flight, so memory stays bounded. The thread starts with the first full
/// batch, so a handful of points never starts one. Order is kept: one writer.
class pipelined_writer {
 public:
  pipelined_writer(row_writer& writer, std::size_t predictors) : writer_(writer), np_(predictors) {}
  pipelined_writer(const pipelined_writer&) = delete;
  pipelined_writer& operator=(const pipelined_writer&) = delete;
  /// On an exception in the caller, the rows already added are still
  /// written, as an unbatched writer would have.
  ~pipelined_writer() {
    try {
      stop();
      write(current_);
    } catch (...) {  // NOLINT(bugprone-empty-catch): nothing more can be done here
    }
  }

  void add(const double* values, const prediction* p, bool trusted) {
    current_.values.insert(current_.values.end(), values, values + np_);
    current_.rows.push_back({p != nullptr ? *p : prediction{}, p != nullptr, trusted});
    if (current_.rows.size() >= batch_rows) hand_over(false);
  }
  /// Everything added so far reaches the stream (before a read that may block).
  void flush() {
    if (current_.rows.empty() && !worker_.joinable()) {
      writer_.flush();
      return;
    }
    hand_over(true);
  }
  void finish() {
    stop();
    write(current_);
    writer_.finish();
  }

 private:
  static constexpr std::size_t batch_rows = 4096;
  struct pending {
    prediction p;
    bool has_prediction;
    bool trusted;
  };
  struct batch {
    std::vector<double> values;
    std::vector<pending> rows;
    bool flush = false;
    void clear() {
      values.clear();
      rows.clear();
      flush = false;
    }
  };

  void write(batch& b) {
    for (std::size_t i = 0; i < b.rows.size(); ++i) {
      const pending& r = b.rows[i];
      writer_.row(b.values.data() + i * np_, r.has_prediction ? &r.p : nullptr, r.trusted);
    }
    if (b.flush) writer_.flush();
    b.clear();
  }
  void hand_over(bool flush) {
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
  void work() {
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
  void stop() {
    if (!worker_.joinable()) return;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    changed_.notify_all();
    worker_.join();
    if (error_) std::rethrow_exception(error_);
  }

  row_writer& writer_;
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

/// --inverse: y, x, lwr, upr per requested response value.
int run_inverse(const model& m, const std::string& ys, interval_kind kind, double level,
                output_format format, bool fail_on_extrapolation, std::ostream& out,
                std::ostream& err) {
  std::vector<double> values;
  for (const auto& item : split_list(ys)) values.push_back(parse_value(item, "--y"));
  std::vector<calibration> rows;
  for (double y : values) rows.push_back(inverse_predict(m, y, kind, level));
  auto text = [](double v) {
    return std::isfinite(v) ? number_text(v) : std::isnan(v) ? "NA" : (v < 0 ? "-inf" : "inf");
  };
  auto json = [](double v) { return std::isfinite(v) ? fmt::format("{}", v) : "null"; };
  if (format == output_format::json) {
    out << "[";
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const auto& r = rows[i];
      out << (i ? ",\n" : "\n")
          << fmt::format("  {{\"y\": {}, \"x\": {}, \"lwr\": {}, \"upr\": {}}}", json(r.y),
                         json(r.x), json(r.lwr), json(r.upr));
    }
    out << (rows.empty() ? "]\n" : "\n]\n");
  } else {
    const char d = format == output_format::tsv ? '\t' : ',';
    out << "y" << d << "x" << d << "lwr" << d << "upr\n";
    for (const auto& r : rows) {
      out << text(r.y) << d << text(r.x) << d << text(r.lwr) << d << text(r.upr) << '\n';
    }
  }
  out.flush();
  std::size_t beyond = 0;
  const auto& range = m.ranges.front();
  for (const auto& r : rows) {
    const std::string note = describe(r);
    if (!note.empty()) err << "regress: warning: " << note << '\n';
    // The answer itself may lie outside the data: the line is then
    // extrapolated to reach y, with everything that implies.
    if (r.x < range.min || r.x > range.max) {
      ++beyond;
      const double span = range.max - range.min;
      const double distance = r.x < range.min ? (range.min - r.x) / span : (r.x - range.max) / span;
      err << fmt::format(
          "regress: warning: for y = {:g} the line reaches it at {} = {:.6g}, {:.3g} training "
          "spans {} the data: an extrapolation\n",
          r.y, m.spec.predictors.front(), r.x, distance, r.x < range.min ? "below" : "above");
    }
  }
  if (fail_on_extrapolation && beyond > 0) {
    err << "regress: error: inverse predictions extrapolate (--fail-on-extrapolation); every "
           "row was written\n";
    return extrapolated;
  }
  return 0;
}

}  // namespace

void setup_predict(CLI::App& app, predict_options& o) {
  add_data_options(app, o.data, true);
  app.add_option("-m,--model", o.model_file, "Predict from a model saved by 'regress fit --save'");
  app.add_option("--at", o.at, "Predict at these values of the single predictor: V,V,...");
  app.add_option("--range", o.range,
                 "Predict at COUNT evenly spaced values of the single predictor: FROM:TO:COUNT");
  app.add_option("--new", o.new_file,
                 "Predict at the rows of this CSV (- for standard input, streamed); its columns "
                 "are named like the predictors");
  app.add_option("--interval", o.interval, "prediction (default) or confidence")
      ->default_val("prediction");
  app.add_option("--level", o.data.level,
                 "Level of the intervals, in (0,1) (default: 0.95, or "
                 "the saved model's level)");
  app.add_option("--format", o.format, "Output: csv (default), tsv or json")->default_val("csv");
  app.add_option("--max-widening", o.max_widening,
                 "Add an in_trust column: is the prediction interval at most R times its "
                 "narrowest?");
  app.add_option("--max-halfwidth", o.max_halfwidth,
                 "Add an in_trust column: is the prediction interval's half-width at most H?");
  app.add_flag("--fail-on-extrapolation", o.fail_on_extrapolation,
               "Exit 3 after writing every row if any row extrapolates (below, above, outside, "
               "hidden, or outside the trust range when one is asked)");
  app.add_flag("--inverse", o.inverse,
               "Inverse prediction: the x where the line reaches each --y value, with the "
               "calibration (Fieller) interval; columns y,x,lwr,upr");
  app.add_option("--y", o.inverse_y, "Response values for --inverse: V,V,...");
  app.footer(
      "Output columns: the predictor values, then fit, se_fit, lwr, upr, leverage, region\n"
      "[, in_trust with --max-widening/--max-halfwidth].\n"
      "(region: inside, below, above, outside, or hidden = inside every predictor's range\n"
      "but farther from the data than any training row).\n"
      "Examples:\n"
      "  regress predict data/cars.csv -y dist -x speed --at 10,30,50\n"
      "  regress fit data/cars.csv -y dist -x speed --save m.json\n"
      "  seq 0 5 60 | sed '1i speed' | regress predict -m m.json --new -\n"
      "  regress predict data/cars.csv -y dist -x speed --inverse --y 50,100\n"
      "Exit codes: 0 ok, 1 data or model error, 2 usage error, 3 extrapolation with\n"
      "--fail-on-extrapolation.\n");
}

int run_predict(const predict_options& o, std::istream& in, std::ostream& out, std::ostream& err) {
  const output_format format = parse_format(o.format);
  if (format == output_format::text) {
    throw usage_error("predict --format must be csv, tsv or json");
  }
  interval_kind kind;
  if (o.interval == "prediction") {
    kind = interval_kind::prediction;
  } else if (o.interval == "confidence") {
    kind = interval_kind::confidence;
  } else {
    throw usage_error("--interval must be prediction or confidence; got '" + o.interval + "'");
  }
  const int sources = !o.at.empty() + !o.range.empty() + !o.new_file.empty();
  if (o.inverse) {
    if (o.trust_given) {
      throw usage_error("--max-widening and --max-halfwidth do not apply to --inverse");
    }
    if (sources != 0 || o.inverse_y.empty()) {
      throw usage_error(
          "--inverse takes the response values with --y V,V,... (not --at, "
          "--range or --new)");
    }
  } else if (!o.inverse_y.empty()) {
    throw usage_error("--y gives response values for --inverse; add --inverse");
  } else if (sources != 1) {
    throw usage_error(
        "give the new points with exactly one of --at V,..., --range FROM:TO:COUNT "
        "or --new FILE");
  }
  const bool data_given =
      !o.data.response.empty() || !o.data.predictors.empty() || o.data.file != "-";
  if (!o.model_file.empty() && data_given) {
    throw usage_error("give either -m MODEL.json or data with -y/-x, not both");
  }
  if (o.new_file == "-" && o.model_file.empty() && o.data.file == "-") {
    throw usage_error(
        "the training data and --new cannot both be standard input; save the "
        "model with 'regress fit --save' and use -m");
  }
  if (!(o.data.level > 0 && o.data.level < 1)) {
    throw usage_error("--level must be strictly between 0 and 1, for example 0.95");
  }

  model m;
  if (!o.model_file.empty()) {
    input source = open_input(o.model_file, in);
    m = read_model(*source.stream, source.name);
  } else {
    m = fit_from_data(o.data, in, err);
  }
  const double level = o.level_given ? o.data.level : m.spec.level;
  const std::size_t np = m.spec.predictors.size();
  if (o.inverse) {
    return run_inverse(m, o.inverse_y, kind, level, format, o.fail_on_extrapolation, out, err);
  }

  // A trust range, when asked, is judged per row from its leverage: the
  // prediction interval's widening over its narrowest inside the data and its
  // half-width (see explore.hpp; the same bounds as 'regress explore').
  std::optional<double> ceiling;
  if (o.trust_given) {
    trust_bounds bounds;
    if (o.max_widening != 0) bounds.max_widening = o.max_widening;
    if (o.max_halfwidth != 0) bounds.max_halfwidth = o.max_halfwidth;
    ceiling = leverage_ceiling(m, line_at_means(m, 0), bounds, level);
  }

  // Everything that can fail on the request itself is checked before the
  // first byte of output: bad points, a missing file, a missing column.
  std::vector<double> points;
  even_range range;
  input source;
  std::unique_ptr<csv_reader> reader;
  std::vector<std::string> header;
  std::vector<std::size_t> indices;
  if (!o.at.empty() || !o.range.empty()) {
    if (np != 1) {
      throw usage_error(
          "--at and --range need a model with one predictor; use --new FILE with "
          "columns " +
          fmt::format("{}", fmt::join(m.spec.predictors, ", ")));
    }
    if (!o.at.empty()) {
      points = parse_at(o.at);
    } else {
      range = parse_range(o.range);
    }
  } else {
    source = open_input(o.new_file, in);
    reader = std::make_unique<csv_reader>(
        *source.stream, csv_options{resolve_delimiter(o.data.delimiter, o.new_file), source.name});
    if (!reader->next(header)) {
      throw data_error("the new points are empty; they need a header row naming " +
                           fmt::format("{}", fmt::join(m.spec.predictors, ", ")),
                       source.name);
    }
    for (const auto& name : m.spec.predictors) {
      const auto it = std::find(header.begin(), header.end(), name);
      if (it == header.end()) {
        throw data_error("the new points have no column '" + name + "'; the model needs " +
                             fmt::format("{}", fmt::join(m.spec.predictors, ", ")),
                         source.name, 1);
      }
      indices.push_back(static_cast<std::size_t>(it - header.begin()));
    }
  }

  extrapolation_tally tally;
  std::size_t untrusted = 0;
  row_writer rows(out, format, m.spec.predictors, ceiling.has_value());
  pipelined_writer writer(rows, np);
  auto emit = [&](const double* values) {
    const prediction p = predict_one(m, values, kind, level);
    tally.add(m, values, p);
    const bool trusted = ceiling && p.leverage <= *ceiling;
    if (ceiling && !trusted) ++untrusted;
    writer.add(values, &p, trusted);
  };
  for (double v : points) emit(&v);
  for (std::size_t i = 0; i < range.count; ++i) {
    const double v = range.at(i);
    emit(&v);
  }
  if (reader) {
    std::vector<std::string> fields;
    std::vector<double> values(np);
    for (;;) {
      // Flush what is ready before a read that may block, so a program that
      // writes a point and waits gets its answer; big inputs stay buffered.
      if (reader->would_block()) writer.flush();
      if (!reader->next(fields)) break;
      if (fields.size() != header.size()) {
        throw data_error("this row has " + std::to_string(fields.size()) +
                             " fields but the header has " + std::to_string(header.size()),
                         source.name, reader->line());
      }
      bool missing = false;
      for (std::size_t j = 0; j < np; ++j) {
        switch (parse_cell(fields[indices[j]], values[j])) {
          case cell_kind::number:
            break;
          case cell_kind::missing:
            values[j] = nan;
            missing = true;
            break;
          case cell_kind::invalid:
            throw data_error("cannot read '" + fields[indices[j]] + "' in column '" +
                                 m.spec.predictors[j] +
                                 "' as a number; write a finite number, or leave the cell "
                                 "empty or NA for a row of NA",
                             source.name, reader->line(), indices[j] + 1);
        }
      }
      if (missing) {
        writer.add(values.data(), nullptr, false);  // as predict.lm with na.pass: NA
      } else {
        emit(values.data());
      }
    }
  }
  writer.finish();
  out.flush();
  if (tally.extrapolated > 0) {
    err << "regress: warning: " << tally.message() << '\n';
  }
  if (untrusted > 0) {
    err << fmt::format("regress: warning: {} of {} points lie outside the trust range\n", untrusted,
                       tally.rows);
  }
  if (o.fail_on_extrapolation && (tally.extrapolated > 0 || untrusted > 0)) {
    err << "regress: error: predictions extrapolate (--fail-on-extrapolation); every row was "
           "written, see the region"
        << (ceiling ? " and in_trust columns\n" : " column\n");
    return extrapolated;
  }
  return 0;
}

}  // namespace regress::cli
