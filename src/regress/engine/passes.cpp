#include "regress/engine/passes.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <functional>
#include <numeric>
#include <stdexcept>
#include <utility>

#include "regress/engine/accumulate.hpp"
#include "regress/engine/chunk_runs.hpp"
#include "regress/engine/pipeline.hpp"
#include "regress/engine/progress.hpp"
#include "regress/engine/records.hpp"
#include "regress/engine/wide_accumulate.hpp"
#include "regress/error.hpp"

namespace regress::engine {
namespace {

/// Merges chunk results in order; raises the first error with its absolute line.
struct pass1_merger {
  const engine_options& o;
  std::size_t np;
  std::size_t line = 0;  // absolute 1-based line of the next chunk's first line
  ols_state state;
  std::size_t records = 0, dropped = 0;
  std::vector<double> min, max, extremes;

  pass1_merger(const engine_options& opts, const model_spec& spec, std::size_t first_line)
      : o(opts),
        np(spec.predictors.size()),
        line(first_line),
        state(spec.predictors.size(), spec.degree, spec.intercept),
        min(np, HUGE_VAL),
        max(np, -HUGE_VAL),
        extremes(2 * np * np, 0.0) {}

  void add(pass1_result& r) {
    if (r.error.set) {
      throw data_error(r.error.message, o.source, line + r.error.line, r.error.column);
    }
    state.merge(r.state);
    records += r.records;
    dropped += r.dropped;
    for (std::size_t j = 0; j < np; ++j) {
      if (r.min[j] < min[j]) {
        min[j] = r.min[j];
        std::copy_n(r.extremes.begin() + static_cast<std::ptrdiff_t>(2 * j * np), np,
                    extremes.begin() + static_cast<std::ptrdiff_t>(2 * j * np));
      }
      if (r.max[j] > max[j]) {
        max[j] = r.max[j];
        std::copy_n(r.extremes.begin() + static_cast<std::ptrdiff_t>((2 * j + 1) * np), np,
                    extremes.begin() + static_cast<std::ptrdiff_t>((2 * j + 1) * np));
      }
    }
    line += r.lines;
  }
};

/// The predictors' ranges from the merged first pass.
std::vector<predictor_range> ranges_of(const model_spec& spec, const pass1_merger& m) {
  std::vector<predictor_range> ranges;
  for (std::size_t j = 0; j < m.np; ++j) {
    predictor_range r;
    r.name = spec.predictors[j];
    r.min = m.min[j];
    r.max = m.max[j];
    ranges.push_back(r);
  }
  return ranges;
}

/// The rows with the extreme value of each predictor, from the merged first pass.
extreme_rows extremes_of(const pass1_merger& m) {
  extreme_rows ext;
  for (std::size_t e = 0; e < 2 * m.np; ++e) {
    ext.emplace_back(m.extremes.begin() + static_cast<std::ptrdiff_t>(e * m.np),
                     m.extremes.begin() + static_cast<std::ptrdiff_t>((e + 1) * m.np));
  }
  return ext;
}

/// The model from the merged first pass, before any second pass.
model first_model(const model_spec& spec, const pass1_merger& m) {
  if (m.state.n() == 0) {
    throw data_error(m.records == 0 ? "no data rows; the file has only a header"
                                    : "no complete rows: every row has a missing value in a "
                                      "column the model uses");
  }
  return model_from_state(spec, m.state, ranges_of(spec, m), extremes_of(m), m.dropped);
}

bool wants_exact_leverage(const model_spec& spec, const engine_options& o) {
  return o.need_max_leverage && (spec.predictors.size() > 1 || spec.degree > 1);
}

/// Decides on and runs the second pass over a mapping; fills the result.
void finish_with_rows(engine_result& out, mapped_file* map, const char* begin, const layout& l,
                      const engine_options& o, unsigned threads, progress_line& progress) {
  model& m = out.fitted;
  const bool leverage_wanted = wants_exact_leverage(m.spec, o);
  const bool residuals_wanted = m.fit.nobs <= static_cast<double>(o.quantile_rows);
  ols_state& state = out.state;
  const bool rss_wanted = needs_residual_pass(state, m.fit);
  if (!residuals_wanted) m.residuals_note = too_many_rows_for_residuals(o.quantile_rows);
  std::vector<const ols_fit*> also;
  for (const model& a : out.also) also.push_back(&a.fit);
  if (!leverage_wanted && !residuals_wanted && !rss_wanted && also.empty()) return;
  if (map == nullptr) {  // a stream too big to have been kept, or no place to keep it
    if (residuals_wanted) {
      m.residuals_note = "not shown: standard input was not kept for a second pass";
      out.warnings.push_back(
          "standard input was not kept for a second pass (it is over " +
          std::to_string(o.spool_bytes >> 20) +
          " MiB, or no temporary file could hold it): the Residuals block is left out; give "
          "the data as a file to see it");
    }
    if (leverage_wanted) {
      out.warnings.push_back(
          "standard input could not be kept for a second pass: the saved largest training "
          "leverage is bounded from the rows with extreme predictor values, not exact; give "
          "the data as a file for it");
    }
    if (rss_wanted) {
      out.warnings.push_back(
          "the fit is near-exact, and standard input was too big to keep for a second pass: "
          "the residual sum of squares (so sigma, the standard errors and R squared) comes "
          "from the one pass and may have lost digits; give the data as a file for all of them");
    }
    return;
  }
  out.second_pass = true;
  dd rss;
  double max_lev = 0;
  std::vector<double> residuals;
  std::vector<std::size_t> row_numbers;  // 1-based data-row number of each residual
  std::size_t records_before = 0;
  const ols_fit& fit = m.fit;
  std::vector<dd> also_rss(also.size());
  std::vector<double> also_lev(also.size());
  std::function<pass2_result(const task&)> work = [&](const task& t) {
    return run_pass2(t, l, fit, leverage_wanted, residuals_wanted, also);
  };
  std::function<void(const task&, pass2_result&)> consume = [&](const task&, pass2_result& r) {
    rss += r.rss;
    max_lev = std::max(max_lev, r.max_leverage);
    for (std::size_t i = 0; i < also.size(); ++i) {
      also_rss[i] += r.also_rss[i];
      also_lev[i] = std::max(also_lev[i], r.also_max_leverage[i]);
    }
    residuals.insert(residuals.end(), r.residuals.begin(), r.residuals.end());
    for (std::size_t k : r.records) row_numbers.push_back(records_before + k + 1);
    records_before += r.record_count;
  };
  run_mapped<pass2_result>(*map, begin, o, threads, work, consume, progress);
  // The rows are at hand: the residual sum of squares from them keeps every
  // digit even for a near-exact fit.
  m.fit.rss = rss;
  if (leverage_wanted) m.max_leverage = max_lev;
  for (std::size_t i = 0; i < also.size(); ++i) {
    out.also[i].fit.rss = also_rss[i];
    if (out.also[i].spec.degree > 1) out.also[i].max_leverage = also_lev[i];
  }
  if (residuals_wanted && !residuals.empty())
    set_residual_summary(m, std::move(residuals), row_numbers);
}

void take_first_pass(engine_result& out, const model_spec& spec, pass1_merger& merged) {
  try {
    out.fitted = first_model(spec, merged);
  } catch (const regress::error& e) {
    // A shard that cannot be solved alone (too few rows, a term constant in
    // it, no complete rows at all) still has a well-defined state, which
    // merges exactly (an empty one as nothing).
    const bool unsolvable =
        dynamic_cast<const model_error*>(&e) != nullptr ||
        (dynamic_cast<const data_error*>(&e) != nullptr && merged.state.n() == 0);
    if (!merged.o.keep_unsolvable || !unsolvable) throw;
    out.unsolved = e.what();
    out.fitted = model{};
    out.fitted.spec = spec;
    out.fitted.rows_dropped = merged.dropped;
    out.fitted.ranges = ranges_of(spec, merged);
  }
  out.state = merged.state;
  if (out.unsolved.empty()) {
    for (const int d : merged.o.also_degrees) {
      if (merged.np != 1 || d < 1 || d >= spec.degree) {
        throw std::invalid_argument("also_degrees: lower degrees of one predictor only");
      }
      model_spec s = spec;
      s.degree = d;
      std::vector<std::size_t> keep(static_cast<std::size_t>(d));
      std::iota(keep.begin(), keep.end(), std::size_t{0});
      // The leading powers' sums, as the state of a degree-d polynomial in
      // the one predictor (select() would make d separate predictors).
      const ols_state picked = merged.state.select(keep);
      const ols_state lower = ols_state::from_parts(1, d, spec.intercept, picked.n(),
                                                    picked.shift(), picked.sums(), picked.cross());
      out.also.push_back(
          model_from_state(s, lower, ranges_of(spec, merged), extremes_of(merged), merged.dropped));
    }
  }
  out.rows_read = merged.records;
  out.rows_dropped = merged.dropped;
  out.extremes = extremes_of(merged);
}

/// The first pass over a stream: chunks cut from its buffers, copied to the
/// spool, and read in place by the workers until their buffers are recycled.
void stream_first_pass(stream_chunks& chunks, spool& copy, const layout& l, const model_spec& spec,
                       unsigned threads, pass1_merger& merged, progress_line& progress,
                       std::vector<task>& held) {
  chunk_pipeline<pass1_result> pipeline(
      threads, stream_window(threads), [&](const task& t) { return run_pass1(t, l, spec); },
      [&](const task& t, pass1_result& r) {
        merged.add(r);
        if (t.buffer >= 0) chunks.recycle(t.buffer);
        progress.update(t.offset);
        return next_step::go_on;
      });
  for (const task& h : held) pipeline.submit(h);
  task t;
  for (;;) {
    try {
      if (!chunks.cut(t)) break;
    } catch (const record_too_long&) {
      // The chunks before it are whole records: once they are merged, the
      // line count is where the long record starts.
      pipeline.finish();
      throw data_error(too_long_message("the record", merged.o.max_line_bytes), merged.o.source,
                       merged.line);
    }
    copy.write(t.begin, static_cast<std::size_t>(t.end - t.begin));
    while (!chunks.buffer_free()) pipeline.wait_one();
    chunks.pass_on(t);
    pipeline.submit(t);
  }
  pipeline.finish();
}

/// A wide model's first chunks of a stream, cut, copied and passed on but
/// held back from the workers until they hold more lines than the model has
/// parameters (or every buffer is held): a stream too short for the model
/// is refused before any O(k^2) state is allocated.
std::vector<task> hold_first_chunks(stream_chunks& chunks, spool& copy, std::size_t parameters,
                                    const std::string& source) {
  std::vector<task> held;
  std::size_t lines = 0;
  task t;
  while (chunks.buffer_free() && chunks.cut(t)) {
    copy.write(t.begin, static_cast<std::size_t>(t.end - t.begin));
    lines += count_lines(t.begin, t.end, parameters);
    chunks.pass_on(t);
    held.push_back(t);
    if (lines > parameters) return held;
  }
  if (chunks.buffer_free()) refuse_short_input(lines, parameters, source);  // the stream ended
  return held;
}

}  // namespace

std::size_t stream_window(unsigned threads) {
  return threads > 1 ? 2 * std::size_t{threads} + 2 : 1;
}

engine_result fit_mapped(mapped_file& map, const char* begin, std::size_t first_line,
                         std::vector<std::string> header, const column_chooser& choose,
                         const engine_options& options, std::uint64_t total_bytes) {
  engine_options o = options;
  engine_result out;
  out.header = std::move(header);
  const column_choice choice = choose(out.header);
  validate(choice.spec);
  const layout l = make_layout(choice, out.header.size(), o.delimiter);
  const std::size_t terms = choice.spec.predictors.size() + std::size_t(choice.spec.degree) - 1;
  if (terms >= wide_terms && !o.keep_unsolvable) {
    const std::size_t parameters = terms + (choice.spec.intercept ? 1 : 0);
    const std::size_t lines = count_lines(begin, map.end(), parameters);
    if (lines <= parameters) refuse_short_input(lines, parameters, o.source);
  }
  const unsigned threads = wide_threads(terms, thread_count(o.threads));
  if (terms >= wide_terms) {
    // Each chunk of a wide model ends in an O(k^2) state to merge: a few
    // big chunks per thread (up to 16 MiB) rather than one every 2 MiB.
    const auto share = static_cast<std::size_t>(map.end() - begin) / (2 * std::size_t{threads});
    o.chunk_bytes = std::max(o.chunk_bytes, std::min(share, std::size_t{16} << 20));
  }
  progress_line progress(o.progress, total_bytes);
  pass1_merger merged(o, choice.spec, first_line);
  std::function<pass1_result(const task&)> work = [&](const task& t) {
    return run_pass1(t, l, choice.spec);
  };
  std::function<void(const task&, pass1_result&)> consume = [&](const task&, pass1_result& r) {
    merged.add(r);
  };
  run_mapped<pass1_result>(map, begin, o, threads, work, consume, progress);
  take_first_pass(out, choice.spec, merged);
  if (out.unsolved.empty()) finish_with_rows(out, &map, begin, l, o, threads, progress);
  return out;
}

engine_result fit_stream(stream_chunks& chunks, spool& copy, std::size_t first_line,
                         std::vector<std::string> header, const column_chooser& choose,
                         const engine_options& o) {
  engine_result out;
  out.header = std::move(header);
  const column_choice choice = choose(out.header);
  validate(choice.spec);
  const layout l = make_layout(choice, out.header.size(), o.delimiter);
  out.warnings = copy.warnings();
  if (wants_exact_leverage(choice.spec, o) && copy.usable()) copy.keep_all();
  const std::size_t terms = choice.spec.predictors.size() + std::size_t(choice.spec.degree) - 1;
  const unsigned threads = wide_threads(terms, thread_count(o.threads));
  std::vector<task> held;
  if (terms >= wide_terms && !o.keep_unsolvable) {
    held = hold_first_chunks(chunks, copy, terms + (choice.spec.intercept ? 1 : 0), o.source);
  }
  progress_line progress(o.progress, 0);
  pass1_merger merged(o, choice.spec, first_line);
  stream_first_pass(chunks, copy, l, choice.spec, threads, merged, progress, held);
  take_first_pass(out, choice.spec, merged);
  // The second pass, when one is needed, maps the spool.
  if (!out.unsolved.empty()) return out;
  if (!copy.kept()) {
    finish_with_rows(out, nullptr, nullptr, l, o, threads, progress);
    return out;
  }
  mapped_file map = copy.map();
  finish_with_rows(out, &map, map.begin(), l, o, threads, progress);
  return out;
}

}  // namespace regress::engine
