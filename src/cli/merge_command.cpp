#include <filesystem>
#include <fstream>

#include "commands.hpp"
#include "regress/error.hpp"
#include "regress/files/model_io.hpp"
#include "regress/files/state_file.hpp"
#include "regress/model/summary.hpp"
#include "regress/output/report.hpp"

namespace regress::cli {

void setup_merge(CLI::App& app, merge_options& o) {
  app.add_option("parts", o.parts,
                 "State files written by 'regress fit --save-state', one per shard of the data")
      ->required();
  app.add_option("--level", o.level, "Confidence level for the intervals, in (0,1)")
      ->default_val(0.95);
  app.add_option("--format", o.format, "Output: text (like R's summary.lm), csv, tsv or json")
      ->default_val("text");
  app.add_option("--save", o.save, "Also save the merged model as JSON, for 'regress predict -m'");
  app.footer(
      "The merge is the fit of the concatenated shards (to double-double rounding), for\n"
      "any split of the rows. The shards must be fits of the same model (-y, -x, --degree,\n"
      "--no-intercept). The residual quantiles need the rows and are not shown. With\n"
      "several predictors, the saved model's largest training leverage (behind region\n"
      "'hidden') is the largest among each shard's extreme rows: a lower bound, so\n"
      "'hidden' may flag a few points inside the data; fit the whole data for the exact one.\n"
      "Examples:\n"
      "  regress fit part1.csv -y y -x x --save-state p1.json --format csv > /dev/null\n"
      "  regress fit part2.csv -y y -x x --save-state p2.json --format csv > /dev/null\n"
      "  regress merge p1.json p2.json --save model.json\n");
}

int run_merge(const merge_options& o, std::ostream& out, std::ostream& err) {
  const output_format format = parse_format(o.format);
  if (!(o.level > 0 && o.level < 1)) {
    throw usage_error("--level must be strictly between 0 and 1, for example 0.95");
  }
  std::vector<fit_state> states;
  for (const auto& part : o.parts) {
    if (std::filesystem::is_directory(part)) {
      throw data_error("'" + part + "' is a directory; give state files");
    }
    std::ifstream in(part, std::ios::binary);
    if (!in) throw data_error("cannot open '" + part + "'; check the path");
    states.push_back(read_state(in, part));
  }
  const fit_state merged = merge_states(states, o.parts);
  model m = model_of(merged);
  m.spec.level = o.level;
  const summary s = summarize(m, o.level);
  if (!o.save.empty()) {
    if (m.spec.predictors.size() > 1) {
      err << "regress: warning: the merged model's largest training leverage comes from each "
             "shard's extreme rows (a lower bound), so 'hidden' may flag points inside the "
             "data; fit the concatenated data with --save for the exact value\n";
    }
    write_file_atomically(o.save, [&](std::ostream& f) { write_model(f, m); });
  }
  switch (format) {
    case output_format::text:
      write_summary_text(out, m, s);
      break;
    case output_format::csv:
      write_summary_table(out, s, ',');
      break;
    case output_format::tsv:
      write_summary_table(out, s, '\t');
      break;
    case output_format::json:
      write_summary_json(out, m, s);
      break;
  }
  return 0;
}

}  // namespace regress::cli
