// predict --method averaged: the candidates fitted to the same rows, each
// point predicted by every candidate and the predictions combined
// (analyses/averaged.hpp). The CLI is glue: fitting, reading points, writing.

#include "averaged_predict.hpp"

#include <fmt/format.h>

#include <iterator>
#include <limits>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "data_input.hpp"
#include "file_checks.hpp"
#include "formula_candidates.hpp"
#include "formula_predict.hpp"
#include "messages.hpp"
#include "regress/analyses/averaged.hpp"
#include "regress/error.hpp"
#include "regress/model/frame.hpp"
#include "regress/output/format.hpp"
#include "regress/output/prediction_rows.hpp"
#include "regress/reading/csv.hpp"
#include "regress/reading/number.hpp"
#include "regress/reading/points.hpp"

namespace regress::cli {
namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

/// The one numeric column --at/--range set, checked the same in every candidate.
std::string at_column(const std::vector<model>& ms) {
  std::string name;
  for (const auto& m : ms) {
    const std::vector<std::string> names =
        m.terms ? predictor_columns(*m.terms) : m.spec.predictors;
    if (names.size() != 1 || (m.terms && !m.terms->factor_columns.empty()) ||
        (!name.empty() && names[0] != name)) {
      throw usage_error(
          "--at and --range need candidates that read the same one numeric column; use --new "
          "FILE");
    }
    name = names[0];
  }
  return name;
}

prediction predict_value(const model& m, const std::string& name, double v, interval_kind kind,
                         double level) {
  if (!m.terms) return predict_one(m, &v, kind, level);
  row_values row;
  for (const auto& c : m.terms->numeric_columns) row.numbers.emplace_back(c == name ? v : nan);
  return predict_row(m, row, kind, level);
}

void predict_values(const predict_options& o, averaged_sink& sink) {
  std::vector<double> values(o.at);
  for (std::size_t i = 0; i < o.range.count; ++i) values.push_back(o.range.at(i));
  if (values.empty()) return;
  const std::string name = at_column(sink.ms);
  for (double v : values) {
    for (std::size_t i = 0; i < sink.ms.size(); ++i) {
      sink.each[i] = predict_value(sink.ms[i], name, v, sink.kind, sink.level);
    }
    const prediction p = sink.combine(1);
    sink.tally.add(sink.ms[sink.w.best], &v, p);
    sink.writer->row(&v, &p);
  }
}

/// --new for -y/-x candidates: the predictors' columns.
void stream_points(const predict_options& o, std::istream& in, averaged_sink& sink) {
  const model& best = sink.ms[sink.w.best];
  data_input source = open_data(o.data, o.new_file, in, nullptr, true);
  csv_reader csv(source.stream(), csv_options{source.delimiter, source.name});
  point_reader points(csv, best.spec.predictors);
  std::vector<double> values(best.spec.predictors.size());
  bool missing = false;
  for (;;) {
    if (points.would_block()) sink.writer->flush();
    if (!points.next(values.data(), missing)) break;
    if (missing) {
      sink.writer->row(values.data(), nullptr);
      continue;
    }
    for (std::size_t i = 0; i < sink.ms.size(); ++i) {
      sink.each[i] = predict_one(sink.ms[i], values.data(), sink.kind, sink.level);
    }
    const prediction p = sink.combine(1);
    sink.tally.add(best, values.data(), p);
    sink.writer->row(values.data(), &p);
  }
}

std::string json_head(const predict_options& o, const std::vector<model>& ms,
                      const model_weights& w, double level) {
  std::string s = "{\"method\": \"averaged\", \"level\": " + json_number(level) +
                  ", \"interval\": \"" +
                  (o.kind == interval_kind::prediction ? "prediction" : "confidence") +
                  "\",\n \"candidates\": [";
  for (std::size_t i = 0; i < ms.size(); ++i) {
    s += (i > 0 ? ",\n  " : "\n  ") + std::string("{\"model\": ") +
         json_quote(candidate_label(ms[i])) + ", \"aicc\": " + json_number(w.aicc[i]) +
         ", \"weight\": " + json_number(w.weights[i]) + "}";
  }
  return s + "],\n \"predictions\": ";
}

}  // namespace

