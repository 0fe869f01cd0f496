#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <system_error>

#include "commands.hpp"
#include "common.hpp"
#include "file_checks.hpp"
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
  std::string save;        ///< empty: no model file
  std::string save_state;  ///< empty: no merged state file
};

merge_options resolve_merge(const merge_flags& f) {
  merge_options o;
  o.format = parse_format(f.format);
  // A robust covariance sums every row's residual (and leverage) about the
  // final fit, which no shard's state can hold: refused, saying what to do.
  if (f.vcov != "const") {
    throw usage_error("merge cannot compute a robust covariance (" + f.vcov +
                      "): it needs every row's residual about the merged fit, which the "
                      "shards' states do not hold; fit the concatenated data with 'regress fit "
                      "--vcov " +
                      f.vcov + "'");
  }
  if (!(f.level > 0 && f.level < 1)) {
    throw usage_error("--level must be strictly between 0 and 1, for example 0.95");
  }
  std::vector<named_file> inputs;
  for (const auto& part : f.parts) inputs.push_back({"the input", part});
  check_files(inputs, {{"--save", f.save}, {"--save-state", f.save_state}}, false);
  o.parts = f.parts;
  o.level = f.level;
  o.save = f.save;
  o.save_state = f.save_state;
  return o;
}

/// Refuses a shard given twice (by its id, or the same file by two names):
/// its rows would count twice.
void check_distinct(const std::vector<saved_state>& states, const std::vector<std::string>& parts) {
  std::map<std::string, std::size_t> holder;  // shard id -> the part holding it
  for (std::size_t i = 0; i < states.size(); ++i) {
    const auto& ids =
        states[i].is_formula ? states[i].formula_part.shards : states[i].columns.shards;
    for (const auto& id : ids) {
      const auto [it, fresh] = holder.emplace(id, i);
      if (!fresh) {
        throw usage_error(parts[i] + " holds a shard that " + parts[it->second] +
                          " holds too (shard " + id.substr(0, 8) +
                          "...): its rows would count twice; give each shard once");
      }
    }
    for (std::size_t j = 0; j < i; ++j) {
      std::error_code ec;
      if (std::filesystem::equivalent(parts[i], parts[j], ec)) {
        throw usage_error(parts[i] + " and " + parts[j] +
                          " are the same file: its rows would count twice; give each shard once");
      }
    }
  }
}

std::vector<saved_state> read_states(const std::vector<std::string>& parts) {
  std::vector<saved_state> states;
  for (const auto& part : parts) {
    std::error_code ec;
    if (std::filesystem::is_directory(part, ec)) {
      throw data_error("'" + part + "' is a directory; give state files");
    }
    std::ifstream in(part, std::ios::binary);
    if (!in) {
      throw data_error("cannot open '" + part + "': " + std::strerror(errno) + "; check the path");
    }
    states.push_back(read_any_state(in, part));
    if (states.back().is_formula != states.front().is_formula) {
      const bool formula = states.back().is_formula;
      throw usage_error(part + " is the state of a " + (formula ? "formula" : "-y/-x") +
                        " fit but " + parts.front() + " of a " + (formula ? "-y/-x" : "formula") +
                        " fit; merge only states of the same model");
    }
  }
  check_distinct(states, parts);
  return states;
}

