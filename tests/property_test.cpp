// Properties of the fit that follow from the algebra of least squares,
// checked on seeded random data with several predictors and with a
// polynomial:
//  - the order of the rows does not matter;
//  - scaling or shifting a predictor or the response changes the estimates
//    exactly as the algebra says (and scaling by a power of two changes
//    them exactly, bit for bit: it commutes with every rounding);
//  - duplicating every row keeps the estimates and multiplies the standard
//    errors by sqrt((n - p) / (2n - p)): X'X and the RSS double, the residual
//    degrees of freedom go from n - p to 2n - p;
//  - merging the states of any split of the rows (ols_state::merge, and
//    fit --save-state shards through merge_states) gives the fit of all rows.
//
// Tolerances: "tight" is 1e-12 of the estimate plus 1e-12 of its standard
// error (an estimate near zero is compared on its statistical scale);
// "exact" is equality of the doubles.

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <numeric>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "regress/engine/engine.hpp"
#include "regress/files/state_file.hpp"
#include "regress/model/design.hpp"
#include "regress/model/model.hpp"
#include "regress/model/ols.hpp"
#include "regress/model/summary.hpp"
#include "regress/reading/table.hpp"
#include "support/numeric.hpp"

namespace {

constexpr double tight = 1e-12;

/// v on a grid of 2^-24, so that the shifts below (up to 1e7) are exact and a
/// shifted data set is exactly the shifted data, not a rounding of it.
double on_grid(double v) { return std::ldexp(std::round(std::ldexp(v, 24)), -24); }

/// Columns of a data set: predictors first, the response last.
struct data_set {
  std::vector<std::vector<double>> cols;
  std::vector<std::string> names;
  int degree = 1;
  bool intercept = true;
  std::size_t rows() const { return cols[0].size(); }
  std::size_t parameters() const {
    return (names.size() - 1) + static_cast<std::size_t>(degree - 1) + (intercept ? 1 : 0);
  }
};

/// y = 3 - 2 x1 + 0.5 x2 + 4 x3 + noise, x's of different scales and offsets.
data_set several(unsigned seed, std::size_t n = 40) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> z;
  data_set d;
  d.names = {"x1", "x2", "x3", "y"};
  d.cols.assign(4, {});
  for (std::size_t i = 0; i < n; ++i) {
    const double x1 = on_grid(10 + 3 * z(rng)), x2 = on_grid(1000 * z(rng)),
                 x3 = on_grid(0.01 * z(rng) - 5);
    d.cols[0].push_back(x1);
    d.cols[1].push_back(x2);
    d.cols[2].push_back(x3);
    d.cols[3].push_back(on_grid(3 - 2 * x1 + 0.5 * x2 + 4 * x3 + z(rng)));
  }
  return d;
}

/// A cubic in one predictor: y = 1 + x - 0.3 x^2 + 0.02 x^3 + noise.
data_set cubic(unsigned seed, std::size_t n = 30) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> z;
  std::uniform_real_distribution<double> u(-4, 9);
  data_set d;
  d.names = {"x", "y"};
  d.degree = 3;
  d.cols.assign(2, {});
  for (std::size_t i = 0; i < n; ++i) {
    const double x = on_grid(u(rng));
    d.cols[0].push_back(x);
    d.cols[1].push_back(on_grid(1 + x - 0.3 * x * x + 0.02 * x * x * x + 0.5 * z(rng)));
  }
  return d;
}

regress::model_spec spec_of(const data_set& d) {
  regress::model_spec spec;
  spec.response = d.names.back();
  spec.predictors.assign(d.names.begin(), d.names.end() - 1);
  spec.degree = d.degree;
  spec.intercept = d.intercept;
  return spec;
}

regress::summary fit(const data_set& d) {
  regress::table t;
  t.names = d.names;
  t.columns = d.cols;
  for (std::size_t i = 0; i < d.rows(); ++i) t.lines.push_back(i + 2);
  const regress::model_spec spec = spec_of(d);
  return regress::summarize(regress::fit_model(spec, regress::make_design(spec, t)), 0.95);
}

