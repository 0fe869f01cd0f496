// explore --method averaged|bootstrap (analyses/explore_methods.hpp).
//
// No reference numbers of their own: a method's sweep must agree, digit for
// digit, with `predict --method` at the same points (predict's averaged
// intervals are checked against R in averaged_test.cpp, its bootstrap
// against refits in bootstrap_test.cpp), and its geometry (leverage,
// region) with the textbook sweep of the reference model. Also: a sweep
// longer than the kept rows is recomputed row by row with the method's
// rows, the output does not depend on --threads, and the refusals.

#include "regress/analyses/explore_methods.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <numeric>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "regress/analyses/explore.hpp"
#include "regress/model/frame.hpp"
#include "regress/output/sweep_table.hpp"
#include "regress/reading/csv.hpp"
#include "support/binary.hpp"
#include "support/files.hpp"
#include "support/in_process.hpp"
#include "support/sanitizer.hpp"

using namespace regress;
using test_support::run_outcome;
using test_support::run_regress;

namespace {

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> cells;
  std::stringstream in(line);
  for (std::string cell; std::getline(in, cell, ',');) cells.push_back(cell);
  return cells;
}

/// A csv table: its rows (after the header) as cells, keyed by the first.
std::map<std::string, std::vector<std::string>> rows_by_x(const std::string& csv) {
  std::map<std::string, std::vector<std::string>> rows;
  std::istringstream in(csv);
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    const auto cells = split(line);
    rows[cells.at(0)] = cells;
  }
  return rows;
}

std::string cars() { return test_support::repo_path("data/cars.csv"); }

run_outcome run(std::vector<std::string> args, const std::vector<std::string>& extra) {
  args.insert(args.end(), extra.begin(), extra.end());
  return run_regress(args);
}

/// explore's csv at `at` (a point of the sweep each) against predict's at
/// the same points, for the prediction and the confidence interval: fit,
/// se_fit, the limits, leverage and region, as text (the last digit).
void check_agree(const std::vector<std::string>& model, const std::vector<std::string>& method,
                 const std::vector<std::string>& sweep, const std::string& at,
                 bool same_se_fit = true) {
  std::vector<std::string> explore_args = {"explore", cars()};
  explore_args.insert(explore_args.end(), model.begin(), model.end());
  explore_args.insert(explore_args.end(), method.begin(), method.end());
  explore_args.insert(explore_args.end(), sweep.begin(), sweep.end());
  explore_args.insert(explore_args.end(), {"--format", "csv"});
  const run_outcome e = run_regress(explore_args);
  INFO(e.err);
  REQUIRE(e.code == 0);
  const auto swept = rows_by_x(e.out);
  for (const char* interval : {"prediction", "confidence"}) {
    std::vector<std::string> predict_args = {"predict", cars()};
    predict_args.insert(predict_args.end(), model.begin(), model.end());
    predict_args.insert(predict_args.end(), method.begin(), method.end());
    const run_outcome p = run(predict_args, {"--at", at, "--interval", interval});
    INFO(p.err);
    REQUIRE(p.code == 0);
    const auto predicted = rows_by_x(p.out);
    REQUIRE(predicted.size() == split(at).size());
    for (const auto& [x, q] : predicted) {
      INFO(interval << " at " << x);
      REQUIRE(swept.count(x) == 1);
      const auto& s = swept.at(x);
      REQUIRE(s.size() == 12);
      REQUIRE(q.size() == 7);
      CHECK(s[1] == q[1]);  // fit
      if (same_se_fit) CHECK(s[2] == q[2]);
      const std::size_t lwr = std::string(interval) == "prediction" ? 5 : 3;
      CHECK(s[lwr] == q[3]);
      CHECK(s[lwr + 1] == q[4]);
      CHECK(s[9] == q[5]);   // leverage
      CHECK(s[11] == q[6]);  // region
    }
  }
}

