// Fitting a formula with the streaming engine: a first pass of per-cell
// statistics (model/formula_stats.hpp), and a second pass, when needed, for
// the residuals, the exact residual sum of squares and the largest leverage.

#include "regress/engine/formula_passes.hpp"

#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <exception>
#include <fstream>
#include <functional>
#include <istream>
#include <memory>
#include <optional>
#include <set>
#include <streambuf>
#include <string>
#include <utility>
#include <vector>

#include "regress/engine/accumulate.hpp"
#include "regress/engine/chunk_runs.hpp"
#include "regress/engine/engine.hpp"
#include "regress/engine/fast_scan.hpp"
#include "regress/engine/formula_fits.hpp"
#include "regress/engine/input.hpp"
#include "regress/engine/pipeline.hpp"
#include "regress/engine/progress.hpp"
#include "regress/engine/records.hpp"
#include "regress/engine/scan.hpp"
#include "regress/engine/spool.hpp"
#include "regress/error.hpp"
#include "regress/model/formula.hpp"
#include "regress/model/formula_stats.hpp"
#include "regress/model/frame.hpp"
#include "regress/model/sum2.hpp"
#include "regress/reading/csv.hpp"
#include "regress/reading/table.hpp"

namespace regress {
namespace engine {
namespace {

/// A column first read as numbers holds text further on: read it again as a
/// factor.
struct kind_conflict {
  std::string column;
};

struct stats_sink {
  formula_stats stats;
  bool take_record(record_values& r, std::size_t line, chunk_error& err) {
    try {
      stats.add_record(r.value.data(), r.kind.data(), r.text.data());
    } catch (const data_error& e) {
      err.raise(e.what(), line);
      return false;
    }
    return true;
  }
};

/// What the second pass sums for a robust covariance: the estimator, and
/// the slot of the clusters' column (-1: none) and whether it is read as text.
struct meat_plan {
  vcov_kind kind = vcov_kind::constant;
  int cluster_slot = -1;
  bool cluster_text = true;
};

struct residual_sink {
  const model& m;
  const formula_plan& plan;
  bool want_leverage, want_residuals;
  const meat_plan& robust;
  formula_pass2 out;
  row_values row;
  std::vector<char> known;
  std::vector<dd> full, kept;
  std::vector<double> kept_hi;
  std::string key;

  /// The row's cluster (its cell's text, or a number's bits); false when
  /// the cell is missing.
  bool cluster_key(const record_values& r) {
    if (robust.cluster_slot < 0) return true;
    const auto s = static_cast<std::size_t>(robust.cluster_slot);
    if (r.kind[s] == cell_kind::missing) return false;
    if (robust.cluster_text) {
      key.assign(r.text[s]);
    } else {
      key.assign(reinterpret_cast<const char*>(&r.value[s]), sizeof(dd));
    }
    return true;
  }

  /// Adds the row's score to the meat; false (err raised) when it cannot.
  bool add_meat(const record_values& r, double w, double e, std::size_t line, chunk_error& err) {
    if (!(w > 0)) {
      err.raise("--vcov " + vcov_name(robust.kind) +
                    " cannot use a row of weight 0 (sandwich's bread and meat would count "
                    "different rows); drop the rows of weight 0 first",
                line);
      return false;
    }
    if (!cluster_key(r)) {
      err.raise(
          "the --cluster column has no value in a row the model uses; fill it in or "
          "drop the row",
          line);
      return false;
    }
    const double h = vcov_needs_leverage(robust.kind) ? leverage(m.fit, kept_hi.data()) : 0.0;
    out.meat.add(kept_hi.data(), w, e, h, key);
    return true;
  }

