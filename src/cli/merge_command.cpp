#include <filesystem>
#include <fstream>

#include "commands.hpp"
#include "messages.hpp"
#include "output_file.hpp"
#include "regress/error.hpp"
#include "regress/files/model_io.hpp"
#include "regress/files/state_file.hpp"
#include "regress/model/summary.hpp"
#include "regress/output/report.hpp"

namespace regress::cli {
namespace {

/// What merge is asked to do, every flag parsed and checked.
struct merge_options {
  std::vector<std::string> parts;
  double level = 0.95;
  output_format format = output_format::text;
  std::string save;  ///< empty: no model file
};

merge_options resolve_merge(const merge_flags& f) {
  merge_options o;
  o.format = parse_format(f.format);
  if (!(f.level > 0 && f.level < 1)) {
    throw usage_error("--level must be strictly between 0 and 1, for example 0.95");
  }
  o.parts = f.parts;
  o.level = f.level;
  o.save = f.save;
  return o;
}

std::vector<fit_state> read_states(const std::vector<std::string>& parts) {
  std::vector<fit_state> states;
  for (const auto& part : parts) {
    if (std::filesystem::is_directory(part)) {
      throw data_error("'" + part + "' is a directory; give state files");
    }
    std::ifstream in(part, std::ios::binary);
    if (!in) throw data_error("cannot open '" + part + "'; check the path");
    states.push_back(read_state(in, part));
  }
  return states;
}

}  // namespace

void setup_merge(CLI::App& app, merge_flags& f) {
  app.add_option("parts", f.parts,
                 "State files written by 'regress fit --save-state', one per shard of the data")
      ->required();
  app.add_option("--level", f.level, "Confidence level for the intervals, in (0,1)")
      ->default_val(0.95);
  app.add_option("--format", f.format, "Output: text (like R's summary.lm), csv, tsv or json")
      ->default_val("text");
  app.add_option("--save", f.save, "Also save the merged model as JSON, for 'regress predict -m'");
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

int run_merge(const merge_flags& f, std::ostream& out, std::ostream& err) {
  const merge_options o = resolve_merge(f);
  const fit_state merged = merge_states(read_states(o.parts), o.parts);
  model m = model_of(merged);
  m.spec.level = o.level;
  m.residuals_note = "not shown for a merged fit (the shards' rows are not at hand)";
  const summary s = summarize(m, o.level);
  if (!o.save.empty()) {
    if (m.spec.predictors.size() > 1) {
      warn(err,
           "the merged model's largest training leverage comes from each shard's extreme rows "
           "(a lower bound), so 'hidden' may flag points inside the data; fit the concatenated "
           "data with --save for the exact value");
    }
    write_file_atomically(o.save, [&](std::ostream& file) { write_model(file, m); });
  }
  warn_perfect_fit(err, m);
  write_summary(out, m, s, o.format);
  return 0;
}

}  // namespace regress::cli
