// explore and backtest of models given as R formulas (analyses/explore.hpp,
// analyses/backtest.hpp, explore_formula and the formula backtest).
//
// Where the expected numbers come from:
//  - R: tests/reference/make_formula_explore_reference.R (R 4.2.2) writes
//    tests/reference/formula_explore_reference.csv (case,section,x,name,value,
//    %.17g): predict.lm at the points of two sweeps, the narrowest and the
//    largest leverage, and the extrapolation parts of three backtests redone
//    by hand with lm(). Rerun it with
//      LC_ALL=C Rscript tests/reference/make_formula_explore_reference.R
//  - Hand computations through the library (bind_frame, fit_formula,
//    predict_row), beside the checks that use them.
//  - Closed forms, derived in a comment beside the check.

#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>
#include <map>
#include <numeric>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include "regress/analyses/backtest.hpp"
#include "regress/analyses/explore.hpp"
#include "regress/error.hpp"
#include "regress/model/frame.hpp"
#include "regress/model/predict.hpp"
#include "regress/pictures/explore_picture.hpp"
#include "regress/reading/csv.hpp"
#include "support/files.hpp"
#include "support/fit.hpp"
#include "support/numeric.hpp"

using namespace regress;

namespace {

// R and regress compute the same doubles by different routes (R: QR in
// double; regress: double-double normal equations), as in
// formula_reference_test.cpp.
constexpr double kRelTol = 1e-9;

/// The R reference: (case, section, x, name) -> value.
using reference = std::map<std::tuple<std::string, std::string, std::string, std::string>, double>;

const reference& r_values() {
  static const reference values = [] {
    const std::string path =
        test_support::repo_path("tests/reference/formula_explore_reference.csv");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot open " + path);
    csv_reader reader(in, csv_options{',', path});
    std::vector<std::string> f;
    reader.next(f);  // header
    reference out;
    while (reader.next(f)) out[{f.at(0), f.at(1), f.at(2), f.at(3)}] = std::stod(f.at(4));
    return out;
  }();
  return values;
}

double r_value(const std::string& c, const std::string& section, const std::string& x,
               const std::string& name) {
  const auto it = r_values().find({c, section, x, name});
  if (it == r_values().end()) {
    throw std::runtime_error("no R value " + c + "," + section + "," + x + "," + name);
  }
  return it->second;
}

/// R's %.17g of a swept value, as the reference file writes x.
std::string r_x(double x) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", x);
  return buf;
}

/// The cells of a CSV (a file or text) for a formula.
formula_rows rows_of(std::istream& in, const std::string& formula,
                     const std::string& weights = "") {
  csv_reader reader(in, csv_options{',', "data"});
  std::vector<std::string> header;
  reader.next(header);
  return read_formula_rows(reader, header, formula, weights);
}

formula_rows file_rows(const std::string& relative, const std::string& formula) {
  const std::string path = test_support::repo_path(relative);
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  return rows_of(in, formula);
}

formula_rows text_rows(const std::string& text, const std::string& formula) {
  std::istringstream in(text);
  return rows_of(in, formula);
}

std::vector<std::size_t> all_records(const formula_rows& data) {
  std::vector<std::size_t> all(data.records());
  std::iota(all.begin(), all.end(), 0);
  return all;
}

/// The index of factor variable `label` and of its level `level`.
std::pair<std::size_t, std::size_t> level_of(const model& m, const std::string& label,
                                             const std::string& level) {
  const auto& vars = m.terms->variables;
  for (std::size_t v = 0; v < vars.size(); ++v) {
    if (vars[v].label != label) continue;
    for (std::size_t i = 0; i < vars[v].levels.size(); ++i) {
      if (vars[v].levels[i] == level) return {v, i};
    }
  }
  throw std::runtime_error("no level " + level + " of " + label);
}

/// x 1..30; g alternates a, b below 27 and is c from 27 on, so the cell
/// g = c covers only x 27..30 of the whole range 1..30; y = 2x (+3 for b)
/// plus a fixed wobble.
std::string three_cells() {
  std::string text = "x,g,y\n";
  for (int i = 1; i <= 30; ++i) {
    const char* g = i > 26 ? "c" : (i % 2 != 0 ? "a" : "b");
    const double y = 2 * i + (i % 2 == 0 && i <= 26 ? 3 : 0) + std::sin(3.0 * i);
    text += std::to_string(i) + "," + g + "," + std::to_string(y) + "\n";
  }
  return text;
}

