#pragma once
/// \file formula_stats.hpp
/// A formula fitted in one pass, in memory that grows with the levels and
/// terms but not with the rows, and mergeable.
///
/// How. Every column of R's model matrix is an indicator of some factor
/// levels times a polynomial in the formula's numeric "atoms" (the values of
/// its numeric variables, and the argument of each poly()). So the rows are
/// accumulated per cell of the factors (each combination of levels seen),
/// into an ols_state over the monomials of the atoms that the terms need and
/// the response; a row costs one hash lookup and the cross products of a few
/// monomials. Factor levels are discovered on the way, by their text; poly()
/// gets the power sums of its argument (over every row where the argument is
/// known, as R computes poly's coefficients before dropping rows). At the end
/// the levels are sorted, the orthogonal polynomials' coefficients found from
/// the power sums (Stieltjes' procedure, in double-double), and the model
/// matrix's cross products assembled from the cells' moments, each column
/// expressed about its own shift (exactly, for columns without factors).

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "regress/model/double_double.hpp"
#include "regress/model/formula.hpp"
#include "regress/model/model.hpp"
#include "regress/model/ols.hpp"
#include "regress/model/terms.hpp"
#include "regress/reading/number.hpp"

namespace regress {

/// A formula bound to a file's header, with each column's kind decided.
struct formula_plan {
  model_terms terms;                     ///< variables coded; levels and poly coefficients empty
  std::vector<std::string> columns;      ///< the data columns read: the response's, the
                                         ///< variables', the weights'
  std::vector<std::size_t> fields;       ///< per column: its 0-based field in a record
  std::vector<bool> text;                ///< per column: read as text (a factor)
  std::vector<formula_expr> atoms;       ///< numeric variables' expressions and poly() arguments
  std::vector<bool> poly_atom;           ///< per atom: a poly() argument (centred, powers)
  std::vector<double> centre;            ///< per atom: subtracted before powers (poly atoms)
  std::vector<std::size_t> atom_of;      ///< per variable: its atom (numeric, poly), or npos
  std::vector<std::vector<int>> basis;   ///< monomials: exponents per atom, constant excluded
  std::vector<std::string> ranges;       ///< numeric columns the right-hand side reads
  std::vector<std::size_t> range_index;  ///< per range: index in terms.numeric_columns
  std::size_t weight_index = static_cast<std::size_t>(-1);  ///< in numeric_columns, or npos
  std::vector<compiled_expr> atom_code;                     ///< per atom
  std::vector<std::size_t> atom_column;  ///< per atom: its numeric column when bare, or npos
  std::size_t response_column = static_cast<std::size_t>(-1);  ///< the same for the response
  std::vector<std::vector<std::size_t>> monomial_atoms;  ///< per monomial: its atoms, repeated
  std::vector<std::vector<std::size_t>> atom_columns;    ///< per atom: numeric columns it reads
  /// Per factor variable: where its level comes from, a numeric column
  /// (factor() of numbers) or a factor column.
  std::vector<std::size_t> key_index;
  std::vector<bool> key_numeric;
  std::vector<std::size_t> numeric_slot;  ///< per numeric column: its plan column
  std::vector<std::size_t> factor_slot;   ///< per factor column: its plan column
};

/// Binds `formula` (parsed against `header`) with the columns named in
/// `text_columns` read as text; throws usage_error for a bad formula or a
/// text column used where a number is needed.
formula_plan plan_formula(std::string_view formula, const std::vector<std::string>& header,
                          const std::string& weights, const std::vector<std::string>& text_columns);

/// Whether a parsed formula has an ns() or bs() term: their knots come from
/// quantiles of the rows, which no cell's statistics hold.
bool has_spline(const parsed_formula& f);

/// Centres each poly() atom at its value in the first of `records` records
/// where every numeric column is a number and the atom is defined, as the
/// engine centres it at the first such record of the file (the centre only
/// keeps the power sums' digits). `numbers(i, row)` appends record i's
/// numeric values, per numeric slot, to row.numbers and returns whether all
/// are numbers.
void centre_polys(formula_plan& plan, std::size_t records,
                  const std::function<bool(std::size_t, row_values&)>& numbers);

/// For a plan whose cells' statistics are exactly what the -y/-x first pass
/// accumulates (no factors, weights or poly(); the response and every basis
/// monomial a distinct bare column of power 1): its plan columns, the
/// response's first, then each basis monomial's. Empty otherwise.
std::vector<std::size_t> plain_columns(const formula_plan& plan);

/// The atoms of one row (poly atoms centred), from its numeric values;
/// throws data_error (without a place) for a value outside a function's domain.
void atom_values(const formula_plan& plan, const row_values& row, dd* out);

/// Fills `row` (and known[i] per numeric column) from a record's cells as
/// the engine reads them, per plan column; returns whether every column the
/// model reads is present.
bool fill_row(const formula_plan& plan, const dd* values, const cell_kind* kinds,
              const std::string_view* texts, row_values& row, std::vector<char>& known);

/// Sums of (x - centre)^k, k = 0..2 degree, over the rows where x is known.
struct power_sums {
  std::vector<dd> sums;
  void add(dd t);
  void merge(const power_sums& other);
};

/// One cell of the factors.
struct formula_cell {
  std::vector<std::string> key;  ///< per factor variable: its level's text (numbers: exact)
  ols_state state;               ///< over the basis monomials and the response
  std::vector<double> min, max;  ///< per range column
  std::vector<dd> sum;           ///< per range column
  std::size_t rows = 0;          ///< complete rows (zero weights included)
};

/// Rows of one cell not yet folded into its ols_state: Sum2 pairs
/// (model/sum2.hpp) of the cross products and sums of the terms (the basis
/// monomials, then the response) about the cell's first row, then of the
/// range columns; folded into double-double totals every sum2::block rows.
/// With 2 to 8 terms and no weights the terms' rows wait in `hi`/`lo`
/// ([term][row]) and reach four lanes of pairs together (sum2::add_rows).
struct formula_pending {
  std::vector<double> shift;           ///< per term: its value in the first row
  std::vector<double> s, c;            ///< scalar pairs: cross products, sums, range sums
  std::vector<double> lane_s, lane_c;  ///< the terms' pairs by lane, [slot][lane]
  std::vector<double> hi, lo;          ///< rows waiting for the lanes, [term][row]
  std::size_t waiting = 0;             ///< rows in hi/lo
  std::vector<dd> total;               ///< the pairs folded
  std::size_t rows = 0;                ///< rows added since the last fold into the cell
  int since_fold = 0;                  ///< rows since the pairs were last folded into total
};

/// Records of a fast-path plan (formula_stats::fast_rows) read by a scanner
/// of their own (engine/fast_scan.hpp), a batch at a time: per row each plan
/// column's number as two doubles, stored apart ([column][row]), the
/// factor's level text when it is text, and the record's line (an error's
/// place). Every number present and no cell missing: a scanner gives the
/// other records to add_record, after the batch before them.
struct fast_batch {
  static constexpr std::size_t capacity = 64;
  std::vector<double> hi, lo;           ///< [column * capacity + row]
  std::vector<std::string_view> level;  ///< per row
  std::vector<std::size_t> line;        ///< per row
  std::size_t rows = 0;                 ///< rows held
  std::size_t failed = 0;               ///< after add_batch threw: the row it threw at
  explicit fast_batch(std::size_t columns)
      : hi(columns * capacity), lo(columns * capacity), level(capacity), line(capacity) {}
};

/// The one-pass statistics of a formula's data.
class formula_stats {
 public:
  formula_stats() = default;
  explicit formula_stats(const formula_plan& plan);

