#pragma once
/// \file check_plot.hpp
/// regress check --plot and --svg: the pass that gathers check's tests and,
/// beside them, the rows of R's four diagnostic panels; and the panels drawn
/// in the terminal or written as one SVG.

#include <cstddef>
#include <istream>
#include <ostream>
#include <string>

#include "augment_command.hpp"
#include "regress/analyses/check.hpp"
#include "regress/analyses/check_plot.hpp"
#include "regress/pictures/plot.hpp"

namespace regress::cli {

/// check's report and, when asked for, its panels' numbers.
struct checked_fit {
  check_report report;
  diagnostic_panels panels;
  std::string formula;  ///< the model, for the SVG's title
};

/// Fits the data's model and gathers check's tests and (with `panels`) the
/// rows the diagnostic panels draw, in the one pass over the rows.
checked_fit check_with_panels(const data_options& o, std::istream& in, std::ostream& err,
                              bool panels);

/// What --plot, --svg, --width, --height and --ascii ask for, resolved.
struct check_plot_options {
  bool plot = false;  ///< draw the panels in the terminal (text format only)
  std::string svg;    ///< write the panels as one SVG ("-": standard output)
  terminal_options terminal;
};

/// Draws the panels of `c` as `o` asks: the SVG written first (whole or not
/// at all, through write_output), then the terminal panels on `out`, one
/// under another. Returns false when the SVG took standard output, so that
/// no table follows it.
bool show_check_panels(const checked_fit& c, const check_plot_options& o, std::ostream& out);

}  // namespace regress::cli
