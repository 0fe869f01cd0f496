// The numbers of `regress check --plot/--svg` (analyses/check_plot.hpp) and
// their pictures (pictures/check_picture.hpp).
//
// Every expected coordinate comes from tests/reference/make_check_plot_reference.R
// (R 4.2.2, stats:::plot.lm's own computations, id.n = 3, cook.levels =
// c(0.5, 1)), which writes tests/reference/check_plot_reference.csv
// (case,panel,item,row,x,y). Rerun it with
//   LC_ALL=C Rscript tests/reference/make_check_plot_reference.R
// The per-row diagnostics come from `augment` run in-process (the row pass
// `check --plot` uses too); the panels are then made by the library.
// The terminal pictures are compared with tests/snapshots/check_*.txt
// (REGRESS_UPDATE_SNAPSHOTS=1 rewrites them).

#include "regress/analyses/check_plot.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "regress/pictures/check_picture.hpp"
#include "regress/pictures/plot.hpp"
#include "support/files.hpp"
#include "support/in_process.hpp"
#include "support/text.hpp"

using namespace regress;

namespace {

using test_support::parse_table;
using test_support::repo_path;
using test_support::run_regress;

constexpr double kRelTol = 1e-9;  // every coordinate, against R

struct plot_case {
  std::string name, data, formula, weights;
};

// The table `cases` of make_check_plot_reference.R.
const std::vector<plot_case> cases = {
    {"cars", "data/cars.csv", "dist ~ speed", ""},
    {"factor_cyl", "tests/data/f_mtcars.csv", "mpg ~ wt + factor(cyl)", ""},
    {"weighted", "tests/data/f_weights.csv", "y ~ x + g", "w"},
    {"missing", "tests/data/f_missing.csv", "y ~ x + g", ""},
};

/// A cell as a number, NaN for NA.
double value(const test_support::table_text& t, std::size_t row, const std::string& column) {
  const std::string& cell = t.text(row, column);
  return cell == "NA" ? std::nan("") : std::stod(cell);
}

/// |a - b| within `tol` of the larger magnitude, or of `scale` (for values
/// that cross zero, such as residuals).
bool close(double a, double b, double tol, double scale) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
  return std::abs(a - b) <= tol * std::max({std::abs(a), std::abs(b), scale});
}

/// The rows of a case as augment prints them, through the plot's sample.
std::vector<diagnostic_point> rows_of(const plot_case& c) {
  std::vector<std::string> args = {"augment", repo_path(c.data), c.formula};
  if (!c.weights.empty()) args.insert(args.end(), {"--weights", c.weights});
  const auto run = run_regress(args);
  INFO(run.err);
  REQUIRE(run.code == 0);
  const auto t = parse_table(run.out);
  std::vector<diagnostic_point> all;
  std::size_t positive = 0;
  for (std::size_t i = 0; i < t.rows.size(); ++i) {
    diagnostic_point p;
    p.row = static_cast<std::size_t>(std::stoul(t.text(i, "row")));
    p.fitted = value(t, i, ".fitted");
    p.resid = value(t, i, ".resid");
    p.hat = value(t, i, ".hat");
    p.std_resid = value(t, i, ".std.resid");
    p.cooksd = value(t, i, ".cooksd");
    p.weight = c.weights.empty() ? 1 : value(t, i, "(weights)");
    positive += p.weight > 0;
    all.push_back(p);
  }
  diagnostic_sample sample(positive);
  for (const auto& p : all) sample.add(p);
  return sample.points();
}

struct reference_rows {
  std::vector<std::size_t> rows;
  std::vector<double> x, y;
};

reference_rows reference_of(const test_support::table_text& ref, const std::string& c,
                            const std::string& panel, const std::string& item) {
  reference_rows r;
  for (std::size_t i = 0; i < ref.rows.size(); ++i) {
    if (ref.text(i, "case") != c || ref.text(i, "panel") != panel || ref.text(i, "item") != item)
      continue;
    r.rows.push_back(ref.text(i, "row") == "NA" ? 0 : std::stoul(ref.text(i, "row")));
    r.x.push_back(value(ref, i, "x"));
    r.y.push_back(value(ref, i, "y"));
  }
  return r;
}

double scale_of(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) {
    if (std::isfinite(x)) s = std::max(s, std::abs(x));
  }
  return s;
}

