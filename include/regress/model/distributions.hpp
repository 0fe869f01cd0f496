#pragma once
/// \file distributions.hpp
/// Student t and Fisher F as small value types with free functions; Boost.Math
/// does the work inside the .cpp so public headers stay dependency-free.

#include <cstddef>

namespace regress {

struct student_t {
  double df;
};
struct fisher_f {
  double df1;
  double df2;
};

/// The number of white balls among `drawn` drawn without replacement from
/// `white` white and `black` black ones (R's phyper(x, white, black, drawn)).
struct hypergeometric {
  std::size_t white;
  std::size_t black;
  std::size_t drawn;  ///< at most white + black
};

double cdf(student_t d, double x);
/// P(X <= x); 0 below the support, 1 above it.
double cdf(hypergeometric d, std::size_t x);
double quantile(student_t d, double p);
/// P(|T| > |t|), accurate for tiny p-values.
double two_sided_p(student_t d, double t);
/// P(F > f), accurate for tiny p-values.
double upper_tail(fisher_f d, double f);

/// The two-sided critical value t_{(1+level)/2, df}.
double critical_t(double df, double level);

}  // namespace regress
