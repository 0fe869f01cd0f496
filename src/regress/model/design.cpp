#include "regress/model/design.hpp"

#include <cmath>

#include "regress/error.hpp"

namespace regress {
namespace {
Eigen::Index to_index(std::size_t i) { return static_cast<Eigen::Index>(i); }

std::size_t find_name(const table& data, const std::string& name) {
  for (std::size_t i = 0; i < data.names.size(); ++i) {
    if (data.names[i] == name) return i;
  }
  throw usage_error("internal: column '" + name + "' was not read");
}
}  // namespace

design make_design(const model_spec& spec, const table& data) {
  std::vector<std::size_t> cols;
  for (const auto& p : spec.predictors) cols.push_back(find_name(data, p));
  const std::size_t ycol = find_name(data, spec.response);

  const std::size_t rows = data.rows();
  std::vector<std::size_t> keep;
  keep.reserve(rows);
  for (std::size_t i = 0; i < rows; ++i) {
    bool ok = !std::isnan(data.columns[ycol][i]);
    for (std::size_t c : cols) ok = ok && !std::isnan(data.columns[c][i]);
    if (ok) keep.push_back(i);
  }

  design d;
  d.terms = slope_terms(spec);
  d.rows_dropped = rows - keep.size();
  d.row_numbers.reserve(keep.size());
  for (std::size_t i : keep) d.row_numbers.push_back(i + 1);
  if (keep.empty()) {
    throw data_error(rows == 0 ? "no data rows; the file has only a header"
                               : "no complete rows: every row has a missing value in a "
                                 "column the model uses");
  }
  const auto n = to_index(keep.size());
  d.x.resize(n, to_index(cols.size()));
  d.y.resize(n);
  d.x_low = Eigen::MatrixXd::Zero(n, to_index(cols.size()));
  d.y_low = Eigen::VectorXd::Zero(n);
  const bool has_low = data.low.size() == data.columns.size();
  for (Eigen::Index r = 0; r < n; ++r) {
    const std::size_t i = keep[static_cast<std::size_t>(r)];
    for (std::size_t c = 0; c < cols.size(); ++c) {
      d.x(r, to_index(c)) = data.columns[cols[c]][i];
      if (has_low) d.x_low(r, to_index(c)) = data.low[cols[c]][i];
    }
    d.y(r) = data.columns[ycol][i];
    if (has_low) d.y_low(r) = data.low[ycol][i];
  }
  for (std::size_t c = 0; c < cols.size(); ++c) {
    predictor_range range;
    range.name = spec.predictors[c];
    const auto col = d.x.col(to_index(c));
    range.min = col.minCoeff();
    range.max = col.maxCoeff();
    // Two-pass mean: the correction term recovers the rounding of the first.
    const double m0 = col.mean();
    range.mean = m0 + (col.array() - m0).mean();
    d.ranges.push_back(range);
  }
  return d;
}

}  // namespace regress
