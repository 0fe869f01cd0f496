#include "robust_options.hpp"

#include <string>

#include "regress/error.hpp"

namespace regress::cli {

void add_vcov_options(CLI::App& app, data_options& o) {
  app.add_option("--vcov", o.vcov,
                 "Covariance of the coefficients: const (sigma^2 (X'WX)^-1, as summary.lm), "
                 "HC0, HC1, HC2, HC3, HC4 (sandwich::vcovHC) or CL (sandwich::vcovCL, type HC1, "
                 "with --cluster); robust ones take a second pass over the rows (default: const)");
  app.add_option("--cluster", o.cluster,
                 "Column whose values name the clusters of --vcov CL (implies --vcov CL)");
}

vcov_kind resolve_vcov(const data_options& o) {
  if (o.vcov.empty()) return o.cluster.empty() ? vcov_kind::constant : vcov_kind::cl;
  const vcov_kind kind = parse_vcov(o.vcov);
  if (kind == vcov_kind::cl && o.cluster.empty()) {
    throw usage_error("--vcov CL needs --cluster COL, the column that names each row's cluster");
  }
  if (kind != vcov_kind::cl && !o.cluster.empty()) {
    throw usage_error("--cluster goes with --vcov CL, not --vcov " + o.vcov +
                      "; drop --cluster or use --vcov CL");
  }
  return kind;
}

}  // namespace regress::cli
