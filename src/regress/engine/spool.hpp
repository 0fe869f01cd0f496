#pragma once
// Internal to the engine: the spool, an unlinked temporary file holding the
// data records read from a stream, so that a second pass can map it; the
// disk, not memory, holds the input.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "regress/engine/input.hpp"

namespace regress::engine {

/// Spooling costs a copy of every byte; beyond `limit` bytes it stops unless
/// the caller needs the second pass for sure (keep_all), and a near-exact
/// fit then keeps its one-pass residual sum of squares (warned).
class spool {
 public:
  /// Creates an unlinked temporary file in `dir`, else in the system's
  /// default directory (P_tmpdir); when neither can hold one, the spool keeps
  /// nothing (one pass) and warnings() says so.
  spool(std::string dir, std::uint64_t limit);
  /// Keeps every byte, whatever the limit (the second pass is certain).
  /// Throws data_error when no temporary file could be created.
  void keep_all();
  /// Whether a temporary file could be created.
  bool usable() const { return fd_.fd >= 0; }
  /// Appends [p, p + n), or drops the whole copy once it would pass the
  /// limit. Throws data_error when the file cannot be written.
  void write(const char* p, std::size_t n);
  /// Whether every byte written so far is kept.
  bool kept() const { return spooling_; }
  /// Maps the copy for the second pass. Throws data_error.
  mapped_file map() const;
  /// What the caller should be told: the directory that could not be used.
  const std::vector<std::string>& warnings() const { return warnings_; }

 private:
  std::string dir_;
  fd_guard fd_;
  std::uint64_t limit_;
  std::uint64_t spooled_ = 0;
  bool spooling_ = true;
  bool must_keep_ = false;
  std::string failure_;  // why no temporary file could be created
  std::vector<std::string> warnings_;
};

}  // namespace regress::engine
