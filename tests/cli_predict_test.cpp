// End-to-end tests of `regress predict` through the built binary: points from
// --at, --range and --new, intervals and their formats, a saved model,
// answers streamed before end of input, the trust columns and
// --fail-on-extrapolation, --inverse, and its errors. Each test runs the real
// executable (support/binary.hpp) and looks only at what a user sees.
//
// Reference values for cars are R 4.2's lm(dist ~ speed, cars) and
// predict.lm (support/cars.hpp); the calibration intervals are R's uniroot on
// the predict.lm bands (tests/reference/make_fieller_reference.R).

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/binary.hpp"
#include "support/cars.hpp"
#include "support/files.hpp"
#include "support/in_process.hpp"
#include "support/text.hpp"

using namespace test_support;
using json = nlohmann::json;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

// ===========================================================================
// Points and intervals

TEST_CASE("predict --at gives a row per value and flags below, inside and above", "[cli]") {
  scratch_dir dir;
  const outcome r = regress(dir, predict_cars("--at 0,10,30"));
  REQUIRE(r.status == 0);
  REQUIRE(lines_of(r.out).at(0) == predict_header);
  const table_text t = parse_table(r.out);
  REQUIRE(t.rows.size() == 3);
  CHECK(t.text(0, "region") == "below");
  CHECK(t.text(1, "region") == "inside");
  CHECK(t.text(2, "region") == "above");
  for (std::size_t i = 0; i < 3; ++i) {
    const double x = t.number(i, "speed");
    CHECK(t.number(i, "fit") == Approx(r_intercept + r_slope * x).epsilon(1e-12));
    CHECK(t.number(i, "lwr") < t.number(i, "fit"));
    CHECK(t.number(i, "fit") < t.number(i, "upr"));
    CHECK(t.number(i, "leverage") > 0);
  }
  // At x = 0 the mean response is the intercept, with its standard error.
  CHECK(t.number(0, "se_fit") == Approx(6.7584402).epsilon(1e-7));
}

TEST_CASE("predict --range FROM:TO:COUNT gives COUNT evenly spaced rows", "[cli]") {
  scratch_dir dir;
  const outcome r = regress(dir, predict_cars("--range 0:50:6"));
  REQUIRE(r.status == 0);
  const table_text t = parse_table(r.out);
  REQUIRE(t.rows.size() == 6);
  for (std::size_t i = 0; i < 6; ++i) CHECK(t.number(i, "speed") == 10.0 * double(i));
}

// Long outputs are formatted in batches of 4096 rows on a second thread
// (predict_command.cpp); short ones are written in place. The rows either side
// of each batch boundary must be the rows a short request gives for the same x.
TEST_CASE("predict keeps every row in order across the batches of a long output", "[cli]") {
  scratch_dir dir;
  const outcome many = regress(dir, predict_cars("--range 0:50:10001"));
  REQUIRE(many.status == 0);
  const auto rows = lines_of(many.out);
  REQUIRE(rows.size() == 10002);  // header and 10001 rows
  std::string at;
  std::vector<std::size_t> picked = {0, 4095, 4096, 4097, 8191, 8192, 10000};
  for (std::size_t i : picked)
    at += (at.empty() ? "" : ",") + rows[i + 1].substr(0, rows[i + 1].find(','));
  const outcome few = regress(dir, predict_cars("--at " + at));
  REQUIRE(few.status == 0);
  const auto expected = lines_of(few.out);
  REQUIRE(expected.size() == picked.size() + 1);
  for (std::size_t k = 0; k < picked.size(); ++k) CHECK(rows[picked[k] + 1] == expected[k + 1]);

  const outcome as_json = regress(dir, predict_cars("--range 0:50:10001 --format json"));
  REQUIRE(as_json.status == 0);
  const json parsed = json::parse(as_json.out);
  REQUIRE(parsed.size() == 10001);
  CHECK(parsed[4096]["speed"].get<double>() == Approx(50.0 * 4096 / 10000));

  // A bad cell far into streamed points: every row before it is written.
  std::string points = "speed\n";
  for (int i = 0; i < 10000; ++i) points += std::to_string(i % 30) + "\n";
  dir.write("new.csv", points + "oops\n5\n");
  const outcome bad = regress(dir, predict_cars("--new new.csv"));
  CHECK(bad.status == 1);
  CHECK_THAT(bad.err, Contains("new.csv:10002:1"));
  CHECK(lines_of(bad.out).size() == 10001);
}

