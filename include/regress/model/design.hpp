#pragma once
/// \file design.hpp
/// From numeric columns to the design: term columns (without the intercept),
/// the response, rows dropped for missing values, per-predictor ranges.

#include <Eigen/Dense>
#include <cstddef>
#include <string>
#include <vector>

#include "regress/model/model_spec.hpp"
#include "regress/reading/table.hpp"

namespace regress {

/// Training range of one predictor.
struct predictor_range {
  std::string name;
  double min = 0;
  double max = 0;
  double mean = 0;
};

struct design {
  Eigen::MatrixXd x;                    ///< n x np predictor values, in spec order
  Eigen::VectorXd y;                    ///< n
  Eigen::MatrixXd x_low;                ///< low parts of x (see table::low); zeros if unknown
  Eigen::VectorXd y_low;                ///< low parts of y
  std::vector<std::string> terms;       ///< k slope-term names (powers are formed by the fit)
  std::vector<predictor_range> ranges;  ///< one per predictor, over the rows used
  std::size_t rows_dropped = 0;         ///< rows with a missing value in a used column
  /// 1-based place of each used row among the table's rows (R's row names
  /// after na.omit); empty when unknown.
  std::vector<std::size_t> row_numbers;
};

/// Builds the design from a table whose columns include the response and
/// every predictor by name. Drops rows with any missing used value (as R's
/// na.omit). Throws data_error when no complete row remains.
design make_design(const model_spec& spec, const table& data);

}  // namespace regress