formula_frame cars_frame(const std::string& formula) {
  const std::string path = cars();
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

TEST_CASE("explore --method averaged equals predict --method averaged at the same points",
          "[explore][averaged][cli]") {
  const std::vector<std::string> method = {"--method", "averaged"};
  SECTION("-y/-x candidates of degree 1, 2 and 3") {
    check_agree({"-y", "dist", "-x", "speed", "--degree", "1,2,3"}, method,
                {"--from", "-20", "--to", "60", "--steps", "17"}, "-20,0,15,25,40,60");
  }
  SECTION("formula candidates, a spline among them") {
    check_agree({"dist ~ speed", "dist ~ poly(speed, 2)", "dist ~ ns(speed, 3)"}, method,
                {"--from", "-20", "--to", "60", "--steps", "17"}, "-20,0,15,25,40,60");
  }
  SECTION("a sweep longer than the kept rows, recomputed row by row") {
    check_agree({"-y", "dist", "-x", "speed", "--degree", "1,2"}, method,
                {"--from", "0", "--to", "50", "--steps", "5001"}, "0.01,4,25.37,49.99,50");
  }
}

TEST_CASE("explore --method bootstrap equals predict --method bootstrap at the same points",
          "[explore][bootstrap][cli]") {
  const std::vector<std::string> method = {"--method", "bootstrap", "--boot", "499", "--seed", "3"};
  SECTION("-y/-x") {
    check_agree({"-y", "dist", "-x", "speed"}, method,
                {"--from", "-20", "--to", "60", "--steps", "17"}, "-20,0,15,25,40,60");
  }
  SECTION("a formula") {
    check_agree({"dist ~ poly(speed, 2)"}, method, {"--from", "0", "--to", "50", "--steps", "5001"},
                "0.01,4,25.37,50");
  }
}

TEST_CASE("explore --method: the same bytes for any --threads, the weights and the method said",
          "[explore][bootstrap][averaged][cli]") {
  const std::vector<std::string> boot = {"explore", cars(), "dist ~ speed", "--method", "bootstrap",
                                         "--boot",  "299",  "--steps",      "2500"};
  for (const char* format : {"csv", "json", "text"}) {
    INFO(format);
    const run_outcome one = run(boot, {"--threads", "1", "--format", format});
    REQUIRE(one.code == 0);
    CHECK(run(boot, {"--threads", "2", "--format", format}).out == one.out);
    CHECK(run(boot, {"--threads", "7", "--format", format}).out == one.out);
    CHECK(run(boot, {"--threads", "1", "--format", format, "--seed", "9"}).out != one.out);
  }
  const run_outcome json = run(boot, {"--format", "json", "--seed", "12"});
  const auto j = nlohmann::json::parse(json.out);
  CHECK(j["method"]["name"] == "bootstrap");
  CHECK(j["method"]["boot"] == 299);
  CHECK(j["method"]["seed"] == 12);
  CHECK(j["rows"].size() == 2500);

  const std::vector<std::string> averaged = {
      "explore", cars(), "-y", "dist", "-x", "speed", "--degree", "1,2,3", "--method", "averaged"};
  const run_outcome csv = run(averaged, {"--format", "csv"});
  REQUIRE(csv.code == 0);
  CHECK(csv.err.rfind("regress: note: averaged over 3 candidate models, AICc weights: 'dist ~ "
                      "speed' ",
                      0) == 0);
  CHECK(csv.out.rfind("speed,fit,se_fit,conf_lwr,conf_upr,pred_lwr,pred_upr,widening,distance,"
                      "leverage,leverage_ratio,region\n",
                      0) == 0);
  const auto a = nlohmann::json::parse(run(averaged, {"--format", "json"}).out);
  REQUIRE(a["method"]["candidates"].size() == 3);
  double total = 0;
  for (const auto& c : a["method"]["candidates"]) total += c["weight"].get<double>();
  CHECK(total == Approx(1).epsilon(1e-12));
  CHECK(a["method"]["candidates"][1]["model"] == "dist ~ speed + I(speed^2)");
  const run_outcome text = run(averaged, {"--format", "text"});
  REQUIRE(text.code == 0);
  CHECK(text.err.empty());
  CHECK(text.out.find("Averaged over 3 candidate models by AICc weight") != std::string::npos);
  CHECK(text.out.find("  dist ~ speed + I(speed^2): AICc ") != std::string::npos);
  CHECK(text.out.find("dist: 3 models averaged by AICc: 95% intervals") != std::string::npos);
  CHECK(text.out.find("averaged: 95% prediction interval from ") != std::string::npos);
  // --method textbook is the default, byte for byte.
  const std::vector<std::string> plain = {"explore", cars(), "-y", "dist", "-x", "speed"};
  CHECK(run(plain, {"--method", "textbook", "--format", "text"}).out ==
        run(plain, {"--format", "text"}).out);
}

TEST_CASE("explore --method refuses what does not go with it",
          "[explore][averaged][bootstrap][cli]") {
  const std::vector<std::string> xy = {"explore", cars(), "-y", "dist", "-x", "speed"};
  const auto refused = [](const run_outcome& r, const std::string& words) {
    INFO(r.err);
    CHECK(r.code == 2);
    CHECK(r.out.empty());
    CHECK(r.err.rfind("regress: error: ", 0) == 0);
    CHECK(r.err.find(words) != std::string::npos);
  };
  refused(run(xy, {"--method", "bootstrap", "--degree", "1,2"}), "candidates of --method averaged");
  refused(run_regress({"explore", cars(), "dist ~ speed", "dist ~ poly(speed, 2)", "--method",
                       "bootstrap"}),
          "candidates of --method averaged");
  refused(run_regress({"explore", cars(), "dist ~ speed", "dist ~ poly(speed, 2)"}),
          "candidates of --method averaged");
  refused(run(xy, {"--boot", "99"}), "--boot and --seed go with --method bootstrap");
  refused(run(xy, {"--method", "averaged", "--seed", "2"}), "--method bootstrap");
  refused(run(xy, {"--method", "bootstrap", "--boot", "0"}), "--boot must be");
  refused(run(xy, {"--method", "averaged", "--degree", "1,2", "--max-widening", "2"}),
          "do not take --method averaged");
  refused(run(xy, {"--method", "bootstrap", "--max-halfwidth", "9"}),
          "do not take --method bootstrap");
  refused(run(xy, {"--method", "averaged", "--degree", "2,1"}), "ascending");
  refused(run(xy, {"--method", "guessed"}), "--method must be");
  // Every candidate must read the swept column.
  refused(run_regress({"explore", cars(), "dist ~ speed", "dist ~ 1", "--method", "averaged"}),
          "every candidate must read the swept column");
  // One candidate is allowed, as predict allows it: its weight is 1.
  const run_outcome one = run(xy, {"--method", "averaged", "--format", "csv"});
  CHECK(one.code == 0);
  CHECK(one.err.find("averaged over 1 candidate models") != std::string::npos);
}

TEST_CASE("a method's sweep longer than the kept rows streams the rows its method gives",
          "[explore][bootstrap][averaged][sweep]") {
  explore_request r;
  r.from = -20;
  r.to = 50;
  r.steps = 3001;
  SECTION("bootstrap") {
    const formula_frame frame = cars_frame("dist ~ poly(speed, 2)");
    const model m = fit_formula(frame, 0.95);
    bootstrap_options o;
    o.replicates = 199;
    auto b = std::make_shared<const bootstrap_replicates>(bootstrap(rows_of(m, frame), o));
    exploration e = explore_formula(m, r);
    use_bootstrap(e, b, o.seed);
    REQUIRE(e.models.front().rows.size() == kept_sweep_rows);
    CHECK(e.models.front().name == "bootstrap");
    exploration collected = e;
    auto& rows = collected.models.front().rows;
    rows = sweep(m, e.line, -20, 50, 3001, 0.95);
    for (auto& row : rows) row = bootstrap_sweep_at(m, *b, e.line, row.x, 0.95, row);
    collected.models.front().fitted = nullptr;
    collected.steps = 0;
    CHECK(table_of(e, output_format::csv) == table_of(collected, output_format::csv));
    // The kept rows are the method's too.
    CHECK(e.models.front().rows.back().pred_upr == rows.back().pred_upr);
  }
  SECTION("averaged") {
    auto a = std::make_shared<averaged_sweep>();
    for (const char* f : {"dist ~ speed", "dist ~ poly(speed, 2)"}) {
      a->candidates.push_back(fit_formula(cars_frame(f), 0.95));
    }
    a->weights = aicc_weights(a->candidates);
    const model& reference = a->candidates[a->weights.best];
    exploration e = explore_formula(reference, r);
    for (const auto& m : a->candidates) a->lines.push_back(held_line(m, r));
    use_averaged(e, a);
    REQUIRE(e.models.front().rows.size() == kept_sweep_rows);
    exploration collected = e;
    auto& rows = collected.models.front().rows;
    rows = sweep(reference, e.line, -20, 50, 3001, 0.95);
    for (auto& row : rows) row = averaged_sweep_at(*a, row.x, 0.95, row);
    collected.models.front().fitted = nullptr;
    collected.steps = 0;
    CHECK(table_of(e, output_format::csv) == table_of(collected, output_format::csv));
    CHECK(table_of(e, output_format::json) == table_of(collected, output_format::json));
  }
}

TEST_CASE(
    "explore --method bootstrap with --steps in the hundreds of thousands runs in bounded "
    "memory",
    "[explore][bootstrap][sweep][hostile]") {
  const test_support::scratch_dir dir;
  if (test_support::sh(dir, "prlimit --as=4000000000 true >/dev/null 2>&1").status != 0 ||
      test_support::sanitized) {
    WARN("skipped: prlimit cannot run here, or a sanitised binary cannot start under --as");
    return;
  }
  // Held, 600,000 rows would take 58 MB (96 bytes a row); the sweep is
  // recomputed as it is written, in 40 MB of address space (one thread: a
  // thread's stack counts towards --as).
  const test_support::outcome r = test_support::sh(
      dir, "timeout 60 prlimit --as=40000000 \"$REGRESS\" explore " + test_support::quote(cars()) +
               " -y dist -x speed --method bootstrap --boot 99 --threads 1 --steps 600000 "
               "--format csv > t.csv; s=$?; wc -l < t.csv; tail -n 1 t.csv; exit $s");
  INFO(r.err);
  CHECK(r.status == 0);
  CHECK(r.out.rfind("600001\n46,", 0) == 0);
}
