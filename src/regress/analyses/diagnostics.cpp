#include "regress/analyses/diagnostics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "regress/model/formula.hpp"
#include "regress/model/ols.hpp"

namespace regress {

row_diagnostics diagnose_row(const model& m, const double* kept, double y, double weight) {
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  const ols_fit& fit = m.fit;
  row_diagnostics d;
  d.fitted = fitted_value(fit, kept);
  d.resid = y - d.fitted;
  if (!(weight > 0)) {
    d.hat = 0;
    d.sigma = d.cooksd = d.std_resid = d.rstudent = nan;
    return d;
  }
  const double rss = double(fit.rss);
  const double df = fit.df_residual;
  const double rank = static_cast<double>(fit.k()) + (fit.intercept ? 1.0 : 0.0);
  const double s = std::sqrt(rss / df);
  // lm.influence rounds a leverage within 10 epsilons of 1 to 1: the row
  // fits itself exactly, and the measures that divide by 1 - h are undefined.
  double h = weight * leverage_of(fit, kept).h;
  if (h > 1 - 10 * std::numeric_limits<double>::epsilon()) h = 1;
  d.hat = h;
  const double r = std::sqrt(weight) * d.resid;  // weighted.residuals()
  // influence()$sigma: the residual sum of squares without the row, whose
  // residual there would be r / (1 - h), over one degree of freedom less.
  d.sigma = h < 1 ? std::sqrt(std::max(0.0, rss - r * r / (1 - h)) / (df - 1))
                  : std::sqrt(rss / (df - 1));
  if (h < 1) {
    const double root = std::sqrt(1 - h);
    d.std_resid = r / (s * root);
    d.rstudent = r / (d.sigma * root);
    const double scaled = r / (s * (1 - h));
    d.cooksd = scaled * scaled * h / rank;
  } else {
    d.std_resid = d.rstudent = d.cooksd = nan;
  }
  return d;
}

frame_layout frame_layout_of(const model_terms& t) {
  frame_layout f;
  auto add = [&f](const std::string& name, bool text, std::size_t source) {
    // R's model.frame holds each variable once (poly(x, 2) beside x).
    if (std::find(f.names.begin(), f.names.end(), name) != f.names.end()) return;
    f.names.push_back(name);
    f.text.push_back(text);
    f.source.push_back(source);
  };
  add(t.response_label, false, frame_layout::response);
  for (std::size_t i = 0; i < t.variables.size(); ++i) {
    const variable_coding& v = t.variables[i];
    const bool poly = v.type == variable_coding::kind::poly;
    add(poly ? deparse(v.expr) : v.label, v.type == variable_coding::kind::factor, i);
  }
  if (!t.weights.empty()) add("(weights)", false, frame_layout::weights);
  return f;
}

void frame_values(const model_terms& t, const frame_layout& f, const row_values& row, double weight,
                  std::vector<double>& numbers, std::vector<std::string_view>& text) {
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  numbers.assign(f.names.size(), nan);
  text.assign(f.names.size(), std::string_view());
  for (std::size_t j = 0; j < f.names.size(); ++j) {
    const std::size_t source = f.source[j];
    if (source == frame_layout::response) {
      numbers[j] = double(response_value(t, row));
    } else if (source == frame_layout::weights) {
      numbers[j] = weight;
    } else if (t.variables[source].type == variable_coding::kind::factor) {
      const std::vector<std::string>& levels = t.variables[source].levels;
      const std::size_t level = factor_level(t, source, row);
      if (level < levels.size()) text[j] = levels[level];
    } else {
      numbers[j] = double(evaluate(t, t.variables[source].expr, row));
    }
  }
}

}  // namespace regress
