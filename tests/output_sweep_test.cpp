// The writers of explorations and backtests (output/sweep_table.hpp,
// output/backtest_table.hpp) on small hand-made results, so every expected
// line is written out here; and explore() itself on a small line, checked
// against the building blocks it is made of (sweep, solve_trust,
// compare_models).
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>

#include "regress/analyses/backtest.hpp"
#include "regress/analyses/explore.hpp"
#include "regress/error.hpp"
#include "regress/output/backtest_table.hpp"
#include "regress/output/sweep_table.hpp"
#include "regress/pictures/explore_picture.hpp"

using namespace regress;
using Catch::Matchers::Contains;

namespace {

constexpr double not_a_number = std::numeric_limits<double>::quiet_NaN();
constexpr double inf = std::numeric_limits<double>::infinity();

sweep_row row(double x, double fit, region where) {
  sweep_row r{};
  r.x = x;
  r.fit = fit;
  r.se_fit = 0.5;
  r.conf_lwr = fit - 1;
  r.conf_upr = fit + 1;
  r.pred_lwr = fit - 2;
  r.pred_upr = fit + 2;
  r.widening = 1.25;
  r.distance = 0;
  r.leverage = 0.1;
  r.leverage_ratio = 0.5;
  r.where = where;
  return r;
}

/// One model swept at x = 0 and 10 over a training range [2, 8].
exploration one_model() {
  exploration e;
  e.response = "y";
  e.along_name = "x";
  e.training = {"x", 2, 8, 5};
  e.nobs = 12;
  e.level = 0.95;
  explored_model m;
  m.name = "degree 1";
  m.degree = 1;
  m.narrowest_leverage = 1.0 / 12;
  m.rows = {row(0, 1, region::below), row(10, 21, region::above)};
  m.rows[0].distance = 1.0 / 3;
  m.rows[1].distance = 1.0 / 3;
  e.models.push_back(m);
  return e;
}

std::string written(const exploration& e, output_format format) {
  std::ostringstream out;
  write_sweep(out, e, format);
  return out.str();
}

std::string written(const backtest_result& r, output_format format) {
  model_spec spec;
  spec.response = "dist";
  spec.predictors = {"speed"};
  std::ostringstream out;
  write_backtest(out, r, spec, format);
  return out.str();
}

}  // namespace

TEST_CASE("the sweep table in csv has one row per point and shortest round-trip numbers",
          "[output][sweep]") {
  const std::string csv = written(one_model(), output_format::csv);
  CHECK(csv ==
        "x,fit,se_fit,conf_lwr,conf_upr,pred_lwr,pred_upr,widening,distance,leverage,"
        "leverage_ratio,region\n"
        "0,1,0.5,0,2,-1,3,1.25,0.3333333333333333,0.1,0.5,below\n"
        "10,21,0.5,20,22,19,23,1.25,0.3333333333333333,0.1,0.5,above\n");
}

TEST_CASE("the sweep table in tsv quotes nothing and separates by tabs", "[output][sweep]") {
  const std::string tsv = written(one_model(), output_format::tsv);
  CHECK(tsv.substr(0, tsv.find('\n')) ==
        "x\tfit\tse_fit\tconf_lwr\tconf_upr\tpred_lwr\tpred_upr\twidening\tdistance\tleverage\t"
        "leverage_ratio\tregion");
  CHECK(tsv.find(',') == std::string::npos);
}

TEST_CASE("the sweep table quotes a predictor name that holds the delimiter or a quote",
          "[output][sweep]") {
  exploration e = one_model();
  e.along_name = "speed, \"mph\"";
  const std::string csv = written(e, output_format::csv);
  CHECK(csv.substr(0, csv.find(",fit")) == "\"speed, \"\"mph\"\"\"");
  const nlohmann::json j = nlohmann::json::parse(written(e, output_format::json));
  CHECK(j["rows"][0]["speed, \"mph\""] == 0);
}

