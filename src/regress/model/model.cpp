#include "regress/model/model.hpp"

#include <algorithm>
#include <cmath>

#include "regress/error.hpp"

namespace regress {
namespace {
/// R's default quantile (type 7) of sorted values.
double quantile7(const std::vector<double>& sorted, double p) {
  const double h = static_cast<double>(sorted.size() - 1) * p;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}
}  // namespace

void set_residual_summary(model& m, std::vector<double> residuals,
                          const std::vector<std::size_t>& row_numbers) {
  if (m.fit.df_residual <= max_listed_df) {
    for (std::size_t i = 0; i < residuals.size(); ++i) {
      m.listed_residuals.emplace_back(row_numbers.at(i), residuals[i]);
    }
  }
  std::sort(residuals.begin(), residuals.end());
  m.residual_quantiles = std::array<double, 5>{residuals.front(), quantile7(residuals, 0.25),
                                               quantile7(residuals, 0.5),
                                               quantile7(residuals, 0.75), residuals.back()};
}

void check_powers_representable(const model_spec& spec, double largest_abs) {
  if (spec.degree > 1 && !std::isfinite(std::pow(largest_abs, spec.degree))) {
    throw data_error("'" + power_term(spec.predictors.front(), spec.degree) +
                     "' overflows double precision; rescale the predictor (e.g. divide by a "
                     "power of ten) or lower the degree");
  }
}

std::string too_many_rows_for_residuals(std::size_t rows) {
  return "not shown for more than " + std::to_string(rows) +
         " rows (they would take a second pass over the data)";
}

model fit_model(const model_spec& spec, const design& d) {
  validate(spec);
  if (spec.degree > 1) {
    check_powers_representable(
        spec, std::max(std::abs(d.x.col(0).minCoeff()), std::abs(d.x.col(0).maxCoeff())));
  }
  model m;
  m.spec = spec;
  m.slope_terms = d.terms;
  m.ranges = d.ranges;
  m.rows_dropped = d.rows_dropped;

  const auto n = static_cast<std::size_t>(d.y.size());
  const std::size_t np = spec.predictors.size();
  const bool has_low = d.x_low.rows() == d.x.rows() && d.y_low.size() == d.y.size();
  std::vector<dd> exact(np);
  auto exact_row = [&](Eigen::Index r) {
    for (std::size_t j = 0; j < np; ++j) {
      const auto c = static_cast<Eigen::Index>(j);
      exact[j] = dd(d.x(r, c), has_low ? d.x_low(r, c) : 0.0);
    }
    return dd(d.y(r), has_low ? d.y_low(r) : 0.0);
  };
  ols_state state(np, spec.degree, spec.intercept);
  for (std::size_t i = 0; i < n; ++i) {
    const dd y = exact_row(static_cast<Eigen::Index>(i));
    state.add_row(exact.data(), y);
  }
  m.fit = solve(state, d.terms);

  // The rows are at hand: recompute the residual sum of squares from them in
  // double-double, which keeps every digit even for a near-exact fit, and
  // collect the residuals and the largest training leverage on the way.
  std::vector<double> residuals(n);
  std::vector<double> row(np);
  dd rss;
  m.max_leverage = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const auto r = static_cast<Eigen::Index>(i);
    for (std::size_t j = 0; j < np; ++j) row[j] = d.x(r, static_cast<Eigen::Index>(j));
    add_squared_residual(m.fit, exact.data(), exact_row(r), rss);
    residuals[i] = d.y(r) - fitted_value(m.fit, row.data());
    m.max_leverage = std::max(m.max_leverage, leverage(m.fit, row.data()));
  }
  m.fit.rss = rss;
  std::vector<std::size_t> rows(n);
  for (std::size_t i = 0; i < n; ++i) rows[i] = i < d.row_numbers.size() ? d.row_numbers[i] : i + 1;
  set_residual_summary(m, std::move(residuals), rows);
  return m;
}

}  // namespace regress
