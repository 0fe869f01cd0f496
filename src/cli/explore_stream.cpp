// explore without holding the rows (explore_stream.hpp).

#include "explore_stream.hpp"

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "formula_explore.hpp"
#include "regress/error.hpp"
#include "regress/pictures/explore_picture.hpp"

namespace regress::cli {
namespace {

constexpr std::size_t no_cell = static_cast<std::size_t>(-1);

/// What one chunk of the pass keeps of its rows: each row's numeric
/// columns, response, fitted value and cell (a chunk is at most 256 KiB of
/// input, so this stays small).
class streamed_chunk final : public row_chunk {
 public:
  explicit streamed_chunk(const model& m) : m_(m) {
    for (std::size_t v = 0; v < m.terms->variables.size(); ++v) {
      if (m.terms->variables[v].type == variable_coding::kind::factor) factors_.push_back(v);
    }
    for (std::size_t c = 0; c < m.cells.size(); ++c) cells_[m.cells[c].levels] = c;
  }
  void add(const fitted_row& r) override {
    width_ = r.values->numbers.size();
    for (const auto& v : r.values->numbers) numbers_.push_back(double(v));
    y_.push_back(r.y);
    fitted_.push_back(fitted_value(m_.fit, r.kept));
    std::size_t cell = no_cell;
    if (!cells_.empty()) {
      key_.clear();
      for (std::size_t v : factors_) key_.push_back(factor_level(*m_.terms, v, *r.values));
      const auto found = cells_.find(key_);
      if (found != cells_.end()) cell = found->second;
    }
    cell_.push_back(cell);
  }
  const model& fitted() const noexcept { return m_; }
  /// Calls `each` with the rows in order.
  void replay(const std::function<void(const streamed_row&)>& each) const {
    for (std::size_t i = 0; i < y_.size(); ++i) {
      each(streamed_row{numbers_.data() + i * width_, y_[i], fitted_[i], cell_[i]});
    }
  }

 private:
  const model& m_;
  std::vector<std::size_t> factors_;
  std::map<std::vector<std::size_t>, std::size_t> cells_;
  std::vector<std::size_t> key_;
  std::size_t width_ = 0;  // numbers a row
  std::vector<double> numbers_, y_, fitted_;
  std::vector<std::size_t> cell_;
};

/// The picture's points of a -y/-x exploration: a pass over the rows of
/// the same data fitted as the formula `y ~ x1 + ...` (its rows are the
/// -y/-x fit's), each row offered to the sample, partial residuals from the
/// reference model with several predictors.
point_sample sample_points(const explore_options& o, const exploration& e, std::istream& in) {
  const model& reference = *e.models.front().fitted;
  point_sample points(e.nobs, e.training.min, e.training.max);
  points.partial = e.predictors.size() > 1;
  std::vector<std::size_t> columns;
  std::vector<double> row(e.predictors.size());
  row_pass pass = streamed_rows(
      [&](const model& m) {
        for (const auto& p : e.predictors) columns.push_back(numeric_column(m, p));
      },
      [&](const streamed_row& r) {
        const double x = r.numbers[columns[e.along]];
        if (!points.take(x)) return;
        if (points.partial) {
          for (std::size_t j = 0; j < row.size(); ++j) row[j] = r.numbers[columns[j]];
          points.keep(x, partial_residual(reference, e.line, row.data(), r.y));
        } else {
          points.keep(x, r.y);
        }
      });
  data_options d = o.data;
  d.degree = 1;
  std::ostringstream quiet;  // the fit's warnings were given already
  fit_formula_data(d, in, quiet, false, nullptr, &pass);
  return points;
}

}  // namespace

row_pass streamed_rows(std::function<void(const model&)> prepare,
                       std::function<void(const streamed_row&)> each) {
  row_pass pass;
  pass.start = [](const model& m) -> std::unique_ptr<row_chunk> {
    return std::make_unique<streamed_chunk>(m);
  };
  auto prepared = std::make_shared<bool>(false);
  pass.finish = [prepare = std::move(prepare), each = std::move(each), prepared](row_chunk& chunk,
                                                                                 std::size_t) {
    const auto& c = static_cast<const streamed_chunk&>(chunk);
    if (!*prepared) {
      prepare(c.fitted());
      *prepared = true;
    }
    c.replay(each);
  };
  return pass;
}

std::size_t numeric_column(const model& m, const std::string& name) {
  const auto& columns = m.terms->numeric_columns;
  const auto at = std::find(columns.begin(), columns.end(), name);
  if (at == columns.end()) throw usage_error("internal: column '" + name + "' was not read");
  return static_cast<std::size_t>(at - columns.begin());
}

bool can_stream_explore(const data_options& o) {
  if (o.file.empty() || o.file == "-") return false;
  std::error_code ec;
  return std::filesystem::is_regular_file(o.file, ec);
}

int run_streamed_explore(const explore_options& o, std::istream& in, std::ostream& out,
                         std::ostream& err, const terminal& term) {
  // One pass per degree (each fit's largest leverage exact), the warnings
  // about the data once.
  std::vector<model> fitted;
  std::ostringstream quiet;
  for (std::size_t i = 0; i < o.degrees.size(); ++i) {
    data_options d = o.data;
    d.degree = o.degrees[i];
    fitted.push_back(fit_data(d, in, i == 0 ? err : quiet, true).fitted);
  }
  model_spec spec = fitted.front().spec;
  spec.degree = 1;
  const explore_request request = make_request(o, spec, fitted.front().ranges);
  const exploration e = explore_fitted(spec, std::move(fitted), request);
  std::optional<point_sample> points;
  if (!o.svg.empty() || o.format == output_format::text) points = sample_points(o, e, in);
  show_exploration(
      o, e, [&] { return explore_picture(e, *points); }, out, term);
  return ok;
}

}  // namespace regress::cli