TEST_CASE("predict --new reads the points from a file or from standard input", "[cli]") {
  scratch_dir dir;
  dir.write("new.csv", "label,speed\na,0\nb,10\nc,30\n");
  const outcome at = regress(dir, predict_cars("--at 0,10,30"));
  REQUIRE(at.status == 0);

  const outcome file = regress(dir, predict_cars("--new new.csv"));
  INFO(file.err);
  CHECK(file.status == 0);
  CHECK(file.out == at.out);

  REQUIRE(regress(dir, fit_cars("--save m.json")).status == 0);
  const outcome piped = sh(dir, "\"$REGRESS\" predict -m m.json --new - < new.csv");
  INFO(piped.err);
  CHECK(piped.status == 0);
  CHECK(piped.out == at.out);
}

TEST_CASE("predict --new gives NA for a point with a missing value", "[cli]") {
  scratch_dir dir;
  dir.write("new.csv", "speed\n10\nNA\n12\n");
  const outcome r = regress(dir, predict_cars("--new new.csv"));
  INFO(r.err);
  REQUIRE(r.status == 0);
  const table_text t = parse_table(r.out);
  REQUIRE(t.rows.size() == 3);
  CHECK(t.text(0, "region") == "inside");
  CHECK(t.text(1, "fit") == "NA");
  CHECK(t.text(1, "region") == "NA");
  CHECK(t.text(2, "region") == "inside");
}

TEST_CASE("predict warns about extrapolation on stderr only when a point extrapolates", "[cli]") {
  scratch_dir dir;
  const outcome inside = regress(dir, predict_cars("--at 4,10,25"));
  CHECK(inside.status == 0);
  CHECK(inside.err.empty());

  const outcome outside = regress(dir, predict_cars("--at 10,26,100"));
  CHECK(outside.status == 0);
  CHECK_THAT(outside.err, StartsWith("regress: warning:"));
  CHECK(count_lines(outside.err) == 1);
  CHECK_THAT(outside.err, Contains("2 of 3"));
}

TEST_CASE("confidence intervals are narrower than prediction intervals", "[cli]") {
  scratch_dir dir;
  const table_text pred = parse_table(regress(dir, predict_cars("--at 0,10,30")).out);
  const table_text conf =
      parse_table(regress(dir, predict_cars("--at 0,10,30 --interval confidence")).out);
  REQUIRE(pred.rows.size() == 3);
  REQUIRE(conf.rows.size() == 3);
  for (std::size_t i = 0; i < 3; ++i) {
    const double pred_width = pred.number(i, "upr") - pred.number(i, "lwr");
    const double conf_width = conf.number(i, "upr") - conf.number(i, "lwr");
    CHECK(conf_width < pred_width);
    CHECK(conf.number(i, "fit") == pred.number(i, "fit"));
    // Same t quantile: widths in the ratio sqrt(sigma^2 + se^2) / se.
    const double se = conf.number(i, "se_fit");
    CHECK(pred_width / conf_width ==
          Approx(std::sqrt(r_sigma * r_sigma + se * se) / se).epsilon(1e-9));
    // se_fit is sigma * sqrt(leverage).
    CHECK(se == Approx(r_sigma * std::sqrt(conf.number(i, "leverage"))).epsilon(1e-9));
  }
}

TEST_CASE("predict --level 0.99 gives wider intervals than 0.95", "[cli]") {
  scratch_dir dir;
  const table_text l95 = parse_table(regress(dir, predict_cars("--at 0,10,30")).out);
  const table_text l99 = parse_table(regress(dir, predict_cars("--at 0,10,30 --level 0.99")).out);
  REQUIRE(l99.rows.size() == 3);
  for (std::size_t i = 0; i < 3; ++i) {
    CHECK(l99.number(i, "lwr") < l95.number(i, "lwr"));
    CHECK(l99.number(i, "upr") > l95.number(i, "upr"));
    CHECK(l99.number(i, "fit") == l95.number(i, "fit"));
  }
}

TEST_CASE("predict --format json is an array of objects with the csv's values", "[cli]") {
  scratch_dir dir;
  const outcome r = regress(dir, predict_cars("--at 0,10,30 --format json"));
  INFO(r.err);
  REQUIRE(r.status == 0);
  const json j = json::parse(r.out);
  REQUIRE(j.is_array());
  REQUIRE(j.size() == 3);
  const table_text csv = parse_table(regress(dir, predict_cars("--at 0,10,30")).out);
  for (std::size_t i = 0; i < 3; ++i) {
    REQUIRE(j[i].is_object());
    for (const char* key : {"speed", "fit", "se_fit", "lwr", "upr", "leverage"}) {
      INFO(key);
      CHECK(j[i].at(key).get<double>() == csv.number(i, key));
    }
    CHECK(j[i].at("region") == csv.text(i, "region"));
  }
}

