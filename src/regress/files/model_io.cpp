#include "regress/files/model_io.hpp"

#include <cmath>
#include <nlohmann/json.hpp>

#include "regress/error.hpp"

namespace regress {
namespace {
using json = nlohmann::json;

// A double-double is written as [hi, lo]; every double as the shortest text
// that reads back to the same bits.
json dd_json(const dd& v) { return json::array({v.hi, v.lo}); }

json dd_vector_json(const std::vector<dd>& v) {
  json a = json::array();
  for (const dd& x : v) a.push_back(dd_json(x));
  return a;
}

struct reader {
  const json& root;
  const std::string& source;

  [[noreturn]] void fail(const std::string& what) const {
    throw model_error(source + ": " + what + "; refit and save the model again");
  }
  const json& field(const json& obj, const char* key) const {
    auto it = obj.find(key);
    if (it == obj.end()) fail(std::string("missing field '") + key + "'");
    return *it;
  }
  double number(const json& obj, const char* key) const {
    const json& v = field(obj, key);
    if (!v.is_number()) fail(std::string("field '") + key + "' is not a number");
    const double d = v.get<double>();
    if (!std::isfinite(d)) fail(std::string("field '") + key + "' is not finite");
    return d;
  }
  dd pair(const json& v, const char* key) const {
    if (!v.is_array() || v.size() != 2 || !v[0].is_number() || !v[1].is_number()) {
      fail(std::string("field '") + key + "' must hold [high, low] number pairs");
    }
    const dd out(v[0].get<double>(), v[1].get<double>());
    if (!std::isfinite(out.hi) || !std::isfinite(out.lo) ||
        std::abs(out.lo) > std::abs(out.hi) * 1.2e-16) {
      fail(std::string("field '") + key + "' holds a pair that is not a finite double-double");
    }
    return out;
  }
  dd single(const json& obj, const char* key) const { return pair(field(obj, key), key); }
  std::vector<dd> pairs(const json& obj, const char* key, std::size_t size) const {
    const json& v = field(obj, key);
    if (!v.is_array() || v.size() != size) {
      fail(std::string("field '") + key + "' must hold " + std::to_string(size) + " pairs");
    }
    std::vector<dd> out;
    for (const auto& e : v) out.push_back(pair(e, key));
    return out;
  }
  std::string string(const json& obj, const char* key) const {
    const json& v = field(obj, key);
    if (!v.is_string()) fail(std::string("field '") + key + "' is not a string");
    return v.get<std::string>();
  }
};
}  // namespace

void write_model(std::ostream& out, const model& m) {
  json j;
  j["format"] = "regress-model";
  j["version"] = model_format_version;
  j["response"] = m.spec.response;
  j["predictors"] = m.spec.predictors;
  j["degree"] = m.spec.degree;
  j["intercept"] = m.spec.intercept;
  j["level"] = m.spec.level;
  j["terms"] = m.slope_terms;
  j["nobs"] = m.fit.nobs;
  j["df_residual"] = m.fit.df_residual;
  j["mean"] = dd_vector_json(m.fit.mean);
  j["y_mean"] = dd_json(m.fit.y_mean);
  j["slopes"] = dd_vector_json(m.fit.slopes);
  j["chol"] = dd_vector_json(m.fit.chol);
  j["rss"] = dd_json(m.fit.rss);
  j["mss"] = dd_json(m.fit.mss);
  json ranges = json::array();
  for (const auto& pr : m.ranges) {
    ranges.push_back({{"name", pr.name}, {"min", pr.min}, {"max", pr.max}, {"mean", pr.mean}});
  }
  j["ranges"] = ranges;
  j["max_leverage"] = m.max_leverage;
  // nlohmann writes the shortest text that reads back to the same double.
  out << j.dump(1) << '\n';
}

model read_model(std::istream& in, const std::string& source) {
  json root;
  try {
    root = json::parse(in);
  } catch (const json::exception& e) {
    throw model_error(source + ": not a valid model file (" + std::string(e.what()) +
                      "); give a model file saved by regress");
  }
  // value("format", json()): a non-string format is not a model file, not a
  // type error escaping from nlohmann (found by tests/fuzz).
  if (!root.is_object() || root.value("format", json()) != json("regress-model")) {
    throw model_error(source + ": not a regress model file; give a model file saved by regress");
  }
  const reader rd{root, source};
  const json& version = rd.field(root, "version");
  if (!version.is_number_integer() || version.get<long long>() != model_format_version) {
    throw model_error(source + ": model file version " + version.dump() +
                      " is not supported (this regress reads version " +
                      std::to_string(model_format_version) + "); refit with this version");
  }
  model m;
  m.spec.response = rd.string(root, "response");
  const json& preds = rd.field(root, "predictors");
  if (!preds.is_array() || preds.empty()) rd.fail("field 'predictors' must be a non-empty array");
  for (const auto& p : preds) {
    if (!p.is_string()) rd.fail("field 'predictors' must hold strings");
    m.spec.predictors.push_back(p.get<std::string>());
  }
  const json& degree = rd.field(root, "degree");
  if (!degree.is_number_integer() || degree.get<long long>() < 1 || degree.get<long long>() > 100) {
    rd.fail("field 'degree' is not an integer from 1 to 100");
  }
  m.spec.degree = degree.get<int>();
  const json& intercept = rd.field(root, "intercept");
  if (!intercept.is_boolean()) rd.fail("field 'intercept' is not true or false");
  m.spec.intercept = intercept.get<bool>();
  m.spec.level = rd.number(root, "level");
  try {
    validate(m.spec);
  } catch (const usage_error& e) {
    rd.fail(std::string("inconsistent model: ") + e.what());
  }
  m.slope_terms = slope_terms(m.spec);
  const json& terms = rd.field(root, "terms");
  if (terms != json(m.slope_terms)) rd.fail("field 'terms' does not match the predictors");

  ols_fit& f = m.fit;
  f.predictor_count = m.spec.predictors.size();
  f.degree = m.spec.degree;
  f.intercept = m.spec.intercept;
  f.nobs = rd.number(root, "nobs");
  f.df_residual = rd.number(root, "df_residual");
  const auto k = m.slope_terms.size();
  const double p = static_cast<double>(k) + (f.intercept ? 1 : 0);
  if (f.nobs != std::floor(f.nobs) || !(f.nobs > p) || f.df_residual != f.nobs - p) {
    rd.fail("inconsistent model: nobs and df_residual do not match the number of terms");
  }
  f.mean = rd.pairs(root, "mean", k);
  f.y_mean = rd.single(root, "y_mean");
  if (!f.intercept) {
    for (const dd& v : f.mean) {
      if (v.hi != 0) rd.fail("inconsistent model: means must be 0 without an intercept");
    }
  }
  f.slopes = rd.pairs(root, "slopes", k);
  f.chol = rd.pairs(root, "chol", k * (k + 1) / 2);
  for (std::size_t j = 0; j < k; ++j) {
    if (!(f.chol[j * (j + 1) / 2 + j].hi > 0)) {
      rd.fail("inconsistent model: the triangular factor must have a positive diagonal");
    }
  }
  f.rss = rd.single(root, "rss");
  f.mss = rd.single(root, "mss");
  if (f.rss.hi < 0 || f.mss.hi < 0) rd.fail("inconsistent model: negative sum of squares");
  const json& ranges = rd.field(root, "ranges");
  if (!ranges.is_array() || ranges.size() != m.spec.predictors.size()) {
    rd.fail("field 'ranges' must have one entry per predictor");
  }
  for (std::size_t i = 0; i < ranges.size(); ++i) {
    predictor_range pr;
    pr.name = rd.string(ranges[i], "name");
    pr.min = rd.number(ranges[i], "min");
    pr.max = rd.number(ranges[i], "max");
    pr.mean = rd.number(ranges[i], "mean");
    if (pr.name != m.spec.predictors[i] || !(pr.min <= pr.max)) {
      rd.fail("inconsistent model: range of '" + pr.name + "'");
    }
    m.ranges.push_back(pr);
  }
  m.max_leverage = rd.number(root, "max_leverage");
  if (!(m.max_leverage > 0)) rd.fail("inconsistent model: max_leverage must be positive");
  return m;
}

}  // namespace regress
