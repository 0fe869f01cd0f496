#pragma once
/// \file bootstrap_fit.hpp
/// --method bootstrap: the model fitted to rows held in memory (the -y/-x
/// design or the formula's frame) and its residual bootstrap replicates
/// (analyses/bootstrap.hpp), for predict and backtest.

#include <cstddef>
#include <cstdint>
#include <istream>
#include <optional>
#include <ostream>

#include "common.hpp"
#include "regress/analyses/bootstrap.hpp"
#include "regress/model/model.hpp"

namespace regress::cli {

struct bootstrap_model {
  model fitted;
  bootstrap_replicates replicates;
};

/// The rows fit_bootstrap read, kept when asked for (explore's picture):
/// the -y/-x design, or the formula's data.
struct bootstrap_data {
  std::optional<loaded_data> rows;
  std::optional<formula_data> frame;
};

/// Reads the data of `data` (a formula, -y/-x with --weights, or -y/-x),
/// fits it and runs `boot` replicates from `seed` on --threads threads
/// (0: the hardware's); the rows are moved into `keep` when given. Throws as
/// load_data / load_formula_data, and model_error when the fit cannot be made.
bootstrap_model fit_bootstrap(const data_options& data, std::size_t boot, std::uint64_t seed,
                              std::istream& in, std::ostream& err, bootstrap_data* keep = nullptr);

/// The bootstrap's threads for --threads (0: the hardware's concurrency).
unsigned bootstrap_threads(unsigned requested);

}  // namespace regress::cli