TEST_CASE("predict --format tsv writes the csv rows with tabs", "[cli]") {
  scratch_dir dir;
  const outcome tsv = regress(dir, predict_cars("--at 0,10 --format tsv"));
  REQUIRE(tsv.status == 0);
  std::string as_csv = tsv.out;
  std::replace(as_csv.begin(), as_csv.end(), '\t', ',');
  CHECK(as_csv == regress(dir, predict_cars("--at 0,10")).out);
}

TEST_CASE("with two predictors, a point off the data cloud is hidden, beyond a range outside",
          "[cli]") {
  scratch_dir dir;
  // wt and disp are strongly correlated in mtcars (heavy cars have big
  // engines). The heaviest weight with the smallest displacement is inside
  // both ranges but far from every car: hidden extrapolation.
  const table_text data = parse_table(read_file(mtcars()));
  REQUIRE(data.rows.size() == 32);
  std::string max_wt = data.text(0, "wt");
  std::string min_disp = data.text(0, "disp");
  for (std::size_t i = 1; i < data.rows.size(); ++i) {
    if (data.number(i, "wt") > std::stod(max_wt)) max_wt = data.text(i, "wt");
    if (data.number(i, "disp") < std::stod(min_disp)) min_disp = data.text(i, "disp");
  }
  const std::string beyond_wt = std::to_string(std::stod(max_wt) + 1);
  dir.write("new.csv",
            "disp,wt\n" + min_disp + "," + max_wt + "\n200,3.2\n200," + beyond_wt + "\n");

  const std::string fit_args = quote(mtcars()) + " -y mpg -x wt,disp";
  const outcome fit = regress(dir, "fit " + fit_args + " --format json");
  REQUIRE(fit.status == 0);
  const json f = json::parse(fit.out);
  REQUIRE(f["predictors"].size() == 2);
  CHECK(f["predictors"][0]["name"] == "wt");
  CHECK(f["predictors"][0]["max"].get<double>() == std::stod(max_wt));
  CHECK(f["predictors"][1]["name"] == "disp");
  CHECK(f["predictors"][1]["min"].get<double>() == std::stod(min_disp));

  const outcome r = regress(dir, "predict " + fit_args + " --new new.csv");
  INFO(r.err);
  REQUIRE(r.status == 0);
  const table_text t = parse_table(r.out);
  CHECK(t.header == std::vector<std::string>{"wt", "disp", "fit", "se_fit", "lwr", "upr",
                                             "leverage", "region"});
  REQUIRE(t.rows.size() == 3);
  CHECK(t.text(0, "region") == "hidden");
  CHECK(t.text(1, "region") == "inside");
  CHECK(t.text(2, "region") == "outside");
  CHECK(t.number(0, "leverage") > t.number(1, "leverage"));
  CHECK_THAT(r.err, StartsWith("regress: warning:"));
  CHECK_THAT(r.err, Contains("2 of 3"));
}

// ===========================================================================
// From a saved model

TEST_CASE("a saved model predicts byte for byte what fitting from the data predicts", "[cli]") {
  scratch_dir dir;
  const outcome saved = regress(dir, fit_cars("--format csv --save m.json"));
  INFO(saved.err);
  REQUIRE(saved.status == 0);
  CHECK(saved.out == regress(dir, fit_cars("--format csv")).out);

  for (const std::string points :
       {"--at 4,10,15.4,25", "--at=-1000,0,3.99,25.01,1e6", "--range 0:50:6",
        "--range 0:50:6 --interval confidence --level 0.9 --format json"}) {
    INFO(points);
    const outcome from_model = regress(dir, "predict -m m.json " + points);
    const outcome from_data = regress(dir, predict_cars(points));
    CHECK(from_model.status == 0);
    CHECK(from_data.status == 0);
    CHECK(!from_model.out.empty());
    CHECK(from_model.out == from_data.out);
    CHECK(from_model.err == from_data.err);
  }
}

TEST_CASE("a model saved at one level predicts at that level unless --level is given", "[cli]") {
  scratch_dir dir;
  REQUIRE(regress(dir, fit_cars("--level 0.9 --save m.json")).status == 0);
  const outcome saved_level = regress(dir, "predict -m m.json --at 10,30");
  CHECK(saved_level.status == 0);
  CHECK(saved_level.out == regress(dir, predict_cars("--at 10,30 --level 0.9")).out);
  const outcome override_level = regress(dir, "predict -m m.json --at 10,30 --level 0.95");
  CHECK(override_level.out == regress(dir, predict_cars("--at 10,30")).out);
}

