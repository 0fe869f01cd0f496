#pragma once
/// \file commands.hpp
/// Per subcommand: a struct of its flags as typed, setup (declares the flags
/// on the CLI11 app) and run (resolves the flags into plain options, calls the
/// library and hands the result to a library writer). A run returns the exit
/// code for what it could answer and throws usage_error for a bad flag and
/// another regress::error for bad data or files; run() maps those to exit codes.

#include <CLI/CLI.hpp>
#include <cstdint>
#include <istream>
#include <ostream>
#include <string>
#include <vector>

#include "common.hpp"
#include "run.hpp"

namespace regress::cli {

/// fit's flags as typed (setup_fit fills them).
struct fit_flags {
  data_options data;
  std::string format = "text";
  std::string save;
  std::string save_state;
};
/// Declares fit's flags, help and footer on `app`; parsing fills `f`.
void setup_fit(CLI::App& app, fit_flags& f);
/// Resolves the flags, fits and writes the summary (and the files asked for).
int run_fit(const fit_flags& f, std::istream& in, std::ostream& out, std::ostream& err);

/// merge's flags as typed (setup_merge fills them).
struct merge_flags {
  std::vector<std::string> parts;
  double level = 0.95;
  std::string format = "text";
  std::string save;
  std::string save_state;
  std::string vcov = "const";  ///< --vcov: only const (robust types need the rows)
};
/// Declares merge's flags, help and footer on `app`; parsing fills `f`.
void setup_merge(CLI::App& app, merge_flags& f);
/// Resolves the flags, merges the state files and writes the summary.
int run_merge(const merge_flags& f, std::ostream& out, std::ostream& err);

/// predict's flags as typed (setup_predict fills them); predict_resolve.hpp
/// turns them into a predict_options.
struct predict_flags {
  data_options data;
  std::string model_file;
  std::string at;
  std::string range;
  std::string new_file;
  std::string interval = "prediction";
  std::string format = "csv";
  bool inverse = false;
  std::string inverse_y;  ///< --y V,V,...
  bool fail_on_extrapolation = false;
  double max_widening = 0, max_halfwidth = 0;
  std::string method = "textbook";         ///< --method (method_option.hpp)
  std::string degrees = "1";               ///< --degree D or, with averaged, D,D,...
  std::vector<std::string> more_formulas;  ///< formulas after the first (averaged)
  long long boot = 1999;                   ///< --boot: bootstrap replicates
  std::uint64_t seed = 1;                  ///< --seed: the bootstrap's
  /// Set by setup_predict, to tell a flag given from its default.
  const CLI::Option* level_option = nullptr;
  const CLI::Option* boot_option = nullptr;
  const CLI::Option* seed_option = nullptr;
  const CLI::Option* max_widening_option = nullptr;
  const CLI::Option* max_halfwidth_option = nullptr;
};
/// Declares predict's flags, help and footer on `app`; parsing fills `f`.
void setup_predict(CLI::App& app, predict_flags& f);
/// Resolves the flags, predicts and writes a row per point (or per --y).
int run_predict(const predict_flags& f, std::istream& in, std::ostream& out, std::ostream& err);

/// explore's flags as typed (setup_explore fills them); explore_resolve.hpp
/// turns them into an explore_options.
struct explore_flags {
  data_options data;
  std::string degrees = "1";  ///< one or more, comma-separated
  std::string along;
  std::vector<std::string> hold;  ///< COL=V
  double from = 0, to = 0, span = 1;
  long long steps = 201;
  double max_widening = 0, max_halfwidth = 0;
  std::string format;  ///< empty: text on a terminal, else csv
  bool plot = false;
  int width = 80, height = 24;
  bool ascii = false;
  std::string svg;
  std::string method = "textbook";         ///< --method (method_option.hpp)
  std::vector<std::string> more_formulas;  ///< formulas after the first (averaged)
  long long boot = 1999;                   ///< --boot: bootstrap replicates
  std::uint64_t seed = 1;                  ///< --seed: the bootstrap's
  /// Set by setup_explore, to tell a flag given from its default.
  const CLI::Option* boot_option = nullptr;
  const CLI::Option* seed_option = nullptr;
  const CLI::Option* from_option = nullptr;
  const CLI::Option* to_option = nullptr;
  const CLI::Option* max_widening_option = nullptr;
  const CLI::Option* max_halfwidth_option = nullptr;
};
void setup_explore(CLI::App& app, explore_flags& f);
/// Resolves the flags, explores and writes the table, or the plot and summary.
int run_explore(const explore_flags& f, std::istream& in, std::ostream& out, std::ostream& err,
                const terminal& term);

/// backtest's flags as typed (setup_backtest fills them).
struct backtest_flags {
  data_options data;
  std::string method = "textbook";         ///< --method M[,M...]|all
  std::string degrees = "1";               ///< --degree D or, with averaged, D,D,...
  std::vector<std::string> more_formulas;  ///< formulas after the first (averaged)
  std::string along;  ///< empty: the first -x, or a formula's only numeric column
  double holdout = 0.2;
  std::string side = "both";
  std::string format = "text";
  std::uint64_t seed = 1;
  long long boot = 1999;                     ///< --boot: bootstrap replicates
  const CLI::Option* boot_option = nullptr;  ///< set by setup_backtest
};
void setup_backtest(CLI::App& app, backtest_flags& f);
/// Resolves the flags, runs the backtest and writes its table.
int run_backtest(const backtest_flags& f, std::istream& in, std::ostream& out, std::ostream& err);

}  // namespace regress::cli
