#pragma once
/// \file frame.hpp
/// A formula's data, as R's model.frame and model.matrix make them: the
/// formula bound to the file (which columns are factors, their levels, the
/// orthogonal polynomials' coefficients) and every complete row's design row,
/// held in memory. fit_formula() then fits it as lm() does: weights, aliased
/// columns (NA coefficients) and all.

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "regress/model/design.hpp"
#include "regress/model/double_double.hpp"
#include "regress/model/model.hpp"
#include "regress/model/terms.hpp"
#include "regress/reading/csv.hpp"
#include "regress/reading/number.hpp"

namespace regress {

struct formula_frame {
  model_terms terms;
  std::size_t p = 0;                     ///< design columns (terms.columns.size())
  std::vector<dd> x;                     ///< n x p design values, row by row
  std::vector<dd> y;                     ///< n responses
  std::vector<double> w;                 ///< n weights; empty when unweighted
  std::vector<std::size_t> row_numbers;  ///< 1-based data row of each (R's row names)
  std::size_t rows_dropped = 0;          ///< rows with a missing value in a used column
  std::vector<predictor_range> ranges;   ///< per numeric variable column
  std::vector<cell_range> cells;         ///< per cell of the factors (see model)
  /// n x ranges.size(): each row's value of each entry of `ranges`, row by row.
  std::vector<double> range_values;
  /// Per row: its entry in `cells`; empty when `cells` is.
  std::vector<std::size_t> row_cells;
  std::size_t rows() const noexcept { return y.size(); }
};

/// Binds a parsed formula to data whose columns named by `text_column` hold
/// text (factors): each variable's kind, the numeric and factor columns, the
/// weights. Levels and poly coefficients are left empty. Throws usage_error
/// for a text response or a text column inside a numeric expression.
model_terms bind_formula(const parsed_formula& f,
                         const std::function<bool(const std::string&)>& text_column,
                         const std::string& weights);
/// The cells of the columns a formula uses (its variables', its response's
/// and the weights'), as read from the file: every record's text and, where
/// it is a number, its value. A frame can be bound to all of them or to a
/// subset (bind_frame), as R's lm(formula, data[rows, ]) binds a subset.
struct formula_rows {
  parsed_formula formula;
  std::string weights;  ///< the weights' column; empty when unweighted
  std::string source;   ///< the file's name, for messages
  std::vector<std::string> header;
  std::vector<std::string> names;              ///< the used columns
  std::vector<std::vector<std::string>> text;  ///< [column][record]
  std::vector<std::vector<dd>> value;          ///< [column][record]
  std::vector<std::vector<cell_kind>> kind;    ///< [column][record]
  /// Per column: every cell that is not missing is a number (over every
  /// record, as a data frame's column class: a subset keeps it).
  std::vector<bool> numeric;
  std::vector<std::size_t> lines;  ///< per record: its line in the file
  std::size_t records() const noexcept { return lines.size(); }
  /// The index of a used column. Throws usage_error for another name.
  std::size_t column(const std::string& name) const;
};

/// Reads the rest of `reader` (header consumed): the cells of the columns
/// `formula` (and `weights`, when not empty) uses. Throws usage_error for a
/// bad formula (parse_formula) or an unknown weights column, data_error for
/// a ragged record.
formula_rows read_formula_rows(csv_reader& reader, const std::vector<std::string>& header,
                               std::string_view formula, const std::string& weights);

/// Binds the formula to the records `records` (0-based, ascending, each <
/// data.records()) of `data`, as model.frame does for data[records, ]:
/// levels, poly coefficients, ranges and cells from those records only, and
/// row_numbers counting records of `data`. Throws as read_formula_frame.
/// Without `design`, every row is checked (a function's domain, the
/// weights) but `x` is left empty: a frame for its rows' responses,
/// weights, ranges and cells (backtest's split), which for a factor with
/// many levels is a small part of the design's n x p.
formula_frame bind_frame(const formula_rows& data, const std::vector<std::size_t>& records,
                         bool design = true);

/// Fits the formula of `data` to its records `records` (0-based, ascending)
/// as fit_formula(bind_frame(data, records), level) does, from the one-pass
/// statistics of those records (model/formula_stats.hpp), as the streaming
/// engine fits a file: memory in the factors' cells and the terms, not in
/// rows x design columns. A formula with ns() or bs() (a basis the
/// statistics cannot hold) and a near-exact fit (whose residual sum of
/// squares needs the rows) are fitted from the frame instead. The model's
/// largest training leverage is not computed (0) and it has no residual
/// summary: for scoring held-out rows (backtest), not for a summary.
model fit_records(const formula_rows& data, const std::vector<std::size_t>& records, double level);

/// One record's values of the columns model terms `t` read (text views into
/// `data`, which must outlive the result).
row_values record_values(const model_terms& t, const formula_rows& data, std::size_t record);

/// Reads the rest of `reader` (header consumed) for `formula` (and the
/// `weights` column, when not empty): bind_frame of every record. Throws usage_error for a bad
/// formula (parse_formula), data_error naming file and line for a bad cell, a value outside a
/// function's domain or a negative weight, and when no complete row remains.
formula_frame read_formula_frame(csv_reader& reader, const std::vector<std::string>& header,
                                 std::string_view formula, const std::string& weights);

/// Fits the frame as lm(formula, weights) does. Throws model_error when
/// there are no more rows than coefficients.
model fit_formula(const formula_frame& frame, double level);

/// The columns a formula model needs to predict at a row: those its
/// right-hand side reads, in order of first use (not the response's, not the
/// weights').
std::vector<std::string> predictor_columns(const model_terms& t);

/// Reads the rows of new data for a formula model, record by record: finds
/// the model's columns (and, when present, its weights' column, the rows'
/// prediction weights) in a header.
class new_row_reader {
 public:
  /// Throws data_error naming the missing column when the header lacks one
  /// of predictor_columns(t).
  new_row_reader(const model_terms& t, const std::vector<std::string>& header,
                 const std::string& source);
  /// Fills `row` from a record's fields (text views into `fields`) and the
  /// row's prediction weight (1 without a weights column). Returns false when
  /// a needed cell is missing. Throws data_error (with `line`) for a
  /// non-number in a numeric column or a weight that is not positive.
  bool read(const std::vector<std::string>& fields, std::size_t line, row_values& row,
            double& weight) const;
  /// The model's columns in the output's order (predictor_columns).
  const std::vector<std::string>& names() const noexcept { return names_; }
  /// Per name: its field in the record.
  const std::vector<std::size_t>& fields() const noexcept { return fields_; }
  bool has_weights() const noexcept { return weight_field_ != npos; }

 private:
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);
  const model_terms& t_;
  std::string source_;
  std::vector<std::string> names_;
  std::vector<std::size_t> fields_;
  std::vector<std::size_t> numeric_field_;  // per numeric column: field, or npos
  std::vector<std::size_t> factor_field_;   // per factor column: field
  std::size_t weight_field_ = npos;
};

/// The kept (non-aliased) values of a full design row.
void keep_columns(const model& m, const dd* full, std::vector<double>& kept);

}  // namespace regress
