// Residual bootstrap intervals (--method bootstrap, analyses/bootstrap.hpp).
//
// No reference numbers from elsewhere: the library's interval is checked
// against a straightforward computation written here from Davison and
// Hinkley (1997), Algorithm 6.4 (an explicit hat matrix, a refit of every
// replicate by Eigen's QR, the same generator sequence), and its coverage by
// simulation (fixed seeds) against the nominal level.

#include "regress/analyses/bootstrap.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "regress/model/design.hpp"
#include "regress/model/frame.hpp"
#include "regress/model/predict.hpp"
#include "regress/reading/csv.hpp"
#include "support/files.hpp"
#include "support/in_process.hpp"

using namespace regress;

namespace {

/// The library and the refits here differ only by rounding: 1e-9 of the
/// response's scale (the brief's tolerance).
constexpr double kTol = 1e-9;

/// Straightforward Algorithm 6.4: x (n x q) and y already scaled by sqrt(w)
/// for a weighted fit; the interval at x0 (prediction or confidence) for R
/// replicates whose order statistics (R+1)(1-level)/2 and (R+1)(1+level)/2
/// are the whole numbers lo and hi.
struct straightforward {
  double lwr, upr;
};
straightforward by_refits(const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                          const Eigen::VectorXd& x0, std::size_t replicates, std::uint64_t seed,
                          bool prediction, double new_weight, std::size_t lo, std::size_t hi) {
  const auto n = static_cast<std::size_t>(x.rows());
  const Eigen::VectorXd beta = x.colPivHouseholderQr().solve(y);
  const Eigen::VectorXd e = y - x * beta;
  const Eigen::MatrixXd hat = x * (x.transpose() * x).inverse() * x.transpose();
  std::vector<double> r(n);
  double mean = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const auto k = static_cast<Eigen::Index>(i);
    r[i] = e(k) / std::sqrt(1 - hat(k, k));
    mean += r[i] / double(n);
  }
  for (double& v : r) v -= mean;
  std::vector<double> stat;
  for (std::size_t m = 0; m < replicates; ++m) {
    bootstrap_generator g(seed, m);
    Eigen::VectorXd ystar = x * beta;
    for (std::size_t i = 0; i < n; ++i) ystar(static_cast<Eigen::Index>(i)) += r[g.below(n)];
    const double eps = r[g.below(n)] / std::sqrt(new_weight);
    const Eigen::VectorXd bstar = x.colPivHouseholderQr().solve(ystar);  // a refit
    const double delta = x0.dot(bstar) - (x0.dot(beta) + eps);
    stat.push_back(prediction ? delta : x0.dot(bstar));
  }
  std::sort(stat.begin(), stat.end());
  const double fit = x0.dot(beta);
  if (prediction) return {fit - stat[hi - 1], fit - stat[lo - 1]};
  return {stat[lo - 1], stat[hi - 1]};
}

/// y = 2 + 3x + skewed noise on 25 rows.
table skewed_line(std::size_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::exponential_distribution<double> ex(1.0);
  table t;
  t.names = {"x", "y"};
  t.columns.assign(2, std::vector<double>(n));
  for (std::size_t i = 0; i < n; ++i) {
    t.columns[0][i] = double(i) / double(n - 1);
    t.columns[1][i] = 2 + 3 * t.columns[0][i] + (ex(rng) - 1);
    t.lines.push_back(i + 2);
  }
  return t;
}

model_spec line_spec() {
  model_spec spec;
  spec.response = "y";
  spec.predictors = {"x"};
  return spec;
}

}  // namespace

TEST_CASE("bootstrap: a line's intervals equal refits by QR of every replicate", "[bootstrap]") {
  const table t = skewed_line(25, 7);
  const design d = make_design(line_spec(), t);
  const model m = fit_model(line_spec(), d);
  const bootstrap_rows rows = rows_of(m, d);
  // R = 999 at level 0.9: (R+1)(1-level)/2 = 50 and (R+1)(1+level)/2 = 950.
  const bootstrap_replicates b = bootstrap(rows, {999, 42, 2});
  for (double x : {0.5, 1.0, 3.0}) {
    const Eigen::VectorXd x0 = point_of(m, &x);
    const double fit = predict_one(m, &x, interval_kind::prediction, 0.9).fit;
    for (bool pred : {true, false}) {
      const straightforward s = by_refits(rows.x, rows.y, x0, 999, 42, pred, 1, 50, 950);
      const bootstrap_limits l = bootstrap_interval(
          b, x0, fit, pred ? interval_kind::prediction : interval_kind::confidence, 0.9);
      INFO("x = " << x << (pred ? " prediction" : " confidence"));
      CHECK(l.lwr == Approx(s.lwr).margin(kTol));
      CHECK(l.upr == Approx(s.upr).margin(kTol));
    }
  }
}