  /// One record: `row` holds the numeric columns' values and the factor
  /// columns' texts; known[i] (non-zero) says whether numeric column i is a number;
  /// `complete` whether every column the model reads is present. Throws
  /// data_error (without a place) for a domain error or a negative weight.
  void add(const row_values& row, const char* known, bool complete);
  /// One record as the engine reads it: per plan column its value, kind and
  /// text (a text column's cells are cell_kind::invalid unless missing).
  void add_record(const dd* values, const cell_kind* kinds, const std::string_view* texts);
  /// The rows of a batch, as add_record would add them, in order; empties
  /// it. Only for a plan with fast_rows(). Throws data_error as add()
  /// (b.failed then says at which row; the rows before it are added).
  void add_batch(fast_batch& b);
  /// Adds the statistics of other rows of the same plan.
  void merge(formula_stats&& other);
  /// Adds rows accumulated elsewhere (the -y/-x engine's first pass) for a
  /// plan without factors, weights or poly() whose response and basis
  /// monomials are bare columns (see plain_columns): `s` over the basis
  /// monomials and the response (with an intercept's shift), `min` and
  /// `max` per basis monomial, `records` read of which `dropped` had a
  /// missing value.
  void add_plain(const ols_state& s, const std::vector<double>& min, const std::vector<double>& max,
                 std::size_t records, std::size_t dropped);