/// The merged model, written where asked; its state too.
model merge_to_model(const merge_options& o, std::vector<saved_state>& states, std::ostream& out,
                     std::ostream& err) {
  bool exact = true;
  model m;
  if (states.front().is_formula) {
    std::vector<formula_state> parts;
    std::vector<std::string> shards;
    for (auto& s : states) {
      shards.insert(shards.end(), s.formula_part.shards.begin(), s.formula_part.shards.end());
      parts.push_back(std::move(s.formula_part));
    }
    formula_state merged = merge_formula_states(parts, o.parts);
    merged.shards = shards;
    bool near_exact = false;
    m = model_of(merged, o.level, &exact, &near_exact);
    warn_aliased(err, m);
    if (near_exact) {
      warn(err,
           "the merged fit is near-exact: its residual sum of squares comes from the shards' "
           "moments and may have lost digits (the rows are not at hand for a second pass); fit "
           "the concatenated data for the exact one");
    }
    if (!o.save_state.empty()) {
      write_output(o.save_state, out,
                   [&](std::ostream& file) { write_formula_state(file, merged); });
    }
  } else {
    std::vector<fit_state> parts;
    for (auto& s : states) parts.push_back(std::move(s.columns));
    const fit_state merged = merge_states(parts, o.parts);
    if (merged.state.n() == 0) {
      std::string names;
      for (const auto& part : o.parts) names += (names.empty() ? "" : ", ") + part;
      throw data_error("no complete rows in any shard (" + names +
                       "): nothing to fit; merge them with shards that have rows");
    }
    m = model_of(merged);
    exact = m.spec.predictors.size() <= 1;
    if (!o.save_state.empty()) {
      write_output(o.save_state, out, [&](std::ostream& file) { write_state(file, merged); });
    }
  }
  m.spec.level = o.level;
  if (!o.save.empty()) {
    if (!exact) {
      warn(err,
           std::string("the merged model's largest training leverage comes from each shard's ") +
               (m.terms ? "cells' extreme values (an estimate)" : "extreme rows (a lower bound)") +
               ", so 'hidden' may flag points inside the data; fit the concatenated data with "
               "--save for the exact value");
    }
    write_output(o.save, out, [&](std::ostream& file) { write_model(file, m); });
  }
  return m;
}

}  // namespace

void setup_merge(CLI::App& app, merge_flags& f) {
  app.add_option("parts", f.parts,
                 "State files written by 'regress fit --save-state', one per shard of the data")
      ->required();
  app.add_option("--level", f.level, "Confidence level for the intervals, in (0,1)")
      ->default_val(0.95);
  app.add_option("--format", f.format,
                 "Output: text (like R's summary.lm), csv, tsv, json, or ndjson (a term a line)")
      ->default_val("text");
  app.add_option("--save", f.save,
                 "Also save the merged model as JSON, for 'regress predict -m' (-: to standard "
                 "output, in place of the summary)");
  app.add_option("--save-state", f.save_state,
                 "Also save the merged state, to merge again with more shards later");
  // A robust covariance sums every row's residual (and leverage) about the
  // final fit, which no shard's state can hold: refused, saying what to do.
  app.add_option("--vcov", f.vcov,
                 "Only const: robust covariances need the rows (fit the whole data with --vcov)")
      ->default_val("const");
  app.footer(
      "The merge is the fit of the concatenated shards (to double-double rounding), for\n"
      "any split of the rows. The shards must be fits of the same model (-y, -x, --degree,\n"
      "--no-intercept; or the same formula and --weights). Shards of a formula may have\n"
      "seen different factor levels: the merged model has them all, sorted, as a fit of\n"
      "the concatenated data would. The residual quantiles need the rows and are not\n"
      "shown. With several predictors, the saved model's largest training leverage (behind\n"
      "region 'hidden') is the largest among each shard's extreme rows: a lower bound, so\n"
      "'hidden' may flag a few points inside the data; fit the whole data for the exact one.\n"
      "A formula's is the largest at each cell's extreme values (exact for straight lines\n"
      "in one numeric column, else an estimate).\n"
      "Each state names its shards by a random id, and a shard given twice (directly or\n"
      "inside a merged state) is refused: its rows would count twice. An empty shard's\n"
      "state (no complete rows) merges as nothing.\n"
      "A shard's state is saved by fit: regress fit part1.csv -y y -x x --save-state p1.json.\n"
      "Examples (two made-up shards: the cars data given twice, as two shards would be):\n"
      "  regress fit data/cars.csv 'dist ~ speed' --save-state p1.json --format ndjson\n"
      "  regress fit data/cars.csv 'dist ~ speed' --save-state p2.json --format ndjson\n"
      "  regress merge p1.json p2.json --save model.json\n");
}

int run_merge(const merge_flags& f, std::ostream& out, std::ostream& err) {
  const merge_options o = resolve_merge(f);
  std::vector<saved_state> states = read_states(o.parts);
  model m = merge_to_model(o, states, out, err);
  m.residuals_note = "not shown for a merged fit (the shards' rows are not at hand)";
  const summary s = summarize(m, o.level);
  warn_perfect_fit(err, m);
  // A merged file sent to standard output takes it alone.
  if (is_standard_output(o.save) || is_standard_output(o.save_state)) return 0;
  write_summary(out, m, s, o.format);
  return 0;
}

}  // namespace regress::cli
