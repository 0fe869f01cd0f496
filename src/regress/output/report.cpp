#include "regress/output/report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "r_print.hpp"
#include "regress/error.hpp"
#include "regress/model/formula.hpp"

namespace regress {
namespace {

constexpr double machine_eps = 2.220446049250313e-16;  // R's .Machine$double.eps

/// How R's format() prints a vector at `digits` significant digits (its
/// formatReal): each value is rounded to `digits` significant digits and its
/// trailing zeros dropped; the vector shares the decimals (or, in scientific
/// notation, the mantissa digits) of the value needing most; scientific is
/// used when fixed notation would be wider (R's default scipen = 0).
class r_column {
 public:
  r_column(const std::vector<double>& values, int digits) {
    int decimals = 0, mantissa = 0;
    for (double v : values) {
      if (!std::isfinite(v) || v == 0) continue;
      const std::string sci = fmt::format("{:.{}e}", v, digits - 1);  // e.g. -3.878e+00
      const auto e_at = sci.find('e');
      const int e10 = std::stoi(sci.substr(e_at + 1));
      std::string m = sci.substr(0, e_at);
      while (!m.empty() && m.back() == '0') m.pop_back();
      if (!m.empty() && m.back() == '.') m.pop_back();
      int nsig = 0;
      for (char c : m) nsig += (c >= '0' && c <= '9');
      decimals = std::max(decimals, nsig - 1 - e10);
      mantissa = std::max(mantissa, nsig - 1);
    }
    decimals_ = std::min(decimals, 15);
    mantissa_ = mantissa;
    std::size_t fixed_width = 0, sci_width = 0;
    for (double v : values) {
      if (!std::isfinite(v)) continue;
      fixed_width = std::max(fixed_width, fmt::format("{:.{}f}", v, decimals_).size());
      sci_width = std::max(sci_width, fmt::format("{:.{}e}", v, mantissa_).size());
    }
    sci_ = fixed_width > sci_width;
  }
  std::string text(double v) const {
    if (!std::isfinite(v)) return std::isnan(v) ? "NaN" : (v > 0 ? "Inf" : "-Inf");
    return sci_ ? fmt::format("{:.{}e}", v, mantissa_) : fmt::format("{:.{}f}", v, decimals_);
  }

