// Decompression on a thread of its own: the decoder fills blocks of a fixed
// pool (a few MiB ahead of the reader, so memory stays constant), the reader
// takes them in order. An error (corrupt or truncated data) is kept and
// thrown by the read that reaches it, after every byte decoded before it.
#include "decompress.hpp"

#include <lzma.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <utility>

#include "regress/error.hpp"

namespace regress::reading {

std::streamsize read_some(std::streambuf& src, char* s, std::streamsize n) {
  if (n <= 0) return 0;
  std::streamsize avail = src.in_avail();
  if (avail <= 0) {
    const auto c = src.sbumpc();
    if (std::streambuf::traits_type::eq_int_type(c, std::streambuf::traits_type::eof())) return 0;
    s[0] = std::streambuf::traits_type::to_char_type(c);
    avail = src.in_avail();
    return 1 + (avail > 0 ? src.sgetn(s + 1, std::min(avail, n - 1)) : 0);
  }
  return src.sgetn(s, std::min(avail, n));
}

prefixed_buf::prefixed_buf(std::streambuf& src, std::string prefix)
    : src_(src), prefix_(std::move(prefix)), buffer_(std::size_t(1) << 16) {
  char* p = prefix_.data();
  setg(p, p, p + prefix_.size());
  prefix_done_ = prefix_.empty();
}

prefixed_buf::int_type prefixed_buf::underflow() {
  if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
  prefix_done_ = true;
  if (ended_) return traits_type::eof();
  const std::streamsize n =
      read_some(src_, buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
  if (n <= 0) {
    ended_ = true;
    return traits_type::eof();
  }
  setg(buffer_.data(), buffer_.data(), buffer_.data() + n);
  return traits_type::to_int_type(*gptr());
}

std::streamsize prefixed_buf::xsgetn(char* s, std::streamsize n) {
  // What is buffered first, then straight from the source in one call: a
  // reader asking for megabytes gets them without a copy through here.
  std::streamsize got = std::min<std::streamsize>(n, egptr() - gptr());
  if (got > 0) {
    std::memcpy(s, gptr(), static_cast<std::size_t>(got));
    gbump(static_cast<int>(got));
  }
  if (got < n && !ended_) {
    prefix_done_ = true;
    // sgetn gives fewer bytes than asked only at the end of the source.
    const std::streamsize read = src_.sgetn(s + got, n - got);
    ended_ = read < n - got;
    got += read;
  }
  return got;
}

std::streamsize prefixed_buf::showmanyc() { return src_.in_avail(); }

namespace {

constexpr std::size_t block_bytes = std::size_t(1) << 20;
constexpr std::size_t blocks_ahead = 4;

/// Thrown by a decoder when the input ends inside a stream.
struct truncated {};

/// One decoder's step: decodes from [ip, ie) into [op, oe), advancing both.
/// At the end of the input (`eof`) returns whether the data ended where a
/// stream may end; before, always false. Throws std::runtime_error with the
/// library's reason for corrupt data.
class decoder {
 public:
  decoder() = default;
  decoder(const decoder&) = delete;
  decoder& operator=(const decoder&) = delete;
  virtual ~decoder() = default;
  virtual bool run(const char*& ip, const char* ie, char*& op, char* oe, bool eof) = 0;
};

class gzip_decoder : public decoder {
 public:
  gzip_decoder() {
    // 15 + 32: a gzip or zlib header, found by its magic.
    if (inflateInit2(&z_, 15 + 32) != Z_OK) throw std::runtime_error("zlib would not start");
  }
  ~gzip_decoder() override { inflateEnd(&z_); }
  bool run(const char*& ip, const char* ie, char*& op, char* oe, bool eof) override {
    for (;;) {
      if (ended_ && ip == ie) return eof;
      if (ended_) {  // another member follows (cat a.gz b.gz)
        inflateReset(&z_);
        ended_ = false;
      }
      z_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(ip));
      z_.avail_in = static_cast<uInt>(ie - ip);
      z_.next_out = reinterpret_cast<Bytef*>(op);
      z_.avail_out = static_cast<uInt>(oe - op);
      const int r = inflate(&z_, Z_NO_FLUSH);
      ip = ie - z_.avail_in;
      op = oe - z_.avail_out;
      if (r == Z_STREAM_END) {
        ended_ = true;
        continue;
      }
      if (r == Z_OK || r == Z_BUF_ERROR) {
        if (eof && ip == ie && op < oe) throw truncated{};
        return false;
      }
      throw std::runtime_error(z_.msg != nullptr ? z_.msg : "inflate failed");
    }
  }

 private:
  z_stream z_{};
  bool ended_ = false;
};

class zstd_decoder : public decoder {
 public:
  zstd_decoder() : d_(ZSTD_createDStream()) {
    if (d_ == nullptr) throw std::runtime_error("libzstd would not start");
  }
  ~zstd_decoder() override { ZSTD_freeDStream(d_); }
  bool run(const char*& ip, const char* ie, char*& op, char* oe, bool eof) override {
    if (ended_ && ip == ie) return eof;
    ZSTD_inBuffer in{ip, static_cast<std::size_t>(ie - ip), 0};
    ZSTD_outBuffer out{op, static_cast<std::size_t>(oe - op), 0};
    const std::size_t r = ZSTD_decompressStream(d_, &out, &in);
    if (ZSTD_isError(r) != 0) throw std::runtime_error(ZSTD_getErrorName(r));
    ip += in.pos;
    op += out.pos;
    ended_ = r == 0;  // a frame decoded and flushed whole
    if (eof && ip == ie && !ended_ && op < oe) throw truncated{};
    return ended_ && eof && ip == ie;
  }

 private:
  ZSTD_DStream* d_;
  bool ended_ = false;
};

class xz_decoder : public decoder {
 public:
  xz_decoder() {
    if (lzma_stream_decoder(&s_, UINT64_MAX, LZMA_CONCATENATED) != LZMA_OK) {
      throw std::runtime_error("liblzma would not start");
    }
  }
  ~xz_decoder() override { lzma_end(&s_); }
  bool run(const char*& ip, const char* ie, char*& op, char* oe, bool eof) override {
    s_.next_in = reinterpret_cast<const std::uint8_t*>(ip);
    s_.avail_in = static_cast<std::size_t>(ie - ip);
    s_.next_out = reinterpret_cast<std::uint8_t*>(op);
    s_.avail_out = static_cast<std::size_t>(oe - op);
    const lzma_ret r = lzma_code(&s_, eof ? LZMA_FINISH : LZMA_RUN);
    ip = ie - s_.avail_in;
    op = oe - s_.avail_out;
    if (r == LZMA_STREAM_END) return true;
    if (r == LZMA_OK) return false;
    if (r == LZMA_BUF_ERROR && eof) throw truncated{};
    if (r == LZMA_BUF_ERROR) return false;
    throw std::runtime_error(r == LZMA_MEM_ERROR || r == LZMA_MEMLIMIT_ERROR ? "out of memory"
                             : r == LZMA_FORMAT_ERROR  ? "not in the xz format"
                             : r == LZMA_OPTIONS_ERROR ? "unsupported options"
                                                       : "the data are corrupt");
  }

 private:
  lzma_stream s_ = LZMA_STREAM_INIT;
};

std::unique_ptr<decoder> make_decoder(compression kind) {
  switch (kind) {
    case compression::gzip:
      return std::make_unique<gzip_decoder>();
    case compression::zstd:
      return std::make_unique<zstd_decoder>();
    case compression::xz:
      return std::make_unique<xz_decoder>();
    case compression::none:
      break;
  }
  throw std::logic_error("no decoder for uncompressed data");
}

}  // namespace

decompress_buf::decompress_buf(std::streambuf& src, compression kind, std::string source)
    : src_(src), kind_(kind), source_(std::move(source)) {
  for (std::size_t i = 0; i < blocks_ahead; ++i) free_.emplace_back(block_bytes);
  thread_ = std::thread([this] { produce(); });
}

decompress_buf::~decompress_buf() {
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

bool decompress_buf::push(std::vector<char>& block) {
  std::unique_lock<std::mutex> lock(mutex_);
  full_.push_back(std::move(block));
  changed_.notify_all();
  changed_.wait(lock, [this] { return stop_ || !free_.empty(); });
  if (stop_) return false;
  block = std::move(free_.back());
  free_.pop_back();
  block.resize(block_bytes);
  return true;
}

void decompress_buf::produce() {
  const std::string tool = compression_name(kind_);
  std::string failure;
  try {
    const std::unique_ptr<decoder> d = make_decoder(kind_);
    std::vector<char> in(std::size_t(1) << 18);
    std::vector<char> block;
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      block = std::move(free_.back());
      free_.pop_back();
    }
    const char* ip = in.data();
    const char* ie = ip;
    bool eof = false;
    std::size_t filled = 0;
    for (;;) {
      if (ip == ie && !eof) {
        const std::streamsize n =
            read_some(src_, in.data(), static_cast<std::streamsize>(in.size()));
        eof = n <= 0;
        ip = in.data();
        ie = ip + std::max<std::streamsize>(n, 0);
      }
      char* op = block.data() + filled;
      const bool ended = d->run(ip, ie, op, block.data() + block.size(), eof);
      filled = static_cast<std::size_t>(op - block.data());
      // A full block goes at once; a partial one when the input read so far
      // is used up (a stream that answers as it goes is passed on as it goes).
      if (ended || filled == block.size() || (ip == ie && filled > 0)) {
        block.resize(filled);
        if (ended) {
          const std::lock_guard<std::mutex> lock(mutex_);
          if (filled > 0) full_.push_back(std::move(block));
          break;
        }
        if (!push(block)) return;
        filled = 0;
      }
    }
  } catch (const truncated&) {
    failure = "the " + tool + " data end early (the file is truncated?); check it with '" + tool +
              " -t', or copy it again";
  } catch (const std::exception& e) {
    failure = "the " + tool + " data are corrupt (" + e.what() + "); check the file with '" + tool +
              " -t', or copy it again";
  }
  const std::lock_guard<std::mutex> lock(mutex_);
  error_ = failure;
  done_ = true;
  changed_.notify_all();
}

decompress_buf::int_type decompress_buf::underflow() {
  if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
  std::unique_lock<std::mutex> lock(mutex_);
  if (!current_.empty() || current_.capacity() > 0) {
    free_.push_back(std::move(current_));
    current_ = {};
    changed_.notify_all();
  }
  changed_.wait(lock, [this] { return done_ || !full_.empty(); });
  if (full_.empty()) {
    setg(nullptr, nullptr, nullptr);
    if (!error_.empty()) throw data_error(error_, source_);
    return traits_type::eof();
  }
  current_ = std::move(full_.front());
  full_.pop_front();
  setg(current_.data(), current_.data(), current_.data() + current_.size());
  return traits_type::to_int_type(*gptr());
}

std::streamsize decompress_buf::showmanyc() {
  const std::lock_guard<std::mutex> lock(mutex_);
  if (!full_.empty()) return static_cast<std::streamsize>(full_.front().size());
  return done_ ? -1 : 0;
}

}  // namespace regress::reading
