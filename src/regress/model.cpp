#include "regress/model.hpp"

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

model fit_model(const model_spec& spec, const design& d) {
  validate(spec);
  for (Eigen::Index j = 0; j < d.x.cols(); ++j) {
    if (!d.x.col(j).allFinite()) {
      throw data_error("term '" + d.terms.at(static_cast<std::size_t>(j)) +
                       "' overflows double precision; rescale the predictor (e.g. divide by "
                       "a power of ten) or lower --degree");
    }
  }
  model m;
  m.spec = spec;
  m.slope_terms = d.terms;
  m.ranges = d.ranges;
  m.rows_dropped = d.rows_dropped;

  qr_state state(d.x.cols(), spec.intercept);
  state.add_rows(d.x, d.y);
  m.fit = solve(state, d.terms);

  // Training leverages h_i = 1/n + ||R^-T (x_i - center)||^2, all rows at once.
  Eigen::MatrixXd u = ((d.x.rowwise() - m.fit.center.transpose()).rowwise() -
                       m.fit.center_lo.transpose())
                          .transpose();
  m.fit.r.transpose().triangularView<Eigen::Lower>().solveInPlace(u);
  m.max_leverage =
      u.colwise().squaredNorm().maxCoeff() + (spec.intercept ? 1.0 / m.fit.nobs : 0.0);

  std::vector<double> residuals(static_cast<std::size_t>(d.y.size()));
  for (Eigen::Index i = 0; i < d.y.size(); ++i) {
    residuals[static_cast<std::size_t>(i)] = d.y(i) - fitted_value(m.fit, d.x.row(i).transpose());
  }
  std::sort(residuals.begin(), residuals.end());
  m.residual_quantiles = std::array<double, 5>{
      residuals.front(), quantile7(residuals, 0.25), quantile7(residuals, 0.5),
      quantile7(residuals, 0.75), residuals.back()};
  return m;
}

}  // namespace regress