 private:
  int decimals_ = 0, mantissa_ = 0;
  bool sci_ = false;
};

/// R's round(x, digits) (fround, R 4): of the two neighbours at `decimals`
/// decimals, the nearer as doubles, the even one on a tie; x itself when it
/// has no more than 15 significant digits to give there.
double round_to(double x, int decimals) {
  if (!std::isfinite(x) || x == 0) return x;
  if (decimals == 0) return std::nearbyint(x);
  const double sign = x < 0 ? -1 : 1;
  x = std::abs(x);
  if (decimals > 0 && std::log10(x) + decimals > 15) return sign * x;
  const double scale = std::pow(10.0, decimals);
  const double x10 = scale * x, i10 = std::floor(x10);
  const double down = i10 / scale, up = std::ceil(x10) / scale;
  const double du = up - x, dd = x - down;
  return sign * ((du < dd || (du == dd && std::fmod(i10, 2.0) == 1)) ? up : down);
}

/// R's signif(x, digits).
double signif(double v, int digits) {
  if (!std::isfinite(v) || v == 0) return v;
  return std::stod(fmt::format("{:.{}e}", v, digits - 1));
}

/// R's formatC(x, digits = 4) as summary.lm prints R-squared and F: C's
/// "%5.4g" (formatC's width is digits + 1).
std::string format_c(double v) {
  if (!std::isfinite(v))
    return fmt::format("{:>5}", std::isnan(v) ? "NaN" : v > 0 ? "Inf" : "-Inf");
  return fmt::format("{:5.4g}", v);
}

/// R's format.pval(p, digits = 3, eps = machine epsilon) as printCoefmat
/// calls it: p-values from 1e-4 up are formatted together, smaller ones
/// together, and those below eps as "<2e-16" (with a space when the others
/// are wider than 6 characters).
std::vector<std::string> pvalue_column(const std::vector<double>& p, int digits = 3) {
  auto fixed_group = [](double v) { return std::floor(std::log10(v)) >= -4; };
  std::vector<double> fixed, sci;
  for (double v : p) {
    if (std::isnan(v) || v < machine_eps) continue;
    (fixed_group(v) ? fixed : sci).push_back(v);
  }
  const r_column fixed_fmt(fixed, digits), sci_fmt(sci, digits);
  std::size_t widest = 0;
  bool any_shown = false;
  for (double v : p) {
    if (std::isnan(v) || v < machine_eps) continue;
    any_shown = true;
    widest = std::max(widest, (fixed_group(v) ? fixed_fmt.text(v) : sci_fmt.text(v)).size());
  }
  // format.pval's "< eps", eps at digits - 2 (at most what the others' width
  // leaves), spaced unless both are at their narrowest.
  int eps_digits = std::max(1, digits - 2);
  if (any_shown && eps_digits > 1 && eps_digits + 6 > static_cast<int>(widest)) {
    eps_digits = std::max(1, static_cast<int>(widest) - 7);
  }
  const bool tight = eps_digits == 1 && (!any_shown || widest <= 6);
  const std::string tiny =
      std::string(tight ? "<" : "< ") + (eps_digits == 1 ? "2e-16" : "2.2e-16");
  std::vector<std::string> out;
  for (double v : p) {
    if (std::isnan(v)) {
      out.emplace_back("NaN");  // printCoefmat: a NaN cell prints NaN, NA is for aliased rows
    } else if (v < machine_eps) {
      out.push_back(tiny);
    } else {
      out.push_back(fixed_group(v) ? fixed_fmt.text(v) : sci_fmt.text(v));
    }
  }
  return out;
}

/// R's format.pval(p, digits = 4) for the F statistic's p-value.
std::string f_pvalue(double p) {
  if (std::isnan(p)) return "NA";  // format.pval prints a NaN as its na.form
  if (p < machine_eps) return "< 2.2e-16";
  return r_column({p}, 4).text(p);
}

/// symnum's stars for a p-value (intervals closed on the right, as R's).
const char* stars(double p) {
  if (std::isnan(p)) return "";
  if (p <= 0.001) return "***";
  if (p <= 0.01) return "**";
  if (p <= 0.05) return "*";
  if (p <= 0.1) return ".";
  return " ";
}

/// The columns a code point takes on a terminal, as R's print measures it
/// (Ri18n_wcwidth): 0 for combining marks, 2 for East Asian wide and
/// fullwidth characters, 1 otherwise.
std::size_t code_point_width(char32_t c) {
  const auto in = [c](char32_t lo, char32_t hi) { return c >= lo && c <= hi; };
  if (in(0x0300, 0x036F) || in(0x0483, 0x0489) || in(0x0591, 0x05BD) || in(0x0610, 0x061A) ||
      in(0x064B, 0x065F) || in(0x1AB0, 0x1AFF) || in(0x1DC0, 0x1DFF) || in(0x200B, 0x200F) ||
      in(0x20D0, 0x20FF) || in(0xFE00, 0xFE0F) || in(0xFE20, 0xFE2F)) {
    return 0;
  }
  if (in(0x1100, 0x115F) || in(0x2E80, 0x303E) || in(0x3041, 0x33FF) || in(0x3400, 0x4DBF) ||
      in(0x4E00, 0x9FFF) || in(0xA000, 0xA4CF) || in(0xAC00, 0xD7A3) || in(0xF900, 0xFAFF) ||
      in(0xFE30, 0xFE4F) || in(0xFF00, 0xFF60) || in(0xFFE0, 0xFFE6) || in(0x1F300, 0x1F64F) ||
      in(0x1F900, 0x1F9FF) || in(0x20000, 0x2FFFD) || in(0x30000, 0x3FFFD)) {
    return 2;
  }
  return 1;
}

/// Display width of UTF-8 text (an invalid byte counts 1).
std::size_t text_width(std::string_view s) {
  std::size_t width = 0;
  for (std::size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    const std::size_t len = b < 0x80          ? 1
                            : (b >> 5U) == 6  ? 2
                            : (b >> 4U) == 14 ? 3
                            : (b >> 3U) == 30 ? 4
                                              : 0;
    if (len == 0 || i + len > s.size()) {
      ++width;
      ++i;
      continue;
    }
    char32_t c = len == 1 ? b : b & (0x7FU >> len);
    bool valid = true;
    for (std::size_t k = 1; k < len; ++k) {
      const auto t = static_cast<unsigned char>(s[i + k]);
      valid = valid && (t & 0xC0U) == 0x80U;
      c = (c << 6U) | (t & 0x3FU);
    }
    width += valid ? code_point_width(c) : 1;
    i += valid ? len : 1;
  }
  return width;
}

std::string pad_left(const std::string& s, std::size_t width) {
  const std::size_t w = text_width(s);
  return w >= width ? s : std::string(width - w, ' ') + s;
}
std::string pad_right(const std::string& s, std::size_t width) {
  const std::size_t w = text_width(s);
  return w >= width ? s : s + std::string(width - w, ' ');
}

/// A column name as a formula writes it (backquoted unless syntactic).
std::string r_name(const std::string& name) {
  formula_expr column;
  column.name = name;
  return deparse(column);
}

/// The Call block: R's deparse of lm(formula = ...), broken as R breaks it.
std::string call_text(const model& m) {
  std::string text;
  if (m.terms) {
    text = m.terms->call;
  } else {
    std::string rhs;
    if (m.spec.degree > 1) {
      const std::string x = r_name(m.spec.predictors.front());
      rhs = x;
      for (int d = 2; d <= m.spec.degree; ++d) rhs += fmt::format(" + I({}^{})", x, d);
    } else {
      for (const auto& p : m.spec.predictors) rhs += (rhs.empty() ? "" : " + ") + r_name(p);
    }
    if (!m.spec.intercept) rhs += " - 1";
    text = r_name(m.spec.response) + " ~ " + rhs;
  }
  std::string call;
  try {
    call = deparse_lm_call(text);
  } catch (const usage_error&) {
    call = "lm(formula = " + text + ")";  // not reached for a fitted model's formula
  }
  // Names from a header or a model file may hold control characters: escaped
  // as R's deparse escapes them, never sent to the terminal; the line breaks
  // deparse put in stay.
  std::string shown;
  std::size_t start = 0;
  for (std::size_t end = call.find('\n'); end != std::string::npos; end = call.find('\n', start)) {
    shown += text_name(std::string_view(call).substr(start, end - start)) + "\n";
    start = end + 1;
  }
  return shown + text_name(std::string_view(call).substr(start));
}

/// summary.lm's residual block: every residual (5 or fewer residual degrees
/// of freedom) or the five quantiles.
void write_residuals(std::ostream& out, const model& m) {
  const char* title = m.weighted_residuals ? "Weighted Residuals:\n" : "Residuals:\n";
  if (!m.listed_residuals.empty()) {
    // The named vector, at 4 digits (no zapsmall), as print() lays out a
    // named vector: one width for every cell, as many per line as fit in 80
    // columns, each cell right-aligned and followed by a space.
    std::vector<double> values;
    for (const auto& r : m.listed_residuals) values.push_back(r.second);
    const r_column column(values, 4);
    std::vector<std::string> names, cells;
    std::size_t width = 0;
    for (const auto& r : m.listed_residuals) {
      names.push_back(std::to_string(r.first));
      cells.push_back(column.text(r.second));
      width = std::max({width, names.back().size(), cells.back().size()});
    }
    const std::size_t per_line = std::max<std::size_t>(1, 80 / (width + 1));
    out << title;
    for (std::size_t start = 0; start < cells.size(); start += per_line) {
      const std::size_t stop = std::min(cells.size(), start + per_line);
      for (std::size_t i = start; i < stop; ++i) out << pad_left(names[i], width) << ' ';
      out << '\n';
      for (std::size_t i = start; i < stop; ++i) out << pad_left(cells[i], width) << ' ';
      out << '\n';
    }
    out << '\n';
  } else if (m.residual_quantiles) {
    // As summary.lm prints them: zapsmall(quantiles, 5), then 4 digits. R
    // 4.2's zapsmall rounds to round(5 - log10(max |q|)) decimals (round()
    // takes the nearest whole number of digits), at least 0.
    const auto& q = *m.residual_quantiles;
    std::vector<double> values(q.begin(), q.end());
    double biggest = 0;
    for (double v : values) biggest = std::max(biggest, std::abs(v));
    if (biggest > 0) {
      const double digits = std::max(0.0, 5 - std::log10(biggest));
      const int keep = static_cast<int>(std::floor(digits + 0.5));
      for (double& v : values) v = round_to(v, keep) + 0.0;  // + 0.0: no "-0"
    }
    const r_column column(values, 4);
    std::vector<std::string> cells;
    std::size_t width = 6;
    for (double v : values) {
      cells.push_back(column.text(v));
      width = std::max(width, cells.back().size());
    }
    out << title;
    const char* names[] = {"Min", "1Q", "Median", "3Q", "Max"};
    for (std::size_t i = 0; i < 5; ++i) out << pad_left(names[i], width) << ' ';
    out << '\n';
    for (std::size_t i = 0; i < 5; ++i) out << pad_left(cells[i], width) << ' ';
    out << "\n\n";
  } else if (!m.residuals_note.empty()) {
    out << title << "  " << m.residuals_note << "\n\n";
  }
}

/// A character matrix as R's print.default(quote = FALSE, right = TRUE)
/// prints it: row names left-aligned, each column right-aligned to its
/// widest cell or label, one space between; when the rows would pass 80
/// columns, the columns go in blocks that fit, each with the row names.
void write_matrix(std::ostream& out, const std::vector<std::string>& rows,
                  const std::vector<std::string>& labels,
                  const std::vector<std::vector<std::string>>& columns) {
  std::size_t row_w = 0;
  for (const auto& r : rows) row_w = std::max(row_w, text_width(r));
  std::vector<std::size_t> w;
  for (std::size_t j = 0; j < columns.size(); ++j) {
    std::size_t cw = text_width(labels[j]);
    for (const auto& cell : columns[j]) cw = std::max(cw, text_width(cell));
    w.push_back(cw);
  }
  constexpr std::size_t page_width = 80;
  for (std::size_t from = 0; from < columns.size();) {
    std::size_t width = row_w, to = from;
    do {
      width += w[to] + 1;
      ++to;
    } while (to < columns.size() && width + w[to] + 1 < page_width);
    out << std::string(row_w, ' ');
    for (std::size_t j = from; j < to; ++j) out << ' ' << pad_left(labels[j], w[j]);
    out << '\n';
    for (std::size_t i = 0; i < rows.size(); ++i) {
      out << pad_right(rows[i], row_w);
      for (std::size_t j = from; j < to; ++j) out << ' ' << pad_left(columns[j][i], w[j]);
      out << '\n';
    }
    from = to;
  }
}

/// The coefficients as printCoefmat (digits 4): estimates and standard
/// errors rounded together to max(1, 3 - floor(log10(smallest nonzero
/// |value|))) decimals, then formatted together at 4 digits; t values rounded
/// to 3 decimals, then 4 digits; p-values by format.pval at 3 digits; the
/// stars only when some p-value is below 0.1, as wide as the widest.
void write_coefficients(std::ostream& out, const summary& s) {
  std::vector<double> est_se, tvals, pvals;
  double smallest = 0;
  bool any_stars = false;
  for (const auto& t : s.terms) {
    if (t.aliased) continue;
    for (double v : {t.estimate, t.std_error}) {
      if (std::isfinite(v) && v != 0 && (smallest == 0 || std::abs(v) < smallest)) {
        smallest = std::abs(v);
      }
    }
    any_stars = any_stars || t.p_value < 0.1;
  }
  const int decimals =
      std::max(1, 3 - (smallest > 0 ? static_cast<int>(std::floor(std::log10(smallest))) : 0));
  for (const auto& t : s.terms) {
    est_se.push_back(round_to(t.estimate, decimals));
    est_se.push_back(round_to(t.std_error, decimals));
    tvals.push_back(round_to(t.statistic, 3));
    pvals.push_back(t.p_value);
  }
  const r_column est_fmt(est_se, 4), t_fmt(tvals, 4);
  const std::vector<std::string> ptext = pvalue_column(pvals);
  std::vector<std::string> rows;
  std::vector<std::vector<std::string>> columns(any_stars ? 5 : 4);
  std::size_t star_w = 0;
  for (const auto& t : s.terms)
    star_w = std::max<std::size_t>(star_w, std::strlen(stars(t.p_value)));
  for (std::size_t i = 0; i < s.terms.size(); ++i) {
    const auto& t = s.terms[i];
    rows.push_back(text_name(t.term));
    const bool na = t.aliased;
    columns[0].push_back(na ? "NA" : est_fmt.text(est_se[2 * i]));
    columns[1].push_back(na ? "NA" : est_fmt.text(est_se[2 * i + 1]));
    columns[2].push_back(na ? "NA" : t_fmt.text(tvals[i]));
    columns[3].push_back(na ? "NA" : ptext[i]);
    if (any_stars) columns[4].push_back(pad_right(na ? "" : stars(t.p_value), star_w));
  }
  std::vector<std::string> labels = {"Estimate", "Std. Error", "t value", "Pr(>|t|)"};
  if (any_stars) labels.emplace_back("");
  write_matrix(out, rows, labels, columns);
  if (any_stars) out << "---\nSignif. codes:  0 '***' 0.001 '**' 0.01 '*' 0.05 '.' 0.1 ' ' 1\n";
}

/// print.summary.lm's closing lines, and regress's log-likelihood line.
void write_fit_lines(std::ostream& out, const model& m, const summary& s) {
  const auto& st = s.stats;
  const double sigma = signif(st.sigma, 4);
  out << fmt::format("Residual standard error: {} on {} degrees of freedom\n",
                     r_column({sigma}, 7).text(sigma), st.df_residual);
  if (m.rows_dropped > 0) {
    out << fmt::format("  ({} observation{} deleted due to missingness)\n", m.rows_dropped,
                       m.rows_dropped == 1 ? "" : "s");
  }
  // R prints R-squared and F only when there is an F statistic (not for y ~ 1).
  if (!std::isnan(st.f_df1)) {
    out << "Multiple R-squared:  " << format_c(st.r_squared)
        << ",\tAdjusted R-squared:  " << format_c(st.adj_r_squared) << " \n";
    out << fmt::format("{}F-statistic: {} on {} and {} DF,  p-value: {}\n",
                       st.vcov == "const" ? "" : "Wald ", format_c(st.f_statistic), st.f_df1,
                       st.df_residual, f_pvalue(st.f_p_value));
  }
  // As print(logLik(m)), AIC(m) and BIC(m) print them: format() at R's
  // default 7 significant digits, whole numbers in full.
  const auto r7 = [](double v) { return r_column({v}, 7).text(v); };
  out << fmt::format("Log-likelihood: {},  AIC: {},  BIC: {},  n = {}\n\n", r7(st.log_lik),
                     r7(st.aic), r7(st.bic), st.nobs);
}

/// Which covariance the standard errors, t tests, intervals and F use,
/// when it is not summary.lm's.
void write_vcov_line(std::ostream& out, const model_stats& st) {
  if (st.vcov == "const") return;
  if (st.vcov == "CL") {
    out << "Standard errors: clustered by " << text_name(st.cluster)
        << " (sandwich::vcovCL, type HC1); F is the Wald test with them\n";
    return;
  }
  out << "Standard errors: robust " << st.vcov
      << " (sandwich::vcovHC); F is the Wald test with them\n";
}

}  // namespace

namespace detail {
std::vector<std::string> r_format(const std::vector<double>& values, int digits) {
  const r_column column(values, digits);
  std::vector<std::string> out;
  for (double v : values) out.push_back(column.text(v));
  return out;
}
double r_round(double x, int decimals) { return round_to(x, decimals); }
std::vector<std::string> r_pvalues(const std::vector<double>& p, int digits) {
  return pvalue_column(p, digits);
}
const char* r_stars(double p) { return stars(p); }
void r_write_matrix(std::ostream& out, const std::vector<std::string>& rows,
                    const std::vector<std::string>& labels,
                    const std::vector<std::vector<std::string>>& columns) {
  write_matrix(out, rows, labels, columns);
}
}  // namespace detail

void write_summary_text(std::ostream& out, const model& m, const summary& s) {
  out << "Call:\n" << call_text(m) << "\n\n";
  write_residuals(out, m);
  std::size_t aliased = 0;
  for (const auto& t : s.terms) aliased += t.aliased ? 1 : 0;
  out << "Coefficients:"
      << (aliased > 0 ? fmt::format(" ({} not defined because of singularities)", aliased) : "")
      << "\n";
  write_coefficients(out, s);
  write_vcov_line(out, s.stats);
  out << '\n';
  write_fit_lines(out, m, s);
  out << "Training range (predictions outside it are extrapolations):\n";
  if (m.ranges.empty())
    out << "  no numeric column (a factor level never seen is an extrapolation)\n";
  std::size_t w = 0;
  for (const auto& r : m.ranges) w = std::max(w, text_width(text_name(r.name)));
  for (const auto& r : m.ranges) {
    out << fmt::format("  {}  min {:.6g}  max {:.6g}  mean {:.6g}\n",
                       pad_right(text_name(r.name), w), r.min, r.max, r.mean);
  }
}

void write_summary_table(std::ostream& out, const summary& s, char delimiter) {
  const char d = delimiter;
  out << "term" << d << "estimate" << d << "std_error" << d << "statistic" << d << "p_value" << d
      << "conf_low" << d << "conf_high";
  // A robust covariance adds a column naming it (HC3, CL), so that the
  // table alone says where its standard errors come from.
  const bool robust = s.stats.vcov != "const";
  out << (robust ? std::string(1, d) + "vcov\n" : "\n");
  for (const auto& t : s.terms) {
    out << table_field(t.term, d) << d << number_text(t.estimate) << d << number_text(t.std_error)
        << d << number_text(t.statistic) << d << number_text(t.p_value) << d
        << number_text(t.conf_low) << d << number_text(t.conf_high);
    out << (robust ? d + table_field(s.stats.vcov, d) + "\n" : "\n");
  }
}

void write_summary_json(std::ostream& out, const model& m, const summary& s) {
  out << "{\n  \"terms\": [\n";
  for (std::size_t i = 0; i < s.terms.size(); ++i) {
    const auto& t = s.terms[i];
    out << fmt::format(
        "    {{\"term\": {}, \"estimate\": {}, \"std_error\": {}, \"statistic\": {}, "
        "\"p_value\": {}, \"conf_low\": {}, \"conf_high\": {}}}{}\n",
        json_quote(t.term), json_number(t.estimate), json_number(t.std_error),
        json_number(t.statistic), json_number(t.p_value), json_number(t.conf_low),
        json_number(t.conf_high), i + 1 < s.terms.size() ? "," : "");
  }
  const auto& st = s.stats;
  out << "  ],\n";
  out << fmt::format(
      "  \"r_squared\": {},\n  \"adj_r_squared\": {},\n  \"sigma\": {},\n  \"df_residual\": {},\n"
      "  \"nobs\": {},\n  \"f_statistic\": {},\n  \"f_p_value\": {},\n  \"log_lik\": {},\n"
      "  \"aic\": {},\n  \"bic\": {},\n  \"level\": {},\n",
      json_number(st.r_squared), json_number(st.adj_r_squared), json_number(st.sigma),
      json_number(st.df_residual), json_number(st.nobs), json_number(st.f_statistic),
      json_number(st.f_p_value), json_number(st.log_lik), json_number(st.aic), json_number(st.bic),
      json_number(st.level));
  if (st.vcov != "const") {
    out << fmt::format("  \"vcov\": {},\n", json_quote(st.vcov));
    if (!st.cluster.empty()) out << fmt::format("  \"cluster\": {},\n", json_quote(st.cluster));
  }
  out << "  \"predictors\": [\n";
  for (std::size_t i = 0; i < m.ranges.size(); ++i) {
    const auto& r = m.ranges[i];
    out << fmt::format("    {{\"name\": {}, \"min\": {}, \"max\": {}, \"mean\": {}}}{}\n",
                       json_quote(r.name), json_number(r.min), json_number(r.max),
                       json_number(r.mean), i + 1 < m.ranges.size() ? "," : "");
  }
  out << "  ]\n}\n";
}

namespace {

/// A JSON object per term, a line each: the "terms" of write_summary_json.
void write_summary_ndjson(std::ostream& out, const summary& s) {
  for (const auto& t : s.terms) {
    out << fmt::format(
        "{{\"term\": {}, \"estimate\": {}, \"std_error\": {}, \"statistic\": {}, "
        "\"p_value\": {}, \"conf_low\": {}, \"conf_high\": {}}}\n",
        json_quote(t.term), json_number(t.estimate), json_number(t.std_error),
        json_number(t.statistic), json_number(t.p_value), json_number(t.conf_low),
        json_number(t.conf_high));
  }
}

}  // namespace

void write_summary(std::ostream& out, const model& m, const summary& s, output_format format) {
  switch (format) {
    case output_format::text:
      write_summary_text(out, m, s);
      return;
    case output_format::csv:
    case output_format::tsv:
      write_summary_table(out, s, delimiter_of(format));
      return;
    case output_format::json:
      write_summary_json(out, m, s);
      return;
    case output_format::ndjson:
      write_summary_ndjson(out, s);
      return;
  }
}

}  // namespace regress
