// A signal while an output file's temporary exists: the temporary is removed
// and the old file kept, and the process still ends as the signal would.
// The signal is raised from inside the writer, in a child process, so it
// always comes while the temporary holds part of the text: a test that
// waits from a shell for the temporary to appear races a write that takes
// milliseconds.

#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <string>

#include "cli/output_file.hpp"
#include "support/files.hpp"

namespace {

/// Writes `target` in a child process whose writer raises `sig` half way;
/// returns the child's wait status.
int write_interrupted(const std::string& target, int sig) {
  std::fflush(nullptr);
  const pid_t child = ::fork();
  if (child == 0) {
    try {
      regress::cli::write_file_atomically(target, [sig](std::ostream& out) {
        out << "<svg>partial";
        out.flush();
        ::raise(sig);
        out << "</svg>\n";
      });
    } catch (...) {
    }
    ::_exit(0);  // reached only if the signal did not end the child
  }
  int status = 0;
  if (child < 0 || ::waitpid(child, &status, 0) != child) return -1;
  return status;
}

}  // namespace

TEST_CASE(
    "SIGTERM, SIGINT or SIGHUP while an output is written removes the temporary and keeps "
    "the old file",
    "[cli][hostile]") {
  for (const int sig : {SIGTERM, SIGINT, SIGHUP}) {
    INFO("signal " << sig);
    test_support::scratch_dir dir;
    dir.write("t.svg", "old\n");
    const int status = write_interrupted(dir.path() + "/t.svg", sig);
    REQUIRE(status != -1);
    CHECK(WIFSIGNALED(status));
    CHECK(WTERMSIG(status) == sig);
    CHECK(dir.read("t.svg") == "old\n");
    std::size_t temporaries = 0;
    for (const auto& e : std::filesystem::directory_iterator(dir.path())) {
      if (e.path().filename().string().find(".tmp.") != std::string::npos) ++temporaries;
    }
    CHECK(temporaries == 0);
  }
}
