#pragma once
/// \file check_table.hpp
/// The writer of check's report (what `regress check` prints): one line per
/// test, `test, statistic, df, p_value, verdict`; a table for people (text)
/// or csv, tsv and json (an array of objects). The verdicts speak to what a
/// failed assumption does to extrapolations and intervals.

#include <ostream>
#include <string>

#include "regress/analyses/check.hpp"
#include "regress/output/format.hpp"

namespace regress {

/// The test's one-line verdict (the same words in every format).
std::string check_verdict(const check_test& t, const check_report& r);

/// A test's degrees of freedom as text: "2, 46", "3", or empty for none.
std::string check_df_text(const check_test& t);

/// Writes the report in `format`.
void write_check(std::ostream& out, const check_report& r, output_format format);

}  // namespace regress