/// Checks a sweep row against R's predict.lm at its x.
void check_against_r(const std::string& c, const sweep_row& row) {
  const std::string x = r_x(row.x);
  INFO(c << " at " << x);
  const std::pair<const char*, double> figures[] = {
      {"fit", row.fit},           {"se_fit", row.se_fit},     {"conf_lwr", row.conf_lwr},
      {"conf_upr", row.conf_upr}, {"pred_lwr", row.pred_lwr}, {"pred_upr", row.pred_upr},
      {"leverage", row.leverage}};
  for (const auto& [name, value] : figures) {
    INFO(name);
    // Scale: the prediction interval's half-width, so that a fit near zero
    // (cars at speed 0) is compared on its statistical scale.
    CHECK(test_support::close_on_scale(value, r_value(c, "sweep", x, name),
                                       row.pred_upr - row.pred_lwr, kRelTol));
  }
}

explore_request sweep_request(double from, double to, std::size_t steps) {
  explore_request r;
  r.from = from;
  r.to = to;
  r.steps = steps;
  return r;
}

}  // namespace

TEST_CASE("a formula sweep of dist ~ poly(speed, 2) matches R's predict.lm", "[explore]") {
  const formula_rows data = file_rows("data/cars.csv", "dist ~ poly(speed, 2)");
  const model m = fit_formula(bind_frame(data, all_records(data)), 0.95);
  // speed = 0, 5, ..., 50: exact doubles, as R's seq(0, 50, by = 5).
  const exploration e = explore_formula(m, sweep_request(0, 50, 11));
  REQUIRE(e.models.size() == 1);
  REQUIRE(e.models[0].rows.size() == 11);
  for (const auto& row : e.models[0].rows) check_against_r("cars_poly2", row);
  CHECK(m.max_leverage == Approx(r_value("cars_poly2", "model", "", "max_leverage")).epsilon(1e-9));
  // R's optimize() finds the smallest leverage over speed in [4, 25]
  // independently of regress's grid and golden section.
  CHECK(e.models[0].narrowest_leverage ==
        Approx(r_value("cars_poly2", "model", "", "narrowest")).epsilon(1e-9));
  CHECK(e.formula == "dist ~ poly(speed, 2)");
  CHECK(e.along_name == "speed");
  CHECK(e.held.empty());
  CHECK(e.cell_name.empty());
  CHECK_FALSE(e.cell);
  // Regions and distances as for -y/-x: speed 0 lies 4/21 spans below 4..25.
  CHECK(e.models[0].rows[0].where == region::below);
  CHECK(e.models[0].rows[0].distance == Approx(4.0 / 21));
  CHECK(e.models[0].rows[3].where == region::inside);
  CHECK(e.models[0].rows[10].where == region::above);
}

TEST_CASE("a formula sweep of len ~ log(dose) * supp held at VC matches R's predict.lm",
          "[explore]") {
  const formula_rows data = file_rows("data/toothgrowth.csv", "len ~ log(dose) * supp");
  const model m = fit_formula(bind_frame(data, all_records(data)), 0.95);
  explore_request r = sweep_request(0.25, 4, 16);  // dose = 0.25 k, exact
  r.levels.push_back(level_of(m, "supp", "VC"));
  const exploration e = explore_formula(m, r);
  for (const auto& row : e.models[0].rows) check_against_r("tooth_vc", row);
  CHECK(m.max_leverage == Approx(r_value("tooth_vc", "model", "", "max_leverage")).epsilon(1e-9));
  CHECK(e.models[0].narrowest_leverage ==
        Approx(r_value("tooth_vc", "model", "", "narrowest")).epsilon(1e-9));
  REQUIRE(e.held.size() == 1);
  CHECK(e.held[0].name == "supp");
  CHECK(e.held[0].factor);
  CHECK(e.held[0].level == "VC");
  CHECK(e.held[0].text() == "supp = VC");
  CHECK(e.cell_name == "supp = VC");
  REQUIRE(e.cell);
  CHECK(e.cell->min == 0.5);
  CHECK(e.cell->max == 2);
  CHECK(e.cell->rows == 30);

  // Held at the first level (OJ) by default: another line.
  const exploration oj = explore_formula(m, sweep_request(0.25, 4, 16));
  CHECK(oj.cell_name == "supp = OJ");
  CHECK(oj.models[0].rows[3].fit != e.models[0].rows[3].fit);
}

