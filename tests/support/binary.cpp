#include "support/binary.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>  // posix_openpt, grantpt, unlockpt, ptsname
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "support/text.hpp"

extern char** environ;

namespace test_support {

namespace {

using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

/// Restores the default SIGPIPE disposition while alive, so that the shells we
/// start (and their children) see a closed pipe as usual even if the test
/// runner itself ignores SIGPIPE (an ignored signal is inherited across exec).
class default_sigpipe {
 public:
  default_sigpipe() {
    struct sigaction dfl {};
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    ::sigaction(SIGPIPE, &dfl, &old_);
  }
  ~default_sigpipe() { ::sigaction(SIGPIPE, &old_, nullptr); }
  default_sigpipe(const default_sigpipe&) = delete;
  default_sigpipe& operator=(const default_sigpipe&) = delete;

 private:
  struct sigaction old_ {};
};

}  // namespace

std::string binary_path() { return REGRESS_BINARY; }

std::string quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

outcome sh(const scratch_dir& dir, const std::string& script) {
  const std::string command = "cd " + quote(dir.path()) + " && REGRESS=" + quote(binary_path()) +
                              " && export REGRESS && { " + script + "\n} </dev/null >" +
                              quote(dir.file(".stdout")) + " 2>" + quote(dir.file(".stderr"));
  default_sigpipe guard;
  const int raw = std::system(command.c_str());
  outcome r;
  r.status = raw != -1 && WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  r.out = dir.read(".stdout");
  r.err = dir.read(".stderr");
  return r;
}

outcome regress(const scratch_dir& dir, const std::string& args) {
  return sh(dir, "\"$REGRESS\" " + args);
}

std::string succeed(const scratch_dir& dir, const std::string& args) {
  const outcome r = regress(dir, args);
  INFO("regress " << args);
  INFO("stderr: " << r.err);
  REQUIRE(r.status == 0);
  return r.out;
}

void check_failure(const outcome& r, int code, std::initializer_list<std::string> mentions) {
  INFO("stdout: " << r.out);
  INFO("stderr: " << r.err);
  CHECK(r.status == code);
  CHECK(r.out.empty());
  CHECK_THAT(r.err, StartsWith("regress: error: "));
  CHECK(count_lines(r.err) == 1);
  for (const auto& m : mentions) CHECK_THAT(r.err, Contains(m));
}

child_process::child_process(const std::vector<std::string>& argv, const std::string& stderr_path) {
  int in_pipe[2];
  int out_pipe[2];
  REQUIRE(::pipe(in_pipe) == 0);
  REQUIRE(::pipe(out_pipe) == 0);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_ = ::fork();
  REQUIRE(pid_ >= 0);
  if (pid_ == 0) {
    ::signal(SIGPIPE, SIG_DFL);
    const int err = ::open(stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ::dup2(in_pipe[0], STDIN_FILENO);
    ::dup2(out_pipe[1], STDOUT_FILENO);
    if (err >= 0) ::dup2(err, STDERR_FILENO);
    ::close(in_pipe[0]);
    ::close(in_pipe[1]);
    ::close(out_pipe[0]);
    ::close(out_pipe[1]);
    if (err >= 0) ::close(err);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  ::close(in_pipe[0]);
  ::close(out_pipe[1]);
  to_child_ = in_pipe[1];
  from_child_ = out_pipe[0];
  // Writing to a child that died must fail the test, not kill the runner.
  struct sigaction ign {};
  ign.sa_handler = SIG_IGN;
  sigemptyset(&ign.sa_mask);
  ::sigaction(SIGPIPE, &ign, &old_sigpipe_);
}

child_process::~child_process() {
  close_stdin();
  if (from_child_ >= 0) ::close(from_child_);
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
  ::sigaction(SIGPIPE, &old_sigpipe_, nullptr);
}

bool child_process::write(const std::string& text) {
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(to_child_, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

void child_process::close_stdin() {
  if (to_child_ >= 0) ::close(to_child_);
  to_child_ = -1;
}

std::string child_process::read_lines(std::size_t lines, int timeout_ms) {
  while (count_lines(pending_) < lines) {
    if (!read_some(timeout_ms)) break;
  }
  std::string result;
  for (std::size_t i = 0; i < lines; ++i) {
    const std::size_t nl = pending_.find('\n');
    if (nl == std::string::npos) break;
    result += pending_.substr(0, nl + 1);
    pending_.erase(0, nl + 1);
  }
  return result;
}

std::string child_process::read_rest(int timeout_ms) {
  while (read_some(timeout_ms)) {
  }
  std::string result;
  result.swap(pending_);
  return result;
}

int child_process::wait() {
  int status = 0;
  const pid_t done = ::waitpid(pid_, &status, 0);
  pid_ = -1;
  return done > 0 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

bool child_process::read_some(int timeout_ms) {
  pollfd p{from_child_, POLLIN, 0};
  int ready;
  do {
    ready = ::poll(&p, 1, timeout_ms);
  } while (ready < 0 && errno == EINTR);
  if (ready <= 0) return false;  // timed out
  char buffer[4096];
  const ssize_t n = ::read(from_child_, buffer, sizeof buffer);
  if (n <= 0) return false;  // end of file
  pending_.append(buffer, static_cast<std::size_t>(n));
  return true;
}

tty_outcome run_on_tty(const std::vector<std::string>& args, const char* no_color) {
  tty_outcome r;
  const int master = ::posix_openpt(O_RDWR | O_NOCTTY);
  if (master < 0) return r;
  if (::grantpt(master) != 0 || ::unlockpt(master) != 0 || ::ptsname(master) == nullptr) {
    ::close(master);
    return r;
  }
  const std::string slave_name = ::ptsname(master);

  // Everything the child needs is built before fork.
  std::vector<std::string> argv_text{binary_path()};
  argv_text.insert(argv_text.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_text) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_text;
  for (char** e = environ; *e != nullptr; ++e) {
    if (std::strncmp(*e, "NO_COLOR=", 9) != 0) env_text.emplace_back(*e);
  }
  if (no_color != nullptr) env_text.push_back(std::string("NO_COLOR=") + no_color);
  std::vector<char*> envp;
  for (auto& e : env_text) envp.push_back(e.data());
  envp.push_back(nullptr);

  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(master);
    return r;
  }
  if (pid == 0) {
    ::setsid();
    const int slave = ::open(slave_name.c_str(), O_RDWR);
    const int devnull = ::open("/dev/null", O_RDWR);
    if (slave < 0 || devnull < 0) ::_exit(126);
    ::dup2(devnull, STDIN_FILENO);
    ::dup2(slave, STDOUT_FILENO);
    ::dup2(devnull, STDERR_FILENO);
    ::close(master);
    ::execve(argv[0], argv.data(), envp.data());
    ::_exit(127);
  }
  r.available = true;
  char buffer[4096];
  for (;;) {
    pollfd p{master, POLLIN, 0};
    const int ready = ::poll(&p, 1, 30000);
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) {
      ::kill(pid, SIGKILL);  // hung: the test fails on the status below
      break;
    }
    const ssize_t got = ::read(master, buffer, sizeof buffer);
    if (got > 0) {
      r.out.append(buffer, static_cast<std::size_t>(got));
      continue;
    }
    if (got < 0 && errno == EINTR) continue;
    break;  // EIO once the child has closed the terminal
  }
  int raw = 0;
  while (::waitpid(pid, &raw, 0) < 0 && errno == EINTR) {
  }
  ::close(master);
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  return r;
}

}  // namespace test_support