TEST_CASE("several models add a degree column; a trust range adds in_trust", "[output][sweep]") {
  exploration e = one_model();
  explored_model second = e.models.front();
  second.name = "degree 2";
  second.degree = 2;
  e.models.push_back(second);
  e.bounds = trust_bounds{1.5, std::nullopt};
  e.trust = trust_range{-1, 5, false};
  const std::string csv = written(e, output_format::csv);
  CHECK(csv.substr(0, csv.find('\n')) ==
        "degree,x,fit,se_fit,conf_lwr,conf_upr,pred_lwr,pred_upr,widening,distance,leverage,"
        "leverage_ratio,region,in_trust");
  CHECK(csv.find("\n1,0,1,") != std::string::npos);
  CHECK(csv.find("\n2,10,21,") != std::string::npos);
  CHECK(csv.find(",below,true\n") != std::string::npos);
  CHECK(csv.find(",above,false\n") != std::string::npos);
}

TEST_CASE("the sweep in json has rows, the trust range and the disagreements", "[output][sweep]") {
  exploration e = one_model();
  e.models.front().rows[1].leverage = not_a_number;  // JSON has no NaN: null
  e.bounds = trust_bounds{std::nullopt, 3.0};
  e.trust = trust_range{-inf, 5, false};
  disagreement d{"degree 1", "degree 2", {{0, 1}, {9, 10}}};
  e.comparisons.push_back(split_at_range(d, 2, 8));
  const std::string text = written(e, output_format::json);
  CHECK(text.substr(0, 20) == "{\n  \"rows\": [\n    {\"");
  CHECK(text.find("\"trust\": {\"lower\": null, \"upper\": 5, \"empty\": false}") !=
        std::string::npos);
  CHECK(text.find("\"disagreements\": [{\"models\": [\"degree 1\", \"degree 2\"], \"where\": "
                  "[[0, 1], [9, 10]]}]\n}\n") != std::string::npos);
  const nlohmann::json j = nlohmann::json::parse(text);
  REQUIRE(j["rows"].size() == 2);
  CHECK(j["rows"][0]["x"] == 0);
  CHECK(j["rows"][0]["region"] == "below");
  CHECK(j["rows"][0]["in_trust"] == true);
  CHECK(j["rows"][1]["leverage"].is_null());
  CHECK(j["rows"][1]["in_trust"] == false);
}

TEST_CASE("the sweep in json says null for no trust range and marks an empty one",
          "[output][sweep]") {
  exploration e = one_model();
  CHECK(nlohmann::json::parse(written(e, output_format::json))["trust"].is_null());
  e.bounds = trust_bounds{1.01, std::nullopt};
  e.trust = trust_range{};
  e.trust->empty = true;
  const nlohmann::json j = nlohmann::json::parse(written(e, output_format::json));
  CHECK(j["trust"]["empty"] == true);
  CHECK(j["trust"]["lower"].is_null());
}

TEST_CASE("the sweep's text summary says the range, the widths and the caveat", "[output][sweep]") {
  exploration e = one_model();
  e.bounds = trust_bounds{1.5, 40.0};
  e.trust = trust_range{-inf, 7.5, false};
  e.hidden = std::make_pair(4.0, 6.0);
  CHECK(written(e, output_format::text) ==
        "Training range of x: 2 to 8 (span 6); 12 rows.\n"
        "degree 1: 95% prediction interval +-1.6 at its narrowest (leverage 0.0833); at x = 0 "
        "(0.333 training spans out) +-2, 1.25x as wide; at x = 10 (0.333 training spans out) "
        "+-2, 1.25x as wide.\n"
        "Trust range (95% prediction interval at most 1.5x its narrowest and half-width at "
        "most 40): x from 0 to 7.5 (within the sweep; it goes on below it).\n"
        "Hidden extrapolation: at x from 4 to 6 every predictor is inside its range but the "
        "point lies off the data (leverage above every training row's).\n"
        "The intervals assume the fitted form still holds beyond the data; they cannot show "
        "that it does not (see 'regress backtest').\n");
}

TEST_CASE("the trust range is stated within the sweep, with a note when it passes below 0",
          "[output][sweep]") {
  exploration e = one_model();
  e.bounds = trust_bounds{1.5, std::nullopt};
  e.trust = trust_range{-3, 12, false};
  e.models.front().rows.front().x = -2;  // the sweep now starts below x's data (2 to 8)
  const std::string text = written(e, output_format::text);
  CHECK_THAT(text, Contains("x from -2 to 10 (within the sweep; it goes on past both ends).\n"
                            "Note: the trust range reaches below 0, where x has no values in "
                            "the data (the smallest is 2)"));
  e.trust = trust_range{1, 9, false};
  CHECK_THAT(written(e, output_format::text), Contains("x from 1 to 9.\n"));
  CHECK(written(e, output_format::text).find("Note:") == std::string::npos);
}

