#pragma once
/// \file engine.hpp
/// The streaming engine: fits a model to a CSV in one pass over its bytes, in
/// constant memory, on several threads.
///
/// The input is cut into chunks at record boundaries (a quoted field may hold
/// the delimiter or a line break, so a cut is only placed where the record
/// structure is known: quote-free stretches are found with memchr, anything
/// else is walked with the RFC 4180 state machine). Each chunk is parsed by a
/// worker thread into its own ols_state (only the used fields are parsed) and
/// the chunk states are merged in file order, so the result depends on the
/// chunk size but never on the number of threads, and different chunk sizes
/// agree to double-double rounding (about 1e-30 relative).
///
/// A regular file is mapped and its pages released as the chunks are done; a
/// stream (standard input, a pipe) is read through a fixed pool of buffers and
/// its complete records are spooled to an unlinked temporary file (up to
/// engine_options::spool_bytes unless the second pass is certain), so that a
/// second pass (see below) can re-read it. Memory is O(threads x chunk size +
/// k^2), whatever the number of rows.
///
/// A second pass over the rows runs only when it is needed: a near-exact fit
/// (needs_residual_pass: the residual sum of squares is recomputed from the
/// rows), the largest training leverage of a model with several predictors or
/// powers when the caller will save or predict with it, and the residual
/// quantiles of small inputs (at most engine_options::quantile_rows rows).

#include <cstddef>
#include <cstdint>
#include <functional>
#include <istream>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "regress/model/model.hpp"
#include "regress/model/model_spec.hpp"
#include "regress/model/ols.hpp"

