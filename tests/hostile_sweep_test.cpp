// explore with a huge --steps: the sweep table is written a row at a time
// (never held), the picture and the summary keep at most kept_sweep_rows
// rows, and the streamed table is the one a collected sweep gives. The
// memory bound is checked under prlimit --as (skipped with a message where
// prlimit cannot run); every run is bounded by timeout(1).

#include <algorithm>
#include <catch2/catch.hpp>
#include <fstream>
#include <numeric>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "regress/analyses/explore.hpp"
#include "regress/model/frame.hpp"
#include "regress/output/sweep_table.hpp"
#include "regress/pictures/explore_picture.hpp"
#include "regress/reading/csv.hpp"
#include "support/binary.hpp"
#include "support/files.hpp"
#include "support/sanitizer.hpp"

using namespace regress;

namespace {

using test_support::outcome;
using test_support::quote;
using test_support::scratch_dir;
using test_support::sh;

formula_frame frame_of(std::istream& in, const std::string& formula) {
  csv_reader reader(in, csv_options{',', "data"});
  std::vector<std::string> header;
  reader.next(header);
  const formula_rows data = read_formula_rows(reader, header, formula, "");
  std::vector<std::size_t> all(data.records());
  std::iota(all.begin(), all.end(), 0);
  return bind_frame(data, all);
}

formula_frame cars_frame(const std::string& formula) {
  const std::string path = test_support::repo_path("data/cars.csv");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  return frame_of(in, formula);
}

std::string table_of(const exploration& e, output_format format) {
  std::ostringstream out;
  write_sweep(out, e, format);
  return out.str();
}

}  // namespace

TEST_CASE("A sweep longer than the kept rows streams the table a collected sweep gives",
          "[hostile][explore][sweep]") {
  const formula_frame frame = cars_frame("dist ~ poly(speed, 2)");
  const model m = fit_formula(frame, 0.95);
  explore_request r;
  r.from = -20;
  r.to = 50;
  r.steps = 3001;
  const exploration e = explore_formula(m, r);
  // Only the picture's resolution is held, over the same ends.
  REQUIRE(e.models.front().rows.size() == kept_sweep_rows);
  CHECK(e.models.front().rows.front().x == -20);
  CHECK(e.models.front().rows.back().x == 50);
  CHECK(explore_picture(e, frame).series.front().x.size() == kept_sweep_rows);
  // The old way: every row collected first, then written.
  exploration collected = e;
  collected.models.front().rows = sweep(m, e.line, -20, 50, 3001, 0.95);
  collected.models.front().fitted = nullptr;
  collected.steps = 0;
  for (const output_format f : {output_format::csv, output_format::json}) {
    const std::string streamed = table_of(e, f);
    CHECK(streamed == table_of(collected, f));
    CHECK(std::count(streamed.begin(), streamed.end(), '\n') >= 3001);
  }
  // A sweep short enough to keep is kept whole.
  r.steps = 201;
  CHECK(explore_formula(m, r).models.front().rows.size() == 201);
}

TEST_CASE("explore --steps in the millions runs in bounded memory", "[hostile][explore][sweep]") {
  const scratch_dir dir;
  if (sh(dir, "prlimit --as=4000000000 true >/dev/null 2>&1").status != 0 ||
      test_support::sanitized) {
    WARN("skipped: prlimit cannot run here, or a sanitised binary cannot start under --as");
    return;
  }
  // Holding the sweep took 96 bytes a row (96 MB for a million rows); the
  // streamed sweep fits in 40 MB of address space whatever --steps is.
  const std::string limited = "timeout 20 prlimit --as=40000000 \"$REGRESS\" explore " +
                              quote(test_support::cars()) + " -y dist -x speed";
  const outcome text = sh(dir, limited + " --steps 1000000 --format text");
  INFO(text.err);
  CHECK(text.status == 0);
  CHECK(text.out.find("Training range of speed") != std::string::npos);
  const outcome csv =
      sh(dir, limited + " --steps 600000 --format csv > t.csv; s=$?; tail -n 1 t.csv; exit $s");
  INFO(csv.err);
  CHECK(csv.status == 0);
  CHECK(csv.out.rfind("46,", 0) == 0);
}

TEST_CASE("explore's picture draws a deterministic sample that keeps the x extremes",
          "[hostile][explore][sweep]") {
  // 9001 rows; x is a scramble of 0..9000 whose smallest and largest values
  // sit at rows 4001 and 7777, off any stride from row 0.
  std::ostringstream text;
  text << "x,y\n";
  for (std::size_t i = 0; i < 9001; ++i) {
    std::size_t x = (i * 4099 + 17) % 9001;
    if (i == 4001) x = 0;
    if (i == 7777) x = 9000;
    if (x == 0 && i != 4001) x = 1;
    if (x == 9000 && i != 7777) x = 8999;
    text << x << ',' << double(x % 97) + 0.5 * double(x) << '\n';
  }
  std::istringstream in(text.str());
  const formula_frame frame = frame_of(in, "y ~ x");
  const model m = fit_formula(frame, 0.95);
  explore_request r;
  r.from = -100;
  r.to = 9100;
  const exploration e = explore_formula(m, r);
  const plot_data once = explore_picture(e, frame);
  REQUIRE(once.point_x.size() <= picture_points());
  CHECK(once.point_x.size() > picture_points() / 2);
  CHECK(*std::min_element(once.point_x.begin(), once.point_x.end()) == 0);
  CHECK(*std::max_element(once.point_x.begin(), once.point_x.end()) == 9000);
  const plot_data twice = explore_picture(e, frame);
  CHECK(once.point_x == twice.point_x);
  CHECK(once.point_y == twice.point_y);
  // Few enough rows are drawn whole.
  const formula_frame cars = cars_frame("dist ~ speed");
  const exploration small = explore_formula(fit_formula(cars, 0.95), r);
  CHECK(explore_picture(small, cars).point_x.size() == 50);
}