TEST_CASE("the sweep's text summary tells disagreement beyond the data from inside it",
          "[output][sweep]") {
  exploration e = one_model();
  e.comparisons.push_back(split_at_range({"degree 1", "degree 2", {}}, 2, 8));
  e.comparisons.push_back(split_at_range({"degree 1", "degree 3", {{9, 10}}}, 2, 8));
  e.comparisons.push_back(split_at_range({"degree 2", "degree 3", {{0, 3}}}, 2, 8));
  e.comparisons.push_back(split_at_range({"degree 1", "degree 4", {{4, 4}}}, 2, 8));
  const std::string text = written(e, output_format::text);
  CHECK(text.find("degree 1 and degree 2 agree within their prediction intervals over the "
                  "whole sweep.\n") != std::string::npos);
  CHECK(text.find("degree 1 and degree 3 agree within their prediction intervals on the data "
                  "but differ by more than those intervals beyond it, where 9 <= x <= 10: ") !=
        std::string::npos);
  CHECK(text.find("degree 2 and degree 3 differ by more than their own prediction intervals "
                  "beyond the data, where 0 <= x <= 2, and inside it, where 2 <= x <= 3: ") !=
        std::string::npos);
  CHECK(text.find("degree 1 and degree 4 differ by more than their own prediction intervals "
                  "inside the data, where x = 4, and agree beyond it over the sweep.\n") !=
        std::string::npos);
}

TEST_CASE("split_at_range cuts a run that crosses an edge of the training range",
          "[explore][sweep]") {
  const model_comparison c = split_at_range({"a", "b", {{0, 3}, {7, 12}}}, 2, 8);
  CHECK(c.outside == std::vector<std::pair<double, double>>{{0, 2}, {8, 12}});
  CHECK(c.inside == std::vector<std::pair<double, double>>{{2, 3}, {7, 8}});
  CHECK(c.apart.where.size() == 2);
}

namespace {
backtest_result small_backtest() {
  backtest_result r;
  r.level = 0.9;
  r.extrapolation = {4, 0.5, 2.25};
  r.control = {4, 1, 1.5};
  r.bins.push_back({0, 0.1, {3, 2.0 / 3, 2}});
  r.bins.push_back({2, inf, {1, 0, 3}});
  // 2 of 4 against 4 of 4: R's fisher.test(matrix(c(2, 4, 2, 0), 2),
  // alternative = "less")$p.value = 15/70 (make_backtest_reference.R).
  judge_backtest(r);
  return r;
}
}  // namespace

TEST_CASE("the backtest in csv: NA distances for the overall rows, inf for the open bin",
          "[output][backtest]") {
  CHECK(written(small_backtest(), output_format::csv) ==
        "part,distance_from,distance_to,n,coverage,mae,level,p_value\n"
        "extrapolation,NA,NA,4,0.5,2.25,0.9,0.21428571428571427\n"
        "control,NA,NA,4,1,1.5,0.9,0.21428571428571427\n"
        "bin,0,0.1,3,0.6666666666666666,2,0.9,NA\n"
        "bin,2,inf,1,0,3,0.9,NA\n");
  const std::string tsv = written(small_backtest(), output_format::tsv);
  CHECK(tsv.substr(0, tsv.find('\n')) ==
        "part\tdistance_from\tdistance_to\tn\tcoverage\tmae\tlevel\tp_value");
}

