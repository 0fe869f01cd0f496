#include "regress/model/robust.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <iterator>
#include <limits>
#include <utility>

#include "regress/error.hpp"

namespace regress {
namespace {

constexpr const char* vcov_names[] = {"const", "HC0", "HC1", "HC2", "HC3", "HC4", "CL"};

Eigen::Index eigen_index(std::size_t i) { return static_cast<Eigen::Index>(i); }

/// The bread (X'WX)^-1 in the centred coordinates z = (1, x - mean): the
/// intercept's block is 1 / (the weights' sum), the slopes' (L L')^-1.
Eigen::MatrixXd centred_bread(const ols_fit& fit) {
  const std::size_t k = fit.k();
  const std::size_t off = fit.intercept ? 1 : 0;
  Eigen::MatrixXd l = Eigen::MatrixXd::Zero(eigen_index(k), eigen_index(k));
  for (std::size_t i = 0; i < k; ++i) {
    for (std::size_t j = 0; j <= i; ++j) {
      l(eigen_index(i), eigen_index(j)) = double(fit.chol.at(i * (i + 1) / 2 + j));
    }
  }
  const Eigen::MatrixXd linv = l.triangularView<Eigen::Lower>().solve(
      Eigen::MatrixXd::Identity(eigen_index(k), eigen_index(k)));
  Eigen::MatrixXd bread = Eigen::MatrixXd::Zero(eigen_index(k + off), eigen_index(k + off));
  if (fit.intercept) bread(0, 0) = 1.0 / fit.centring_n();
  bread.bottomRightCorner(eigen_index(k), eigen_index(k)) = linv.transpose() * linv;
  return bread;
}

}  // namespace

vcov_kind parse_vcov(std::string_view text) {
  for (std::size_t i = 0; i < std::size(vcov_names); ++i) {
    if (text == vcov_names[i]) return static_cast<vcov_kind>(i);
  }
  throw usage_error("--vcov '" + std::string(text) +
                    "' is not a covariance; use const, HC0, HC1, HC2, HC3, HC4 or CL (with "
                    "--cluster COL)");
}

std::string vcov_name(vcov_kind kind) { return vcov_names[static_cast<std::size_t>(kind)]; }

bool vcov_needs_leverage(vcov_kind kind) noexcept {
  return kind == vcov_kind::hc2 || kind == vcov_kind::hc3 || kind == vcov_kind::hc4;
}

std::size_t robust_vcov::order() const noexcept {
  return static_cast<std::size_t>(std::llround(std::sqrt(static_cast<double>(matrix.size()))));
}

meat_sum::meat_sum(const ols_fit& fit, vcov_kind kind)
    : kind_(kind), p_(fit.k() + (fit.intercept ? 1 : 0)), intercept_(fit.intercept), n_(fit.nobs) {
  for (const dd& m : fit.mean) mean_.push_back(double(m));
  if (kind_ != vcov_kind::cl) meat_.assign(p_ * p_, 0.0);
  z_.resize(p_);
}

void meat_sum::add(const double* terms, double w, double residual, double leverage,
                   std::string_view cluster) {
  ++rows_;
  const std::size_t off = intercept_ ? 1 : 0;
  if (intercept_) z_[0] = 1;
  for (std::size_t j = 0; j + off < p_; ++j) {
    z_[j + off] = terms[j] - (j < mean_.size() ? mean_[j] : 0.0);
  }
  // sandwich's estfun.lm: the score of a row is w e x.
  const double score = w * residual;
  if (kind_ == vcov_kind::cl) {
    auto it = scores_.find(cluster);
    if (it == scores_.end())
      it = scores_.emplace(std::string(cluster), std::vector<double>(p_)).first;
    for (std::size_t j = 0; j < p_; ++j) it->second[j] += score * z_[j];
    return;
  }
  // meatHC's omega: the squared score, inflated by the (weighted) leverage
  // h = w x'(X'WX)^-1 x for HC2 to HC4.
  double omega = score * score;
  if (vcov_needs_leverage(kind_)) {
    const double h = w * leverage;
    const double rest = 1 - h;
    if (!(rest > 1e-10)) {  // 1 to rounding: the row alone fits a coefficient
      leverage_one_ = true;
      return;
    }
    if (kind_ == vcov_kind::hc2) omega /= rest;
    if (kind_ == vcov_kind::hc3) omega /= rest * rest;
    if (kind_ == vcov_kind::hc4) {
      const double delta = std::min(4.0, n_ * h / static_cast<double>(p_));
      omega /= std::pow(rest, delta);
    }
  }
  for (std::size_t i = 0; i < p_; ++i) {
    for (std::size_t j = 0; j <= i; ++j) meat_[i * p_ + j] += omega * z_[i] * z_[j];
  }
}

void meat_sum::merge(meat_sum&& other) {
  rows_ += other.rows_;
  leverage_one_ = leverage_one_ || other.leverage_one_;
  if (meat_.empty()) {
    meat_.resize(other.meat_.size());
  }
  for (std::size_t i = 0; i < other.meat_.size(); ++i) meat_[i] += other.meat_[i];
  for (auto& [key, s] : other.scores_) {
    auto it = scores_.find(key);
    if (it == scores_.end()) {
      scores_.emplace(key, std::move(s));
      continue;
    }
    for (std::size_t j = 0; j < s.size(); ++j) it->second[j] += s[j];
  }
}

robust_vcov meat_sum::finish(const ols_fit& fit, const std::string& cluster) const {
  if (leverage_one_) {
    throw model_error("a row has leverage 1 (it alone determines a coefficient), where " +
                      vcov_name(kind_) +
                      " is undefined; use --vcov HC0 or HC1, or drop the term that row alone "
                      "determines");
  }
  const auto p = eigen_index(p_);
  const double n = fit.nobs;
  const double np = static_cast<double>(p_);
  Eigen::MatrixXd meat = Eigen::MatrixXd::Zero(p, p);
  if (kind_ == vcov_kind::cl) {
    const double g = static_cast<double>(scores_.size());
    if (scores_.size() < 2) {
      throw model_error("--vcov CL needs at least 2 clusters in '" + cluster +
                        "', and the rows fitted have " + std::to_string(scores_.size()) +
                        "; cluster by another column or use --vcov HC1");
    }
    for (const auto& entry : scores_) {
      const Eigen::Map<const Eigen::VectorXd> s(entry.second.data(), p);
      meat += s * s.transpose();
    }
    // vcovCL(type = "HC1", cadjust = TRUE): G/(G-1) and (n-1)/(n-p).
    meat *= g / (g - 1) * (n - 1) / (n - np);
  } else {
    for (Eigen::Index i = 0; i < p; ++i) {
      for (Eigen::Index j = 0; j <= i; ++j) {
        meat(i, j) = meat(j, i) = meat_[static_cast<std::size_t>(i * p + j)];
      }
    }
    if (kind_ == vcov_kind::hc1) meat *= n / (n - np);
  }
  const Eigen::MatrixXd bread = centred_bread(fit);
  const Eigen::MatrixXd centred = bread * meat * bread;
  // Back to the raw intercept: b0 = c0 - mean' b.
  Eigen::MatrixXd a = Eigen::MatrixXd::Identity(p, p);
  if (fit.intercept) {
    for (std::size_t j = 0; j < mean_.size(); ++j) a(0, eigen_index(j + 1)) = -mean_[j];
  }
  const Eigen::MatrixXd raw = a * centred * a.transpose();
  robust_vcov v;
  v.kind = kind_;
  v.cluster = cluster;
  v.clusters = scores_.size();
  v.matrix.resize(p_ * p_);
  for (Eigen::Index i = 0; i < p; ++i) {
    for (Eigen::Index j = 0; j < p; ++j) {
      v.matrix[static_cast<std::size_t>(i * p + j)] = 0.5 * (raw(i, j) + raw(j, i));
    }
  }
  return v;
}

wald_result wald_slopes(const robust_vcov& v, const std::vector<double>& estimates,
                        bool intercept) {
  const std::size_t p = v.order();
  const std::size_t off = intercept ? 1 : 0;
  wald_result r;
  r.df = static_cast<double>(p - off);
  if (p <= off) {
    r.statistic = std::numeric_limits<double>::quiet_NaN();
    return r;
  }
  const auto q = eigen_index(p - off);
  Eigen::MatrixXd vs(q, q);
  Eigen::VectorXd b(q);
  for (Eigen::Index i = 0; i < q; ++i) {
    b(i) = estimates.at(static_cast<std::size_t>(i) + off);
    for (Eigen::Index j = 0; j < q; ++j) {
      vs(i, j) = v.at(static_cast<std::size_t>(i) + off, static_cast<std::size_t>(j) + off);
    }
  }
  // With fewer clusters than coefficients the meat, and so the slopes'
  // covariance, can be singular: no Wald test then (R's solve() stops).
  const Eigen::JacobiSVD<Eigen::MatrixXd> svd(vs);
  const Eigen::VectorXd& sv = svd.singularValues();
  if (!(sv(q - 1) > 1e-14 * sv(0))) {
    r.statistic = std::numeric_limits<double>::quiet_NaN();
    return r;
  }
  // waldtest solves with the covariance directly (solve(vc, b)).
  const Eigen::VectorXd x = vs.ldlt().solve(b);
  r.statistic = b.dot(x) / r.df;
  return r;
}

}  // namespace regress
