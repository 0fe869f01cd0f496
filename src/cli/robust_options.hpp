#pragma once
/// \file robust_options.hpp
/// The --vcov and --cluster flags of fit and predict: a robust covariance of
/// the coefficients (regress/model/robust.hpp).

#include <CLI/CLI.hpp>

#include "common.hpp"
#include "regress/model/robust.hpp"

namespace regress::cli {

/// Declares --vcov and --cluster on `app`, filling `o.vcov` and `o.cluster`.
void add_vcov_options(CLI::App& app, data_options& o);

/// The covariance asked for: --vcov (const when not given), CL when only
/// --cluster is given. Throws usage_error for an unknown type, CL without
/// --cluster, or --cluster with another type.
vcov_kind resolve_vcov(const data_options& o);

}  // namespace regress::cli