TEST_CASE("the backtest in json: null for the open bin's end and for a part of no rows",
          "[output][backtest]") {
  backtest_result r = small_backtest();
  CHECK(nlohmann::json::parse(written(r, output_format::json))["verdict"] == "holds");
  r.control = {0, not_a_number, not_a_number};
  judge_backtest(r);
  const std::string text = written(r, output_format::json);
  CHECK(text ==
        "{\n  \"level\": 0.9,\n  \"extrapolation\": {\"n\": 4, \"coverage\": 0.5, \"mae\": "
        "2.25},\n  \"control\": {\"n\": 0, \"coverage\": null, \"mae\": null},\n"
        "  \"p_value\": null,\n  \"least_p_value\": null,\n  \"verdict\": \"no_comparison\",\n"
        "  \"bins\": [\n"
        "    {\"distance_from\": 0, \"distance_to\": 0.1, \"n\": 3, \"coverage\": "
        "0.6666666666666666, \"mae\": 2},\n"
        "    {\"distance_from\": 2, \"distance_to\": null, \"n\": 1, \"coverage\": 0, \"mae\": 3}\n"
        "  ]\n}\n");
  r.bins.clear();
  CHECK(nlohmann::json::parse(written(r, output_format::json))["bins"].empty());
}

TEST_CASE("the backtest in text: a table and the verdict of the test of the two coverages",
          "[output][backtest]") {
  const std::string text = written(small_backtest(), output_format::text);
  CHECK(text.substr(0, text.find('\n')) ==
        "Backtest of dist ~ speed: 90% nominal prediction intervals");
  CHECK(text.find("  extreme rows (extrapolation)           4     50.0%         2.25\n") !=
        std::string::npos);
  CHECK(text.find("  2 and beyond                           1      0.0%            3\n") !=
        std::string::npos);
  // 2 of 4 against 4 of 4 is no evidence at these sizes (p = 15/70).
  CHECK(text.find("covered 50.0% of the rows, inside 100.0%;\n") != std::string::npos);
  CHECK(text.find("coverage is lower outside: p = 0.214.\nNo significant sign") !=
        std::string::npos);
  backtest_result worse = small_backtest();
  worse.extrapolation = {10, 0.4, 3};
  worse.control = {10, 1, 1};
  judge_backtest(worse);  // R: p = 0.0054179566563467467 (make_backtest_reference.R)
  CHECK(written(worse, output_format::text).find("p = 0.00542.\nThe fitted form does not hold") !=
        std::string::npos);
  backtest_result few = small_backtest();
  few.extrapolation = {2, 0, 3};
  few.control = {2, 1, 1};
  judge_backtest(few);
  CHECK(written(few, output_format::text).find("Too few held-out rows to tell") !=
        std::string::npos);
}

// ---- explore() and its picture ------------------------------------------------------

namespace {
design line_design() {
  design d;
  d.terms = {"x"};
  const int n = 12;
  d.x.resize(n, 1);
  d.y.resize(n);
  for (int i = 0; i < n; ++i) {
    d.x(i, 0) = 2 + 0.5 * i;
    d.y(i) = 1 + 2 * d.x(i, 0) + std::sin(3.0 * i);
  }
  d.ranges.push_back({"x", d.x.col(0).minCoeff(), d.x.col(0).maxCoeff(), d.x.col(0).mean()});
  return d;
}
explore_request request_of_line() {
  explore_request r;
  r.from = 0;
  r.to = 10;
  return r;
}
model_spec line_spec() {
  model_spec spec;
  spec.response = "y";
  spec.predictors = {"x"};
  return spec;
}
}  // namespace

TEST_CASE("explore() is the sweeps, trust range and comparisons of its models",
          "[explore][sweep]") {
  const design d = line_design();
  explore_request request;
  request.degrees = {1, 2};
  request.from = -5;
  request.to = 15;
  request.steps = 21;
  request.trust = trust_bounds{1.5, std::nullopt};
  const exploration e = explore(line_spec(), d, request);
  REQUIRE(e.models.size() == 2);
  CHECK(e.models[1].name == "degree 2");
  CHECK(e.along_name == "x");
  CHECK(e.nobs == 12);
  CHECK(e.training.min == 2);
  CHECK(e.training.max == 7.5);

  model_spec spec = line_spec();
  const model m = fit_model(spec, d);
  const sweep_line line = line_at_means(m, 0);
  const auto rows = sweep(m, line, -5, 15, 21, 0.95);
  REQUIRE(e.models[0].rows.size() == rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) CHECK(e.models[0].rows[i].fit == rows[i].fit);
  CHECK(e.models[0].narrowest_leverage == narrowest_leverage(m, line));
  const trust_range t = solve_trust(m, line, *request.trust, 0.95);
  REQUIRE(e.trust);
  CHECK(e.trust->lower == t.lower);
  CHECK(e.trust->upper == t.upper);
  REQUIRE(e.comparisons.size() == 1);
  CHECK(e.comparisons[0].apart.first == "degree 1");
  CHECK(e.comparisons[0].apart.second == "degree 2");

  const plot_data picture = explore_picture(e, d);
  CHECK(picture.title == "y ~ x: 95% intervals");
  CHECK(picture.point_x.size() == 12);
  CHECK(picture.series.size() == 2);
  CHECK(picture.series[0].fit.size() == 21);
  REQUIRE(picture.trust);
  CHECK(picture.trust->first == t.lower);
}

