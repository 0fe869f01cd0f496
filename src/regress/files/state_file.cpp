#include "regress/files/state_file.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>
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

std::string new_shard_id() {
  std::random_device rd;  // getrandom(2) on Linux: ids of shards saved at once still differ
  std::string id;
  for (int i = 0; i < 4; ++i) {
    char word[9];
    std::snprintf(word, sizeof word, "%08x", static_cast<unsigned>(rd()));
    id += word;
  }
  return id;
}

namespace files {
json shards_json(const std::vector<std::string>& shards) {
  return shards.empty() ? json::array({new_shard_id()}) : json(shards);
}

std::vector<std::string> read_shards(const json& root, const json_reader& rd) {
  std::vector<std::string> out;
  const auto it = root.find("shards");
  if (it == root.end()) return out;  // written before ids
  if (!it->is_array()) rd.fail("field 'shards' must hold shard ids");
  for (const auto& id : *it) {
    const bool hex =
        id.is_string() && id.get<std::string>().size() == 32 &&
        id.get<std::string>().find_first_not_of("0123456789abcdef") == std::string::npos;
    if (!hex) rd.fail("field 'shards' must hold ids of 32 hex digits");
    out.push_back(id.get<std::string>());
  }
  return out;
}
}  // namespace files

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
  j["shards"] = files::shards_json(s.shards);
  j["shift"] = s.state.shift();
  j["sums"] = files::dd_vector_json(s.state.sums());
  j["cross"] = files::dd_vector_json(s.state.cross());
  // A shard without complete rows has no ranges and no extreme rows.
  const bool empty = s.state.n() == 0;
  json ranges = json::array();
  if (!empty) {
    for (const auto& r : s.ranges)
      ranges.push_back({{"name", r.name}, {"min", r.min}, {"max", r.max}});
  }
  j["ranges"] = ranges;
  j["extremes"] = empty ? json::array() : json(s.extremes);
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
  const files::json_reader rd(source, state_kind.field_hint);
  if (root.at("version").get<long long>() == formula_state_version) {
    out.is_formula = true;
    out.formula_part = files::read_formula_state(root, source);
    out.formula_part.shards = files::read_shards(root, rd);
    return out;
  }
  out.columns = read_columns_state(root, source);
  out.columns.shards = files::read_shards(root, rd);
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
  if (s.rows_dropped > s.rows_read || n != s.rows_read - s.rows_dropped) {
    rd.fail("inconsistent counts: n must be rows_read - rows_dropped");
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
  if (n == 0) {
    const bool zero = std::all_of(shift.begin(), shift.end(), [](double v) { return v == 0; }) &&
                      std::all_of(sums.begin(), sums.end(), [](dd v) { return v.hi == 0; }) &&
                      std::all_of(cross.begin(), cross.end(), [](dd v) { return v.hi == 0; });
    if (!zero) rd.fail("inconsistent state: a shard without rows must have zero sums");
  }
  s.state = ols_state::from_parts(np, s.spec.degree, s.spec.intercept, static_cast<double>(n),
                                  shift, std::move(sums), std::move(cross));
  if (n == 0) {
    // An empty shard: no ranges, no extreme rows.
    if (!rd.field(root, "ranges").empty() || !rd.field(root, "extremes").empty()) {
      rd.fail("inconsistent state: a shard without rows has no 'ranges' or 'extremes'");
    }
    return s;
  }
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
  // An empty shard adds its counts and nothing else: the merge starts from
  // the first shard with rows.
  std::size_t first = 0;
  while (first + 1 < states.size() && states[first].state.n() == 0) ++first;
  fit_state out = states.at(first);
  out.rows_read = 0;
  out.rows_dropped = 0;
  out.shards.clear();
  for (std::size_t i = 0; i < states.size(); ++i) {
    const fit_state& s = states[i];
    if (s.spec.response != out.spec.response || s.spec.predictors != out.spec.predictors ||
        s.spec.degree != out.spec.degree || s.spec.intercept != out.spec.intercept) {
      throw model_error(sources.at(i) + " is a fit of " + describe(s.spec) + " but " +
                        sources.at(first) + " is a fit of " + describe(out.spec) +
                        "; merge only states of the same model (same response, predictors, degree "
                        "and intercept)");
    }
    out.rows_read += s.rows_read;
    out.rows_dropped += s.rows_dropped;
    out.shards.insert(out.shards.end(), s.shards.begin(), s.shards.end());
    if (i == first || s.state.n() == 0) continue;
    out.state.merge(s.state);
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
  if (s.state.n() == 0) {
    // model_error, as for too few rows: a state is a model's, not the data.
    throw model_error(s.rows_read == 0 ? "no data rows in any shard"
                                       : "no complete rows in any shard: every row has a missing "
                                         "value in a column the model uses");
  }
  return model_from_state(s.spec, s.state, s.ranges, s.extremes, s.rows_dropped);
}

}  // namespace regress
