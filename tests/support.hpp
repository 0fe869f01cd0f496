#pragma once
// Shared by the component tests: fit a model straight from columns.

#include <string>
#include <vector>

#include "regress/model/model.hpp"

namespace regress::test {

/// Fits names.back() on the other names (in order) from columns given in the
/// same order, as the CLI would after reading a CSV.
inline model fit_columns(const std::vector<std::vector<double>>& cols,
                         const std::vector<std::string>& names, int degree = 1) {
  model_spec spec;
  spec.response = names.back();
  spec.predictors.assign(names.begin(), names.end() - 1);
  spec.degree = degree;
  table t;
  t.names = names;
  t.columns = cols;
  for (std::size_t i = 0; i < cols[0].size(); ++i) t.lines.push_back(i + 2);
  return fit_model(spec, make_design(spec, t));
}

}  // namespace regress::test
