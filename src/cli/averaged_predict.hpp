#pragma once
/// \file averaged_predict.hpp
/// predict --method averaged: fits the candidate models (predict_options::
/// candidates) to the same rows, weights them by AICc and writes the
/// model-averaged predictions (analyses/averaged.hpp).

#include <istream>
#include <ostream>
#include <string>
#include <vector>

#include "common.hpp"
#include "predict_resolve.hpp"
#include "regress/analyses/averaged.hpp"
#include "regress/model/model.hpp"
#include "regress/model/predict.hpp"
#include "regress/output/prediction_rows.hpp"

namespace regress::cli {

/// Every candidate's prediction at a point, combined; the account kept.
struct averaged_sink {
  const std::vector<model>& ms;
  const model_weights& w;
  interval_kind kind;
  double level;
  prediction_writer* writer;  ///< set once the output's columns are known
  extrapolation_tally tally;
  std::size_t new_levels = 0;
  std::vector<prediction> each;  ///< scratch: candidate i's prediction

  prediction combine(double weight) {
    return average_predictions(ms, w, each, kind, level, weight);
  }
};

/// --new for formula candidates: each reads its own columns from the file's
/// header; the output's columns are their union (in first use order). Makes
/// sink.writer (over `out`) and finishes it.
void stream_formula_rows(const predict_options& o, std::istream& in, std::ostream& out,
                         averaged_sink& sink, std::ostream& err);

/// Fits each candidate (standard input held in memory when there are
/// several) and checks they share the response and the rows (usage_error).
std::vector<model> fit_candidates(const std::vector<data_options>& candidates, std::istream& in,
                                  std::ostream& err);

/// "averaged over N candidate models, AICc weights: 'y ~ x' 0.1234, ...":
/// the note predict and explore give on stderr for csv, tsv and ndjson.
std::string weights_note(const std::vector<model>& ms, const model_weights& w);

/// Writes a row per point (--at, --range or --new), the weights in json
/// (an object: method, level, interval, candidates, predictions) or as a
/// note on `err` (csv, tsv, ndjson); returns the exit code.
int run_averaged_predict(const predict_options& o, std::istream& in, std::ostream& out,
                         std::ostream& err);

}  // namespace regress::cli
