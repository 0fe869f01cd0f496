#include "temporary_file.hpp"

#include <pthread.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>

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

}  // namespace

temporary_file::temporary_file(const std::string& target) {
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
    throw data_error("cannot create a temporary file beside '" + target + "': " + std::strerror(e) +
                     "; check the directory exists and is writable");
  }
}

temporary_file::~temporary_file() {
  if (fd_ >= 0) ::close(fd_);
  if (!committed_) {
    ::unlink(path_.c_str());
    pending = 0;
  }
}

int temporary_file::close() {
  const int r = ::close(fd_);
  fd_ = -1;
  return r == 0 ? 0 : errno;
}

int temporary_file::commit(const std::string& target) {
  if (::rename(path_.c_str(), target.c_str()) != 0) return errno;
  committed_ = true;
  pending = 0;
  return 0;
}

}  // namespace regress::cli
