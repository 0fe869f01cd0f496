#include "regress/engine/spool.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <utility>

#include "regress/error.hpp"

namespace regress::engine {

namespace {
/// An unlinked temporary file in `dir`, or -1 with errno set.
int unlinked_temporary(const std::string& dir) {
  std::string name = dir + "/regress-spool-XXXXXX";
  const int fd = ::mkstemp(name.data());
  if (fd >= 0) ::unlink(name.c_str());
  return fd;
}
}  // namespace

spool::spool(std::string dir, std::uint64_t limit) : dir_(std::move(dir)), limit_(limit) {
  fd_.fd = unlinked_temporary(dir_);
  if (fd_.fd >= 0) return;
  failure_ = "cannot create a temporary file in '" + dir_ +
             "' to hold standard input: " + std::strerror(errno);
  // An unusable $TMPDIR must not fail every fit from a pipe: the system's
  // default directory, else one pass.
  const std::string fallback = P_tmpdir;
  if (fallback != dir_) {
    fd_.fd = unlinked_temporary(fallback);
    if (fd_.fd >= 0) {
      warnings_.push_back(failure_ + "; using '" + fallback + "' instead (set TMPDIR to a " +
                          "writable directory)");
      dir_ = fallback;
      return;
    }
    failure_ += ", nor in '" + fallback + "': " + std::strerror(errno);
  }
  spooling_ = false;
  warnings_.push_back(failure_ +
                      "; reading it once, without a second pass (set TMPDIR to a writable "
                      "directory, or give a file)");
}

void spool::keep_all() {
  if (fd_.fd < 0) {
    throw data_error(failure_ + "; set TMPDIR to a writable directory, or give a file");
  }
  must_keep_ = true;
}

void spool::write(const char* p, std::size_t n) {
  if (!spooling_ || fd_.fd < 0) return;
  if (!must_keep_ && spooled_ + n > limit_) {
    spooling_ = false;
    if (::ftruncate(fd_.fd, 0) != 0) {
      // The space is released when the descriptor closes anyway.
    }
    return;
  }
  spooled_ += n;
  while (n > 0) {
    const ssize_t w = ::write(fd_.fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      throw data_error("cannot write the temporary copy of standard input in '" + dir_ + "': " +
                       std::strerror(errno) + "; free some space or set TMPDIR, or give a file");
    }
    p += w;
    n -= static_cast<std::size_t>(w);
  }
}

mapped_file spool::map() const {
  struct stat st {};
  if (::fstat(fd_.fd, &st) != 0) {
    throw data_error(std::string("cannot read back the temporary copy of standard input: ") +
                     std::strerror(errno));
  }
  return mapped_file(fd_.fd, static_cast<std::size_t>(st.st_size), "the spool");
}

}  // namespace regress::engine
