// explore --method averaged: the candidates fitted as predict --method
// averaged fits them (fit_candidates), the largest-weight one explored, its
// sweep made the average of every candidate's (explore_methods.hpp).

#include <algorithm>
#include <iterator>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "averaged_predict.hpp"
#include "explore_method.hpp"
#include "file_checks.hpp"
#include "formula_explore.hpp"
#include "messages.hpp"
#include "regress/analyses/explore_methods.hpp"
#include "regress/error.hpp"
#include "regress/model/frame.hpp"
#include "regress/pictures/explore_picture.hpp"

namespace regress::cli {
namespace {

bool reads(const std::vector<std::string>& columns, const std::string& name) {
  return std::find(columns.begin(), columns.end(), name) != columns.end();
}

/// Formula candidates: each one's request, along the reference's swept
/// column with the --hold values of the columns it reads, and the sweep's
/// ends common to all (where every candidate is defined). Warnings about
/// ends pulled into a domain go to `err`, each once.
std::vector<explore_request> formula_requests(const explore_options& o,
                                              const std::vector<model>& ms, std::size_t best,
                                              std::ostream& err) {
  const model& reference = ms[best];
  const std::string along =
      reference.ranges[formula_along(reference.ranges, *reference.terms, o.along)].name;
  std::vector<explore_request> requests;
  std::vector<std::string> said;
  for (std::size_t i = 0; i < ms.size(); ++i) {
    const model& m = ms[i];
    bool swept = false;
    for (const auto& r : m.ranges) swept = swept || r.name == along;
    if (!swept) {
      throw usage_error("--method averaged sweeps '" + along + "', which the candidate '" +
                        candidate_label(m) + "' does not read as a number; every candidate " +
                        "must read the swept column");
    }
    explore_options mine = o;
    mine.along = along;
    mine.hold.clear();
    for (const auto& h : o.hold) {
      const std::string column = h.substr(0, h.find('='));
      bool anyone = false;
      for (const auto& c : ms) anyone = anyone || reads(predictor_columns(*c.terms), column);
      // A column no candidate reads: the reference refuses it in its words.
      if (reads(predictor_columns(*m.terms), column) || (!anyone && i == best)) {
        mine.hold.push_back(h);
      }
    }
    std::ostringstream warnings;
    requests.push_back(make_formula_request(mine, m, warnings));
    std::istringstream lines(warnings.str());
    for (std::string line; std::getline(lines, line);) {
      if (!reads(said, line)) said.push_back(line);
    }
  }
  for (const auto& line : said) err << line << '\n';
  double from = requests.front().from, to = requests.front().to;
  for (const auto& r : requests) {
    from = std::max(from, r.from);
    to = std::min(to, r.to);
  }
  if (!(from < to)) {
    throw usage_error("the candidates are defined on no common range of '" + along +
                      "'; give --from and --to");
  }
  for (auto& r : requests) {
    r.from = from;
    r.to = to;
  }
  return requests;
}

/// Every candidate's spline notes, each once.
std::vector<std::string> all_notes(const std::vector<model>& ms) {
  std::vector<std::string> notes;
  for (const auto& m : ms) {
    for (const auto& n : spline_notes(*m.terms)) {
      if (!reads(notes, n)) notes.push_back(n);
    }
  }
  return notes;
}

}  // namespace

int run_averaged_explore(const explore_options& o, std::istream& in, std::ostream& out,
                         std::ostream& err, const terminal& term) {
  // The input is read to fit the candidates and, for a picture, again for
  // the reference's rows: standard input is held for that.
  const bool picture = !o.svg.empty() || o.format == output_format::text;
  const std::string& file = o.candidates.front().file;
  const bool hold = picture && (file.empty() || file == "-");
  std::string held;
  if (hold) {
    check_stdin(in);
    held.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  std::istringstream first(held);
  const std::vector<model> ms = fit_candidates(o.candidates, hold ? first : in, err);
  auto a = std::make_shared<averaged_sweep>();
  a->weights = aicc_weights(ms);
  const std::size_t best = a->weights.best;
  const model& reference = ms[best];
  const data_options& source = o.candidates[best];
  std::istringstream second(held);
  std::ostringstream quiet;  // the data's warnings were given by the fit
  std::optional<loaded_data> rows;
  std::optional<formula_data> frame;
  exploration e;
  if (reference.terms) {
    const std::vector<explore_request> requests = formula_requests(o, ms, best, err);
    if (picture) frame = load_formula_data(source, hold ? second : in, quiet);
    e = frame ? explore_formula(reference, requests[best], frame->frame)
              : explore_formula(reference, requests[best]);
    e.notes = all_notes(ms);
    for (std::size_t i = 0; i < ms.size(); ++i) a->lines.push_back(held_line(ms[i], requests[i]));
  } else {
    model_spec spec = reference.spec;
    spec.degree = 1;
    explore_options mine = o;
    mine.degrees = {reference.spec.degree};
    e = explore_fitted(spec, {reference}, make_request(mine, spec, reference.ranges));
    if (picture) rows = load_data(source, hold ? second : in, quiet);
    a->lines.assign(ms.size(), e.line);
  }
  a->candidates = ms;
  use_averaged(e, a);
  if (o.format != output_format::json && o.format != output_format::text) {
    note(err, weights_note(ms, a->weights));
  }
  show_exploration(
      o, e,
      [&] { return frame ? explore_picture(e, frame->frame) : explore_picture(e, rows->rows); },
      out, term);
  return ok;
}

}  // namespace regress::cli
