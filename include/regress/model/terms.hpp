#pragma once
/// \file terms.hpp
/// A formula bound to data, as R's model.frame and model.matrix make it: each
/// variable's kind (numeric, factor, polynomial), the factors' levels, the
/// orthogonal polynomials' coefficients, and the columns of the model matrix
/// with R's names and contrasts. Everything here is what a model file keeps so
/// that a new row becomes the same design row R's predict.lm would build.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "regress/model/double_double.hpp"
#include "regress/model/formula.hpp"
#include "regress/model/spline.hpp"

namespace regress {

struct model_terms;
struct row_values;

/// A numeric expression of a formula compiled against the model's numeric
/// columns: evaluated per row without looking up a name.
class compiled_expr {
 public:
  compiled_expr() = default;
  /// Throws usage_error for a column that is not a numeric column of `t` or
  /// an operation that is not arithmetic.
  compiled_expr(const model_terms& t, const formula_expr& e);
  explicit operator bool() const noexcept { return !steps_.empty(); }
  /// The numeric column the expression is, when it is a bare column (the
  /// hot loops read it directly); otherwise static_cast<size_t>(-1).
  std::size_t bare_column() const noexcept {
    return steps_.size() == 1 && steps_[0].code == op::column ? steps_[0].column
                                                              : static_cast<std::size_t>(-1);
  }
  /// The value on a row; throws data_error (without a place) for a value
  /// outside a function's domain, naming the term.
  dd operator()(const row_values& row) const;
  /// The numeric column the expression reads when it is one function of it
  /// (log, log2, log10, log1p, exp, sqrt or abs of a bare column), so that a
  /// hot loop can skip the interpreter; otherwise static_cast<size_t>(-1).
  std::size_t unary_column() const noexcept;
  /// That function (see unary_column) of `x`, exactly as operator() computes
  /// it; throws as operator() does.
  dd apply_unary(dd x) const;
  /// Whether that function is log (a hot loop calls std::log itself).
  bool unary_is_log() const noexcept;

 private:
  enum class op : unsigned char {
    column,
    constant,
    negate,
    add,
    subtract,
    multiply,
    divide,
    power,
    log_base,  // two operands
    log,
    log2,
    log10,
    log1p,
    exp,
    sqrt,
    abs,  // one operand
    none
  };
  struct step {
    op code;
    std::size_t column;
    double value;
    std::size_t label;
  };
  void emit(const model_terms& t, const formula_expr& e);
  /// A one-operand function step (log .. abs) applied to `a`.
  dd unary(const step& s, dd a) const;
  std::vector<step> steps_;
  std::vector<std::string> labels_;
  std::size_t depth_ = 0;
};

/// How one right-hand-side variable enters the design.
struct variable_coding {
  enum class kind {
    numeric,  ///< one column: the expression's value
    factor,   ///< one indicator per level (treatment contrasts drop the first)
    poly,     ///< poly(x, degree[, raw]): `degree` columns
    spline,   ///< ns(x, ...) or bs(x, ...): the basis's columns
  };
  kind type = kind::numeric;
  std::string label;  ///< R's label: "log(x)", "factor(cyl)", "poly(x, 3)"
  /// numeric: the expression; factor: the column (or factor()'s argument);
  /// poly, spline: its first argument.
  formula_expr expr;
  /// factor: the data column it reads.
  std::string column;
  /// factor: level names in R's order (byte order for text, numeric order for
  /// factor() of numbers, named as R's as.character names them).
  std::vector<std::string> levels;
  /// factor() of a numeric column: each level's value (matched by value).
  std::vector<double> level_values;
  bool numeric_levels = false;
  int degree = 1;
  bool raw = false;
  /// Orthogonal poly: R's attr(, "coefs"): alpha (degree) and norm2 (degree + 2).
  std::vector<double> alpha, norm2;
  /// spline: the basis's arguments and, once learnt, its knots.
  spline_basis spline;
  /// numeric, poly, spline: `expr` compiled (by lay_out_columns).
  compiled_expr code;
  /// Columns of the variable itself (before contrasts): 1, levels, degree,
  /// the spline basis's width.
  std::size_t width() const noexcept;
};

/// One column of the model matrix (the intercept excluded).
struct design_column {
  std::string name;  ///< R's coefficient name, e.g. "factor(cyl)6", "x:groupb"
  std::size_t term = 0;
  /// Per variable of the term (in the term's order): the factor level or the
  /// poly column (0-based) this column takes; 0 for a numeric variable.
  std::vector<std::size_t> part;
};

/// A formula bound to data.
struct model_terms {
  std::string formula;  ///< as the user wrote it
  std::string call;     ///< the formula as R deparses it, on one line (deparse_formula);
                        ///< deparse_lm_call gives the Call line
  /// The data's header, which '.' expands to (kept so a saved model's
  /// formula expands the same way).
  std::vector<std::string> data_columns;
  formula_expr response;
  std::string response_label;
  compiled_expr response_code;  ///< by lay_out_columns
  std::vector<variable_coding> variables;
  std::vector<formula_term> terms;
  bool intercept = true;
  /// Per term and per variable of it: true when a factor is coded by
  /// treatment contrasts, false by an indicator for every level.
  std::vector<std::vector<bool>> contrasts;
  std::vector<design_column> columns;
  std::string weights;  ///< the weights' column; empty when unweighted
  /// The data columns whose values are numbers (ranges are kept per each), in
  /// order of first use; the response's columns first.
  std::vector<std::string> numeric_columns;
  /// The data columns read as text (factors), in order of first use.
  std::vector<std::string> factor_columns;

