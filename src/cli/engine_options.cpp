// The engine's options from the command line's: the delimiter, the threads
// (capped, and probed), the line limit, where standard input's copy goes
// and whether to draw a progress line.
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <string>
#include <thread>

#include "common.hpp"
#include "messages.hpp"

namespace regress::cli {

namespace {
/// The most threads worth running: the chunks are parsed faster than memory
/// delivers them well before this, and each thread costs a stack and (for a
/// stream) two chunk buffers.
unsigned max_threads() {
  const unsigned hw = std::thread::hardware_concurrency();
  return std::clamp(4 * hw, 8u, 256u);
}

/// --threads capped at max_threads() and at what the system lets start.
unsigned resolve_threads(unsigned requested, std::ostream& err) {
  unsigned threads = requested;
  if (threads > max_threads()) {
    warn(err, "--threads " + std::to_string(threads) + " is more than this machine can use (" +
                  std::to_string(std::thread::hardware_concurrency()) + " cores); using " +
                  std::to_string(max_threads()));
    threads = max_threads();
  }
  const unsigned wanted =
      threads == 0 ? std::max(std::thread::hardware_concurrency(), 1u) : threads;
  const unsigned got = startable_threads(wanted);
  if (got < wanted) {
    warn(err, "the system let only " + std::to_string(got) + " of " + std::to_string(wanted) +
                  " threads start (a limit on processes or memory); running on " +
                  std::to_string(got));
  }
  return got;
}
}  // namespace

engine_options engine_options_for(const data_options& o, std::ostream& err) {
  engine_options eo;
  eo.delimiter = resolve_delimiter(o.delimiter, o.file);
  eo.threads = resolve_threads(o.threads, err);
  eo.max_line_bytes = o.max_line_bytes;
  if (const char* t = std::getenv("TMPDIR"); t != nullptr && *t != '\0') eo.spool_dir = t;
  // The progress line only on a terminal, and only in the real process.
  if (&err == &std::cerr && ::isatty(STDERR_FILENO) == 1) eo.progress = &err;
  return eo;
}

}  // namespace regress::cli