  bool take_record(record_values& r, std::size_t line, chunk_error& err) {
    ++out.record_count;
    if (!fill_row(plan, r.value.data(), r.kind.data(), r.text.data(), row, known)) return true;
    try {
      const double w =
          plan.weight_index < row.numbers.size() ? double(row.numbers[plan.weight_index]) : 1.0;
      full.resize(m.slope_terms.size());
      design_row(*m.terms, row, full.data(), nullptr);
      keep_columns(m, full.data(), kept_hi);
      kept.assign(kept_hi.size(), dd());
      std::size_t a = 0;
      for (std::size_t j = 0; j < full.size(); ++j) {
        if (j >= m.aliased.size() || !m.aliased[j]) kept[a++] = full[j];
      }
      const dd y = response_value(*m.terms, row);
      double residual = 0;
      if (w > 0) {
        dd r2;
        add_squared_residual(m.fit, kept.data(), y, r2);
        out.rss += dd(w) * r2;
        const double e = double(y) - fitted_value(m.fit, kept_hi.data());
        residual = std::sqrt(w) * e;
        if (want_leverage) {
          out.max_leverage = std::max(out.max_leverage, leverage(m.fit, kept_hi.data()));
        }
      }
      if (robust.kind != vcov_kind::constant &&
          !add_meat(r, w, double(y) - fitted_value(m.fit, kept_hi.data()), line, err)) {
        return false;
      }
      if (want_residuals) {
        out.residuals.push_back(residual);
        out.records.push_back(out.record_count - 1);
      }
    } catch (const data_error& e) {
      err.raise(e.what(), line);
      return false;
    }
    return true;
  }
};

layout formula_layout(const formula_plan& plan, std::size_t columns, char delim) {
  layout l;
  l.delimiter = delim;
  l.columns = columns;
  l.slot.assign(columns, -1);
  l.text.assign(columns, 0);
  for (std::size_t s = 0; s < plan.columns.size(); ++s) {
    l.slot.at(plan.fields[s]) = static_cast<int>(s);
    l.index.push_back(plan.fields[s]);
    l.name.push_back(plan.columns[s]);
    l.text[plan.fields[s]] = plan.text[s] ? 1 : 0;
  }
  return l;
}

/// The columns whose cells decide whether they are factors: those a
/// formula uses as a bare variable; and the response's and the weights',
/// so that text there is the formula's usage error rather than a bad cell.
std::vector<std::string> candidate_columns(const parsed_formula& f, const std::string& weights) {
  std::vector<std::string> out = columns_of(f.response);
  if (!weights.empty()) out.push_back(weights);
  for (const auto& v : f.variables) {
    const formula_expr* e = &v;
    while (e->type == formula_expr::kind::paren) e = &e->args.at(0);
    if (e->type == formula_expr::kind::column) out.push_back(e->name);
    if (e->type == formula_expr::kind::call && e->name == "factor") {
      const formula_expr* a = call_argument(*e, "", 0);
      while (a->type == formula_expr::kind::paren) a = &a->args.at(0);
      if (a->type == formula_expr::kind::column) out.push_back(a->name);
    }
  }
  return out;
}

/// The first records of the data (up to `limit` of them): which candidate
/// columns hold text, and the first value of each poly() argument.
struct prelude {
  std::set<std::string> text;
  std::vector<std::vector<std::string>> records;
};

prelude read_prelude(const char* begin, const char* end, char delim,
                     const std::vector<std::string>& header,
                     const std::vector<std::string>& candidates) {
  prelude p;
  careful_reader reader(begin, end, delim);
  chunk_error err;
  std::vector<std::string> fields;
  std::size_t line = 0;
  for (std::size_t n = 0; n < 2000 && reader.next(fields, line, err); ++n) {
    if (fields.size() != header.size()) break;
    for (std::size_t j = 0; j < header.size(); ++j) {
      if (std::find(candidates.begin(), candidates.end(), header[j]) == candidates.end()) continue;
      dd v;
      if (parse_cell(fields[j], v) == cell_kind::invalid) p.text.insert(header[j]);
    }
    p.records.push_back(fields);
  }
  return p;
}

formula_plan make_plan(const formula_request& req, const std::vector<std::string>& header,
                       const prelude& p, const std::set<std::string>& more_text) {
  std::vector<std::string> text(p.text.begin(), p.text.end());
  text.insert(text.end(), more_text.begin(), more_text.end());
  formula_plan plan = plan_formula(req.formula, header, req.weights, text);
  centre_polys(plan, p.records.size(), [&](std::size_t r, row_values& row) {
    bool known = true;
    for (std::size_t slot : plan.numeric_slot) {
      dd v;
      known = known && parse_cell(p.records[r][plan.fields[slot]], v) == cell_kind::number;
      row.numbers.push_back(v);
    }
    return known;
  });
  return plan;
}

/// Merges chunk results in order; raises the first error with its line.
struct formula_merger {
  const engine_options& o;
  const formula_plan& plan;
  const std::vector<std::string>& header;
  const std::vector<std::string>& candidates;
  std::size_t line;
  formula_stats stats;

