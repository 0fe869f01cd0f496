// regress check: the tests of a fit's assumptions (form, variance, normality,
// serial correlation, outliers, influence) from one pass over its rows after
// the fit.

#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <sstream>
#include <string>

#include "augment_command.hpp"
#include "check_plot.hpp"
#include "file_checks.hpp"
#include "messages.hpp"
#include "regress/analyses/check.hpp"
#include "regress/error.hpp"
#include "regress/output/check_table.hpp"

namespace regress::cli {
namespace {

/// One chunk's share of the tests, gathered on a worker thread.
class check_chunk final : public row_chunk {
 public:
  explicit check_chunk(const model& m) : m_(m), gathered_(m) {}
  void add(const fitted_row& r) override { gathered_.add(r.record, r.kept, r.y, r.weight); }
  const model& fitted() const noexcept { return m_; }
  const check_gatherer& gathered() const noexcept { return gathered_; }

 private:
  const model& m_;
  check_gatherer gathered_;
};

}  // namespace

row_pass check_pass(std::optional<check_gatherer>& total, std::size_t max_rows,
                    std::size_t max_terms) {
  row_pass pass;
  pass.max_rows = max_rows;
  pass.max_terms = max_terms;
  pass.start = [](const model& m) -> std::unique_ptr<row_chunk> {
    return std::make_unique<check_chunk>(m);
  };
  pass.finish = [&total](row_chunk& chunk, std::size_t records_before) {
    const auto& c = static_cast<const check_chunk&>(chunk);
    if (!total) total.emplace(c.fitted());
    total->append(c.gathered(), records_before);
  };
  return pass;
}

check_report check_rows(const data_options& o, std::istream& in, std::ostream& err,
                        std::size_t max_rows, bool& done) {
  std::optional<check_gatherer> total;
  const row_pass pass = check_pass(total, max_rows);
  const engine_result r = fit_formula_data(o, in, err, false, nullptr, &pass);
  done = total.has_value();
  return done ? check_model(*total, r.fitted) : check_report{};
}

void hint_check(std::ostream& err, const check_report& r) {
  std::string which;
  for (const auto& t : r.tests) {
    if ((t.test != "reset" && t.test != "breusch_pagan") || !(t.p_value < 0.01)) continue;
    which += (which.empty() ? "" : " and ") +
             std::string(t.test == "reset" ? "RESET rejects the fitted form"
                                           : "Breusch-Pagan rejects a constant variance");
  }
  if (which.empty()) return;
  warn(err, which +
                " at 1%; run 'regress check' with the same model before trusting its intervals "
                "and extrapolations");
}

void hint_check(std::ostream& err, const check_gatherer& g, const model& m) {
  try {
    hint_check(err, check_model(g, m));
  } catch (const std::exception&) {
    // A degenerate fit whose tests cannot be computed: no hint.
  }
}

void hint_check_file(std::ostream& err, const data_options& o, double rows, std::size_t terms) {
  // Only a regular file can be read again (a named pipe would wait for a
  // writer that has gone).
  std::error_code ec;
  if (o.file.empty() || o.file == "-" || !std::filesystem::is_regular_file(o.file, ec) ||
      !(rows <= static_cast<double>(hint_rows)) || terms > hint_terms) {
    return;
  }
  std::ostringstream quiet;
  std::istringstream none;
  try {
    bool done = false;
    const check_report r = check_rows(o, none, quiet, hint_rows, done);
    if (done) hint_check(err, r);
  } catch (const std::exception&) {
    // The hint is a courtesy: a model the formula route cannot refit says nothing.
  }
}

void setup_check(CLI::App& app, check_flags& f) {
  add_data_options(app, f.data, true);
  app.add_option("--format", f.format,
                 "Output: text (a table), csv, tsv, json or ndjson (a test a line)")
      ->default_val("text");
  app.add_option("--threads", f.data.threads,
                 "Threads that parse the input (default: one per core)")
      ->check(CLI::Range(1u, 1024u));
  app.add_option("--max-line-bytes", f.data.max_line_bytes,
                 "The longest header, or record read from a stream, in bytes (default: 64 MiB)")
      ->check(CLI::Range(std::size_t(64), std::size_t(1) << 40));
  app.add_flag("--plot", f.plot,
               "Also draw R's four diagnostic panels (plot.lm) in the terminal, one under "
               "another, before the table (text format only)");
  app.add_option("--width", f.width, "Width of each panel in columns")->default_val(80);
  app.add_option("--height", f.height, "Height of each panel in rows")->default_val(24);
  app.add_flag("--ascii", f.ascii, "Plain ASCII panels instead of Unicode");
  app.add_option("--svg", f.svg,
                 "Also write the four panels as one SVG file (-: to standard output, in place "
                 "of the table)");
  app.footer(
      "Tests whether the assumptions behind the intervals are plausible, each as the R\n"
      "function named: reset (lmtest::resettest, powers 2 and 3 of the fitted values),\n"
      "breusch_pagan (lmtest::bptest, studentized), shapiro_wilk (shapiro.test on the\n"
      "residuals; skipped outside 3 to 5000 rows), durbin_watson (in file order),\n"
      "outlier (car::outlierTest: the largest |rstudent|, Bonferroni p) and\n"
      "cooks_distance (the largest, and how many rows exceed 4/n), naming data rows.\n"
      "The data are read twice, in constant memory (Shapiro-Wilk keeps up to 5000\n"
      "residuals). A weighted fit's RESET is a weighted regression (resettest ignores\n"
      "weights) and its Durbin-Watson uses the weighted residuals.\n"
      "--plot and --svg draw plot.lm's panels: residuals vs fitted, normal Q-Q,\n"
      "scale-location, residuals vs leverage with Cook's distance contours at 0.5 and\n"
      "1, each naming its 3 most extreme data rows; above 20,000 rows a fixed 1-in-k\n"
      "sample of them, and always the rows named.\n"
      "Examples:\n"
      "  regress check data/cars.csv -y dist -x speed\n"
      "  regress check data/cars.csv 'dist ~ speed' --plot --svg cars-check.svg\n"
      "  regress check data/toothgrowth.csv 'len ~ log(dose) * supp' --format csv\n");
}

namespace {

check_plot_options resolve_check_plot(const check_flags& f, output_format format, bool color) {
  // As explore: the panels are pictures for people, never mixed into a
  // table a script reads; --svg goes to its file beside any format.
  if (f.plot && format != output_format::text) {
    throw usage_error("--plot draws the text format; drop --format or use --format text");
  }
  if (f.width < 20 || f.height < 8 || f.width > 1000 || f.height > 500) {
    throw usage_error("--width must be from 20 to 1000 and --height from 8 to 500");
  }
  check_plot_options o;
  o.plot = f.plot;
  o.svg = f.svg;
  o.terminal.width = f.width;
  o.terminal.height = f.height;
  o.terminal.unicode = !f.ascii;
  o.terminal.color = color;
  return o;
}

}  // namespace

int run_check(const check_flags& f, std::istream& in, std::ostream& out, std::ostream& err,
              bool color) {
  const output_format format = parse_format(f.format);
  const check_plot_options plot = resolve_check_plot(f, format, color);
  check_files({{"the input", f.data.file}}, {{"--svg", f.svg}}, &in == &std::cin);
  const checked_fit c = check_with_panels(f.data, in, err, plot.plot || !plot.svg.empty());
  if (show_check_panels(c, plot, out)) write_check(out, c.report, format);
  return 0;
}

}  // namespace regress::cli
