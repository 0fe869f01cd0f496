#pragma once
// Internal to the engine: the progress line for long inputs.

#include <chrono>
#include <cstdint>
#include <ostream>

namespace regress::engine {

/// The progress line: drawn at most 4 times a second, from the second second;
/// cleared when destroyed.
class progress_line {
 public:
  /// Draws on `out` (null: never); `total` bytes, 0 when unknown (a stream).
  progress_line(std::ostream* out, std::uint64_t total) : out_(out), total_(total) {}
  progress_line(const progress_line&) = delete;
  progress_line& operator=(const progress_line&) = delete;
  ~progress_line() { clear(); }
  /// Redraws the line for `done` bytes read, if it is time to.
  void update(std::uint64_t done);
  /// Wipes the line if one was drawn.
  void clear();

 private:
  std::ostream* out_;
  std::uint64_t total_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_ = start_;
  bool drawn_ = false;
};

}  // namespace regress::engine
