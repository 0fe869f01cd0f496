#pragma once
/// \file explore_method.hpp
/// explore --method averaged|bootstrap (analyses/explore_methods.hpp): the
/// candidates or the bootstrap fitted as predict --method fits them, the
/// reference model explored, and its sweep made the method's.

#include <istream>
#include <ostream>

#include "common.hpp"
#include "explore_resolve.hpp"

namespace regress::cli {

/// --method averaged: fits the candidates (fit_candidates, as predict),
/// explores the largest-weight one along the line --along/--hold describe
/// (for formula candidates each on its own line through the same swept
/// column, held values and levels; every candidate must read the swept
/// column), and writes the averaged sweep. The weights go to `err` as a
/// note for csv, tsv and ndjson, as predict's. With a picture the reference
/// candidate's rows are read again (standard input is held in memory).
int run_averaged_explore(const explore_options& o, std::istream& in, std::ostream& out,
                         std::ostream& err, const terminal& term);

/// --method bootstrap: fits the model and draws the replicates
/// (fit_bootstrap, as predict), explores the model and writes the bootstrap
/// sweep.
int run_bootstrap_explore(const explore_options& o, std::istream& in, std::ostream& out,
                          std::ostream& err, const terminal& term);

}  // namespace regress::cli