TEST_CASE("bootstrap: a weighted fit with a factor equals weighted refits by QR", "[bootstrap]") {
  // tests/data/f_weights.csv: y ~ x + g with weights w (zero weights among them).
  const std::string path = test_support::repo_path("tests/data/f_weights.csv");
  std::ifstream in(path, std::ios::binary);
  csv_reader reader(in, csv_options{',', path});
  std::vector<std::string> header;
  reader.next(header);
  const formula_frame frame = read_formula_frame(reader, header, "y ~ x + g", "w");
  const model m = fit_formula(frame, 0.95);
  const bootstrap_rows rows = rows_of(m, frame);
  const Eigen::VectorXd root = rows.w.cwiseSqrt();
  const Eigen::MatrixXd xs = root.asDiagonal() * rows.x;
  const Eigen::VectorXd ys = root.cwiseProduct(rows.y);
  const bootstrap_replicates b = bootstrap(rows, {999, 5, 3});
  const Eigen::VectorXd x0 = rows.x.row(0).transpose();
  const double fit = x0.dot(xs.colPivHouseholderQr().solve(ys));
  for (double w0 : {1.0, 2.5}) {
    const straightforward s = by_refits(xs, ys, x0, 999, 5, true, w0, 50, 950);
    const bootstrap_limits l = bootstrap_interval(b, x0, fit, interval_kind::prediction, 0.9, w0);
    CHECK(l.lwr == Approx(s.lwr).margin(kTol));
    CHECK(l.upr == Approx(s.upr).margin(kTol));
  }
}

TEST_CASE("bootstrap: the replicates are the same for any thread count", "[bootstrap]") {
  const table t = skewed_line(40, 3);
  const design d = make_design(line_spec(), t);
  const model m = fit_model(line_spec(), d);
  const bootstrap_rows rows = rows_of(m, d);
  const bootstrap_replicates one = bootstrap(rows, {501, 9, 1});
  for (unsigned threads : {2U, 3U, 7U}) {
    const bootstrap_replicates many = bootstrap(rows, {501, 9, threads});
    CHECK(many.shift == one.shift);
    CHECK(many.error == one.error);
  }
  CHECK(bootstrap(rows, {501, 10, 1}).error != one.error);
}

TEST_CASE("bootstrap: order statistics and their interpolation", "[bootstrap]") {
  std::vector<double> v;
  for (int i = 1; i <= 99; ++i) v.push_back(i);
  // (R+1)p = 100 * 0.25 = 25: the 25th order statistic.
  CHECK(bootstrap_quantile(v, 0.25) == 25);
  // Beyond the ends: the extremes.
  CHECK(bootstrap_quantile(v, 0.001) == 1);
  CHECK(bootstrap_quantile(v, 0.999) == 99);
  // (R+1)p = 25.5: between the 25th and 26th, on the normal scale (D&H eq. 5.8).
  const double q = bootstrap_quantile(v, 0.255);
  CHECK(q > 25);
  CHECK(q < 26);
}

