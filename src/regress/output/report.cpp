#include "regress/output/report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <nlohmann/json.hpp>
#include <string>

namespace regress {
namespace {

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

/// R's round(x, digits) for printing (half away from zero is close enough).
double round_to(double v, int decimals) {
  if (!std::isfinite(v)) return v;
  const double scale = std::pow(10.0, decimals);
  return std::round(v * scale) / scale;
}

/// R's format.pval(p, digits = 3, eps = machine epsilon) as printCoefmat
/// calls it: p-values from 1e-4 up are formatted together, smaller ones
/// together, and those below eps as "<2e-16" (with a space when the others
/// are wider than 6 characters).
std::vector<std::string> pvalue_column(const std::vector<double>& p) {
  constexpr double eps = 2.220446049250313e-16;
  auto fixed_group = [](double v) { return std::floor(std::log10(v)) >= -4; };
  std::vector<double> fixed, sci;
  for (double v : p) {
    if (std::isnan(v) || v < eps) continue;
    (fixed_group(v) ? fixed : sci).push_back(v);
  }
  const r_column fixed_fmt(fixed, 3), sci_fmt(sci, 3);
  std::size_t widest = 0;
  bool any_shown = false;
  for (double v : p) {
    if (std::isnan(v) || v < eps) continue;
    any_shown = true;
    widest = std::max(widest, (fixed_group(v) ? fixed_fmt.text(v) : sci_fmt.text(v)).size());
  }
  const std::string tiny = any_shown && widest > 6 ? "< 2e-16" : "<2e-16";
  std::vector<std::string> out;
  for (double v : p) {
    if (std::isnan(v)) {
      out.emplace_back("NA");
    } else if (v < eps) {
      out.push_back(tiny);
    } else {
      out.push_back(fixed_group(v) ? fixed_fmt.text(v) : sci_fmt.text(v));
    }
  }
  return out;
}

const char* stars(double p) {
  if (std::isnan(p)) return "";
  if (p < 0.001) return "***";
  if (p < 0.01) return "**";
  if (p < 0.05) return "*";
  if (p < 0.1) return ".";
  return "";
}

std::string pad_left(const std::string& s, std::size_t width) {
  return s.size() >= width ? s : std::string(width - s.size(), ' ') + s;
}
std::string pad_right(const std::string& s, std::size_t width) {
  return s.size() >= width ? s : s + std::string(width - s.size(), ' ');
}

/// A name as R writes it in a formula: backquoted unless syntactic.
std::string r_name(const std::string& name) {
  bool plain =
      !name.empty() && (std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '.');
  for (char c : name) {
    plain = plain && (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_');
  }
  return plain ? name : "`" + name + "`";
}

/// The model as R's lm formula (as R's Call line shows it).
std::string formula(const model& m) {
  if (m.terms) return m.terms->call;
  std::string rhs;
  if (m.spec.degree > 1) {
    const std::string x = r_name(m.spec.predictors.front());
    rhs = x;
    for (int d = 2; d <= m.spec.degree; ++d) rhs += fmt::format(" + I({}^{})", x, d);
  } else {
    for (const auto& p : m.spec.predictors) rhs += (rhs.empty() ? "" : " + ") + r_name(p);
  }
  if (!m.spec.intercept) rhs += " - 1";
  return r_name(m.spec.response) + " ~ " + rhs;
}

}  // namespace

void write_summary_text(std::ostream& out, const model& m, const summary& s) {
  out << "Call:\nlm(formula = " << formula(m) << ")\n\n";
  if (!m.listed_residuals.empty()) {
    // As summary.lm prints them for 5 or fewer residual degrees of freedom:
    // the named vector, at 4 digits (no zapsmall), as print() lays out a
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
    out << (m.fit.weighted ? "Weighted Residuals:\n" : "Residuals:\n");
    for (std::size_t start = 0; start < cells.size(); start += per_line) {
      const std::size_t stop = std::min(cells.size(), start + per_line);
      for (std::size_t i = start; i < stop; ++i) out << pad_left(names[i], width) << ' ';
      out << '\n';
      for (std::size_t i = start; i < stop; ++i) out << pad_left(cells[i], width) << ' ';
      out << '\n';
    }
    out << '\n';
  } else if (m.residual_quantiles) {
    const auto& q = *m.residual_quantiles;
    // As summary.lm prints them: zapsmall(quantiles, 5), then 4 digits.
    std::vector<double> values(q.begin(), q.end());
    double biggest = 0;
    for (double v : values) biggest = std::max(biggest, std::abs(v));
    if (biggest > 0) {
      const int keep = std::max(0, 5 - static_cast<int>(std::ceil(std::log10(biggest))));
      for (double& v : values) v = round_to(v, keep) + 0.0;  // + 0.0: no "-0"
    }
    const r_column column(values, 4);
    std::vector<std::string> cells;
    std::size_t width = 6;
    for (double v : values) {
      cells.push_back(column.text(v));
      width = std::max(width, cells.back().size());
    }
    out << (m.fit.weighted ? "Weighted Residuals:\n" : "Residuals:\n");
    const char* names[] = {"Min", "1Q", "Median", "3Q", "Max"};
    for (std::size_t i = 0; i < 5; ++i) out << pad_left(names[i], width) << ' ';
    out << '\n';
    for (std::size_t i = 0; i < 5; ++i) out << pad_left(cells[i], width) << ' ';
    out << "\n\n";
  }

  // Coefficients as printCoefmat: estimate and standard error formatted
  // together at 4 digits, t values rounded to 3 decimals then 4 digits,
  // p-values by format.pval at 3 digits.
  std::vector<double> est_se, tvals, pvals;
  for (const auto& t : s.terms) {
    est_se.push_back(t.estimate);
    est_se.push_back(t.std_error);
    tvals.push_back(round_to(t.statistic, 3));
    pvals.push_back(t.p_value);
  }
  const r_column est_fmt(est_se, 4), t_fmt(tvals, 4);
  const std::vector<std::string> ptext = pvalue_column(pvals);
  std::size_t name_w = 0, est_w = 8, se_w = 10, t_w = 7, p_w = 8;
  struct cells {
    std::string est, se, t, p, star;
  };
  std::vector<cells> rows;
  for (std::size_t i = 0; i < s.terms.size(); ++i) {
    const auto& t = s.terms[i];
    name_w = std::max(name_w, t.term.size());
    cells c{est_fmt.text(t.estimate), est_fmt.text(t.std_error), t_fmt.text(tvals[i]), ptext[i],
            stars(t.p_value)};
    if (t.aliased) c = cells{"NA", "NA", "NA", "NA", ""};
    est_w = std::max(est_w, c.est.size());
    se_w = std::max(se_w, c.se.size());
    t_w = std::max(t_w, c.t.size());
    p_w = std::max(p_w, c.p.size());
    rows.push_back(c);
  }
  std::size_t aliased = 0;
  for (const auto& t : s.terms) aliased += t.aliased ? 1 : 0;
  out << "Coefficients:"
      << (aliased > 0 ? fmt::format(" ({} not defined because of singularities)", aliased) : "")
      << "\n"
      << pad_right("", name_w) << ' ' << pad_left("Estimate", est_w) << ' '
      << pad_left("Std. Error", se_w) << ' ' << pad_left("t value", t_w) << ' '
      << pad_left("Pr(>|t|)", p_w) << "    \n";
  for (std::size_t i = 0; i < rows.size(); ++i) {
    out << pad_right(s.terms[i].term, name_w) << ' ' << pad_left(rows[i].est, est_w) << ' '
        << pad_left(rows[i].se, se_w) << ' ' << pad_left(rows[i].t, t_w) << ' '
        << pad_left(rows[i].p, p_w) << ' ' << pad_right(rows[i].star, 3) << '\n';
  }
  out << "---\nSignif. codes:  0 '***' 0.001 '**' 0.01 '*' 0.05 '.' 0.1 ' ' 1\n\n";

  const auto& st = s.stats;
  out << fmt::format("Residual standard error: {:.4g} on {} degrees of freedom\n", st.sigma,
                     st.df_residual);
  if (m.rows_dropped > 0) {
    out << fmt::format("  ({} observation{} deleted due to missingness)\n", m.rows_dropped,
                       m.rows_dropped == 1 ? "" : "s");
  }
  out << fmt::format("Multiple R-squared:  {:.4g},\tAdjusted R-squared:  {:.4g} \n", st.r_squared,
                     st.adj_r_squared);
  if (!std::isnan(st.f_df1)) {
    out << fmt::format(
        "F-statistic: {:.4g} on {} and {} DF,  p-value: {}\n", st.f_statistic, st.f_df1,
        st.df_residual,
        st.f_p_value < 2.220446049250313e-16 ? "< 2.2e-16" : fmt::format("{:.4g}", st.f_p_value));
  }
  out << fmt::format("Log-likelihood: {:.6g},  AIC: {:.6g},  BIC: {:.6g},  n = {}\n\n", st.log_lik,
                     st.aic, st.bic, st.nobs);
  out << "Training range (predictions outside it are extrapolations):\n";
  std::size_t w = 0;
  for (const auto& r : m.ranges) w = std::max(w, r.name.size());
  for (const auto& r : m.ranges) {
    out << fmt::format("  {}  min {:.6g}  max {:.6g}  mean {:.6g}\n", pad_right(r.name, w), r.min,
                       r.max, r.mean);
  }
}

void write_summary_table(std::ostream& out, const summary& s, char delimiter) {
  const char d = delimiter;
  out << "term" << d << "estimate" << d << "std_error" << d << "statistic" << d << "p_value" << d
      << "conf_low" << d << "conf_high\n";
  for (const auto& t : s.terms) {
    out << table_field(t.term, d) << d << number_text(t.estimate) << d << number_text(t.std_error)
        << d << number_text(t.statistic) << d << number_text(t.p_value) << d
        << number_text(t.conf_low) << d << number_text(t.conf_high) << '\n';
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
  out << "  \"predictors\": [\n";
  for (std::size_t i = 0; i < m.ranges.size(); ++i) {
    const auto& r = m.ranges[i];
    out << fmt::format("    {{\"name\": {}, \"min\": {}, \"max\": {}, \"mean\": {}}}{}\n",
                       json_quote(r.name), json_number(r.min), json_number(r.max),
                       json_number(r.mean), i + 1 < m.ranges.size() ? "," : "");
  }
  out << "  ]\n}\n";
}

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
  }
}

}  // namespace regress
