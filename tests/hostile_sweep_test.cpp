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

using namespace regress;

namespace {

using test_support::outcome;
using test_support::quote;
using test_support::scratch_dir;
using test_support::sh;

formula_frame cars_frame(const std::string& formula) {
  const std::string path = test_support::repo_path("data/cars.csv");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  csv_reader reader(in, csv_options{',', "data"});
  std::vector<std::string> header;
  reader.next(header);
  const formula_rows data = read_formula_rows(reader, header, formula, "");
  std::vector<std::size_t> all(data.records());
  std::iota(all.begin(), all.end(), 0);
  return bind_frame(data, all);
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
  if (sh(dir, "prlimit --as=4000000000 true >/dev/null 2>&1").status != 0) {
    WARN("skipped: prlimit cannot run here");
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
  const outcome csv = sh(
      dir, limited +
               " --steps 600000 --format csv > t.csv; s=$?; tail -n 1 t.csv; exit $s");
  INFO(csv.err);
  CHECK(csv.status == 0);
  CHECK(csv.out.rfind("46,", 0) == 0);
}
