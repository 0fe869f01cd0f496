// Wide models (many predictors) end to end: the blocked first pass and the
// vectorised solve agree with an independent long double QR, run in a
// fraction of the time the per-row double-double path took, and a model too
// wide for its rows or for the memory budget is refused before its state is
// allocated (under an address-space limit, with a timeout).

#include <sys/resource.h>

#include <Eigen/Dense>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include "support/binary.hpp"
#include "support/sanitizer.hpp"
#include "support/text.hpp"

namespace {

using test_support::outcome;
using test_support::scratch_dir;
using test_support::sh;

/// A fixed 64-bit LCG (Knuth's MMIX constants): the same data on every run.
struct lcg {
  std::uint64_t state = 0x2545F4914F6CDD1DULL;
  double uniform() {  // [-1, 1)
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(state >> 11) * (2.0 / 9007199254740992.0) - 1;
  }
};

/// n rows of y, x1..xp with six decimals: values and their text.
struct wide_data {
  std::string csv;
  std::string columns;                    // "x1,...,xp"
  std::vector<std::vector<double>> rows;  // y then the predictors, as read back
};

wide_data make_data(std::size_t n, std::size_t p) {
  lcg g;
  wide_data d;
  std::ostringstream csv, cols;
  csv << 'y';
  for (std::size_t j = 1; j <= p; ++j) {
    csv << ",x" << j;
    cols << (j > 1 ? "," : "") << 'x' << j;
  }
  csv << '\n';
  char cell[32];
  for (std::size_t i = 0; i < n; ++i) {
    std::vector<double> x(p);
    double y = 10 + g.uniform();
    for (std::size_t j = 0; j < p; ++j) {
      x[j] = 5 + g.uniform();  // away from zero: the shifts matter
      y += x[j] / static_cast<double>(j + 1);
    }
    std::vector<double> row;
    std::snprintf(cell, sizeof cell, "%.6f", y);
    csv << cell;
    row.push_back(std::strtod(cell, nullptr));
    for (double v : x) {
      std::snprintf(cell, sizeof cell, ",%.6f", v);
      csv << cell;
      row.push_back(std::strtod(cell + 1, nullptr));
    }
    csv << '\n';
    d.rows.push_back(row);
  }
  d.csv = csv.str();
  d.columns = cols.str();
  return d;
}

/// Estimates and standard errors (intercept first) by Householder QR in
/// long double: R^-1's row norms give the standard errors, as in lm.
void long_double_fit(const wide_data& d, std::vector<long double>& estimate,
                     std::vector<long double>& std_error) {
  using matrix = Eigen::Matrix<long double, Eigen::Dynamic, Eigen::Dynamic>;
  using vector = Eigen::Matrix<long double, Eigen::Dynamic, 1>;
  const auto n = static_cast<Eigen::Index>(d.rows.size());
  const auto p = static_cast<Eigen::Index>(d.rows[0].size());  // intercept + predictors
  matrix x(n, p);
  vector y(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    const auto& row = d.rows[static_cast<std::size_t>(i)];
    y(i) = row[0];
    x(i, 0) = 1;
    for (Eigen::Index j = 1; j < p; ++j) x(i, j) = row[static_cast<std::size_t>(j)];
  }
  const Eigen::HouseholderQR<matrix> qr(x);
  const vector b = qr.solve(y);
  const matrix r = qr.matrixQR().topRows(p).triangularView<Eigen::Upper>();
  const matrix r_inv = r.triangularView<Eigen::Upper>().solve(matrix::Identity(p, p));
  const long double rss = (y - x * b).squaredNorm();
  const long double sigma2 = rss / static_cast<long double>(n - p);
  estimate.assign(b.data(), b.data() + p);
  std_error.clear();
  for (Eigen::Index j = 0; j < p; ++j)
    std_error.push_back(std::sqrt(sigma2 * r_inv.row(j).squaredNorm()));
}

/// Columns 1 and 2 (estimate, std_error) of `fit --format csv`, by row.
void read_fit(const std::string& out, std::vector<double>& estimate,
              std::vector<double>& std_error) {
  const auto lines = test_support::lines_of(out);
  for (std::size_t i = 1; i < lines.size(); ++i) {
    std::istringstream row(lines[i]);
    std::string term, e, s;
    std::getline(row, term, ',');
    std::getline(row, e, ',');
    std::getline(row, s, ',');
    estimate.push_back(std::strtod(e.c_str(), nullptr));
    std_error.push_back(std::strtod(s.c_str(), nullptr));
  }
}

/// CPU seconds used by waited-for children so far.
double children_cpu() {
  rusage u{};
  getrusage(RUSAGE_CHILDREN, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) * 1e-6;
}

bool have(const scratch_dir& dir, const std::string& tool) {
  return sh(dir, "command -v " + tool + " >/dev/null").status == 0;
}

}  // namespace