  std::size_t records = 0;  ///< records seen
  std::size_t dropped = 0;  ///< records with a missing value in a used column
  /// The smallest and largest weight of the complete rows (with weights):
  /// summary.lm prints "Weighted Residuals:" only when they differ.
  double weight_min = HUGE_VAL, weight_max = -HUGE_VAL;
  /// The cells in the order first seen (every row added so far included).
  const std::vector<formula_cell>& cells() const {
    fold();
    return cells_;
  }
  /// Whether add_record reads rows by the fast path (no weights or poly(),
  /// at most one factor, 2 to 8 terms, each atom a column or one function
  /// of one), which gives the same bits as add().
  bool fast_rows() const noexcept { return fast_.terms != 0; }
  /// Per atom: the power sums of a poly() argument (empty for other atoms).
  const std::vector<power_sums>& powers() const noexcept { return powers_; }
  /// Statistics saved earlier (a state file) for `plan`, which must outlive
  /// the result: the cells (distinct keys) and power sums as cells() and
  /// powers() gave them, about the plan's centres. Defined in
  /// formula_state.cpp.
  static formula_stats restore(const formula_plan& plan, std::size_t records, std::size_t dropped,
                               double weight_min, double weight_max,
                               std::vector<formula_cell> cells, std::vector<power_sums> powers);

  /// The fit (model::terms with levels and poly coefficients, ranges, cells;
  /// max_leverage over the cells' extreme rows is left 0). Throws
  /// data_error when no complete row was seen, model_error as solve().
  /// `near_exact`, when given, says whether the one-pass residual sum of
  /// squares may have lost digits (needs_residual_pass): recompute it from
  /// the rows.
  model finish(double level, bool* near_exact = nullptr) const;

 private:
  static constexpr std::size_t none = static_cast<std::size_t>(-1);
  /// Folds every cell's pending rows into its state and sums. Changes no
  /// observable state (the cells then hold what they summarised before), so
  /// it runs from const readers too.
  void fold() const;
  /// The cell of a lookup key, or none.
  std::size_t find(std::string_view key, std::size_t hash) const;
  /// Adds a cell (its lookup key, hash and statistics) to the index.
  std::size_t insert(std::string key, std::size_t hash, formula_cell cell);
  /// The cell of a row's lookup key (created when new).
  std::size_t cell_of_key(std::string_view key);
  /// Files a saved cell under the lookup key of its level texts; throws
  /// data_error when its levels do not fit the plan or are filed already.
  void file_cell(formula_cell cell);

  /// How add_record reads a row of the plans met most, without copying it
  /// into row_values or interpreting an expression: no weights and no
  /// poly(); at most one factor; 2 to 8 terms (the lanes); each atom and the
  /// response a bare column or one function of one (log(x), sqrt(x)). Its
  /// arithmetic is add()'s, so the sums are the same bits.
  struct fast_plan {
    std::vector<std::uint32_t> numbers;         ///< plan columns that must hold a number
    std::vector<std::uint32_t> present;         ///< plan columns that must not be missing
    std::vector<std::uint32_t> atom_slot;       ///< per atom: its column's plan column
    std::vector<const compiled_expr*> atom_fn;  ///< per atom: its function, or null
    std::vector<char> atom_log;                 ///< per atom: its function is log
    bool single_atoms = false;                  ///< each monomial is one atom (term_atoms[j])
    std::size_t terms = 0;                      ///< the monomials and the response (2 to 8); 0: off
    std::vector<std::uint32_t> term_atoms, term_at;  ///< per monomial: its atoms (flat)
    std::uint32_t response_slot = 0;
    const compiled_expr* response_fn = nullptr;
    bool keyed = false, key_text = false;  ///< one factor; its level is text
    std::uint32_t key_slot = 0;
    std::vector<std::uint32_t> range_slot;  ///< per range column: its plan column
  };
  /// Sets fast_ up for the plan when it has that shape.
  void prepare_fast();
  /// add_record for a plan of that shape with M terms.
  template <std::size_t M>
  void add_fast(const dd* values, const cell_kind* kinds, const std::string_view* texts);
  /// add_batch for a plan of that shape with M terms.
  template <std::size_t M>
  void add_fast_batch(fast_batch& b);
  /// One complete row of a plan of that shape with M terms: `in` gives a
  /// plan column's number's parts (hi(s), lo(s)) and the level's text.
  template <std::size_t M, class Row>
  void fast_row(const Row& in);

  const formula_plan* plan_ = nullptr;
  fast_plan fast_;
  mutable std::vector<formula_cell> cells_;
  mutable std::vector<formula_pending> pending_;  // per cell
  // The cells' lookup keys: per factor variable its level's bytes (text) or
  // its double's bytes (factor() of numbers), each preceded by its length;
  // found through an open-addressing table of cell + 1 (0: empty).
  std::vector<std::string> keys_;
  std::vector<std::size_t> hashes_;
  std::vector<std::uint32_t> table_;
  std::vector<power_sums> powers_;  // per atom (poly atoms)
  std::vector<dd> atoms_, monomials_;
  std::vector<double> atom_hi_, atom_lo_;  // the fast path's atoms, parts apart
  std::vector<double> zh_, zl_;
  std::string key_;
  row_values row_;
  std::vector<char> known_;
};

}  // namespace regress
