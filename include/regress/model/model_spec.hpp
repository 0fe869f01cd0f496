#pragma once
/// \file model_spec.hpp
/// What model to fit: response, predictors, polynomial degree, intercept.

#include <string>
#include <vector>

namespace regress {

struct model_spec {
  std::string response;
  std::vector<std::string> predictors;
  int degree = 1;  ///< > 1 only with exactly one predictor: raw powers x, x^2, ...
  bool intercept = true;
  double level = 0.95;  ///< confidence level for intervals, in (0, 1)
};

/// Throws usage_error when the spec is inconsistent (no predictors, degree < 1,
/// degree > 1 with several predictors, level outside (0,1), duplicate names).
void validate(const model_spec& spec);

/// Names of the non-intercept terms in model order: predictors as given, then
/// "x^2", "x^3", ... for a polynomial.
std::vector<std::string> slope_terms(const model_spec& spec);

/// All term names in model order: "(Intercept)" first when present.
std::vector<std::string> term_names(const model_spec& spec);

}  // namespace regress