namespace regress {

struct formula_plan;
class formula_stats;
struct row_values;

struct engine_options {
  char delimiter = ',';
  /// Name for messages: the file's path, or "<stdin>".
  std::string source = "<stdin>";
  /// Worker threads; 0 means the hardware's concurrency.
  unsigned threads = 0;
  /// Target chunk size in bytes (a chunk always ends at a record boundary).
  std::size_t chunk_bytes = std::size_t(1) << 21;
  /// Compute model::max_leverage exactly (a second pass when the model has
  /// several predictors or powers; one predictor needs none). Otherwise it is
  /// the larger of the leverages of the extreme values of the first predictor.
  bool need_max_leverage = false;
  /// Lower degrees of the same one-predictor polynomial to solve from the
  /// one state (engine_result::also, in this order; --method averaged's
  /// candidates): each is the fit of its own degree to the same rows, with
  /// its own largest leverage and exact residual sum of squares from the
  /// fit's second pass, so the candidates cost one fit. Each below the
  /// spec's degree; empty: none.
  std::vector<int> also_degrees;
  /// Residual quantiles (the text summary's "Residuals:" block) are computed,
  /// exactly, when the data have at most this many complete rows.
  std::size_t quantile_rows = 100000;
  /// A stream is copied to an unlinked temporary file for a second pass up
  /// to this many bytes; beyond, only when exact leverage is needed (the
  /// copy costs a fifth of the read), and then the residual quantiles are
  /// omitted and a near-exact fit keeps its one-pass residual sum of squares,
  /// with a warning in engine_result::warnings.
  std::uint64_t spool_bytes = std::uint64_t(64) << 20;
  /// The directory that holds a stream's temporary copy (see spool_bytes).
  /// The caller resolves it (the command line: $TMPDIR, else /tmp); the
  /// engine never reads the environment.
  std::string spool_dir = "/tmp";
  /// Where to draw the progress line (bytes, rate, time left) for long
  /// inputs; null for none. The caller decides (a terminal only).
  std::ostream* progress = nullptr;
  /// Return the state of rows that cannot be solved alone (too few rows, a
  /// constant or dependent term) instead of throwing model_error; see
  /// engine_result::unsolved. For `fit --save-state` of a shard.
  bool keep_unsolvable = false;
  /// The longest header, and the longest record of a stream, in bytes: a
  /// longer one is a data_error naming its line, so that a file without line
  /// breaks (/dev/zero) ends quickly instead of filling memory. A mapped
  /// file's records are read in place and need no limit.
  std::size_t max_line_bytes = std::size_t(64) << 20;
};

/// How many worker threads the engine can have for engine_options::threads
/// = `requested` (0: one per core): it starts that many at once and stops
/// them again, and returns how many the system allowed (a limit on
/// processes, or on memory for their stacks), at least 1 (the calling thread
/// alone). The engine also runs with fewer threads when it cannot start as
/// many, silently; the caller warns once from this.
unsigned startable_threads(unsigned requested);

/// The columns of a model, decided once the header has been read.
struct column_choice {
  model_spec spec;                   ///< response and predictor names filled in
  std::vector<std::size_t> indices;  ///< 0-based: the response, then the predictors
};
/// Chooses the columns from the header; may throw usage_error.
using column_chooser = std::function<column_choice(const std::vector<std::string>& header)>;

/// Rows whose predictor values attain each predictor's minimum or maximum
/// (2 x np rows of np values, in that order): the candidates from which a
/// merged fit bounds its largest training leverage (see state_file.hpp).
using extreme_rows = std::vector<std::vector<double>>;

/// Everything the engine learnt from the data.
struct engine_result {
  model fitted;                       ///< spec, fit, ranges, max_leverage, quantiles
  std::vector<model> also;            ///< engine_options::also_degrees' fits, in order
  ols_state state;                    ///< the merged sufficient statistics
  std::vector<std::string> header;    ///< the file's header
  std::size_t rows_read = 0;          ///< data records (complete or not)
  std::size_t rows_dropped = 0;       ///< records with a missing used value
  extreme_rows extremes;              ///< see extreme_rows
  bool second_pass = false;           ///< whether the rows were read twice
  std::vector<std::string> warnings;  ///< for the caller to print ("regress: warning: ...")
  /// With engine_options::keep_unsolvable: why the rows cannot be solved
  /// alone (model_error's message); `fitted` then holds only the spec and
  /// ranges, and `state` is still exact. Empty when the fit was solved.
  std::string unsolved;
};

/// Fits a CSV file (mapped; re-read for a second pass). Throws data_error for
/// an unreadable file, a malformed CSV (naming file, line and column as
/// csv_reader does), no complete rows; usage_error from `choose`; model_error
/// from the fit (rank deficiency, too few rows).
engine_result fit_csv_file(const std::string& path, const column_chooser& choose,
                           const engine_options& options);

/// Fits a CSV read from a stream (read in fixed buffers and spooled to an
/// unlinked temporary file for a second pass). Throws as fit_csv_file, and
/// data_error when the temporary file cannot be written.
engine_result fit_csv_stream(std::istream& in, const column_chooser& choose,
                             const engine_options& options);

/// One row a formula fit used, as a row pass (row_pass) sees it.
struct fitted_row {
  /// 0-based record of the row within its chunk (rows dropped for missing
  /// values counted); row_pass::finish adds the records before the chunk.
  std::size_t record = 0;
  const row_values* values = nullptr;  ///< the columns the model reads
  /// The row's values of the fit's slope terms (aliased columns dropped):
  /// what fitted_value() and leverage_of() take.
  const double* kept = nullptr;
  double y = 0;       ///< the response
  double weight = 1;  ///< the case weight (1 unweighted)
};

/// What one chunk of a row pass gathers, on a worker thread.
class row_chunk {
 public:
  virtual ~row_chunk() = default;
  /// One used row, in file order within the chunk.
  virtual void add(const fitted_row& row) = 0;
};

/// A caller's own pass over the rows once the fit is solved (augment's rows,
/// check's tests): each chunk's rows go to a row_chunk made for it on a
/// worker thread, and the chunks are handed back in file order, so the
/// output streams in file order while memory stays bounded by the chunks in
/// flight. The pass reads chunks of at most 256 KiB, whatever
/// engine_options::chunk_bytes says, to keep what a chunk gathers small.
struct row_pass {
  /// Makes a chunk's gatherer (called on worker threads, concurrently).
  std::function<std::unique_ptr<row_chunk>(const model&)> start;
  /// Takes a chunk's gatherer back, in file order, on the calling thread;
  /// `records_before` counts the data records in the chunks before it.
  std::function<void(row_chunk&, std::size_t records_before)> finish;
  /// The pass runs only when the fit has at most this many rows, and at
  /// most max_terms slope terms (a row costs O(terms^2)).
  std::size_t max_rows = static_cast<std::size_t>(-1);
  std::size_t max_terms = static_cast<std::size_t>(-1);
};

/// A model given as an R formula (see model/formula_stats.hpp).
struct formula_request {
  std::string formula;
  /// When `formula` is empty: makes it from the header (a -y/-x model with
  /// weights, written as a formula).
  std::function<std::string(const std::vector<std::string>& header)> formula_of;
  std::string weights;  ///< the weights' column; empty: unweighted
  double level = 0.95;
  /// When set, called once with the plan and the one-pass statistics of all
  /// the rows, before they are solved (fit --save-state keeps them).
  std::function<void(const formula_plan&, const formula_stats&)> keep_stats;
  /// When set, one more pass over the rows after the fit (see row_pass).
  const row_pass* rows = nullptr;
  /// A robust covariance (model::robust), summed in the second pass; not
  /// with zero weights (sandwich's bread and meat then count different rows).
  vcov_kind vcov = vcov_kind::constant;
  /// With vcov_kind::cl: the column whose values (as text) name the
  /// clusters; a fitted row missing it is a data_error.
  std::string cluster;
};

/// Fits a formula to a CSV file in one pass of per-cell statistics (constant
/// memory in the rows), and a second pass over the rows when the residual
/// quantiles (small inputs), the largest leverage (need_max_leverage) or a
/// near-exact fit's residual sum of squares need it. A column the formula
/// uses as a bare variable is a factor when a cell of it is not a number: the
/// first 2000 records decide, and a text cell further on makes the first pass
/// run again with the column as a factor. Throws as fit_csv_file, and
/// usage_error for a bad formula.
engine_result fit_formula_csv_file(const std::string& path, const formula_request& request,
                                   const engine_options& options);

/// As fit_formula_csv_file for a stream, which is first copied whole to an
/// unlinked temporary file in engine_options::spool_dir.
engine_result fit_formula_csv_stream(std::istream& in, const formula_request& request,
                                     const engine_options& options);

/// Solves a merged state into a model (no rows at hand: no residual quantiles;
/// max_leverage is the largest leverage among `extremes`, exact for one
/// predictor without powers, a lower bound otherwise). Throws model_error.
model model_from_state(const model_spec& spec, const ols_state& state,
                       const std::vector<predictor_range>& ranges, const extreme_rows& extremes,
                       std::size_t rows_dropped);

}  // namespace regress