TEST_CASE("bootstrap: each tail misses close to (1-level)/2 with skewed errors", "[bootstrap]") {
  // A line y = 1 + 2x on 60 evenly spaced x in [0, 1], right-skewed errors
  // of mean 0, a fresh observation at x0; 4,000 data sets each, R = 999 (so
  // (R+1)0.025 = 25 and (R+1)0.975 = 975 are whole), level 0.95. Cases:
  //   exponential, x0 = 1.5: errors Exp(1) - 1, one span beyond the data;
  //   gumbel, x0 = 0.5: errors Gumbel(0, 1) - 0.5772 (Euler's constant), inside;
  //   exponential, x0 = 0.5: printed, with a weaker check (see below).
  // The textbook interval is symmetric, so it misses mostly above. Each
  // tail's miss rate has a binomial standard error of sqrt(0.025 * 0.975 /
  // 4000) = 0.0025: where asserted, the bootstrap's tails are within 0.012
  // (about 5 standard errors, allowing the bootstrap's own small-sample
  // bias: with 30 rows its upper tail missed 0.03 to 0.04) of 0.025, while
  // the textbook's lower tail is below 0.012 and its upper above 0.038 (over
  // 5 standard errors from 0.025 each).
  //
  // Exponential errors inside the data: the lower 2.5% of Exp(1) - 1 lies
  // 0.025 above its bound -1, the residuals' lowest values place that bound
  // to within about 1/n, and the same error of the mean shifts the fit and
  // the residuals alike; so the bootstrap's lower limit falls below every
  // possible response nearly always (a lower tail near 0, the textbook's as
  // well). Only the upper tail is checked there: nearer 0.025 than the
  // textbook's.
  struct sim_case {
    const char* name;
    double x0;
    bool gumbel;
    bool both_tails;
  };
  const std::size_t n = 60, datasets = 4000, R = 999;
  std::mt19937_64 rng(20261202);
  std::exponential_distribution<double> ex(1.0);
  std::extreme_value_distribution<double> gu(0.0, 1.0);
  constexpr double euler_gamma = 0.57721566490153286;  // the mean of Gumbel(0, 1)
  table t;
  t.names = {"x", "y"};
  t.columns.assign(2, std::vector<double>(n));
  t.lines.assign(n, 0);
  for (const sim_case c :
       {sim_case{"exponential", 1.5, false, true}, sim_case{"gumbel", 0.5, true, true},
        sim_case{"exponential", 0.5, false, false}}) {
    const auto noise = [&] { return c.gumbel ? gu(rng) - euler_gamma : ex(rng) - 1; };
    std::size_t t_low = 0, t_high = 0, b_low = 0, b_high = 0;
    for (std::size_t k = 0; k < datasets; ++k) {
      for (std::size_t i = 0; i < n; ++i) {
        t.columns[0][i] = double(i) / double(n - 1);
        t.columns[1][i] = 1 + 2 * t.columns[0][i] + noise();
      }
      const design d = make_design(line_spec(), t);
      const model m = fit_model(line_spec(), d);
      const double y0 = 1 + 2 * c.x0 + noise();
      const prediction p = predict_one(m, &c.x0, interval_kind::prediction, 0.95);
      const bootstrap_replicates b = bootstrap(rows_of(m, d), {R, k + 1, 2});
      const bootstrap_limits l =
          bootstrap_interval(b, point_of(m, &c.x0), p.fit, interval_kind::prediction, 0.95);
      t_low += y0 < p.lwr;
      t_high += y0 > p.upr;
      b_low += y0 < l.lwr;
      b_high += y0 > l.upr;
    }
    const auto share = [&](std::size_t count) { return double(count) / double(datasets); };
    WARN(c.name << " errors, x0 = " << c.x0 << ", nominal 0.025 each tail: textbook misses below "
                << share(t_low) << ", above " << share(t_high) << "; bootstrap below "
                << share(b_low) << ", above " << share(b_high));
    CHECK(std::abs(share(b_high) - 0.025) < std::abs(share(t_high) - 0.025));
    if (!c.both_tails) continue;
    CHECK(share(t_low) < 0.012);
    CHECK(share(t_high) > 0.038);
    CHECK(std::abs(share(b_low) - 0.025) < 0.012);
    CHECK(std::abs(share(b_high) - 0.025) < 0.012);
  }
}

