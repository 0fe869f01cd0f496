#pragma once
/// \file cars.hpp
/// R's cars data (data/cars.csv, dist ~ speed) for the end-to-end tests: the
/// command lines most tests start from, the headers regress prints for them
/// and R's reference figures.

#include <string>

#include "support/binary.hpp"
#include "support/files.hpp"

namespace test_support {

// R 4.2: coef(lm(dist ~ speed, cars)), sigma and summary()$r.squared; qt(0.975, 48).
constexpr double r_intercept = -17.579094890510949;
constexpr double r_slope = 3.9324087591240877;
constexpr double r_sigma = 15.379586748819907;
constexpr double r_r_squared = 0.65107938075825;
constexpr double r_t_975_48 = 2.0106347576242318;

/// The header of `fit --format csv`.
inline const std::string table_header =
    "term,estimate,std_error,statistic,p_value,conf_low,conf_high";
/// The header of `predict --format csv` for cars.
inline const std::string predict_header = "speed,fit,se_fit,lwr,upr,leverage,region";

/// Arguments for `regress fit CARS -y dist -x speed EXTRA`.
inline std::string fit_cars(const std::string& extra = "--format csv") {
  return "fit " + quote(cars()) + " -y dist -x speed " + extra;
}
/// Arguments for `regress predict CARS -y dist -x speed EXTRA`.
inline std::string predict_cars(const std::string& extra) {
  return "predict " + quote(cars()) + " -y dist -x speed " + extra;
}

}  // namespace test_support
