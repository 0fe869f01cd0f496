#include "explore_resolve.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "regress/error.hpp"
#include "regress/reading/number.hpp"
#include "regress/reading/table.hpp"

namespace regress::cli {
namespace {

/// Each candidate is a fit, a sweep and a line in the picture: a list longer
/// than the distinct degrees there are (1 to 20) only repeats them.
constexpr std::size_t max_degrees = 20;

std::vector<int> parse_degrees(const std::string& text) {
  std::vector<int> degrees;
  const auto items = split_list(text);
  if (items.size() > max_degrees) {
    throw usage_error("--degree takes at most " + std::to_string(max_degrees) +
                      " degrees to compare (got " + std::to_string(items.size()) +
                      "); give each degree once, e.g. 1,2,3");
  }
  for (const auto& item : items) {
    double v = 0;
    if (parse_cell(item, v) != cell_kind::number || v != std::floor(v) || v < 1 || v > 20) {
      throw usage_error("--degree takes whole numbers from 1 to 20, e.g. 1,2,3; got '" + item +
                        "'");
    }
    degrees.push_back(static_cast<int>(v));
  }
  return degrees;
}

bool given(const CLI::Option* option) { return option != nullptr && option->count() > 0; }

const char* const bounds_not_finite = "--from and --to must be finite numbers";
const char* const bounds_out_of_order = "--from must be less than --to";

/// The sweep's ends as given; checked here so that a bad one is refused
/// before the data is read (make_request checks the defaults).
void resolve_sweep(const explore_flags& f, explore_options& o) {
  if (!(f.span >= 0) || !std::isfinite(f.span)) {
    throw usage_error("--span must be a finite number, zero or more");
  }
  o.span = f.span;
  if (given(f.from_option)) o.from = f.from;
  if (given(f.to_option)) o.to = f.to;
  if ((o.from && !std::isfinite(*o.from)) || (o.to && !std::isfinite(*o.to))) {
    throw usage_error(bounds_not_finite);
  }
  if (o.from && o.to && !(*o.from < *o.to)) throw usage_error(bounds_out_of_order);
}

/// --method and what goes with it: as predict (predict_resolve.cpp), several
/// models only as the candidates of averaged, --boot and --seed only with
/// bootstrap, and no trust range with either (its bounds are the textbook
/// interval's).
void resolve_method(const explore_flags& f, explore_options& o) {
  o.method = parse_method(f.method);
  const bool bootstrap = o.method == interval_method::bootstrap;
  if (!bootstrap && (given(f.boot_option) || given(f.seed_option))) {
    throw usage_error("--boot and --seed go with --method bootstrap");
  }
  if (o.method != interval_method::textbook &&
      (given(f.max_widening_option) || given(f.max_halfwidth_option))) {
    throw usage_error(std::string("--max-widening and --max-halfwidth do not take --method ") +
                      to_string(o.method));
  }
  if (o.method == interval_method::averaged) {
    o.candidates = candidate_models(f.data, f.degrees, f.more_formulas, true);
    o.degrees.clear();
    for (const auto& c : o.candidates) o.degrees.push_back(c.degree);
    return;
  }
  if (!f.more_formulas.empty() || bootstrap) {
    // Refuses several formulas (or degrees, with bootstrap) in predict's words.
    candidate_models(f.data, bootstrap ? f.degrees : "1", f.more_formulas, false);
  }
  if (!f.more_formulas.empty()) {
    throw usage_error("explore takes one formula; several are the candidates of --method averaged");
  }
  if (!bootstrap) return;
  if (f.boot < 1 || f.boot > 10000000) {
    throw usage_error("--boot must be a whole number of replicates from 1 to 10000000 (default " +
                      std::string("1999); got ") + std::to_string(f.boot));
  }
  o.boot = static_cast<std::size_t>(f.boot);
  o.seed = f.seed;
}

std::size_t predictor_index(const std::vector<std::string>& predictors, const std::string& name) {
  return static_cast<std::size_t>(std::find(predictors.begin(), predictors.end(), name) -
                                  predictors.begin());
}

}  // namespace

explore_options resolve_explore(const explore_flags& f, bool stdout_is_tty) {
  explore_options o;
  o.degrees = parse_degrees(f.degrees);
  o.format =
      parse_format(f.format.empty() ? ((f.plot || stdout_is_tty) ? "text" : "csv") : f.format);
  if (f.plot && o.format != output_format::text) {
    throw usage_error("--plot draws the text format; drop --format or use --format text");
  }
  if (f.width < 20 || f.height < 8 || f.width > 1000 || f.height > 500) {
    throw usage_error("--width must be from 20 to 1000 and --height from 8 to 500");
  }
  if (f.steps < 2 || f.steps > 10000000) {
    throw usage_error("--steps must be a whole number from 2 to 10000000");
  }
  o.steps = static_cast<std::size_t>(f.steps);
  if (*std::max_element(o.degrees.begin(), o.degrees.end()) > 1 && f.data.predictors.size() > 1) {
    throw usage_error("--degree above 1 needs exactly one predictor");
  }
  resolve_sweep(f, o);
  if (given(f.max_widening_option) || given(f.max_halfwidth_option))
    o.trust = resolve_trust(f.max_widening, f.max_halfwidth);
  o.data = f.data;
  o.data.degree = o.degrees.front();
  o.plot.width = f.width;
  o.plot.height = f.height;
  o.plot.unicode = !f.ascii;
  o.svg = f.svg;
  o.along = f.along;
  o.hold = f.hold;
  resolve_method(f, o);
  if (!o.candidates.empty()) o.data = o.candidates.front();
  return o;
}

explore_request make_request(const explore_options& o, const model_spec& spec,
                             const std::vector<predictor_range>& ranges) {
  const auto& predictors = spec.predictors;
  explore_request r;
  r.degrees = o.degrees;
  r.steps = o.steps;
  r.level = o.data.level;
  r.trust = o.trust;
  if (!o.along.empty()) {
    r.along = predictor_index(predictors, o.along);
    if (r.along == predictors.size()) {
      throw usage_error("--along '" + o.along + "' is not one of the predictors (-x)");
    }
  }
  for (const auto& h : o.hold) {
    const auto eq = h.find('=');
    const std::string col = h.substr(0, eq);
    const std::size_t index = predictor_index(predictors, col);
    double v = 0;
    if (eq == std::string::npos || index == predictors.size() ||
        parse_cell(h.substr(eq + 1), v) != cell_kind::number) {
      throw usage_error("--hold takes COL=V with COL one of the predictors; got '" + h + "'");
    }
    if (index == r.along)
      throw usage_error("--hold '" + col + "' is the swept predictor (--along)");
    r.hold.emplace_back(index, v);
  }
  // The design's ranges are the fitted models' (fit_model keeps them).
  const predictor_range& range = ranges.at(r.along);
  const double span = range.max - range.min;
  r.from = o.from.value_or(range.min - o.span * span);
  r.to = o.to.value_or(range.max + o.span * span);
  if (!std::isfinite(r.from) || !std::isfinite(r.to)) throw usage_error(bounds_not_finite);
  if (!(r.from < r.to)) throw usage_error(bounds_out_of_order);
  return r;
}

}  // namespace regress::cli
