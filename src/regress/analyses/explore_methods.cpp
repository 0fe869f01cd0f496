// explore --method averaged|bootstrap: the method's rows on the reference
// model's line (explore_methods.hpp).

#include "regress/analyses/explore_methods.hpp"

#include <fmt/format.h>

#include <functional>
#include <utility>

#include "regress/error.hpp"
#include "regress/model/frame.hpp"

namespace regress {
namespace {

/// Candidate m's prediction at x on its line, as predict computes it at a
/// point: predict_one of the line's values, or predict_row of its row.
prediction predict_on(const model& m, const sweep_line& line, double x, interval_kind kind,
                      double level) {
  if (!m.terms) {
    std::vector<double> values = line.hold;
    values.at(line.along) = x;
    return predict_one(m, values.data(), kind, level);
  }
  if (!defined_at(m, line, x)) {
    throw data_error(fmt::format(
        "the candidate '{}' cannot be evaluated at {} = {} of the sweep (a function of it is "
        "not defined or infinite there); sweep a range that avoids it",
        candidate_label(m), m.ranges.at(line.along).name, x));
  }
  return predict_row(m, point_on(m, line, x), kind, level);
}

/// Makes e's one model the method's: its name, its kept rows recomputed,
/// and the row function that recomputes the rest.
void use_method(exploration& e, const char* name, std::function<sweep_row(double)> row) {
  if (e.models.size() != 1 || !e.models.front().fitted) {
    throw usage_error("an exploration by a method has one fitted reference model");
  }
  explored_model& m = e.models.front();
  m.name = name;
  for (auto& r : m.rows) r = row(r.x);
  m.method_row = std::move(row);
}

}  // namespace

sweep_row averaged_sweep_at(const averaged_sweep& a, double x, double level,
                            const sweep_row& reference) {
  const std::size_t n = a.candidates.size();
  std::vector<prediction> conf(n), pred(n);
  for (std::size_t i = 0; i < n; ++i) {
    conf[i] = predict_on(a.candidates[i], a.lines.at(i), x, interval_kind::confidence, level);
    pred[i] = predict_on(a.candidates[i], a.lines.at(i), x, interval_kind::prediction, level);
  }
  const prediction c =
      average_predictions(a.candidates, a.weights, conf, interval_kind::confidence, level);
  const prediction p =
      average_predictions(a.candidates, a.weights, pred, interval_kind::prediction, level);
  sweep_row row = reference;
  set_intervals(row, c, p);
  return row;
}

sweep_row bootstrap_sweep_at(const model& m, const bootstrap_replicates& b, const sweep_line& line,
                             double x, double level, const sweep_row& textbook) {
  sweep_row row = textbook;
  const auto limits = [&](interval_kind kind) {
    if (m.terms) return bootstrap_predict_row(m, b, point_on(m, line, x), kind, level);
    std::vector<double> values = line.hold;
    values.at(line.along) = x;
    return bootstrap_predict(m, b, values.data(), kind, level);
  };
  const prediction c = limits(interval_kind::confidence);
  const prediction p = limits(interval_kind::prediction);
  row.conf_lwr = c.lwr;
  row.conf_upr = c.upr;
  row.pred_lwr = p.lwr;
  row.pred_upr = p.upr;
  return row;
}

void use_averaged(exploration& e, std::shared_ptr<const averaged_sweep> a) {
  if (e.models.size() != 1 || !e.models.front().fitted) {
    throw usage_error("an exploration by a method has one fitted reference model");
  }
  sweep_method method;
  method.name = "averaged";
  for (const auto& m : a->candidates) method.candidates.push_back(candidate_label(m));
  method.aicc = a->weights.aicc;
  method.weights = a->weights.weights;
  method.reference = a->weights.best;
  e.method = std::move(method);
  const std::shared_ptr<const model> reference = e.models.front().fitted;
  const double narrowest = e.models.front().narrowest_leverage;
  use_method(e, "averaged",
             [a = std::move(a), reference, line = e.line, level = e.level, narrowest](double x) {
               return averaged_sweep_at(*a, x, level,
                                        sweep_at(*reference, line, x, level, narrowest));
             });
}

void use_bootstrap(exploration& e, std::shared_ptr<const bootstrap_replicates> b,
                   std::uint64_t seed) {
  if (e.models.size() != 1 || !e.models.front().fitted) {
    throw usage_error("an exploration by a method has one fitted reference model");
  }
  sweep_method method;
  method.name = "bootstrap";
  method.boot = b->error.size();
  method.seed = seed;
  e.method = std::move(method);
  const std::shared_ptr<const model> m = e.models.front().fitted;
  const double narrowest = e.models.front().narrowest_leverage;
  use_method(
      e, "bootstrap", [b = std::move(b), m, line = e.line, level = e.level, narrowest](double x) {
        return bootstrap_sweep_at(*m, *b, line, x, level, sweep_at(*m, line, x, level, narrowest));
      });
}

}  // namespace regress