// ===========================================================================
// Streaming: an answer per line, before end of input

TEST_CASE("predict --new - answers each line as it arrives, before standard input is closed",
          "[cli]") {
  scratch_dir dir;
  REQUIRE(regress(dir, fit_cars("--save m.json")).status == 0);
  const std::string expected = regress(dir, "predict -m m.json --at 10,30").out;
  const auto expected_lines = lines_of(expected);
  REQUIRE(expected_lines.size() == 3);

  child_process child({binary_path(), "predict", "-m", dir.file("m.json"), "--new", "-"},
                      dir.file("child.err"));
  REQUIRE(child.write("speed\n10\n"));
  // Header and the first answer, with stdin still open.
  const std::string first = child.read_lines(2, 5000);
  REQUIRE(first == expected_lines[0] + "\n" + expected_lines[1] + "\n");

  REQUIRE(child.write("30\n"));
  const std::string second = child.read_lines(1, 5000);
  CHECK(second == expected_lines[2] + "\n");

  child.close_stdin();
  CHECK(child.read_rest(5000).empty());
  CHECK(child.wait() == 0);
  // One extrapolated point (30): the note comes at the end.
  CHECK_THAT(dir.read("child.err"), StartsWith("regress: warning:"));
}

// ===========================================================================
// Trust columns and --fail-on-extrapolation

TEST_CASE("predict --fail-on-extrapolation exits 0 when every point is inside the data",
          "[cli][predict]") {
  scratch_dir dir;
  const outcome r = regress(dir, predict_cars("--at 4,10,15.4,25 --fail-on-extrapolation"));
  INFO(r.err);
  CHECK(r.status == 0);
  CHECK(r.err.empty());
  const table_text t = parse_table(r.out);
  REQUIRE(t.rows.size() == 4);
  for (std::size_t i = 0; i < 4; ++i) CHECK(t.text(i, "region") == "inside");
}

TEST_CASE(
    "predict --fail-on-extrapolation exits 3 after writing every row when a point lies "
    "above the range",
    "[cli][predict]") {
  scratch_dir dir;
  const outcome r = regress(dir, predict_cars("--at 10,30,20 --fail-on-extrapolation"));
  INFO(r.err);
  CHECK(r.status == 3);
  const table_text t = parse_table(r.out);
  REQUIRE(t.rows.size() == 3);
  CHECK(t.text(0, "region") == "inside");
  CHECK(t.text(1, "region") == "above");
  CHECK(t.text(2, "region") == "inside");
  CHECK(t.number(2, "speed") == 20);
  CHECK_THAT(r.err, Contains("regress: error:"));
  CHECK_THAT(r.err, Contains("--fail-on-extrapolation"));

  SECTION("the json is complete too") {
    const outcome js =
        regress(dir, predict_cars("--at 10,30,20 --fail-on-extrapolation --format json"));
    CHECK(js.status == 3);
    const json j = json::parse(js.out);
    REQUIRE(j.size() == 3);
    CHECK(j[1]["region"] == "above");
  }
  SECTION("and streamed points from --new are all written as well") {
    const std::string points = dir.write("points.csv", "speed\n1\n10\n20\n");
    const outcome fed = regress(dir, predict_cars("--new points.csv --fail-on-extrapolation"));
    CHECK(fed.status == 3);
    const table_text f = parse_table(fed.out);
    REQUIRE(f.rows.size() == 3);
    CHECK(f.text(0, "region") == "below");
  }
  SECTION("and without the flag the same request exits 0 with a warning") {
    const outcome lax = regress(dir, predict_cars("--at 10,30,20"));
    CHECK(lax.status == 0);
    CHECK(lax.out == r.out);
    CHECK_THAT(lax.err, Contains("regress: warning:"));
  }
}

TEST_CASE("predict --fail-on-extrapolation exits 3 for a hidden extrapolation", "[cli][predict]") {
  scratch_dir dir;
  // A light car with a big engine: inside both ranges, off the data.
  dir.write("points.csv", "wt,disp\n1.6,460\n3,200\n");
  const outcome r = regress(dir, "predict " + quote(mtcars()) +
                                     " -y mpg -x wt,disp --new points.csv --fail-on-extrapolation");
  INFO(r.err);
  CHECK(r.status == 3);
  const table_text t = parse_table(r.out);
  REQUIRE(t.rows.size() == 2);
  CHECK(t.text(0, "region") == "hidden");
  CHECK(t.text(1, "region") == "inside");
}

