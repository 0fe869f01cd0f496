#include "regress/files/state_file.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

#include "regress/error.hpp"
#include "regress/files/formula_io.hpp"
#include "regress/files/json_file.hpp"

namespace regress {
namespace {
using files::json;

const files::json_kind state_kind{"regress-state", "state", state_format_version,
                                  "give a state file saved by regress",
                                  "fit the shard again with this version"};
/// Either kind of state file, for reading.
const files::json_kind any_state_kind{"regress-state",
                                      "state",
                                      formula_state_version,
                                      "give a state file saved by regress",
                                      "fit the shard again with this version",
                                      state_format_version};

fit_state read_columns_state(const json& root, const std::string& source);

std::string describe(const model_spec& s) {
  std::string rhs;
  for (const auto& p : s.predictors) rhs += (rhs.empty() ? "" : " + ") + p;
  std::string text = s.response + " ~ " + rhs;
  if (s.degree > 1) text += ", degree " + std::to_string(s.degree);
  text += s.intercept ? ", with intercept" : ", no intercept";
  return text;
}

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
  files::check_names(s.spec, state_kind);
  json j = files::versioned_object(state_kind);
  j["response"] = s.spec.response;
  j["predictors"] = s.spec.predictors;
  j["degree"] = s.spec.degree;
  j["intercept"] = s.spec.intercept;
  j["terms"] = slope_terms(s.spec);
  j["n"] = static_cast<unsigned long long>(s.state.n());
  j["rows_read"] = s.rows_read;
  j["rows_dropped"] = s.rows_dropped;
  j["shift"] = s.state.shift();
  j["sums"] = files::dd_vector_json(s.state.sums());
  j["cross"] = files::dd_vector_json(s.state.cross());
  json ranges = json::array();
  for (const auto& r : s.ranges)
    ranges.push_back({{"name", r.name}, {"min", r.min}, {"max", r.max}});
  j["ranges"] = ranges;
  j["extremes"] = s.extremes;
  files::write_json(out, j);
}

fit_state read_state(std::istream& in, const std::string& source) {
  saved_state s = read_any_state(in, source);
  if (s.is_formula) {
    throw model_error(source +
                      ": the state of a formula fit, where a -y/-x fit's was expected; merge it "
                      "with states of the same formula");
  }
  return std::move(s.columns);
}

saved_state read_any_state(std::istream& in, const std::string& source) {
  const json root = files::parse_versioned(in, source, any_state_kind);
  saved_state out;
  if (root.at("version").get<long long>() == formula_state_version) {
    out.is_formula = true;
    out.formula_part = files::read_formula_state(root, source);
    return out;
  }
  out.columns = read_columns_state(root, source);
  return out;
}

namespace {
fit_state read_columns_state(const json& root, const std::string& source) {
  const files::json_reader rd(source, state_kind.field_hint);
  fit_state s;
  s.spec = rd.spec(root);
  try {
    validate(s.spec);
  } catch (const usage_error& e) {
    rd.fail(std::string("inconsistent model: ") + e.what());
  }
  // Files written before the terms took R's names say "x^2": both are read.
  const json& terms = rd.field(root, "terms");
  if (!terms.is_array() ||
      !std::all_of(terms.begin(), terms.end(), [](const json& t) { return t.is_string(); }) ||
      !names_slope_terms(terms.get<std::vector<std::string>>(), s.spec)) {
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
}  // namespace

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
