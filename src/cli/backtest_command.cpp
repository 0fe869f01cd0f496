#include <fmt/format.h>

#include "commands.hpp"
#include "regress/analyses/backtest.hpp"
#include "regress/error.hpp"

namespace regress::cli {
namespace {
std::string json_value(double v) { return std::isfinite(v) ? fmt::format("{}", v) : "null"; }
std::string part_json(const backtest_part& p) {
  return fmt::format("{{\"n\": {}, \"coverage\": {}, \"mae\": {}}}", p.n, json_value(p.coverage),
                     json_value(p.mae));
}
}  // namespace

void setup_backtest(CLI::App& app, backtest_options_cli& o) {
  add_data_options(app, o.data, true);
  app.add_option("--holdout", o.holdout, "Fraction of rows held out at the extremes of x")
      ->default_val(0.2);
  app.add_option("--side", o.side, "Which extremes to hold out: upper, lower or both")
      ->default_val("both");
  app.add_option("--level", o.data.level, "Level of the prediction intervals, in (0,1)")
      ->default_val(0.95);
  app.add_option("--seed", o.seed, "Seed for the random in-range control holdout")->default_val(1);
  app.add_option("--format", o.format, "text, csv, tsv or json")->default_val("text");
  app.footer(
      "Fits on the inner part of x, predicts the held-out extreme rows, and reports how often\n"
      "their nominal prediction intervals cover them (overall and by distance beyond the\n"
      "inner range, in its spans), against a random in-range holdout of the same size.\n"
      "Examples:\n"
      "  regress backtest data/pressure.csv -y pressure -x temperature --side upper\n"
      "  regress backtest data/cars.csv -y dist -x speed --holdout 0.3 --format json\n");
}

int run_backtest(const backtest_options_cli& o, std::istream& in, std::ostream& out,
                 std::ostream& err) {
  const output_format format = parse_format(o.format);
  backtest_options bo;
  bo.holdout = o.holdout;
  bo.seed = o.seed;
  if (o.side == "upper") {
    bo.side = holdout_side::upper;
  } else if (o.side == "lower") {
    bo.side = holdout_side::lower;
  } else if (o.side == "both") {
    bo.side = holdout_side::both;
  } else {
    throw usage_error("--side must be upper, lower or both; got '" + o.side + "'");
  }
  if (!(o.holdout > 0 && o.holdout <= 0.5)) {
    throw usage_error(
        "--holdout must be a fraction above 0 and at most 0.5, e.g. 0.2 (the "
        "control draws as many rows again from inside the range)");
  }
  const loaded_data data = load_data(o.data, in, err);
  const backtest_result r = backtest(data.spec, data.rows, bo);

  if (format == output_format::json) {
    out << fmt::format(
        "{{\n  \"level\": {},\n  \"extrapolation\": {},\n  \"control\": {},\n"
        "  \"bins\": [",
        r.level, part_json(r.extrapolation), part_json(r.control));
    for (std::size_t i = 0; i < r.bins.size(); ++i) {
      const auto& b = r.bins[i];
      out << (i ? ",\n" : "\n")
          << fmt::format(
                 "    {{\"distance_from\": {}, \"distance_to\": {}, \"n\": {}, "
                 "\"coverage\": {}, \"mae\": {}}}",
                 json_value(b.distance_from), json_value(b.distance_to), b.part.n,
                 json_value(b.part.coverage), json_value(b.part.mae));
    }
    out << (r.bins.empty() ? "]\n}\n" : "\n  ]\n}\n");
    return ok;
  }
  if (format == output_format::csv || format == output_format::tsv) {
    const char d = format == output_format::tsv ? '\t' : ',';
    out << "part" << d << "distance_from" << d << "distance_to" << d << "n" << d << "coverage" << d
        << "mae" << d << "level\n";
    auto row = [&](const std::string& part, double from, double to, const backtest_part& p) {
      out << part << d << (std::isfinite(from) ? number_text(from) : "NA") << d
          << (std::isfinite(to) ? number_text(to) : (std::isnan(to) ? "NA" : "inf")) << d << p.n
          << d << number_text(p.coverage) << d << number_text(p.mae) << d << number_text(r.level)
          << '\n';
    };
    const double nan = std::numeric_limits<double>::quiet_NaN();
    row("extrapolation", nan, nan, r.extrapolation);
    row("control", nan, nan, r.control);
    for (const auto& b : r.bins) row("bin", b.distance_from, b.distance_to, b.part);
    return ok;
  }
  const std::string pct = fmt::format("{:g}%", r.level * 100);
  out << fmt::format("Backtest of {} ~ {}: {} nominal prediction intervals\n\n", data.spec.response,
                     fmt::join(data.spec.predictors, " + "), pct);
  out << fmt::format("  {:<34} {:>5} {:>9} {:>12}\n", "held out", "n", "coverage", "mean |err|");
  out << fmt::format("  {:<34} {:>5} {:>8.1f}% {:>12.4g}\n", "extreme rows (extrapolation)",
                     r.extrapolation.n, 100 * r.extrapolation.coverage, r.extrapolation.mae);
  out << fmt::format("  {:<34} {:>5} {:>8.1f}% {:>12.4g}\n", "random rows inside (control)",
                     r.control.n, 100 * r.control.coverage, r.control.mae);
  out << "\n  by distance beyond the inner range (in its spans):\n";
  for (const auto& b : r.bins) {
    const std::string label = std::isinf(b.distance_to)
                                  ? fmt::format("{:g} and beyond", b.distance_from)
                                  : fmt::format("{:g} to {:g}", b.distance_from, b.distance_to);
    out << fmt::format("  {:<34} {:>5} {:>8.1f}% {:>12.4g}\n", label, b.part.n,
                       100 * b.part.coverage, b.part.mae);
  }
  const double gap = r.control.coverage - r.extrapolation.coverage;
  out << '\n'
      << (gap > 0.15 ? fmt::format("Outside the data the intervals covered {:.0f} points fewer "
                                   "in 100 than inside: the fitted form does not hold out "
                                   "there, so its intervals understate the uncertainty.\n",
                                   100 * gap)
                     : "Outside the data the intervals covered about as often as inside: no "
                       "sign here that the fitted form breaks down just beyond the data.\n");
  return ok;
}

}  // namespace regress::cli