TEST_CASE(
    "predict --fail-on-extrapolation exits 3 for a point inside the data but outside the "
    "trust range",
    "[cli][predict]") {
  scratch_dir dir;
  // pressure: temperature 0..360, trust range at 1.05 about 23 to 337.
  const std::string args = "predict " + quote(pressure()) +
                           " -y pressure -x temperature --at 10,180 --max-widening 1.05";
  const outcome r = regress(dir, args + " --fail-on-extrapolation");
  INFO(r.err);
  CHECK(r.status == 3);
  REQUIRE(lines_of(r.out).at(0) == "temperature,fit,se_fit,lwr,upr,leverage,region,in_trust");
  const table_text t = parse_table(r.out);
  REQUIRE(t.rows.size() == 2);
  CHECK(t.text(0, "region") == "inside");
  CHECK(t.text(0, "in_trust") == "false");
  CHECK(t.text(1, "region") == "inside");
  CHECK(t.text(1, "in_trust") == "true");
  CHECK_THAT(r.err, Contains("trust range"));

  SECTION("while inside the trust range it exits 0") {
    const outcome ok = regress(dir, "predict " + quote(pressure()) +
                                        " -y pressure -x temperature --at 180 --max-widening 1.05 "
                                        "--fail-on-extrapolation");
    CHECK(ok.status == 0);
  }
}

TEST_CASE("predict --max-widening marks in_trust the same rows as explore's sweep",
          "[cli][predict][explore]") {
  scratch_dir dir;
  struct request {
    std::string data, explore_extra, predict_range;
  };
  const request requests[] = {
      {quote(cars()) + " -y dist -x speed", "--max-widening 1.2", "-17:46:201"},
      {quote(cars()) + " -y dist -x speed", "--max-halfwidth 35", "-17:46:201"},
      {quote(pressure()) + " -y pressure -x temperature --degree 2", "--max-widening 1.5",
       "-360:720:201"},
  };
  for (const auto& q : requests) {
    INFO(q.data << " " << q.explore_extra);
    const table_text swept = parse_table(succeed(dir, "explore " + q.data + " " + q.explore_extra));
    const outcome p =
        regress(dir, "predict " + q.data + " " + q.explore_extra + " --range " + q.predict_range);
    REQUIRE(p.status == 0);
    const table_text predicted = parse_table(p.out);
    REQUIRE(predicted.rows.size() == swept.rows.size());
    for (std::size_t i = 0; i < swept.rows.size(); ++i) {
      INFO("row " << i);
      CHECK(predicted.text(i, "in_trust") == swept.text(i, "in_trust"));
      CHECK(predicted.text(i, "region") == swept.text(i, "region"));
    }
  }
}

TEST_CASE("predict --max-halfwidth adds an in_trust column in csv and json", "[cli][predict]") {
  scratch_dir dir;
  // cars at 95%: half-width 35 holds for speed in about -3.5 to 34.3.
  const table_text t = parse_table(succeed(dir, predict_cars("--at 15,40 --max-halfwidth 35")));
  CHECK(t.header.back() == "in_trust");
  CHECK(t.text(0, "in_trust") == "true");
  CHECK(t.text(1, "in_trust") == "false");
  const json j =
      json::parse(succeed(dir, predict_cars("--at 15,40 --max-halfwidth 35 --format json")));
  CHECK(j[0].at("in_trust") == true);
  CHECK(j[1].at("in_trust") == false);
  // Without a bound there is no such column.
  const table_text plain = parse_table(succeed(dir, predict_cars("--at 15,40")));
  CHECK(plain.header.back() == "region");
}

// ===========================================================================
// --inverse

TEST_CASE(
    "predict --inverse gives the x where the line reaches y, with R's calibration "
    "interval",
    "[cli][inverse]") {
  scratch_dir dir;
  const outcome r = regress(dir, predict_cars("--inverse --y 50"));
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK(r.err.empty());
  REQUIRE(lines_of(r.out).at(0) == "y,speed,lwr,upr,shape");
  const table_text t = parse_table(r.out);
  REQUIRE(t.rows.size() == 1);
  CHECK(t.number(0, "y") == 50);
  CHECK(t.number(0, "speed") == Approx((50 - r_intercept) / r_slope).epsilon(1e-12));
  CHECK(t.text(0, "shape") == "interval");
  // R: uniroot on the predict.lm prediction bands.
  CHECK(t.number(0, "lwr") == Approx(9.1325092494824034).epsilon(1e-9));
  CHECK(t.number(0, "upr") == Approx(25.406587349522312).epsilon(1e-9));

  SECTION("and --interval confidence gives Fieller's interval for the mean response") {
    const table_text c =
        parse_table(succeed(dir, predict_cars("--inverse --y 50 --interval confidence")));
    REQUIRE(c.rows.size() == 1);
    CHECK(c.number(0, "speed") == Approx((50 - r_intercept) / r_slope).epsilon(1e-12));
    CHECK(c.number(0, "lwr") == Approx(16.064173887463276).epsilon(1e-9));
    CHECK(c.number(0, "upr") == Approx(18.474922711541439).epsilon(1e-9));
  }
}

