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

TEST_CASE("a polynomial state saved before terms took R's names (x^2) still merges",
          "[cli][merge]") {
  scratch_dir dir;
  dir.write("all.csv", plane_csv(300));
  const auto whole = sh(dir, "\"$REGRESS\" fit all.csv -y y -x x1 --degree 3 --format csv");
  REQUIRE(whole.status == 0);
  // The same state with the old spelling of the power terms.
  const auto old = sh(dir,
                      "\"$REGRESS\" fit all.csv -y y -x x1 --degree 3 --save-state new.json "
                      ">/dev/null && grep -q 'I(x1^2)' new.json && "
                      "sed -e 's/I(x1^2)/x1^2/; s/I(x1^3)/x1^3/' new.json > old.json && "
                      "! grep -q 'I(x1' old.json && \"$REGRESS\" merge old.json --format csv");
  INFO(old.err);
  REQUIRE(old.status == 0);
  require_close(whole.out, old.out, 1e-13);
  // Any other spelling is refused.
  CHECK(sh(dir, "sed -e 's/I(x1^2)/x1^4/' new.json > bad.json && \"$REGRESS\" merge bad.json")
            .status == 1);
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

// ===========================================================================
// merge of formula fits (formula_state_test.cpp checks the numbers in depth)

TEST_CASE("formula shards that saw different levels merge into the fit of the whole file",
          "[cli][merge][formula]") {
  scratch_dir dir;
  dir.write("tg.csv", read_file(repo_path("data/toothgrowth.csv")));
  // Shard a: the 30 rows of supp VC. Shard b: the OJ rows, dose descending,
  // so its poly() centre (2) is not a's (0.5).
  const std::string split =
      "head -31 tg.csv > a.csv && { head -1 tg.csv; tail -n +32 tg.csv | sort -t, -k3 -r; } > "
      "b.csv && { cat a.csv; tail -n +2 b.csv; } > whole.csv && ";
  for (const char* formula :
       {"len ~ poly(dose, 2) * supp", "len ~ factor(dose) + supp", "log(len) ~ log(dose) * supp"}) {
    INFO(formula);
    const std::string f = std::string("'") + formula + "'";
    const auto whole = sh(dir, split + "\"$REGRESS\" fit whole.csv " + f + " --format csv");
    REQUIRE(whole.status == 0);
    const auto merged =
        sh(dir, "\"$REGRESS\" fit a.csv " + f + " --save-state a.json > /dev/null && " +
                    "\"$REGRESS\" fit b.csv " + f + " --save-state b.json > /dev/null && " +
                    "\"$REGRESS\" merge a.json b.json --format csv --save m.json "
                    "--save-state ab.json");
    INFO(merged.err);
    REQUIRE(merged.status == 0);
    require_close(whole.out, merged.out, 1e-12);
    // The merged state merges again (alone) to the same fit; the model predicts.
    const auto again = sh(dir, "\"$REGRESS\" merge ab.json --format csv");
    REQUIRE(again.status == 0);
    require_close(whole.out, again.out, 1e-12);
    const auto predicted =
        sh(dir, "printf 'dose,supp\\n1,OJ\\n1,VC\\n' | \"$REGRESS\" predict -m m.json --new -");
    CHECK(predicted.status == 0);
    CHECK_THAT(predicted.out, StartsWith("dose,supp,fit,se_fit,lwr,upr,leverage,region"));
  }
}

TEST_CASE("merge refuses formula states of another formula, weights or kind of fit (exit 2)",
          "[cli][merge][formula]") {
  scratch_dir dir;
  dir.write("c.csv", read_file(cars()));
  const auto made = sh(dir,
                       "\"$REGRESS\" fit c.csv 'dist ~ speed' --save-state f1.json > /dev/null && "
                       "\"$REGRESS\" fit c.csv 'dist ~ log(speed)' --save-state f2.json > "
                       "/dev/null && \"$REGRESS\" fit c.csv 'dist ~ speed' --weights speed "
                       "--save-state f3.json > /dev/null && \"$REGRESS\" fit c.csv -y dist -x "
                       "speed --save-state xy.json > /dev/null");
  REQUIRE(made.status == 0);
  const auto other = sh(dir, "\"$REGRESS\" merge f1.json f2.json");
  CHECK(other.status == 2);
  CHECK_THAT(other.err, StartsWith("regress: error: f2.json is a fit of 'dist ~ log(speed)'"));
  const auto weighted = sh(dir, "\"$REGRESS\" merge f1.json f3.json");
  CHECK(weighted.status == 2);
  CHECK_THAT(weighted.err, Contains("f3.json is a fit of 'dist ~ speed' with weights speed"));
  // The same formula spaced otherwise is the same formula.
  REQUIRE(sh(dir, "\"$REGRESS\" fit c.csv 'dist~speed' --save-state f4.json > /dev/null").status ==
          0);
  CHECK(sh(dir, "\"$REGRESS\" merge f1.json f4.json").status == 0);
  // A column that holds text in one shard only: exit 1.
  dir.write("n.csv", "y,x,g\n1,1,1\n2,2,2\n3,3,1\n5,4,2\n");
  dir.write("t.csv", "y,x,g\n1,1,a\n2,2,b\n3,3,a\n5,4,b\n");
  const auto kinds = sh(dir,
                        "\"$REGRESS\" fit n.csv 'y ~ x + g' --save-state n.json > /dev/null && "
                        "\"$REGRESS\" fit t.csv 'y ~ x + g' --save-state t.json > /dev/null && "
                        "\"$REGRESS\" merge n.json t.json");
  CHECK(kinds.status == 1);
  CHECK_THAT(kinds.err, Contains("a column must hold text in every shard or in none"));
  const auto mixed = sh(dir, "\"$REGRESS\" merge xy.json f1.json");
  CHECK(mixed.status == 2);
  CHECK_THAT(mixed.err, Contains("f1.json is the state of a formula fit but xy.json"));
}

TEST_CASE("a formula shard that cannot be fitted alone still saves its state and merges",
          "[cli][merge][formula]") {
  scratch_dir dir;
  dir.write("c.csv", read_file(cars()));
  const auto whole = sh(dir, "\"$REGRESS\" fit c.csv 'dist ~ poly(speed, 2)' --format csv");
  REQUIRE(whole.status == 0);
  const auto shards =
      sh(dir,
         "head -3 c.csv > one.csv && { head -1 c.csv; tail -n +4 c.csv; } > rest.csv && "
         "\"$REGRESS\" fit one.csv 'dist ~ poly(speed, 2)' --save-state one.json && "
         "\"$REGRESS\" fit rest.csv 'dist ~ poly(speed, 2)' --save-state rest.json > /dev/null && "
         "\"$REGRESS\" merge one.json rest.json --format csv");
  INFO(shards.err);
  REQUIRE(shards.status == 0);
  CHECK_THAT(shards.err, Contains("cannot be fitted alone"));
  require_close(whole.out, shards.out, 1e-12);
}

TEST_CASE("merge --save-state writes a state that merges again with more shards", "[cli][merge]") {
  scratch_dir dir;
  dir.write("all.csv", plane_csv(300));
  const auto whole = sh(dir, "\"$REGRESS\" fit all.csv -y y -x x1,x2 --format csv");
  REQUIRE(whole.status == 0);
  const auto staged =
      sh(dir,
         "tail -n +2 all.csv > body && split -n l/3 body part_ && for p in part_??; do "
         "{ echo x1,x2,y; cat $p; } > $p.csv && "
         "\"$REGRESS\" fit $p.csv -y y -x x1,x2 --save-state $p.json > /dev/null || exit 1; "
         "done && \"$REGRESS\" merge part_aa.json part_ab.json --save-state ab.json > /dev/null "
         "&& \"$REGRESS\" merge ab.json part_ac.json --format csv");
  INFO(staged.err);
  REQUIRE(staged.status == 0);
  require_close(whole.out, staged.out, 1e-13);
}

TEST_CASE("a near-exact merged formula fit warns that its residual sum of squares is one-pass",
          "[cli][merge][formula]") {
  scratch_dir dir;
  // y = 2 x + 1.1 exactly: no rows are at hand to recompute the residuals.
  dir.write("p1.csv", "y,x,g\n3.1,1,a\n5.1,2,b\n7.1,3,a\n9.1,4,b\n");
  dir.write("p2.csv", "y,x,g\n11.1,5,a\n13.1,6,b\n15.1,7,a\n");
  const auto merged = sh(dir,
                         "\"$REGRESS\" fit p1.csv 'y ~ x + g' --save-state p1.json > /dev/null "
                         "2>&1 && \"$REGRESS\" fit p2.csv 'y ~ x + g' --save-state p2.json > "
                         "/dev/null 2>&1 && \"$REGRESS\" merge p1.json p2.json --format csv");
  CHECK(merged.status == 0);
  CHECK_THAT(merged.err, Contains("the merged fit is near-exact"));
}
