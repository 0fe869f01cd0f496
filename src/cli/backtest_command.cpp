#include "commands.hpp"
#include "regress/analyses/backtest.hpp"
#include "regress/error.hpp"
#include "regress/output/backtest_table.hpp"

namespace regress::cli {
namespace {

/// What backtest is asked to do, every flag parsed and checked (the data
/// flags are checked against the header by load_data).
struct backtest_request {
  data_options data;
  backtest_options options;
  output_format format = output_format::text;
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
  return r;
}

/// The check that needs the data: enough rows for --holdout.
void check_rows(const loaded_data& data, const backtest_options& o) {
  const backtest_split split = split_for_backtest(data.spec, data.rows, o);
  if (!split.enough()) {
    throw data_error("too few rows to backtest: " + std::to_string(split.rows) + " rows, " +
                     std::to_string(split.held) + " held out, and the fit needs more than " +
                     std::to_string(split.parameters + 1) + "; lower --holdout or use more data");
  }
}

}  // namespace

void setup_backtest(CLI::App& app, backtest_flags& f) {
  add_data_options(app, f.data, true);
  app.add_option("--holdout", f.holdout, "Fraction of rows held out at the extremes of x")
      ->default_val(0.2);
  app.add_option("--side", f.side, "Which extremes to hold out: upper, lower or both")
      ->default_val("both");
  app.add_option("--level", f.data.level, "Level of the prediction intervals, in (0,1)")
      ->default_val(0.95);
  app.add_option("--seed", f.seed, "Seed for the random in-range control holdout")->default_val(1);
  app.add_option("--format", f.format, "text, csv, tsv or json")->default_val("text");
  app.footer(
      "Fits on the inner part of x, predicts the held-out extreme rows, and reports how often\n"
      "their nominal prediction intervals cover them (overall and by distance beyond the\n"
      "inner range, in its spans), against a random in-range holdout of the same size.\n"
      "Examples:\n"
      "  regress backtest data/pressure.csv -y pressure -x temperature --side upper\n"
      "  regress backtest data/cars.csv -y dist -x speed --holdout 0.3 --format json\n");
}

int run_backtest(const backtest_flags& f, std::istream& in, std::ostream& out, std::ostream& err) {
  const backtest_request r = resolve_backtest(f);
  const loaded_data data = load_data(r.data, in, err);
  check_rows(data, r.options);
  write_backtest(out, backtest(data.spec, data.rows, r.options), data.spec, r.format);
  return ok;
}

}  // namespace regress::cli
