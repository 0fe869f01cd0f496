#include "output_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <iostream>
#include <streambuf>

#include "file_checks.hpp"
#include "regress/error.hpp"
#include "temporary_file.hpp"

namespace regress::cli {
namespace {

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

/// A device or a named pipe: written in place, as `cat >> path` would.
void write_in_place(const std::string& path, const std::function<void(std::ostream&)>& write) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_NOCTTY | O_CLOEXEC);
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
  temporary_file tmp(target);
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
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) {
      throw data_error("cannot write '" + path + "': it is a directory; give a file name");
    }
    // A device, a pipe (also through /proc/self/fd's links, which name no
    // path), or the file standard error goes to: written where it is.
    struct stat err {};
    const bool is_stderr =
        ::fstat(STDERR_FILENO, &err) == 0 && err.st_dev == st.st_dev && err.st_ino == st.st_ino;
    if (!S_ISREG(st.st_mode) || is_stderr) {
      write_in_place(path, write);
      return;
    }
  }
  const std::string target = follow_links(path);
  if (::stat(target.c_str(), &st) == 0) {
    replace_file(path, target, &st, write);
  } else if (errno == ENOENT) {
    replace_file(path, target, nullptr, write);
  } else {
    write_failed(path, errno, "check the path");
  }
}

void write_file_atomically(const std::string& path,
                           const std::function<void(std::ostream&)>& write) {
  write_output(path, std::cout, write);
}

}  // namespace regress::cli