TEST_CASE("a formula sweep counts a point beyond the held cell's range as extrapolation",
          "[explore]") {
  const formula_rows data = text_rows(three_cells(), "y ~ x + g");
  const formula_frame frame = bind_frame(data, all_records(data));
  const model m = fit_formula(frame, 0.95);
  explore_request r = sweep_request(10, 35, 6);  // x = 10, 15, 20, 25, 30, 35
  r.levels.push_back(level_of(m, "g", "c"));
  const exploration e = explore_formula(m, r);
  REQUIRE(e.cell);
  CHECK(e.cell->min == 27);
  CHECK(e.cell->max == 30);
  CHECK(e.cell->rows == 4);
  CHECK(e.training.min == 1);
  CHECK(e.training.max == 30);
  const auto& rows = e.models[0].rows;
  // Inside the whole range 1..30 but below the cell's 27..30: below, and
  // the distance counts from the cell's edge in spans of the whole range.
  CHECK(rows[0].where == region::below);
  CHECK(rows[0].distance == Approx((27.0 - 10) / 29));
  CHECK(rows[3].where == region::below);
  CHECK(rows[4].where == region::inside);
  CHECK(rows[4].distance == 0);
  CHECK(rows[5].where == region::above);
  CHECK(rows[5].distance == Approx(5.0 / 29));

  // Held at a: its cell spans 1..25, so x = 30 (inside the whole range) is
  // above it.
  explore_request ra = sweep_request(10, 35, 6);
  ra.levels.push_back(level_of(m, "g", "a"));
  const exploration ea = explore_formula(m, ra);
  REQUIRE(ea.cell);
  CHECK(ea.cell->min == 1);
  CHECK(ea.cell->max == 25);
  CHECK(ea.models[0].rows[0].where == region::inside);
  CHECK(ea.models[0].rows[4].where == region::above);

  // The picture: the held cell's rows only, shaded from its range on.
  const plot_data picture = explore_picture(e, frame);
  CHECK(picture.point_x == std::vector<double>{27, 28, 29, 30});
  CHECK(picture.train_min == 27);
  CHECK(picture.train_max == 30);
  CHECK(picture.title == "y ~ x + g at g = c: 95% intervals");
}

TEST_CASE("the formula y ~ x explores as -y y -x x does", "[explore]") {
  const formula_rows data = file_rows("data/cars.csv", "dist ~ speed");
  const model m = fit_formula(bind_frame(data, all_records(data)), 0.95);
  trust_bounds bounds;
  bounds.max_widening = 1.5;
  explore_request r = sweep_request(-17, 46, 64);
  r.trust = bounds;
  const exploration f = explore_formula(m, r);

  std::vector<double> speed, dist;
  for (std::size_t i = 0; i < data.records(); ++i) {
    speed.push_back(double(data.value[data.column("speed")][i]));
    dist.push_back(double(data.value[data.column("dist")][i]));
  }
  const model plain = test::fit_columns({speed, dist}, {"speed", "dist"});
  const sweep_line l = line_at_means(plain, 0);
  const auto rows = sweep(plain, l, -17, 46, 64, 0.95);
  REQUIRE(rows.size() == f.models[0].rows.size());
  // Two routes to the same doubles (see kRelTol).
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const sweep_row& a = rows[i];
    const sweep_row& b = f.models[0].rows[i];
    CHECK(a.x == b.x);
    CHECK(test_support::relatively_close(a.fit, b.fit, kRelTol));
    CHECK(test_support::relatively_close(a.pred_upr, b.pred_upr, kRelTol));
    CHECK(test_support::relatively_close(a.leverage, b.leverage, kRelTol));
    CHECK(test_support::relatively_close(a.widening, b.widening, kRelTol));
    CHECK(a.where == b.where);
  }
  // The narrowest leverage of a line is 1/n at the mean; the trust range in
  // closed form (explore_test.cpp) and by the formula's bisection agree.
  CHECK(f.models[0].narrowest_leverage == Approx(1.0 / 50).epsilon(1e-12));
  const trust_range t = solve_trust(plain, l, bounds, 0.95);
  REQUIRE(f.trust);
  CHECK(f.trust->lower == Approx(t.lower).epsilon(1e-9));
  CHECK(f.trust->upper == Approx(t.upper).epsilon(1e-9));
}