TEST_CASE("bootstrap: predict gives the same bytes for a seed, whatever the threads",
          "[bootstrap][cli]") {
  const std::string cars = test_support::repo_path("data/cars.csv");
  const std::string tooth = test_support::repo_path("data/toothgrowth.csv");
  const std::vector<std::vector<std::string>> runs = {
      {"predict", cars, "-y", "dist", "-x", "speed", "--at", "4,15,40", "--method", "bootstrap"},
      {"predict", tooth, "len ~ log(dose) * supp", "--new",
       test_support::repo_path("tests/data/f_toothgrowth_new.csv"), "--method", "bootstrap",
       "--boot", "499", "--seed", "3"}};
  for (const auto& args : runs) {
    auto with = [&](const std::string& threads) {
      std::vector<std::string> a = args;
      a.insert(a.end(), {"--threads", threads});
      return test_support::run_regress(a);
    };
    const auto one = with("1");
    REQUIRE(one.code == 0);
    INFO(one.err);
    CHECK(one.out.find("fit,se_fit,lwr,upr,leverage,region") != std::string::npos);
    CHECK(with("1").out == one.out);
    CHECK(with("2").out == one.out);
    CHECK(with("5").out == one.out);
    std::vector<std::string> other = args;
    other.insert(other.end(), {"--seed", "77"});
    if (std::find(args.begin(), args.end(), "--seed") == args.end()) {
      CHECK(test_support::run_regress(other).out != one.out);
    }
  }
  // The fit and se_fit are the textbook's; only lwr and upr differ.
  const auto textbook =
      test_support::run_regress({"predict", cars, "-y", "dist", "-x", "speed", "--at", "15"});
  const auto boot = test_support::run_regress(
      {"predict", cars, "-y", "dist", "-x", "speed", "--at", "15", "--method", "bootstrap"});
  REQUIRE(boot.code == 0);
  const auto prefix = [](const std::string& s) {
    const std::size_t line = s.find('\n') + 1;
    std::size_t comma = line;
    for (int k = 0; k < 3; ++k) comma = s.find(',', comma) + 1;  // speed,fit,se_fit,
    return s.substr(line, comma - line);
  };
  CHECK(prefix(boot.out) == prefix(textbook.out));
  CHECK(boot.out != textbook.out);
}

TEST_CASE("bootstrap: backtest --method all reports the bootstrap", "[bootstrap][cli]") {
  const auto r = test_support::run_regress(
      {"backtest", test_support::repo_path("data/pressure.csv"), "-y", "pressure", "-x",
       "temperature", "--method", "all", "--boot", "199", "--format", "csv"});
  REQUIRE(r.code == 0);
  CHECK(r.out.find("bootstrap") != std::string::npos);
  const auto f = test_support::run_regress({"backtest", test_support::repo_path("data/cars.csv"),
                                            "dist ~ speed", "--method", "textbook,bootstrap",
                                            "--boot", "199", "--format", "json"});
  REQUIRE(f.code == 0);
  CHECK(f.out.find("\"bootstrap\"") != std::string::npos);
}

TEST_CASE("bootstrap: usage and data errors", "[bootstrap][cli]") {
  const std::string cars = test_support::repo_path("data/cars.csv");
  const std::vector<std::string> base = {"predict", cars,    "-y",   "dist",
                                         "-x",      "speed", "--at", "10"};
  auto run = [&](std::vector<std::string> extra) {
    std::vector<std::string> a = base;
    a.insert(a.end(), extra.begin(), extra.end());
    return test_support::run_regress(a);
  };
  const auto zero = run({"--method", "bootstrap", "--boot", "0"});
  CHECK(zero.code == 2);
  CHECK(zero.err.rfind("regress: error: --boot", 0) == 0);
  CHECK(run({"--boot", "99"}).code == 2);
  CHECK(run({"--method", "textbook", "--seed", "3"}).code == 2);
  CHECK(run({"--method", "bootstrap", "--boot", "many"}).code == 2);
  CHECK(run({"--method", "bootstrap", "--seed", "-1"}).code == 2);
  CHECK(run({"--method", "bootstrap", "--vcov", "HC3"}).code == 2);
  CHECK(
      test_support::run_regress({"predict", "-m", "x.json", "--method", "bootstrap", "--at", "10"})
          .code == 2);
  CHECK(test_support::run_regress({"backtest", cars, "-y", "dist", "-x", "speed", "--boot", "9"})
            .code == 2);
  // Two rows for a line: no residual to resample (data/model error, exit 1).
  const auto few = test_support::run_regress(
      {"predict", "-", "-y", "y", "-x", "x", "--at", "1", "--method", "bootstrap"},
      "x,y\n1,2\n2,3\n");
  CHECK(few.code == 1);
  CHECK(few.err.rfind("regress: error: ", 0) == 0);
}
