#include "regress/files/model_io.hpp"

#include <algorithm>
#include <cmath>

#include "regress/error.hpp"
#include "regress/files/formula_io.hpp"
#include "regress/files/json_file.hpp"

namespace regress {
namespace {
using files::json;

const files::json_kind model_kind{"regress-model",           "model",
                                  model_format_version,      "refit and save the model again",
                                  "refit with this version", 1};
}  // namespace

void write_model(std::ostream& out, const model& m) {
  files::check_names(m.spec, model_kind);
  json j = files::versioned_object(model_kind);
  if (!m.terms) j["version"] = 1;  // a -y/-x model: as every version read it
  j["response"] = m.spec.response;
  j["predictors"] = m.spec.predictors;
  j["degree"] = m.spec.degree;
  j["intercept"] = m.spec.intercept;
  j["level"] = m.spec.level;
  j["terms"] = m.slope_terms;
  j["nobs"] = m.fit.nobs;
  j["df_residual"] = m.fit.df_residual;
  j["mean"] = files::dd_vector_json(m.fit.mean);
  j["y_mean"] = files::dd_json(m.fit.y_mean);
  j["slopes"] = files::dd_vector_json(m.fit.slopes);
  j["chol"] = files::dd_vector_json(m.fit.chol);
  j["rss"] = files::dd_json(m.fit.rss);
  j["mss"] = files::dd_json(m.fit.mss);
  json ranges = json::array();
  for (const auto& pr : m.ranges) {
    ranges.push_back({{"name", pr.name}, {"min", pr.min}, {"max", pr.max}, {"mean", pr.mean}});
  }
  j["ranges"] = ranges;
  j["max_leverage"] = m.max_leverage;
  if (m.terms) j.update(files::formula_json(m));
  files::write_json(out, j);
}

model read_model(std::istream& in, const std::string& source) {
  const json root = files::parse_versioned(in, source, model_kind);
  const files::json_reader rd(source, model_kind.field_hint);
  model m;
  m.spec = rd.spec(root);
  m.spec.level = rd.number(root, "level");
  const bool formula = root.at("version") == json(2);
  const json& terms = rd.field(root, "terms");
  if (formula) {
    if (!terms.is_array()) rd.fail("field 'terms' must be an array of names");
    for (const auto& t : terms) {
      if (!t.is_string()) rd.fail("field 'terms' must be an array of names");
      m.slope_terms.push_back(t.get<std::string>());
    }
  } else {
    try {
      validate(m.spec);
    } catch (const usage_error& e) {
      rd.fail(std::string("inconsistent model: ") + e.what());
    }
    m.slope_terms = slope_terms(m.spec);
    if (!terms.is_array() ||
        !std::all_of(terms.begin(), terms.end(), [](const json& t) { return t.is_string(); }) ||
        !names_slope_terms(terms.get<std::vector<std::string>>(), m.spec)) {
      rd.fail("field 'terms' does not match the predictors");
    }
  }

  ols_fit& f = m.fit;
  f.predictor_count = m.spec.predictors.size();
  f.degree = m.spec.degree;
  f.intercept = m.spec.intercept;
  f.nobs = rd.number(root, "nobs");
  f.df_residual = rd.number(root, "df_residual");
  std::size_t k = m.slope_terms.size();
  if (formula) {
    const json& aliased = rd.field(root, "aliased");
    if (!aliased.is_array()) rd.fail("field 'aliased' must be an array");
    for (const auto& a : aliased) k -= a == json(true) ? 1U : 0U;
    f.predictor_count = k;
  }
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
  if (formula) files::read_formula(root, rd, m);
  return m;
}

}  // namespace regress
