#pragma once
/// \file augment_command.hpp
/// regress augment and regress check: per-row diagnostics of a fit, and the
/// tests of its assumptions built on them.

#include <CLI/CLI.hpp>
#include <cstddef>
#include <istream>
#include <optional>
#include <ostream>
#include <string>

#include "common.hpp"
#include "regress/analyses/check.hpp"

namespace regress::cli {

/// augment's flags as typed (setup_augment fills them).
struct augment_flags {
  data_options data;
  std::string format = "csv";
};
/// Declares augment's flags, help and footer on `app`; parsing fills `f`.
void setup_augment(CLI::App& app, augment_flags& f);
/// Fits, then writes every used row with its diagnostics.
int run_augment(const augment_flags& f, std::istream& in, std::ostream& out, std::ostream& err);

/// check's flags as typed (setup_check fills them).
struct check_flags {
  data_options data;
  std::string format = "text";
  bool plot = false;
  int width = 80, height = 24;
  bool ascii = false;
  std::string svg;
};
/// Declares check's flags, help and footer on `app`; parsing fills `f`.
void setup_check(CLI::App& app, check_flags& f);
/// Fits, then tests the fit's assumptions and writes the report.
int run_check(const check_flags& f, std::istream& in, std::ostream& out, std::ostream& err,
              bool color = false);

/// Fits the data's model (a formula, or -y/-x) and runs check's tests over
/// its rows when it has at most `max_rows` of them (`done` says whether they
/// ran; the report is empty otherwise).
check_report check_rows(const data_options& o, std::istream& in, std::ostream& err,
                        std::size_t max_rows, bool& done);

/// The rows up to which fit computes RESET and Breusch-Pagan for its hint
/// (where it reads the rows a second time for the Residuals block anyway).
inline constexpr std::size_t hint_rows = 100000;
/// ... and up to this many slope terms (a wide model's pass would cost more
/// than its fit).
inline constexpr std::size_t hint_terms = 50;

/// A row pass that gathers check's tests into `total` (made at the first
/// chunk), for fits of at most `max_rows` rows and `max_terms` slope terms.
row_pass check_pass(std::optional<check_gatherer>& total, std::size_t max_rows,
                    std::size_t max_terms = static_cast<std::size_t>(-1));

/// fit's one-line hint: warns on `err`, pointing to 'regress check', when
/// RESET or Breusch-Pagan rejects at 1%.
void hint_check(std::ostream& err, const check_report& r);
/// hint_check of the tests gathered for `m`; says nothing when they cannot
/// be computed (the hint is a courtesy, never an error).
void hint_check(std::ostream& err, const check_gatherer& g, const model& m);

/// fit's hint for a -y/-x model read from a file of at most hint_rows rows
/// and hint_terms terms (`terms`):
/// fits it again as a formula with check's pass (quietly; nothing is said
/// when that fails) and hints as hint_check.
void hint_check_file(std::ostream& err, const data_options& o, double rows, std::size_t terms);

}  // namespace regress::cli
