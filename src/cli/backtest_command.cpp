#include <algorithm>
#include <string>
#include <vector>

#include "bootstrap_fit.hpp"
#include "commands.hpp"
#include "method_option.hpp"
#include "regress/analyses/backtest.hpp"
#include "regress/error.hpp"
#include "regress/model/model_spec.hpp"
#include "regress/output/backtest_table.hpp"

namespace regress::cli {
namespace {

/// What backtest is asked to do, every flag parsed and checked (the data
/// flags are checked against the header by load_data).
struct backtest_request {
  data_options data;
  std::string along;
  backtest_options options;
  output_format format = output_format::text;
  std::vector<interval_method> methods;
  std::vector<data_options> candidates;  ///< one per model (several: averaged)
  bootstrap_options boot;                ///< --method bootstrap: --boot, --seed, --threads
};

backtest_request resolve_backtest(const backtest_flags& f) {
  backtest_request r;
  r.format = parse_format(f.format);
  r.options.holdout = f.holdout;
  r.options.seed = f.seed;
  if (f.side == "upper") {
    r.options.side = holdout_side::upper;
  } else if (f.side == "lower") {
    r.options.side = holdout_side::lower;
  } else if (f.side == "both") {
    r.options.side = holdout_side::both;
  } else {
    throw usage_error("--side must be upper, lower or both; got '" + f.side + "'");
  }
  if (!(f.holdout > 0 && f.holdout <= 0.5)) {
    throw usage_error(
        "--holdout must be a fraction above 0 and at most 0.5, e.g. 0.2 (the "
        "control draws as many rows again from inside the range)");
  }
  r.data = f.data;
  r.along = f.along;
  r.methods = parse_methods(f.method);
  const bool averaged =
      std::find(r.methods.begin(), r.methods.end(), interval_method::averaged) != r.methods.end();
  r.candidates = candidate_models(f.data, f.degrees, f.more_formulas, averaged);
  r.data = r.candidates.front();
  const bool bootstrap =
      std::find(r.methods.begin(), r.methods.end(), interval_method::bootstrap) != r.methods.end();
  if (!bootstrap && f.boot_option != nullptr && f.boot_option->count() > 0) {
    throw usage_error("--boot goes with --method bootstrap (or all)");
  }
  if (f.boot < 1 || f.boot > 10000000) {
    throw usage_error("--boot must be a whole number of replicates from 1 to 10000000 (default " +
                      std::string("1999); got ") + std::to_string(f.boot));
  }
  r.boot = {static_cast<std::size_t>(f.boot), f.seed, bootstrap_threads(f.data.threads)};
  return r;
}

/// --along for a -y/-x model: one of the predictors (default the first).
std::size_t predictor_along(const loaded_data& data, const std::string& along) {
  if (along.empty()) return 0;
  const auto& p = data.spec.predictors;
  for (std::size_t j = 0; j < p.size(); ++j) {
    if (p[j] == along) return j;
  }
  throw usage_error("--along '" + along + "' is not one of the predictors (-x)");
}

/// The check that needs the data: enough rows for --holdout.
void check_rows(const backtest_split& split) {
  if (!split.enough()) {
    throw data_error("too few rows to backtest: " + std::to_string(split.rows) + " rows, " +
                     std::to_string(split.held) + " held out, and the fit needs more than " +
                     std::to_string(split.parameters + 1) + "; lower --holdout or use more data");
  }
}

std::vector<named_method> methods_of(const backtest_request& r) {
  std::vector<named_method> out;
  for (auto m : r.methods) {
    out.push_back(m == interval_method::averaged    ? averaged_method()
                  : m == interval_method::bootstrap ? bootstrap_method(r.boot)
                                                    : textbook_method());
  }
  return out;
}

std::string title_of(const std::vector<std::string>& labels) {
  std::string t = labels.front();
  if (labels.size() > 1) t += " (averaged over " + std::to_string(labels.size()) + " candidates)";
  return t;
}

/// --method other than textbook alone: every method on the same split.
int run_backtest_methods(backtest_request& r, std::istream& in, std::ostream& out,
                         std::ostream& err) {
  std::vector<std::string> labels;
  if (uses_formula(r.data)) {
    if ((r.data.file == "-" || r.data.file.empty()) && r.candidates.size() > 1) {
      throw usage_error("several candidate models read the data once each: give a file");
    }
    std::vector<formula_data> data;
    for (const auto& c : r.candidates) data.push_back(load_formula_data(c, in, err, false));
    std::vector<const formula_rows*> cells;
    std::vector<const formula_frame*> frames;
    for (const auto& d : data) {
      cells.push_back(&d.cells);
      frames.push_back(&d.frame);
      labels.push_back(d.frame.terms.formula);
    }
    r.options.along =
        r.data.formula.empty() && r.along.empty() ? 0 : formula_along(data.front().frame, r.along);
    const auto results = backtest_methods(cells, frames, r.options, r.data.level, methods_of(r));
    write_backtest_methods(out, results, title_of(labels), r.format);
    return ok;
  }
  // -y/-x: the design of the largest degree holds the rows; each candidate
  // forms its own powers.
  data_options widest = r.candidates.back();
  const loaded_data data = load_data(widest, in, err);
  r.options.along = predictor_along(data, r.along);
  std::vector<model_spec> specs;
  for (const auto& c : r.candidates) {
    model_spec s = data.spec;
    s.degree = c.degree;
    specs.push_back(s);
    std::string label = s.response + " ~ " + s.predictors.front();
    for (int d = 2; d <= s.degree; ++d) label += " + " + power_term(s.predictors.front(), d);
    labels.push_back(label);
  }
  write_backtest_methods(out, backtest_methods(specs, data.rows, r.options, methods_of(r)),
                         title_of(labels), r.format);
  return ok;
}

}  // namespace

void setup_backtest(CLI::App& app, backtest_flags& f) {
  add_data_options(app, f.data, true, false);
  app.add_option("more", f.more_formulas,
                 "More formulas: the candidate models of --method averaged");
  app.add_option("--degree", f.degrees,
                 "Fit a polynomial of this degree in the single predictor (raw powers); with "
                 "--method averaged, the candidates' degrees D,D,... (textbook uses the first)")
      ->default_val("1");
  add_method_option(app, f.method, true);
  app.add_option("--holdout", f.holdout, "Fraction of rows held out at the extremes of x")
      ->default_val(0.2);
  app.add_option("--along", f.along,
                 "Column whose extremes are held out (default: the first -x; with a formula, "
                 "the only numeric column it reads)");
  app.add_option("--side", f.side, "Which extremes to hold out: upper, lower or both")
      ->default_val("both");
  app.add_option("--level", f.data.level, "Level of the prediction intervals, in (0,1)")
      ->default_val(0.95);
  app.add_option("--seed", f.seed,
                 "Seed for the random in-range control holdout (and of --method bootstrap)")
      ->check(seed_number())
      ->default_val(1);
  f.boot_option =
      app.add_option("--boot", f.boot, "Replicates of --method bootstrap per fit; default 1999");
  app.add_option("--threads", f.data.threads,
                 "Threads that run the bootstrap's replicates (default: one per core); the "
                 "output is the same for any")
      ->check(CLI::Range(1U, 1024U));
  app.add_option("--format", f.format, "Output: text, csv, tsv, json, or ndjson (a row a line)")
      ->default_val("text");
  app.footer(
      "Fits on the inner part of x, predicts the held-out extreme rows, and reports how often\n"
      "their nominal prediction intervals cover them (overall and by distance beyond the\n"
      "inner range, in its spans), against a random in-range holdout of the same size.\n"
      "Examples:\n"
      "  regress backtest data/pressure.csv -y pressure -x temperature --side upper\n"
      "  regress backtest data/cars.csv 'dist ~ poly(speed, 2)' --side upper\n"
      "  regress backtest data/pressure.csv -y pressure -x temperature --degree 1,2,3 "
      "--method all\n");
}

int run_backtest(const backtest_flags& f, std::istream& in, std::ostream& out, std::ostream& err) {
  backtest_request r = resolve_backtest(f);
  if (r.methods.size() > 1 || r.methods.front() != interval_method::textbook) {
    return run_backtest_methods(r, in, out, err);
  }
  if (uses_formula(r.data)) {
    const formula_data data = load_formula_data(r.data, in, err, false);
    // -y/-x with --weights holds out along the first -x by default, as without.
    r.options.along =
        r.data.formula.empty() && r.along.empty() ? 0 : formula_along(data.frame, r.along);
    check_rows(split_for_backtest(data.frame, r.options));
    const backtest_result result = backtest(data.cells, data.frame, r.options, r.data.level);
    write_backtest(out, result, model_spec{}, r.format);
    return ok;
  }
  const loaded_data data = load_data(r.data, in, err);
  r.options.along = predictor_along(data, r.along);
  check_rows(split_for_backtest(data.spec, data.rows, r.options));
  write_backtest(out, backtest(data.spec, data.rows, r.options), data.spec, r.format);
  return ok;
}

}  // namespace regress::cli
