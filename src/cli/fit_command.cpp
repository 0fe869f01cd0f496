#include <iostream>
#include <optional>
#include <string>

#include "augment_command.hpp"
#include "commands.hpp"
#include "file_checks.hpp"
#include "messages.hpp"
#include "output_file.hpp"
#include "regress/error.hpp"
#include "regress/files/model_io.hpp"
#include "regress/files/state_file.hpp"
#include "regress/model/summary.hpp"
#include "regress/output/report.hpp"
#include "robust_options.hpp"

namespace regress::cli {
namespace {

/// What fit is asked to do, every flag parsed and checked (the data flags
/// are checked against the header by fit_data).
struct fit_options {
  data_options data;
  output_format format = output_format::text;
  std::string save;        ///< empty: no model file
  std::string save_state;  ///< empty: no state file
};

fit_options resolve_fit(const fit_flags& f, std::istream& in) {
  fit_options o;
  o.format = parse_format(f.format);
  check_files({{"the input", f.data.file}}, {{"--save", f.save}, {"--save-state", f.save_state}},
              &in == &std::cin);
  o.data = f.data;
  o.save = f.save;
  o.save_state = f.save_state;
  return o;
}

/// The summary, unless a saved file took standard output.
void print_summary(const fit_options& o, const model& m, const summary& s, std::ostream& out) {
  if (is_standard_output(o.save) || is_standard_output(o.save_state)) return;
  write_summary(out, m, s, o.format);
}

/// fit of a formula (or with --weights); with --save-state its state is
/// saved, also when the shard alone cannot be solved (and no --save).
int run_formula_fit(const fit_options& o, bool shard_only, std::istream& in, std::ostream& out,
                    std::ostream& err) {
  std::optional<formula_state> state;
  std::optional<check_gatherer> gathered;  // for the hint to run 'regress check'
  const row_pass hint = check_pass(gathered, hint_rows, hint_terms);
  engine_result r;
  try {
    r = fit_formula_data(o.data, in, err, !o.save.empty(), o.save_state.empty() ? nullptr : &state,
                         &hint);
  } catch (const regress::error& e) {
    const bool unsolvable = dynamic_cast<const usage_error*>(&e) == nullptr;
    if (!shard_only || !state || !unsolvable) throw;
    write_output(o.save_state, out, [&](std::ostream& s) { write_formula_state(s, *state); });
    warn(err, "these rows cannot be fitted alone (" + std::string(e.what()) +
                  "); their state is saved in '" + o.save_state +
                  "' for 'regress merge', and no fit is printed");
    return 0;
  }
  const summary s = summarize(r.fitted, o.data.level);
  if (!o.save.empty()) {
    write_output(o.save, out, [&](std::ostream& file) { write_model(file, r.fitted); });
  }
  if (state) {
    write_output(o.save_state, out, [&](std::ostream& file) { write_formula_state(file, *state); });
  }
  warn_perfect_fit(err, r.fitted);
  print_summary(o, r.fitted, s, out);
  // An essentially perfect fit's residuals are rounding noise: no hint.
  if (gathered && !essentially_perfect_fit(r.fitted)) hint_check(err, *gathered, r.fitted);
  return 0;
}

}  // namespace

void setup_fit(CLI::App& app, fit_flags& f) {
  add_data_options(app, f.data, true);
  add_vcov_options(app, f.data);
  app.add_option("--level", f.data.level, "Confidence level for the intervals, in (0,1)")
      ->default_val(0.95);
  app.add_option("--format", f.format,
                 "Output: text (like R's summary.lm), csv, tsv, json, or ndjson (a term a line)")
      ->default_val("text");
  app.add_option("--save", f.save,
                 "Also save the fitted model as JSON, for 'regress predict -m' (-: to standard "
                 "output, in place of the summary)");
  app.add_option("--save-state", f.save_state,
                 "Also save the fit's mergeable state as JSON, for 'regress merge' (a shard of "
                 "a bigger data set)");
  app.add_option("--threads", f.data.threads,
                 "Threads that parse the input (default: one per core)")
      ->check(CLI::Range(1u, 1024u));
  app.add_option("--max-line-bytes", f.data.max_line_bytes,
                 "The longest header, or record read from a stream, in bytes; a longer one is an "
                 "error naming its line (default: 64 MiB)")
      ->check(CLI::Range(std::size_t(64), std::size_t(1) << 40));
  app.footer(
      "The input is read once, in chunks on every core, in constant memory; a second pass\n"
      "runs only for a near-exact fit, for --save with several predictors or powers (the\n"
      "largest training leverage), and for the Residuals block, which is shown (exact, as\n"
      "R's) for data of at most 100000 complete rows and omitted above. For that pass,\n"
      "standard input is copied to an unlinked temporary file (in $TMPDIR, else /tmp): its\n"
      "first 64 MiB, or all of it when --save needs the pass; a bigger near-exact fit read\n"
      "from a pipe keeps its one-pass residual sum of squares, with a warning.\n"
      "On a terminal, long inputs show a progress line on stderr.\n"
      "With at most 100000 rows, fit also runs RESET and Breusch-Pagan and warns, pointing\n"
      "to 'regress check', when either rejects at 1%.\n"
      "A model given as an R formula (factors, interactions, log(), poly(), ...), or with\n"
      "--weights, is fitted as R's lm() fits it, in memory that grows with its factors'\n"
      "levels, not its rows (standard input is copied whole to a temporary file); a\n"
      "formula alone reads standard input; its --save-state keeps the statistics of each\n"
      "cell of its factors, which 'regress merge' combines across shards.\n"
      "Examples:\n"
      "  regress fit data/cars.csv -y dist -x speed\n"
      "  regress fit data/mtcars.csv 'mpg ~ wt + factor(cyl)' --format csv\n"
      "  regress fit data/pressure.csv -y pressure -x temperature --degree 3 --save model.json\n");
}

int run_fit(const fit_flags& f, std::istream& in, std::ostream& out, std::ostream& err) {
  const fit_options o = resolve_fit(f, in);
  // With --save-state (and no --save), a shard that cannot be fitted alone
  // still saves its state: 'regress merge' combines it exactly.
  const bool shard_only = !o.save_state.empty() && o.save.empty();
  if (uses_formula(o.data)) return run_formula_fit(o, shard_only, in, out, err);
  const engine_result r = fit_data(o.data, in, err, !o.save.empty(), shard_only);
  if (!r.unsolved.empty()) {
    write_output(o.save_state, out, [&](std::ostream& s) { write_state(s, state_of(r)); });
    warn(err, "these rows cannot be fitted alone (" + r.unsolved + "); their state is saved in '" +
                  o.save_state + "' for 'regress merge', and no fit is printed");
    return 0;
  }
  const model& m = r.fitted;
  const summary s = summarize(m, o.data.level);
  // Save first: if it fails, nothing has been printed that suggests success.
  if (!o.save.empty()) {
    write_output(o.save, out, [&](std::ostream& file) { write_model(file, m); });
  }
  if (!o.save_state.empty()) {
    write_output(o.save_state, out, [&](std::ostream& file) { write_state(file, state_of(r)); });
  }
  warn_perfect_fit(err, m);
  print_summary(o, m, s, out);
  if (!essentially_perfect_fit(m)) hint_check_file(err, o.data, m.fit.nobs, m.fit.k());
  return 0;
}

}  // namespace regress::cli
