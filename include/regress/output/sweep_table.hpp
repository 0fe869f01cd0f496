#pragma once
/// \file sweep_table.hpp
/// The writer of an exploration (analyses/explore.hpp): the sweep table as
/// csv, tsv, json or ndjson, or its summary in words as text. Printing only: every
/// number was computed by explore(). Machine formats print numbers through
/// format.hpp (NA in csv/tsv and null in json for what is not a number);
/// the text summary is rounded for people.

#include <ostream>

#include "regress/analyses/explore.hpp"
#include "regress/output/format.hpp"

namespace regress {

/// Writes `e` in `format`:
/// - csv/tsv: a header ([degree,] the swept predictor, fit, se_fit, conf_lwr,
///   conf_upr, pred_lwr, pred_upr, widening, distance, leverage,
///   leverage_ratio, region [, in_trust]), then a row per sweep point of each
///   model in turn; the degree column only when there are several models,
///   in_trust only when a trust range was asked for.
/// - json: {"rows": [...], "trust": null | {...}, "disagreements": [...]};
///   for a formula model also "formula", "held" ({column: level or value})
///   and "cell" (null, or {"name", "min", "max", "rows"}: the held cell and
///   the swept column's range in it); with --method averaged or bootstrap
///   also "method" ({"name": "averaged", "reference", "candidates": [{"model",
///   "aicc", "weight"}]} or {"name": "bootstrap", "boot", "seed"}).
/// - ndjson: each row of json's "rows" as one object on its own line.
/// - text: the summary in words (training range; for a formula model the
///   held values and the swept column's range in the held cell; a method's
///   candidates and weights, or its replicates and seed; each
///   model's narrowest and widest intervals, the trust range, where models
///   disagree, hidden extrapolation); the terminal plot (pictures/plot.hpp)
///   is drawn by the caller before it.
/// Precondition: `e.models` is non-empty and each has a non-empty sweep.
/// Throws nothing but what the stream and allocation throw.
void write_sweep(std::ostream& out, const exploration& e, output_format format);

}  // namespace regress
