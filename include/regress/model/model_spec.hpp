#pragma once
/// \file model_spec.hpp
/// What model to fit: response, predictors, polynomial degree, intercept.

#include <string>
#include <vector>

namespace regress {

struct model_spec {
  std::string response;
  std::vector<std::string> predictors;
  int degree = 1;  ///< > 1 only with exactly one predictor: raw powers x, I(x^2), ...
  bool intercept = true;
  double level = 0.95;  ///< confidence level for intervals, in (0, 1)
};

/// Throws usage_error when the spec is inconsistent (no predictors, degree < 1,
/// degree > 1 with several predictors, level outside (0,1), duplicate names).
void validate(const model_spec& spec);

/// R's coefficient name of a raw power of a predictor: `I(x^2)`, with the
/// name backquoted where R would (`` I(`Air Flow`^2) ``).
std::string power_term(const std::string& predictor, int power);

/// Names of the non-intercept terms in model order: predictors as given, then
/// "I(x^2)", "I(x^3)", ... for a polynomial, as R names lm(y ~ x + I(x^2)).
std::vector<std::string> slope_terms(const model_spec& spec);

/// True when `names` are the slope terms of `spec`, as slope_terms spells
/// them or as files written before it took R's names did ("x^2", "x^3").
bool names_slope_terms(const std::vector<std::string>& names, const model_spec& spec);

/// All term names in model order: "(Intercept)" first when present.
std::vector<std::string> term_names(const model_spec& spec);

}  // namespace regress
