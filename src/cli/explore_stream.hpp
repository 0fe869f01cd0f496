#pragma once
/// \file explore_stream.hpp
/// explore without holding the rows: the models are fitted by the streaming
/// engine, and the picture's training points are picked (point_sample) in a
/// pass over the rows once the fit is solved.

#include <cstddef>
#include <functional>
#include <iosfwd>
#include <string>

#include "common.hpp"
#include "explore_resolve.hpp"
#include "regress/engine/engine.hpp"

namespace regress::cli {

/// One used row of a formula fit, as explore's pass over the rows sees it.
struct streamed_row {
  const double* numbers = nullptr;  ///< per model_terms::numeric_columns
  double y = 0;                     ///< the response (on the model's scale)
  double fitted = 0;                ///< the fit at the row
  std::size_t cell = 0;             ///< index into model::cells; npos: none
};

/// A row pass (engine.hpp) that calls `prepare` once, on the calling thread,
/// with the fitted model before the first row, then `each` with every used
/// row in file order (whatever the threads).
row_pass streamed_rows(std::function<void(const model&)> prepare,
                       std::function<void(const streamed_row&)> each);

/// The index in model_terms::numeric_columns of a formula model's column
/// `name`, which it reads as a number.
std::size_t numeric_column(const model& m, const std::string& name);

/// True when the input can be read more than once (a regular file, plain
/// or compressed): then a -y/-x exploration is fitted by the streaming
/// engine, one pass per degree and one for the picture's points, and no row
/// is held; standard input and other streams are read into memory.
bool can_stream_explore(const data_options& o);

/// explore for a -y/-x model (without --weights) whose input
/// can_stream_explore: fits, explores and writes as run_explore does.
int run_streamed_explore(const explore_options& o, std::istream& in, std::ostream& out,
                         std::ostream& err, const terminal& term);

}  // namespace regress::cli
