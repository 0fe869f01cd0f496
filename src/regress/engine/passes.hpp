#pragma once
// Internal to the engine: the two passes over an input's chunks, from the
// header's column choice to the engine_result.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "regress/engine/engine.hpp"
#include "regress/engine/input.hpp"
#include "regress/engine/spool.hpp"

namespace regress::engine {

/// Chunks in flight for a stream read with `threads` workers (each one a
/// buffer of stream_chunks).
std::size_t stream_window(unsigned threads);

/// Both passes over a mapped input whose data records start at `begin`, on
/// line `first_line` (1-based), after `header`. Throws as fit_csv_file.
engine_result fit_mapped(mapped_file& map, const char* begin, std::size_t first_line,
                         std::vector<std::string> header, const column_chooser& choose,
                         const engine_options& o, std::uint64_t total_bytes);

/// The first pass over a stream whose header has been taken, the data
/// records copied to `copy` on the way, and the second pass, when needed,
/// over the copy. Throws as fit_csv_stream.
engine_result fit_stream(stream_chunks& chunks, spool& copy, std::size_t first_line,
                         std::vector<std::string> header, const column_chooser& choose,
                         const engine_options& o);

}  // namespace regress::engine
