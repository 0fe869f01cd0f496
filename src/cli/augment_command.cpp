// regress augment: every row the fit used, with its fitted value, residual
// and influence (broom::augment(lm)), streamed in file order by a pass of the
// engine over the rows after the fit.

#include "augment_command.hpp"

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "file_checks.hpp"
#include "regress/analyses/diagnostics.hpp"
#include "regress/error.hpp"
#include "regress/output/augment_table.hpp"

namespace regress::cli {
namespace {

/// One chunk's rows, formatted on a worker thread without their numbers.
class augment_chunk final : public row_chunk {
 public:
  augment_chunk(const model& m, const augment_writer& w) : m_(m), writer_(w) {
    // A chunk's rows come to several times its bytes: growing the text by
    // doubling copied it over and over (a fifth of augment's time).
    pieces_.reserve(std::size_t{16} << 20);
  }
  void add(const fitted_row& r) override {
    frame_values(*m_.terms, writer_.frame(), *r.values, r.weight, numbers_, text_);
    writer_.format_row(pieces_, numbers_.data(), text_.data(),
                       diagnose_row(m_, r.kept, r.y, r.weight));
    rows_.emplace_back(r.record, pieces_.size());
  }
  /// Writes the rows, numbering them after `records_before` data records.
  void write(augment_writer& w, std::size_t records_before) const {
    std::size_t from = 0;
    for (const auto& [record, to] : rows_) {
      w.write_row(records_before + record + 1, std::string_view(pieces_).substr(from, to - from));
      from = to;
    }
  }

 private:
  const model& m_;
  const augment_writer& writer_;
  std::string pieces_;
  std::vector<std::pair<std::size_t, std::size_t>> rows_;  // record, end of its piece
  std::vector<double> numbers_;
  std::vector<std::string_view> text_;
};

}  // namespace

void setup_augment(CLI::App& app, augment_flags& f) {
  add_data_options(app, f.data, true);
  app.add_option("--format", f.format, "Output: csv, tsv, json or ndjson (an object a line)")
      ->default_val("csv");
  app.add_option("--threads", f.data.threads,
                 "Threads that parse the input (default: one per core)")
      ->check(CLI::Range(1u, 1024u));
  app.add_option("--max-line-bytes", f.data.max_line_bytes,
                 "The longest header, or record read from a stream, in bytes (default: 64 MiB)")
      ->check(CLI::Range(std::size_t(64), std::size_t(1) << 40));
  app.footer(
      "One row per data row the fit used, in file order: row (the 1-based data row,\n"
      "counting rows dropped for missing values), the model frame's columns as R's\n"
      "model.frame names them (a factor as its level, poly(x, d) as x, (weights)), then\n"
      ".fitted .resid .hat .sigma .cooksd .std.resid (as broom::augment(lm)) and\n"
      ".rstudent (R's rstudent); weighted fits as R's influence() and rstandard().\n"
      "The data are read twice (the fit, then the rows), in constant memory; standard\n"
      "input is copied to an unlinked temporary file (in $TMPDIR, else /tmp).\n"
      "Examples:\n"
      "  regress augment data/cars.csv -y dist -x speed\n"
      "  regress augment data/toothgrowth.csv 'len ~ log(dose) * supp' --format json\n");
}

int run_augment(const augment_flags& f, std::istream& in, std::ostream& out, std::ostream& err) {
  const output_format format = parse_format(f.format);
  if (format == output_format::text) {
    throw usage_error("--format for augment must be csv, tsv, json or ndjson; got 'text'");
  }
  check_files({{"the input", f.data.file}}, {}, &in == &std::cin);
  std::once_flag once;
  std::unique_ptr<augment_writer> writer;
  row_pass pass;
  pass.start = [&](const model& m) -> std::unique_ptr<row_chunk> {
    // The columns are known once the formula is bound to the data: the
    // first chunk to start makes the writer, the others wait for it.
    std::call_once(once, [&] {
      writer = std::make_unique<augment_writer>(out, format, frame_layout_of(*m.terms));
    });
    return std::make_unique<augment_chunk>(m, *writer);
  };
  pass.finish = [&](row_chunk& chunk, std::size_t records_before) {
    static_cast<augment_chunk&>(chunk).write(*writer, records_before);
  };
  fit_formula_data(f.data, in, err, false, nullptr, &pass);
  if (writer) writer->finish();
  return 0;
}

}  // namespace regress::cli
