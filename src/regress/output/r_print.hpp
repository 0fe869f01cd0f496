#pragma once
// Internal to output/: how R prints numbers in its tables (format(),
// round(), format.pval(), printCoefmat's stars and print.default's matrix),
// shared by the writers that lay a table out as R prints it. Defined in
// report.cpp, where summary.lm's text uses them.

#include <ostream>
#include <string>
#include <vector>

namespace regress::detail {

/// R's format(values, digits = digits): a common number of decimals (or
/// scientific mantissa digits) for the whole vector; NaN as "NaN".
std::vector<std::string> r_format(const std::vector<double>& values, int digits);
/// R's round(x, decimals).
double r_round(double x, int decimals);
/// R's format.pval(p, digits) as printCoefmat calls it (eps the machine's).
std::vector<std::string> r_pvalues(const std::vector<double>& p, int digits);
/// symnum's significance stars of a p-value ("" for NaN).
const char* r_stars(double p);
/// print.default of a character matrix: row names left, cells right
/// aligned, wrapped at 80 columns.
void r_write_matrix(std::ostream& out, const std::vector<std::string>& rows,
                    const std::vector<std::string>& labels,
                    const std::vector<std::vector<std::string>>& columns);

}  // namespace regress::detail
