#pragma once
/// \file explore_resolve.hpp
/// explore's flags resolved into plain options and then, against the data,
/// into the library's explore_request; every message of explore that names a
/// flag.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "commands.hpp"
#include "method_option.hpp"
#include "regress/analyses/explore.hpp"
#include "regress/output/format.hpp"
#include "regress/pictures/plot.hpp"

namespace regress::cli {

/// What explore is asked to do, every flag that can be checked without the
/// data parsed and checked.
struct explore_options {
  data_options data;         ///< the data; its degree is the first of `degrees`
  std::vector<int> degrees;  ///< each 1..20
  output_format format = output_format::csv;
  terminal_options plot;              ///< width, height and unicode of the text format's plot
  std::string svg;                    ///< empty: no SVG file
  std::string along;                  ///< empty: the first predictor
  std::vector<std::string> hold;      ///< COL=V, checked against the predictors by make_request
  std::optional<double> from, to;     ///< given: finite; both given: from < to
  double span = 1;                    ///< finite, >= 0
  std::size_t steps = 201;            ///< 2..10000000
  std::optional<trust_bounds> trust;  ///< checked: --max-widening >= 1, --max-halfwidth > 0
  interval_method method = interval_method::textbook;
  /// --method averaged: one data_options per candidate model (a formula
  /// each, or -y/-x at each --degree); `data` is the first. Empty otherwise.
  std::vector<data_options> candidates;
  std::size_t boot = 1999;  ///< --method bootstrap: replicates
  std::uint64_t seed = 1;   ///< --method bootstrap: the generators' seed
};

/// Checks every flag that does not need the data and parses its value; the
/// format defaults to text on a terminal (or with --plot), else csv;
/// --method with its candidates (averaged) or --boot and --seed (bootstrap),
/// refused with what does not go with it as predict refuses it. Throws
/// usage_error naming the flag for anything wrong.
explore_options resolve_explore(const explore_flags& f, bool stdout_is_tty);

/// The checks that need the data: --along and --hold name predictors, and the
/// sweep's ends (--from/--to, else --span training spans beyond the range)
/// are finite and in order. Throws usage_error naming the flag.
explore_request make_request(const explore_options& o, const model_spec& spec,
                             const std::vector<predictor_range>& ranges);

}  // namespace regress::cli