/// |a - b| within `tol` of |a| + se (se: the estimate's standard error).
bool close(double a, double b, double se, double tol = tight) {
  return test_support::close_on_scale(a, b, se, tol);
}

/// A coefficient after scaling: exactly `want` and `want_se` when the scale
/// is a power of two (no rounding), else `close` to them.
void check_scaled(const regress::coefficient& got, double want, double want_se, bool power_of_two) {
  if (power_of_two) {
    CHECK(got.estimate == want);
    CHECK(got.std_error == want_se);
  } else {
    CHECK(close(got.estimate, want, want_se));
    CHECK(close(got.std_error, want_se, 0));
  }
}

/// Every estimate and standard error of `b` is tight to `a`'s.
void require_same_fit(const regress::summary& a, const regress::summary& b, double tol = tight) {
  REQUIRE(a.terms.size() == b.terms.size());
  for (std::size_t j = 0; j < a.terms.size(); ++j) {
    INFO("term " << a.terms[j].term);
    CHECK(close(a.terms[j].estimate, b.terms[j].estimate, a.terms[j].std_error, tol));
    CHECK(close(a.terms[j].std_error, b.terms[j].std_error, 0, tol));
  }
  CHECK(close(a.stats.r_squared, b.stats.r_squared, 0, tol));
  CHECK(close(a.stats.sigma, b.stats.sigma, 0, tol));
}

data_set permuted(const data_set& d, const std::vector<std::size_t>& order) {
  data_set p = d;
  for (auto& c : p.cols) c.clear();
  for (std::size_t i : order) {
    for (std::size_t c = 0; c < d.cols.size(); ++c) p.cols[c].push_back(d.cols[c][i]);
  }
  return p;
}

}  // namespace

TEST_CASE("Row order does not change the fit", "[property]") {
  for (const data_set& d : {several(1), cubic(2)}) {
    const regress::summary whole = fit(d);
    std::vector<std::size_t> order(d.rows());
    std::iota(order.begin(), order.end(), std::size_t(0));
    std::mt19937_64 rng(7);
    for (int trial = 0; trial < 20; ++trial) {
      std::shuffle(order.begin(), order.end(), rng);
      require_same_fit(whole, fit(permuted(d, order)));
    }
    std::reverse(order.begin(), order.end());
    require_same_fit(whole, fit(permuted(d, order)));
  }
}

TEST_CASE("Scaling a predictor by a divides its slope and standard error by a", "[property]") {
  const data_set d = several(3);
  const regress::summary base = fit(d);
  for (double a : {0.125, 1024.0, 3.7, -2.5, 1e-6}) {
    INFO("a = " << a);
    data_set s = d;
    for (double& v : s.cols[1]) v *= a;  // x2
    const regress::summary got = fit(s);
    for (std::size_t j = 0; j < base.terms.size(); ++j) {
      INFO("term " << base.terms[j].term);
      const double f = j == 2 ? 1 / a : 1.0;  // (Intercept), x1, x2, x3
      const double want = base.terms[j].estimate * f;
      const double want_se = base.terms[j].std_error * std::fabs(f);
      const bool power_of_two =
          std::fabs(std::log2(std::fabs(a)) - std::round(std::log2(std::fabs(a)))) == 0;
      check_scaled(got.terms[j], want, want_se, power_of_two);
      // t values on their own scale: to `tight` of |t| + 1.
      CHECK(close(got.terms[j].statistic, base.terms[j].statistic * (f < 0 ? -1 : 1), 1));
    }
    CHECK(close(got.stats.r_squared, base.stats.r_squared, 0));
  }
}

