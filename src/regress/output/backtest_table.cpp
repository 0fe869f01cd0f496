#include "regress/output/backtest_table.hpp"

#include <fmt/format.h>

#include <cmath>
#include <limits>
#include <string>

#include "regress/output/format.hpp"

namespace regress {
namespace {

/// A count as the number formatter prints it (whole numbers have no point).
void append_count(std::string& out, std::size_t n) { append_number(out, static_cast<double>(n)); }

/// The verdict as json and csv name it.
const char* verdict_name(backtest_verdict v) {
  switch (v) {
    case backtest_verdict::too_few:
      return "too_few";
    case backtest_verdict::breaks:
      return "breaks";
    case backtest_verdict::holds:
      return "holds";
    case backtest_verdict::no_comparison:
      break;
  }
  return "no_comparison";
}

void append_json_part(std::string& out, const backtest_part& p, bool formula) {
  out += "\"n\": ";
  append_count(out, p.n);
  out += ", \"coverage\": ";
  append_json_number(out, p.coverage);
  out += ", \"mae\": ";
  append_json_number(out, p.mae);
  if (formula) {
    out += ", \"new_level\": ";
    append_count(out, p.new_level);
  }
}

void write_json(std::ostream& out, const backtest_result& r) {
  const bool formula = !r.formula.empty();
  std::string text = "{\n  \"level\": ";
  append_json_number(text, r.level);
  if (!r.along.empty()) text += ",\n  \"along\": " + json_quote(r.along);
  text += ",\n  \"extrapolation\": {";
  append_json_part(text, r.extrapolation, formula);
  text += "},\n  \"control\": {";
  append_json_part(text, r.control, formula);
  text += "},\n  \"p_value\": ";
  append_json_number(text, r.p_value);
  text += ",\n  \"least_p_value\": ";
  append_json_number(text, r.least_p_value);
  text += ",\n  \"verdict\": ";
  text += json_quote(verdict_name(r.verdict));
  text += ",\n  \"bins\": [";
  for (std::size_t i = 0; i < r.bins.size(); ++i) {
    const auto& b = r.bins[i];
    text += i ? ",\n    {\"distance_from\": " : "\n    {\"distance_from\": ";
    append_json_number(text, b.distance_from);
    text += ", \"distance_to\": ";
    append_json_number(text, b.distance_to);
    text += ", ";
    append_json_part(text, b.part, formula);
    text += '}';
  }
  text += r.bins.empty() ? "]\n}\n" : "\n  ]\n}\n";
  out << text;
}

void write_delimited(std::ostream& out, const backtest_result& r, char d) {
  std::string text;
  for (const char* name : {"part", "distance_from", "distance_to", "n", "coverage", "mae"}) {
    text += name;
    text += d;
  }
  const bool formula = !r.formula.empty();
  text += "level" + std::string(1, d) + "p_value";
  text += formula ? std::string(1, d) + "new_level\n" : "\n";
  // The overall parts have no distance: NA in both distance columns. The
  // test compares the two overall parts: its p-value is on both, NA on bins.
  auto row = [&](const char* part, double from, double to, const backtest_part& p, double p_value) {
    text += part;
    for (double v : {from, to, static_cast<double>(p.n), p.coverage, p.mae, r.level, p_value}) {
      text += d;
      append_number(text, v);
    }
    if (formula) {
      text += d;
      append_count(text, p.new_level);
    }
    text += '\n';
  };
  const double nan = std::numeric_limits<double>::quiet_NaN();
  row("extrapolation", nan, nan, r.extrapolation, r.p_value);
  row("control", nan, nan, r.control, r.p_value);
  for (const auto& b : r.bins) row("bin", b.distance_from, b.distance_to, b.part, nan);
  out << text;
}

/// The rows of write_delimited as JSON objects, one a line (null for NA).
void write_ndjson(std::ostream& out, const backtest_result& r) {
  const bool formula = !r.formula.empty();
  std::string text;
  auto row = [&](const char* part, double from, double to, const backtest_part& p, double p_value) {
    text += "{\"part\": ";
    text += json_quote(part);
    text += ", \"distance_from\": ";
    append_json_number(text, from);
    text += ", \"distance_to\": ";
    append_json_number(text, to);
    text += ", ";
    append_json_part(text, p, formula);
    text += ", \"level\": ";
    append_json_number(text, r.level);
    text += ", \"p_value\": ";
    append_json_number(text, p_value);
    text += "}\n";
  };
  const double nan = std::numeric_limits<double>::quiet_NaN();
  row("extrapolation", nan, nan, r.extrapolation, r.p_value);
  row("control", nan, nan, r.control, r.p_value);
  for (const auto& b : r.bins) row("bin", b.distance_from, b.distance_to, b.part, nan);
  out << text;
}

/// The note on held-out rows with a level the fit never saw.
void write_new_levels(std::ostream& out, const backtest_result& r) {
  const std::size_t extreme = r.extrapolation.new_level, control = r.control.new_level;
  if (extreme + control == 0) return;
  out << fmt::format(
      "\nNote: {} held-out row{} ({} extreme, {} control) had a factor level that the rows of "
      "its fit never had (region new_level): no prediction, so not counted above.\n",
      extreme + control, extreme + control == 1 ? "" : "s", extreme, control);
}

/// The verdict, with the test behind it.
void write_verdict(std::ostream& out, const backtest_result& r) {
  const backtest_part& e = r.extrapolation;
  const backtest_part& c = r.control;
  switch (r.verdict) {
    case backtest_verdict::no_comparison:
      out << "\nNo comparison: one of the parts has no row with a prediction.\n";
      return;
    case backtest_verdict::too_few:
      out << fmt::format(
          "\nToo few held-out rows to tell: with {} extreme and {} control rows, even every\n"
          "extreme row missed and every control row covered would give p = {:.3g} (one-sided\n"
          "Fisher's exact test), not below {:g}. Hold out more rows (--holdout).\n",
          e.n, c.n, r.least_p_value, backtest_significance);
      return;
    case backtest_verdict::breaks:
    case backtest_verdict::holds:
      break;
  }
  out << fmt::format(
      "\nOutside the data the intervals covered {:.1f}% of the rows, inside {:.1f}%;\n"
      "one-sided Fisher's exact test that the coverage is lower outside: p = {:.3g}.\n",
      100 * e.coverage, 100 * c.coverage, r.p_value);
  out << (r.verdict == backtest_verdict::breaks
              ? "The fitted form does not hold out there, so its intervals understate the "
                "uncertainty.\n"
              : fmt::format("No significant sign (p >= {:g}) that the fitted form breaks down "
                            "just beyond the data.\n",
                            backtest_significance));
}

void write_text(std::ostream& out, const backtest_result& r, const model_spec& spec) {
  const std::string pct = percent_text(r.level) + "%";
  const std::string along = r.along.empty() ? "" : fmt::format(", held out along {}", r.along);
  if (r.formula.empty()) {
    out << fmt::format("Backtest of {} ~ {}{}: {} nominal prediction intervals\n\n", spec.response,
                       fmt::join(spec.predictors, " + "), along, pct);
  } else {
    out << fmt::format("Backtest of {}{}: {} nominal prediction intervals\n\n", r.formula, along,
                       pct);
  }
  out << fmt::format("  {:<34} {:>5} {:>9} {:>12}\n", "held out", "n", "coverage", "mean |err|");
  auto line = [&](const std::string& label, const backtest_part& p) {
    if (p.n == 0) {  // a formula's part whose every row had a new level
      out << fmt::format("  {:<34} {:>5} {:>9} {:>12}\n", label, p.n, "-", "-");
      return;
    }
    out << fmt::format("  {:<34} {:>5} {:>8.1f}% {:>12.4g}\n", label, p.n, 100 * p.coverage, p.mae);
  };
  line("extreme rows (extrapolation)", r.extrapolation);
  line("random rows inside (control)", r.control);
  out << "\n  by distance beyond the inner range (in its spans):\n";
  for (const auto& b : r.bins) {
    line(std::isinf(b.distance_to) ? fmt::format("{:g} and beyond", b.distance_from)
                                   : fmt::format("{:g} to {:g}", b.distance_from, b.distance_to),
         b.part);
  }
  write_new_levels(out, r);
  write_verdict(out, r);
}

}  // namespace

void write_backtest(std::ostream& out, const backtest_result& r, const model_spec& spec,
                    output_format format) {
  switch (format) {
    case output_format::csv:
    case output_format::tsv:
      write_delimited(out, r, delimiter_of(format));
      return;
    case output_format::json:
      write_json(out, r);
      return;
    case output_format::ndjson:
      write_ndjson(out, r);
      return;
    case output_format::text:
      write_text(out, r, spec);
      return;
  }
}

}  // namespace regress
