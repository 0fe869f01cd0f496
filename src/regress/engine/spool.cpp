#include "regress/engine/spool.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <utility>

#include "regress/error.hpp"

namespace regress::engine {

spool::spool(std::string dir, std::uint64_t limit) : dir_(std::move(dir)), limit_(limit) {
  std::string name = dir_ + "/regress-spool-XXXXXX";
  fd_.fd = ::mkstemp(name.data());
  if (fd_.fd < 0) {
    throw data_error("cannot create a temporary file in '" + dir_ + "' to hold standard input: " +
                     std::strerror(errno) + "; set TMPDIR to a writable directory, or give a file");
  }
  ::unlink(name.c_str());
}

void spool::write(const char* p, std::size_t n) {
  if (!spooling_) return;
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
