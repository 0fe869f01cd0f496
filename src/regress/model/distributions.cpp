#include "regress/model/distributions.hpp"

#include <algorithm>
#include <boost/math/distributions/fisher_f.hpp>
#include <boost/math/distributions/hypergeometric.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <limits>

namespace regress {
namespace {
constexpr double nan = std::numeric_limits<double>::quiet_NaN();
}

double cdf(student_t d, double x) {
  if (std::isnan(x) || !(d.df > 0)) return nan;
  if (std::isinf(x)) return x > 0 ? 1.0 : 0.0;
  return boost::math::cdf(boost::math::students_t(d.df), x);
}

double cdf(hypergeometric d, std::size_t x) {
  const std::size_t total = d.white + d.black;
  // Boost counts in int (its support's lower end): larger tables are NaN.
  if (d.drawn > total || total > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
    return nan;
  }
  const std::size_t lowest = d.drawn > d.black ? d.drawn - d.black : 0;
  if (x < lowest) return 0.0;
  if (x >= std::min(d.white, d.drawn)) return 1.0;
  const boost::math::hypergeometric_distribution<double> h(
      static_cast<unsigned>(d.white), static_cast<unsigned>(d.drawn), static_cast<unsigned>(total));
  return boost::math::cdf(h, static_cast<unsigned>(x));
}

double quantile(student_t d, double p) {
  if (!(p > 0 && p < 1) || !(d.df > 0)) return nan;
  return boost::math::quantile(boost::math::students_t(d.df), p);
}

double two_sided_p(student_t d, double t) {
  if (std::isnan(t) || !(d.df > 0)) return nan;
  if (std::isinf(t)) return 0.0;
  // The complement keeps full relative accuracy in the far tail.
  return 2.0 *
         boost::math::cdf(boost::math::complement(boost::math::students_t(d.df), std::abs(t)));
}

double upper_tail(fisher_f d, double f) {
  if (std::isnan(f) || !(d.df1 > 0) || !(d.df2 > 0)) return nan;
  if (std::isinf(f)) return 0.0;
  return boost::math::cdf(boost::math::complement(boost::math::fisher_f(d.df1, d.df2), f));
}

// As R: -qt((1 - level) / 2, df), from the lower tail where p is exact.
double critical_t(double df, double level) {
  // Predictions ask for the same quantile on every row; computing it costs
  // microseconds (Boost's inverse incomplete beta), so keep the last one.
  thread_local double last_df = -1, last_level = -1, last_value = 0;
  if (df != last_df || level != last_level) {
    last_value = -quantile(student_t{df}, (1.0 - level) / 2.0);
    last_df = df;
    last_level = level;
  }
  return last_value;
}

}  // namespace regress
