#include "regress/pictures/explore_picture.hpp"

#include <fmt/format.h>

#include <string>
#include <utility>
#include <vector>

namespace regress {

namespace {
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
  if (e.trust && !e.trust->empty) picture.trust = std::make_pair(e.trust->lower, e.trust->upper);
}
}  // namespace

plot_data explore_picture(const exploration& e, const design& data) {
  plot_data picture;
  picture.title = fmt::format("{} ~ {}: {}% intervals", e.response, e.along_name,
                              fmt::format("{:g}", e.level * 100));
  const auto along = static_cast<Eigen::Index>(e.along);
  for (Eigen::Index i = 0; i < data.y.size(); ++i) {
    picture.point_x.push_back(data.x(i, along));
    picture.point_y.push_back(data.y(i));
  }
  add_sweeps(picture, e);
  return picture;
}

plot_data explore_picture(const exploration& e, const formula_frame& data) {
  plot_data picture;
  std::vector<std::string> held;
  for (const auto& h : e.held) held.push_back(h.text());
  picture.title =
      fmt::format("{}{}: {:g}% intervals", e.formula,
                  held.empty() ? "" : fmt::format(" at {}", fmt::join(held, ", ")), e.level * 100);
  const std::size_t width = data.ranges.size();
  const bool by_cell = !e.cell_name.empty();
  for (std::size_t i = 0; i < data.rows(); ++i) {
    if (by_cell && (!e.cell || data.row_cells.at(i) != e.cell->index)) continue;
    picture.point_x.push_back(data.range_values.at(i * width + e.along));
    picture.point_y.push_back(double(data.y[i]));
  }
  add_sweeps(picture, e);
  if (e.cell) {
    picture.train_min = e.cell->min;
    picture.train_max = e.cell->max;
  }
  return picture;
}

}  // namespace regress
