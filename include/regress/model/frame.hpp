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
  std::size_t rows() const noexcept { return y.size(); }
};

/// Binds a parsed formula to data whose columns named by `text_column` hold
/// text (factors): each variable's kind, the numeric and factor columns, the
/// weights. Levels and poly coefficients are left empty. Throws usage_error
/// for a text response or a text column inside a numeric expression.
model_terms bind_formula(const parsed_formula& f,
                         const std::function<bool(const std::string&)>& text_column,
                         const std::string& weights);

/// Reads the rest of `reader` (header consumed) for `formula` (and the
/// `weights` column, when not empty). Throws usage_error for a bad formula
/// (parse_formula), data_error naming file and line for a bad cell, a value
/// outside a function's domain or a negative weight, and when no complete row
/// remains.
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
