#include "regress/model/ols.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <random>

#include "regress/error.hpp"

using namespace regress;

namespace {
constexpr double tight = 1e-12;  // relative: reassociation of a few sums only

struct data {
  Eigen::MatrixXd x;
  Eigen::VectorXd y;
};

data make(int n, int k, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> z;
  data d{Eigen::MatrixXd(n, k), Eigen::VectorXd(n)};
  for (int i = 0; i < n; ++i) {
    double yi = 3;
    for (int j = 0; j < k; ++j) {
      d.x(i, j) = 100 + 10 * z(rng);
      yi += (j + 1) * d.x(i, j);
    }
    d.y(i) = yi + z(rng);
  }
  return d;
}

bool close(double a, double b) { return std::abs(a - b) <= tight * std::max(1.0, std::abs(b)); }

void check_same(const ols_fit& a, const ols_fit& b) {
  CHECK(a.nobs == b.nobs);
  for (std::size_t j = 0; j < a.k(); ++j) CHECK(close(double(a.slopes[j]), double(b.slopes[j])));
  CHECK(close(double(raw_intercept(a)), double(raw_intercept(b))));
  CHECK(close(double(a.rss), double(b.rss)));
  CHECK(close(double(a.mss), double(b.mss)));
}
}  // namespace

TEST_CASE("adding rows one by one or merging states gives the fit of all rows", "[ols]") {
  const std::vector<std::string> terms{"a", "b", "c"};
  for (bool intercept : {true, false}) {
    const data d = make(200, 3, 7);
    ols_state whole(3, 1, intercept);
    whole.add_rows(d.x, d.y);
    const ols_fit reference = solve(whole, terms);

    ols_state blocks(3, 1, intercept);
    for (int start = 0; start < 200; start += 37) {
      const int rows = std::min(37, 200 - start);
      blocks.add_rows(d.x.middleRows(start, rows), d.y.segment(start, rows));
    }
    check_same(solve(blocks, terms), reference);

    ols_state left(3, 1, intercept), right(3, 1, intercept);
    left.add_rows(d.x.topRows(1), d.y.head(1));  // a one-row shard
    right.add_rows(d.x.bottomRows(199), d.y.tail(199));
    left.merge(right);
    check_same(solve(left, terms), reference);
  }
}

TEST_CASE("the slope of a predictor far from zero keeps every digit", "[ols]") {
  // x = 1e6 + 0.001 i, y = 5 + 3 (x - 1e6): the exact answer is known, and R's
  // default lm drops x here as collinear with the intercept.
  const int n = 200;
  Eigen::MatrixXd x(n, 1);
  Eigen::VectorXd y(n);
  for (int i = 0; i < n; ++i) {
    x(i, 0) = 1e6 + 0.001 * i;
    y(i) = 5 + 3 * (x(i, 0) - 1e6);
  }
  ols_state s(1, 1, true);
  s.add_rows(x, y);
  const ols_fit f = solve(s, {"x"});
  CHECK(double(f.slopes[0]) == Approx(3).epsilon(1e-9));
  const double x0 = 1e6 + 0.5;
  CHECK(fitted_value(f, &x0) == Approx(6.5).epsilon(1e-12));
}

TEST_CASE("rank deficiency names the offending term", "[ols]") {
  const data d = make(50, 2, 3);
  Eigen::MatrixXd x(50, 3);
  x << d.x, d.x.col(0) * 2 - d.x.col(1);  // an exact combination
  ols_state s(3, 1, true);
  s.add_rows(x, d.y);
  CHECK_THROWS_WITH(solve(s, {"a", "b", "c"}),
                    Catch::Contains("'c'") && Catch::Contains("linear combination"));

  Eigen::MatrixXd constant(50, 2);
  constant << d.x.col(0), Eigen::VectorXd::Constant(50, 4.2);
  ols_state c(2, 1, true);
  c.add_rows(constant, d.y);
  CHECK_THROWS_WITH(solve(c, {"a", "k"}), Catch::Contains("'k'") && Catch::Contains("constant"));

  ols_state few(2, 1, true);
  few.add_rows(d.x.topRows(3), d.y.head(3));
  CHECK_THROWS_AS(solve(few, {"a", "b"}), model_error);
}

TEST_CASE("merging states of different shapes is refused", "[ols]") {
  ols_state a(2, 1, true), b(3, 1, true), c(2, 1, false), d(1, 2, true), e(1, 3, true);
  CHECK_THROWS_AS(a.merge(b), model_error);
  CHECK_THROWS_AS(a.merge(c), model_error);
  CHECK_THROWS_AS(d.merge(e), model_error);
}
