#pragma once
// Internal to the engine: the inputs. A regular file is mapped and its pages
// released behind the reader; a stream (standard input, a pipe) is read
// through a fixed pool of buffers and cut into chunks of whole records.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <istream>
#include <streambuf>
#include <string>
#include <vector>

#include "regress/engine/engine.hpp"
#include "regress/engine/pipeline.hpp"

namespace regress::engine {

/// A read-only mapping of a whole file whose pages are released behind the
/// reader, so the resident set stays near the chunks in flight.
class mapped_file {
 public:
  /// Maps `size` bytes of the open file `fd` (nothing for 0). Throws
  /// data_error naming `name` when the mapping fails. While it lives, a read
  /// past the end of a file that shrank (SIGBUS) reads zeros instead of
  /// killing the process, and changed() says so.
  mapped_file(int fd, std::size_t size, const std::string& name);
  mapped_file(const mapped_file&) = delete;
  mapped_file& operator=(const mapped_file&) = delete;
  ~mapped_file();
  const char* begin() const { return data_; }
  const char* end() const { return data_ + size_; }
  std::size_t size() const { return size_; }
  /// Drops the pages wholly before `upto` from the resident set.
  void release(const char* upto);
  /// Starts releasing from the beginning again (for another pass).
  void reset_release() { released_ = 0; }
  /// Faults in the pages of [from, to) in one call before a worker reads
  /// them (Linux 5.14+; elsewhere a no-op): two workers faulting page by
  /// page contend in the kernel.
  static void populate(const char* from, const char* to);
  /// Whether a read met the end of a file that shrank after it was mapped
  /// (log rotation by copytruncate): what was read since is zeros.
  bool changed() const;
  /// Throws data_error naming `source` when changed().
  void check_unchanged(const std::string& source) const;

 private:
  const char* data_ = nullptr;
  std::size_t size_;
  std::size_t released_ = 0;
  int guard_ = -1;  // the slot guarding the mapping against SIGBUS, or -1
};

/// Reads an open file descriptor (not owned) with read(2): a named pipe or
/// a device is opened once and read through this, never reopened by name.
class fd_streambuf : public std::streambuf {
 public:
  explicit fd_streambuf(int fd) : fd_(fd) {}

 protected:
  int_type underflow() override;
  std::streamsize xsgetn(char* s, std::streamsize n) override;

 private:
  int fd_;
  /// A read returned end of file: later reads return it without asking
  /// again, because a terminal's end of input (Ctrl-D) is given once and a
  /// second read would wait for more typing.
  bool ended_ = false;
  char buffer_[1 << 16];
};

/// Closes a file descriptor (if not negative) when it goes out of scope.
struct fd_guard {
  int fd = -1;
  fd_guard() = default;
  explicit fd_guard(int f) : fd(f) {}
  fd_guard(const fd_guard&) = delete;
  fd_guard& operator=(const fd_guard&) = delete;
  ~fd_guard();
};

/// A stream read through a fixed pool of buffers and cut into chunks of
/// whole records. A chunk's buffer stays untouched until it is recycled, so
/// workers read the chunks in place.
class stream_chunks {
 public:
  /// Reads `in` (its streambuf) in chunks of about `chunk_bytes` (at least
  /// 64), with `window` + 1 buffers: one being filled, the rest in flight.
  /// A record may be at most `max_record` bytes (the buffer never grows
  /// beyond about that): cut throws record_too_long past it.
  stream_chunks(std::istream& in, std::size_t chunk_bytes, std::size_t window, char delim,
                std::size_t max_record = std::size_t(64) << 20);

  /// Reads until the header record is complete and parses it (read_header):
  /// returns the header's fields and the line breaks it used. Throws
  /// data_error for an empty input or a malformed header.
  void take_header(const engine_options& o, std::vector<std::string>& header, std::size_t& lines);
  /// Cuts the next chunk from the current buffer, reading (and growing the
  /// buffer for a record longer than it) as needed. False at the end.
  bool cut(task& t);
  /// Whether a buffer is free for pass_on.
  bool buffer_free() const { return !free_.empty(); }
  /// Copies the bytes after the chunk `t` (just cut) into a free buffer,
  /// which becomes the current one. Precondition: buffer_free().
  void pass_on(const task& t);
  /// Gives the buffer of a consumed chunk back to the pool.
  void recycle(int buffer) { free_.push_back(buffer); }

 private:
  void fill();
  /// Ends the chunk `t` (cut from a buffer ending at `e`) before the first
  /// record over the limit; throws record_too_long when it starts there.
  void limit_chunk(task& t, const char* e) const;

  std::streambuf* src_;
  std::size_t max_record_;
  bool eof_;
  bool finished_ = false;  // the last chunk has been passed on
  std::size_t chunk_;
  char delim_;
  std::vector<std::vector<char>> buffers_;
  std::vector<int> free_;
  int current_ = -1;
  std::vector<char>* buf_ = nullptr;
  std::size_t filled_ = 0;
  std::size_t start_ = 0;  // where the records not yet cut begin
  std::size_t index_ = 0;
  std::uint64_t read_total_ = 0;
};

/// Thrown by stream_chunks::cut for a record longer than its limit; the
/// caller, who knows the line it starts on, turns it into a data_error.
struct record_too_long {};

/// The message for `what` (the header, a record) of more than `limit` bytes.
std::string too_long_message(const std::string& what, std::size_t limit);

/// A file's data mapped, after its header.
struct mapped_input {
  mapped_file& map;
  const char* begin;  ///< the first record
  std::size_t first_line;
  std::vector<std::string> header;
};

/// Opens `path` (options.source set to it): a regular file is mapped, its
/// header read and handed to `mapped`; anything else (a named pipe, a
/// device) is read as a stream by `streamed`. Throws data_error for a
/// directory or a file that cannot be opened, saying what to do.
engine_result fit_path(
    const std::string& path, const engine_options& options,
    const std::function<engine_result(std::istream&, const engine_options&)>& streamed,
    const std::function<engine_result(mapped_input&, const engine_options&,
                                      std::uint64_t total_bytes)>& mapped);

}  // namespace regress::engine
