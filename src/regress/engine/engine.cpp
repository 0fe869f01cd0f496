// The engine's door: opens the input, reads the header and hands the rest to
// the passes (passes.cpp). The concerns live beside this file: records
// (boundaries, the careful reader, the header), scan (a chunk's records into
// a sink), accumulate (what a chunk yields in each pass), pipeline (chunks
// through worker threads, results in order), input (a mapped file, a stream
// through buffers), spool (the stream's copy for a second pass), passes and
// progress.
#include "regress/engine/engine.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <utility>

#include "regress/engine/input.hpp"
#include "regress/engine/passes.hpp"
#include "regress/engine/pipeline.hpp"
#include "regress/engine/records.hpp"
#include "regress/engine/spool.hpp"
#include "regress/error.hpp"
#include "regress/model/wide_solve.hpp"
#include "regress/reading/text_input.hpp"

namespace regress {

model model_from_state(const model_spec& spec, const ols_state& state,
                       const std::vector<predictor_range>& ranges, const extreme_rows& extremes,
                       std::size_t rows_dropped) {
  validate(spec);
  if (!ranges.empty()) {
    check_powers_representable(spec, std::max(std::abs(ranges[0].min), std::abs(ranges[0].max)));
  }
  model m;
  m.spec = spec;
  m.slope_terms = slope_terms(spec);
  m.fit = solve(state, m.slope_terms);
  m.ranges = ranges;
  m.rows_dropped = rows_dropped;
  // Means from the state: the shift plus the mean shifted value, in
  // double-double (the inputs' low parts included).
  const dd n(state.n());
  for (std::size_t j = 0; j < m.ranges.size() && j < state.k(); ++j) {
    m.ranges[j].mean = double(dd(state.shift()[j]) + state.sums()[j] / n);
  }
  m.max_leverage = 0;
  if (m.fit.k() >= wide_terms && spec.degree == 1) {
    // Two rows per predictor: one triangular solve for all of them.
    std::vector<double> rows;
    for (const auto& row : extremes) {
      if (row.size() == spec.predictors.size()) rows.insert(rows.end(), row.begin(), row.end());
    }
    m.max_leverage = leverage_batch(m.fit).max_leverage(rows.data(), rows.size() / m.fit.k());
    return m;
  }
  for (const auto& row : extremes) {
    if (row.size() == spec.predictors.size()) {
      m.max_leverage = std::max(m.max_leverage, leverage(m.fit, row.data()));
    }
  }
  return m;
}

namespace engine {
engine_result fit_path(
    const std::string& path, const engine_options& opts,
    const std::function<engine_result(std::istream&, const engine_options&)>& streamed,
    const std::function<engine_result(mapped_input&, const engine_options&,
                                      std::uint64_t total_bytes)>& mapped) {
  engine_options options = opts;
  options.source = path;
  // The overload without exceptions: a loop of links or a name too long is
  // the open's error below, naming the path.
  std::error_code not_looked_at;
  if (std::filesystem::is_directory(path, not_looked_at)) {
    throw data_error("'" + path + "' is a directory; give a CSV file");
  }
  fd_guard fd{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
  if (fd.fd < 0) {
    throw data_error("cannot open '" + path + "': " + std::strerror(errno) +
                     "; check the path, or use - to read standard input");
  }
  struct stat st {};
  if (::fstat(fd.fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size == 0) {
    // A named pipe or a device, or a file whose size says nothing (/proc
    // files say 0 and have content): read it as a stream, through the
    // descriptor already open. Opening a pipe again could wait for ever
    // for a writer that has come and gone.
    fd_streambuf buffer(fd.fd);
    text_input text(buffer, path, {}, head_size{0, 0});
    return streamed(text.stream(), options);
  }
  // A compressed file is decoded as a stream; an unsupported one is refused.
  char first[8] = {};
  const ssize_t got = ::pread(fd.fd, first, sizeof first, 0);
  if (sniff_compression(std::string_view(first, got > 0 ? std::size_t(got) : 0), path) !=
      compression::none) {
    fd_streambuf buffer(fd.fd);
    text_input text(buffer, path, {}, head_size{0, 0});
    return streamed(text.stream(), options);
  }
  mapped_file map(fd.fd, static_cast<std::size_t>(st.st_size), path);
  mapped_input input{map, nullptr, 0, {}};
  std::size_t header_lines = 0;
  input.begin = read_header(map.begin(), map.end(), options, input.header, header_lines);
  map.check_unchanged(path);
  input.first_line = header_lines + 1;
  return mapped(input, options, static_cast<std::uint64_t>(map.size()));
}
}  // namespace engine

engine_result fit_csv_file(const std::string& path, const column_chooser& choose,
                           const engine_options& options) {
  return engine::fit_path(
      path, options,
      [&](std::istream& in, const engine_options& o) { return fit_csv_stream(in, choose, o); },
      [&](engine::mapped_input& in, const engine_options& o, std::uint64_t bytes) {
        return engine::fit_mapped(in.map, in.begin, in.first_line, std::move(in.header), choose, o,
                                  bytes);
      });
}

engine_result fit_csv_stream(std::istream& in, const column_chooser& choose,
                             const engine_options& options) {
  engine::spool copy(options.spool_dir, options.spool_bytes);
  const unsigned threads = engine::thread_count(options.threads);
  engine::stream_chunks chunks(in, options.chunk_bytes, engine::stream_window(threads),
                               options.delimiter, options.max_line_bytes);
  std::vector<std::string> header;
  std::size_t header_lines = 0;
  chunks.take_header(options, header, header_lines);
  return engine::fit_stream(chunks, copy, header_lines + 1, std::move(header), choose, options);
}

}  // namespace regress