TEST_CASE("a formula's trust range ends where the widening reaches its bound", "[explore]") {
  const formula_rows data = file_rows("data/toothgrowth.csv", "len ~ log(dose) * supp");
  const model m = fit_formula(bind_frame(data, all_records(data)), 0.95);
  explore_request r = sweep_request(0.25, 4, 16);
  r.levels.push_back(level_of(m, "supp", "VC"));
  trust_bounds bounds;
  bounds.max_widening = 1.05;
  r.trust = bounds;
  const exploration e = explore_formula(m, r);
  REQUIRE(e.trust);
  REQUIRE_FALSE(e.trust->empty);
  const sweep_line line = held_line(m, r);
  const double narrowest = e.models[0].narrowest_leverage;
  CHECK(sweep_at(m, line, e.trust->lower, 0.95, narrowest).widening == Approx(1.05));
  CHECK(sweep_at(m, line, e.trust->upper, 0.95, narrowest).widening == Approx(1.05));
  CHECK(e.trust->lower > 0);
  CHECK(e.trust->lower < 0.5);
  CHECK(e.trust->upper > 2);
}

TEST_CASE("a model of factors alone has a narrowest leverage of 1/(largest level's rows)",
          "[explore]") {
  // y ~ g: the fitted value at a level is that level's mean, whose variance
  // is sigma^2 / n_level, so the leverage at a level is 1 / n_level.
  const formula_rows data =
      text_rows("g,y\na,1\na,2\na,4\nb,3\nb,5\nc,7\nc,6\nc,9\nc,8\n", "y ~ g");
  const model m = fit_formula(bind_frame(data, all_records(data)), 0.95);
  CHECK(narrowest_leverage(m, line_at_means(m, 0)) == Approx(1.0 / 4).epsilon(1e-12));
}

TEST_CASE("a formula sweep checks its column, held values and levels", "[explore]") {
  const formula_rows data = file_rows("data/toothgrowth.csv", "len ~ log(dose) + factor(dose)");
  const model m = fit_formula(bind_frame(data, all_records(data)), 0.95);
  // dose is read by factor(): it cannot be swept.
  CHECK_THROWS_AS(explore_formula(m, sweep_request(0.5, 2, 5)), usage_error);
  explore_request bad = sweep_request(0.5, 2, 5);
  bad.along = 7;
  CHECK_THROWS_AS(explore_formula(m, bad), usage_error);

  const formula_rows tooth = file_rows("data/toothgrowth.csv", "len ~ log(dose) * supp");
  const model mt = fit_formula(bind_frame(tooth, all_records(tooth)), 0.95);
  explore_request level = sweep_request(0.5, 2, 5);
  level.levels.emplace_back(level_of(mt, "supp", "VC").first, 2);  // supp has 2 levels
  CHECK_THROWS_AS(explore_formula(mt, level), usage_error);
  explore_request degrees = sweep_request(0.5, 2, 5);
  degrees.degrees = {1, 2};
  CHECK_THROWS_AS(explore_formula(mt, degrees), usage_error);
}

TEST_CASE("a sweep's default end is pulled inside the formula's domain", "[explore]") {
  const formula_rows data = file_rows("data/toothgrowth.csv", "len ~ log(dose) * supp");
  const model m = fit_formula(bind_frame(data, all_records(data)), 0.95);
  const sweep_line line = held_line(m, sweep_request(0.5, 2, 5));
  CHECK_FALSE(defined_at(m, line, -1));
  CHECK_FALSE(defined_at(m, line, 0));
  CHECK(defined_at(m, line, 1e-300));
  // log(dose) stops being defined at 0: halfway from 0.5 to it is 0.25.
  CHECK(end_inside_domain(m, line, 0.5, -1) == Approx(0.25).margin(1e-12));
  CHECK(end_inside_domain(m, line, 2, 3.5) == 3.5);
}

