// Fitting a model given as an R formula (or with weights): the data are read
// into memory and bound to the formula (regress/model/frame.hpp).

#include <string>
#include <vector>

#include "common.hpp"
#include "messages.hpp"
#include "regress/engine/engine.hpp"
#include "regress/error.hpp"
#include "regress/model/formula.hpp"

namespace regress::cli {
namespace {
/// A column name as a formula reads it: backquoted unless syntactic.
std::string formula_name(const std::string& name) {
  bool plain = !name.empty() &&
               (std::isalpha(static_cast<unsigned char>(name[0])) != 0 ||
                (name[0] == '.' &&
                 (name.size() < 2 || std::isdigit(static_cast<unsigned char>(name[1])) == 0)));
  for (char c : name) {
    plain = plain && (std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '_');
  }
  return plain ? name : "`" + name + "`";
}
}  // namespace

bool uses_formula(const data_options& o) {
  return o.formula_given || !o.formula.empty() || !o.weights.empty();
}

std::string formula_text(const data_options& o, const std::vector<std::string>& header) {
  if (o.formula_given || !o.formula.empty()) {
    if (!o.response.empty() || !o.predictors.empty()) {
      throw usage_error("give the model either as a formula or with -y/-x, not both");
    }
    if (o.degree != 1) {
      throw usage_error("--degree works with -y/-x; in a formula write poly(x, " +
                        std::to_string(o.degree) + ", raw = TRUE) or I(x^2)");
    }
    if (o.no_intercept) {
      throw usage_error("--no-intercept works with -y/-x; in a formula write '- 1' or '+ 0'");
    }
    return o.formula;
  }
  // -y/-x with --weights: the same model, written as a formula.
  model_spec base;
  base.degree = o.degree;
  base.intercept = !o.no_intercept;
  const column_choice c = choose_columns(o, base, header);
  std::string text = formula_name(c.spec.response) + " ~ ";
  for (std::size_t i = 0; i < c.spec.predictors.size(); ++i) {
    if (i > 0) text += " + ";
    text += formula_name(c.spec.predictors[i]);
  }
  const std::string x = formula_name(c.spec.predictors.front());
  for (int d = 2; d <= o.degree; ++d) text += " + I(" + x + "^" + std::to_string(d) + ")";
  if (o.no_intercept) text += " - 1";
  return text;
}

engine_result fit_formula_data(const data_options& o, std::istream& in, std::ostream& err,
                               bool need_max_leverage) {
  if (!(o.level > 0 && o.level < 1)) {
    throw usage_error("--level must be strictly between 0 and 1, for example 0.95");
  }
  engine_options eo = engine_options_for(o, err);
  eo.need_max_leverage = need_max_leverage;
  formula_request req;
  req.weights = o.weights;
  req.level = o.level;
  req.formula_of = [&o](const std::vector<std::string>& header) { return formula_text(o, header); };
  engine_result r;
  if (o.file.empty() || o.file == "-") {
    eo.source = "<stdin>";
    r = fit_formula_csv_stream(in, req, eo);
  } else {
    r = fit_formula_csv_file(o.file, req, eo);
  }
  for (const auto& w : r.warnings) warn(err, w);
  if (r.rows_dropped > 0) {
    warn(err, "dropped " + std::to_string(r.rows_dropped) + " of " + std::to_string(r.rows_read) +
                  " rows with a missing value in a column the model uses (as R's na.omit)");
  }
  const model& m = r.fitted;
  std::string aliased;
  std::size_t count = 0;
  for (std::size_t j = 0; j < m.aliased.size(); ++j) {
    if (!m.aliased[j]) continue;
    aliased += (count++ > 0 ? ", " : "") + m.slope_terms[j];
  }
  if (count > 0) {
    warn(err, std::to_string(count) + " coefficient" + (count == 1 ? " is" : "s are") +
                  " not defined because of singularities (NA, as R): " + aliased +
                  (count == 1 ? " is a linear combination" : " are linear combinations") +
                  " of the terms before; the rest is fitted");
  }
  return r;
}

}  // namespace regress::cli