TEST_CASE("Shifting a predictor by c moves only the intercept, by -slope c", "[property]") {
  const data_set d = several(4);
  const regress::summary base = fit(d);
  for (double c : {1.0, -1000.5, 1e6}) {
    INFO("c = " << c);
    data_set s = d;
    for (double& v : s.cols[0]) v += c;  // x1
    const regress::summary got = fit(s);
    const double want0 = base.terms[0].estimate - base.terms[1].estimate * c;
    // The intercept's standard error changes too (it is at another x); compare
    // it on the scale of the slope's contribution, |c| se(slope).
    CHECK(close(got.terms[0].estimate, want0,
                got.terms[0].std_error + std::fabs(c) * base.terms[1].std_error));
    for (std::size_t j = 1; j < base.terms.size(); ++j) {
      INFO("term " << base.terms[j].term);
      CHECK(close(got.terms[j].estimate, base.terms[j].estimate, base.terms[j].std_error, 1e-10));
      CHECK(close(got.terms[j].std_error, base.terms[j].std_error, 0, 1e-10));
    }
    CHECK(close(got.stats.r_squared, base.stats.r_squared, 0, 1e-10));
    CHECK(close(got.stats.sigma, base.stats.sigma, 0, 1e-10));
  }
}

TEST_CASE("Shifting x in a quadratic re-expands the coefficients binomially", "[property]") {
  data_set d = cubic(5);
  d.degree = 2;
  const regress::summary base = fit(d);
  const double c = 2.5;
  data_set s = d;
  for (double& v : s.cols[0]) v += c;  // x' = x + c, so x = x' - c
  const regress::summary got = fit(s);
  const double b0 = base.terms[0].estimate, b1 = base.terms[1].estimate,
               b2 = base.terms[2].estimate;
  // b0 + b1 (x' - c) + b2 (x' - c)^2 = (b0 - b1 c + b2 c^2) + (b1 - 2 b2 c) x' + b2 x'^2
  CHECK(close(got.terms[0].estimate, b0 - b1 * c + b2 * c * c, got.terms[0].std_error, 1e-10));
  CHECK(close(got.terms[1].estimate, b1 - 2 * b2 * c, got.terms[1].std_error, 1e-10));
  CHECK(close(got.terms[2].estimate, b2, got.terms[2].std_error, 1e-10));
  CHECK(close(got.terms[2].std_error, base.terms[2].std_error, 0, 1e-10));
  CHECK(close(got.stats.sigma, base.stats.sigma, 0, 1e-10));
}

TEST_CASE("Scaling the response by b scales estimates, errors and sigma by b", "[property]") {
  for (const data_set& d : {several(6), cubic(7)}) {
    const regress::summary base = fit(d);
    for (double b : {4.0, 0.0078125, 3.7, -1e5}) {
      INFO("b = " << b);
      data_set s = d;
      for (double& v : s.cols.back()) v *= b;
      const regress::summary got = fit(s);
      const bool power_of_two = b == 4.0 || b == 0.0078125;
      for (std::size_t j = 0; j < base.terms.size(); ++j) {
        INFO("term " << base.terms[j].term);
        const double want = base.terms[j].estimate * b;
        const double want_se = base.terms[j].std_error * std::fabs(b);
        check_scaled(got.terms[j], want, want_se, power_of_two);
      }
      CHECK(close(got.stats.sigma, base.stats.sigma * std::fabs(b), 0));
      CHECK(close(got.stats.r_squared, base.stats.r_squared, 0));
    }
  }
}

TEST_CASE("Shifting the response by d moves only the intercept, by d", "[property]") {
  for (const data_set& d : {several(8), cubic(9)}) {
    const regress::summary base = fit(d);
    for (double shift : {1.0, -250.25, 1e7}) {
      INFO("d = " << shift);
      data_set s = d;
      for (double& v : s.cols.back()) v += shift;
      const regress::summary got = fit(s);
      CHECK(close(got.terms[0].estimate, base.terms[0].estimate + shift, base.terms[0].std_error));
      for (std::size_t j = 1; j < base.terms.size(); ++j) {
        INFO("term " << base.terms[j].term);
        CHECK(close(got.terms[j].estimate, base.terms[j].estimate, base.terms[j].std_error, 1e-10));
      }
      for (std::size_t j = 0; j < base.terms.size(); ++j) {
        CHECK(close(got.terms[j].std_error, base.terms[j].std_error, 0, 1e-10));
      }
      CHECK(close(got.stats.sigma, base.stats.sigma, 0, 1e-10));
    }
  }
}