void check_panel(const diagnostic_panel& got, const test_support::table_text& ref,
                 const std::string& c, const std::string& panel) {
  INFO(c << " " << panel);
  const reference_rows points = reference_of(ref, c, panel, "point");
  REQUIRE(got.x.size() == points.x.size());
  const double sx = scale_of(points.x), sy = scale_of(points.y);
  for (std::size_t i = 0; i < points.x.size(); ++i) {
    INFO("point " << i << " row " << points.rows[i]);
    CHECK(got.rows[i] == points.rows[i]);
    CHECK(close(got.x[i], points.x[i], kRelTol, 1e-6 * sx));
    CHECK(close(got.y[i], points.y[i], kRelTol, 1e-6 * sy));
  }
  const reference_rows labels = reference_of(ref, c, panel, "label");
  std::vector<std::size_t> labelled;
  for (std::size_t i : got.labelled) labelled.push_back(got.rows[i]);
  CHECK(labelled == labels.rows);
}

}  // namespace

TEST_CASE("check's four panels agree with R's plot.lm, labelled rows and contours included",
          "[check][check_plot]") {
  const auto ref =
      parse_table(test_support::read_file(repo_path("tests/reference/check_plot_reference.csv")));
  for (const plot_case& c : cases) {
    INFO(c.name);
    const reference_rows rank = reference_of(ref, c.name, "residuals_leverage", "rank");
    REQUIRE(rank.x.size() == 1);
    const diagnostic_panels p =
        make_diagnostic_panels(rows_of(c), static_cast<std::size_t>(rank.x[0]));
    check_panel(p.residuals_fitted, ref, c.name, "residuals_fitted");
    check_panel(p.normal_qq, ref, c.name, "normal_qq");
    check_panel(p.scale_location, ref, c.name, "scale_location");
    check_panel(p.residuals_leverage, ref, c.name, "residuals_leverage");

    const reference_rows qq = reference_of(ref, c.name, "normal_qq", "qqline");
    REQUIRE(qq.x.size() == 1);
    CHECK(close(p.qq_intercept, qq.x[0], kRelTol, 1e-6 * std::abs(qq.y[0])));
    CHECK(close(p.qq_slope, qq.y[0], kRelTol, 0));

    REQUIRE(p.cook_levels.size() == 2);
    for (std::size_t k = 0; k < 2; ++k) {
      const std::string item = k == 0 ? "cook_0.5" : "cook_1";
      const reference_rows contour = reference_of(ref, c.name, "residuals_leverage", item);
      INFO(item);
      REQUIRE(p.contour_hat.size() == contour.x.size());
      REQUIRE(p.contour_residual.at(k).size() == contour.y.size());
      for (std::size_t i = 0; i < contour.x.size(); ++i) {
        CHECK(close(p.contour_hat[i], contour.x[i], kRelTol, 0));
        CHECK(close(p.contour_residual[k][i], contour.y[i], kRelTol, 0));
      }
    }
  }
}