  void add(formula_pass1& r) {
    if (r.error.set) {
      // A bare variable's column first read as numbers: a factor after all.
      if (r.error.column > 0 && r.error.column <= header.size()) {
        const std::string& name = header[r.error.column - 1];
        if (std::find(candidates.begin(), candidates.end(), name) != candidates.end()) {
          throw kind_conflict{name};
        }
      }
      throw data_error(r.error.message, o.source, line + r.error.line, r.error.column);
    }
    stats.merge(std::move(r.stats));
    line += r.lines;
  }
};

/// The -y/-x first pass's layout and model for a plain plan (plain_columns):
/// the response, then the basis monomials' columns, with an intercept's
/// shift (a formula's cells always have one).
struct plain_pass {
  layout l;
  model_spec spec;
};

std::optional<plain_pass> plain_route(const formula_plan& plan, std::size_t columns, char delim) {
  const std::vector<std::size_t> slots = plain_columns(plan);
  if (slots.empty()) return std::nullopt;
  column_choice choice;
  for (std::size_t k = 0; k < slots.size(); ++k) {
    choice.indices.push_back(plan.fields[slots[k]]);
    (k == 0 ? choice.spec.response : choice.spec.predictors.emplace_back()) =
        plan.columns[slots[k]];
  }
  choice.spec.intercept = true;
  return plain_pass{make_layout(choice, columns, delim), choice.spec};
}

formula_pass1 run_plain_pass1(const task& t, const plain_pass& plain, const formula_plan& plan) {
  pass1_result p = run_pass1(t, plain.l, plain.spec);
  formula_pass1 r;
  r.error = std::move(p.error);
  r.lines = p.lines;
  r.stats = formula_stats(plan);
  if (!r.error.set) r.stats.add_plain(p.state, p.min, p.max, p.records, p.dropped);
  return r;
}

REGRESS_HOT_CLONES
formula_pass1 run_formula_pass1(const task& t, const layout& l, const formula_plan& plan) {
  stats_sink sink{formula_stats(plan)};
  formula_pass1 r;
  // The common shapes (formula_stats::fast_rows) read their records straight into batches.
  const bool fast = !t.quoted && sink.stats.fast_rows() && !l.text.empty() &&
                    std::count(l.text.begin(), l.text.end(), 1) <= 1;
  r.lines = fast ? scan_fast(t.begin, t.end, l, r.error, sink)
                 : scan_chunk(t.begin, t.end, t.quoted, l, r.error, sink);
  r.stats = std::move(sink.stats);
  return r;
}

/// The second pass's layout and meat plan: the first pass's, and the
/// clusters' column (read as text) when it is not read already.
std::pair<layout, meat_plan> robust_layout(const layout& l, const formula_request& req,
                                           const std::vector<std::string>& header) {
  std::pair<layout, meat_plan> out{l, meat_plan{}};
  out.second.kind = req.vcov;
  if (req.vcov != vcov_kind::cl) return out;
  const auto at = std::find(header.begin(), header.end(), req.cluster);
  if (at == header.end()) {
    std::string names;
    for (const auto& h : header) names += (names.empty() ? "" : ", ") + h;
    throw usage_error("--cluster '" + req.cluster + "' is not a column; the columns are: " + names);
  }
  const auto field = static_cast<std::size_t>(at - header.begin());
  layout& l2 = out.first;
  if (l2.text.empty()) l2.text.assign(l2.columns, 0);
  if (l2.slot[field] < 0) {
    l2.slot[field] = static_cast<int>(l2.index.size());
    l2.index.push_back(field);
    l2.name.push_back(req.cluster);
    l2.text[field] = 1;
  }
  out.second.cluster_slot = l2.slot[field];
  out.second.cluster_text = l2.text[field] != 0;
  return out;
}

/// What a fit's second pass computes; `run`: whether there is one.
struct pass2_wants {
  bool leverage = false, residuals = false, robust = false, run = false;
};

/// Whether the fit `out` needs a second pass (see engine.hpp), and for what;
/// notes in `out` what it goes without.
pass2_wants second_pass_wants(engine_result& out, bool near_exact, bool mapped,
                              const engine_options& o, const formula_request& req) {
  model& m = out.fitted;
  pass2_wants w;
  w.leverage = o.need_max_leverage;
  w.residuals = m.fit.nobs <= static_cast<double>(o.quantile_rows);
  if (!w.residuals) m.residuals_note = too_many_rows_for_residuals(o.quantile_rows);
  w.robust = req.vcov != vcov_kind::constant;
  if (!w.leverage && !w.residuals && !near_exact && !w.robust) return w;
  if (!mapped) {
    if (near_exact) {
      out.warnings.push_back(
          "the fit is near-exact, and standard input was too big to keep for a second pass: "
          "the residual sum of squares comes from the one pass and may have lost digits; give "
          "the data as a file");
    }
    return w;
  }
  w.run = true;
  out.second_pass = true;
  return w;
}

/// One fit's second pass over the chunks: its sink for a chunk, and the
/// chunks' sums merged in file order.
struct pass2_sums {
  const model& m;
  const formula_plan& plan;
  const pass2_wants& w;
  const meat_plan& meat;
  const formula_request& req;
  formula_pass2 total;
  std::vector<std::size_t> row_numbers;
  std::size_t records_before = 0;

