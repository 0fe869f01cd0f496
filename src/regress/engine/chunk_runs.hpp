#pragma once
// Internal to the engine: running the chunks of a mapped input through a
// pipeline of worker threads (both passes, plain and formula fits).

#include <algorithm>
#include <cstring>
#include <functional>

#include "regress/engine/engine.hpp"
#include "regress/engine/input.hpp"
#include "regress/engine/pipeline.hpp"
#include "regress/engine/progress.hpp"
#include "regress/engine/records.hpp"
#include "regress/error.hpp"

namespace regress::engine {

/// Cuts [s, map.end()) into chunks for `pipeline` (see run_chunks) and
/// waits for them all.
template <class Result>
void submit_chunks(chunk_pipeline<Result>& pipeline, mapped_file& map, const char* s, bool careful,
                   const engine_options& o) {
  const char* end = map.end();
  const std::size_t chunk = std::max<std::size_t>(o.chunk_bytes, 1);
  std::size_t index = 0;
  while (s < end) {
    task t;
    t.index = index++;
    t.begin = s;
    if (static_cast<std::size_t>(end - s) <= chunk) {
      t.end = end;
      t.quoted = careful && std::memchr(s, '"', static_cast<std::size_t>(end - s)) != nullptr;
    } else if (careful) {
      t.end = find_cut(s, s + chunk, end, o.delimiter, t.quoted);
    } else {
      const auto* nl = static_cast<const char*>(std::memchr(
          s + chunk, '\n', static_cast<std::size_t>(end - s - static_cast<std::ptrdiff_t>(chunk))));
      t.end = nl == nullptr ? end : nl + 1;
    }
    t.offset = static_cast<std::uint64_t>(t.end - map.begin());
    if (!pipeline.submit(t)) break;
    s = t.end;
  }
  pipeline.finish();
}

/// One run of the chunks of [s, map.end()) through a pipeline. Returns null
/// when every chunk was consumed, else the start of the first chunk (in file
/// order) that met a quote on the quote-free path: it started at a true
/// record boundary, and the input must be cut again from there knowing the
/// quoting (`careful`: find_cut).
template <class Result>
const char* run_chunks(mapped_file& map, const char* s, bool careful, const engine_options& o,
                       unsigned threads, const std::function<Result(const task&)>& work,
                       const std::function<void(const task&, Result&)>& consume,
                       progress_line& progress) {
  const char* recut_at = nullptr;
  const std::function<Result(const task&)> populated = [&](const task& t) {
    mapped_file::populate(t.begin, t.end);
    return work(t);
  };
  chunk_pipeline<Result> pipeline(threads, 2 * threads + 2, populated,
                                  [&](const task& t, Result& r) {
                                    // A chunk read after the file shrank
                                    // holds zeros: never trust it.
                                    map.check_unchanged(o.source);
                                    if (r.error.quote) {
                                      recut_at = t.begin;
                                      return next_step::stop;
                                    }
                                    consume(t, r);
                                    map.release(t.end);
                                    progress.update(t.offset);
                                    return next_step::go_on;
                                  });
  try {
    submit_chunks(pipeline, map, s, careful, o);
  } catch (...) {
    map.check_unchanged(o.source);  // the file's change caused it: say that instead
    throw;
  }
  map.check_unchanged(o.source);
  return recut_at;
}

/// Cuts [begin, end) of a mapping into chunks and runs them through a
/// pipeline. Cutting is optimistic: at the first line break after each
/// chunk_bytes, without reading the chunk (a serial scan of the whole file
/// would cost a core a pass over memory). The workers stop at any quote; the
/// first chunk (in file order) that holds one started at a true record
/// boundary, so from there on the input is cut knowing the quoting
/// (find_cut), and the chunks after it are read again.
template <class Result>
void run_mapped(mapped_file& map, const char* begin, const engine_options& o, unsigned threads,
                const std::function<Result(const task&)>& work,
                const std::function<void(const task&, Result&)>& consume, progress_line& progress) {
  map.reset_release();
  const char* recut_at = run_chunks(map, begin, false, o, threads, work, consume, progress);
  while (recut_at != nullptr) {
    recut_at = run_chunks(map, recut_at, true, o, threads, work, consume, progress);
  }
}

}  // namespace regress::engine
