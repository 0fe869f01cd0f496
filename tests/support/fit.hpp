#pragma once
/// \file fit.hpp
/// For the library tests: a fitted model straight from columns in memory.

#include <string>
#include <vector>

#include "regress/model/model.hpp"

namespace regress::test {

/// Fits names.back() on the other names (in order) from columns given in the
/// same order, as the CLI would after reading a CSV; rows are numbered as
/// data lines 2, 3, ... Preconditions: `cols` and `names` are as long as each
/// other and not empty, every column as long as the first. Throws what
/// make_design and fit_model throw (model_error for a fit that cannot be
/// made).
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
