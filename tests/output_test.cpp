// The prediction-row and calibration writers (output/prediction_rows.hpp,
// output/calibration_table.hpp): layout, escaping, and the pipelined writer's
// batch boundary.
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "regress/output/calibration_table.hpp"
#include "regress/output/prediction_rows.hpp"

using namespace regress;

namespace {
constexpr double na = std::numeric_limits<double>::quiet_NaN();
constexpr double inf = std::numeric_limits<double>::infinity();

prediction sample(double fit) {
  return prediction{fit, 0.5, fit - 1, fit + 1, 0.25, region::inside};
}

std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

std::size_t count_lines(const std::string& text) {
  std::size_t n = 0;
  for (char c : text) n += c == '\n';
  return n;
}
}  // namespace

TEST_CASE("a csv header name holding a comma or a quote comes out quoted", "[output]") {
  std::ostringstream out;
  {
    prediction_writer w(out, output_format::csv, {"a,b", "say \"x\"", "plain"}, false);
    w.finish();
  }
  CHECK(out.str() == "\"a,b\",\"say \"\"x\"\"\",plain,fit,se_fit,lwr,upr,leverage,region\n");
}

TEST_CASE("a tsv header quotes a name holding a tab, not one holding a comma", "[output]") {
  std::ostringstream out;
  prediction_writer w(out, output_format::tsv, {"a,b", "c\td"}, true);
  w.finish();
  CHECK(first_line(out.str()) ==
        "a,b\t\"c\td\"\tfit\tse_fit\tlwr\tupr\tleverage\tregion\tin_trust");
}

TEST_CASE("csv rows print shortest round-trip numbers and NA for a row without a prediction",
          "[output]") {
  std::ostringstream out;
  prediction_writer w(out, output_format::csv, {"x"}, true);
  const double x = 0.1;
  const prediction p = sample(2.5);
  w.row(&x, &p, true);
  w.row(&na, nullptr);
  w.finish();
  CHECK(out.str() ==
        "x,fit,se_fit,lwr,upr,leverage,region,in_trust\n"
        "0.1,2.5,0.5,1.5,3.5,0.25,inside,true\n"
        "NA,NA,NA,NA,NA,NA,NA,NA\n");
}

TEST_CASE("json rows give null for NaN and infinities and escape the names", "[output]") {
  std::ostringstream out;
  prediction_writer w(out, output_format::json, {"q\"uote"}, false);
  const double x = 3;
  prediction p = sample(na);
  p.upr = inf;
  p.where = region::above;
  w.row(&x, &p);
  w.row(&na, nullptr);
  w.finish();
  CHECK(out.str() ==
        "[\n"
        "  {\"q\\\"uote\": 3, \"fit\": null, \"se_fit\": 0.5, \"lwr\": null, \"upr\": null, "
        "\"leverage\": 0.25, \"region\": \"above\"},\n"
        "  {\"q\\\"uote\": null, \"fit\": null, \"se_fit\": null, \"lwr\": null, \"upr\": null, "
        "\"leverage\": null, \"region\": null}\n"
        "]\n");
}

TEST_CASE("json names with invalid UTF-8 get U+FFFD", "[output]") {
  std::ostringstream out;
  prediction_writer w(out, output_format::json, {std::string("a\xff")}, false);
  const double x = 1;
  w.row(&x, nullptr);
  w.finish();
  CHECK(out.str().find("\"a\xef\xbf\xbd\": 1") != std::string::npos);
}

TEST_CASE("an empty json prediction stream is an empty array", "[output]") {
  std::ostringstream out;
  prediction_writer w(out, output_format::json, {"x"}, false);
  w.finish();
  CHECK(out.str() == "[]\n");
}

