// explore --method bootstrap: the model fitted and its replicates drawn as
// predict --method bootstrap draws them (bootstrap_fit.hpp), then the
// exploration of the model made the bootstrap's (explore_methods.hpp).

#include <memory>
#include <utility>
#include <vector>

#include "bootstrap_fit.hpp"
#include "explore_method.hpp"
#include "formula_explore.hpp"
#include "regress/analyses/explore_methods.hpp"
#include "regress/pictures/explore_picture.hpp"

namespace regress::cli {

int run_bootstrap_explore(const explore_options& o, std::istream& in, std::ostream& out,
                          std::ostream& err, const terminal& term) {
  bootstrap_data data;
  bootstrap_model b = fit_bootstrap(o.data, o.boot, o.seed, in, err, &data);
  const model& m = b.fitted;
  exploration e;
  if (data.frame) {
    e = explore_formula(m, make_formula_request(o, m, err), data.frame->frame);
    e.notes = spline_notes(*m.terms);
  } else {
    model_spec spec = data.rows->spec;
    spec.degree = 1;
    const explore_request request = make_request(o, spec, m.ranges);
    e = explore_fitted(spec, {m}, request);
    const design& rows = data.rows->rows;
    if (spec.predictors.size() > 1) {
      // The picture's points as explore() gives them: partial residuals.
      std::vector<double> row(static_cast<std::size_t>(rows.x.cols()));
      for (Eigen::Index i = 0; i < rows.y.size(); ++i) {
        for (std::size_t j = 0; j < row.size(); ++j) {
          row[j] = rows.x(i, static_cast<Eigen::Index>(j));
        }
        e.partial_residuals.push_back(partial_residual(m, e.line, row.data(), rows.y(i)));
      }
    }
  }
  use_bootstrap(e, std::make_shared<const bootstrap_replicates>(std::move(b.replicates)), o.seed);
  show_exploration(
      o, e,
      [&] {
        return data.frame ? explore_picture(e, data.frame->frame)
                          : explore_picture(e, data.rows->rows);
      },
      out, term);
  return ok;
}

}  // namespace regress::cli
