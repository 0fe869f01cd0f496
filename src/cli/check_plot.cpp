// regress check --plot and --svg: R's four diagnostic panels (plot.lm) from
// the rows of check's own pass over the fitted rows.

#include "check_plot.hpp"

#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "output_file.hpp"
#include "regress/analyses/diagnostics.hpp"
#include "regress/pictures/check_picture.hpp"
#include "regress/pictures/svg.hpp"

namespace regress::cli {
namespace {

/// One chunk's share of the tests and its rows' diagnostics (a chunk is at
/// most 256 KiB of input, so its rows are few), gathered on a worker thread.
class panel_chunk final : public row_chunk {
 public:
  panel_chunk(const model& m, bool panels) : m_(m), gathered_(m), panels_(panels) {}
  void add(const fitted_row& r) override {
    gathered_.add(r.record, r.kept, r.y, r.weight);
    if (!panels_ || !(r.weight > 0)) return;
    const row_diagnostics d = diagnose_row(m_, r.kept, r.y, r.weight);
    points_.push_back({r.record, d.fitted, d.resid, d.hat, d.std_resid, d.cooksd, r.weight});
  }
  const model& fitted() const noexcept { return m_; }
  const check_gatherer& gathered() const noexcept { return gathered_; }
  /// The rows, numbered within the chunk from 0.
  const std::vector<diagnostic_point>& points() const noexcept { return points_; }

 private:
  const model& m_;
  check_gatherer gathered_;
  bool panels_;
  std::vector<diagnostic_point> points_;
};

std::size_t rank_of(const model& m) { return m.fit.k() + (m.fit.intercept ? 1 : 0); }

}  // namespace

checked_fit check_with_panels(const data_options& o, std::istream& in, std::ostream& err,
                              bool panels) {
  std::optional<check_gatherer> total;
  std::optional<diagnostic_sample> sample;
  row_pass pass;
  pass.start = [panels](const model& m) -> std::unique_ptr<row_chunk> {
    return std::make_unique<panel_chunk>(m, panels);
  };
  pass.finish = [&](row_chunk& chunk, std::size_t records_before) {
    const auto& c = static_cast<const panel_chunk&>(chunk);
    if (!total) total.emplace(c.fitted());
    total->append(c.gathered(), records_before);
    if (!panels) return;
    if (!sample) sample.emplace(static_cast<std::size_t>(c.fitted().fit.nobs));
    for (diagnostic_point p : c.points()) {
      p.row += records_before + 1;  // the 1-based data row, as augment's
      sample->add(p);
    }
  };
  const engine_result r = fit_formula_data(o, in, err, false, nullptr, &pass);
  checked_fit c;
  if (!total) return c;
  c.report = check_model(*total, r.fitted);
  c.formula = formula_text(o, r.header);
  if (sample) c.panels = make_diagnostic_panels(sample->points(), rank_of(r.fitted));
  return c;
}

bool show_check_panels(const checked_fit& c, const check_plot_options& o, std::ostream& out) {
  if (o.svg.empty() && !o.plot) return true;
  if (!o.svg.empty()) {
    const std::vector<plot_data> svg_panels = check_pictures(c.panels, true);
    // Each panel 500 x 400 pixels, as the terminal's --width/--height are
    // each panel's.
    write_output(o.svg, out, [&](std::ostream& file) {
      file << render_svg_panels(svg_panels, "Diagnostics: " + c.formula, 1000, 830);
    });
    // An SVG sent to standard output takes it alone.
    if (is_standard_output(o.svg)) return false;
  }
  if (o.plot) {
    // One panel under another, each --width wide: side by side, four panels
    // would get half an 80-column terminal each, too narrow for their ticks
    // and labels; one under another they scroll as any long output does.
    for (const plot_data& d : check_pictures(c.panels, o.terminal.unicode)) {
      out << render_terminal(d, o.terminal);
    }
  }
  return true;
}

}  // namespace regress::cli
