#include "predict_resolve.hpp"

#include <fmt/format.h>

#include <cmath>
#include <string_view>
#include <utility>

#include "regress/error.hpp"
#include "regress/reading/number.hpp"
#include "regress/reading/table.hpp"

namespace regress::cli {
namespace {

double parse_value(const std::string& text, const char* flag) {
  double v = 0;
  if (parse_cell(text, v) != cell_kind::number) {
    throw usage_error(std::string(flag) + " expects numbers; cannot read '" + text + "'");
  }
  return v;
}

std::vector<double> parse_values(const std::string& list, const char* flag) {
  std::vector<double> values;
  for (const auto& item : split_list(list)) values.push_back(parse_value(item, flag));
  return values;
}

even_range parse_range(const std::string& range) {
  std::vector<std::string> pieces;
  std::size_t start = 0;
  for (;;) {
    const std::size_t colon = range.find(':', start);
    pieces.push_back(range.substr(start, colon == std::string::npos ? colon : colon - start));
    if (colon == std::string::npos) break;
    start = colon + 1;
  }
  if (pieces.size() != 3) throw usage_error("--range must be FROM:TO:COUNT, e.g. 0:100:11");
  const double from = parse_value(pieces[0], "--range");
  const double to = parse_value(pieces[1], "--range");
  const double count = parse_value(pieces[2], "--range");
  if (count < 1 || count != std::floor(count) || count > 1e8) {
    throw usage_error("--range COUNT must be a whole number from 1 to 100000000");
  }
  const auto n = static_cast<std::size_t>(count);
  return even_range{from, to, n, decimal_scale(from, to, n - 1)};
}

bool given(const CLI::Option* option) { return option != nullptr && option->count() > 0; }

/// The where-from checks: one source of points (or --inverse with --y), one
/// source of the model.
void check_sources(const predict_flags& f, bool trust_given) {
  const int sources = !f.at.empty() + !f.range.empty() + !f.new_file.empty();
  if (f.inverse) {
    if (trust_given) {
      throw usage_error("--max-widening and --max-halfwidth do not apply to --inverse");
    }
    if (sources != 0 || f.inverse_y.empty()) {
      throw usage_error(
          "--inverse takes the response values with --y V,V,... (not --at, "
          "--range or --new)");
    }
  } else if (!f.inverse_y.empty()) {
    throw usage_error("--y gives response values for --inverse; add --inverse");
  } else if (sources != 1) {
    throw usage_error(
        "give the new points with exactly one of --at V,..., --range FROM:TO:COUNT "
        "or --new FILE");
  }
  const bool data_given =
      !f.data.response.empty() || !f.data.predictors.empty() || f.data.file != "-";
  if (!f.model_file.empty() && data_given) {
    throw usage_error("give either -m MODEL.json or data with -y/-x, not both");
  }
  if (!f.model_file.empty() && (!f.data.vcov.empty() || !f.data.cluster.empty())) {
    throw usage_error(
        "--vcov and --cluster go with data to fit; a model saved by 'regress fit "
        "--vcov TYPE --save' carries its covariance to -m");
  }
  if (f.new_file == "-" && f.model_file.empty() && f.data.file == "-") {
    throw usage_error(
        "the training data and --new cannot both be standard input; save the "
        "model with 'regress fit --save' and use -m");
  }
}

/// --degree and the formulas: one model for textbook, the candidates for
/// averaged.
void resolve_models(const predict_flags& f, predict_options& o) {
  const bool averaged = o.method == interval_method::averaged;
  if (averaged && !f.model_file.empty()) {
    throw usage_error(
        "--method averaged fits its candidate models to the data; it does not take -m "
        "(a saved model is one model)");
  }
  if (averaged && f.inverse) throw usage_error("--inverse does not take --method averaged");
  std::vector<data_options> models = candidate_models(o.data, f.degrees, f.more_formulas, averaged);
  if (averaged) {
    o.candidates = std::move(models);
  } else {
    o.data = models.front();
  }
}

/// --boot and --seed: only with --method bootstrap, which needs the rows
/// (no -m), gives no --inverse or trust range and takes no robust --vcov.
void resolve_bootstrap(const predict_flags& f, predict_options& o, bool trust_given) {
  if (o.method != interval_method::bootstrap) {
    if (given(f.boot_option) || given(f.seed_option)) {
      throw usage_error("--boot and --seed go with --method bootstrap");
    }
    return;
  }
  if (f.boot < 1 || f.boot > 10000000) {
    throw usage_error("--boot must be a whole number of replicates from 1 to 10000000 (default " +
                      std::string("1999); got ") + std::to_string(f.boot));
  }
  if (!f.model_file.empty()) {
    throw usage_error(
        "--method bootstrap resamples the training rows; it does not take -m (give the data)");
  }
  if (f.inverse) throw usage_error("--inverse does not take --method bootstrap");
  if (trust_given) {
    throw usage_error("--max-widening and --max-halfwidth do not take --method bootstrap");
  }
  if (!f.data.vcov.empty() || !f.data.cluster.empty()) {
    throw usage_error(
        "--vcov and --cluster do not take --method bootstrap (its intervals come from the "
        "resampled residuals)");
  }
  o.boot = static_cast<std::size_t>(f.boot);
  o.seed = f.seed;
}

}  // namespace

predict_options resolve_predict(const predict_flags& f) {
  predict_options o;
  o.format = parse_format(f.format);
  if (o.format == output_format::text) {
    throw usage_error("predict --format must be csv, tsv, json or ndjson");
  }
  // Any start of a word, as R's match.arg takes interval = "conf".
  const auto starts = [&f](const char* word) {
    return !f.interval.empty() && std::string_view(word).substr(0, f.interval.size()) == f.interval;
  };
  if (starts("prediction")) {
    o.kind = interval_kind::prediction;
  } else if (starts("confidence")) {
    o.kind = interval_kind::confidence;
  } else {
    throw usage_error(
        "--interval must be prediction or confidence (or a start of one: pred, "
        "conf); got '" +
        f.interval + "'");
  }
  const bool trust_given = given(f.max_widening_option) || given(f.max_halfwidth_option);
  check_sources(f, trust_given);
  if (!(f.data.level > 0 && f.data.level < 1)) {
    throw usage_error("--level must be strictly between 0 and 1, for example 0.95");
  }
  o.data = f.data;
  o.model_file = f.model_file;
  if (given(f.level_option)) o.level = f.data.level;
  o.inverse = f.inverse;
  if (o.inverse) o.inverse_y = parse_values(f.inverse_y, "--y");
  if (!f.at.empty()) o.at = parse_values(f.at, "--at");
  if (!f.range.empty()) o.range = parse_range(f.range);
  o.new_file = f.new_file;
  if (trust_given) o.trust = resolve_trust(f.max_widening, f.max_halfwidth);
  o.fail_on_extrapolation = f.fail_on_extrapolation;
  o.method = parse_method(f.method);
  if (o.method == interval_method::averaged && trust_given) {
    throw usage_error("--max-widening and --max-halfwidth do not take --method averaged");
  }
  resolve_bootstrap(f, o, trust_given);
  resolve_models(f, o);
  return o;
}

void check_against_model(const predict_options& o, const model& m) {
  const model_spec& spec = m.spec;
  if (o.inverse && (spec.predictors.size() != 1 || spec.degree != 1 || !spec.intercept)) {
    throw usage_error("--inverse needs a straight line in one predictor with an intercept");
  }
  if ((!o.at.empty() || o.range.count > 0) && spec.predictors.size() != 1) {
    throw usage_error(
        "--at and --range need a model with one predictor; use --new FILE with "
        "columns " +
        fmt::format("{}", fmt::join(spec.predictors, ", ")));
  }
}

std::string extrapolation_failure(const predict_options& o) {
  if (o.inverse) {
    return "inverse predictions extrapolate (--fail-on-extrapolation); every row was written";
  }
  return std::string(
             "predictions extrapolate (--fail-on-extrapolation); every row was "
             "written, see the region") +
         (o.trust ? " and in_trust columns" : " column");
}

}  // namespace regress::cli
