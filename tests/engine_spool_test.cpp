// Where a stream's temporary copy goes: engine_options::spool_dir, which the
// command line fills from TMPDIR (else /tmp); the engine itself never reads
// the environment.

#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "cli/run.hpp"
#include "regress/engine/engine.hpp"
#include "regress/error.hpp"
#include "regress/reading/table.hpp"

namespace {

const char* const missing_dir = "/nonexistent-regress-spool-dir";

regress::column_chooser y_on_x() {
  return [](const std::vector<std::string>& header) {
    regress::column_choice c;
    c.spec.response = "y";
    c.spec.predictors = {"x"};
    c.indices = {regress::resolve_column(header, "y"), regress::resolve_column(header, "x")};
    return c;
  };
}

/// Sets TMPDIR for the scope and puts the old value back after.
class tmpdir_set_to {
 public:
  explicit tmpdir_set_to(const char* dir) {
    if (const char* old = std::getenv("TMPDIR"); old != nullptr) old_ = old;
    ::setenv("TMPDIR", dir, 1);
  }
  ~tmpdir_set_to() {
    if (old_) {
      ::setenv("TMPDIR", old_->c_str(), 1);
    } else {
      ::unsetenv("TMPDIR");
    }
  }
  tmpdir_set_to(const tmpdir_set_to&) = delete;
  tmpdir_set_to& operator=(const tmpdir_set_to&) = delete;

 private:
  std::optional<std::string> old_;
};

const std::string data = "x,y\n1,2.5\n2,3.9\n3,6.1\n4,8.2\n";

}  // namespace

TEST_CASE("a stream is spooled in engine_options::spool_dir, else in the system's directory",
          "[engine][spool]") {
  std::istringstream in(data);
  regress::engine_options o;
  o.spool_dir = missing_dir;
  const auto r = regress::fit_csv_stream(in, y_on_x(), o);
  CHECK(r.rows_read == 4);
  REQUIRE(r.warnings.size() == 1);
  CHECK_THAT(r.warnings[0], Catch::Contains(std::string("cannot create a temporary file in '") +
                                            missing_dir + "' to hold standard input") &&
                                Catch::Contains("; using '" + std::string(P_tmpdir) + "' instead"));
}

TEST_CASE("the engine does not read TMPDIR", "[engine][spool]") {
  const tmpdir_set_to unusable(missing_dir);
  std::istringstream in(data);
  const auto r = regress::fit_csv_stream(in, y_on_x(), {});
  CHECK(r.rows_read == 4);
}

TEST_CASE("fit from standard input spools in TMPDIR, resolved by the command line",
          "[cli][spool]") {
  const tmpdir_set_to unusable(missing_dir);
  std::istringstream in(data);
  std::ostringstream out, err;
  const int code = regress::cli::run({"fit", "-"}, in, out, err);
  CHECK(code == 0);
  CHECK_THAT(out.str(), Catch::Contains("Residuals:"));
  CHECK(err.str() == std::string("regress: warning: cannot create a temporary file in '") +
                         missing_dir +
                         "' to hold standard input: No such file or directory; using '" + P_tmpdir +
                         "' instead (set TMPDIR to a writable directory)\n");
}
