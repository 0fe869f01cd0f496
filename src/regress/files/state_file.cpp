#include "regress/files/state_file.hpp"

#include <cmath>
#include <nlohmann/json.hpp>
#include <utility>

#include "regress/error.hpp"

namespace regress {
namespace {
using json = nlohmann::json;

json pair_json(const dd& v) { return json::array({v.hi, v.lo}); }

std::string describe(const model_spec& s) {
  std::string rhs;
  for (const auto& p : s.predictors) rhs += (rhs.empty() ? "" : " + ") + p;
  std::string text = s.response + " ~ " + rhs;
  if (s.degree > 1) text += ", degree " + std::to_string(s.degree);
  text += s.intercept ? ", with intercept" : ", no intercept";
  return text;
}

/// Reading with a message naming the file for every defect.
struct reader {
  const std::string& source;

  [[noreturn]] void fail(const std::string& what) const {
    throw model_error(source + ": " + what + "; give a state file saved by regress");
  }
  const json& field(const json& obj, const char* key) const {
    if (!obj.is_object()) fail("expected an object holding '" + std::string(key) + "'");
    auto it = obj.find(key);
    if (it == obj.end()) fail(std::string("missing field '") + key + "'");
    return *it;
  }
  double finite(const json& v, const std::string& what) const {
    if (!v.is_number()) fail(what + " is not a number");
    const double d = v.get<double>();
    if (!std::isfinite(d)) fail(what + " is not finite");
    return d;
  }
  std::size_t count(const json& obj, const char* key) const {
    const json& v = field(obj, key);
    if (!v.is_number_unsigned() && !(v.is_number_integer() && v.get<long long>() >= 0)) {
      fail(std::string("field '") + key + "' is not a non-negative integer");
    }
    const auto n = v.get<unsigned long long>();
    if (n > (1ULL << 53)) fail(std::string("field '") + key + "' is too large");
    return static_cast<std::size_t>(n);
  }
  dd pair(const json& v, const char* key) const {
    if (!v.is_array() || v.size() != 2) {
      fail(std::string("field '") + key + "' must hold [high, low] number pairs");
    }
    const dd out(finite(v[0], std::string("a value in '") + key + "'"),
                 finite(v[1], std::string("a value in '") + key + "'"));
    if (std::abs(out.lo) > std::abs(out.hi) * 1.2e-16) {
      fail(std::string("field '") + key + "' holds a pair that is not a double-double");
    }
    return out;
  }
  std::vector<dd> pairs(const json& obj, const char* key, std::size_t size) const {
    const json& v = field(obj, key);
    if (!v.is_array() || v.size() != size) {
      fail(std::string("field '") + key + "' must hold " + std::to_string(size) + " pairs");
    }
    std::vector<dd> out;
    out.reserve(size);
    for (const auto& e : v) out.push_back(pair(e, key));
    return out;
  }
  std::vector<double> numbers(const json& v, std::size_t size, const std::string& what) const {
    if (!v.is_array() || v.size() != size) {
      fail(what + " must hold " + std::to_string(size) + " numbers");
    }
    std::vector<double> out;
    out.reserve(size);
    for (const auto& e : v) out.push_back(finite(e, "a value in " + what));
    return out;
  }
  std::string string(const json& obj, const char* key) const {
    const json& v = field(obj, key);
    if (!v.is_string()) fail(std::string("field '") + key + "' is not a string");
    return v.get<std::string>();
  }
};
}  // namespace

fit_state state_of(const engine_result& r) {
  fit_state s;
  s.spec = r.fitted.spec;
  s.state = r.state;
  s.ranges = r.fitted.ranges;
  s.extremes = r.extremes;
  s.rows_read = r.rows_read;
  s.rows_dropped = r.rows_dropped;
  return s;
}

void write_state(std::ostream& out, const fit_state& s) {
  json j;
  j["format"] = "regress-state";
  j["version"] = state_format_version;
  j["response"] = s.spec.response;
  j["predictors"] = s.spec.predictors;
  j["degree"] = s.spec.degree;
  j["intercept"] = s.spec.intercept;
  j["terms"] = slope_terms(s.spec);
  j["n"] = static_cast<unsigned long long>(s.state.n());
  j["rows_read"] = s.rows_read;
  j["rows_dropped"] = s.rows_dropped;
  j["shift"] = s.state.shift();
  json sums = json::array(), cross = json::array();
  for (const dd& v : s.state.sums()) sums.push_back(pair_json(v));
  for (const dd& v : s.state.cross()) cross.push_back(pair_json(v));
  j["sums"] = sums;
  j["cross"] = cross;
  json ranges = json::array();
  for (const auto& r : s.ranges)
    ranges.push_back({{"name", r.name}, {"min", r.min}, {"max", r.max}});
  j["ranges"] = ranges;
  j["extremes"] = s.extremes;
  out << j.dump(1) << '\n';
}

fit_state read_state(std::istream& in, const std::string& source) {
  const reader rd{source};
  json root;
  try {
    root = json::parse(in);
  } catch (const json::exception& e) {
    rd.fail("not a valid state file (" + std::string(e.what()) + ")");
  }
  if (!root.is_object() || root.value("format", json()) != json("regress-state")) {
    rd.fail("not a regress state file");
  }
  const json& version = rd.field(root, "version");
  if (!version.is_number_integer() || version.get<long long>() != state_format_version) {
    throw model_error(source + ": state file version " + version.dump() +
                      " is not supported (this regress reads version " +
                      std::to_string(state_format_version) +
                      "); fit the shard again with this version");
  }
  fit_state s;
  s.spec.response = rd.string(root, "response");
  const json& preds = rd.field(root, "predictors");
  if (!preds.is_array() || preds.empty()) rd.fail("field 'predictors' must be a non-empty array");
  for (const auto& p : preds) {
    if (!p.is_string()) rd.fail("field 'predictors' must hold strings");
    s.spec.predictors.push_back(p.get<std::string>());
  }
  const json& degree = rd.field(root, "degree");
  if (!degree.is_number_integer() || degree.get<long long>() < 1 || degree.get<long long>() > 100) {
    rd.fail("field 'degree' is not an integer from 1 to 100");
  }
  s.spec.degree = degree.get<int>();
  const json& intercept = rd.field(root, "intercept");
  if (!intercept.is_boolean()) rd.fail("field 'intercept' is not true or false");
  s.spec.intercept = intercept.get<bool>();
  try {
    validate(s.spec);
  } catch (const usage_error& e) {
    rd.fail(std::string("inconsistent model: ") + e.what());
  }
  if (rd.field(root, "terms") != json(slope_terms(s.spec))) {
    rd.fail("field 'terms' does not match the predictors and degree");
  }
  const std::size_t np = s.spec.predictors.size();
  const std::size_t k = np + static_cast<std::size_t>(s.spec.degree) - 1;
  const std::size_t n = rd.count(root, "n");
  s.rows_read = rd.count(root, "rows_read");
  s.rows_dropped = rd.count(root, "rows_dropped");
  if (n == 0 || s.rows_dropped > s.rows_read || n != s.rows_read - s.rows_dropped) {
    rd.fail("inconsistent counts: n must be rows_read - rows_dropped and at least 1");
  }
  const std::vector<double> shift = rd.numbers(rd.field(root, "shift"), k + 1, "field 'shift'");
  if (!s.spec.intercept) {
    for (double v : shift) {
      if (v != 0) rd.fail("inconsistent state: shifts must be 0 without an intercept");
    }
  }
  std::vector<dd> sums = rd.pairs(root, "sums", k + 1);
  std::vector<dd> cross = rd.pairs(root, "cross", (k + 1) * (k + 2) / 2);
  for (std::size_t i = 0; i <= k; ++i) {
    if (cross[i * (i + 1) / 2 + i].hi < 0) {
      rd.fail("inconsistent state: a sum of squares in 'cross' is negative");
    }
  }
  s.state = ols_state::from_parts(np, s.spec.degree, s.spec.intercept, static_cast<double>(n),
                                  shift, std::move(sums), std::move(cross));
  const json& ranges = rd.field(root, "ranges");
  if (!ranges.is_array() || ranges.size() != np) {
    rd.fail("field 'ranges' must have one entry per predictor");
  }
  for (std::size_t j = 0; j < np; ++j) {
    predictor_range r;
    r.name = rd.string(ranges[j], "name");
    r.min = rd.finite(rd.field(ranges[j], "min"), "a range's min");
    r.max = rd.finite(rd.field(ranges[j], "max"), "a range's max");
    if (r.name != s.spec.predictors[j] || !(r.min <= r.max)) {
      rd.fail("inconsistent state: range of '" + r.name + "'");
    }
    s.ranges.push_back(r);
  }
  const json& extremes = rd.field(root, "extremes");
  if (!extremes.is_array() || extremes.size() != 2 * np) {
    rd.fail("field 'extremes' must hold " + std::to_string(2 * np) + " rows");
  }
  for (std::size_t e = 0; e < 2 * np; ++e) {
    std::vector<double> row = rd.numbers(extremes[e], np, "a row of 'extremes'");
    const auto& r = s.ranges[e / 2];
    if (row[e / 2] != (e % 2 == 0 ? r.min : r.max)) {
      rd.fail("inconsistent state: 'extremes' do not attain the ranges");
    }
    for (std::size_t j = 0; j < np; ++j) {
      if (row[j] < s.ranges[j].min || row[j] > s.ranges[j].max) {
        rd.fail("inconsistent state: an 'extremes' row lies outside the ranges");
      }
    }
    s.extremes.push_back(std::move(row));
  }
  return s;
}

fit_state merge_states(const std::vector<fit_state>& states,
                       const std::vector<std::string>& sources) {
  fit_state out = states.at(0);
  for (std::size_t i = 1; i < states.size(); ++i) {
    const fit_state& s = states[i];
    if (s.spec.response != out.spec.response || s.spec.predictors != out.spec.predictors ||
        s.spec.degree != out.spec.degree || s.spec.intercept != out.spec.intercept) {
      throw model_error(sources.at(i) + " is a fit of " + describe(s.spec) + " but " +
                        sources.at(0) + " is a fit of " + describe(out.spec) +
                        "; merge only states of the same model (same response, predictors, degree "
                        "and intercept)");
    }
    out.state.merge(s.state);
    out.rows_read += s.rows_read;
    out.rows_dropped += s.rows_dropped;
    for (std::size_t j = 0; j < out.ranges.size(); ++j) {
      if (s.ranges[j].min < out.ranges[j].min) {
        out.ranges[j].min = s.ranges[j].min;
        out.extremes[2 * j] = s.extremes[2 * j];
      }
      if (s.ranges[j].max > out.ranges[j].max) {
        out.ranges[j].max = s.ranges[j].max;
        out.extremes[2 * j + 1] = s.extremes[2 * j + 1];
      }
    }
  }
  return out;
}

model model_of(const fit_state& s) {
  return model_from_state(s.spec, s.state, s.ranges, s.extremes, s.rows_dropped);
}

}  // namespace regress
