// The backtest of several interval methods side by side (backtest --method).

#include <fmt/format.h>

#include <cmath>
#include <limits>
#include <string>

#include "regress/output/backtest_table.hpp"
#include "regress/output/format.hpp"

namespace regress {
namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

void append_json_part(std::string& out, const backtest_part& p, bool formula) {
  out += "\"n\": ";
  append_json_number(out, static_cast<double>(p.n));
  out += ", \"coverage\": ";
  append_json_number(out, p.coverage);
  out += ", \"mae\": ";
  append_json_number(out, p.mae);
  out += ", \"mean_width\": ";
  append_json_number(out, p.mean_width);
  if (formula) {
    out += ", \"new_level\": ";
    append_json_number(out, static_cast<double>(p.new_level));
  }
}

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

void write_json(std::ostream& out, const std::vector<method_backtest>& rs) {
  std::string text = "{\n  \"level\": ";
  append_json_number(text, rs.front().result.level);
  if (!rs.front().result.along.empty()) {
    text += ",\n  \"along\": " + json_quote(rs.front().result.along);
  }
  text += ",\n  \"methods\": [";
  for (std::size_t m = 0; m < rs.size(); ++m) {
    const backtest_result& r = rs[m].result;
    const bool formula = !r.formula.empty();
    text += m ? ",\n    {\"method\": " : "\n    {\"method\": ";
    text += json_quote(rs[m].method) + ",\n     \"extrapolation\": {";
    append_json_part(text, r.extrapolation, formula);
    text += "},\n     \"control\": {";
    append_json_part(text, r.control, formula);
    text += "},\n     \"bins\": [";
    for (std::size_t i = 0; i < r.bins.size(); ++i) {
      text += i ? ", {\"distance_from\": " : "{\"distance_from\": ";
      append_json_number(text, r.bins[i].distance_from);
      text += ", \"distance_to\": ";
      append_json_number(text, r.bins[i].distance_to);
      text += ", ";
      append_json_part(text, r.bins[i].part, formula);
      text += '}';
    }
    text += "],\n     \"mean_width\": ";
    append_json_number(text, r.extrapolation.mean_width);
    text += ", \"p_value\": ";
    append_json_number(text, r.p_value);
    text += ", \"verdict\": " + json_quote(verdict_name(r.verdict)) + "}";
  }
  text += "\n  ]\n}\n";
  out << text;
}

void write_rows(std::ostream& out, const std::vector<method_backtest>& rs, output_format format) {
  const char d = format == output_format::ndjson ? ',' : delimiter_of(format);
  const bool ndjson = format == output_format::ndjson;
  std::string text;
  const char* names[] = {"method",   "part", "distance_from", "distance_to", "n",
                         "coverage", "mae",  "level",         "p_value",     "mean_width"};
  if (!ndjson) {
    for (std::size_t i = 0; i < 10; ++i) text += std::string(i ? 1 : 0, d) + names[i];
    text += '\n';
  }
  for (const auto& mr : rs) {
    const backtest_result& r = mr.result;
    auto row = [&](const char* part, double from, double to, const backtest_part& p, double pv) {
      const double values[] = {
          from, to, static_cast<double>(p.n), p.coverage, p.mae, r.level, pv, p.mean_width};
      if (ndjson) {
        text += "{\"method\": " + json_quote(mr.method) + ", \"part\": " + json_quote(part);
        for (std::size_t i = 0; i < 8; ++i) {
          text += std::string(", ") + json_quote(names[i + 2]) + ": ";
          append_json_number(text, values[i]);
        }
        text += "}\n";
        return;
      }
      text += table_field(mr.method, d) + d + part;
      for (double v : values) {
        text += d;
        append_number(text, v);
      }
      text += '\n';
    };
    row("extrapolation", nan, nan, r.extrapolation, r.p_value);
    row("control", nan, nan, r.control, r.p_value);
    for (const auto& b : r.bins) row("bin", b.distance_from, b.distance_to, b.part, nan);
  }
  out << text;
}

void write_text(std::ostream& out, const std::vector<method_backtest>& rs,
                const std::string& title) {
  const double level = rs.front().result.level;
  out << fmt::format("Backtest of {}: {}% nominal prediction intervals, by method\n\n", title,
                     percent_text(level));
  out << fmt::format("  {:<10} {:<30} {:>5} {:>9} {:>12} {:>12}\n", "method", "held out", "n",
                     "coverage", "mean |err|", "mean width");
  for (const auto& mr : rs) {
    auto line = [&](const std::string& label, const backtest_part& p) {
      if (p.n == 0) {
        out << fmt::format("  {:<10} {:<30} {:>5} {:>9} {:>12} {:>12}\n", mr.method, label, p.n,
                           "-", "-", "-");
        return;
      }
      out << fmt::format("  {:<10} {:<30} {:>5} {:>8.1f}% {:>12.4g} {:>12.4g}\n", mr.method, label,
                         p.n, 100 * p.coverage, p.mae, p.mean_width);
    };
    line("extreme rows (extrapolation)", mr.result.extrapolation);
    line("random rows inside (control)", mr.result.control);
    for (const auto& b : mr.result.bins) {
      line(std::isinf(b.distance_to)
               ? fmt::format("  {:g} spans and beyond", b.distance_from)
               : fmt::format("  {:g} to {:g} spans", b.distance_from, b.distance_to),
           b.part);
    }
    out << '\n';
  }
  std::size_t best = 0;
  for (std::size_t m = 1; m < rs.size(); ++m) {
    const double gap = std::abs(rs[m].result.extrapolation.coverage - level);
    if (gap < std::abs(rs[best].result.extrapolation.coverage - level)) best = m;
  }
  const backtest_part& b = rs[best].result.extrapolation;
  const backtest_part& first = rs.front().result.extrapolation;
  if (!(b.n > 0)) return;
  out << fmt::format("Outside the data {} came closest to the nominal {}%: it covered {:.1f}%",
                     rs[best].method, percent_text(level), 100 * b.coverage);
  if (best != 0) {
    out << fmt::format(" ({} {:.1f}%), with intervals {:.2f} times as wide on average",
                       rs.front().method, 100 * first.coverage, b.mean_width / first.mean_width);
  }
  out << ".\n";
}

}  // namespace

void write_backtest_methods(std::ostream& out, const std::vector<method_backtest>& r,
                            const std::string& title, output_format format) {
  switch (format) {
    case output_format::json:
      write_json(out, r);
      return;
    case output_format::text:
      write_text(out, r, title);
      return;
    case output_format::csv:
    case output_format::tsv:
    case output_format::ndjson:
      write_rows(out, r, format);
      return;
  }
}

}  // namespace regress
