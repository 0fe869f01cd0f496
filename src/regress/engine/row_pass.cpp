// A caller's own pass over the rows of a fitted formula (engine.hpp's
// row_pass): the rows are read as the second pass reads them, each used row's
// design values handed to the caller's per-chunk gatherer, and the chunks
// handed back in file order.

#include <algorithm>
#include <functional>
#include <utility>
#include <vector>

#include "regress/engine/chunk_runs.hpp"
#include "regress/engine/engine.hpp"
#include "regress/engine/formula_passes.hpp"
#include "regress/engine/records.hpp"
#include "regress/engine/scan.hpp"
#include "regress/error.hpp"
#include "regress/model/formula_stats.hpp"
#include "regress/model/frame.hpp"

namespace regress::engine {
namespace {

struct row_sink {
  const model& m;
  const formula_plan& plan;
  row_chunk& chunk;
  std::size_t records = 0;
  row_values row;
  std::vector<char> known;
  std::vector<dd> full;
  std::vector<double> kept;

  bool take_record(record_values& r, std::size_t line, chunk_error& err) {
    const std::size_t record = records++;
    if (!fill_row(plan, r.value.data(), r.kind.data(), r.text.data(), row, known)) return true;
    try {
      const double w =
          plan.weight_index < row.numbers.size() ? double(row.numbers[plan.weight_index]) : 1.0;
      full.resize(m.slope_terms.size());
      design_row(*m.terms, row, full.data(), nullptr);
      keep_columns(m, full.data(), kept);
      fitted_row f;
      f.record = record;
      f.values = &row;
      f.kept = kept.data();
      f.y = double(response_value(*m.terms, row));
      f.weight = w;
      chunk.add(f);
    } catch (const data_error& e) {
      err.raise(e.what(), line);
      return false;
    }
    return true;
  }
};

}  // namespace

void run_row_pass(const model& m, const formula_plan& plan, mapped_file& map, const char* begin,
                  const layout& l, const engine_options& o, unsigned threads,
                  progress_line& progress, const row_pass& pass) {
  // What a chunk gathers can be several times its bytes (augment formats a
  // dozen numbers per row): smaller chunks keep the chunks in flight small.
  engine_options small = o;
  small.chunk_bytes = std::min<std::size_t>(o.chunk_bytes, std::size_t(256) << 10);
  std::size_t records_before = 0;
  const std::function<formula_row_pass(const task&)> work = [&](const task& t) {
    formula_row_pass out;
    out.chunk = pass.start(m);
    row_sink sink{m, plan, *out.chunk, 0, {}, {}, {}, {}};
    scan_chunk(t.begin, t.end, t.quoted, l, out.error, sink);
    out.record_count = sink.records;
    return out;
  };
  const std::function<void(const task&, formula_row_pass&)> consume = [&](const task&,
                                                                          formula_row_pass& r) {
    if (r.error.set) throw data_error(r.error.message, small.source);
    pass.finish(*r.chunk, records_before);
    records_before += r.record_count;
  };
  run_mapped<formula_row_pass>(map, begin, small, threads, work, consume, progress);
}

}  // namespace regress::engine
