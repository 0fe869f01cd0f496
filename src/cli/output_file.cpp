#include "output_file.hpp"

#include <fcntl.h>
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <iostream>
#include <streambuf>

#include "file_checks.hpp"
#include "regress/error.hpp"

namespace regress::cli {
namespace {

// The temporary a signal handler must remove: its path, and whether it exists.
// Plain static storage, so that the handler reads it without allocating.
std::array<char, 4096> pending_path{};
volatile std::sig_atomic_t pending = 0;

extern "C" void remove_pending_and_reraise(int sig) {
  // Only async-signal-safe calls here: unlink, signal and raise. The signal
  // is blocked while its handler runs; raised again at its default, it ends
  // the process once the handler returns, so the parent sees it (128+sig).
  if (pending != 0) ::unlink(pending_path.data());
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

void install_signal_cleanup() {
  static bool installed = false;
  if (installed) return;
  installed = true;
  for (const int sig : {SIGINT, SIGTERM, SIGHUP}) {
    struct sigaction old {};
    if (::sigaction(sig, nullptr, &old) != 0 || old.sa_handler == SIG_IGN) continue;  // nohup
    struct sigaction act {};
    act.sa_handler = remove_pending_and_reraise;
    sigemptyset(&act.sa_mask);
    ::sigaction(sig, &act, nullptr);
  }
}

/// The temporary beside a target: created, registered for the signal
/// handler, and removed unless committed.
class temporary {
 public:
  explicit temporary(const std::string& target) {
    const auto slash = target.rfind('/');
    const std::string dir = slash == std::string::npos ? "" : target.substr(0, slash + 1);
    // Part of the name only, so that a name near the system's limit still
    // leaves room for the suffix.
    const std::string base = target.substr(dir.size()).substr(0, 64);
    path_ = dir + "." + base + ".tmp.XXXXXX";
    install_signal_cleanup();
    // Signals wait while the file is created and registered, so that none
    // finds it created but not registered.
    sigset_t block;
    sigset_t old;
    sigemptyset(&block);
    for (const int sig : {SIGINT, SIGTERM, SIGHUP}) sigaddset(&block, sig);
    ::pthread_sigmask(SIG_BLOCK, &block, &old);
    fd_ = ::mkstemp(path_.data());
    const int e = errno;
    if (fd_ >= 0 && path_.size() < pending_path.size()) {
      std::memcpy(pending_path.data(), path_.c_str(), path_.size() + 1);
      pending = 1;
    }
    ::pthread_sigmask(SIG_SETMASK, &old, nullptr);
    if (fd_ < 0) {
      throw data_error("cannot create a temporary file beside '" + target +
                       "': " + std::strerror(e) + "; check the directory exists and is writable");
    }
  }
  ~temporary() {
    if (fd_ >= 0) ::close(fd_);
    if (!committed_) {
      ::unlink(path_.c_str());
      pending = 0;
    }
  }
  temporary(const temporary&) = delete;
  temporary& operator=(const temporary&) = delete;

  [[nodiscard]] int fd() const { return fd_; }
  /// Closes the file; errno on failure, else 0.
  int close() {
    const int r = ::close(fd_);
    fd_ = -1;
    return r == 0 ? 0 : errno;
  }
  /// Renames the temporary to `target`; errno on failure, else 0.
  int commit(const std::string& target) {
    if (::rename(path_.c_str(), target.c_str()) != 0) return errno;
    committed_ = true;
    pending = 0;
    return 0;
  }

 private:
  std::string path_;
  int fd_ = -1;
  bool committed_ = false;
};

/// A stream buffer over a file descriptor that checks every write(2) and
/// remembers the first error, so the stream goes bad at once.
class fd_buffer : public std::streambuf {
 public:
  explicit fd_buffer(int fd) : fd_(fd) { setp(buffer_.data(), buffer_.data() + buffer_.size()); }
  [[nodiscard]] int error() const { return error_; }

 protected:
  int_type overflow(int_type c) override {
    if (!drain()) return traits_type::eof();
    if (!traits_type::eq_int_type(c, traits_type::eof())) {
      *pptr() = traits_type::to_char_type(c);
      pbump(1);
    }
    return traits_type::not_eof(c);
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    if (n <= epptr() - pptr()) {
      std::memcpy(pptr(), s, static_cast<std::size_t>(n));
      pbump(static_cast<int>(n));
      return n;
    }
    if (!drain() || !write_all(s, static_cast<std::size_t>(n))) return 0;
    return n;
  }
  int sync() override { return drain() ? 0 : -1; }

 private:
  bool drain() {
    const bool ok = write_all(pbase(), static_cast<std::size_t>(pptr() - pbase()));
    setp(buffer_.data(), buffer_.data() + buffer_.size());
    return ok;
  }
  bool write_all(const char* data, std::size_t size) {
    if (error_ != 0) return false;
    while (size > 0) {
      const ssize_t n = ::write(fd_, data, size);
      if (n < 0) {
        if (errno == EINTR) continue;
        error_ = errno;
        return false;
      }
      data += n;
      size -= static_cast<std::size_t>(n);
    }
    return true;
  }

  int fd_;
  int error_ = 0;
  std::array<char, std::size_t{1} << 16> buffer_{};
};

[[noreturn]] void write_failed(const std::string& path, int e, const char* what_is_left) {
  throw data_error("cannot write '" + path + "': " + std::strerror(e != 0 ? e : EIO) + "; " +
                   what_is_left);
}

/// Renders through `write` into `fd`; the errno of the first failed write, or 0.
int render_into(int fd, const std::function<void(std::ostream&)>& write) {
  fd_buffer buffer(fd);
  std::ostream stream(&buffer);
  write(stream);
  stream.flush();
  if (!stream) return buffer.error() != 0 ? buffer.error() : EIO;
  return 0;
}

/// A device or a named pipe: written in place, as `cat > path` would.
void write_in_place(const std::string& path, const std::function<void(std::ostream&)>& write) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) write_failed(path, errno, "check the device or pipe can be written");
  int e = 0;
  try {
    e = render_into(fd, write);
  } catch (...) {
    ::close(fd);
    throw;
  }
  if (::close(fd) != 0 && e == 0) e = errno;
  if (e != 0) write_failed(path, e, "what was written before the failure stays there");
}

/// A regular file (or none yet): a temporary beside it, renamed over it.
void replace_file(const std::string& path, const std::string& target, const struct stat* old,
                  const std::function<void(std::ostream&)>& write) {
  temporary tmp(target);
  if (old != nullptr) {
    // Keep the old file's owner (where we may) and mode; chown first, as it
    // may clear set-id bits that fchmod then restores.
    (void)::fchown(tmp.fd(), old->st_uid, old->st_gid);
    ::fchmod(tmp.fd(), old->st_mode & 07777);
  } else {
    // mkstemp creates 0600; give a new file the usual permissions under umask.
    const mode_t mask = ::umask(0);
    ::umask(mask);
    ::fchmod(tmp.fd(), 0666 & ~mask);
  }
  int e = render_into(tmp.fd(), write);
  if (e == 0 && ::fsync(tmp.fd()) != 0) e = errno;
  const int closed = tmp.close();
  if (e == 0) e = closed;
  if (e == 0) e = tmp.commit(target);
  if (e != 0) write_failed(path, e, "the previous file, if any, is unchanged");
}

}  // namespace

