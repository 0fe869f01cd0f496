// fit_records (frame.hpp): a formula fitted to some records held in memory,
// through the streaming engine's one-pass statistics (formula_stats.hpp)
// rather than a design of rows x columns.

#include <string>
#include <string_view>
#include <vector>

#include "regress/error.hpp"
#include "regress/model/formula_stats.hpp"
#include "regress/model/frame.hpp"

namespace regress {

model fit_records(const formula_rows& data, const std::vector<std::size_t>& records, double level) {
  const auto from_frame = [&] { return fit_formula(bind_frame(data, records), level); };
  if (has_spline(data.formula)) return from_frame();
  std::vector<std::string> text;
  for (std::size_t c = 0; c < data.names.size(); ++c) {
    if (!data.numeric[c]) text.push_back(data.names[c]);
  }
  formula_plan plan = plan_formula(data.formula.text, data.header, data.weights, text);
  std::vector<std::size_t> column;  // per plan column: its column in `data`
  for (const auto& name : plan.columns) column.push_back(data.column(name));
  centre_polys(plan, records.size(), [&](std::size_t i, row_values& row) {
    bool known = true;
    for (std::size_t slot : plan.numeric_slot) {
      known = known && data.kind[column[slot]][records[i]] == cell_kind::number;
      row.numbers.push_back(data.value[column[slot]][records[i]]);
    }
    return known;
  });
  formula_stats stats(plan);
  const std::size_t k = column.size();
  std::vector<dd> values(k);
  std::vector<cell_kind> kinds(k);
  std::vector<std::string_view> texts(k);
  for (std::size_t r : records) {
    for (std::size_t i = 0; i < k; ++i) {
      values[i] = data.value[column[i]][r];
      kinds[i] = data.kind[column[i]][r];
      texts[i] = data.text[column[i]][r];
    }
    try {
      stats.add_record(values.data(), kinds.data(), texts.data());
    } catch (const data_error& e) {
      throw data_error(e.what(), data.source, data.lines[r]);
    }
  }
  if (stats.records == stats.dropped) {
    throw data_error("no complete rows: every row has a missing value in a column the formula uses",
                     data.source);
  }
  bool near_exact = false;
  model m = stats.finish(level, &near_exact);
  return near_exact ? from_frame() : m;
}

}  // namespace regress