TEST_CASE("the pipelined writer keeps every row in order across batch boundaries", "[output]") {
  const std::size_t batch = pipelined_prediction_writer::batch_rows;
  for (const std::size_t n : {batch - 1, batch, batch + 1, 3 * batch + 7}) {
    INFO("rows: " << n);
    std::ostringstream piped;
    std::ostringstream direct;
    {
      prediction_writer w(piped, output_format::csv, {"x"}, true);
      pipelined_prediction_writer pipe(w, 1);
      prediction_writer plain(direct, output_format::csv, {"x"}, true);
      for (std::size_t i = 0; i < n; ++i) {
        const double x = static_cast<double>(i);
        const prediction p = sample(x / 7);
        const bool trusted = i % 3 == 0;
        if (i % 11 == 5) {
          pipe.add(&x, nullptr, false);
          plain.row(&x, nullptr, false);
        } else {
          pipe.add(&x, &p, trusted);
          plain.row(&x, &p, trusted);
        }
        if (i == batch / 2) pipe.flush();  // a flush mid-batch changes nothing
      }
      pipe.finish();
      plain.finish();
    }
    CHECK(count_lines(piped.str()) == n + 1);
    CHECK(piped.str() == direct.str());
  }
}

TEST_CASE("a flush before the thread starts writes the rows so far", "[output]") {
  std::ostringstream out;
  prediction_writer w(out, output_format::csv, {"x"}, false);
  pipelined_prediction_writer pipe(w, 1);
  const double x = 2;
  const prediction p = sample(1);
  pipe.add(&x, &p, false);
  pipe.flush();
  CHECK(out.str() == "x,fit,se_fit,lwr,upr,leverage,region\n2,1,0.5,0,2,0.25,inside\n");
  pipe.finish();
}

TEST_CASE("calibration rows: -inf/inf and NA in csv, null in json", "[output]") {
  const std::vector<calibration> rows = {
      {50, 17.5, 9.25, 25.5, calibration_shape::bounded},
      {10, na, -inf, inf, calibration_shape::everything},
  };
  std::ostringstream csv;
  write_calibrations(csv, rows, output_format::csv);
  CHECK(csv.str() == "y,x,lwr,upr,shape\n50,17.5,9.25,25.5,interval\n10,NA,-inf,inf,everything\n");
  std::ostringstream tsv;
  write_calibrations(tsv, rows, output_format::tsv);
  CHECK(first_line(tsv.str()) == "y\tx\tlwr\tupr\tshape");
  std::ostringstream json;
  write_calibrations(json, rows, output_format::json);
  CHECK(json.str() ==
        "[\n  {\"y\": 50, \"x\": 17.5, \"lwr\": 9.25, \"upr\": 25.5, \"shape\": \"interval\"},\n"
        "  {\"y\": 10, \"x\": null, \"lwr\": null, \"upr\": null, \"shape\": \"everything\"}\n]\n");
  std::ostringstream empty;
  write_calibrations(empty, {}, output_format::json);
  CHECK(empty.str() == "[]\n");
}

TEST_CASE("calibration rows name the x column by the predictor and tell every shape apart",
          "[output]") {
  // Two rays and every x both have the hull -inf..inf; only shape tells them apart.
  const std::vector<calibration> rows = {
      {1, 2, -inf, inf, calibration_shape::two_rays},
      {2, 3, -inf, inf, calibration_shape::everything},
      {3, 4, -inf, 5, calibration_shape::below},
      {4, 5, 1, inf, calibration_shape::above},
      {5, 6, 5.5, 6.5, calibration_shape::bounded},
  };
  std::ostringstream csv;
  write_calibrations(csv, rows, output_format::csv, "temp, F");
  CHECK(csv.str() ==
        "y,\"temp, F\",lwr,upr,shape\n1,2,-inf,inf,two_rays\n2,3,-inf,inf,everything\n"
        "3,4,-inf,5,ray_below\n4,5,1,inf,ray_above\n5,6,5.5,6.5,interval\n");
  std::ostringstream json;
  write_calibrations(json, {rows[0]}, output_format::json, "temp \"F\"");
  CHECK(json.str() ==
        "[\n  {\"y\": 1, \"temp \\\"F\\\"\": 2, \"lwr\": null, \"upr\": null, "
        "\"shape\": \"two_rays\"}\n]\n");
}
