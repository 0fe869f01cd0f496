#include <fmt/format.h>

#include <memory>
#include <optional>

#include "averaged_predict.hpp"
#include "bootstrap_fit.hpp"
#include "commands.hpp"
#include "data_input.hpp"
#include "formula_predict.hpp"
#include "messages.hpp"
#include "method_option.hpp"
#include "predict_resolve.hpp"
#include "regress/analyses/bootstrap.hpp"
#include "regress/analyses/explore.hpp"
#include "regress/analyses/inverse.hpp"
#include "regress/error.hpp"
#include "regress/files/model_io.hpp"
#include "regress/model/predict.hpp"
#include "regress/output/calibration_table.hpp"
#include "regress/output/prediction_rows.hpp"
#include "regress/reading/points.hpp"
#include "robust_options.hpp"

namespace regress::cli {
namespace {

/// --inverse: y, the predictor's x, lwr, upr and shape per requested response value.
int run_inverse(const predict_options& o, const model& m, double level, std::ostream& out,
                std::ostream& err) {
  std::vector<calibration> rows;
  for (double y : o.inverse_y) rows.push_back(inverse_predict(m, y, o.kind, level));
  write_calibrations(out, rows, o.format, m.spec.predictors.front());
  std::size_t beyond = 0;
  for (const auto& r : rows) {
    const std::string note = describe(m, r);
    if (!note.empty()) warn(err, note);
    const std::string far = describe_extrapolation(m, r);
    if (!far.empty()) {
      ++beyond;
      warn(err, far);
    }
  }
  if (o.fail_on_extrapolation && beyond > 0) {
    report_error(err, extrapolation_failure(o));
    return extrapolated;
  }
  return 0;
}

/// Predicts at each point it is given and hands the row to the writer,
/// keeping the account of extrapolation for the closing warnings.
struct row_sink {
  const model& m;
  interval_kind kind;
  double level;
  std::optional<double> ceiling;  ///< leverage bound of the trust range, when asked
  pipelined_prediction_writer& writer;
  const bootstrap_replicates* boot;  ///< --method bootstrap: its replicates; else null
  extrapolation_tally tally;
  std::size_t untrusted = 0;

