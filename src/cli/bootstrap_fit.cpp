// --method bootstrap: the rows read into memory, fitted as predict fits
// them, and the replicates drawn (analyses/bootstrap.hpp).

#include "bootstrap_fit.hpp"

#include <algorithm>
#include <thread>
#include <utility>

#include "regress/model/frame.hpp"

namespace regress::cli {

unsigned bootstrap_threads(unsigned requested) {
  const unsigned hardware = std::max(1U, std::thread::hardware_concurrency());
  // More threads than the hardware's only share its cores; the result is the
  // same for any count (fixed blocks, a generator per replicate).
  return std::clamp(requested == 0 ? hardware : requested, 1U, std::max(hardware, 64U));
}

bootstrap_model fit_bootstrap(const data_options& data, std::size_t boot, std::uint64_t seed,
                              std::istream& in, std::ostream& err, bootstrap_data* keep) {
  const bootstrap_options o{boot, seed, bootstrap_threads(data.threads)};
  if (uses_formula(data)) {
    formula_data d = load_formula_data(data, in, err);
    model m = fit_formula(d.frame, data.level);
    warn_aliased(err, m);
    bootstrap_replicates b = bootstrap(rows_of(m, d.frame), o);
    if (keep != nullptr) keep->frame = std::move(d);
    return {std::move(m), std::move(b)};
  }
  loaded_data d = load_data(data, in, err);
  model m = fit_model(d.spec, d.rows);
  bootstrap_replicates b = bootstrap(rows_of(m, d.rows), o);
  if (keep != nullptr) keep->rows = std::move(d);
  return {std::move(m), std::move(b)};
}

}  // namespace regress::cli
