#pragma once
/// \file calibration_table.hpp
/// The writer of inverse predictions (analyses/inverse.hpp): a row per
/// response value with y, x, lwr, upr, as csv, tsv or json. Numbers go through
/// format.hpp: an unbounded end is -inf/inf in csv/tsv and null in json.

#include <ostream>
#include <vector>

#include "regress/analyses/inverse.hpp"
#include "regress/output/format.hpp"

namespace regress {

/// Writes `rows` (csv/tsv: a header y,x,lwr,upr; json: an array of objects)
/// and flushes `out`. output_format::text is written as csv. Throws nothing
/// but what the stream and allocation throw.
void write_calibrations(std::ostream& out, const std::vector<calibration>& rows,
                        output_format format);

}  // namespace regress
