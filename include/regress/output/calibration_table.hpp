#pragma once
/// \file calibration_table.hpp
/// The writer of inverse predictions (analyses/inverse.hpp): a row per
/// response value with y, x, lwr, upr, as csv, tsv, json or ndjson. Numbers go through
/// format.hpp: an unbounded end is -inf/inf in csv/tsv and null in json.

#include <ostream>
#include <string_view>
#include <vector>

#include "regress/analyses/inverse.hpp"
#include "regress/output/format.hpp"

namespace regress {

/// Writes `rows` (csv/tsv: a header y,<x_name>,lwr,upr,shape; json: an
/// array of objects with those keys; ndjson: one such object a line) and flushes `out`. `x_name`
/// names the answer's column, the predictor the line is solved for; `shape` is shape_name() of the
/// set [lwr, upr] (for two_rays its hull, -inf to inf: the rays' ends are in describe()).
/// output_format::text is written as csv. Throws nothing but what the stream and allocation throw.
void write_calibrations(std::ostream& out, const std::vector<calibration>& rows,
                        output_format format, std::string_view x_name = "x");

}  // namespace regress
