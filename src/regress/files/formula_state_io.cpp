// The state file of a formula fit (version 2 of the state files): what
// formula_state holds, written with every double-double as [hi, lo] and read
// back against the plan its formula makes.

#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "regress/error.hpp"
#include "regress/files/formula_io.hpp"
#include "regress/files/state_file.hpp"
#include "regress/model/formula_stats.hpp"

namespace regress {
namespace {
using files::json;

const files::json_kind formula_state_kind{"regress-state", "state", formula_state_version,
                                          "give a state file saved by regress",
                                          "fit the shard again with this version"};

json maybe_number(double x) { return std::isfinite(x) ? json(x) : json(); }

json cell_json(const formula_cell& c) {
  json j;
  j["key"] = c.key;
  j["rows"] = c.rows;
  j["n"] = c.state.n();
  j["weighted"] = c.state.weighted();
  if (c.state.weighted()) {
    j["weight_rows"] = c.state.rows();
    j["log_weight_sum"] = c.state.log_weight_sum();
  }
  j["shift"] = c.state.shift();
  j["sums"] = files::dd_vector_json(c.state.sums());
  j["cross"] = files::dd_vector_json(c.state.cross());
  j["min"] = c.rows > 0 ? json(c.min) : json::array();
  j["max"] = c.rows > 0 ? json(c.max) : json::array();
  j["sum"] = files::dd_vector_json(c.sum);
  return j;
}

std::vector<std::string> names(const json& obj, const char* key, const files::json_reader& rd) {
  const json& v = rd.field(obj, key);
  std::vector<std::string> out;
  if (!v.is_array()) rd.fail(std::string("field '") + key + "' must be an array of strings");
  for (const auto& s : v) {
    if (!s.is_string()) rd.fail(std::string("field '") + key + "' must be an array of strings");
    out.push_back(s.get<std::string>());
  }
  return out;
}

formula_cell read_cell(const json& j, const formula_plan& plan, const files::json_reader& rd) {
  formula_cell c;
  const std::size_t k = plan.basis.size(), r = plan.ranges.size();
  c.key = names(j, "key", rd);
  if (c.key.size() != plan.key_index.size()) rd.fail("a cell's key does not fit the formula");
  c.rows = rd.count(j, "rows");
  const double n = rd.number(j, "n");
  if (n < 0) rd.fail("a cell's n is negative");
  std::vector<double> shift = rd.numbers(rd.field(j, "shift"), k + 1, "a cell's shift");
  std::vector<dd> sums = rd.pairs(j, "sums", k + 1);
  std::vector<dd> cross = rd.pairs(j, "cross", (k + 1) * (k + 2) / 2);
  for (std::size_t i = 0; i <= k; ++i) {
    if (cross[i * (i + 1) / 2 + i].hi < 0) rd.fail("a sum of squares in a cell is negative");
  }
  c.state =
      ols_state::from_parts(k, 1, true, n, std::move(shift), std::move(sums), std::move(cross));
  if (rd.boolean(j, "weighted")) {
    c.state.set_weights(rd.number(j, "weight_rows"), rd.number(j, "log_weight_sum"));
  }
  const std::size_t ranges = c.rows > 0 ? r : 0;
  c.min = rd.numbers(rd.field(j, "min"), ranges, "a cell's min");
  c.max = rd.numbers(rd.field(j, "max"), ranges, "a cell's max");
  if (c.rows == 0) {
    c.min.assign(r, HUGE_VAL);
    c.max.assign(r, -HUGE_VAL);
  }
  for (std::size_t i = 0; i < ranges; ++i) {
    if (!(c.min[i] <= c.max[i])) rd.fail("a cell's min lies above its max");
  }
  c.sum = rd.pairs(j, "sum", r);
  return c;
}
}  // namespace

void write_formula_state(std::ostream& out, const formula_state& s) {
  json j = files::versioned_object(formula_state_kind);
  j["formula"] = s.formula;
  j["weights"] = s.weights;
  j["level"] = s.level;
  j["header"] = s.header;
  j["columns"] = s.columns;
  j["text"] = s.text;
  j["centres"] = s.centres;
  j["records"] = s.records;
  j["dropped"] = s.dropped;
  j["weight_min"] = maybe_number(s.weight_min);
  j["weight_max"] = maybe_number(s.weight_max);
  j["shards"] = files::shards_json(s.shards);
  json powers = json::array();
  for (const auto& p : s.powers) powers.push_back(files::dd_vector_json(p.sums));
  j["powers"] = powers;
  json cells = json::array();
  for (const auto& c : s.cells) cells.push_back(cell_json(c));
  j["cells"] = cells;
  try {
    files::write_json(out, j);
  } catch (const json::exception&) {
    throw model_error(
        "a column name, level or the formula is not valid UTF-8 and cannot be saved in a "
        "state file (JSON holds UTF-8 only); convert the data to UTF-8");
  }
}

namespace files {
formula_state read_formula_state(const json& root, const std::string& source) {
  const json_reader rd(source, formula_state_kind.field_hint);
  formula_state s;
  s.formula = rd.string(root, "formula");
  s.weights = rd.string(root, "weights");
  s.level = rd.number(root, "level");
  if (!(s.level > 0 && s.level < 1)) rd.fail("field 'level' must lie between 0 and 1");
  s.header = names(root, "header", rd);
  s.columns = names(root, "columns", rd);
  const json& text = rd.field(root, "text");
  if (!text.is_array() || text.size() != s.columns.size()) {
    rd.fail("field 'text' must hold one boolean per column");
  }
  for (const auto& t : text) {
    if (!t.is_boolean()) rd.fail("field 'text' must hold one boolean per column");
    s.text.push_back(t.get<bool>());
  }
  const json& centres = rd.field(root, "centres");
  s.centres = rd.numbers(centres, centres.is_array() ? centres.size() : 0, "field 'centres'");
  s.records = rd.count(root, "records");
  s.dropped = rd.count(root, "dropped");
  if (s.dropped > s.records) rd.fail("inconsistent counts: more rows dropped than read");
  if (!rd.field(root, "weight_min").is_null()) s.weight_min = rd.number(root, "weight_min");
  if (!rd.field(root, "weight_max").is_null()) s.weight_max = rd.number(root, "weight_max");
  formula_plan plan;
  try {
    plan = plan_of(s);
  } catch (const regress::error& e) {
    rd.fail(std::string("the formula does not fit the saved columns: ") + e.what());
  }
  const json& powers = rd.field(root, "powers");
  if (!powers.is_array() || powers.size() != plan.atoms.size()) {
    rd.fail("field 'powers' must hold one array per atom of the formula");
  }
  const formula_stats fresh(plan);
  for (std::size_t a = 0; a < plan.atoms.size(); ++a) {
    power_sums p;
    const std::size_t size = fresh.powers().at(a).sums.size();
    const json holder{{"powers", powers[a]}};
    p.sums = rd.pairs(holder, "powers", size);
    s.powers.push_back(std::move(p));
  }
  const json& cells = rd.field(root, "cells");
  if (!cells.is_array()) rd.fail("field 'cells' must be an array");
  std::size_t rows = 0;
  for (const auto& c : cells) {
    s.cells.push_back(read_cell(c, plan, rd));
    rows += s.cells.back().rows;
  }
  if (rows != s.records - s.dropped) {
    rd.fail("inconsistent counts: the cells' rows must be records - dropped");
  }
  // Each cell's levels must name one combination, once (as merge files them).
  try {
    (void)formula_stats::restore(plan, s.records, s.dropped, s.weight_min, s.weight_max, s.cells,
                                 s.powers);
  } catch (const data_error& e) {
    rd.fail(std::string("field 'cells': ") + e.what());
  }
  return s;
}
}  // namespace files

}  // namespace regress
