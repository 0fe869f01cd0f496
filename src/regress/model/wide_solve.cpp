#include "regress/model/wide_solve.hpp"

#include <algorithm>
#include <cmath>

#include "regress/model/sum2.hpp"

namespace regress {

REGRESS_HOT_CLONES
dd dot_wide(const dd* a, const dd* b, std::size_t n) {
  constexpr std::size_t lanes = sum2::lanes;
  double s[lanes] = {}, c[lanes] = {};
  std::size_t m = 0;
  for (; m + lanes <= n; m += lanes) {
    for (std::size_t l = 0; l < lanes; ++l) {
      sum2::add_product(s[l], c[l], a[m + l].hi, a[m + l].lo, b[m + l].hi, b[m + l].lo);
    }
  }
  for (std::size_t l = 0; m < n; ++m, ++l) {
    sum2::add_product(s[l], c[l], a[m].hi, a[m].lo, b[m].hi, b[m].lo);
  }
  dd total;
  for (std::size_t l = 0; l < lanes; ++l) total += dd_detail::two_sum(s[l], c[l]);
  return total;
}

leverage_batch::leverage_batch(const ols_fit& fit) {
  const auto k = static_cast<Eigen::Index>(fit.k());
  l_ = Eigen::MatrixXd::Zero(k, k);
  mean_.resize(k);
  std::size_t idx = 0;
  for (Eigen::Index i = 0; i < k; ++i) {
    for (Eigen::Index j = 0; j <= i; ++j) l_(i, j) = double(fit.chol[idx++]);
    mean_(i) = double(fit.mean[static_cast<std::size_t>(i)]);
  }
  base_ = fit.intercept ? 1.0 / fit.centring_n() : 0.0;
}

double leverage_batch::max_leverage(const double* rows, std::size_t count) const {
  if (count == 0) return 0;
  const Eigen::Index k = l_.rows();
  const Eigen::Map<const Eigen::MatrixXd> points(rows, k, static_cast<Eigen::Index>(count));
  Eigen::MatrixXd u = points.colwise() - mean_;
  l_.triangularView<Eigen::Lower>().solveInPlace(u);
  return base_ + u.colwise().squaredNorm().maxCoeff();
}

}  // namespace regress
