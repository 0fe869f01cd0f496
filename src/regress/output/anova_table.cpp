#include "regress/output/anova_table.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "r_print.hpp"

namespace regress {
namespace {

/// print.anova's digits (getOption("digits") - 2) and printCoefmat's
/// dig.tst for the test statistic and the p-values.
constexpr int digits = 5;
constexpr int test_digits = 4;

/// zapsmall(x, digits): rounded to digits - log10(max |x|) decimals (R's
/// round() takes the nearest whole number of them).
std::vector<double> zapsmall(std::vector<double> x) {
  double mx = 0;
  for (double v : x) {
    if (std::isfinite(v)) mx = std::max(mx, std::abs(v));
  }
  const int decimals =
      mx > 0 ? std::max(0, static_cast<int>(std::floor(digits - std::log10(mx) + 0.5))) : digits;
  for (double& v : x) v = detail::r_round(v, decimals);
  return x;
}

/// A column as print.anova shows it: `zap` columns zapsmall'ed, the test
/// statistic rounded to 4 decimals, all then formatted together at 5
/// digits; NA (NaN here) printed as nothing.
std::vector<std::string> r_cells(std::vector<double> x, bool zap, bool test) {
  if (zap) x = zapsmall(x);
  if (test) {
    for (double& v : x) v = detail::r_round(v, test_digits);
  }
  std::vector<double> shown;
  for (double v : x) {
    if (!std::isnan(v)) shown.push_back(v);
  }
  const std::vector<std::string> text = detail::r_format(shown, digits);
  std::vector<std::string> out;
  std::size_t i = 0;
  for (double v : x) out.push_back(std::isnan(v) ? "" : text[i++]);
  return out;
}

/// The p-values (format.pval at 4 digits) and, when one is below 0.1, the
/// stars column; then the matrix and the legend.
void write_table(std::ostream& out, const std::vector<std::string>& rows,
                 std::vector<std::string> labels, std::vector<std::vector<std::string>> columns,
                 const std::vector<double>& p) {
  std::vector<double> shown;
  bool any_stars = false;
  for (double v : p) {
    if (std::isnan(v)) continue;
    shown.push_back(v);
    any_stars = any_stars || v < 0.1;
  }
  const std::vector<std::string> text = detail::r_pvalues(shown, test_digits);
  std::vector<std::string> pcol, scol;
  std::size_t i = 0, star_width = 0;
  for (double v : p) {
    pcol.push_back(std::isnan(v) ? "" : text[i++]);
    scol.emplace_back(detail::r_stars(v));
    star_width = std::max(star_width, scol.back().size());
  }
  // format(Signif): left aligned, as wide as the widest.
  for (auto& star : scol) star.resize(star_width, ' ');
  columns.push_back(pcol);
  if (any_stars) {
    columns.push_back(scol);
    labels.emplace_back("");
  }
  detail::r_write_matrix(out, rows, labels, columns);
  if (any_stars) out << "---\nSignif. codes:  0 '***' 0.001 '**' 0.01 '*' 0.05 '.' 0.1 ' ' 1\n";
}

void anova_text(std::ostream& out, const anova_table& t) {
  out << "Analysis of Variance Table\n\nResponse: " << text_name(t.response) << '\n';
  std::vector<std::string> rows;
  std::vector<double> df, ss, ms, f, p;
  for (const auto& r : t.rows) {
    rows.push_back(text_name(r.term));
    df.push_back(r.df);
    ss.push_back(r.sum_sq);
    ms.push_back(r.mean_sq);
    f.push_back(r.statistic);
    p.push_back(r.p_value);
  }
  write_table(out, rows, {"Df", "Sum Sq", "Mean Sq", "F value", "Pr(>F)"},
              {r_cells(df, false, false), r_cells(ss, true, false), r_cells(ms, true, false),
               r_cells(f, false, true)},
              p);
}

void models_text(std::ostream& out, const std::vector<anova_model>& models) {
  out << "Analysis of Variance Table\n\n";
  const std::size_t w = std::to_string(models.size()).size();
  std::vector<std::string> rows;
  std::vector<double> res_df, rss, df, ss, f, p;
  for (std::size_t i = 0; i < models.size(); ++i) {
    const auto& m = models[i];
    out << fmt::format("Model {:>{}}: {}\n", i + 1, w, text_name(m.formula));
    rows.push_back(std::to_string(i + 1));
    res_df.push_back(m.res_df);
    rss.push_back(m.rss);
    df.push_back(m.df);
    ss.push_back(m.sum_sq);
    f.push_back(m.statistic);
    p.push_back(m.p_value);
  }
  write_table(out, rows, {"Res.Df", "RSS", "Df", "Sum of Sq", "F", "Pr(>F)"},
              {r_cells(res_df, false, false), r_cells(rss, true, false), r_cells(df, false, false),
               r_cells(ss, true, false), r_cells(f, false, true)},
              p);
}

}  // namespace

void write_anova(std::ostream& out, const anova_table& table, output_format format) {
  if (format == output_format::text) {
    anova_text(out, table);
    return;
  }
  if (format == output_format::json) {
    out << "{\n  \"response\": " << json_quote(table.response) << ",\n  \"rows\": [\n";
    for (std::size_t i = 0; i < table.rows.size(); ++i) {
      const auto& r = table.rows[i];
      out << fmt::format(
          "    {{\"term\": {}, \"df\": {}, \"sum_sq\": {}, \"mean_sq\": {}, \"statistic\": {}, "
          "\"p_value\": {}}}{}\n",
          json_quote(r.term), json_number(r.df), json_number(r.sum_sq), json_number(r.mean_sq),
          json_number(r.statistic), json_number(r.p_value), i + 1 < table.rows.size() ? "," : "");
    }
    out << "  ]\n}\n";
    return;
  }
  const char d = delimiter_of(format);
  out << "term" << d << "df" << d << "sum_sq" << d << "mean_sq" << d << "statistic" << d
      << "p_value\n";
  for (const auto& r : table.rows) {
    out << table_field(r.term, d) << d << number_text(r.df) << d << number_text(r.sum_sq) << d
        << number_text(r.mean_sq) << d << number_text(r.statistic) << d << number_text(r.p_value)
        << '\n';
  }
}

void write_anova_models(std::ostream& out, const std::vector<anova_model>& models,
                        output_format format) {
  if (format == output_format::text) {
    models_text(out, models);
    return;
  }
  if (format == output_format::json) {
    out << "{\n  \"models\": [\n";
    for (std::size_t i = 0; i < models.size(); ++i) {
      const auto& m = models[i];
      out << fmt::format(
          "    {{\"model\": {}, \"formula\": {}, \"res_df\": {}, \"rss\": {}, \"df\": {}, "
          "\"sum_sq\": {}, \"statistic\": {}, \"p_value\": {}}}{}\n",
          json_number(static_cast<double>(i + 1)), json_quote(m.formula), json_number(m.res_df),
          json_number(m.rss), json_number(m.df), json_number(m.sum_sq), json_number(m.statistic),
          json_number(m.p_value), i + 1 < models.size() ? "," : "");
    }
    out << "  ]\n}\n";
    return;
  }
  const char d = delimiter_of(format);
  out << "model" << d << "formula" << d << "res_df" << d << "rss" << d << "df" << d << "sum_sq" << d
      << "statistic" << d << "p_value\n";
  for (std::size_t i = 0; i < models.size(); ++i) {
    const auto& m = models[i];
    out << number_text(static_cast<double>(i + 1)) << d << table_field(m.formula, d) << d
        << number_text(m.res_df) << d << number_text(m.rss) << d << number_text(m.df) << d
        << number_text(m.sum_sq) << d << number_text(m.statistic) << d << number_text(m.p_value)
        << '\n';
  }
}

}  // namespace regress
