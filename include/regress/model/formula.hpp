#pragma once
/// \file formula.hpp
/// R's model formulas (`log(y) ~ poly(x, 2) + a*b - 1`), parsed and expanded
/// into terms exactly as R's terms.formula() does (keep.order = FALSE), with
/// the term labels and variable labels R prints. Nothing here reads data:
/// evaluating the variables (log, poly, factor, ...) is the model's job.
///
/// The language (R's, see ?formula and ?Syntax):
///  - right of `~`, the formula algebra: `+` (add terms), `-` (remove terms;
///    `- 1` removes the intercept), `:` (interaction), `*` (`a*b` is
///    `a + b + a:b`), `^` on a sum (`(a+b+c)^2`, a whole power of at least 2),
///    `/` (`a/b` is `a + a:b`, with all of a's variables), `%in%` (`a %in% b`
///    is `a:b`), parentheses, `0` and `1` (no intercept, intercept) and `.`
///    (every column but those named on the left of `~`). R's precedence, from
///    tight to loose: `^`, unary `-` `+`, `:`, `%in%`, `*` `/`, `+` `-`, `~`.
///  - a variable is a column (`x`, or `` `Air Flow` `` in backquotes) or a
///    call of a known function; inside a call, `+ - * / ^` are arithmetic:
///    `I(x + y)`, `log(x + 1)`, `poly(x, 3, raw = TRUE)`, `log(x, 2)`.
///  - the response (left of `~`) is one such expression: `y`, `log(y)`,
///    `I(y / 1000)`.
/// Every failure is a usage_error whose one-line message quotes the formula
/// and the 1-based column (in bytes) of the problem, and says what to do.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace regress {

/// One expression of a formula, as R parses it. Variables and the response
/// use every kind; `:` and `%in%` appear only in the formula algebra, never
/// inside a variable.
struct formula_expr {
  /// column: a column name; number: a literal; logical: TRUE or FALSE (only
  /// as poly's `raw`; number holds 1 or 0); call: a known function; negate:
  /// unary minus; binary: `+ - * / ^` inside a variable (and the algebra's
  /// operators); paren: parentheses the user wrote, kept because R keeps
  /// them in labels (`I((x + 1)^2)`); its value is that of args[0].
  enum class kind { column, number, call, negate, binary, logical, paren };
  kind type = kind::column;
  std::string name;   ///< column: the column name (backquotes removed); call: the
                      ///< function name; binary: the operator "+", "-", "*", "/", "^"
                      ///< (":" or "%in%" only in the algebra); negate: "-"
  double number = 0;  ///< kind::number: finite, >= 0 (a minus is a negate), the literal read
                      ///< as R's parser reads it (R_strtod: not always the nearest double);
                      ///< kind::logical: 1 or 0
  std::vector<formula_expr> args;      ///< call arguments; negate and paren: 1; binary: 2
  std::vector<std::string> arg_names;  ///< per call argument: "" or the name ("raw", "base", "df",
                                       ///< "degree")
  std::size_t position = 0;            ///< 1-based column (in bytes) in the formula text: of the
                                       ///< name, the number, the function name, the operator or '('
};

/// R's deparse of an expression, as R prints it in term labels and
/// coefficient names: `log(x)`, `I(Temp^2)`, `poly(speed, 3)`,
/// `poly(x, 2, raw = TRUE)`, `I(a * b)`, `I(x/2)`, `I(-x)`, `I(x + 1)`,
/// `log(x, 2)`, and non-syntactic names in backquotes (`` `Air Flow` ``,
/// `` `2x` ``, `` `if` ``; a backquote or backslash in a name is escaped).
/// Numbers as R deparses doubles: 15 significant digits, fixed or
/// scientific, whichever is narrower (2, 0.5, 1e+05, 1e-04, 123456,
/// 0.333333333333333). Unlike R, never breaks a label longer than 500 bytes
/// into lines. Non-ASCII letters follow glibc's C.UTF-8 classification, as
/// R's in a UTF-8 locale (`é` bare, `` `°F` `` quoted).
std::string deparse(const formula_expr& e);