TEST_CASE("Duplicating every row keeps the estimates; errors shrink by sqrt((n-p)/(2n-p))",
          "[property]") {
  for (data_set d : {several(10), cubic(11)}) {
    for (bool intercept : {true, false}) {
      d.intercept = intercept;
      INFO("intercept " << intercept << ", degree " << d.degree);
      const regress::summary base = fit(d);
      data_set twice = d;
      for (std::size_t c = 0; c < d.cols.size(); ++c) {
        twice.cols[c].insert(twice.cols[c].end(), d.cols[c].begin(), d.cols[c].end());
      }
      const regress::summary got = fit(twice);
      const double n = static_cast<double>(d.rows());
      const double p = static_cast<double>(d.parameters());
      const double factor = std::sqrt((n - p) / (2 * n - p));
      REQUIRE(got.stats.df_residual == 2 * n - p);
      for (std::size_t j = 0; j < base.terms.size(); ++j) {
        INFO("term " << base.terms[j].term);
        CHECK(close(got.terms[j].estimate, base.terms[j].estimate, base.terms[j].std_error));
        CHECK(close(got.terms[j].std_error, base.terms[j].std_error * factor, 0));
      }
      CHECK(close(got.stats.r_squared, base.stats.r_squared, 0));
    }
  }
}

namespace {

/// The state of rows [from, to) of `d`.
regress::ols_state state_of_rows(const data_set& d, std::size_t from, std::size_t to) {
  const std::size_t np = d.cols.size() - 1;
  regress::ols_state s(np, d.degree, d.intercept);
  std::vector<double> x(np);
  for (std::size_t i = from; i < to; ++i) {
    for (std::size_t j = 0; j < np; ++j) x[j] = d.cols[j][i];
    s.add_row(x.data(), d.cols.back()[i]);
  }
  return s;
}

std::vector<double> coefficients(const regress::ols_fit& f) {
  std::vector<double> c;
  c.push_back(static_cast<double>(regress::raw_intercept(f)));
  for (const regress::dd& s : f.slopes) c.push_back(static_cast<double>(s));
  return c;
}

void require_same_solution(const regress::ols_fit& whole, const regress::ols_fit& merged) {
  REQUIRE(merged.nobs == whole.nobs);
  const auto a = coefficients(whole), b = coefficients(merged);
  const auto se = regress::variance_factors(whole);
  const double sigma = std::sqrt(static_cast<double>(whole.rss) / whole.df_residual);
  for (std::size_t j = 0; j < a.size(); ++j) {
    INFO("coefficient " << j << ": whole " << a[j] << ", merged " << b[j]);
    // variance_factors: the slopes, then the intercept last.
    const double s = sigma * std::sqrt(j == 0 ? se.back() : se[j - 1]);
    CHECK(close(a[j], b[j], s));
  }
  CHECK(close(static_cast<double>(whole.rss), static_cast<double>(merged.rss), 0, 1e-10));
}

std::vector<std::string> slope_names(const data_set& d) { return regress::slope_terms(spec_of(d)); }

}  // namespace

TEST_CASE("Merging the states of any two-way split gives the fit of all rows", "[property]") {
  for (const data_set& d : {several(12), cubic(13)}) {
    const auto terms = slope_names(d);
    const regress::ols_fit whole = regress::solve(state_of_rows(d, 0, d.rows()), terms);
    for (std::size_t cut = 0; cut <= d.rows(); ++cut) {
      INFO("rows [0, " << cut << ") + [" << cut << ", n)");
      regress::ols_state a = state_of_rows(d, 0, cut);
      a.merge(state_of_rows(d, cut, d.rows()));
      require_same_solution(whole, regress::solve(a, terms));
    }
  }
}

