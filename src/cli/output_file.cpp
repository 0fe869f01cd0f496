#include "output_file.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <sstream>

#include "regress/error.hpp"

namespace regress::cli {

void write_file_atomically(const std::string& path,
                           const std::function<void(std::ostream&)>& write) {
  namespace fs = std::filesystem;
  // Render before the temporary exists: a writer that throws (a column name
  // JSON cannot hold, say) then leaves nothing behind.
  std::ostringstream buffer;
  write(buffer);
  const std::string text = buffer.str();
  const fs::path target(path);
  const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::string tmpl = (dir / ("." + target.filename().string() + ".tmp.XXXXXX")).string();
  const int fd = ::mkstemp(tmpl.data());
  if (fd < 0) {
    throw data_error("cannot create a temporary file beside '" + path +
                     "': " + std::strerror(errno) + "; check the directory exists and is writable");
  }
  // mkstemp creates 0600; give the file the usual permissions under umask.
  const mode_t mask = ::umask(0);
  ::umask(mask);
  ::fchmod(fd, 0666 & ~mask);
  std::size_t done = 0;
  bool ok = true;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      ok = false;
      break;
    }
    done += static_cast<std::size_t>(n);
  }
  const int saved = errno;
  ok = ok && ::fsync(fd) == 0;
  ok = (::close(fd) == 0) && ok;
  if (!ok || ::rename(tmpl.c_str(), path.c_str()) != 0) {
    const int e = ok ? errno : saved;
    ::unlink(tmpl.c_str());
    throw data_error("cannot write '" + path + "': " + std::strerror(e) +
                     "; the previous file, if any, is unchanged");
  }
}

}  // namespace regress::cli