/// R's deparse of a whole formula, on one line: spacing as R's (`y~x*g` is
/// `y ~ x * g`; spaces around `~ + - *` and `%in%`, none around `: / ^`),
/// parentheses as written, names backquoted only where R would (`Größe`
/// bare, `` `Air Flow` ``), numbers as R prints them (`1e5` is `1e+05`).
/// `.` stays `.`. Throws usage_error, as parse_formula does, for text that
/// does not parse (it does not look at columns or functions).
std::string deparse_formula(std::string_view text);

/// The Call line of R's print(summary(lm(formula))): R's deparse of
/// `lm(formula = <text>)`, broken into lines as R's deparse breaks it
/// (width.cutoff 60 bytes: after a spaced operator or an argument's comma
/// once the line is longer, what follows indented 4 spaces per open break;
/// the broken line keeps its trailing space). Lines joined by '\n', no
/// final newline. Throws as deparse_formula.
std::string deparse_lm_call(std::string_view text);

/// Every column name an expression reads, in order of first appearance.
std::vector<std::string> columns_of(const formula_expr& e);

/// True when R would take `a` and `b` for the same variable (R's MatchVar):
/// the same tree, names and argument names, numbers equal in value.
bool same_expression(const formula_expr& a, const formula_expr& b);

/// The argument of a call that R would bind to `name`: the argument given as
/// `name = ...`, else the unnamed argument at `position` (0-based, counting
/// unnamed arguments only), else nullptr. parse_formula has already checked
/// every known function's arguments, so for a call it returned:
///  - poly: x = (call, "", 0); degree = (call, "degree", 1), a whole number
///    >= 1, absent means 1; raw = (call, "raw", npos), a logical, absent
///    means FALSE;
///  - log: x = (call, "", 0); base = (call, "base", 1), absent means e;
///  - ns, bs: x = (call, "", 0); df = (call, "df", 1), a whole number >= 1 or
///    absent; bs's degree = (call, "degree", npos), a whole number >= 1 or
///    absent (3);
///  - log2, log10, log1p, exp, sqrt, abs, I, factor: x = (call, "", 0).
const formula_expr* call_argument(const formula_expr& call, std::string_view name,
                                  std::size_t position);

/// The functions a formula may call, as a message lists them:
/// "log, log2, log10, log1p, exp, sqrt, abs, I, poly, factor, ns, bs".
std::string formula_functions();

struct formula_term {
  std::vector<std::size_t> variables;  ///< indices into parsed_formula::variables, ascending
  std::string label;                   ///< R's term label: variable labels joined by ":"
};

/// A formula, expanded as R's terms.formula does (keep.order = FALSE).
struct parsed_formula {
  std::string text;                     ///< as given
  formula_expr response;                ///< left of ~
  std::vector<formula_expr> variables;  ///< right-hand-side variables (R's "variables"
                                        ///< attribute without the response), in R's order:
                                        ///< first appearance, including those only in
                                        ///< removed terms (`x` in `y ~ a + x - x`)
  std::vector<std::string> labels;      ///< deparse() of each variable
  std::vector<formula_term> terms;      ///< R's order: by interaction order, then appearance
  bool intercept = true;
};

/// Parses and expands `text`. `columns` is the data's header, used to expand
/// `.` and to check that every column named exists. `.` stands for every
/// column except the names that occur anywhere on the left of `~` (R's
/// rule: in `log(y) ~ .` both `y` and a column called `log` are left out).
/// Throws usage_error, one line, naming the formula, what is wrong, the
/// 1-based column and what to do, for: empty text, no `~` or two, no
/// response, nothing after `~`, a trailing or doubled operator, unbalanced
/// parentheses or backquotes, an unknown column or function, wrong
/// arguments to a known function, `^` with anything but a whole power of at
/// least 2, a number other than 0 or 1 as a term, `.` inside a call or on
/// the left, a term that holds the response (`y ~ y + x`; R drops it with a
/// warning), text over 100000 bytes, nesting deeper than 200 (parentheses,
/// calls, unary operators, powers), a variable more than 1000 operators
/// deep, or an expansion to more than 100000 terms (or to too much work or
/// more than 10 MB of term labels).
parsed_formula parse_formula(std::string_view text, const std::vector<std::string>& columns);

/// True when `text` looks like a formula (contains '~' outside backquotes);
/// the CLI uses it to tell a positional formula from a file name.
bool looks_like_formula(std::string_view text);

}  // namespace regress