  void point(const double* values) {
    const prediction p = boot != nullptr ? bootstrap_predict(m, *boot, values, kind, level)
                                         : predict_one(m, values, kind, level);
    tally.add(m, values, p);
    const bool trusted = ceiling && p.leverage <= *ceiling;
    if (ceiling && !trusted) ++untrusted;
    writer.add(values, &p, trusted);
  }
};

/// The --new file (or standard input), opened, with its header read, so that
/// everything that can fail on the request itself fails before the first
/// byte of output.
struct new_points {
  data_input source;
  std::unique_ptr<csv_reader> csv;
  std::unique_ptr<point_reader> points;
};

new_points open_new_points(const predict_options& o, const model& m, std::istream& in) {
  new_points p;
  // Line by line: a program that writes a point and waits gets its answer.
  p.source = open_data(o.data, o.new_file, in, nullptr, true);
  p.csv = std::make_unique<csv_reader>(p.source.stream(),
                                       csv_options{p.source.delimiter, p.source.name});
  p.points = std::make_unique<point_reader>(*p.csv, m.spec.predictors);
  return p;
}

void stream_new_points(point_reader& points, std::size_t predictors, row_sink& sink) {
  std::vector<double> values(predictors);
  bool missing = false;
  for (;;) {
    // Flush what is ready before a read that may block, so a program that
    // writes a point and waits gets its answer; big inputs stay buffered.
    if (points.would_block()) sink.writer.flush();
    if (!points.next(values.data(), missing)) break;
    if (missing) {
      sink.writer.add(values.data(), nullptr, false);  // as predict.lm with na.pass: NA
    } else {
      sink.point(values.data());
    }
  }
}

model load_model(const predict_options& o, std::istream& in, std::ostream& err) {
  if (o.model_file.empty()) return fit_from_data(o.data, in, err);
  input source = open_input(o.model_file, in);
  return read_model(*source.stream, source.name);
}

}  // namespace

void setup_predict(CLI::App& app, predict_flags& f) {
  add_data_options(app, f.data, true, false);
  app.add_option("more", f.more_formulas,
                 "More formulas: the candidate models of --method averaged");
  add_vcov_options(app, f.data);
  app.add_option("--degree", f.degrees,
                 "Fit a polynomial of this degree in the single predictor (raw powers); with "
                 "--method averaged, the candidates' degrees D,D,...")
      ->default_val("1");
  add_method_option(app, f.method);
  f.boot_option = app.add_option("--boot", f.boot,
                                 "Replicates of --method bootstrap (residual bootstrap, Davison "
                                 "and Hinkley 1997); default 1999");
  app.add_option("--threads", f.data.threads,
                 "Threads that parse the input and run the bootstrap's replicates (default: one "
                 "per core)")
      ->check(CLI::Range(1U, 1024U));
  f.seed_option = app.add_option("--seed", f.seed,
                                 "Seed of --method bootstrap: the same seed, the same output "
                                 "for any --threads; default 1")
                      ->check(seed_number());
  app.add_option("-m,--model", f.model_file, "Predict from a model saved by 'regress fit --save'");
  app.add_option("--at", f.at,
                 "Predict at these values of the single predictor (or the one column a formula "
                 "reads): V,V,...");
  app.add_option("--range", f.range,
                 "Predict at COUNT evenly spaced values of the single predictor: FROM:TO:COUNT");
  app.add_option("--new", f.new_file,
                 "Predict at the rows of this CSV (- for standard input, streamed); its columns "
                 "are named like the predictors (or the columns the formula reads; a column "
                 "named like the fit's --weights gives prediction weights)");
  app.add_option("--interval", f.interval, "prediction (default) or confidence")
      ->default_val("prediction");
  f.level_option = app.add_option("--level", f.data.level,
                                  "Level of the intervals, in (0,1) (default: 0.95, or "
                                  "the saved model's level)");
  app.add_option("--format", f.format,
                 "Output: csv (default), tsv, json, or ndjson (an object a line, streamed)")
      ->default_val("csv");
  f.max_widening_option =
      app.add_option("--max-widening", f.max_widening,
                     "Add an in_trust column: is the prediction interval at most R times its "
                     "narrowest?");
  f.max_halfwidth_option =
      app.add_option("--max-halfwidth", f.max_halfwidth,
                     "Add an in_trust column: is the prediction interval's half-width at most H?");
  app.add_flag("--fail-on-extrapolation", f.fail_on_extrapolation,
               "Exit 3 after writing every row if any row extrapolates (below, above, outside, "
               "hidden, new_level, or outside the trust range when one is asked)");
  app.add_flag("--inverse", f.inverse,
               "Inverse prediction: the x where the line reaches each --y value, with the "
               "calibration (Fieller) interval; columns y, the predictor (x), lwr, upr, shape "
               "(interval, two_rays, ray_below, ray_above, everything)");
  app.add_option("--y", f.inverse_y, "Response values for --inverse: V,V,...");
  app.footer(
      "Output columns: the predictor values (for a formula, the columns it reads; factor\n"
      "levels as text), then fit, se_fit, lwr, upr, leverage, region [, in_trust with\n"
      "--max-widening/--max-halfwidth].\n"
      "(region: inside, below, above, outside, or hidden = inside every predictor's range\n"
      "but farther from the data than any training row; with factors, the numeric ranges\n"
      "are those of the row's own combination of levels (outside when no training row had\n"
      "it); new_level = a factor level never seen in training: no prediction, NA).\n"
      "--inverse takes a formula whose fitted curve is a straight line in one numeric\n"
      "column (y ~ x, y ~ I(x)); --max-widening and --max-halfwidth take any formula.\n"
      "A saved model (regress fit --save m.json) predicts without the data: -m m.json.\n"
      "Exit codes: 0 ok, 1 data or model error, 2 usage error, 3 extrapolation with\n"
      "--fail-on-extrapolation.\n"
      "Examples:\n"
      "  regress predict data/cars.csv -y dist -x speed --at 10,30,50\n"
      "  regress predict data/cars.csv -y dist -x speed --inverse --y 50,100\n"
      "  regress predict data/cars.csv 'dist ~ speed' 'dist ~ ns(speed, 3)' --method averaged "
      "--at 30\n");
}

int run_predict(const predict_flags& f, std::istream& in, std::ostream& out, std::ostream& err) {
  const predict_options o = resolve_predict(f);
  if (o.method == interval_method::averaged) return run_averaged_predict(o, in, out, err);
  std::optional<bootstrap_model> boot;
  if (o.method == interval_method::bootstrap) boot = fit_bootstrap(o.data, o.boot, o.seed, in, err);
  const model m = boot ? boot->fitted : load_model(o, in, err);
  const bootstrap_replicates* replicates = boot ? &boot->replicates : nullptr;
  const double level = o.level.value_or(m.spec.level);
  if (m.terms && !o.inverse) return run_formula_predict(o, m, level, in, out, err, replicates);
  if (m.terms) {
    check_formula_inverse(m);
  } else {
    check_against_model(o, m);
  }
  if (o.inverse) return run_inverse(o, m, level, out, err);

  // A trust range, when asked, is judged per row from its leverage: the
  // prediction interval's widening over its narrowest inside the data and its
  // half-width (see explore.hpp; the same bounds as 'regress explore').
  std::optional<double> ceiling;
  if (o.trust) ceiling = leverage_ceiling(m, line_at_means(m, 0), *o.trust, level);
  std::optional<new_points> points;
  if (!o.new_file.empty()) points = open_new_points(o, m, in);

  prediction_writer rows(out, o.format, m.spec.predictors, ceiling.has_value());
  pipelined_prediction_writer writer(rows, m.spec.predictors.size());
  row_sink sink{m, o.kind, level, ceiling, writer, replicates, {}, 0};
  for (double v : o.at) sink.point(&v);
  for (std::size_t i = 0; i < o.range.count; ++i) {
    const double v = o.range.at(i);
    sink.point(&v);
  }
  if (points) stream_new_points(*points->points, m.spec.predictors.size(), sink);
  writer.finish();
  out.flush();
  if (sink.tally.extrapolated > 0) warn(err, sink.tally.message());
  if (sink.untrusted > 0) {
    warn(err, fmt::format("{} of {} points lie outside the trust range", sink.untrusted,
                          sink.tally.rows));
  }
  if (o.fail_on_extrapolation && (sink.tally.extrapolated > 0 || sink.untrusted > 0)) {
    report_error(err, extrapolation_failure(o));
    return extrapolated;
  }
  return 0;
}

}  // namespace regress::cli
