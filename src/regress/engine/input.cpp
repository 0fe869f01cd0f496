#include "regress/engine/input.hpp"

#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <mutex>

#include "regress/engine/records.hpp"
#include "regress/error.hpp"
#include "regress/reading/csv.hpp"

namespace regress::engine {
namespace {

// A file that shrinks under its mapping (copytruncate log rotation) raises
// SIGBUS on the next read past its new end, in whichever worker reads it.
// The handler puts zero pages over the rest of the mapping, so the read
// resumes on zeros, and flags the mapping; the passes check the flag before
// they trust a chunk. No jump out of the worker: every destructor runs.
struct guard_slot {
  std::atomic<bool> used{false};
  std::atomic<std::uintptr_t> begin{0}, end{0};
  std::atomic<bool> hit{false};
};
constexpr int guard_slots = 16;
guard_slot guards[guard_slots];
struct sigaction previous_sigbus {};
std::uintptr_t guard_page = 4096;  // set before the handler is installed

void on_sigbus(int sig, siginfo_t* info, void* context) {
  const auto at = reinterpret_cast<std::uintptr_t>(info->si_addr);
  for (auto& g : guards) {
    const std::uintptr_t b = g.begin.load();
    const std::uintptr_t e = g.end.load();
    if (b == 0 || at < b || at >= e) continue;
    const std::uintptr_t from = at / guard_page * guard_page;
    const std::uintptr_t to = (e + guard_page - 1) / guard_page * guard_page;
    if (::mmap(reinterpret_cast<void*>(from), to - from, PROT_READ,
               MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != MAP_FAILED) {
      g.hit.store(true);
      return;  // the read runs again, on zeros
    }
  }
  // Not a guarded mapping: what would have happened without us.
  if ((previous_sigbus.sa_flags & SA_SIGINFO) != 0 && previous_sigbus.sa_sigaction != nullptr) {
    previous_sigbus.sa_sigaction(sig, info, context);
    return;
  }
  ::sigaction(SIGBUS, &previous_sigbus, nullptr);  // returns, faults again, default action
}

void install_sigbus_handler() {
  static std::once_flag once;
  std::call_once(once, [] {
    // sysconf is not async-signal-safe: the handler reads this copy.
    guard_page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
    struct sigaction sa {};
    sa.sa_sigaction = on_sigbus;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    ::sigemptyset(&sa.sa_mask);
    ::sigaction(SIGBUS, &sa, &previous_sigbus);
  });
}

int guard_range(const char* data, std::size_t size) {
  install_sigbus_handler();
  for (int i = 0; i < guard_slots; ++i) {
    bool expected = false;
    guard_slot& g = guards[i];
    if (!g.used.compare_exchange_strong(expected, true)) continue;
    g.hit.store(false);
    g.end.store(reinterpret_cast<std::uintptr_t>(data) + size);
    g.begin.store(reinterpret_cast<std::uintptr_t>(data));
    return i;
  }
  return -1;  // more mappings than slots at once: unguarded, as before
}

void unguard(int slot) {
  if (slot < 0) return;
  guard_slot& g = guards[slot];
  g.begin.store(0);
  g.end.store(0);
  g.used.store(false);
}

}  // namespace

mapped_file::mapped_file(int fd, std::size_t size, const std::string& name) : size_(size) {
  if (size_ == 0) return;
  void* p = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd, 0);
  if (p == MAP_FAILED) {
    throw data_error("cannot map '" + name + "' into memory: " + std::strerror(errno));
  }
  data_ = static_cast<const char*>(p);
  ::madvise(p, size_, MADV_SEQUENTIAL);
  guard_ = guard_range(data_, size_);
}

mapped_file::~mapped_file() {
  unguard(guard_);
  if (data_ != nullptr) ::munmap(const_cast<char*>(data_), size_);
}

bool mapped_file::changed() const { return guard_ >= 0 && guards[guard_].hit.load(); }

void mapped_file::check_unchanged(const std::string& source) const {
  if (changed()) {
    throw data_error(
        "the file changed while it was being read (it shrank: truncated or rotated?); read a "
        "copy that stays put",
        source);
  }
}

fd_streambuf::int_type fd_streambuf::underflow() {
  if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
  while (!ended_) {
    const ssize_t n = ::read(fd_, buffer_, sizeof buffer_);
    if (n < 0 && errno == EINTR) continue;
    ended_ = n == 0;
    if (n <= 0) return traits_type::eof();
    setg(buffer_, buffer_, buffer_ + n);
    return traits_type::to_int_type(*gptr());
  }
  return traits_type::eof();
}

std::streamsize fd_streambuf::xsgetn(char* s, std::streamsize n) {
  std::streamsize got = 0;
  // What is buffered first, then straight into the caller's memory.
  const std::streamsize buffered = std::min<std::streamsize>(n, egptr() - gptr());
  if (buffered > 0) {
    std::memcpy(s, gptr(), static_cast<std::size_t>(buffered));
    gbump(static_cast<int>(buffered));
    got = buffered;
  }
  while (got < n && !ended_) {
    const ssize_t r = ::read(fd_, s + got, static_cast<std::size_t>(n - got));
    if (r < 0 && errno == EINTR) continue;
    ended_ = r == 0;
    if (r <= 0) break;
    got += r;
  }
  return got;
}

std::string too_long_message(const std::string& what, std::size_t limit) {
  return line_too_long_message(what, limit);
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
                             char delim, std::size_t max_record)
    : src_(in.rdbuf()),
      max_record_(std::max<std::size_t>(max_record, 64)),
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
    const auto wanted = static_cast<std::streamsize>(buf_->size() - filled_);
    const std::streamsize n = src_->sgetn(buf_->data() + filled_, wanted);
    // sgetn returns less than asked only at the end of the input; asking
    // again would wait on a terminal, whose end (Ctrl-D) is given once.
    if (n < wanted) eof_ = true;
    if (n <= 0) break;
    filled_ += static_cast<std::size_t>(n);
  }
}

