#include "regress/engine/progress.hpp"

#include <algorithm>
#include <cstdio>
#include <string>

namespace regress::engine {

void progress_line::update(std::uint64_t done) {
  if (out_ == nullptr) return;
  const auto now = std::chrono::steady_clock::now();
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  if (elapsed < 1.0 || now - last_ < std::chrono::milliseconds(250)) return;
  last_ = now;
  const double rate = static_cast<double>(done) / elapsed;
  char line[160];
  if (total_ > 0) {
    const double left = rate > 0 ? static_cast<double>(total_ - std::min(done, total_)) / rate : 0;
    std::snprintf(line, sizeof line, "\rregress: %.1f of %.1f MB (%.0f%%), %.0f MB/s, %.0f s left ",
                  static_cast<double>(done) / 1e6, static_cast<double>(total_) / 1e6,
                  100.0 * static_cast<double>(done) / static_cast<double>(total_), rate / 1e6,
                  left);
  } else {
    std::snprintf(line, sizeof line, "\rregress: %.1f MB read, %.0f MB/s ",
                  static_cast<double>(done) / 1e6, rate / 1e6);
  }
  *out_ << line << std::flush;
  drawn_ = true;
}

void progress_line::clear() {
  if (drawn_ && out_ != nullptr) *out_ << "\r" << std::string(72, ' ') << "\r" << std::flush;
  drawn_ = false;
}

}  // namespace regress::engine
