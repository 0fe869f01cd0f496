#pragma once
/// \file formula_explore.hpp
/// explore for a model given as an R formula (or with --weights): the sweep
/// runs along one numeric column the right-hand side reads and the formula
/// is applied to it; factors are held at a level.

#include <functional>
#include <istream>
#include <ostream>

#include "explore_resolve.hpp"
#include "regress/analyses/explore.hpp"
#include "regress/model/frame.hpp"
#include "regress/model/model.hpp"
#include "regress/pictures/plot.hpp"

namespace regress::cli {

/// The checks of explore's flags against a formula model: --along (default:
/// the only numeric column, else the first -x with --weights), --hold COL=V
/// for a numeric column and COL=level for a factor (a level never seen in
/// training is a usage_error listing the levels), and the sweep's ends:
/// --from/--to must lie where the formula is defined, and a default end
/// where it is not is pulled halfway from the data to the domain's edge,
/// with a warning on `err`. Throws usage_error naming the flag.
explore_request make_formula_request(const explore_options& o, const model& m, std::ostream& err);

/// Reads the data, fits the formula, explores it and writes the result as
/// run_explore does.
int run_formula_explore(const explore_options& o, std::istream& in, std::ostream& out,
                        std::ostream& err, const terminal& term);

/// Writes an exploration as the options ask: the SVG file, the terminal plot
/// (for the text format), then the table or summary. `picture` draws the
/// picture, called only when one is needed.
void show_exploration(const explore_options& o, const exploration& e,
                      const std::function<plot_data()>& picture, std::ostream& out,
                      const terminal& term);

}  // namespace regress::cli
