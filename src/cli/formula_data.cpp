// Fitting a model given as an R formula (or with weights): the data are read
// into memory and bound to the formula (regress/model/frame.hpp).

#include <exception>
#include <sstream>
#include <string>
#include <vector>

#include "common.hpp"
#include "data_input.hpp"
#include "file_checks.hpp"
#include "formula_candidates.hpp"
#include "messages.hpp"
#include "regress/analyses/averaged.hpp"
#include "regress/engine/engine.hpp"
#include "regress/engine/formula_fits.hpp"
#include "regress/error.hpp"
#include "regress/model/formula.hpp"
#include "regress/model/summary.hpp"
#include "robust_options.hpp"

namespace regress::cli {
namespace {
/// A column name as a formula reads it: backquoted unless syntactic.
std::string formula_name(const std::string& name) {
  bool plain = !name.empty() &&
               (std::isalpha(static_cast<unsigned char>(name[0])) != 0 ||
                (name[0] == '.' &&
                 (name.size() < 2 || std::isdigit(static_cast<unsigned char>(name[1])) == 0)));
  for (char c : name) {
    plain = plain && (std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '_');
  }
  return plain ? name : "`" + name + "`";
}
void warn_dropped(std::ostream& err, std::size_t dropped, std::size_t read) {
  if (dropped > 0) {
    warn(err, "dropped " + std::to_string(dropped) + " of " + std::to_string(read) +
                  " rows with a missing value in a column the model uses (as R's na.omit)");
  }
}
}  // namespace

bool uses_formula(const data_options& o) {
  // A robust covariance needs the formula engine's second pass.
  return o.formula_given || !o.formula.empty() || !o.weights.empty() ||
         resolve_vcov(o) != vcov_kind::constant;
}

std::string formula_text(const data_options& o, const std::vector<std::string>& header) {
  if (o.formula_given || !o.formula.empty()) {
    if (!o.response.empty() || !o.predictors.empty()) {
      throw usage_error("give the model either as a formula or with -y/-x, not both");
    }
    if (o.degree != 1) {
      throw usage_error("--degree works with -y/-x; in a formula write poly(x, " +
                        std::to_string(o.degree) + ", raw = TRUE) or I(x^2)");
    }
    if (o.no_intercept) {
      throw usage_error("--no-intercept works with -y/-x; in a formula write '- 1' or '+ 0'");
    }
    return o.formula;
  }
  // -y/-x with --weights: the same model, written as a formula.
  model_spec base;
  base.degree = o.degree;
  base.intercept = !o.no_intercept;
  const column_choice c = choose_columns(o, base, header);
  std::string text = formula_name(c.spec.response) + " ~ ";
  for (std::size_t i = 0; i < c.spec.predictors.size(); ++i) {
    if (i > 0) text += " + ";
    text += formula_name(c.spec.predictors[i]);
  }
  const std::string x = formula_name(c.spec.predictors.front());
  for (int d = 2; d <= o.degree; ++d) text += " + I(" + x + "^" + std::to_string(d) + ")";
  if (o.no_intercept) text += " - 1";
  return text;
}

namespace {
formula_request request_of(const data_options& o, const row_pass* rows) {
  formula_request req;
  req.weights = o.weights;
  req.level = o.level;
  req.rows = rows;
  req.vcov = resolve_vcov(o);
  req.cluster = o.cluster;
  req.formula_of = [&o](const std::vector<std::string>& header) { return formula_text(o, header); };
  return req;
}

void check_level(const data_options& o) {
  if (!(o.level > 0 && o.level < 1)) {
    throw usage_error("--level must be strictly between 0 and 1, for example 0.95");
  }
}

/// The candidate whose region the averaged rows take (averaged.hpp): the
/// only one whose largest leverage is used.
std::size_t best_candidate(const std::vector<model>& ms) { return aicc_weights(ms).best; }

/// What fit_formula_data says about a fit once it is made.
void report_fit(std::ostream& err, const engine_result& r) {
  for (const auto& w : r.warnings) warn(err, w);
  warn_dropped(err, r.rows_dropped, r.rows_read);
  warn_aliased(err, r.fitted);
}
}  // namespace

engine_result fit_formula_data(const data_options& o, std::istream& in, std::ostream& err,
                               bool need_max_leverage, std::optional<formula_state>* state,
                               const row_pass* rows) {
  check_level(o);
  engine_options eo = engine_options_for(o, err);
  eo.need_max_leverage = need_max_leverage;
  formula_request req = request_of(o, rows);
  if (state != nullptr) {
    req.keep_stats = [state, &o](const formula_plan& plan, const formula_stats& stats) {
      *state = state_of(plan, stats, o.level);
    };
  }
  engine_result r;
  const engine_input input = open_engine_input(o, in, err);
  eo.delimiter = input.delimiter;
  if (input.stream) {
    eo.source = input.stream->name;
    r = fit_formula_csv_stream(input.stream->stream(), req, eo);
  } else {
    r = fit_formula_csv_file(o.file, req, eo);
  }
  report_fit(err, r);
  return r;
}

std::vector<model> fit_formula_candidates(const std::vector<data_options>& candidates,
                                          std::istream& in, std::ostream& err) {
  const data_options& o = candidates.front();
  check_level(o);
  // Each fit_formula_data would say these before its fit: said before each.
  std::ostringstream opened, options;
  opened.copyfmt(err);  // quiet or not
  options.copyfmt(err);
  const engine_input input = open_engine_input(o, in, opened);
  engine_options eo = engine_options_for(o, options);
  eo.need_max_leverage = true;
  eo.delimiter = input.delimiter;
  std::vector<formula_request> requests;
  for (const auto& c : candidates) requests.push_back(request_of(c, nullptr));
  formula_fits fits;
  if (input.stream) {
    eo.source = input.stream->name;
    fits = fit_formulas_csv_stream(input.stream->stream(), requests, eo, best_candidate);
  } else {
    fits = fit_formulas_csv_file(o.file, requests, eo, best_candidate);
  }
  std::vector<model> ms;
  for (auto& r : fits.fits) {
    err << options.str() << opened.str();
    report_fit(err, r);
    ms.push_back(std::move(r.fitted));
  }
  if (fits.failure) {
    err << options.str() << opened.str();
    std::rethrow_exception(fits.failure);
  }
  return ms;
}

formula_data load_formula_data(const data_options& o, std::istream& in, std::ostream& err,
                               bool design) {
  if (!(o.level > 0 && o.level < 1)) {
    throw usage_error("--level must be strictly between 0 and 1, for example 0.95");
  }
  data_input source = open_data(o, o.file, in, &err, false);
  csv_reader reader(source.stream(), csv_options{source.delimiter, source.name, o.max_line_bytes});
  std::vector<std::string> header;
  if (!reader.next(header)) {
    throw data_error("the input is empty; it needs a header row and data rows", source.name);
  }
  formula_data d{read_formula_rows(reader, header, formula_text(o, header), o.weights), {}};
  std::vector<std::size_t> all(d.cells.records());
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
  d.frame = bind_frame(d.cells, all, design);
  warn_dropped(err, d.frame.rows_dropped, d.cells.records());
  return d;
}

void warn_perfect_fit(std::ostream& err, const model& m) {
  if (!essentially_perfect_fit(m)) return;
  warn(err,
       "essentially perfect fit: summary may be unreliable (as R warns: the residual variance "
       "is below 1e-30 of the fitted values' scale, so the standard errors, t values and "
       "p-values are rounding noise)");
}

void warn_aliased(std::ostream& err, const model& m) {
  std::string aliased;
  std::size_t count = 0;
  for (std::size_t j = 0; j < m.aliased.size(); ++j) {
    if (!m.aliased[j]) continue;
    aliased += (count++ > 0 ? ", " : "") + m.slope_terms[j];
  }
  if (count > 0) {
    warn(err, std::to_string(count) + " coefficient" + (count == 1 ? " is" : "s are") +
                  " not defined because of singularities (NA, as R): " + aliased +
                  (count == 1 ? " is a linear combination" : " are linear combinations") +
                  " of the terms before; the rest is fitted");
  }
}

std::size_t formula_along(const formula_frame& frame, const std::string& along) {
  return formula_along(frame.ranges, frame.terms, along);
}

std::size_t formula_along(const std::vector<predictor_range>& ranges, const model_terms& terms,
                          const std::string& along) {
  std::vector<std::string> names;
  std::vector<std::size_t> indices;
  for (std::size_t j = 0; j < ranges.size(); ++j) {
    bool by_factor = false;
    for (const auto& v : terms.variables) {
      by_factor = by_factor || (v.type == variable_coding::kind::factor && v.numeric_levels &&
                                v.column == ranges[j].name);
    }
    if (by_factor) continue;
    names.push_back(ranges[j].name);
    indices.push_back(j);
  }
  if (names.empty()) {
    throw usage_error("the formula '" + terms.formula +
                      "' reads no numeric column outside factor(), so there is nothing to sweep "
                      "or hold out along");
  }
  const std::string list = column_list(names);
  if (along.empty()) {
    if (names.size() == 1) return indices.front();
    throw usage_error("the formula reads several numeric columns; choose one with --along: " +
                      list);
  }
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == along) return indices[i];
  }
  throw usage_error("--along '" + along +
                    "' is not a numeric column the formula's right-hand side reads; choose one "
                    "of: " +
                    list);
}

}  // namespace regress::cli