TEST_CASE("a formula backtest's extreme part matches lm refitted in R", "[backtest]") {
  struct bt_case {
    const char* name;
    const char* file;
    const char* formula;
    holdout_side side;
  };
  const bt_case cases[] = {
      {"bt_cars_poly2", "data/cars.csv", "dist ~ poly(speed, 2)", holdout_side::both},
      {"bt_cars_log", "data/cars.csv", "dist ~ log(speed)", holdout_side::upper},
      {"bt_tooth", "data/toothgrowth.csv", "len ~ log(dose) * supp", holdout_side::upper}};
  for (const auto& c : cases) {
    INFO(c.name);
    const formula_rows data = file_rows(c.file, c.formula);
    const formula_frame frame = bind_frame(data, all_records(data));
    backtest_options o;
    o.side = c.side;
    const backtest_result r = backtest(data, frame, o, 0.95);
    CHECK(r.formula == c.formula);
    CHECK(static_cast<double>(r.extrapolation.n) == r_value(c.name, "backtest", "", "n"));
    CHECK(r.extrapolation.coverage == Approx(r_value(c.name, "backtest", "", "coverage")));
    CHECK(r.extrapolation.mae == Approx(r_value(c.name, "backtest", "", "mae")).epsilon(kRelTol));
    CHECK(r.extrapolation.new_level == 0);
    for (const auto& b : r.bins) {
      char bin[32];
      std::snprintf(bin, sizeof bin, "bin%g", b.distance_from);
      INFO(bin);
      CHECK(static_cast<double>(b.part.n) ==
            r_value(c.name, "backtest", "", std::string(bin) + "_n"));
      CHECK(b.part.mae ==
            Approx(r_value(c.name, "backtest", "", std::string(bin) + "_mae")).epsilon(kRelTol));
    }
  }
}

namespace {
struct tally {
  std::size_t n = 0, covered = 0, new_level = 0;
  double error = 0;
};

/// A backtest part by hand: the formula refitted on the records of the
/// frame's rows `train` (bind_frame, fit_formula), then each of `test`
/// predicted (predict_row).
tally by_hand(const formula_rows& data, const formula_frame& frame,
              const std::vector<std::size_t>& train, const std::vector<std::size_t>& test) {
  std::vector<std::size_t> records;
  for (std::size_t i : train) records.push_back(frame.row_numbers[i] - 1);
  std::sort(records.begin(), records.end());
  const model m = fit_formula(bind_frame(data, records), 0.95);
  tally t;
  for (std::size_t i : test) {
    const row_values row = record_values(*m.terms, data, frame.row_numbers[i] - 1);
    const prediction p = predict_row(m, row, interval_kind::prediction, 0.95);
    if (p.where == region::new_level) {
      ++t.new_level;
      continue;
    }
    const double y = double(frame.y[i]);
    ++t.n;
    t.covered += p.lwr <= y && y <= p.upr ? 1 : 0;
    t.error += std::abs(y - p.fit);
  }
  return t;
}

/// The whole backtest by hand: stable order by the column, the extremes
/// held out, the control drawn with the same generator as the library.
std::pair<tally, tally> backtest_by_hand(const formula_rows& data, const formula_frame& frame,
                                         std::size_t along, std::ptrdiff_t held,
                                         std::ptrdiff_t low) {
  const std::size_t n = frame.rows();
  const std::size_t width = frame.ranges.size();
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return frame.range_values[a * width + along] < frame.range_values[b * width + along];
  });
  const std::ptrdiff_t high = held - low;
  std::vector<std::size_t> inner(order.begin() + low, order.end() - high);
  std::vector<std::size_t> outer(order.begin(), order.begin() + low);
  outer.insert(outer.end(), order.end() - high, order.end());
  const tally extreme = by_hand(data, frame, inner, outer);
  std::mt19937_64 rng(1);
  std::vector<std::size_t> shuffled = inner;
  std::shuffle(shuffled.begin(), shuffled.end(), rng);
  std::vector<std::size_t> test(shuffled.begin(), shuffled.begin() + held);
  std::vector<std::size_t> train(shuffled.begin() + held, shuffled.end());
  train.insert(train.end(), outer.begin(), outer.end());
  return {extreme, by_hand(data, frame, train, test)};
}

void check_part(const backtest_part& part, const tally& t) {
  CHECK(part.n == t.n);
  CHECK(part.new_level == t.new_level);
  CHECK(part.coverage == static_cast<double>(t.covered) / static_cast<double>(t.n));
  CHECK(part.mae == Approx(t.error / static_cast<double>(t.n)).epsilon(1e-15));
}
}  // namespace

