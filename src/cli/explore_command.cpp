#include <iostream>

#include "commands.hpp"
#include "explore_method.hpp"
#include "explore_resolve.hpp"
#include "explore_stream.hpp"
#include "file_checks.hpp"
#include "formula_explore.hpp"
#include "output_file.hpp"
#include "regress/analyses/explore.hpp"
#include "regress/output/sweep_table.hpp"
#include "regress/pictures/explore_picture.hpp"
#include "regress/pictures/plot.hpp"
#include "regress/pictures/svg.hpp"

namespace regress::cli {

void setup_explore(CLI::App& app, explore_flags& f) {
  add_data_options(app, f.data, true, false);
  app.add_option("more", f.more_formulas,
                 "More formulas: the candidate models of --method averaged");
  app.add_option("--degree", f.degrees,
                 "Polynomial degree, or several to compare side by side: 1,2,3 (with --method "
                 "averaged, the candidates' degrees)")
      ->default_val("1");
  add_method_option(app, f.method);
  f.boot_option = app.add_option("--boot", f.boot,
                                 "Replicates of --method bootstrap (residual bootstrap, Davison "
                                 "and Hinkley 1997); default 1999");
  f.seed_option = app.add_option("--seed", f.seed,
                                 "Seed of --method bootstrap: the same seed, the same output "
                                 "for any --threads; default 1")
                      ->check(seed_number());
  app.add_option("--along", f.along,
                 "Predictor to sweep (default: the first -x; with a formula, the only numeric "
                 "column it reads)");
  app.add_option("--hold", f.hold,
                 "Hold another predictor at a value while sweeping: COL=V (default: its mean); "
                 "a factor at a level: COL=LEVEL (default: its first level)");
  f.from_option =
      app.add_option("--from", f.from, "Start of the sweep (default: one training span below)");
  f.to_option = app.add_option("--to", f.to, "End of the sweep (default: one training span above)");
  app.add_option("--span", f.span, "Sweep this many training spans beyond each end")
      ->default_val(1.0);
  app.add_option("--steps", f.steps, "Number of points in the sweep")->default_val(201);
  app.add_option("--level", f.data.level, "Level of both intervals, in (0,1)")->default_val(0.95);
  f.max_widening_option =
      app.add_option("--max-widening", f.max_widening,
                     "Trust range: where the prediction interval is at most R times its narrowest");
  f.max_halfwidth_option =
      app.add_option("--max-halfwidth", f.max_halfwidth,
                     "Trust range: where the prediction interval's half-width is at most H");
  app.add_option("--format", f.format,
                 "text (a plot and a summary; the default on a terminal), csv (the default "
                 "otherwise), tsv, json, or ndjson (a row a line)");
  app.add_option("--threads", f.data.threads,
                 "Threads that parse the input and run the bootstrap's replicates (default: "
                 "one per core; the result and the picture are the same for any number)")
      ->check(CLI::Range(1u, 1024u));
  app.add_option("--max-line-bytes", f.data.max_line_bytes,
                 "The longest header or record, in bytes; a longer one is an error naming its "
                 "line (default: 64 MiB)")
      ->check(CLI::Range(std::size_t(64), std::size_t(1) << 40));
  app.add_flag("--plot", f.plot, "Draw the terminal plot even when stdout is not a terminal");
  app.add_option("--width", f.width, "Plot width in columns")->default_val(80);
  app.add_option("--height", f.height, "Plot height in rows")->default_val(24);
  app.add_flag("--ascii", f.ascii, "Plain ASCII plot instead of Unicode");
  app.add_option("--svg", f.svg,
                 "Also write the picture as a standalone SVG file (-: to standard output, in "
                 "place of the table)");
  app.footer(
      "Table columns: [degree,] the swept predictor, fit, se_fit, conf_lwr, conf_upr, pred_lwr,\n"
      "pred_upr, widening, distance, leverage, leverage_ratio, region [, in_trust].\n"
      "With --method averaged or bootstrap the sweep is one model, named after the method:\n"
      "fit and se_fit (averaged: the AICc-weighted mean and Buckland's unconditional\n"
      "standard error; bootstrap: the fit's own) and the four limits are the method's, as\n"
      "'regress predict --method' gives them at the same point; widening, distance,\n"
      "leverage, leverage_ratio and region stay the textbook geometry of the reference model\n"
      "(averaged: the candidate of largest weight). No trust range with a method.\n"
      "Examples:\n"
      "  regress explore data/cars.csv -y dist -x speed --plot\n"
      "  regress explore data/pressure.csv -y pressure -x temperature --degree 1,2,3 --svg p.svg\n"
      "  regress explore data/cars.csv 'dist ~ speed' 'dist ~ ns(speed, 3)' --method averaged\n");
}

int run_explore(const explore_flags& f, std::istream& in, std::ostream& out, std::ostream& err,
                const terminal& term) {
  const explore_options o = resolve_explore(f, term.stdout_is_tty);
  check_files({{"the input", o.data.file}}, {{"--svg", o.svg}}, &in == &std::cin);
  if (o.method == interval_method::averaged) return run_averaged_explore(o, in, out, err, term);
  if (o.method == interval_method::bootstrap) return run_bootstrap_explore(o, in, out, err, term);
  if (uses_formula(o.data)) return run_formula_explore(o, in, out, err, term);
  if (can_stream_explore(o.data)) return run_streamed_explore(o, in, out, err, term);
  // A stream is read once: into memory.
  const loaded_data data = load_data(o.data, in, err);
  const exploration e = explore(data.spec, data.rows, make_request(o, data.spec, data.rows.ranges));
  show_exploration(
      o, e, [&] { return explore_picture(e, data.rows); }, out, term);
  return ok;
}

void show_exploration(const explore_options& o, const exploration& e,
                      const std::function<plot_data()>& picture_of, std::ostream& out,
                      const terminal& term) {
  // The picture, shared by the terminal and the SVG; the SVG is written
  // first, so that a failure to write it leaves stdout empty.
  if (!o.svg.empty() || o.format == output_format::text) {
    const plot_data picture = picture_of();
    if (!o.svg.empty()) {
      write_output(o.svg, out, [&](std::ostream& file) { file << render_svg(picture); });
      // An SVG sent to standard output takes it alone.
      if (is_standard_output(o.svg)) return;
    }
    if (o.format == output_format::text) {
      terminal_options plot = o.plot;
      plot.color = term.stdout_is_tty && !term.no_color;
      out << render_terminal(picture, plot);
    }
  }
  write_sweep(out, e, o.format);
}

}  // namespace regress::cli