TEST_CASE("Merging many random pieces, in any grouping, gives the fit of all rows", "[property]") {
  const data_set d = several(14, 200);
  const auto terms = slope_names(d);
  const regress::ols_fit whole = regress::solve(state_of_rows(d, 0, d.rows()), terms);
  std::mt19937_64 rng(15);
  for (int trial = 0; trial < 20; ++trial) {
    // Random cut points, some pieces empty or a single row.
    std::vector<std::size_t> cuts = {0, d.rows()};
    std::uniform_int_distribution<std::size_t> at(0, d.rows());
    for (int k = 0; k < 8; ++k) cuts.push_back(at(rng));
    std::sort(cuts.begin(), cuts.end());
    std::vector<regress::ols_state> pieces;
    for (std::size_t i = 0; i + 1 < cuts.size(); ++i) {
      pieces.push_back(state_of_rows(d, cuts[i], cuts[i + 1]));
    }
    // Left to right, and as a balanced tree.
    regress::ols_state left = pieces[0];
    for (std::size_t i = 1; i < pieces.size(); ++i) left.merge(pieces[i]);
    require_same_solution(whole, regress::solve(left, terms));
    while (pieces.size() > 1) {
      std::vector<regress::ols_state> next;
      for (std::size_t i = 0; i < pieces.size(); i += 2) {
        if (i + 1 < pieces.size()) pieces[i].merge(pieces[i + 1]);
        next.push_back(pieces[i]);
      }
      pieces = next;
    }
    require_same_solution(whole, regress::solve(pieces[0], terms));
  }
}

namespace {

/// Shards of several(16, 60) written as CSV, fitted by the engine, saved and
/// read back as fit --save-state and merge do.
struct shards {
  data_set d = several(16, 60);
  std::string csv(std::size_t from, std::size_t to) const {
    std::ostringstream out;
    out.precision(17);
    out << "x1,x2,x3,y\n";
    for (std::size_t i = from; i < to; ++i) {
      out << d.cols[0][i] << ',' << d.cols[1][i] << ',' << d.cols[2][i] << ',' << d.cols[3][i]
          << '\n';
    }
    return out.str();
  }
  static regress::column_choice choose(const std::vector<std::string>&) {
    regress::column_choice c;
    c.spec.response = "y";
    c.spec.predictors = {"x1", "x2", "x3"};
    c.indices = {3, 0, 1, 2};
    return c;
  }
  regress::fit_state shard(const std::string& text) const {
    std::istringstream in(text);
    std::ostringstream saved;
    regress::engine_options o;
    o.keep_unsolvable = true;  // as fit --save-state
    regress::write_state(saved, regress::state_of(regress::fit_csv_stream(in, choose, o)));
    std::istringstream back(saved.str());
    return regress::read_state(back, "shard");
  }
  regress::model whole() const {
    std::istringstream all(csv(0, d.rows()));
    return regress::fit_csv_stream(all, choose, {}).fitted;
  }
  /// The merged model of the shards cut at `cuts`, checked against the whole.
  void require_merge_is_whole(const std::vector<std::size_t>& cuts) const {
    std::vector<regress::fit_state> states;
    std::vector<std::string> names;
    for (std::size_t i = 0; i + 1 < cuts.size(); ++i) {
      states.push_back(shard(csv(cuts[i], cuts[i + 1])));
      names.push_back("shard" + std::to_string(i));
    }
    const regress::model w = whole();
    const regress::model merged = regress::model_of(regress::merge_states(states, names));
    require_same_solution(w.fit, merged.fit);
    require_same_fit(regress::summarize(w, 0.95), regress::summarize(merged, 0.95), 1e-10);
  }
};

}  // namespace

TEST_CASE("Merging saved shards (fit --save-state, merge) gives the fit of all rows",
          "[property]") {
  const shards s;
  s.require_merge_is_whole({0, 30, 60});
  s.require_merge_is_whole({0, 20, 40, 60});
  s.require_merge_is_whole({0, 5, 11, 54, 60});
}

TEST_CASE("A shard too small or too uniform to fit alone still saves and merges", "[property]") {
  // fit --save-state used to solve the shard before saving its state, so a
  // shard with no more rows than parameters, or one in which a predictor is
  // constant (data sharded by a predictor's value), could not be saved. The
  // state is well defined and merges exactly; only its own solution is not.
  const shards s;
  CHECK_NOTHROW(s.require_merge_is_whole({0, 1, 60}));
  CHECK_NOTHROW(s.require_merge_is_whole({0, 3, 58, 60}));
}