std::string weights_note(const std::vector<model>& ms, const model_weights& w) {
  std::string s = fmt::format("averaged over {} candidate models, AICc weights:", ms.size());
  for (std::size_t i = 0; i < ms.size(); ++i) {
    s += fmt::format("{} '{}' {:.4f}", i > 0 ? "," : "", candidate_label(ms[i]), w.weights[i]);
  }
  return s;
}

/// -y/-x candidates that differ only in --degree: one fit of the largest
/// degree, the others solved from its state (engine_options::also_degrees).
bool degrees_only(const std::vector<data_options>& candidates) {
  if (candidates.size() < 2 || uses_formula(candidates.front())) return false;
  for (std::size_t i = 1; i < candidates.size(); ++i) {
    const data_options& c = candidates[i];
    if (uses_formula(c) || c.response != candidates.front().response ||
        c.predictors != candidates.front().predictors ||
        !(candidates[i].degree > candidates[i - 1].degree)) {
      return false;
    }
  }
  return candidates.front().predictors.size() == 1;
}

std::vector<model> fit_candidates(const std::vector<data_options>& candidates, std::istream& in,
                                  std::ostream& err) {
  if (degrees_only(candidates)) {
    std::vector<int> lower;
    for (std::size_t i = 0; i + 1 < candidates.size(); ++i) lower.push_back(candidates[i].degree);
    engine_result r = fit_data(candidates.back(), in, err, true, false, lower);
    std::vector<model> ms = std::move(r.also);
    ms.push_back(std::move(r.fitted));
    return ms;
  }
  const std::string& file = candidates.front().file;
  const bool from_stdin = file.empty() || file == "-";
  check_files({{"the input", file}}, {}, &in == &std::cin);
  if (uses_formula(candidates.front())) {  // their passes shared
    std::vector<model> ms = fit_formula_candidates(candidates, in, err);
    check_same_rows(ms);
    return ms;
  }
  std::string held;
  if (from_stdin && candidates.size() > 1) {
    check_stdin(in);
    held.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  std::vector<model> ms;
  for (const auto& c : candidates) {
    std::istringstream copy(held);
    std::istream& source = from_stdin && candidates.size() > 1 ? copy : in;
    ms.push_back(fit_from_data(c, source, err));
  }
  check_same_rows(ms);
  return ms;
}

int run_averaged_predict(const predict_options& o, std::istream& in, std::ostream& out,
                         std::ostream& err) {
  const std::vector<model> ms = fit_candidates(o.candidates, in, err);
  const model_weights w = aicc_weights(ms);
  const model& best = ms[w.best];
  const double level = o.level.value_or(best.spec.level);
  if (!o.at.empty() || o.range.count > 0) at_column(ms);
  const bool formulas = best.terms.has_value();
  if (formulas) {  // every point in every candidate's domain before anything is written
    std::vector<double> values(o.at);
    for (std::size_t i = 0; i < o.range.count; ++i) values.push_back(o.range.at(i));
    for (const model& m : ms) check_defined(m, values);
  }
  std::vector<std::string> names = formulas ? std::vector<std::string>{} : best.spec.predictors;
  if (formulas && (!o.at.empty() || o.range.count > 0)) names = {at_column(ms)};
  if (o.format == output_format::json) out << json_head(o, ms, w, level);
  if (o.format != output_format::json) note(err, weights_note(ms, w));
  std::optional<prediction_writer> writer;
  if (!names.empty()) writer.emplace(out, o.format, names, false);
  averaged_sink sink{
      ms, w, o.kind, level, writer ? &*writer : nullptr, {}, 0, std::vector<prediction>(ms.size())};
  if (writer) {
    predict_values(o, sink);
    if (!o.new_file.empty()) stream_points(o, in, sink);
    writer->finish();
  } else {
    stream_formula_rows(o, in, out, sink, err);
  }
  if (o.format == output_format::json) out << "}\n";
  out.flush();
  if (sink.new_levels > 0) {
    warn(err, fmt::format("{} rows have a factor level some candidate never saw in training: "
                          "region new_level, no prediction",
                          sink.new_levels));
  }
  if (sink.tally.extrapolated > 0) warn(err, sink.tally.message());
  if (o.fail_on_extrapolation && (sink.tally.extrapolated > 0 || sink.new_levels > 0)) {
    report_error(err, extrapolation_failure(o));
    return extrapolated;
  }
  return 0;
}

}  // namespace regress::cli
