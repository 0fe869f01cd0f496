#include "regress/analyses/inverse.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>
#include <limits>

#include "regress/error.hpp"
#include "support/fit.hpp"

using namespace regress;

namespace {
model fit(const std::vector<double>& x, const std::vector<double>& y) {
  return test::fit_columns({x, y}, {"x", "y"});
}

model cars() {
  std::ifstream in(std::string(REGRESS_TEST_DATA_DIR) + "/../data/cars.csv");
  REQUIRE(in);
  csv_reader reader(in, csv_options{',', "cars.csv"});
  std::vector<std::string> header;
  REQUIRE(reader.next(header));
  const table t = read_columns(reader, header, {0, 1});
  return fit(t.columns[0], t.columns[1]);
}

struct reference {
  const char* interval;
  double level, y, x, lwr, upr;
};
// From tests/reference/make_fieller_reference.R (R 4.2.2): the ends found by
// uniroot on predict.lm's own bands for lm(dist ~ speed, cars).
const reference references[] = {
    {"prediction", 0.95, 10, 7.0132828451572085, -1.7219471899862009, 14.955650062468264},
    {"prediction", 0.95, 50, 17.185165385900433, 9.1325092494824034, 25.406587349522312},
    {"prediction", 0.95, 100, 29.900018561829459, 21.841178678913849, 39.329660078244181},
    {"prediction", 0.99, 10, 7.0132828451572085, -5.0648750263702995, 17.62649571789515},
    {"prediction", 0.99, 50, 17.185165385900433, 6.2799892468173484, 28.402164262748901},
    {"prediction", 0.99, 100, 29.900018561829459, 19.249553487033555, 43.08326604508445},
    {"confidence", 0.95, 10, 7.0132828451572085, 4.4311969575051728, 8.8025059149768836},
    {"confidence", 0.95, 50, 17.185165385900433, 16.064173887463276, 18.474922711541439},
    {"confidence", 0.95, 100, 29.900018561829459, 27.16441537604852, 34.006423381109514},
    {"confidence", 0.99, 10, 7.0132828451572085, 3.2687354355927694, 9.2928852559320774},
    {"confidence", 0.99, 50, 17.185165385900433, 15.699225494795309, 18.982928014770977},
    {"confidence", 0.99, 100, 29.900018561829459, 26.437828342841772, 35.89499118927624},
};
constexpr double tolerance = 1e-9;  // relative; uniroot ran to 1e-13
}  // namespace

TEST_CASE("calibration and Fieller intervals match R's bands inverted by root finding",
          "[inverse]") {
  const model m = cars();
  for (const auto& r : references) {
    const interval_kind kind = std::string(r.interval) == "prediction" ? interval_kind::prediction
                                                                       : interval_kind::confidence;
    const calibration c = inverse_predict(m, r.y, kind, r.level);
    INFO(r.interval << " level " << r.level << " y " << r.y);
    CHECK(c.shape == calibration_shape::bounded);
    CHECK(c.x == Approx(r.x).epsilon(tolerance));
    CHECK(c.lwr == Approx(r.lwr).epsilon(tolerance));
    CHECK(c.upr == Approx(r.upr).epsilon(tolerance));
  }
}

TEST_CASE("a slope indistinguishable from zero gives two rays or every x", "[inverse]") {
  std::vector<double> x, y;
  for (int i = 0; i < 12; ++i) {
    x.push_back(i);
    y.push_back(5 + 0.05 * i + (i % 2 ? 1.0 : -1.0));
  }
  const model m = fit(x, y);
  const calibration near = inverse_predict(m, 5.3, interval_kind::prediction, 0.95);
  CHECK(near.shape == calibration_shape::everything);
  CHECK(std::isinf(near.lwr));
  CHECK(std::isinf(near.upr));
  const calibration far = inverse_predict(m, 40, interval_kind::confidence, 0.95);
  CHECK(far.shape == calibration_shape::two_rays);
  CHECK(far.gap_from < far.gap_to);
  // The words name the model's response and predictor, not "x" and "y".
  model named = m;
  named.spec.response = "dist";
  named.spec.predictors.front() = "speed";
  const std::string words = describe(named, far);
  INFO(words);
  CHECK(words.find("for dist = 40 the interval is two rays, speed <= ") != std::string::npos);
  CHECK(words.find(" x ") == std::string::npos);
}

TEST_CASE("inverse prediction needs a straight line in one predictor", "[inverse]") {
  model m = cars();
  m.spec.degree = 2;
  CHECK_THROWS_AS(inverse_predict(m, 1, interval_kind::prediction, 0.95), usage_error);
}