TEST_CASE("predict --inverse takes several values, in csv, tsv and json", "[cli][inverse]") {
  scratch_dir dir;
  const table_text t = parse_table(succeed(dir, predict_cars("--inverse --y 50,100")));
  REQUIRE(t.rows.size() == 2);
  CHECK(t.number(1, "y") == 100);
  CHECK(t.number(1, "speed") == Approx((100 - r_intercept) / r_slope).epsilon(1e-12));
  for (std::size_t i = 0; i < 2; ++i) {
    CHECK(t.number(i, "lwr") < t.number(i, "speed"));
    CHECK(t.number(i, "speed") < t.number(i, "upr"));
  }

  const json j = json::parse(succeed(dir, predict_cars("--inverse --y 50,100 --format json")));
  REQUIRE(j.is_array());
  REQUIRE(j.size() == 2);
  for (std::size_t i = 0; i < 2; ++i) {
    CHECK(j[i].at("shape") == "interval");
    for (const char* key : {"y", "speed", "lwr", "upr"}) {
      INFO(key);
      REQUIRE(j[i].at(key).is_number());
      CHECK(j[i][key].get<double>() == Approx(t.number(i, key)).epsilon(1e-15));
    }
  }

  const outcome tsv = regress(dir, predict_cars("--inverse --y 50,100 --format tsv"));
  REQUIRE(tsv.status == 0);
  CHECK(lines_of(tsv.out).at(0) == "y\tspeed\tlwr\tupr\tshape");
}

TEST_CASE(
    "an unbounded calibration interval is -inf and inf in csv, null in json, with a "
    "warning",
    "[cli][inverse]") {
  scratch_dir dir;
  // At 99.9% the challenger slope is not significant: the data cannot place x.
  const std::string args =
      "predict " + quote(challenger()) + " -y n_failures -x temp_f --inverse --y 3 --level 0.999";
  const outcome csv = regress(dir, args);
  INFO(csv.err);
  REQUIRE(csv.status == 0);
  const table_text t = parse_table(csv.out);
  REQUIRE(t.rows.size() == 1);
  CHECK(t.text(0, "lwr") == "-inf");
  CHECK(t.text(0, "upr") == "inf");
  CHECK(t.text(0, "shape") == "two_rays");
  CHECK_THAT(csv.err, Contains("regress: warning:"));
  CHECK_THAT(csv.err, Contains("for n_failures = 3 the interval is two rays, temp_f <= "));

  const outcome tsv = regress(dir, args + " --format tsv");
  REQUIRE(tsv.status == 0);
  const table_text tt = parse_table(tsv.out, '\t');
  CHECK(tt.text(0, "lwr") == "-inf");
  CHECK(tt.text(0, "upr") == "inf");

  const outcome js = regress(dir, args + " --format json");
  REQUIRE(js.status == 0);
  const json j = json::parse(js.out);
  REQUIRE(j.size() == 1);
  CHECK(j[0].at("lwr").is_null());
  CHECK(j[0].at("upr").is_null());
  CHECK(j[0].at("temp_f").is_number());
  CHECK(j[0].at("shape") == "two_rays");
  CHECK_THAT(js.err, Contains("regress: warning:"));
}

TEST_CASE("predict --inverse tells two rays from every x in its shape column", "[cli][inverse]") {
  scratch_dir dir;
  // At 99.9% the challenger slope is not significant: y = 3 lies beyond the
  // band's waist (two rays), y = 0.3 within it (every x); both print -inf,inf.
  const table_text t =
      parse_table(succeed(dir, "predict " + quote(challenger()) +
                                   " -y n_failures -x temp_f --inverse --y 3,0.3 --level 0.999"));
  REQUIRE(t.rows.size() == 2);
  CHECK(t.text(0, "shape") == "two_rays");
  CHECK(t.text(1, "shape") == "everything");
  CHECK(t.text(1, "lwr") == "-inf");
  CHECK(t.text(1, "upr") == "inf");
}