void stream_chunks::take_header(const engine_options& o, std::vector<std::string>& header,
                                std::size_t& lines) {
  for (;;) {
    fill();
    const char* b = buf_->data();
    const char* e = b + filled_;
    if (eof_ || holds_complete_header(b, e, delim_) || filled_ > max_record_) {
      const char* after = read_header(b, e, o, header, lines);
      start_ = static_cast<std::size_t>(after - b);
      return;
    }
    buf_->resize(std::max(buf_->size(), std::min(buf_->size() * 2, max_record_ + 1)));
  }
}

namespace {
/// The start of the first record in [s, e) longer than `limit` bytes, the
/// unfinished one at the end included, or null.
const char* record_over(const char* s, const char* e, char delim, std::size_t limit) {
  while (s < e) {
    bool quoted = false;
    const char* next = find_cut(s, s, e, delim, quoted);
    if (static_cast<std::size_t>(next - s) > limit) return s;
    if (next <= s) break;
    s = next;
  }
  return nullptr;
}
}  // namespace

void stream_chunks::limit_chunk(task& t, const char* e) const {
  const char* over = record_over(t.begin, e, delim_, max_record_);
  if (over == t.begin) throw record_too_long{};
  if (over != nullptr && over < t.end) {
    t.end = over;
    t.quoted = std::memchr(t.begin, '"', static_cast<std::size_t>(over - t.begin)) != nullptr;
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
    const std::size_t span = static_cast<std::size_t>(e - s);
    if (eof_) {
      t.end = e;
      t.quoted = std::memchr(s, '"', span) != nullptr;
    } else {
      // Cut after the last record that ends in the buffer's last stretch, or
      // any record at all; none: the record is longer than the buffer.
      const char* target = e - std::min<std::size_t>(span / 2, 65536);
      t.end = find_cut(s, target, e, delim_, t.quoted);
      if (t.end == e) t.end = find_cut(s, s, e, delim_, t.quoted);
    }
    if (eof_ || t.end != e) {
      // A buffer bigger than the limit (grown for a long record, or passed
      // the rest of one) may hold a record over it, whole or not. The chunk
      // ends before it, so the next cut starts there and the line is known.
      if (span > max_record_) limit_chunk(t, e);
      break;
    }
    if (span > max_record_) throw record_too_long{};
    if (start_ > 0) {
      std::memmove(buf_->data(), s, span);
      filled_ = span;
      start_ = 0;
    }
    buf_->resize(std::max(buf_->size(), std::min(buf_->size() * 2, max_record_ + 1)));
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
