#include <filesystem>

#include "commands.hpp"
#include "regress/error.hpp"
#include "regress/model_io.hpp"
#include "regress/report.hpp"
#include "regress/summary.hpp"

namespace regress::cli {

void setup_fit(CLI::App& app, fit_options& o) {
  add_data_options(app, o.data, true);
  app.add_option("--level", o.data.level, "Confidence level for the intervals, in (0,1)")
      ->default_val(0.95);
  app.add_option("--format", o.format, "Output: text (like R's summary.lm), csv, tsv or json")
      ->default_val("text");
  app.add_option("--save", o.save, "Also save the fitted model as JSON, for 'regress predict -m'");
  app.footer(
      "Examples:\n"
      "  regress fit data/cars.csv -y dist -x speed\n"
      "  regress fit data.csv -y y -x x --degree 3 --format json --save model.json\n"
      "  cat data.csv | regress fit -y y -x x1,x2\n");
}

int run_fit(const fit_options& o, std::istream& in, std::ostream& out, std::ostream& err) {
  const output_format format = parse_format(o.format);
  if (!o.save.empty() && o.data.file != "-" && !o.data.file.empty() &&
      std::filesystem::exists(o.save) && std::filesystem::exists(o.data.file) &&
      std::filesystem::equivalent(o.save, o.data.file)) {
    throw usage_error("--save '" + o.save + "' is the input file; choose another name");
  }
  const model m = fit_from_data(o.data, in, err);
  const summary s = summarize(m, o.data.level);
  // Save first: if it fails, nothing has been printed that suggests success.
  if (!o.save.empty()) {
    write_file_atomically(o.save, [&](std::ostream& f) { write_model(f, m); });
  }
  switch (format) {
    case output_format::text: write_summary_text(out, m, s); break;
    case output_format::csv: write_summary_table(out, s, ','); break;
    case output_format::tsv: write_summary_table(out, s, '\t'); break;
    case output_format::json: write_summary_json(out, m, s); break;
  }
  return 0;
}

}  // namespace regress::cli
