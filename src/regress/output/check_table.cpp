#include "regress/output/check_table.hpp"

#include <fmt/format.h>

#include <cmath>
#include <string>
#include <vector>

namespace regress {
namespace {

std::string row_name(std::size_t row) { return "row " + number_text(static_cast<double>(row)); }

/// A number for people: four significant digits (as R prints test
/// statistics), "NA" for NaN.
std::string rounded(double v) {
  if (std::isnan(v)) return "NA";
  return fmt::format("{:.4g}", v);
}

std::string p_text(double p) {
  if (std::isnan(p)) return "";
  return p < 2.2e-16 ? "< 2.2e-16" : rounded(p);
}

}  // namespace

std::string check_df_text(const check_test& t) {
  std::string s;
  for (std::size_t i = 0; i < t.df.size(); ++i) {
    if (i > 0) s += ", ";
    s += number_text(t.df[i]);
  }
  return s;
}

std::string check_verdict(const check_test& t, const check_report& r) {
  if (t.test == "reset") {
    if (std::isnan(t.p_value)) return "not computed: the powers of the fitted values add no column";
    return t.rejects ? "the fitted form is doubtful (powers of the fitted values explain more): "
                       "extrapolations from it are the least reliable"
                     : "no sign at 5% of a curve the form misses";
  }
  if (t.test == "breusch_pagan") {
    return t.rejects ? "the variance is not constant: prediction intervals are too narrow where "
                       "it is larger and too wide where it is smaller"
                     : "no sign at 5% of unequal variance";
  }
  if (t.test == "shapiro_wilk") {
    if (t.skipped) {
      return "skipped: Shapiro-Wilk takes 3 to 5000 rows, here " +
             number_text(static_cast<double>(r.all_rows));
    }
    return t.rejects ? "the errors are not normal: prediction intervals may miss in the tails"
                     : "no sign at 5% of non-normal errors";
  }
  if (t.test == "durbin_watson") {
    if (!t.rejects) return "no sign of serial correlation in file order (near 2)";
    return std::string("neighbouring rows in file order have ") +
           (t.statistic < 2 ? "positively" : "negatively") +
           " correlated residuals: standard errors and intervals assume they do not";
  }
  if (t.test == "outlier") {
    return row_name(t.row) + (t.rejects ? " is an outlier (Bonferroni p < 0.05): check it"
                                        : " has the largest |rstudent|, not an outlier at 5%");
  }
  const double cut = 4 / static_cast<double>(r.rows);
  std::string s = row_name(t.row) + " has the largest Cook's distance; " +
                  number_text(static_cast<double>(t.count)) + " row" + (t.count == 1 ? "" : "s") +
                  " above 4/n = " + rounded(cut);
  if (t.rejects) s += "; it moves the fit: see the fit without it";
  return s;
}

void write_check(std::ostream& out, const check_report& r, output_format format) {
  if (format == output_format::text) {
    out << fmt::format("{:<15} {:>10} {:>9} {:>10}  {}\n", "test", "statistic", "df", "p-value",
                       "verdict");
    for (const auto& t : r.tests) {
      out << fmt::format("{:<15} {:>10} {:>9} {:>10}  {}\n", t.test,
                         t.skipped ? "" : rounded(t.statistic), check_df_text(t), p_text(t.p_value),
                         check_verdict(t, r));
    }
    return;
  }
  if (format == output_format::json || format == output_format::ndjson) {
    const bool nd = format == output_format::ndjson;  // an object a line
    if (!nd) out << '[';
    for (std::size_t i = 0; i < r.tests.size(); ++i) {
      const check_test& t = r.tests[i];
      std::string line = nd ? "{\"test\": " : i == 0 ? "\n  {\"test\": " : ",\n  {\"test\": ";
      line += json_quote(t.test) + ", \"statistic\": ";
      append_json_number(line, t.statistic);
      line += ", \"df\": ";
      line += t.df.empty() ? "null" : json_quote(check_df_text(t));
      line += ", \"p_value\": ";
      append_json_number(line, t.p_value);
      line += ", \"verdict\": " + json_quote(check_verdict(t, r)) + (nd ? "}\n" : "}");
      out << line;
    }
    if (!nd) out << "\n]\n";
    return;
  }
  const char d = delimiter_of(format);
  out << "test" << d << "statistic" << d << "df" << d << "p_value" << d << "verdict\n";
  for (const auto& t : r.tests) {
    std::string line = table_field(t.test, d);
    line += d;
    append_number(line, t.statistic);
    line += d;
    line += t.df.empty() ? "NA" : table_field(check_df_text(t), d);
    line += d;
    append_number(line, t.p_value);
    line += d;
    line += table_field(check_verdict(t, r), d);
    out << line << '\n';
  }
}

}  // namespace regress
