#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <optional>

#include "commands.hpp"
#include "regress/analyses/explore.hpp"
#include "regress/error.hpp"
#include "regress/pictures/plot.hpp"
#include "regress/pictures/svg.hpp"
#include "regress/reading/number.hpp"

namespace regress::cli {
namespace {

std::vector<int> parse_degrees(const std::string& text) {
  std::vector<int> degrees;
  for (const auto& item : split_list(text)) {
    double v = 0;
    if (parse_cell(item, v) != cell_kind::number || v != std::floor(v) || v < 1 || v > 20) {
      throw usage_error("--degree takes whole numbers from 1 to 20, e.g. 1,2,3; got '" + item +
                        "'");
    }
    degrees.push_back(static_cast<int>(v));
  }
  return degrees;
}

std::string json_value(double v) { return std::isfinite(v) ? fmt::format("{}", v) : "null"; }

struct fitted {
  std::string name;  ///< "degree 2"
  int degree;
  model m;
  std::vector<sweep_row> rows;
};

std::string where_text(const std::string& x, const std::vector<std::pair<double, double>>& runs) {
  std::vector<std::string> parts;
  for (const auto& [a, b] : runs) {
    parts.push_back(a == b ? fmt::format("{} = {:.4g}", x, a)
                           : fmt::format("{:.4g} <= {} <= {:.4g}", a, x, b));
  }
  return fmt::format("{}", fmt::join(parts, ", "));
}

}  // namespace

void setup_explore(CLI::App& app, explore_options& o) {
  add_data_options(app, o.data, true, false);
  app.add_option("--degree", o.degrees,
                 "Polynomial degree, or several to compare side by side: 1,2,3")
      ->default_val("1");
  app.add_option("--along", o.along, "Predictor to sweep (default: the first -x)");
  app.add_option("--hold", o.hold,
                 "Hold another predictor at a value while sweeping: COL=V (default: its mean)");
  app.add_option("--from", o.from, "Start of the sweep (default: one training span below)");
  app.add_option("--to", o.to, "End of the sweep (default: one training span above)");
  app.add_option("--span", o.span, "Sweep this many training spans beyond each end")
      ->default_val(1.0);
  app.add_option("--steps", o.steps, "Number of points in the sweep")->default_val(201);
  app.add_option("--level", o.data.level, "Level of both intervals, in (0,1)")->default_val(0.95);
  app.add_option("--max-widening", o.max_widening,
                 "Trust range: where the prediction interval is at most R times its narrowest");
  app.add_option("--max-halfwidth", o.max_halfwidth,
                 "Trust range: where the prediction interval's half-width is at most H");
  app.add_option("--format", o.format,
                 "text (a plot and a summary; the default on a terminal), csv (the default "
                 "otherwise), tsv or json");
  app.add_flag("--plot", o.plot, "Draw the terminal plot even when stdout is not a terminal");
  app.add_option("--width", o.width, "Plot width in columns")->default_val(80);
  app.add_option("--height", o.height, "Plot height in rows")->default_val(24);
  app.add_flag("--ascii", o.ascii, "Plain ASCII plot instead of Unicode");
  app.add_option("--svg", o.svg, "Also write the picture as a standalone SVG file");
  app.footer(
      "Table columns: [degree,] the swept predictor, fit, se_fit, conf_lwr, conf_upr, pred_lwr,\n"
      "pred_upr, widening, distance, leverage, leverage_ratio, region [, in_trust].\n"
      "Examples:\n"
      "  regress explore data/cars.csv -y dist -x speed --plot\n"
      "  regress explore data/pressure.csv -y pressure -x temperature --degree 1,2,3 --svg p.svg\n"
      "  regress explore data/cars.csv -y dist -x speed --max-widening 1.5 --format json\n");
}

int run_explore(const explore_options& o, std::istream& in, std::ostream& out, std::ostream& err,
                const terminal& term) {
  const std::vector<int> degrees = parse_degrees(o.degrees);
  std::string format = o.format;
  if (format.empty()) format = (o.plot || term.stdout_is_tty) ? "text" : "csv";
  const output_format fmt_kind = parse_format(format);
  if (o.plot && fmt_kind != output_format::text) {
    throw usage_error("--plot draws the text format; drop --format or use --format text");
  }
  if (o.width < 20 || o.height < 8 || o.width > 1000 || o.height > 500) {
    throw usage_error("--width must be from 20 to 1000 and --height from 8 to 500");
  }
  if (o.steps < 2 || o.steps > 10000000) {
    throw usage_error("--steps must be a whole number from 2 to 10000000");
  }
  const bool trust_asked = o.trust_given;
  trust_bounds bounds;
  if (o.max_widening != 0) bounds.max_widening = o.max_widening;
  if (o.max_halfwidth != 0) bounds.max_halfwidth = o.max_halfwidth;

  data_options data = o.data;
  data.degree = degrees.front();
  if (*std::max_element(degrees.begin(), degrees.end()) > 1 && data.predictors.size() > 1) {
    throw usage_error("--degree above 1 needs exactly one predictor");
  }
  const loaded_data loaded = load_data(data, in, err);
  const auto& predictors = loaded.spec.predictors;

  std::size_t along = 0;
  if (!o.along.empty()) {
    const auto it = std::find(predictors.begin(), predictors.end(), o.along);
    if (it == predictors.end()) {
      throw usage_error("--along '" + o.along + "' is not one of the predictors (-x)");
    }
    along = static_cast<std::size_t>(it - predictors.begin());
  }

  std::vector<fitted> models;
  for (int degree : degrees) {
    model_spec spec = loaded.spec;
    spec.degree = degree;
    validate(spec);
    design d = loaded.rows;
    d.terms = slope_terms(spec);
    models.push_back({"degree " + std::to_string(degree), degree, fit_model(spec, d), {}});
  }
  const model& first = models.front().m;
  sweep_line line = line_at_means(first, along);
  for (const auto& h : o.hold) {
    const auto eq = h.find('=');
    const std::string col = h.substr(0, eq);
    const auto it = std::find(predictors.begin(), predictors.end(), col);
    double v = 0;
    if (eq == std::string::npos || it == predictors.end() ||
        parse_cell(h.substr(eq + 1), v) != cell_kind::number) {
      throw usage_error("--hold takes COL=V with COL one of the predictors; got '" + h + "'");
    }
    if (static_cast<std::size_t>(it - predictors.begin()) == along) {
      throw usage_error("--hold '" + col + "' is the swept predictor (--along)");
    }
    line.hold[static_cast<std::size_t>(it - predictors.begin())] = v;
  }

  const auto& range = first.ranges[along];
  const double span = range.max - range.min;
  if (!(o.span >= 0) || !std::isfinite(o.span)) {
    throw usage_error("--span must be a finite number, zero or more");
  }
  const double from = o.from_given ? o.from : range.min - o.span * span;
  const double to = o.to_given ? o.to : range.max + o.span * span;
  if (!std::isfinite(from) || !std::isfinite(to)) {
    throw usage_error("--from and --to must be finite numbers");
  }
  const double level = o.data.level;
  for (auto& f : models)
    f.rows = sweep(f.m, line, from, to, static_cast<std::size_t>(o.steps), level);

  std::optional<trust_range> trust;
  if (trust_asked) trust = solve_trust(first, line, bounds, level);
  std::vector<disagreement> disagreements;
  for (std::size_t i = 0; i < models.size(); ++i) {
    for (std::size_t j = i + 1; j < models.size(); ++j) {
      disagreements.push_back(
          compare_models(models[i].name, models[i].rows, models[j].name, models[j].rows));
    }
  }

  // The picture, shared by the terminal and the SVG.
  const std::string& xname = predictors[along];
  plot_data picture;
  picture.title = fmt::format("{} ~ {}: {}% intervals", loaded.spec.response, xname,
                              fmt::format("{:g}", level * 100));
  picture.x_label = xname;
  picture.y_label = loaded.spec.response;
  for (Eigen::Index i = 0; i < loaded.rows.y.size(); ++i) {
    picture.point_x.push_back(loaded.rows.x(i, static_cast<Eigen::Index>(along)));
    picture.point_y.push_back(loaded.rows.y(i));
  }
  for (const auto& f : models) {
    plot_series s;
    s.name = f.name;
    for (const auto& r : f.rows) {
      s.x.push_back(r.x);
      s.fit.push_back(r.fit);
      s.conf_lwr.push_back(r.conf_lwr);
      s.conf_upr.push_back(r.conf_upr);
      s.pred_lwr.push_back(r.pred_lwr);
      s.pred_upr.push_back(r.pred_upr);
    }
    picture.series.push_back(std::move(s));
  }
  picture.train_min = range.min;
  picture.train_max = range.max;
  picture.level = level;
  if (trust && !trust->empty) picture.trust = std::make_pair(trust->lower, trust->upper);

  if (!o.svg.empty()) {
    write_file_atomically(o.svg, [&](std::ostream& f) { f << render_svg(picture); });
  }

  const bool several = models.size() > 1;
  if (fmt_kind == output_format::csv || fmt_kind == output_format::tsv) {
    const char d = fmt_kind == output_format::tsv ? '\t' : ',';
    if (several) out << "degree" << d;
    out << xname << d << "fit" << d << "se_fit" << d << "conf_lwr" << d << "conf_upr" << d
        << "pred_lwr" << d << "pred_upr" << d << "widening" << d << "distance" << d << "leverage"
        << d << "leverage_ratio" << d << "region" << (trust ? std::string(1, d) + "in_trust" : "")
        << '\n';
    for (const auto& f : models) {
      for (const auto& r : f.rows) {
        if (several) out << f.degree << d;
        out << number_text(r.x) << d << number_text(r.fit) << d << number_text(r.se_fit) << d
            << number_text(r.conf_lwr) << d << number_text(r.conf_upr) << d
            << number_text(r.pred_lwr) << d << number_text(r.pred_upr) << d
            << number_text(r.widening) << d << number_text(r.distance) << d
            << number_text(r.leverage) << d << number_text(r.leverage_ratio) << d
            << to_string(r.where);
        if (trust) out << d << (contains(*trust, r.x) ? "true" : "false");
        out << '\n';
      }
    }
    return ok;
  }
  if (fmt_kind == output_format::json) {
    out << "{\n  \"rows\": [";
    bool first_row = true;
    for (const auto& f : models) {
      for (const auto& r : f.rows) {
        out << (first_row ? "\n" : ",\n") << "    {";
        first_row = false;
        if (several) out << fmt::format("\"degree\": {}, ", f.degree);
        out << fmt::format(
            "{}: {}, \"fit\": {}, \"se_fit\": {}, \"conf_lwr\": {}, \"conf_upr\": {}, "
            "\"pred_lwr\": {}, \"pred_upr\": {}, \"widening\": {}, \"distance\": {}, "
            "\"leverage\": {}, \"leverage_ratio\": {}, \"region\": \"{}\"",
            json_quote(xname), json_value(r.x), json_value(r.fit), json_value(r.se_fit),
            json_value(r.conf_lwr), json_value(r.conf_upr), json_value(r.pred_lwr),
            json_value(r.pred_upr), json_value(r.widening), json_value(r.distance),
            json_value(r.leverage), json_value(r.leverage_ratio), to_string(r.where));
        if (trust) out << ", \"in_trust\": " << (contains(*trust, r.x) ? "true" : "false");
        out << "}";
      }
    }
    out << "\n  ],\n  \"trust\": ";
    if (!trust) {
      out << "null";
    } else if (trust->empty) {
      out << "{\"lower\": null, \"upper\": null, \"empty\": true}";
    } else {
      out << fmt::format("{{\"lower\": {}, \"upper\": {}, \"empty\": false}}",
                         json_value(trust->lower), json_value(trust->upper));
    }
    out << ",\n  \"disagreements\": [";
    for (std::size_t i = 0; i < disagreements.size(); ++i) {
      const auto& dg = disagreements[i];
      out << (i ? ", " : "")
          << fmt::format("{{\"models\": [\"{}\", \"{}\"], \"where\": [", dg.first, dg.second);
      for (std::size_t j = 0; j < dg.where.size(); ++j) {
        out << (j ? ", " : "") << "[" << json_value(dg.where[j].first) << ", "
            << json_value(dg.where[j].second) << "]";
      }
      out << "]}";
    }
    out << "]\n}\n";
    return ok;
  }

  // Text: the plot, then what it shows in words.
  terminal_options topt;
  topt.width = o.width;
  topt.height = o.height;
  topt.unicode = !o.ascii;
  topt.color = term.stdout_is_tty && !term.no_color;
  out << render_terminal(picture, topt);
  const std::string pct = fmt::format("{:g}%", level * 100);
  out << fmt::format("Training range of {}: {:.6g} to {:.6g} (span {:.6g}); {} rows.\n", xname,
                     range.min, range.max, span, loaded.rows.y.size());
  for (const auto& f : models) {
    const double narrow = narrowest_leverage(f.m, line);
    const auto& lo = f.rows.front();
    const auto& hi = f.rows.back();
    const double half_narrow = (lo.pred_upr - lo.pred_lwr) / 2 / lo.widening;
    out << fmt::format(
        "{}: {} prediction interval +-{:.4g} at its narrowest (leverage {:.3g}); at {} = {:.4g} "
        "({:.3g} training span{} out) +-{:.4g}, {:.3g}x as wide; at {} = {:.4g} ({:.3g} "
        "training span{} out) +-{:.4g}, {:.3g}x as wide.\n",
        f.name, pct, half_narrow, narrow, xname, lo.x, lo.distance, lo.distance == 1 ? "" : "s",
        (lo.pred_upr - lo.pred_lwr) / 2, lo.widening, xname, hi.x, hi.distance,
        hi.distance == 1 ? "" : "s", (hi.pred_upr - hi.pred_lwr) / 2, hi.widening);
  }
  if (trust) {
    std::vector<std::string> what;
    if (bounds.max_widening)
      what.push_back(fmt::format("at most {:g}x its narrowest", *bounds.max_widening));
    if (bounds.max_halfwidth)
      what.push_back(fmt::format("half-width at most {:g}", *bounds.max_halfwidth));
    const std::string rule =
        fmt::format("{} prediction interval {}", pct, fmt::join(what, " and "));
    if (trust->empty) {
      out << "Trust range (" << rule << "): empty; no value of " << xname << " meets it.\n";
    } else {
      auto shown = [](double v) {
        return std::isfinite(v) ? fmt::format("{:.6g}", v) : (v < 0 ? "-inf" : "inf");
      };
      out << fmt::format("Trust range ({}): {} from {} to {}.\n", rule, xname, shown(trust->lower),
                         shown(trust->upper));
    }
  }
  for (const auto& dg : disagreements) {
    // Split each run at the training range: beyond it the disagreement is
    // guesswork the data cannot settle; inside it one model fits poorly.
    std::vector<std::pair<double, double>> inside, outside;
    for (const auto& [a, b] : dg.where) {
      if (a < range.min) outside.push_back({a, std::min(b, range.min)});
      if (b > range.max) outside.push_back({std::max(a, range.max), b});
      if (a <= range.max && b >= range.min) {
        inside.push_back({std::max(a, range.min), std::min(b, range.max)});
      }
    }
    if (dg.where.empty()) {
      out << fmt::format(
          "{} and {} agree within their prediction intervals over the whole "
          "sweep.\n",
          dg.first, dg.second);
    }
    if (!outside.empty() && inside.empty()) {
      out << fmt::format(
          "{} and {} agree within their prediction intervals on the data but differ by more "
          "than those intervals beyond it, where {}: the data cannot tell these models apart, "
          "so extrapolation there is guesswork.\n",
          dg.first, dg.second, where_text(xname, outside));
    } else if (!outside.empty()) {
      out << fmt::format(
          "{} and {} differ by more than their own prediction intervals beyond the data, where "
          "{}, and inside it, where {}: the data already tell them apart; check which one fits "
          "before trusting either outside.\n",
          dg.first, dg.second, where_text(xname, outside), where_text(xname, inside));
    } else if (!inside.empty()) {
      out << fmt::format(
          "{} and {} differ by more than their own prediction intervals inside the data, where "
          "{}, and agree beyond it over the sweep.\n",
          dg.first, dg.second, where_text(xname, inside));
    }
  }
  std::optional<std::pair<double, double>> hidden;
  for (const auto& r : models.front().rows) {
    if (r.where != region::hidden) continue;
    if (!hidden) hidden = std::make_pair(r.x, r.x);
    hidden->second = r.x;
  }
  if (hidden) {
    const auto [a, b] = *hidden;
    out << fmt::format(
        "Hidden extrapolation: at {} from {:.4g} to {:.4g} every predictor is inside its range "
        "but the point lies off the data (leverage above every training row's).\n",
        xname, a, b);
  }
  out << "The intervals assume the fitted form still holds beyond the data; they cannot show "
         "that it does not (see 'regress backtest').\n";
  return ok;
}

}  // namespace regress::cli
