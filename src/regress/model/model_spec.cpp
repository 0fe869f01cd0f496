#include "regress/model/model_spec.hpp"

#include <cmath>
#include <set>

#include "regress/error.hpp"
#include "regress/model/formula.hpp"

namespace regress {

void validate(const model_spec& spec) {
  if (spec.predictors.empty()) throw usage_error("the model needs at least one predictor");
  if (spec.degree < 1) throw usage_error("the degree must be at least 1");
  if (spec.degree > 1 && spec.predictors.size() != 1) {
    throw usage_error("a degree above 1 needs exactly one predictor; got " +
                      std::to_string(spec.predictors.size()));
  }
  if (spec.degree > 20) throw usage_error("a degree above 20 is not supported");
  if (!(spec.level > 0 && spec.level < 1)) {
    throw usage_error("level must be strictly between 0 and 1, for example 0.95");
  }
  std::set<std::string> seen;
  for (const auto& p : spec.predictors) {
    if (p == spec.response) {
      throw usage_error("column '" + p + "' is both the response and a predictor");
    }
    if (!seen.insert(p).second) throw usage_error("predictor '" + p + "' is given twice");
  }
}

std::string power_term(const std::string& predictor, int power) {
  // Built as the expression I(x^power) and deparsed, so that the name is
  // R's coefficient name to the byte, backquotes included (I(`Air Flow`^2)).
  formula_expr column;
  column.name = predictor;
  formula_expr exponent;
  exponent.type = formula_expr::kind::number;
  exponent.number = power;
  formula_expr raised;
  raised.type = formula_expr::kind::binary;
  raised.name = "^";
  raised.args = {column, exponent};
  formula_expr call;
  call.type = formula_expr::kind::call;
  call.name = "I";
  call.args = {raised};
  call.arg_names = {""};
  return deparse(call);
}

std::vector<std::string> slope_terms(const model_spec& spec) {
  std::vector<std::string> terms = spec.predictors;
  for (int power = 2; power <= spec.degree; ++power) {
    terms.push_back(power_term(spec.predictors.front(), power));
  }
  return terms;
}

bool names_slope_terms(const std::vector<std::string>& names, const model_spec& spec) {
  if (names == slope_terms(spec)) return true;
  // Files written before the powers took R's names spell them x^2, x^3, ...
  std::vector<std::string> older = spec.predictors;
  for (int power = 2; power <= spec.degree; ++power) {
    older.push_back(spec.predictors.front() + "^" + std::to_string(power));
  }
  return names == older;
}

std::vector<std::string> term_names(const model_spec& spec) {
  std::vector<std::string> terms;
  if (spec.intercept) terms.emplace_back("(Intercept)");
  for (auto& t : slope_terms(spec)) terms.push_back(std::move(t));
  return terms;
}

}  // namespace regress
