#pragma once
/// \file report.hpp
/// Printing only: every number here was computed before. Machine formats print
/// the shortest round-trip text of each double; text is rounded for people.

#include <ostream>
#include <vector>

#include "regress/model/model.hpp"
#include "regress/model/predict.hpp"
#include "regress/model/summary.hpp"
#include "regress/output/format.hpp"

namespace regress {

/// The fit as R's summary.lm lays it out, plus each predictor's range.
void write_summary_text(std::ostream& out, const model& m, const summary& s);
/// A row per term: term,estimate,std_error,statistic,p_value,conf_low,conf_high.
void write_summary_table(std::ostream& out, const summary& s, char delimiter);
/// One JSON object with "terms", the model statistics and "predictors".
void write_summary_json(std::ostream& out, const model& m, const summary& s);
/// The fit in `format`: write_summary_text, write_summary_table (csv, tsv) or
/// write_summary_json; ndjson writes json's "terms", one object a line.
void write_summary(std::ostream& out, const model& m, const summary& s, output_format format);

}  // namespace regress