TEST_CASE("a fit of 300 predictors agrees with a long double QR to 1e-12", "[hostile][wide]") {
  scratch_dir dir;
  const wide_data d = make_data(800, 300);
  dir.write("wide.csv", d.csv);
  // Two threads and two chunks (2.4 MB): the blocked states of the chunks merge.
  const outcome r = sh(dir, "timeout 60 \"$REGRESS\" fit wide.csv -y y -x " + d.columns +
                                " --format csv --threads 2");
  INFO("stderr: " << r.err);
  REQUIRE(r.status == 0);
  std::vector<double> estimate, std_error;
  read_fit(r.out, estimate, std_error);
  std::vector<long double> want_estimate, want_std_error;
  long_double_fit(d, want_estimate, want_std_error);
  REQUIRE(estimate.size() == want_estimate.size());
  for (std::size_t j = 0; j < estimate.size(); ++j) {
    INFO("term " << j);
    CHECK(std::abs(estimate[j] - static_cast<double>(want_estimate[j])) <=
          1e-12 * std::abs(static_cast<double>(want_estimate[j])) + 1e-12);
    CHECK(std::abs(std_error[j] - static_cast<double>(want_std_error[j])) <=
          1e-12 * static_cast<double>(want_std_error[j]));
  }
}

TEST_CASE("a fit of 600 predictors on 1200 rows takes under 1.5 s of CPU", "[hostile][wide]") {
  // 0.45 s with the blocked path; the per-row double-double path took 3.4 s
  // (mostly the leverages of every row and extreme row, each an O(k^2)
  // double-double solve).
  if (test_support::sanitized || !test_support::optimized) {
    WARN("skipped: a CPU-time bound holds for an optimised build without sanitizers");
    return;
  }
  scratch_dir dir;
  const wide_data d = make_data(1200, 600);
  dir.write("wide.csv", d.csv);
  const double before = children_cpu();
  const outcome r = sh(dir, "timeout 60 \"$REGRESS\" fit wide.csv -y y -x " + d.columns +
                                " --threads 1 > /dev/null");
  const double cpu = children_cpu() - before;
  INFO("stderr: " << r.err << "cpu: " << cpu << " s");
  REQUIRE(r.status == 0);
  CHECK(cpu < 1.5);
}

TEST_CASE("a model wider than its rows is refused at once, in bounded memory", "[hostile][wide]") {
  scratch_dir dir;
  if (!have(dir, "prlimit") || !have(dir, "timeout") || test_support::sanitized) {
    WARN(
        "skipped: prlimit or timeout is not installed, or a sanitised binary cannot start "
        "under --as");
    return;
  }
  const wide_data d = make_data(3, 8000);
  dir.write("short.csv", d.csv);
  const std::string limited = "timeout 20 prlimit --as=400000000 \"$REGRESS\" fit ";
  // A file: its lines are counted before anything is accumulated.
  outcome r = sh(dir, limited + "short.csv -y y -x " + d.columns);
  INFO("stderr: " << r.err);
  CHECK(r.status == 1);
  CHECK(r.out.empty());
  CHECK(r.err ==
        "regress: error: the model has 8001 parameters but 'short.csv' has only 3 data lines; "
        "it needs more rows than parameters (use more data or fewer terms)\n");
  // Standard input: its first chunks are held back from the workers until
  // they hold enough lines, so 5000 predictors on 3 rows are refused as
  // quickly; 8000 predictors exceed the memory budget whatever the rows.
  const std::string first_5000 = d.columns.substr(0, d.columns.find(",x5001"));
  r = sh(dir, limited + "- -y y -x " + first_5000 + " < short.csv");
  INFO("stderr: " << r.err);
  CHECK(r.status == 1);
  CHECK(r.err ==
        "regress: error: the model has 5001 parameters but standard input has only 3 data lines; "
        "it needs more rows than parameters (use more data or fewer terms)\n");
  r = sh(dir, limited + "- -y y -x " + d.columns + " < short.csv");
  INFO("stderr: " << r.err);
  CHECK(r.status == 1);
  CHECK(r.err ==
        "regress: error: the model has 8000 slope terms; their cross products need about 8.2 "
        "GiB of memory, more than the 4.0 GiB limit (about 5600 terms); use fewer predictors\n");
}