  std::vector<std::string> column_names() const;
};

/// One data row's values of the columns a model reads: the numeric columns
/// (model_terms::numeric_columns order) and the factor columns' level
/// indices (model_terms::factor_columns order, per the factor variable that
/// reads each: see factor_level) or their text.
struct row_values {
  std::vector<dd> numbers;             ///< per numeric column
  std::vector<std::string_view> text;  ///< per factor column
};

/// Compiles the expressions, decides the contrasts and the model-matrix columns (R's model.matrix
/// rules: a factor in a term is coded by contrasts when the term without it is an earlier term or
/// empty, by every level otherwise; without an intercept the first factor of the first term that
/// has one gets every level), once the variables' kinds and levels are known.
void lay_out_columns(model_terms& t);

/// The level index of factor variable `v` for a row, or npos for a level
/// never seen in training.
inline constexpr std::size_t unseen_level = static_cast<std::size_t>(-1);
std::size_t factor_level(const model_terms& t, std::size_t v, const row_values& row);

/// Evaluates a numeric expression on a row. Throws data_error (without file
/// and line: the caller adds them) for a value outside a function's domain,
/// naming the term.
dd evaluate(const model_terms& t, const formula_expr& e, const row_values& row);

/// The response's value on a row (see evaluate).
dd response_value(const model_terms& t, const row_values& row);

/// Fills `out` (t.columns.size() values) with the row's design row. Returns
/// false when a factor's level is unseen (the index of the variable in
/// `unseen`); throws as evaluate.
bool design_row(const model_terms& t, const row_values& row, dd* out, std::size_t* unseen);

/// Fills a poly variable's argument (expr), degree and raw from its call
/// poly(x, degree, raw = ...) as the parser checked it.
void poly_arguments(const formula_expr& call, variable_coding& v);

/// Fills a spline variable's argument (expr) and basis arguments from its
/// call ns(x, df, knots = c(...), intercept = , Boundary.knots = c(a, b)) or
/// bs(x, df, knots, degree = , intercept = , Boundary.knots = ) as the
/// parser checked it; the knots stay to be learnt unless given.
void spline_arguments(const formula_expr& call, variable_coding& v);

/// What each ns() and bs() term of `t` does beyond its boundary knots, one
/// sentence each, for a summary's reader: a natural spline goes on as a
/// straight line, a B-spline as the polynomials of its end pieces.
std::vector<std::string> spline_notes(const model_terms& t);

/// R's as.character of a double (15 significant digits, fixed or scientific
/// as R chooses): the name of a level of factor() of a number.
std::string r_number_name(double v);

}  // namespace regress
