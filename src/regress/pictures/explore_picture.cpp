#include "regress/pictures/explore_picture.hpp"

#include <fmt/format.h>

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

plot_data explore_picture(const exploration& e, const design& data) {
  plot_data picture;
  const std::string model =
      e.predictors.empty() ? e.along_name : fmt::format("{}", fmt::join(e.predictors, " + "));
  picture.title = fmt::format("{} ~ {}{}: {}% intervals", e.response, model, held_text(e),
                              percent_text(e.level));
  const auto along = static_cast<Eigen::Index>(e.along);
  const bool partial = e.partial_residuals.size() == static_cast<std::size_t>(data.y.size());
  for (Eigen::Index i = 0; i < data.y.size(); ++i) {
    picture.point_x.push_back(data.x(i, along));
    picture.point_y.push_back(partial ? e.partial_residuals[static_cast<std::size_t>(i)]
                                      : data.y(i));
  }
  if (partial) picture.points_label = partial_label;
  add_sweeps(picture, e);
  return picture;
}

plot_data explore_picture(const exploration& e, const formula_frame& data) {
  plot_data picture;
  picture.title =
      fmt::format("{}{}: {}% intervals", e.formula, held_text(e), percent_text(e.level));
  const std::size_t width = data.ranges.size();
  const bool by_cell = !e.cell_name.empty();
  const bool partial = e.partial_residuals.size() == data.rows();
  for (std::size_t i = 0; i < data.rows(); ++i) {
    if (by_cell && (!e.cell || data.row_cells.at(i) != e.cell->index)) continue;
    picture.point_x.push_back(data.range_values.at(i * width + e.along));
    picture.point_y.push_back(partial ? e.partial_residuals[i] : double(data.y[i]));
  }
  if (partial) picture.points_label = partial_label;
  add_sweeps(picture, e);
  if (e.cell) {
    picture.train_min = e.cell->min;
    picture.train_max = e.cell->max;
  }
  return picture;
}

}  // namespace regress