bool is_standard_output(const std::string& path) {
  if (path == "-") return true;
  struct stat file {};
  struct stat out {};
  return !path.empty() && ::stat(path.c_str(), &file) == 0 && ::fstat(STDOUT_FILENO, &out) == 0 &&
         file.st_dev == out.st_dev && file.st_ino == out.st_ino;
}

void write_output(const std::string& path, std::ostream& out,
                  const std::function<void(std::ostream&)>& write) {
  if (is_standard_output(path)) {
    write(out);
    out.flush();
    if (!out) throw data_error("cannot write to standard output ('" + path + "')");
    return;
  }
  if (!path.empty() && path.back() == '/') {
    throw data_error("cannot write '" + path + "': it names a directory; give a file name");
  }
  const std::string target = follow_links(path);
  struct stat st {};
  if (::stat(target.c_str(), &st) != 0) {
    if (errno != ENOENT) write_failed(path, errno, "check the path");
    replace_file(path, target, nullptr, write);
  } else if (S_ISDIR(st.st_mode)) {
    throw data_error("cannot write '" + path + "': it is a directory; give a file name");
  } else if (!S_ISREG(st.st_mode)) {
    write_in_place(target, write);
  } else {
    replace_file(path, target, &st, write);
  }
}

void write_file_atomically(const std::string& path,
                           const std::function<void(std::ostream&)>& write) {
  write_output(path, std::cout, write);
}

}  // namespace regress::cli
