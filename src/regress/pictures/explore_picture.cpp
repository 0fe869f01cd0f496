#include "regress/pictures/explore_picture.hpp"

#include <fmt/format.h>

#include <cstddef>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "regress/output/format.hpp"

namespace regress {

namespace {
/// The legend's name for the points when they are partial residuals.
constexpr const char* partial_label = "partial residuals";

/// " at wt = 2, supp = VC" for the held columns; empty when none.
std::string held_text(const exploration& e) {
  std::vector<std::string> held;
  for (const auto& h : e.held) held.push_back(h.text());
  return held.empty() ? "" : fmt::format(" at {}", fmt::join(held, ", "));
}

/// The training points of rows 0..n-1 for which `drawn` holds (thinned as
/// picture_points() describes): a first pass counts them and finds the
/// smallest and the largest x, a second offers them to a point_sample.
point_sample sample_points(std::size_t n, const std::function<bool(std::size_t)>& drawn,
                           const std::function<double(std::size_t)>& x_of,
                           const std::function<double(std::size_t)>& y_of) {
  std::size_t count = 0;
  double low = 0, high = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (!drawn(i)) continue;
    const double x = x_of(i);
    if (count == 0 || x < low) low = x;
    if (count == 0 || x > high) high = x;
    ++count;
  }
  point_sample points(count, low, high);
  for (std::size_t i = 0; i < n; ++i) {
    if (!drawn(i)) continue;
    const double x = x_of(i);
    if (points.take(x)) points.keep(x, y_of(i));
  }
  return points;
}

/// The sweeps, bands, ranges and level: all but the title and the points.
void add_sweeps(plot_data& picture, const exploration& e) {
  picture.x_label = e.along_name;
  picture.y_label = e.response;
  for (const auto& m : e.models) {
    plot_series s;
    s.name = m.name;
    for (const auto& r : m.rows) {
      s.x.push_back(r.x);
      s.fit.push_back(r.fit);
      s.conf_lwr.push_back(r.conf_lwr);
      s.conf_upr.push_back(r.conf_upr);
      s.pred_lwr.push_back(r.pred_lwr);
      s.pred_upr.push_back(r.pred_upr);
    }
    picture.series.push_back(std::move(s));
  }
  picture.train_min = e.training.min;
  picture.train_max = e.training.max;
  picture.level = e.level;
  if (e.hidden) picture.hidden.push_back(*e.hidden);
  if (e.trust && !e.trust->empty) picture.trust = std::make_pair(e.trust->lower, e.trust->upper);
}
}  // namespace

std::size_t picture_points() { return 4000; }

point_sample::point_sample(std::size_t count, double low, double high) : low_(low), high_(high) {
  const std::size_t most = picture_points();
  stride_ = count <= most ? 1 : (count + most - 3) / (most - 2);
}

bool point_sample::take(double x) {
  bool kept = seen_++ % stride_ == 0;
  if (!low_taken_ && x == low_) kept = low_taken_ = true;
  if (!high_taken_ && x == high_) kept = high_taken_ = true;
  return kept;
}

plot_data explore_picture(const exploration& e, const point_sample& points) {
  plot_data picture;
  // A method's intervals say so: "95% bootstrap intervals".
  const std::string kind = e.method && e.method->name == "bootstrap" ? " bootstrap" : "";
  if (e.method && e.method->name == "averaged") {
    picture.title = fmt::format("{}: {} models averaged by AICc{}: {}% intervals", e.response,
                                e.method->candidates.size(), held_text(e), percent_text(e.level));
  } else if (e.formula.empty()) {
    const std::string model =
        e.predictors.empty() ? e.along_name : fmt::format("{}", fmt::join(e.predictors, " + "));
    picture.title = fmt::format("{} ~ {}{}: {}%{} intervals", e.response, model, held_text(e),
                                percent_text(e.level), kind);
  } else {
    picture.title =
        fmt::format("{}{}: {}%{} intervals", e.formula, held_text(e), percent_text(e.level), kind);
  }
  picture.point_x = points.x();
  picture.point_y = points.y();
  if (points.partial) picture.points_label = partial_label;
  add_sweeps(picture, e);
  if (e.cell) {
    picture.train_min = e.cell->min;
    picture.train_max = e.cell->max;
  }
  return picture;
}

plot_data explore_picture(const exploration& e, const design& data) {
  const auto along = static_cast<Eigen::Index>(e.along);
  const bool partial = e.partial_residuals.size() == static_cast<std::size_t>(data.y.size());
  point_sample points = sample_points(
      static_cast<std::size_t>(data.y.size()), [](std::size_t) { return true; },
      [&](std::size_t i) { return data.x(static_cast<Eigen::Index>(i), along); },
      [&](std::size_t i) {
        return partial ? e.partial_residuals[i] : data.y(static_cast<Eigen::Index>(i));
      });
  points.partial = partial;
  return explore_picture(e, points);
}

plot_data explore_picture(const exploration& e, const formula_frame& data) {
  const std::size_t width = data.ranges.size();
  const bool by_cell = !e.cell_name.empty();
  const bool partial = e.partial_residuals.size() == data.rows();
  point_sample points = sample_points(
      data.rows(),
      [&](std::size_t i) { return !by_cell || (e.cell && data.row_cells.at(i) == e.cell->index); },
      [&](std::size_t i) { return data.range_values.at(i * width + e.along); },
      [&](std::size_t i) { return partial ? e.partial_residuals[i] : double(data.y[i]); });
  points.partial = partial;
  return explore_picture(e, points);
}

}  // namespace regress
