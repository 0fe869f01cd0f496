#include "regress/analyses/anova.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "regress/error.hpp"
#include "regress/model/distributions.hpp"
#include "regress/model/double_double.hpp"

namespace regress {
namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

/// Per fitted column: the index of its term (in term_labels).
struct column_terms {
  std::vector<std::string> labels;
  std::vector<std::size_t> of_column;  ///< per fitted (not aliased) slope column
};

column_terms terms_of(const model& m) {
  column_terms t;
  for (std::size_t j = 0; j < m.slope_terms.size(); ++j) {
    if (j < m.aliased.size() && m.aliased[j]) continue;
    if (m.terms) {
      const std::size_t term = m.terms->columns.at(j).term;
      t.of_column.push_back(term);
      continue;
    }
    // A -y/-x model: each column is its own term.
    t.of_column.push_back(j);
  }
  if (m.terms) {
    for (const auto& term : m.terms->terms) t.labels.push_back(term.label);
  } else {
    t.labels = m.slope_terms;
  }
  return t;
}

double f_test(double ms, double residual_ms, double df1, double df2, double& p) {
  const double f = ms / residual_ms;
  p = upper_tail(fisher_f{df1, df2}, f);
  return f;
}

std::string response_of(const model& m) {
  return m.terms ? m.terms->response_label : m.spec.response;
}

std::vector<std::string> term_labels(const model& m) {
  std::vector<std::string> out;
  if (m.terms) {
    for (const auto& term : m.terms->terms) out.push_back(term.label);
  } else {
    out = m.slope_terms;
  }
  return out;
}

std::string formula_of(const model& m) {
  if (m.terms) return m.terms->call;
  std::string text = m.spec.response + " ~ ";
  for (std::size_t j = 0; j < m.slope_terms.size(); ++j) {
    text += (j > 0 ? " + " : "") + m.slope_terms[j];
  }
  return text;
}

}  // namespace

anova_table sequential_anova(const model& m) {
  const ols_fit& f = m.fit;
  const std::size_t k = f.k();
  const column_terms ct = terms_of(m);
  // L' b, entry j = sum over i >= j of L(i, j) b(i), in double-double.
  std::vector<double> ss(ct.labels.size(), 0.0), df(ct.labels.size(), 0.0);
  for (std::size_t j = 0; j < k; ++j) {
    dd e;
    for (std::size_t i = j; i < k; ++i) e += f.chol[i * (i + 1) / 2 + j] * f.slopes[i];
    const std::size_t t = ct.of_column.at(j);
    ss.at(t) += double(e * e);
    df.at(t) += 1;
  }
  anova_table out;
  out.response = response_of(m);
  const double df_res = f.df_residual;
  const double rss = double(f.rss);
  const double residual_ms = rss / df_res;
  for (std::size_t t = 0; t < ct.labels.size(); ++t) {
    if (df[t] == 0) continue;  // every column aliased: R leaves the term out
    anova_row r;
    r.term = ct.labels[t];
    r.df = df[t];
    r.sum_sq = ss[t];
    r.mean_sq = ss[t] / df[t];
    r.statistic = f_test(r.mean_sq, residual_ms, r.df, df_res, r.p_value);
    out.rows.push_back(r);
  }
  out.rows.push_back(anova_row{"Residuals", df_res, rss, residual_ms, nan, nan});
  return out;
}

std::vector<anova_model> compare_models(const std::vector<model>& models) {
  std::vector<anova_model> out;
  for (std::size_t i = 0; i < models.size(); ++i) {
    const model& m = models[i];
    if (i > 0) {
      const model& before = models[i - 1];
      const std::string names = "model " + std::to_string(i) + " (" + formula_of(before) +
                                ") and model " + std::to_string(i + 1) + " (" + formula_of(m) + ")";
      if (response_of(before) != response_of(m)) {
        throw usage_error("anova compares models of one response: " + names +
                          " have different ones");
      }
      const std::vector<std::string> big = term_labels(m);
      for (const auto& label : term_labels(before)) {
        if (std::find(big.begin(), big.end(), label) == big.end()) {
          throw usage_error(
              "anova compares nested models, each one's terms among the next "
              "one's: " +
              names + " are not (term '" + label +
              "' is missing from the second); list the formulas from the "
              "smallest model to the largest");
        }
      }
      if (before.fit.intercept && !m.fit.intercept) {
        throw usage_error("anova compares nested models: " + names +
                          " are not (the second has no intercept)");
      }
      if (before.fit.nobs != m.fit.nobs || before.fit.weight_sum != m.fit.weight_sum) {
        throw usage_error("anova compares models fitted to the same rows: " + names + " use " +
                          std::to_string(static_cast<long long>(before.fit.nobs)) + " and " +
                          std::to_string(static_cast<long long>(m.fit.nobs)) +
                          " rows (a column one of them reads has missing values); drop those "
                          "rows from the data first");
      }
    }
    anova_model a;
    a.formula = formula_of(m);
    a.res_df = m.fit.df_residual;
    a.rss = double(m.fit.rss);
    a.df = a.sum_sq = a.statistic = a.p_value = nan;
    out.push_back(a);
  }
  if (out.empty()) return out;
  // R's anova.lmlist: the scale is the residual mean square of the model
  // with the fewest residual degrees of freedom.
  const auto big = std::min_element(
      out.begin(), out.end(), [](const auto& a, const auto& b) { return a.res_df < b.res_df; });
  const double scale = big->rss / big->res_df;
  for (std::size_t i = 1; i < out.size(); ++i) {
    anova_model& a = out[i];
    a.df = out[i - 1].res_df - a.res_df;
    a.sum_sq = out[i - 1].rss - a.rss;
    if (a.df != 0) {
      a.statistic = f_test(a.sum_sq / a.df, scale, std::abs(a.df), big->res_df, a.p_value);
    }
  }
  return out;
}

}  // namespace regress
