#pragma once
/// \file predict_resolve.hpp
/// predict's flags resolved into a plain request, and every message of
/// predict that names a flag.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "commands.hpp"
#include "method_option.hpp"
#include "regress/analyses/explore.hpp"
#include "regress/model/model.hpp"
#include "regress/model/predict.hpp"
#include "regress/output/format.hpp"

namespace regress::cli {

/// COUNT evenly spaced points from FROM to TO (--range FROM:TO:COUNT).
struct even_range {
  double from = 0, to = 0;
  std::size_t count = 0;
  double scale = 0;  ///< decimal_scale of the ends, found once
  /// Point i: from + i * step as the decimal it is (evenly_spaced), with the
  /// last point exactly `to`.
  double at(std::size_t i) const { return evenly_spaced(from, to, count, i, scale); }
};

/// What predict is asked to do, every flag parsed and checked.
struct predict_options {
  data_options data;       ///< the training data, when model_file is empty
  std::string model_file;  ///< a saved model; empty: fit `data`
  interval_kind kind = interval_kind::prediction;
  std::optional<double> level;  ///< given: overrides the saved model's level
  output_format format = output_format::csv;
  std::vector<double> at;  ///< --at
  even_range range;        ///< --range (count 0 when not given)
  std::string new_file;    ///< --new; empty when not given
  bool inverse = false;
  std::vector<double> inverse_y;      ///< --y, with --inverse
  std::optional<trust_bounds> trust;  ///< --max-widening / --max-halfwidth
  bool fail_on_extrapolation = false;
  interval_method method = interval_method::textbook;
  /// --method averaged: one data_options per candidate model (a formula
  /// each, or -y/-x at each --degree); empty otherwise.
  std::vector<data_options> candidates;
  std::size_t boot = 1999;  ///< --method bootstrap: replicates
  std::uint64_t seed = 1;   ///< --method bootstrap: the generators' seed
};

/// Checks every flag and parses its value. Throws usage_error naming the
/// flag for anything wrong.
predict_options resolve_predict(const predict_flags& f);

/// The checks that need the model: --at/--range need one predictor, --inverse
/// a straight line with an intercept. Throws usage_error naming the flag.
void check_against_model(const predict_options& o, const model& m);

/// The error line after every row was written and some extrapolate.
std::string extrapolation_failure(const predict_options& o);

}  // namespace regress::cli