TEST_CASE(
    "explore() along one of two predictors plots partial residuals, titled with the held value",
    "[explore][sweep]") {
  // y = 1 + 2 x + 3 z + noise; swept along x with z held at 1.
  design d;
  d.terms = {"x", "z"};
  const int n = 15;
  d.x.resize(n, 2);
  d.y.resize(n);
  for (int i = 0; i < n; ++i) {
    d.x(i, 0) = i;
    d.x(i, 1) = std::cos(1.7 * i) * 4;
    d.y(i) = 1 + 2 * d.x(i, 0) + 3 * d.x(i, 1) + std::sin(2.3 * i);
  }
  for (Eigen::Index c = 0; c < 2; ++c) {
    d.ranges.push_back(
        {c == 0 ? "x" : "z", d.x.col(c).minCoeff(), d.x.col(c).maxCoeff(), d.x.col(c).mean()});
  }
  model_spec spec;
  spec.response = "y";
  spec.predictors = {"x", "z"};
  explore_request request;
  request.from = -2;
  request.to = 16;
  request.hold = {{1, 1.0}};
  const exploration e = explore(spec, d, request);
  // A linear model's partial residual along x: y - b_z (z - 1), b_z the fit's
  // slope of z, the other predictors' part moved to their held values.
  const model m = fit_model(spec, d);
  const double b_z = double(m.fit.slopes.at(1));
  REQUIRE(e.partial_residuals.size() == static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    CHECK(e.partial_residuals[static_cast<std::size_t>(i)] ==
          Approx(d.y(i) - b_z * (d.x(i, 1) - 1)).epsilon(1e-12));
  }
  const plot_data picture = explore_picture(e, d);
  CHECK(picture.title == "y ~ x + z at z = 1: 95% intervals");
  CHECK(picture.points_label == "partial residuals");
  CHECK(picture.point_y[3] == e.partial_residuals[3]);
  // One predictor: the raw response, no label.
  const plot_data one =
      explore_picture(explore(line_spec(), line_design(), request_of_line()), line_design());
  CHECK(one.points_label.empty());
}

TEST_CASE("explore() refuses a request it cannot sweep, in its own words", "[explore][sweep]") {
  const design d = line_design();
  explore_request request;
  request.from = 0;
  request.to = 10;
  explore_request backwards = request;
  backwards.to = -1;
  CHECK_THROWS_AS(explore(line_spec(), d, backwards), usage_error);
  explore_request few = request;
  few.steps = 1;
  CHECK_THROWS_AS(explore(line_spec(), d, few), usage_error);
  explore_request nowhere = request;
  nowhere.along = 1;
  CHECK_THROWS_AS(explore(line_spec(), d, nowhere), usage_error);
  explore_request unbounded = request;
  unbounded.trust = trust_bounds{};
  try {
    explore(line_spec(), d, unbounded);
    FAIL("no exception");
  } catch (const usage_error& e) {
    CHECK(std::string(e.what()).find("--") == std::string::npos);
  }
}

TEST_CASE("split_for_backtest counts what backtest() holds out", "[backtest]") {
  const design d = line_design();
  backtest_options o;
  o.holdout = 0.25;
  const backtest_split s = split_for_backtest(line_spec(), d, o);
  CHECK(s.rows == 12);
  CHECK(s.held == 3);
  CHECK(s.parameters == 2);
  CHECK(s.enough());
  o.holdout = 0.5;
  CHECK_FALSE(split_for_backtest(line_spec(), d, o).enough());
  CHECK_THROWS_AS(backtest(line_spec(), d, o), data_error);
  o.holdout = 0.6;
  CHECK_THROWS_AS(split_for_backtest(line_spec(), d, o), usage_error);
}
