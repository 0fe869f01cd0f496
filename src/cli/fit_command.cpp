#include <filesystem>

#include "commands.hpp"
#include "regress/error.hpp"
#include "regress/files/model_io.hpp"
#include "regress/files/state_file.hpp"
#include "regress/model/summary.hpp"
#include "regress/output/report.hpp"

namespace regress::cli {

void setup_fit(CLI::App& app, fit_options& o) {
  add_data_options(app, o.data, true);
  app.add_option("--level", o.data.level, "Confidence level for the intervals, in (0,1)")
      ->default_val(0.95);
  app.add_option("--format", o.format, "Output: text (like R's summary.lm), csv, tsv or json")
      ->default_val("text");
  app.add_option("--save", o.save, "Also save the fitted model as JSON, for 'regress predict -m'");
  app.add_option("--save-state", o.save_state,
                 "Also save the fit's mergeable state as JSON, for 'regress merge' (a shard of "
                 "a bigger data set)");
  app.add_option("--threads", o.data.threads,
                 "Threads that parse the input (default: one per core)")
      ->check(CLI::Range(1u, 1024u));
  app.footer(
      "The input is read once, in chunks on every core, in constant memory; a second pass\n"
      "runs only for a near-exact fit, for --save with several predictors or powers (the\n"
      "largest training leverage), and for the Residuals block, which is shown (exact, as\n"
      "R's) for data of at most 100000 complete rows and omitted above. For that pass,\n"
      "standard input is copied to an unlinked temporary file (in $TMPDIR, else /tmp): its\n"
      "first 64 MiB, or all of it when --save needs the pass; a bigger near-exact fit read\n"
      "from a pipe keeps its one-pass residual sum of squares, with a warning.\n"
      "On a terminal, long inputs show a progress line on stderr.\n"
      "Examples:\n"
      "  regress fit data/cars.csv -y dist -x speed\n"
      "  regress fit data.csv -y y -x x --degree 3 --format json --save model.json\n"
      "  cat data.csv | regress fit -y y -x x1,x2\n"
      "  regress fit shard1.csv -y y -x x --save-state part1.json   (then: regress merge)\n");
}

int run_fit(const fit_options& o, std::istream& in, std::ostream& out, std::ostream& err) {
  const output_format format = parse_format(o.format);
  if (!o.save.empty() && o.data.file != "-" && !o.data.file.empty() &&
      std::filesystem::exists(o.save) && std::filesystem::exists(o.data.file) &&
      std::filesystem::equivalent(o.save, o.data.file)) {
    throw usage_error("--save '" + o.save + "' is the input file; choose another name");
  }
  for (const std::string* target : {&o.save_state}) {
    if (!target->empty() && o.data.file != "-" && !o.data.file.empty() &&
        std::filesystem::exists(*target) && std::filesystem::exists(o.data.file) &&
        std::filesystem::equivalent(*target, o.data.file)) {
      throw usage_error("--save-state '" + *target + "' is the input file; choose another name");
    }
  }
  // With --save-state (and no --save), a shard that cannot be fitted alone
  // still saves its state: 'regress merge' combines it exactly.
  const bool shard_only = !o.save_state.empty() && o.save.empty();
  const engine_result r = fit_data(o.data, in, err, !o.save.empty(), shard_only);
  if (!r.unsolved.empty()) {
    write_file_atomically(o.save_state, [&](std::ostream& f) { write_state(f, state_of(r)); });
    err << "regress: warning: these rows cannot be fitted alone (" << r.unsolved
        << "); their state is saved in '" << o.save_state
        << "' for 'regress merge', and no fit is printed\n";
    return 0;
  }
  const model& m = r.fitted;
  const summary s = summarize(m, o.data.level);
  // Save first: if it fails, nothing has been printed that suggests success.
  if (!o.save.empty()) {
    write_file_atomically(o.save, [&](std::ostream& f) { write_model(f, m); });
  }
  if (!o.save_state.empty()) {
    write_file_atomically(o.save_state, [&](std::ostream& f) { write_state(f, state_of(r)); });
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
