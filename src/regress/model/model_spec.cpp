#include "regress/model/model_spec.hpp"

#include <cmath>
#include <set>

#include "regress/error.hpp"

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

std::vector<std::string> slope_terms(const model_spec& spec) {
  std::vector<std::string> terms = spec.predictors;
  for (int power = 2; power <= spec.degree; ++power) {
    terms.push_back(spec.predictors.front() + "^" + std::to_string(power));
  }
  return terms;
}

std::vector<std::string> term_names(const model_spec& spec) {
  std::vector<std::string> terms;
  if (spec.intercept) terms.emplace_back("(Intercept)");
  for (auto& t : slope_terms(spec)) terms.push_back(std::move(t));
  return terms;
}

}  // namespace regress