TEST_CASE("a formula backtest's coverage equals the same refits done by hand", "[backtest]") {
  const formula_rows data = file_rows("data/toothgrowth.csv", "len ~ poly(dose, 2) + supp");
  const formula_frame frame = bind_frame(data, all_records(data));
  backtest_options o;  // both sides, 0.2 of 60 rows: 12 held, 6 at each end
  const backtest_result r = backtest(data, frame, o, 0.95);
  const auto [extreme, control] = backtest_by_hand(data, frame, 0, 12, 6);
  check_part(r.extrapolation, extreme);
  check_part(r.control, control);
}

TEST_CASE("a formula backtest counts held-out rows of an unseen level apart", "[backtest]") {
  const formula_rows data = text_rows(three_cells(), "y ~ x + g");
  const formula_frame frame = bind_frame(data, all_records(data));
  backtest_options o;
  o.side = holdout_side::upper;  // 6 of 30 rows: x = 25..30, of which 27..30 are g = c
  const backtest_result r = backtest(data, frame, o, 0.95);
  CHECK(r.extrapolation.n == 2);
  CHECK(r.extrapolation.new_level == 4);
  const auto [extreme, control] = backtest_by_hand(data, frame, 0, 6, 0);
  CHECK(extreme.new_level == 4);
  check_part(r.extrapolation, extreme);
  check_part(r.control, control);
  // The bins hold only the rows that were predicted.
  std::size_t binned = 0;
  for (const auto& b : r.bins) binned += b.part.n;
  CHECK(binned == 2);
}

TEST_CASE("predict's extrapolation account of a formula model widens from the formula's narrowest",
          "[explore]") {
  // It once read the poly model's two design columns from one held value.
  const formula_rows data = file_rows("data/cars.csv", "dist ~ poly(speed, 2)");
  const model m = fit_formula(bind_frame(data, all_records(data)), 0.95);
  sweep_line line = line_at_means(m, 0);
  const row_values row = point_on(m, line, 40);
  const prediction p = predict_row(m, row, interval_kind::prediction, 0.95);
  REQUIRE(p.where == region::above);
  extrapolation_tally tally;
  const double speed = 40;
  tally.add(m, &speed, p);
  const double narrowest = r_value("cars_poly2", "model", "", "narrowest");
  CHECK(tally.widening_at_farthest ==
        Approx(std::sqrt((1 + p.leverage) / (1 + narrowest))).epsilon(1e-9));
  CHECK(tally.max_distance == Approx(15.0 / 21));
}

TEST_CASE("x, I(x^2) and poly(x, 2) all follow the one swept column", "[explore]") {
  // The three formulas span the same columns, so their fits, intervals and
  // leverages agree at every swept value (two routes to the same doubles).
  const char* formulas[] = {"dist ~ speed + I(speed^2)", "dist ~ poly(speed, 2, raw = TRUE)"};
  const formula_rows poly = file_rows("data/cars.csv", "dist ~ poly(speed, 2)");
  const model mp = fit_formula(bind_frame(poly, all_records(poly)), 0.95);
  const exploration ep = explore_formula(mp, sweep_request(-10, 40, 11));
  for (const char* f : formulas) {
    INFO(f);
    const formula_rows data = file_rows("data/cars.csv", f);
    const model m = fit_formula(bind_frame(data, all_records(data)), 0.95);
    const exploration e = explore_formula(m, sweep_request(-10, 40, 11));
    CHECK(e.along_name == "speed");
    for (std::size_t i = 0; i < e.models[0].rows.size(); ++i) {
      const sweep_row& a = e.models[0].rows[i];
      const sweep_row& b = ep.models[0].rows[i];
      CHECK(test_support::close_on_scale(a.fit, b.fit, a.pred_upr - a.pred_lwr, kRelTol));
      CHECK(test_support::relatively_close(a.leverage, b.leverage, kRelTol));
      CHECK(test_support::relatively_close(a.widening, b.widening, kRelTol));
      CHECK(a.where == b.where);
    }
  }
}

TEST_CASE("a formula sweep through a point where the formula is undefined is a data error",
          "[explore]") {
  const formula_rows data = file_rows("data/cars.csv", "dist ~ I(1/(speed - 30))");
  const model m = fit_formula(bind_frame(data, all_records(data)), 0.95);
  CHECK_THROWS_AS(explore_formula(m, sweep_request(20, 40, 3)), data_error);
  CHECK_NOTHROW(explore_formula(m, sweep_request(20, 40, 4)));
}
