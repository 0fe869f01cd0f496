// library_example: fit stopping distance on speed (R's `cars` data) with the
// regress library, print the slope with its confidence interval, and predict
// at 10 mph (inside the data) and 40 mph (far above it).
//
//   library_example data/cars.csv

#include <cstddef>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "regress/error.hpp"
#include "regress/model/design.hpp"
#include "regress/model/model.hpp"
#include "regress/model/model_spec.hpp"
#include "regress/model/predict.hpp"
#include "regress/model/summary.hpp"
#include "regress/reading/table.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: library_example CARS.csv\n";
    return 2;
  }
  try {
    // The model: dist ~ speed, with an intercept, 95% intervals.
    regress::model_spec spec;
    spec.response = "dist";
    spec.predictors = {"speed"};
    regress::validate(spec);

    // Read the header, find the two columns, parse only those as numbers.
    std::ifstream in(argv[1], std::ios::binary);
    if (!in) throw regress::data_error("cannot open file", argv[1]);
    regress::csv_options options;
    options.source = argv[1];
    regress::csv_reader reader(in, options);
    std::vector<std::string> header;
    if (!reader.next(header)) throw regress::data_error("empty file: no header row", argv[1]);
    const std::vector<std::size_t> columns = {regress::resolve_column(header, spec.response),
                                              regress::resolve_column(header, "speed")};
    const regress::table data = regress::read_columns(reader, header, columns);

    // Fit, then the inference R's summary.lm and confint would give.
    const regress::design d = regress::make_design(spec, data);
    const regress::model m = regress::fit_model(spec, d);
    const regress::summary s = regress::summarize(m, spec.level);

    for (const auto& t : s.terms) {
      if (t.term != "speed") continue;
      std::printf("slope: %.4g ft per mph, %g%% CI [%.4g, %.4g]  (n = %g, R^2 = %.3f)\n",
                  t.estimate, 100 * spec.level, t.conf_low, t.conf_high, s.stats.nobs,
                  s.stats.r_squared);
    }
    std::printf("speeds seen: %g to %g mph\n", m.ranges.at(0).min, m.ranges.at(0).max);

    // Predict a new car's stopping distance, with a prediction interval.
    for (double speed : {10.0, 40.0}) {
      const regress::prediction p =
          regress::predict_one(m, &speed, regress::interval_kind::prediction, spec.level);
      std::printf("speed %g mph: dist %.1f ft, %g%% prediction interval [%.1f, %.1f], %s\n", speed,
                  p.fit, 100 * spec.level, p.lwr, p.upr, regress::to_string(p.where));
    }
    return 0;
  } catch (const regress::error& e) {
    std::cerr << "library_example: error: " << e.what() << '\n';
    return 1;
  }
}
