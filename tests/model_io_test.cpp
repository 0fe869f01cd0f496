#include "regress/files/model_io.hpp"

#include <catch2/catch.hpp>
#include <cstring>
#include <sstream>

#include "regress/error.hpp"
#include "regress/model/predict.hpp"

using namespace regress;

namespace {
model filip_like() {
  // A cubic in a predictor far from zero: every stored field matters.
  model_spec spec;
  spec.response = "y";
  spec.predictors = {"x"};
  spec.degree = 3;
  spec.level = 0.9;
  table t;
  t.names = {"x", "y"};
  t.columns.resize(2);
  for (int i = 0; i < 40; ++i) {
    const double x = 1000 + 0.37 * i;
    t.columns[0].push_back(x);
    t.columns[1].push_back(1e-3 * (x - 1000) * (x - 1000) + std::sin(i));
    t.lines.push_back(static_cast<std::size_t>(i) + 2);
  }
  return fit_model(spec, make_design(spec, t));
}

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }
}  // namespace

TEST_CASE("a saved model predicts bit for bit what the fit predicts", "[model_io]") {
  const model m = filip_like();
  std::stringstream file;
  write_model(file, m);
  const model loaded = read_model(file, "m.json");
  for (double x0 : {1000.0, 1007.3, 1014.43, 1100.0, 900.0}) {
    for (auto kind : {interval_kind::prediction, interval_kind::confidence}) {
      const prediction a = predict_one(m, &x0, kind, 0.9);
      const prediction b = predict_one(loaded, &x0, kind, 0.9);
      CHECK(same_bits(a.fit, b.fit));
      CHECK(same_bits(a.se_fit, b.se_fit));
      CHECK(same_bits(a.lwr, b.lwr));
      CHECK(same_bits(a.upr, b.upr));
      CHECK(same_bits(a.leverage, b.leverage));
      CHECK(a.where == b.where);
    }
  }
  CHECK(loaded.spec.level == 0.9);
  CHECK(same_bits(loaded.max_leverage, m.max_leverage));
}

TEST_CASE("malformed, unknown-version and inconsistent model files are refused", "[model_io]") {
  std::stringstream good;
  write_model(good, filip_like());
  const std::string text = good.str();
  auto load = [](const std::string& s) {
    std::istringstream in(s);
    return read_model(in, "m.json");
  };
  auto replace = [&](const std::string& from, const std::string& to) {
    std::string s = text;
    const auto at = s.find(from);
    REQUIRE(at != std::string::npos);
    return s.replace(at, from.size(), to);
  };
  CHECK_THROWS_AS(load(text.substr(0, text.size() / 2)), model_error);  // truncated
  CHECK_THROWS_WITH(load(replace("\"version\": 1", "\"version\": 99")),
                    Catch::Contains("version 99"));
  CHECK_THROWS_AS(load(replace("\"degree\": 3", "\"degree\": 2")), model_error);
  CHECK_THROWS_AS(load(replace("\"rss\": ", "\"rss\": -")), model_error);
  CHECK_THROWS_AS(load(replace("\"nobs\": 40", "\"nobs\": 41")), model_error);
  CHECK_THROWS_AS(load(replace("\"format\": \"regress-model\"", "\"format\": \"other\"")),
                  model_error);
  CHECK_THROWS_AS(load("[1, 2, 3]"), model_error);
  CHECK_THROWS_AS(load(""), model_error);
}
