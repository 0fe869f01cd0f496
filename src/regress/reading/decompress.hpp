#pragma once
// Internal to reading: the stream buffers text_input chains together. The
// decompressing one runs its decoder on a thread of its own, a few blocks
// ahead of the reader, so that decoding and parsing overlap.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <streambuf>
#include <string>
#include <thread>
#include <vector>

#include "regress/reading/text_input.hpp"

namespace regress::reading {

/// Reads at least one byte of `src` (waiting for it) and then only what
/// `src` holds already, up to `n`: never waits on an interactive stream for
/// more than it has sent. 0 at the end.
std::streamsize read_some(std::streambuf& src, char* s, std::streamsize n);

/// Serves `prefix`, then the rest of `src` (not owned).
class prefixed_buf : public std::streambuf {
 public:
  prefixed_buf(std::streambuf& src, std::string prefix);

 protected:
  int_type underflow() override;
  std::streamsize xsgetn(char* s, std::streamsize n) override;
  std::streamsize showmanyc() override;

 private:
  std::streambuf& src_;
  std::string prefix_;
  bool prefix_done_ = false;
  /// The source has ended: never read it again (a terminal's Ctrl-D is one
  /// end of input; a second read would wait for another).
  bool ended_ = false;
  std::vector<char> buffer_;
};

/// The decoded bytes of `src` (not owned), packed as `kind` (not none),
/// decoded on a thread of its own into a few blocks ahead of the reader.
class decompress_buf : public std::streambuf {
 public:
  decompress_buf(std::streambuf& src, compression kind, std::string source);
  decompress_buf(const decompress_buf&) = delete;
  decompress_buf& operator=(const decompress_buf&) = delete;
  ~decompress_buf() override;

 protected:
  int_type underflow() override;
  std::streamsize showmanyc() override;

 private:
  void produce();
  /// Hands a filled block to the reader; false when the reader has gone.
  bool push(std::vector<char>& block);

  std::streambuf& src_;
  compression kind_;
  std::string source_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::vector<char>> full_;
  std::vector<std::vector<char>> free_;
  std::vector<char> current_;
  bool done_ = false;
  bool stop_ = false;
  std::string error_;
  std::thread thread_;
};

/// Drops the first lines and comment lines (keeping their line breaks) and
/// turns decimal commas after the header into dots (see text_filters).
class filter_buf : public std::streambuf {
 public:
  filter_buf(std::streambuf& src, const text_filters& filters);

 protected:
  int_type underflow() override;
  std::streamsize showmanyc() override;

 private:
  std::streambuf& src_;
  text_filters filters_;
  std::size_t to_skip_;
  bool line_start_ = true;
  bool quoted_ = false;
  bool dropping_ = false;
  bool header_done_ = false;
  bool line_has_text_ = false;
  std::vector<char> in_;
  std::vector<char> out_;
};

}  // namespace regress::reading