TEST_CASE("predict --inverse and --y go together, for a straight line in one predictor",
          "[cli][inverse]") {
  scratch_dir dir;
  check_failure(regress(dir, predict_cars("--inverse")), 2, {"--y"});
  check_failure(regress(dir, predict_cars("--y 50")), 2, {"--inverse"});
  check_failure(regress(dir, predict_cars("--inverse --y 50 --at 10")), 2, {"--inverse"});
  check_failure(regress(dir, predict_cars("--inverse --y abc")), 2, {"abc"});
  check_failure(regress(dir, "predict " + quote(mtcars()) + " -y mpg -x wt,disp --inverse --y 20"),
                2, {"--inverse"});
  check_failure(regress(dir, predict_cars("--degree 2 --inverse --y 50")), 2, {"--inverse"});
}

// y = 500 puts x near 132, five training spans above speed's 4..25: flagged.
TEST_CASE("predict --inverse does not silently ignore --fail-on-extrapolation", "[cli][inverse]") {
  scratch_dir dir;
  const outcome r = regress(dir, predict_cars("--inverse --y 500 --fail-on-extrapolation"));
  INFO(r.out);
  INFO(r.err);
  // Either refused as a usage error, or the far-out x is flagged with exit 3.
  CHECK((r.status == 2 || r.status == 3));
  CHECK_THAT(r.err, Contains("regress: error:"));
}

// ===========================================================================
// Errors: exit 1 for bad data or models, exit 2 for bad requests

TEST_CASE("a malformed model file is exit 1", "[cli]") {
  scratch_dir dir;
  dir.write("broken.json", "{not json");
  check_failure(regress(dir, "predict -m broken.json --at 10"), 1, {"broken.json"});
  dir.write("empty.json", "");
  check_failure(regress(dir, "predict -m empty.json --at 10"), 1, {"empty.json"});
  dir.write("object.json", "{\"version\": 1}");
  check_failure(regress(dir, "predict -m object.json --at 10"), 1, {"object.json"});
}

TEST_CASE("predict reads a polynomial model file that names the powers x^2, x^3", "[cli]") {
  // tests/data/model_v1_poly.json: `fit tests/data/r_poly.csv -y y -x x
  // --degree 3 --save`, as versions before the powers took R's names
  // I(x^2), I(x^3) wrote it (terms "x", "x^2", "x^3").
  scratch_dir dir;
  const std::string old_file = repo_path("tests/data/model_v1_poly.json");
  REQUIRE_THAT(read_file(old_file), Contains("\"x^2\""));
  REQUIRE(regress(dir, "fit " + quote(repo_path("tests/data/r_poly.csv")) +
                           " -y y -x x --degree 3 --save new.json")
              .status == 0);
  const std::string expected = succeed(dir, "predict -m new.json --at -1,0.5,2,6");
  CHECK(succeed(dir, "predict -m " + quote(old_file) + " --at -1,0.5,2,6") == expected);
  // Any other spelling of the terms is still refused.
  json m = json::parse(read_file(old_file));
  m["terms"][1] = "x^3";
  dir.write("bad.json", m.dump(1));
  check_failure(regress(dir, "predict -m bad.json --at 1"), 1, {"terms"});
}

TEST_CASE("a model file of an unknown version is exit 1", "[cli]") {
  scratch_dir dir;
  REQUIRE(regress(dir, fit_cars("--save m.json")).status == 0);
  json m = json::parse(dir.read("m.json"));
  m["version"] = 99;
  dir.write("m99.json", m.dump(1));
  check_failure(regress(dir, "predict -m m99.json --at 10"), 1, {"m99.json", "99"});
}

TEST_CASE("predict --interval takes any start of prediction or confidence", "[cli]") {
  scratch_dir dir;
  const std::string confidence = succeed(dir, predict_cars("--at 10,30 --interval confidence"));
  CHECK(succeed(dir, predict_cars("--at 10,30 --interval conf")) == confidence);
  CHECK(succeed(dir, predict_cars("--at 10,30 --interval c")) == confidence);
  const std::string prediction = succeed(dir, predict_cars("--at 10,30"));
  CHECK(prediction != confidence);
  CHECK(succeed(dir, predict_cars("--at 10,30 --interval pred")) == prediction);
  check_failure(regress(dir, predict_cars("--at 10 --interval confident")), 2, {"confident"});
  check_failure(regress(dir, predict_cars("--at 10 --interval ''")), 2, {"--interval"});
}

