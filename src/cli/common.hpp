#pragma once
/// \file common.hpp
/// What the subcommands share: opening inputs, choosing columns, formats,
/// writing files atomically.

#include <CLI/CLI.hpp>
#include <fstream>
#include <functional>
#include <istream>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "regress/analyses/explore.hpp"
#include "regress/engine/engine.hpp"
#include "regress/model/design.hpp"
#include "regress/model/formula_state.hpp"
#include "regress/model/frame.hpp"
#include "regress/model/model.hpp"
#include "regress/model/model_spec.hpp"
#include "regress/output/report.hpp"
#include "regress/reading/table.hpp"

namespace regress::cli {

/// An input stream: a file, or stdin for "-" or no name.
struct input {
  std::unique_ptr<std::ifstream> file;
  std::istream* stream = nullptr;
  std::string name;  ///< as shown in messages ("<stdin>" for stdin)
};
/// Opens `path` ("-" or empty: `in`). Throws data_error when it cannot.
input open_input(const std::string& path, std::istream& in);

/// Options shared by subcommands that fit a model from data.
struct data_options {
  std::string file = "-";
  std::string response;
  std::vector<std::string> predictors;
  int degree = 1;
  bool no_intercept = false;
  double level = 0.95;
  std::string delimiter;
  unsigned threads = 0;  ///< engine threads; 0: the hardware's concurrency
  /// The longest header, or record of a stream, in bytes (--max-line-bytes).
  std::size_t max_line_bytes = std::size_t(64) << 20;
  /// R's model formula (positional after the file, or -f); empty: -y/-x.
  std::string formula;
  /// A formula was given, even an empty one (which parse_formula refuses).
  bool formula_given = false;
  std::string weights;         ///< --weights COL; empty: unweighted
  std::size_t skip = 0;        ///< --skip: lines before the header
  std::string comment;         ///< --comment: the character starting a comment line
  bool decimal_comma = false;  ///< --decimal-comma: 1,5 is 1.5
  std::string vcov;            ///< --vcov TYPE (robust_options.hpp); empty: const
  std::string cluster;         ///< --cluster COL (--vcov CL)
};
void add_data_options(CLI::App& app, data_options& o, bool file_positional,
                      bool degree_option = true);

/// The delimiter: --delimiter (a character, "tab" or "\t"), else tab for a
/// .tsv file, else comma. Throws usage_error for anything else.
char resolve_delimiter(const std::string& option, const std::string& path);

/// The data read into memory: the model asked for and its rows.
struct loaded_data {
  model_spec spec;
  design rows;
};
/// Reads the data and resolves the columns, keeping the rows in memory (for
/// commands that need them: explore's picture, backtest). Warns on `err` about
/// rows dropped for missing values.
loaded_data load_data(const data_options& o, std::istream& in, std::ostream& err);

/// Resolves -y/-x against the header (names or 1-based indices; a
/// two-column file needs neither). Throws usage_error listing the columns.
/// Column lists trim spaces and take ranges of indices (resolve_columns);
/// when a name that is a number shadows an index, warns on `err` if given.
column_choice choose_columns(const data_options& o, const model_spec& base,
                             const std::vector<std::string>& header, std::ostream* err = nullptr);

/// Fits the data with the streaming engine (engine.hpp) and warns on `err`
/// about rows dropped for missing values. `need_max_leverage`: the model will
/// be saved or predict with several predictors (see engine_options).
/// `keep_unsolvable`: see engine_options (fit --save-state). `also_degrees`:
/// lower degrees fitted from the same pass (engine_options::also_degrees).
engine_result fit_data(const data_options& o, std::istream& in, std::ostream& err,
                       bool need_max_leverage, bool keep_unsolvable = false,
                       const std::vector<int>& also_degrees = {});

/// True when the model is given as a formula, or needs one (--weights): then
/// fit_formula_data fits it.
bool uses_formula(const data_options& o);

/// The formula of the model: the one given, or the -y/-x model written as
/// one (for --weights).
std::string formula_text(const data_options& o, const std::vector<std::string>& header);

/// Fits the formula with the streaming engine (R's model.frame and lm);
/// warns on `err` about dropped rows and aliased coefficients. `state`, when
/// given, receives the fit's mergeable state (fit --save-state), set once
/// every row is read even if solving the fit then throws. `rows`, when
/// given, is run over the rows once the fit is solved (augment, check).
engine_result fit_formula_data(const data_options& o, std::istream& in, std::ostream& err,
                               bool need_max_leverage = true,
                               std::optional<formula_state>* state = nullptr,
                               const row_pass* rows = nullptr);

/// The engine's options for the data options: delimiter, threads (capped at
/// max_threads(), and at what the system lets start, with a warning on
/// `err`), the line limit, the spool's directory ($TMPDIR), the progress
/// line (on a terminal).
engine_options engine_options_for(const data_options& o, std::ostream& err);

/// A formula's data in memory: the cells as read, and the frame of every
/// record (for explore and backtest, which need the rows).
struct formula_data {
  formula_rows cells;
  formula_frame frame;
};
/// Reads the data for the formula (or -y/-x with --weights) and binds it;
/// warns on `err` about dropped rows. Without `design` the frame has no
/// design rows (bind_frame): for a command that refits subsets (backtest).
formula_data load_formula_data(const data_options& o, std::istream& in, std::ostream& err,
                               bool design = true);

/// Warns on `err` about a formula model's aliased (NA) coefficients.
void warn_aliased(std::ostream& err, const model& m);

/// Warns on `err`, in R's words, when the fit is essentially perfect
/// (essentially_perfect_fit): its printed inference is rounding noise.
void warn_perfect_fit(std::ostream& err, const model& m);

/// The numeric column a formula model is swept or backtested along (an
/// index into frame.ranges): `along` (named by --along), else the only
/// column the right-hand side reads as a number (not through factor()).
/// Throws usage_error listing the columns when there is none, several, or
/// `along` is not one.
std::size_t formula_along(const formula_frame& frame, const std::string& along);
/// As above, for the ranges and terms of a fitted formula model.
std::size_t formula_along(const std::vector<predictor_range>& ranges, const model_terms& terms,
                          const std::string& along);

/// Reads the data, resolves the columns and fits. Warns on `err` about rows
/// dropped for missing values.
model fit_from_data(const data_options& o, std::istream& in, std::ostream& err);

output_format parse_format(const std::string& text);

/// The trust range's bounds from --max-widening and --max-halfwidth (0: not
/// given). Throws usage_error when neither is given or one is out of range.
trust_bounds resolve_trust(double max_widening, double max_halfwidth);

}  // namespace regress::cli
