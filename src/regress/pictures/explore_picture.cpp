#include "regress/pictures/explore_picture.hpp"

#include <fmt/format.h>

#include <utility>

namespace regress {

plot_data explore_picture(const exploration& e, const design& data) {
  plot_data picture;
  picture.title = fmt::format("{} ~ {}: {}% intervals", e.response, e.along_name,
                              fmt::format("{:g}", e.level * 100));
  picture.x_label = e.along_name;
  picture.y_label = e.response;
  const auto along = static_cast<Eigen::Index>(e.along);
  for (Eigen::Index i = 0; i < data.y.size(); ++i) {
    picture.point_x.push_back(data.x(i, along));
    picture.point_y.push_back(data.y(i));
  }
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
  return picture;
}

}  // namespace regress
