#include "regress/output/sweep_table.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "regress/analyses/anova.hpp"
#include "regress/error.hpp"
#include "regress/output/format.hpp"

namespace regress {
namespace {

using runs = std::vector<std::pair<double, double>>;

void write_delimited(std::ostream& out, const exploration& e, char d) {
  const bool several = e.models.size() > 1;
  const bool trust = e.trust.has_value();
  std::string line;
  if (several) {
    line += "degree";
    line += d;
  }
  line += table_field(e.along_name, d);
  for (const char* name : {"fit", "se_fit", "conf_lwr", "conf_upr", "pred_lwr", "pred_upr",
                           "widening", "distance", "leverage", "leverage_ratio", "region"}) {
    line += d;
    line += name;
  }
  if (trust) {
    line += d;
    line += "in_trust";
  }
  line += '\n';
  out << line;
  for (std::size_t k = 0; k < e.models.size(); ++k) {
    const explored_model& m = e.models[k];
    // Written as computed: a sweep of millions of steps is never held.
    for_each_sweep_row(e, k, [&](const sweep_row& r) {
      line.clear();
      if (several) {
        append_number(line, m.degree);
        line += d;
      }
      for (double v : {r.x, r.fit, r.se_fit, r.conf_lwr, r.conf_upr, r.pred_lwr, r.pred_upr,
                       r.widening, r.distance, r.leverage, r.leverage_ratio}) {
        append_number(line, v);
        line += d;
      }
      line += to_string(r.where);
      if (trust) {
        line += d;
        line += contains(*e.trust, r.x) ? "true" : "false";
      }
      line += '\n';
      out << line;
    });
  }
}

void append_json_row(std::string& line, const std::string& x_key, const sweep_row& r) {
  const std::pair<const char*, double> fields[] = {
      {"fit", r.fit},           {"se_fit", r.se_fit},
      {"conf_lwr", r.conf_lwr}, {"conf_upr", r.conf_upr},
      {"pred_lwr", r.pred_lwr}, {"pred_upr", r.pred_upr},
      {"widening", r.widening}, {"distance", r.distance},
      {"leverage", r.leverage}, {"leverage_ratio", r.leverage_ratio}};
  line += x_key;
  line += ": ";
  append_json_number(line, r.x);
  for (const auto& [key, value] : fields) {
    line += ", \"";
    line += key;
    line += "\": ";
    append_json_number(line, value);
  }
  line += ", \"region\": ";
  line += json_quote(to_string(r.where));
}

void write_json_trust(std::ostream& out, const std::optional<trust_range>& trust) {
  if (!trust) {
    out << "null";
  } else if (trust->empty) {
    out << "{\"lower\": null, \"upper\": null, \"empty\": true}";
  } else {
    out << "{\"lower\": " << json_number(trust->lower)
        << ", \"upper\": " << json_number(trust->upper) << ", \"empty\": false}";
  }
}

/// A formula model's members: "formula", "held" ({column: level or value})
/// and "cell" (null, or the held cell's name and the swept column's range
/// in it).
void write_json_formula(std::ostream& out, const exploration& e) {
  if (e.formula.empty()) return;
  std::string text = ",\n  \"formula\": " + json_quote(e.formula) + ",\n  \"held\": {";
  for (std::size_t i = 0; i < e.held.size(); ++i) {
    const auto& h = e.held[i];
    text += (i ? ", " : "") + json_quote(h.name) + ": ";
    if (h.factor) {
      text += json_quote(h.level);
    } else {
      append_json_number(text, h.value);
    }
  }
  text += "},\n  \"cell\": ";
  if (e.cell) {
    text += "{\"name\": " + json_quote(e.cell_name) + ", \"min\": ";
    append_json_number(text, e.cell->min);
    text += ", \"max\": ";
    append_json_number(text, e.cell->max);
    text += ", \"rows\": ";
    append_json_number(text, static_cast<double>(e.cell->rows));
    text += "}";
  } else {
    text += "null";
  }
  out << text;
}

/// --method averaged or bootstrap: "method", with the candidates and their
/// weights or the bootstrap's replicates and seed.
void write_json_method(std::ostream& out, const exploration& e) {
  if (!e.method) return;
  const sweep_method& m = *e.method;
  std::string text = ",\n  \"method\": {\"name\": " + json_quote(m.name);
  if (m.name == "bootstrap") {
    text += ", \"boot\": " + std::to_string(m.boot) + ", \"seed\": " + std::to_string(m.seed);
  } else {
    text += ", \"reference\": " + json_quote(m.candidates.at(m.reference)) + ", \"candidates\": [";
    for (std::size_t i = 0; i < m.candidates.size(); ++i) {
      text += (i > 0 ? ", " : "") + std::string("{\"model\": ") + json_quote(m.candidates[i]) +
              ", \"aicc\": ";
      append_json_number(text, m.aicc[i]);
      text += ", \"weight\": ";
      append_json_number(text, m.weights[i]);
      text += "}";
    }
    text += "]";
  }
  out << text << "}";
}

void write_json(std::ostream& out, const exploration& e) {
  const bool several = e.models.size() > 1;
  const std::string x_key = json_quote(e.along_name);
  out << "{\n  \"rows\": [";
  bool first_row = true;
  std::string line;
  for (std::size_t k = 0; k < e.models.size(); ++k) {
    const explored_model& m = e.models[k];
    for_each_sweep_row(e, k, [&](const sweep_row& r) {
      line = first_row ? "\n    {" : ",\n    {";
      first_row = false;
      if (several) {
        line += "\"degree\": ";
        append_json_number(line, m.degree);
        line += ", ";
      }
      append_json_row(line, x_key, r);
      if (e.trust)
        line += contains(*e.trust, r.x) ? ", \"in_trust\": true" : ", \"in_trust\": false";
      line += '}';
      out << line;
    });
  }
  out << "\n  ],\n  \"trust\": ";
  write_json_trust(out, e.trust);
  out << ",\n  \"disagreements\": [";
  for (std::size_t i = 0; i < e.comparisons.size(); ++i) {
    const disagreement& dg = e.comparisons[i].apart;
    out << (i ? ", " : "") << "{\"models\": [" << json_quote(dg.first) << ", "
        << json_quote(dg.second) << "], \"where\": [";
    for (std::size_t j = 0; j < dg.where.size(); ++j) {
      out << (j ? ", " : "") << "[" << json_number(dg.where[j].first) << ", "
          << json_number(dg.where[j].second) << "]";
    }
    out << "]}";
  }
  out << "]";
  write_json_formula(out, e);
  write_json_method(out, e);
  out << "\n}\n";
}

/// A JSON object per sweep row, a line each: the rows of write_json
/// without the document around them (the trust range is the in_trust key).
void write_ndjson(std::ostream& out, const exploration& e) {
  const std::string x_key = json_quote(e.along_name);
  std::string line;
  for (std::size_t k = 0; k < e.models.size(); ++k) {
    const explored_model& m = e.models[k];
    for_each_sweep_row(e, k, [&](const sweep_row& r) {
      line = "{";
      if (e.models.size() > 1) {
        line += "\"degree\": ";
        append_json_number(line, m.degree);
        line += ", ";
      }
      append_json_row(line, x_key, r);
      if (e.trust)
        line += contains(*e.trust, r.x) ? ", \"in_trust\": true" : ", \"in_trust\": false";
      line += "}\n";
      out << line;
    });
  }
}

// ---- text: what the plot shows, in words, rounded for people -----------------------

std::string where_text(const std::string& x, const runs& parts) {
  std::vector<std::string> texts;
  for (const auto& [a, b] : parts) {
    texts.push_back(a == b ? fmt::format("{} = {:.4g}", x, a)
                           : fmt::format("{:.4g} <= {} <= {:.4g}", a, x, b));
  }
  return fmt::format("{}", fmt::join(texts, ", "));
}

/// The half-width of the narrowest prediction interval of a sweep. Far out
/// (x near 1e308) the fit and both limits overflow and upr - lwr is NaN,
/// while the width itself is finite: take it from a row where it shows (the
/// ratio of a row's half-width to its widening is the same on every row).
double narrowest_half_width(const std::vector<sweep_row>& rows) {
  for (const auto& r : rows) {
    const double half = (r.pred_upr - r.pred_lwr) / 2 / r.widening;
    if (std::isfinite(half)) return half;
  }
  return std::numeric_limits<double>::infinity();
}

/// A row's half-width: its own, or the narrowest times its widening where
/// its limits overflowed.
double half_width(const sweep_row& r, double narrowest) {
  const double half = (r.pred_upr - r.pred_lwr) / 2;
  return std::isfinite(half) ? half : narrowest * r.widening;
}

/// "at x = v (d training spans out) +-h, wx as wide" for an end of a sweep,
/// or, where the terms overflow a double (x^2 at 1e308), that it has none.
std::string end_text(const std::string& x, const sweep_row& r, double half_narrow) {
  const double half = half_width(r, half_narrow);
  const std::string where = fmt::format("at {} = {:.4g} ({:.3g} training span{} out)", x, r.x,
                                        r.distance, r.distance == 1 ? "" : "s");
  if (std::isnan(half) || std::isnan(r.widening)) {
    return where + " the interval cannot be computed (its terms overflow a double)";
  }
  return where + fmt::format(" +-{:.4g}, {:.3g}x as wide", half, r.widening);
}

/// A method's sweep (averaged, bootstrap): its own interval at its
/// narrowest inside the data (the kept rows at distance 0, else every kept
/// row) and at the sweep's ends, with the ends' width over that narrowest.
/// Its intervals need not be symmetric about the fit: the limits are given.
void write_method_widths(std::ostream& out, const exploration& e, const explored_model& m,
                         const std::string& pct) {
  const std::string x = text_name(e.along_name);
  const sweep_row* narrow = nullptr;
  for (int pass = 0; pass < 2 && narrow == nullptr; ++pass) {
    for (const auto& r : m.rows) {
      const double width = r.pred_upr - r.pred_lwr;
      if ((pass == 1 || r.distance == 0) && std::isfinite(width) &&
          (narrow == nullptr || width < narrow->pred_upr - narrow->pred_lwr)) {
        narrow = &r;
      }
    }
  }
  if (narrow == nullptr) {
    out << fmt::format("{}: the {} prediction interval cannot be computed over the sweep.\n",
                       text_name(m.name), pct);
    return;
  }
  const double least = narrow->pred_upr - narrow->pred_lwr;
  const auto end = [&](const sweep_row& r) {
    return fmt::format(
        "at {} = {:.4g} ({:.3g} training span{} out) from {:.4g} to {:.4g}, {:.3g}x "
        "as wide",
        x, r.x, r.distance, r.distance == 1 ? "" : "s", r.pred_lwr, r.pred_upr,
        (r.pred_upr - r.pred_lwr) / least);
  };
  out << fmt::format(
      "{}: {} prediction interval from {:.4g} to {:.4g} (+-{:.4g}) at its narrowest in the data, "
      "at {} = {:.4g}; {}; {}.\n",
      text_name(m.name), pct, narrow->pred_lwr, narrow->pred_upr, least / 2, x, narrow->x,
      end(m.rows.front()), end(m.rows.back()));
}

/// The method's account: the candidates and their weights, or the
/// bootstrap's replicates; and which columns are not the method's.
void write_method(std::ostream& out, const exploration& e) {
  if (!e.method) return;
  const sweep_method& m = *e.method;
  if (m.name == "bootstrap") {
    out << fmt::format(
        "Residual bootstrap intervals (Davison and Hinkley 1997, Algorithm 6.4): {} replicates, "
        "seed {}; fit, se_fit, widening, distance, leverage and region are the textbook fit's.\n",
        m.boot, m.seed);
    return;
  }
  out << fmt::format(
      "Averaged over {} candidate models by AICc weight (model-averaged tail-area intervals, "
      "Turek and Fletcher 2012):\n",
      m.candidates.size());
  for (std::size_t i = 0; i < m.candidates.size(); ++i) {
    out << fmt::format("  {}: AICc {:.6g}, weight {:.4f}\n", m.candidates[i], m.aicc[i],
                       m.weights[i]);
  }
  out << fmt::format(
      "widening, distance, leverage and region are those of '{}', the candidate of largest "
      "weight.\n",
      m.candidates.at(m.reference));
}

void write_widths(std::ostream& out, const exploration& e, const std::string& pct) {
  const std::string x = text_name(e.along_name);
  for (const auto& m : e.models) {
    if (m.method_row) {
      write_method_widths(out, e, m, pct);
      continue;
    }
    const double half_narrow = narrowest_half_width(m.rows);
    out << fmt::format(
        "{}: {} prediction interval +-{:.4g} at its narrowest (leverage {:.3g}); {}; "
        "{}.\n",
        text_name(m.name), pct, half_narrow, m.narrowest_leverage,
        end_text(x, m.rows.front(), half_narrow), end_text(x, m.rows.back(), half_narrow));
  }
}

void write_trust(std::ostream& out, const exploration& e, const std::string& pct) {
  if (!e.trust || !e.bounds) return;
  std::vector<std::string> what;
  if (e.bounds->max_widening) {
    what.push_back(fmt::format("at most {:g}x its narrowest", *e.bounds->max_widening));
  }
  if (e.bounds->max_halfwidth) {
    what.push_back(fmt::format("half-width at most {:g}", *e.bounds->max_halfwidth));
  }
  const std::string rule = fmt::format("{} prediction interval {}", pct, fmt::join(what, " and "));
  if (e.trust->empty) {
    out << "Trust range (" << rule << "): empty; no value of " << text_name(e.along_name)
        << " meets it.\n";
    return;
  }
  auto shown = [](double v) {
    return std::isfinite(v) ? fmt::format("{:.6g}", v) : (v < 0 ? "-inf" : "inf");
  };
  // Stated within the sweep: beyond it nothing was looked at (and an
  // unbounded side is no promise about values far off).
  double lower = e.trust->lower, upper = e.trust->upper;
  std::string clipped;
  if (!e.models.empty() && !e.models.front().rows.empty()) {
    const double from = e.models.front().rows.front().x, to = e.models.front().rows.back().x;
    const bool below = lower<from, above = upper> to;
    lower = std::max(lower, from);
    upper = std::min(upper, to);
    if (below || above) {
      clipped = std::string(" (within the sweep; it goes on ") +
                (below && above ? "past both ends"
                 : below        ? "below it"
                                : "above it") +
                ")";
    }
  }
  if (lower > upper) {
    out << "Trust range (" << rule << "): " << text_name(e.along_name) << " from "
        << shown(e.trust->lower) << " to " << shown(e.trust->upper) << ", outside the sweep.\n";
    return;
  }
  out << fmt::format("Trust range ({}): {} from {} to {}{}.\n", rule, text_name(e.along_name),
                     shown(lower), shown(upper), clipped);
  if (lower < 0 && e.training.min >= 0) {
    out << fmt::format(
        "Note: the trust range reaches below 0, where {} has no values in the data (the smallest "
        "is {:.6g}); narrow intervals there do not make such values possible.\n",
        text_name(e.along_name), e.training.min);
  }
}

void write_comparison(std::ostream& out, const model_comparison& c, const std::string& x) {
  const disagreement& dg = c.apart;
  if (dg.where.empty()) {
    out << fmt::format(
        "{} and {} agree within their prediction intervals over the whole "
        "sweep.\n",
        dg.first, dg.second);
  }
  if (!c.outside.empty() && c.inside.empty()) {
    out << fmt::format(
        "{} and {} agree within their prediction intervals on the data but differ by more "
        "than those intervals beyond it, where {}: the data cannot tell these models apart, "
        "so extrapolation there is guesswork.\n",
        dg.first, dg.second, where_text(x, c.outside));
  } else if (!c.outside.empty()) {
    out << fmt::format(
        "{} and {} differ by more than their own prediction intervals beyond the data, where "
        "{}, and inside it, where {}: the data already tell them apart; check which one fits "
        "before trusting either outside.\n",
        dg.first, dg.second, where_text(x, c.outside), where_text(x, c.inside));
  } else if (!c.inside.empty()) {
    out << fmt::format(
        "{} and {} differ by more than their own prediction intervals inside the data, where "
        "{}, and agree beyond it over the sweep.\n",
        dg.first, dg.second, where_text(x, c.inside));
  }
}

/// A formula model's held values and the swept column's range in the held
/// cell, where extrapolation starts for this sweep.
void write_held(std::ostream& out, const exploration& e) {
  if (e.formula.empty()) return;
  std::vector<std::string> held;
  for (const auto& h : e.held) held.push_back(h.text());
  if (!held.empty()) out << fmt::format("Held: {}.\n", fmt::join(held, ", "));
  if (e.cell_name.empty()) return;
  if (!e.cell) {
    out << fmt::format("No training row has {}: every point of the sweep is an extrapolation.\n",
                       e.cell_name);
    return;
  }
  if (e.cell->min == e.training.min && e.cell->max == e.training.max) {
    out << fmt::format("Range of {} where {}: the whole range; {} rows.\n", text_name(e.along_name),
                       e.cell_name, e.cell->rows);
    return;
  }
  out << fmt::format(
      "Range of {} where {}: {:.6g} to {:.6g}; {} rows. Beyond it the sweep extrapolates, even "
      "inside the whole range.\n",
      text_name(e.along_name), e.cell_name, e.cell->min, e.cell->max, e.cell->rows);
}

/// With several degrees: anova's F test of each degree against the one
/// below it (compare_models over the fits sorted by degree, as `regress
/// anova --degree` prints them). Nothing when a fit is not at hand.
void write_degree_tests(std::ostream& out, const exploration& e) {
  if (e.models.size() < 2) return;
  std::vector<const explored_model*> sorted;
  for (const auto& m : e.models) {
    if (!m.fitted) return;
    sorted.push_back(&m);
  }
  std::sort(sorted.begin(), sorted.end(),
            [](const auto* a, const auto* b) { return a->degree < b->degree; });
  std::vector<model> fits;
  for (const auto* m : sorted) fits.push_back(*m->fitted);
  std::vector<anova_model> tests;
  try {
    tests = compare_models(fits);
  } catch (const usage_error&) {
    return;  // not nested: no test to report
  }
  for (std::size_t i = 1; i < tests.size(); ++i) {
    const anova_model& t = tests[i];
    out << fmt::format(
        "Degree {} against degree {} (anova's nested F test): F = {:.5g} on {} and {} DF, p-value "
        "= {:.4g}.\n",
        sorted[i]->degree, sorted[i - 1]->degree, t.statistic, t.df, tests.back().res_df,
        t.p_value);
  }
}

void write_text(std::ostream& out, const exploration& e) {
  const std::string pct = percent_text(e.level) + "%";
  const predictor_range& range = e.training;
  out << fmt::format("Training range of {}: {:.6g} to {:.6g} (span {:.6g}); {} rows.\n",
                     text_name(e.along_name), range.min, range.max, range.max - range.min, e.nobs);
  write_held(out, e);
  write_method(out, e);
  write_widths(out, e, pct);
  write_trust(out, e, pct);
  for (const auto& c : e.comparisons) write_comparison(out, c, text_name(e.along_name));
  write_degree_tests(out, e);
  if (e.hidden) {
    const auto [a, b] = *e.hidden;
    out << fmt::format(
        "Hidden extrapolation: at {} from {:.4g} to {:.4g} every predictor is inside its range "
        "but the point lies off the data (leverage above every training row's).\n",
        text_name(e.along_name), a, b);
  }
  for (const auto& note : e.notes) out << note << '\n';
  if (e.method && e.method->name == "averaged") {
    out << "The intervals assume one of the candidate forms holds beyond the data; they cannot "
           "show that none does (see 'regress backtest').\n";
    return;
  }
  out << "The intervals assume the fitted form still holds beyond the data; they cannot show "
         "that it does not (see 'regress backtest').\n";
}

}  // namespace

void write_sweep(std::ostream& out, const exploration& e, output_format format) {
  switch (format) {
    case output_format::csv:
    case output_format::tsv:
      write_delimited(out, e, delimiter_of(format));
      return;
    case output_format::json:
      write_json(out, e);
      return;
    case output_format::ndjson:
      write_ndjson(out, e);
      return;
    case output_format::text:
      write_text(out, e);
      return;
  }
}

}  // namespace regress