TEST_CASE("the diagnostic sample keeps at most 20,000 rows, every k-th, and the extremes",
          "[check][check_plot]") {
  // 100,003 rows; the extremes sit on rows a stride of 5 would skip.
  const std::size_t n = 100003;
  const auto point = [](std::size_t i) {
    diagnostic_point p;
    p.row = i + 1;
    p.fitted = static_cast<double>(i % 97);
    p.resid = std::sin(static_cast<double>(i));  // |resid| <= 1
    p.hat = 1e-5 * static_cast<double>(1 + i % 13);
    p.std_resid = p.resid;
    p.cooksd = p.hat * p.resid * p.resid;
    if (i == 777) p.resid = 50;       // the largest |resid|
    if (i == 778) p.std_resid = -40;  // the largest |std_resid|
    if (i == 779) p.cooksd = 9;       // the largest Cook's distance
    if (i == 12) p.weight = 0;        // dropped, as plot.lm drops it
    return p;
  };
  const auto run = [&] {
    diagnostic_sample s(n - 1);
    for (std::size_t i = 0; i < n; ++i) s.add(point(i));
    CHECK(s.rows() == n - 1);
    return s.points();
  };
  const std::vector<diagnostic_point> a = run(), b = run();
  CHECK(a.size() <= check_plot_points());
  // Every 6th row (the smallest stride keeping at most 19,991 of 100,002),
  // and the 3 largest of each measure (9 at most) where the stride misses them:
  // the three planted ones at least.
  CHECK(a.size() >= (n - 1 + 5) / 6 + 3);
  CHECK(a.size() <= (n - 1 + 5) / 6 + 9);
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) CHECK(a[i].row == b[i].row);
  bool has[3] = {false, false, false};
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (i > 0) CHECK(a[i - 1].row < a[i].row);
    CHECK(a[i].row != 13);
    has[0] = has[0] || a[i].row == 778;
    has[1] = has[1] || a[i].row == 779;
    has[2] = has[2] || a[i].row == 780;
  }
  CHECK((has[0] && has[1] && has[2]));
  const diagnostic_panels p = make_diagnostic_panels(a, 2);
  CHECK(p.residuals_fitted.rows[p.residuals_fitted.labelled[0]] == 778);
  CHECK(p.normal_qq.rows[p.normal_qq.labelled[0]] == 779);
  CHECK(p.residuals_leverage.rows[p.residuals_leverage.labelled[0]] == 780);

  SECTION("and every row when there are at most 20,000") {
    diagnostic_sample s(500);
    for (std::size_t i = 0; i < 500; ++i) s.add(point(i));
    CHECK(s.points().size() == 499);  // all but the row of weight 0
  }
}

namespace {

std::vector<std::string> split_lines(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

/// Compares `actual` with tests/snapshots/<name>; REGRESS_UPDATE_SNAPSHOTS=1
/// rewrites the file instead (as plot_test.cpp's snapshots).
void check_snapshot(const std::string& name, const std::string& actual) {
  const std::string path = repo_path("tests/snapshots/" + name);
  const char* update = std::getenv("REGRESS_UPDATE_SNAPSHOTS");
  if (update && std::string(update) == "1") {
    std::ofstream(path, std::ios::binary) << actual;
    WARN("snapshot rewritten: " << path);
    return;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) FAIL("snapshot " << path << " is missing; run with REGRESS_UPDATE_SNAPSHOTS=1");
  std::ostringstream buf;
  buf << in.rdbuf();
  const std::vector<std::string> e = split_lines(buf.str()), a = split_lines(actual);
  std::size_t i = 0;
  while (i < e.size() && i < a.size() && e[i] == a[i]) ++i;
  INFO("snapshot " << path << " differs at line " << i + 1
                   << "\n  expected: " << (i < e.size() ? e[i] : "<end>")
                   << "\n  actual:   " << (i < a.size() ? a[i] : "<end>") << "\nactual output:\n"
                   << actual);
  CHECK(buf.str() == actual);
}

std::string draw(const diagnostic_panels& p, bool unicode) {
  terminal_options o;
  o.unicode = unicode;
  std::string out;
  for (const plot_data& d : check_pictures(p, unicode)) out += render_terminal(d, o);
  return out;
}

}  // namespace

TEST_CASE("check's terminal panels of cars match their snapshots, in Unicode and in ASCII",
          "[check][check_plot][plot]") {
  const diagnostic_panels p = make_diagnostic_panels(rows_of(cases[0]), 2);
  const std::vector<plot_data> pictures = check_pictures(p);
  REQUIRE(pictures.size() == 4);
  CHECK(pictures[0].title == "Residuals vs Fitted");
  CHECK(pictures[1].title == "Normal Q-Q");
  CHECK(pictures[2].title == "Scale-Location");
  CHECK(pictures[3].title == "Residuals vs Leverage");
  // R labels rows 49, 23 and 35 by |residual| (make_check_plot_reference.R).
  for (const plot_data& d : pictures) CHECK(d.labels.size() >= 3);
  const std::string unicode = draw(p, true), ascii = draw(p, false);
  CHECK(split_lines(unicode).size() == 4 * 24);
  const auto printable = [](char b) {
    const auto u = static_cast<unsigned char>(b);
    return (u >= 0x20 && u < 0x7f) || b == '\n';
  };
  CHECK(std::all_of(ascii.begin(), ascii.end(), printable));
  check_snapshot("check_unicode_80x24.txt", unicode);
  check_snapshot("check_ascii_80x24.txt", ascii);
}