  pass2_sums(const model& fitted, const formula_plan& p, const pass2_wants& wants,
             const meat_plan& mp, const formula_request& r)
      : m(fitted), plan(p), w(wants), meat(mp), req(r) {
    if (w.robust) total.meat = meat_sum(m.fit, req.vcov);
  }
  residual_sink sink() const {
    residual_sink s{m, plan, w.leverage, w.residuals, meat, {}, {}, {}, {}, {}, {}, {}};
    s.out.record_count = 0;
    if (w.robust) s.out.meat = meat_sum(m.fit, req.vcov);
    return s;
  }
  void add(formula_pass2& r) {
    if (w.robust) total.meat.merge(std::move(r.meat));
    total.rss += r.rss;
    total.max_leverage = std::max(total.max_leverage, r.max_leverage);
    total.residuals.insert(total.residuals.end(), r.residuals.begin(), r.residuals.end());
    for (std::size_t k : r.records) row_numbers.push_back(records_before + k + 1);
    records_before += r.record_count;
  }
  /// Puts what the pass found into the model `fitted` (m).
  void finish(model& fitted) {
    fitted.fit.rss = total.rss;
    if (w.robust) fitted.robust = total.meat.finish(fitted.fit, req.cluster);
    if (w.leverage) fitted.max_leverage = total.max_leverage;
    if (w.residuals && !total.residuals.empty()) {
      set_residual_summary(fitted, std::move(total.residuals), row_numbers);
    }
  }
};

/// The second pass, when one is needed (see engine.hpp).
void formula_second_pass(engine_result& out, bool near_exact, mapped_file* map, const char* begin,
                         const layout& l, const formula_plan& plan, const engine_options& o,
                         unsigned threads, progress_line& progress, const formula_request& req) {
  const pass2_wants w = second_pass_wants(out, near_exact, map != nullptr, o, req);
  if (!w.run) return;
  const auto [l2, meat] = robust_layout(l, req, out.header);
  pass2_sums sums(out.fitted, plan, w, meat, req);
  std::function<formula_pass2(const task&)> work = [&, &l2 = l2](const task& t) {
    residual_sink sink = sums.sink();
    const std::size_t lines = scan_chunk(t.begin, t.end, t.quoted, l2, sink.out.error, sink);
    (void)lines;
    return std::move(sink.out);
  };
  std::function<void(const task&, formula_pass2&)> consume = [&](const task&, formula_pass2& r) {
    if (r.error.set) throw data_error(r.error.message, o.source);
    sums.add(r);
  };
  run_mapped<formula_pass2>(*map, begin, o, threads, work, consume, progress);
  sums.finish(out.fitted);
}

/// A stream over bytes in memory.
struct memory_buffer : std::streambuf {
  memory_buffer(const char* b, const char* e) {
    char* begin = const_cast<char*>(b);  // NOLINT(cppcoreguidelines-pro-type-const-cast): read only
    setg(begin, begin, begin + (e - b));
  }
};

/// A formula with ns() or bs(): its knots are quantiles of the argument's
/// values, known only once every row is read, and its basis is no
/// polynomial the cells' moments could hold. So the columns it uses are
/// read into memory (every record's cells of those columns) and fitted as
/// a frame (model/frame.hpp), exactly.
engine_result fit_spline_frame(const mapped_file& map, const std::vector<std::string>& header,
                               const formula_request& req, const engine_options& o) {
  if (req.keep_stats) {
    throw usage_error(
        "a formula with ns() or bs() cannot be saved as a state (its knots are quantiles of "
        "the whole data, which shards cannot merge); fit the whole file, with --save for a "
        "model file");
  }
  // The row pass (augment, check, fit's hint) and the robust covariance's
  // sums run in the streaming passes, which this in-memory fit does not take:
  // refused, but fit's hint (a pass bounded in rows) just goes without.
  if (req.vcov != vcov_kind::constant) {
    throw usage_error(
        "--vcov other than const does not work yet with a formula with ns() or bs() (it is "
        "fitted in memory, without the pass that sums the robust covariance); use poly() or "
        "I() terms, or the default covariance");
  }
  if (req.rows != nullptr && req.rows->max_rows == static_cast<std::size_t>(-1)) {
    throw usage_error(
        "augment and check do not work yet with a formula with ns() or bs() (it is fitted in "
        "memory, without the pass over its rows); use poly() or I() terms");
  }
  memory_buffer buffer(map.begin(), map.end());
  std::istream in(&buffer);
  csv_reader reader(in, csv_options{o.delimiter, o.source, o.max_line_bytes});
  std::vector<std::string> first;
  reader.next(first);  // the header, read already (a byte order mark removed)
  const formula_rows rows = read_formula_rows(reader, header, req.formula, req.weights);
  std::vector<std::size_t> all(rows.records());
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
  engine_result out;
  const formula_frame frame = bind_frame(rows, all);
  out.fitted = fit_formula(frame, req.level);
  out.rows_read = rows.records();
  out.rows_dropped = frame.rows_dropped;
  return out;
}

engine_result fit_formula_mapped(mapped_file& map, const char* begin, std::size_t first_line,
                                 const std::vector<std::string>& header,
                                 const formula_request& request, const engine_options& o,
                                 std::uint64_t total_bytes) {
  engine_result out;
  formula_request req = request;
  if (req.formula.empty() && req.formula_of) req.formula = req.formula_of(header);
  // A formula names columns as R's lm sees read.csv's: made unique.
  out.header = unique_names(header);
  const parsed_formula parsed = parse_formula(req.formula, out.header);
  if (has_spline(parsed)) {
    engine_result r = fit_spline_frame(map, header, req, o);
    r.header = std::move(out.header);
    return r;
  }
  const std::vector<std::string> candidates = candidate_columns(parsed, req.weights);
  const prelude pre = read_prelude(begin, map.end(), o.delimiter, out.header, candidates);
  const unsigned threads = thread_count(o.threads);
  progress_line progress(o.progress, total_bytes);
  std::set<std::string> more_text;
  for (;;) {
    const formula_plan plan = make_plan(req, out.header, pre, more_text);
    const layout l = formula_layout(plan, out.header.size(), o.delimiter);
    formula_merger merged{o, plan, out.header, candidates, first_line, formula_stats(plan)};
    // A formula the -y/-x first pass fits (y ~ x1 + x2, say) takes its loop.
    const std::optional<plain_pass> plain = plain_route(plan, out.header.size(), o.delimiter);
    std::function<formula_pass1(const task&)> work = [&](const task& t) {
      return plain ? run_plain_pass1(t, *plain, plan) : run_formula_pass1(t, l, plan);
    };
    std::function<void(const task&, formula_pass1&)> consume = [&](const task&, formula_pass1& r) {
      merged.add(r);
    };
    try {
      run_mapped<formula_pass1>(map, begin, o, threads, work, consume, progress);
    } catch (const kind_conflict& k) {
      more_text.insert(k.column);
      continue;
    }
    if (req.keep_stats) req.keep_stats(plan, merged.stats);
    bool near_exact = false;
    out.fitted = merged.stats.finish(req.level, &near_exact);
    out.rows_read = merged.stats.records;
    out.rows_dropped = merged.stats.dropped;
    formula_second_pass(out, near_exact, &map, begin, l, plan, o, threads, progress, req);
    if (req.rows != nullptr && out.fitted.fit.nobs <= static_cast<double>(req.rows->max_rows) &&
        out.fitted.fit.k() <= req.rows->max_terms) {
      run_row_pass(out.fitted, plan, map, begin, l, o, threads, progress, *req.rows);
    }
    return out;
  }
}

/// Fits sharing their passes over one file (fit_formulas_mapped) cannot
/// here: they are fitted one after another instead.
struct not_shared {};

/// A first pass over the union of several fits' columns met a column that
/// some fit reads as numbers holding text (its 0-based field).
struct shared_conflict {
  std::size_t field;
};

/// A fit's own record (its layout's slots) within a record read with the
/// union of several fits' columns.
struct record_view {
  std::vector<std::size_t> from;  ///< per own slot: its slot in the union
  record_values r;
  explicit record_view(std::vector<std::size_t> slots) : from(std::move(slots)), r(from.size()) {}
  record_values& of(const record_values& u) {
    for (std::size_t s = 0; s < from.size(); ++s) {
      r.value[s] = u.value[from[s]];
      r.kind[s] = u.kind[from[s]];
      r.text[s] = u.text[from[s]];
    }
    return r;
  }
};

layout union_layout(std::size_t columns, char delim) {
  layout u;
  u.delimiter = delim;
  u.columns = columns;
  u.slot.assign(columns, -1);
  u.text.assign(columns, 0);
  return u;
}

/// Adds the fields `l` reads to the union `u`; returns, per slot of `l`,
/// its slot in `u`. Throws not_shared when `u` reads one of them otherwise
/// (as text where `l` reads numbers, or the other way round).
std::vector<std::size_t> join_layout(layout& u, const layout& l) {
  std::vector<std::size_t> from;
  for (std::size_t s = 0; s < l.slots(); ++s) {
    const std::size_t f = l.index[s];
    const char text = l.text.empty() ? 0 : l.text[f];
    if (u.slot[f] < 0) {
      u.slot[f] = static_cast<int>(u.index.size());
      u.index.push_back(f);
      u.name.push_back(l.name[s]);
      u.text[f] = text;
    } else if (u.text[f] != text) {
      throw not_shared{};
    }
    from.push_back(static_cast<std::size_t>(u.slot[f]));
  }
  return from;
}

/// One fit of several sharing their passes.
struct member {
  std::size_t request = 0;  ///< its index among the requests
  formula_request req;
  std::vector<std::string> candidates;  ///< see candidate_columns
  prelude pre;
  std::set<std::string> more_text;
  std::optional<formula_plan> plan;
  layout l;                         ///< the formula's layout (the second pass's)
  std::optional<plain_pass> plain;  ///< the -y/-x first pass, when it takes it
  std::vector<std::size_t> from;    ///< per slot of its first pass's layout: the union's
  bool near_exact = false;
};

/// The first pass's sink for a chunk of several fits: each record of the
/// union's columns handed to every fit as its own pass would take it.
struct shared_sink1 {
  std::vector<record_view> views;
  std::vector<formula_stats> stats;                // per fit (not a plain one's)
  std::vector<std::unique_ptr<pass1_rows>> plain;  // per fit: a plain one's rows
  bool take_record(record_values& u, std::size_t line, chunk_error& err) {
    for (std::size_t i = 0; i < views.size(); ++i) {
      record_values& r = views[i].of(u);
      if (plain[i]) {
        bool missing = false;
        for (const cell_kind k : r.kind) missing = missing || k == cell_kind::missing;
        plain[i]->row(r.value.data(), missing);
        continue;
      }
      try {
        stats[i].add_record(r.value.data(), r.kind.data(), r.text.data());
      } catch (const data_error& e) {
        err.raise(e.what(), line);
        return false;
      }
    }
    return true;
  }
};

shared_pass1 run_shared_pass1(const task& t, const layout& u, const std::vector<member>& ms) {
  shared_sink1 sink;
  for (const member& m : ms) {
    sink.views.emplace_back(m.from);
    sink.stats.push_back(m.plain ? formula_stats() : formula_stats(*m.plan));
    sink.plain.push_back(m.plain ? make_pass1_rows(m.plain->spec) : nullptr);
  }
  shared_pass1 r;
  const std::size_t lines = scan_chunk(t.begin, t.end, t.quoted, u, r.error, sink);
  for (std::size_t i = 0; i < ms.size(); ++i) {
    formula_pass1& p = r.each.emplace_back();
    p.lines = lines;
    if (!sink.plain[i]) {
      p.stats = std::move(sink.stats[i]);
      continue;
    }
    p.stats = formula_stats(*ms[i].plan);  // as run_plain_pass1
    if (r.error.set) continue;
    const pass1_result q = sink.plain[i]->finish();
    p.stats.add_plain(q.state, q.min, q.max, q.records, q.dropped);
  }
  return r;
}

/// The fits' first pass, shared: one scan of each chunk with the union of
/// their columns. Fills each fit's model, or throws shared_conflict,
/// not_shared or the error of a fit's plan.
void shared_first_pass(std::vector<member>& ms, std::vector<engine_result>& outs, mapped_file& map,
                       const char* begin, std::size_t first_line, const engine_options& o,
                       unsigned threads, progress_line& progress) {
  const std::vector<std::string>& header = outs[ms.front().request].header;
  layout u = union_layout(header.size(), o.delimiter);
  std::vector<formula_merger> merged;
  for (member& m : ms) {
    m.plan.emplace(make_plan(m.req, header, m.pre, m.more_text));
    m.l = formula_layout(*m.plan, header.size(), o.delimiter);
    m.plain = plain_route(*m.plan, header.size(), o.delimiter);
    m.from = join_layout(u, m.plain ? m.plain->l : m.l);
    merged.push_back(
        formula_merger{o, *m.plan, header, m.candidates, first_line, formula_stats(*m.plan)});
  }
  std::function<shared_pass1(const task&)> work = [&](const task& t) {
    return run_shared_pass1(t, u, ms);
  };
  std::function<void(const task&, shared_pass1&)> consume = [&](const task&, shared_pass1& r) {
    if (r.error.set) {
      if (r.error.column > 0 && r.error.column <= header.size()) {
        throw shared_conflict{r.error.column - 1};
      }
      throw not_shared{};
    }
    for (std::size_t i = 0; i < ms.size(); ++i) merged[i].add(r.each[i]);
  };
  run_mapped<shared_pass1>(map, begin, o, threads, work, consume, progress);
  for (std::size_t i = 0; i < ms.size(); ++i) {
    engine_result& out = outs[ms[i].request];
    out.fitted = merged[i].stats.finish(ms[i].req.level, &ms[i].near_exact);
    out.rows_read = merged[i].stats.records;
    out.rows_dropped = merged[i].stats.dropped;
  }
}

/// A column found to hold text in the shared first pass: each fit that
/// reads it as numbers reads it as a factor from now on, as its own pass
/// would; when one cannot (it is no bare variable there), not_shared.
void take_conflict(std::vector<member>& ms, const std::vector<std::string>& header,
                   std::size_t field) {
  const std::string& name = header.at(field);
  for (member& m : ms) {
    const layout& l = m.plain ? m.plain->l : m.l;
    if (l.slot[field] < 0) continue;
    if (std::find(m.candidates.begin(), m.candidates.end(), name) == m.candidates.end()) {
      throw not_shared{};
    }
    m.more_text.insert(name);
  }
}

/// The second pass's sink for a chunk of several fits.
struct shared_sink2 {
  std::vector<record_view> views;
  std::vector<residual_sink> sinks;
  bool take_record(record_values& u, std::size_t line, chunk_error& err) {
    for (std::size_t i = 0; i < views.size(); ++i) {
      if (!sinks[i].take_record(views[i].of(u), line, err)) return false;
    }
    return true;
  }
};

/// One second pass, shared: one scan of each chunk with the union of the
/// columns of the fits `running` (members), each wanting `wants[k]`.
void run_shared_pass2(const std::vector<const member*>& running,
                      const std::vector<pass2_wants>& wants, std::vector<engine_result>& outs,
                      mapped_file& map, const char* begin, const engine_options& o,
                      unsigned threads, progress_line& progress) {
  layout u = union_layout(outs[running.front()->request].header.size(), o.delimiter);
  std::vector<meat_plan> meats;
  std::vector<std::vector<std::size_t>> from;
  meats.reserve(running.size());
  for (const member* m : running) {
    const auto [l2, meat] = robust_layout(m->l, m->req, outs[m->request].header);
    meats.push_back(meat);
    from.push_back(join_layout(u, l2));
  }
  std::vector<pass2_sums> sums;
  sums.reserve(running.size());
  for (std::size_t k = 0; k < running.size(); ++k) {
    const member& m = *running[k];
    sums.emplace_back(outs[m.request].fitted, *m.plan, wants[k], meats[k], m.req);
  }
  std::function<shared_pass2(const task&)> work = [&](const task& t) {
    shared_sink2 sink;
    for (std::size_t k = 0; k < sums.size(); ++k) {
      sink.views.emplace_back(from[k]);
      sink.sinks.push_back(sums[k].sink());
    }
    shared_pass2 r;
    (void)scan_chunk(t.begin, t.end, t.quoted, u, r.error, sink);
    for (auto& s : sink.sinks) r.each.push_back(std::move(s.out));
    return r;
  };
  std::function<void(const task&, shared_pass2&)> consume = [&](const task&, shared_pass2& r) {
    if (r.error.set) throw not_shared{};
    for (std::size_t k = 0; k < sums.size(); ++k) sums[k].add(r.each[k]);
  };
  run_mapped<shared_pass2>(map, begin, o, threads, work, consume, progress);
  for (std::size_t k = 0; k < sums.size(); ++k) sums[k].finish(outs[running[k]->request].fitted);
}

/// The fits' models as they stand, for a leverage_choice.
std::size_t choose_from(const leverage_choice& choose, const std::vector<engine_result>& outs) {
  std::vector<model> now;
  for (const auto& r : outs) now.push_back(r.fitted);
  return choose(now);
}

/// The second pass of the fits that need one (second_pass_wants), shared.
/// With `choose`, only the chosen fit's largest leverage is found; when the
/// pass's exact sums make another the choice, a pass more finds its own.
void shared_second_pass(std::vector<member>& ms, std::vector<engine_result>& outs, mapped_file& map,
                        const char* begin, const engine_options& o, unsigned threads,
                        progress_line& progress, const leverage_choice& choose) {
  const bool choosing = choose && o.need_max_leverage;
  const std::size_t chosen = choosing ? choose_from(choose, outs) : 0;
  std::vector<pass2_wants> wants;
  std::vector<const member*> running;
  for (const member& m : ms) {
    pass2_wants w = second_pass_wants(outs[m.request], m.near_exact, true, o, m.req);
    if (choosing) w.leverage = m.request == chosen;
    if (!w.run) continue;
    wants.push_back(w);
    running.push_back(&m);
  }
  if (!running.empty()) run_shared_pass2(running, wants, outs, map, begin, o, threads, progress);
  if (!choosing) return;
  const std::size_t now = choose_from(choose, outs);
  for (const member& m : ms) {
    if (m.request != now || now == chosen) continue;
    pass2_wants w;
    w.leverage = w.run = true;  // the sum of squares again, the same bits
    run_shared_pass2({&m}, {w}, outs, map, begin, o, threads, progress);
  }
}

/// Several formulas fitted with shared passes (see fit_formulas_csv_file);
/// throws not_shared, or any error, when they must be fitted one by one.
std::vector<engine_result> fit_shared(mapped_file& map, const char* begin, std::size_t first_line,
                                      const std::vector<std::string>& header,
                                      const std::vector<formula_request>& requests,
                                      const engine_options& o, std::uint64_t total_bytes,
                                      const leverage_choice& choose) {
  std::vector<engine_result> outs(requests.size());
  std::vector<member> ms;
  for (std::size_t i = 0; i < requests.size(); ++i) {
    formula_request req = requests[i];
    if (req.keep_stats || req.rows != nullptr) throw not_shared{};
    if (req.formula.empty() && req.formula_of) req.formula = req.formula_of(header);
    outs[i].header = unique_names(header);
    const parsed_formula parsed = parse_formula(req.formula, outs[i].header);
    if (has_spline(parsed)) {  // fitted in memory, alone
      engine_result r = fit_spline_frame(map, header, req, o);
      r.header = std::move(outs[i].header);
      outs[i] = std::move(r);
      continue;
    }
    member& m = ms.emplace_back();
    m.request = i;
    m.candidates = candidate_columns(parsed, req.weights);
    m.pre = read_prelude(begin, map.end(), o.delimiter, outs[i].header, m.candidates);
    m.req = std::move(req);
  }
  if (ms.empty()) return outs;
  const unsigned threads = thread_count(o.threads);
  progress_line progress(o.progress, total_bytes);
  for (;;) {
    try {
      shared_first_pass(ms, outs, map, begin, first_line, o, threads, progress);
    } catch (const shared_conflict& c) {
      take_conflict(ms, outs[ms.front().request].header, c.field);
      continue;
    }
    break;
  }
  shared_second_pass(ms, outs, map, begin, o, threads, progress, choose);
  return outs;
}

formula_fits fit_formulas_mapped(mapped_file& map, const char* begin, std::size_t first_line,
                                 const std::vector<std::string>& header,
                                 const std::vector<formula_request>& requests,
                                 const engine_options& o, std::uint64_t total_bytes,
                                 const leverage_choice& choose) {
  formula_fits out;
  try {
    out.fits = fit_shared(map, begin, first_line, header, requests, o, total_bytes, choose);
    out.shared = true;
    return out;
  } catch (const not_shared&) {
  } catch (const regress::error&) {
    // The fits one by one say which fails first, after which others.
  }
  for (const auto& req : requests) {
    try {
      out.fits.push_back(fit_formula_mapped(map, begin, first_line, header, req, o, total_bytes));
    } catch (...) {
      out.failure = std::current_exception();
      break;
    }
  }
  return out;
}
}  // namespace
}  // namespace engine

engine_result fit_formula_csv_file(const std::string& path, const formula_request& req,
                                   const engine_options& options) {
  return engine::fit_path(
      path, options,
      [&](std::istream& in, const engine_options& o) { return fit_formula_csv_stream(in, req, o); },
      [&](engine::mapped_input& in, const engine_options& o, std::uint64_t bytes) {
        return engine::fit_formula_mapped(in.map, in.begin, in.first_line, in.header, req, o,
                                          bytes);
      });
}

namespace engine {
namespace {
/// Copies a stream whole to an unlinked temporary file in
/// options.spool_dir (a formula's two passes, and a re-read when a column
/// turns out to hold text, need the rows again), maps it and hands it, its
/// first record, first line and header to `fit`.
template <class Fit>
auto fit_spooled(std::istream& in, const engine_options& options, const Fit& fit) {
  spool copy(options.spool_dir, options.spool_bytes);
  copy.keep_all();
  std::vector<char> buffer(std::size_t(1) << 20);
  std::streambuf* src = in.rdbuf();
  for (;;) {
    const auto wanted = static_cast<std::streamsize>(buffer.size());
    const std::streamsize n = src->sgetn(buffer.data(), wanted);
    if (n > 0) copy.write(buffer.data(), static_cast<std::size_t>(n));
    if (n < wanted) break;  // the end: a terminal's Ctrl-D is not given twice
  }
  mapped_file map = copy.map();
  std::vector<std::string> header;
  std::size_t header_lines = 0;
  const char* begin = read_header(map.begin(), map.end(), options, header, header_lines);
  return fit(map, begin, header_lines + 1, header);
}
}  // namespace
}  // namespace engine

engine_result fit_formula_csv_stream(std::istream& in, const formula_request& req,
                                     const engine_options& options) {
  return engine::fit_spooled(in, options,
                             [&](engine::mapped_file& map, const char* begin,
                                 std::size_t first_line, const std::vector<std::string>& header) {
                               return engine::fit_formula_mapped(map, begin, first_line, header,
                                                                 req, options, 0);
                             });
}

formula_fits fit_formulas_csv_file(const std::string& path,
                                   const std::vector<formula_request>& requests,
                                   const engine_options& options, const leverage_choice& choose) {
  formula_fits out;
  engine::fit_path(
      path, options,
      [&](std::istream& in, const engine_options& o) {
        out = fit_formulas_csv_stream(in, requests, o, choose);
        return engine_result{};
      },
      [&](engine::mapped_input& in, const engine_options& o, std::uint64_t bytes) {
        out = engine::fit_formulas_mapped(in.map, in.begin, in.first_line, in.header, requests, o,
                                          bytes, choose);
        return engine_result{};
      });
  return out;
}

formula_fits fit_formulas_csv_stream(std::istream& in, const std::vector<formula_request>& requests,
                                     const engine_options& options, const leverage_choice& choose) {
  return engine::fit_spooled(in, options,
                             [&](engine::mapped_file& map, const char* begin,
                                 std::size_t first_line, const std::vector<std::string>& header) {
                               return engine::fit_formulas_mapped(map, begin, first_line, header,
                                                                  requests, options, 0, choose);
                             });
}

}  // namespace regress
