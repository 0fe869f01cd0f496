#pragma once
// Internal to the engine: the spool, an unlinked temporary file holding the
// data records read from a stream, so that a second pass can map it; the
// disk, not memory, holds the input.

#include <cstddef>
#include <cstdint>
#include <string>

#include "regress/engine/input.hpp"

namespace regress::engine {

/// Spooling costs a copy of every byte; beyond `limit` bytes it stops unless
/// the caller needs the second pass for sure (keep_all), and a near-exact
/// fit then keeps its one-pass residual sum of squares (warned).
class spool {
 public:
  /// Creates an unlinked temporary file in `dir`. Throws data_error when it
  /// cannot.
  spool(std::string dir, std::uint64_t limit);
  /// Keeps every byte, whatever the limit (the second pass is certain).
  void keep_all() { must_keep_ = true; }
  /// Appends [p, p + n), or drops the whole copy once it would pass the
  /// limit. Throws data_error when the file cannot be written.
  void write(const char* p, std::size_t n);
  /// Whether every byte written so far is kept.
  bool kept() const { return spooling_; }
  /// Maps the copy for the second pass. Throws data_error.
  mapped_file map() const;

 private:
  std::string dir_;
  fd_guard fd_;
  std::uint64_t limit_;
  std::uint64_t spooled_ = 0;
  bool spooling_ = true;
  bool must_keep_ = false;
};

}  // namespace regress::engine
