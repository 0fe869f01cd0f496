// explore holds no rows (issue 12 item 13): a -y/-x model on a file and any
// formula model without ns()/bs() are fitted by the streaming engine, and the
// picture's training points are picked in a pass over the rows. The table
// and the picture are the ones the in-memory path (standard input) draws,
// the same for any --threads, and the memory does not grow with the rows.

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstddef>
#include <fstream>
#include <string>

#include "support/binary.hpp"
#include "support/files.hpp"
#include "support/sanitizer.hpp"

namespace {

using test_support::outcome;
using test_support::scratch_dir;
using test_support::sh;

/// `rows` rows of x (a scramble of 0..rows-1, so the smallest and largest
/// sit off any stride), z, a factor g and y.
void write_rows(const std::string& path, std::size_t rows) {
  std::ofstream out(path);
  out << "x,z,g,y\n";
  for (std::size_t i = 0; i < rows; ++i) {
    const std::size_t x = (i * 4099 + 17) % rows;
    const double z = double((i * 31) % 101) / 10;
    const char* g = i % 3 == 0 ? "a" : "b";
    out << x << ',' << z << ',' << g << ',' << double(x % 97) + 0.5 * double(x) - z << '\n';
  }
}

/// Runs `regress ARGS` in dir, requiring exit 0; returns stdout.
std::string run_ok(const scratch_dir& dir, const std::string& args) {
  const outcome r = sh(dir, "\"$REGRESS\" " + args);
  INFO(args << "\n" << r.err);
  REQUIRE(r.status == 0);
  return r.out;
}

std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("explore on a file streams: the table and picture are the in-memory ones",
          "[hostile][explore][stream]") {
  const scratch_dir dir;
  write_rows(dir.path() + "/d.csv", 9001);
  for (const std::string model :
       {"-y y -x x", "-y y -x x --degree 1,2,3", "-y y -x x -x z --hold z=2"}) {
    INFO(model);
    const std::string args = model + " --from -100 --to 9100 --steps 51";
    // A file is streamed; standard input is read into memory as before.
    const std::string streamed = run_ok(dir, "explore d.csv " + args + " --svg s.svg");
    const std::string in_memory = run_ok(dir, "explore - " + args + " --svg m.svg < d.csv");
    CHECK(streamed == in_memory);
    const std::string svg = test_support::read_file(dir.path() + "/s.svg");
    CHECK(svg == test_support::read_file(dir.path() + "/m.svg"));
    // Thinned to at most 4000 points, whatever the threads.
    run_ok(dir, "explore d.csv " + args + " --threads 1 --svg t1.svg");
    run_ok(dir, "explore d.csv " + args + " --threads 3 --svg t3.svg");
    CHECK(test_support::read_file(dir.path() + "/t1.svg") == svg);
    CHECK(test_support::read_file(dir.path() + "/t3.svg") == svg);
  }
  // The text picture too.
  CHECK(run_ok(dir, "explore d.csv -y y -x x --plot --ascii") ==
        run_ok(dir, "explore - -y y -x x --plot --ascii < d.csv"));
}

TEST_CASE("explore of a formula streams the same picture for any --threads",
          "[hostile][explore][stream]") {
  const scratch_dir dir;
  write_rows(dir.path() + "/d.csv", 9001);
  for (const std::string formula :
       {"'y ~ x'", "'y ~ x * g + z' --along x --hold g=b", "'y ~ log(x + 1)'"}) {
    INFO(formula);
    const std::string base = "explore d.csv " + formula + " --steps 31";
    const std::string one = run_ok(dir, base + " --threads 1 --svg -");
    CHECK(one == run_ok(dir, base + " --threads 3 --svg -"));
    CHECK(one == run_ok(dir, "explore - " + formula + " --steps 31 --svg - < d.csv"));
    // The points are drawn as circles; at most picture_points() of them.
    const std::size_t points = count_of(one, "<circle");
    CHECK(points > 1000);
    CHECK(points <= 4000);
  }
}

TEST_CASE("explore of millions of rows stays in bounded memory", "[hostile][explore][stream]") {
  const scratch_dir dir;
  if (sh(dir, "/usr/bin/time -f %M true >/dev/null 2>&1").status != 0 || test_support::sanitized) {
    WARN("skipped: /usr/bin/time cannot run here, or the binary is sanitised");
    return;
  }
  // 3,000,000 rows (about 80 MB): holding them took several times the
  // file; streamed, the mapped file's pages are released chunk by chunk and
  // the peak stays far below the file's size.
  write_rows(dir.path() + "/big.csv", 3000000);
  const outcome r = sh(dir,
                       "timeout 120 /usr/bin/time -f %M -o rss.txt \"$REGRESS\" explore big.csv "
                       "-y y -x x -x z --threads 2 --plot --svg big.svg && cat rss.txt");
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK(r.out.find("Training range of x") != std::string::npos);
  const std::string last = r.out.substr(r.out.find_last_of('\n', r.out.size() - 2) + 1);
  const double peak_kib = std::stod(last);
  INFO("peak resident " << peak_kib / 1024 << " MiB");
  CHECK(peak_kib < 80 * 1024);
}