// speed's range is 4..25 about a mean of 15.4: 30 lies farther beyond it
// (0.238 spans) than 0 does (0.19), but 0 lies farther from the mean, so its
// prediction interval is the wider.
TEST_CASE("predict's extrapolation warning names the row with the widest interval", "[cli]") {
  scratch_dir dir;
  const outcome r = regress(dir, predict_cars("--at 30,0"));
  REQUIRE(r.status == 0);
  CHECK_THAT(r.err, Contains("the farthest lies 0.238 training spans beyond the range"));
  CHECK_THAT(r.err, Contains("the widest prediction interval among them, at row 2 (speed = 0), "
                             "is 1.0"));
}

TEST_CASE("predict needs exactly one source of new points and one of model or data", "[cli]") {
  scratch_dir dir;
  REQUIRE(regress(dir, fit_cars("--save m.json")).status == 0);
  check_failure(regress(dir, "predict -m m.json"), 2, {"--at"});
  check_failure(regress(dir, "predict -m m.json --at 1 --range 0:1:2"), 2, {"--at"});
  check_failure(regress(dir, predict_cars("-m m.json --at 10")), 2, {"-m"});
  check_failure(regress(dir, "predict -m m.json --at 10 --interval sideways"), 2, {"sideways"});
}

TEST_CASE("a bad cell in streamed new points is exit 1 after the rows before it", "[cli]") {
  // Streaming: rows already answered stay answered; the error names the spot.
  scratch_dir dir;
  dir.write("new.csv", "speed\n10\nxyz\n12\n");
  const outcome r = regress(dir, predict_cars("--new new.csv"));
  CHECK(r.status == 1);
  CHECK_THAT(r.err, StartsWith("regress: error: "));
  CHECK_THAT(r.err, Contains("new.csv:3:1"));
  CHECK_THAT(r.err, Contains("'xyz'"));
  CHECK(lines_of(r.out).size() == 2);  // header and the row for 10
}

// predict checks --at/--range values, the number of predictors, the --new
// file and its header before writing anything, so these failures leave stdout
// empty, as fit's do.
TEST_CASE("predict rejects bad new points before writing any output", "[cli]") {
  scratch_dir dir;
  SECTION("a non-numeric --at value") {
    check_failure(regress(dir, predict_cars("--at abc")), 2, {"'abc'"});
    check_failure(regress(dir, predict_cars("--at abc --format json")), 2, {"'abc'"});
  }
  SECTION("a malformed --range") {
    check_failure(regress(dir, predict_cars("--range 0:50")), 2, {"--range"});
    check_failure(regress(dir, predict_cars("--range 0:50:0")), 2, {"--range"});
  }
  SECTION("--at with two predictors") {
    check_failure(regress(dir, "predict " + quote(mtcars()) + " -y mpg -x wt,disp --at 3"), 2,
                  {"--at", "wt, disp"});
  }
  SECTION("a missing --new file") {
    check_failure(regress(dir, predict_cars("--new nope.csv")), 1, {"nope.csv"});
  }
  SECTION("--new points without the predictor's column") {
    dir.write("new.csv", "other\n10\n");
    check_failure(regress(dir, predict_cars("--new new.csv")), 1, {"'speed'"});
  }
}

// ===========================================================================
// Column names a CSV must quote

TEST_CASE("predict quotes a column name holding the delimiter or a quote in its csv header",
          "[cli][predict]") {
  // Before the writers shared one escaper, this header came out as
  // `weight, kg,fit,...`: a CSV with one column too many.
  const std::string comma = "\"weight, kg\",y\n1,2.1\n2,3.9\n3,6.2\n4,7.8\n";
  const run_outcome csv = run_regress({"predict", "-", "-y", "y", "-x", "1", "--at", "2"}, comma);
  REQUIRE(csv.code == 0);
  CHECK(lines_of(csv.out).at(0) == "\"weight, kg\",fit,se_fit,lwr,upr,leverage,region");
  // A tab separates tsv fields: the comma needs no quotes there.
  const run_outcome tsv =
      run_regress({"predict", "-", "-y", "y", "-x", "1", "--at", "2", "--format", "tsv"}, comma);
  REQUIRE(tsv.code == 0);
  CHECK(lines_of(tsv.out).at(0) == "weight, kg\tfit\tse_fit\tlwr\tupr\tleverage\tregion");
  const std::string quote = "a\"b,y\n1,2.1\n2,3.9\n3,6.2\n4,7.8\n";
  const run_outcome q = run_regress({"predict", "-", "-y", "y", "-x", "1", "--at", "2"}, quote);
  REQUIRE(q.code == 0);
  CHECK(lines_of(q.out).at(0) == "\"a\"\"b\",fit,se_fit,lwr,upr,leverage,region");
}
