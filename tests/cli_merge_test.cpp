// End-to-end: `regress fit --save-state` on shards and `regress merge` of the
// saved states, run as the built binary through /bin/sh in a scratch
// directory (support/binary.hpp).

#include <catch2/catch.hpp>
#include <string>

#include "support/binary.hpp"
#include "support/files.hpp"
#include "support/numeric.hpp"

using namespace test_support;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

// ===========================================================================
// merge

TEST_CASE("merging the states of any split equals fitting the whole", "[cli][merge]") {
  scratch_dir dir;
  const std::string text = plane_csv(1000);
  dir.write("all.csv", text);
  const auto whole = sh(dir, "\"$REGRESS\" fit all.csv -y y -x x1,x2 --format csv");
  REQUIRE(whole.status == 0);
  // split -n: 3 pieces with the header repeated, as a map step would make them.
  const auto split =
      sh(dir,
         "tail -n +2 all.csv > body && split -n l/3 body part_ && for p in part_??; do "
         "{ echo x1,x2,y; cat $p; } > $p.csv && "
         "\"$REGRESS\" fit $p.csv -y y -x x1,x2 --save-state $p.json --format csv > /dev/null "
         "|| exit 1; done && \"$REGRESS\" merge part_*.json --format csv");
  INFO(split.err);
  REQUIRE(split.status == 0);
  require_close(whole.out, split.out, 1e-13);
  // The merged model predicts; text output has the training ranges.
  const auto saved = sh(dir,
                        "\"$REGRESS\" merge part_*.json --save m.json > /dev/null && "
                        "\"$REGRESS\" predict -m m.json --new all.csv --format csv | head -2");
  CHECK(saved.status == 0);
  CHECK_THAT(saved.out, StartsWith("x1,x2,fit,se_fit,lwr,upr,leverage,region"));
  CHECK_THAT(saved.err, Contains("lower bound"));
}

TEST_CASE("a shard that cannot be fitted alone still saves its state and merges", "[cli][merge]") {
  scratch_dir dir;
  const std::string text = plane_csv(200);
  dir.write("all.csv", text);
  const auto whole = sh(dir, "\"$REGRESS\" fit all.csv -y y -x x1,x2 --format csv");
  REQUIRE(whole.status == 0);
  // Row 1 alone (fewer rows than parameters) and the rest.
  const auto shards =
      sh(dir,
         "head -2 all.csv > one.csv && { head -1 all.csv; tail -n +3 all.csv; } > rest.csv && "
         "\"$REGRESS\" fit one.csv -y y -x x1,x2 --save-state one.json && "
         "\"$REGRESS\" fit rest.csv -y y -x x1,x2 --save-state rest.json > /dev/null && "
         "\"$REGRESS\" merge one.json rest.json --format csv");
  INFO(shards.err);
  REQUIRE(shards.status == 0);
  CHECK_THAT(shards.err, Contains("cannot be fitted alone"));
  CHECK_THAT(shards.err, Contains("one.json"));
  require_close(whole.out, shards.out, 1e-13);
  // Without --save-state the same rows are an error, as before; with --save
  // too, nothing is written.
  CHECK(sh(dir, "\"$REGRESS\" fit one.csv -y y -x x1,x2").status == 1);
  CHECK(
      sh(dir, "\"$REGRESS\" fit one.csv -y y -x x1,x2 --save-state s.json --save m.json").status ==
      1);
  CHECK(sh(dir, "test -e s.json || test -e m.json").status != 0);
}

TEST_CASE("merge refuses shards of different models and malformed state files", "[cli][merge]") {
  scratch_dir dir;
  dir.write("c.csv", read_file(cars()));
  const auto mismatch =
      sh(dir,
         "\"$REGRESS\" fit c.csv -y dist -x speed --save-state a.json > /dev/null && "
         "\"$REGRESS\" fit c.csv -y dist -x speed --degree 2 --save-state b.json > /dev/null && "
         "\"$REGRESS\" merge a.json b.json");
  CHECK(mismatch.status == 1);
  CHECK(mismatch.out.empty());
  CHECK_THAT(mismatch.err, StartsWith("regress: error: b.json is a fit of dist ~ speed, degree 2"));
  dir.write("bad.json", "{\"format\": \"regress-state\", \"version\": 1}");
  const auto bad = sh(dir, "\"$REGRESS\" merge a.json bad.json");
  CHECK(bad.status == 1);
  CHECK_THAT(bad.err, Contains("bad.json: missing field"));
  CHECK(sh(dir, "\"$REGRESS\" merge").status == 2);
  CHECK(sh(dir, "\"$REGRESS\" merge missing.json").status == 1);
}
