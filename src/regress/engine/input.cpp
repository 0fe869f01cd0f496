#include "regress/engine/input.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "regress/engine/records.hpp"
#include "regress/error.hpp"

namespace regress::engine {

mapped_file::mapped_file(int fd, std::size_t size, const std::string& name) : size_(size) {
  if (size_ == 0) return;
  void* p = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd, 0);
  if (p == MAP_FAILED) {
    throw data_error("cannot map '" + name + "' into memory: " + std::strerror(errno));
  }
  data_ = static_cast<const char*>(p);
  ::madvise(p, size_, MADV_SEQUENTIAL);
}

mapped_file::~mapped_file() {
  if (data_ != nullptr) ::munmap(const_cast<char*>(data_), size_);
}

void mapped_file::release(const char* upto) {
  if (data_ == nullptr) return;
  const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  const std::size_t to = static_cast<std::size_t>(upto - data_) / page * page;
  if (to > released_) {
    ::madvise(const_cast<char*>(data_) + released_, to - released_, MADV_DONTNEED);
    released_ = to;
  }
}

void mapped_file::populate(const char* from, const char* to) {
#ifdef __linux__
  constexpr int populate_read = 22;  // MADV_POPULATE_READ, not in every libc's headers
  const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
  const auto start = reinterpret_cast<std::uintptr_t>(from) / page * page;
  const auto stop = reinterpret_cast<std::uintptr_t>(to);
  if (stop > start) {
    (void)::madvise(reinterpret_cast<void*>(start), stop - start, populate_read);
  }
#else
  (void)from;
  (void)to;
#endif
}

fd_guard::~fd_guard() {
  if (fd >= 0) ::close(fd);
}

stream_chunks::stream_chunks(std::istream& in, std::size_t chunk_bytes, std::size_t window,
                             char delim)
    : src_(in.rdbuf()),
      eof_(src_ == nullptr),
      chunk_(std::max<std::size_t>(chunk_bytes, 64)),
      delim_(delim),
      buffers_(window + 1, std::vector<char>()) {
  for (std::size_t i = buffers_.size(); i-- > 0;) free_.push_back(static_cast<int>(i));
  current_ = free_.back();
  free_.pop_back();
  buf_ = &buffers_[static_cast<std::size_t>(current_)];
  buf_->resize(chunk_);
}

void stream_chunks::fill() {
  while (!eof_ && filled_ < buf_->size()) {
    const std::streamsize n =
        src_->sgetn(buf_->data() + filled_, static_cast<std::streamsize>(buf_->size() - filled_));
    if (n <= 0) {
      eof_ = true;
      break;
    }
    filled_ += static_cast<std::size_t>(n);
  }
}

void stream_chunks::take_header(const engine_options& o, std::vector<std::string>& header,
                                std::size_t& lines) {
  for (;;) {
    fill();
    const char* b = buf_->data();
    const char* e = b + filled_;
    if (eof_ || holds_complete_header(b, e, delim_)) {
      const char* after = read_header(b, e, o, header, lines);
      start_ = static_cast<std::size_t>(after - b);
      return;
    }
    buf_->resize(buf_->size() * 2);
  }
}

bool stream_chunks::cut(task& t) {
  if (finished_) return false;
  for (;;) {
    fill();
    const char* s = buf_->data() + start_;
    const char* e = buf_->data() + filled_;
    t = task{};
    t.index = index_;
    t.begin = s;
    t.buffer = current_;
    if (eof_) {
      t.end = e;
      t.quoted = std::memchr(s, '"', static_cast<std::size_t>(e - s)) != nullptr;
      break;
    }
    // Cut after the last record that ends in the buffer's last stretch, or
    // any record at all; none: the record is longer than the buffer.
    const std::size_t span = static_cast<std::size_t>(e - s);
    const char* target = e - std::min<std::size_t>(span / 2, 65536);
    t.end = find_cut(s, target, e, delim_, t.quoted);
    if (t.end == e) t.end = find_cut(s, s, e, delim_, t.quoted);
    if (t.end != e) break;
    if (start_ > 0) {
      std::memmove(buf_->data(), s, span);
      filled_ = span;
      start_ = 0;
    }
    buf_->resize(buf_->size() * 2);
  }
  if (t.begin == t.end && eof_) return false;
  read_total_ += static_cast<std::uint64_t>(t.end - t.begin);
  t.offset = read_total_;
  return true;
}

void stream_chunks::pass_on(const task& t) {
  // The rest goes to the next buffer before this one is handed out.
  const std::size_t rest = static_cast<std::size_t>(buf_->data() + filled_ - t.end);
  const int next = free_.back();
  free_.pop_back();
  std::vector<char>& nb = buffers_[static_cast<std::size_t>(next)];
  if (nb.size() < std::max(chunk_, rest + 1)) nb.resize(std::max(chunk_, 2 * rest));
  std::memcpy(nb.data(), t.end, rest);
  ++index_;
  current_ = next;
  buf_ = &nb;
  filled_ = rest;
  start_ = 0;
  if (eof_ && rest == 0) finished_ = true;
}

}  // namespace regress::engine
