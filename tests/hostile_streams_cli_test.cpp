
// A hostile environment that only a real process shows: a named pipe whose
// writer comes and goes, a limit on processes that refuses threads, and no
// writable temporary directory at all. Each run is bounded by timeout(1): a
// hang fails the test. The cases that need setpriv, prlimit or unshare skip
// with a message where those cannot run (not root, no namespaces).

#include <catch2/catch.hpp>
#include <string>

#include "support/binary.hpp"
#include "support/files.hpp"
#include "support/sanitizer.hpp"

namespace {

using Catch::Matchers::Contains;
using test_support::outcome;
using test_support::quote;
using test_support::scratch_dir;
using test_support::sh;

/// Whether `probe` (a shell command) succeeds here.
bool can_run(const scratch_dir& dir, const std::string& probe) {
  return sh(dir, probe + " >/dev/null 2>&1").status == 0;
}

}  // namespace

TEST_CASE("fit reads a named pipe once, whenever its writer comes and goes",
          "[hostile][streams][process]") {
  const scratch_dir dir;
  // The writer opens the pipe after regress has, writes and closes: a
  // second open of the pipe would wait for a writer for ever.
  const outcome r = sh(dir,
                       "mkfifo p\n(sleep 0.2; printf 'x,y\\n1,2\\n2,3\\n3,5\\n' > p) & "
                       "timeout 10 \"$REGRESS\" fit p -y y -x x --format csv; s=$?; wait; exit $s");
  INFO(r.err);
  CHECK(r.status == 0);
  CHECK_THAT(r.out, Contains("x,1.5,"));
}

TEST_CASE("predict reads named pipes for -m and --new once", "[hostile][streams][process]") {
  const scratch_dir dir;
  const outcome r = sh(
      dir, "\"$REGRESS\" fit " + quote(test_support::cars()) +
               " -y dist -x speed --save m.json >/dev/null\nmkfifo pm pn\n"
               "(sleep 0.2; cat m.json > pm) & (sleep 0.3; printf 'speed\\n10\\n' > pn) & "
               "timeout 10 \"$REGRESS\" predict -m pm --new pn --format csv; s=$?; wait; exit $s");
  INFO(r.err);
  CHECK(r.status == 0);
  CHECK_THAT(r.out, Contains("21.74"));
}

TEST_CASE("fit runs on the threads the system lets start, and never hangs or aborts",
          "[hostile][streams][process]") {
  const scratch_dir dir;
  const std::string limited = "setpriv --reuid=65534 --regid=65534 --clear-groups prlimit --nproc=";
  if (!can_run(dir, limited + "4 true")) {
    WARN("skipped: setpriv/prlimit cannot run here (needs root)");
    return;
  }
  if (test_support::sanitized) {
    WARN("skipped: a sanitised binary's leak checker needs a process of its own at exit");
    return;
  }
  // The data where user 65534 can read it.
  sh(dir, "chmod 755 . && cp " + quote(test_support::cars()) + " cars.csv && chmod 644 cars.csv");
  for (const char* nproc : {"4", "2", "1"}) {
    INFO("--nproc=" << nproc);
    const outcome r =
        sh(dir, "timeout 10 " + limited + nproc +
                    " \"$REGRESS\" fit cars.csv -y dist -x speed --threads 8 --format csv");
    INFO(r.err);
    CHECK(r.status == 0);
    CHECK_THAT(r.out, Contains("speed,3.93240875912408"));
    CHECK_THAT(r.err, Contains("regress: warning: the system let only "));
    CHECK_THAT(r.err, Contains(" of 8 threads start"));
  }
}

TEST_CASE("A --threads 512 under a memory limit is capped and fits",
          "[hostile][streams][process]") {
  const scratch_dir dir;
  if (!can_run(dir, "prlimit --as=4000000000 true") || test_support::sanitized) {
    WARN("skipped: prlimit cannot run here, or a sanitised binary cannot start under --as");
    return;
  }
  const outcome r =
      sh(dir, "timeout 10 prlimit --as=4000000000 \"$REGRESS\" fit " + quote(test_support::cars()) +
                  " -y dist -x speed --threads 512 --format csv");
  INFO(r.err);
  CHECK(r.status == 0);
  CHECK_THAT(r.err, Contains("--threads 512 is more than this machine can use"));
}

TEST_CASE("Standard input without any writable temporary directory is fitted in one pass",
          "[hostile][streams][process]") {
  const scratch_dir dir;
  if (!can_run(dir, "unshare -m true")) {
    WARN("skipped: unshare -m cannot run here (needs root)");
    return;
  }
  // /tmp (P_tmpdir) made read-only in a private mount namespace, by a
  // read-only bind of itself (not a tmpfs over it, which would hide a build
  // tree, and so the binary, that lives under /tmp), and a TMPDIR that does
  // not exist.
  const outcome r =
      sh(dir,
         "printf 'x,y\\n1,2\\n2,3.5\\n3,5\\n4,8\\n' > d.csv && timeout 10 unshare -m sh -c "
         "'mount --bind /tmp /tmp && mount -o remount,ro,bind /tmp && "
         "TMPDIR=/nonexistent-regress-dir "
         "\"$REGRESS\" fit -y y -x x < d.csv'");
  INFO(r.err);
  CHECK(r.status == 0);
  CHECK_THAT(r.out, Contains("Coefficients:"));
  CHECK_THAT(r.err, Contains("cannot create a temporary file in '/nonexistent-regress-dir'") &&
                        Contains("reading it once, without a second pass"));
  CHECK_THAT(r.err, Contains("the Residuals block is left out"));
}
