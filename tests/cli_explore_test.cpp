// End-to-end tests of `regress explore` through the built binary: the sweep
// table, the trust range, model comparison, the terminal plot (on a
// pseudo-terminal too, to see what a person sees) and the SVG. Each test runs
// the real executable (support/binary.hpp) and looks only at what a user
// sees: standard output, standard error, the exit status and files written.
//
// Reference values for cars are R 4.2's lm(dist ~ speed, cars), predict.lm and
// qt() (support/cars.hpp).

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/binary.hpp"
#include "support/cars.hpp"
#include "support/files.hpp"
#include "support/in_process.hpp"
#include "support/numeric.hpp"
#include "support/text.hpp"

using namespace test_support;
using Catch::Matchers::StartsWith;
using json = nlohmann::json;
using Catch::Matchers::Contains;

namespace {

/// The plot of a text-format explore: the lines before the summary, which
/// starts "Training range of" (a blank line between the two is not counted).
std::vector<std::string> plot_lines(const std::string& text) {
  std::vector<std::string> lines;
  for (const auto& line : lines_of(text)) {
    if (line.rfind("Training range of ", 0) == 0) break;
    lines.push_back(line);
  }
  while (!lines.empty() && lines.back().empty()) lines.pop_back();
  return lines;
}

bool is_true(const std::string& s) { return s == "true"; }

const std::string explore_header =
    "speed,fit,se_fit,conf_lwr,conf_upr,pred_lwr,pred_upr,widening,distance,leverage,"
    "leverage_ratio,region";

std::string explore_cars(const std::string& extra = "") {
  return "explore " + quote(cars()) + " -y dist -x speed " + extra;
}
std::string explore_pressure(const std::string& extra = "") {
  return "explore " + quote(pressure()) + " -y pressure -x temperature " + extra;
}
std::string explore_mtcars(const std::string& extra = "") {
  return "explore " + quote(mtcars()) + " -y mpg -x wt,disp " + extra;
}

}  // namespace

// ===========================================================================
// The sweep table

TEST_CASE(
    "explore writes the sweep as csv with the documented header when stdout is not a "
    "terminal",
    "[cli][explore]") {
  scratch_dir dir;
  const outcome r = regress(dir, explore_cars());
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK(r.err.empty());
  REQUIRE(lines_of(r.out).at(0) == explore_header);
  const table_text t = parse_table(r.out);
  REQUIRE(t.rows.size() == 201);
  // One training span (25 - 4 = 21) beyond each end.
  CHECK(t.number(0, "speed") == -17);
  CHECK(t.number(200, "speed") == 46);
  // Evenly spaced.
  const std::vector<double> x = t.numbers("speed");
  for (std::size_t i = 1; i < x.size(); ++i) {
    INFO("row " << i);
    CHECK(x[i] - x[i - 1] == Approx(63.0 / 200).epsilon(1e-9));
  }

  SECTION("and tsv is the same table with tabs") {
    const outcome tsv = regress(dir, explore_cars("--format tsv"));
    REQUIRE(tsv.status == 0);
    CHECK_THAT(tsv.out, !Contains(","));
    std::string as_csv = tsv.out;
    std::replace(as_csv.begin(), as_csv.end(), '\t', ',');
    CHECK(as_csv == r.out);
  }
}

TEST_CASE(
    "explore's distance is 0 inside the training range and counts spans beyond it, with "
    "the region below, inside or above",
    "[cli][explore]") {
  scratch_dir dir;
  const table_text t = parse_table(succeed(dir, explore_cars()));
  REQUIRE(t.rows.size() == 201);
  CHECK(t.number(0, "distance") == Approx(1).epsilon(1e-12));
  CHECK(t.number(200, "distance") == Approx(1).epsilon(1e-12));
  std::size_t below = 0, inside = 0, above = 0;
  for (std::size_t i = 0; i < t.rows.size(); ++i) {
    const double x = t.number(i, "speed");
    INFO("speed = " << x);
    const double expected = std::max({4 - x, x - 25, 0.0}) / 21;
    CHECK(t.number(i, "distance") == Approx(expected).margin(1e-12));
    const std::string& where = t.text(i, "region");
    if (x < 4) {
      CHECK(where == "below");
      ++below;
    } else if (x > 25) {
      CHECK(where == "above");
      ++above;
    } else {
      CHECK(where == "inside");
      CHECK(t.number(i, "distance") == 0);
      ++inside;
    }
  }
  CHECK(below > 0);
  CHECK(inside > 0);
  CHECK(above > 0);
}

TEST_CASE("explore's widening is 1 at the mean of a line and grows monotonically away from it",
          "[cli][explore]") {
  scratch_dir dir;
  const table_text t = parse_table(succeed(dir, explore_cars()));
  const std::vector<double> x = t.numbers("speed");
  const std::vector<double> w = t.numbers("widening");
  const auto smallest = static_cast<std::size_t>(std::min_element(w.begin(), w.end()) - w.begin());
  INFO("narrowest at speed = " << x[smallest]);
  // The grid step is 0.315, so the grid point nearest the mean 15.4 is within it.
  CHECK(std::abs(x[smallest] - 15.4) <= 0.315);
  CHECK(w[smallest] == Approx(1).margin(1e-4));
  CHECK(w[smallest] >= 1 - 1e-12);
  for (std::size_t i = 0; i + 1 < w.size(); ++i) {
    INFO("speed = " << x[i]);
    if (i < smallest) {
      CHECK(w[i] > w[i + 1]);
    } else {
      CHECK(w[i + 1] > w[i]);
    }
  }
  CHECK(w.front() > 1.3);
  CHECK(w.back() > 1.25);

  SECTION("and is exactly 1 at the mean itself") {
    const table_text at_mean =
        parse_table(succeed(dir, explore_cars("--from 15.4 --to 20 --steps 2")));
    REQUIRE(at_mean.rows.size() == 2);
    CHECK(at_mean.number(0, "widening") == Approx(1).epsilon(1e-12));
    CHECK(at_mean.number(1, "widening") > 1);
  }
}

TEST_CASE("explore's rows for cars agree with R's predict.lm and the leverage of a line",
          "[cli][explore]") {
  scratch_dir dir;
  const table_text t = parse_table(succeed(dir, explore_cars()));
  const moments speed = moments_of(csv_column(cars(), "speed"));
  REQUIRE(speed.n == 50);
  // R: predict(lm(dist ~ speed, cars), data.frame(speed = c(-17, 46)), se.fit = TRUE,
  //            interval = "prediction" / "confidence").
  struct reference {
    std::size_t row;
    double fit, se_fit, conf_lwr, conf_upr, pred_lwr, pred_upr;
  };
  const reference refs[] = {
      {0, -84.430043795620350, 13.6371774391422704, -111.84942675064880, -57.010660840591889,
       -125.758458910201654, -43.101628681039038},
      {200, 163.311708029197035, 12.8993798348891477, 137.37576658137178, 189.247649477022293,
       122.952218525070919, 203.671197533323152},
  };
  for (const auto& ref : refs) {
    INFO("row " << ref.row);
    CHECK(t.number(ref.row, "fit") == Approx(ref.fit).epsilon(1e-9));
    CHECK(t.number(ref.row, "se_fit") == Approx(ref.se_fit).epsilon(1e-9));
    CHECK(t.number(ref.row, "conf_lwr") == Approx(ref.conf_lwr).epsilon(1e-9));
    CHECK(t.number(ref.row, "conf_upr") == Approx(ref.conf_upr).epsilon(1e-9));
    CHECK(t.number(ref.row, "pred_lwr") == Approx(ref.pred_lwr).epsilon(1e-9));
    CHECK(t.number(ref.row, "pred_upr") == Approx(ref.pred_upr).epsilon(1e-9));
  }
  // Leverage 1/n + (x - xbar)^2 / Sxx; its ratio to the largest training
  // leverage, which is at speed 4, the farthest from the mean.
  const double h_max = 1 / speed.n + (4 - speed.mean) * (4 - speed.mean) / speed.sxx;
  for (std::size_t i = 0; i < t.rows.size(); i += 10) {
    const double x = t.number(i, "speed");
    INFO("speed = " << x);
    const double h = 1 / speed.n + (x - speed.mean) * (x - speed.mean) / speed.sxx;
    CHECK(t.number(i, "leverage") == Approx(h).epsilon(1e-10));
    CHECK(t.number(i, "leverage_ratio") == Approx(h / h_max).epsilon(1e-10));
    CHECK(t.number(i, "fit") == Approx(r_intercept + r_slope * x).epsilon(1e-10).margin(1e-10));
    CHECK(t.number(i, "se_fit") == Approx(r_sigma * std::sqrt(h)).epsilon(1e-10));
    // widening = sqrt((1 + h) / (1 + 1/n)) for a line.
    CHECK(t.number(i, "widening") == Approx(std::sqrt((1 + h) / (1 + 1 / speed.n))).epsilon(1e-10));
  }
}

TEST_CASE("explore --from --to --steps sweeps exactly the requested values", "[cli][explore]") {
  scratch_dir dir;
  const table_text t = parse_table(succeed(dir, explore_cars("--from 0 --to 50 --steps 11")));
  REQUIRE(t.rows.size() == 11);
  for (std::size_t i = 0; i < 11; ++i) {
    INFO("row " << i);
    CHECK(t.number(i, "speed") == 5.0 * static_cast<double>(i));
  }
  CHECK(t.text(0, "region") == "below");
  CHECK(t.text(1, "region") == "inside");
  CHECK(t.text(5, "region") == "inside");
  CHECK(t.text(6, "region") == "above");
}

TEST_CASE("explore --span 2 sweeps two training spans beyond each end", "[cli][explore]") {
  scratch_dir dir;
  const table_text t = parse_table(succeed(dir, explore_cars("--span 2")));
  REQUIRE(t.rows.size() == 201);
  CHECK(t.number(0, "speed") == -38);
  CHECK(t.number(200, "speed") == 67);
  CHECK(t.number(0, "distance") == Approx(2).epsilon(1e-12));
  CHECK(t.number(200, "distance") == Approx(2).epsilon(1e-12));

  SECTION("and --span 0 sweeps the training range only") {
    const table_text inner = parse_table(succeed(dir, explore_cars("--span 0")));
    CHECK(inner.number(0, "speed") == 4);
    CHECK(inner.number(inner.rows.size() - 1, "speed") == 25);
    for (std::size_t i = 0; i < inner.rows.size(); ++i) CHECK(inner.text(i, "region") == "inside");
  }
}

TEST_CASE(
    "explore's prediction interval contains its confidence interval, which contains the "
    "fit, on every row",
    "[cli][explore]") {
  scratch_dir dir;
  for (const std::string& args :
       {explore_cars(), explore_cars("--level 0.99"), explore_pressure("--degree 1,2,3"),
        explore_mtcars("--along wt --hold disp=100")}) {
    INFO(args);
    const table_text t = parse_table(succeed(dir, args));
    REQUIRE(!t.rows.empty());
    for (std::size_t i = 0; i < t.rows.size(); ++i) {
      INFO("row " << i);
      CHECK(t.number(i, "pred_lwr") < t.number(i, "conf_lwr"));
      CHECK(t.number(i, "conf_lwr") < t.number(i, "fit"));
      CHECK(t.number(i, "fit") < t.number(i, "conf_upr"));
      CHECK(t.number(i, "conf_upr") < t.number(i, "pred_upr"));
      CHECK(t.number(i, "widening") >= 1 - 1e-12);
    }
  }
}

// ===========================================================================
// The trust range

TEST_CASE(
    "explore --max-widening adds an in_trust column, true exactly where the interval is "
    "within the bound",
    "[cli][explore]") {
  scratch_dir dir;
  const outcome r = regress(dir, explore_cars("--max-widening 1.2"));
  INFO(r.err);
  REQUIRE(r.status == 0);
  REQUIRE(lines_of(r.out).at(0) == explore_header + ",in_trust");
  const table_text t = parse_table(r.out);
  REQUIRE(t.rows.size() == 201);
  std::size_t trusted = 0;
  for (std::size_t i = 0; i < t.rows.size(); ++i) {
    INFO("speed = " << t.text(i, "speed"));
    const std::string& in_trust = t.text(i, "in_trust");
    REQUIRE((in_trust == "true" || in_trust == "false"));
    CHECK(is_true(in_trust) == (t.number(i, "widening") <= 1.2));
    // 1.2 is wider than the interval ever gets inside the data.
    if (t.text(i, "region") == "inside") CHECK(is_true(in_trust));
    if (is_true(in_trust)) ++trusted;
  }
  CHECK(trusted > 0);
  CHECK(trusted < t.rows.size());
}

TEST_CASE("explore --format json is one object whose trust range for a line is the closed form",
          "[cli][explore]") {
  scratch_dir dir;
  const outcome r = regress(dir, explore_cars("--max-widening 1.2 --format json"));
  INFO(r.err);
  REQUIRE(r.status == 0);
  const json j = json::parse(r.out);
  REQUIRE(j.is_object());
  REQUIRE(j.at("rows").is_array());
  REQUIRE(j["rows"].size() == 201);
  const json& trust = j.at("trust");
  REQUIRE(trust.is_object());
  CHECK(trust.at("empty") == false);
  REQUIRE(trust.at("lower").is_number());
  REQUIRE(trust.at("upper").is_number());

  // Width is proportional to sqrt(1 + h(x)), h = 1/n + (x - xbar)^2 / Sxx, and
  // narrowest at the mean: widening R is reached where
  // (x - xbar)^2 = Sxx (R^2 - 1)(1 + 1/n).
  const moments speed = moments_of(csv_column(cars(), "speed"));
  const double ratio = 1.2;
  const double half = std::sqrt(speed.sxx * (ratio * ratio - 1) * (1 + 1 / speed.n));
  CHECK(trust["lower"].get<double>() == Approx(speed.mean - half).epsilon(1e-9));
  CHECK(trust["upper"].get<double>() == Approx(speed.mean + half).epsilon(1e-9));

  const double lower = trust["lower"].get<double>();
  const double upper = trust["upper"].get<double>();
  for (const auto& row : j["rows"]) {
    for (const char* key : {"speed", "fit", "se_fit", "conf_lwr", "conf_upr", "pred_lwr",
                            "pred_upr", "widening", "distance", "leverage", "leverage_ratio"}) {
      INFO(key);
      REQUIRE(row.at(key).is_number());
    }
    REQUIRE(row.at("region").is_string());
    REQUIRE(row.at("in_trust").is_boolean());
    const double x = row["speed"].get<double>();
    INFO("speed = " << x);
    CHECK(row["in_trust"].get<bool>() == (lower <= x && x <= upper));
  }
  // The json rows carry the csv's values.
  const table_text t = parse_table(succeed(dir, explore_cars("--max-widening 1.2")));
  for (std::size_t i = 0; i < t.rows.size(); i += 25) {
    CHECK(j["rows"][i]["fit"].get<double>() == Approx(t.number(i, "fit")).epsilon(1e-15));
    CHECK(j["rows"][i]["region"] == t.text(i, "region"));
  }

  SECTION("and without a bound the trust range is null and rows have no in_trust") {
    const json plain = json::parse(succeed(dir, explore_cars("--format json")));
    CHECK(plain.at("trust").is_null());
    CHECK(!plain.at("rows").at(0).contains("in_trust"));
  }
}

TEST_CASE(
    "explore --max-halfwidth gives the range where the prediction half-width meets the "
    "bound",
    "[cli][explore]") {
  scratch_dir dir;
  const double bound = 35;
  const json j = json::parse(succeed(dir, explore_cars("--max-halfwidth 35 --format json")));
  const json& trust = j.at("trust");
  REQUIRE(trust.at("lower").is_number());
  REQUIRE(trust.at("upper").is_number());
  // t s sqrt(1 + h(x)) = H where (x - xbar)^2 = Sxx ((H / (t s))^2 - 1 - 1/n).
  const moments speed = moments_of(csv_column(cars(), "speed"));
  const double q = bound / (r_t_975_48 * r_sigma);
  const double half = std::sqrt(speed.sxx * (q * q - 1 - 1 / speed.n));
  CHECK(trust["lower"].get<double>() == Approx(speed.mean - half).epsilon(1e-9));
  CHECK(trust["upper"].get<double>() == Approx(speed.mean + half).epsilon(1e-9));
  for (const auto& row : j["rows"]) {
    const double halfwidth = (row["pred_upr"].get<double>() - row["pred_lwr"].get<double>()) / 2;
    INFO("speed = " << row["speed"].get<double>() << ", half-width " << halfwidth);
    CHECK(row["in_trust"].get<bool>() == (halfwidth <= bound));
  }

  SECTION("and both bounds together give the narrower range") {
    const json both = json::parse(
        succeed(dir, explore_cars("--max-halfwidth 35 --max-widening 1.2 --format json")));
    CHECK(both["trust"]["lower"].get<double>() ==
          Approx(trust["lower"].get<double>()).epsilon(1e-12));
    CHECK(both["trust"]["upper"].get<double>() ==
          Approx(trust["upper"].get<double>()).epsilon(1e-12));
  }
}

TEST_CASE("an explore trust range that no value meets is reported as empty", "[cli][explore]") {
  scratch_dir dir;
  // The narrowest 95% prediction half-width for cars is about 31.
  const json j = json::parse(succeed(dir, explore_cars("--max-halfwidth 1 --format json")));
  const json& trust = j.at("trust");
  CHECK(trust.at("empty") == true);
  CHECK(trust.at("lower").is_null());
  CHECK(trust.at("upper").is_null());
  for (const auto& row : j["rows"]) CHECK(row.at("in_trust") == false);

  const outcome text = regress(dir, explore_cars("--max-halfwidth 1 --format text"));
  REQUIRE(text.status == 0);
  CHECK_THAT(text.out, Contains("Trust range"));
  CHECK_THAT(text.out, Contains("empty"));
}

TEST_CASE("explore's text summary states the trust range", "[cli][explore]") {
  scratch_dir dir;
  const outcome r = regress(dir, explore_cars("--max-widening 1.2 --plot --ascii"));
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK_THAT(r.out, Contains("Trust range"));
  CHECK_THAT(r.out, Contains("1.2x"));
  CHECK_THAT(r.out, Contains("-9.39629"));
  CHECK_THAT(r.out, Contains("40.1963"));
}

// ===========================================================================
// Several degrees side by side

TEST_CASE("explore --degree 1,2,3 puts the models side by side with a leading degree column",
          "[cli][explore]") {
  scratch_dir dir;
  const outcome r = regress(dir, explore_pressure("--degree 1,2,3"));
  INFO(r.err);
  REQUIRE(r.status == 0);
  REQUIRE(lines_of(r.out).at(0) ==
          "degree,temperature,fit,se_fit,conf_lwr,conf_upr,pred_lwr,pred_upr,widening,distance,"
          "leverage,leverage_ratio,region");
  const table_text t = parse_table(r.out);
  REQUIRE(t.rows.size() == 3 * 201);
  for (std::size_t i = 0; i < t.rows.size(); ++i) {
    INFO("row " << i);
    CHECK(t.text(i, "degree") == std::to_string(1 + i / 201));
    // The same grid for every model: -360 to 720 (one span of 0..360 each side).
    CHECK(t.number(i, "temperature") ==
          Approx(-360 + 5.4 * static_cast<double>(i % 201)).margin(1e-9));
  }
  // The models differ: the cubic's fit at 720 is not the line's.
  CHECK(t.number(200, "fit") != Approx(t.number(602, "fit")).epsilon(1e-3));
  // One degree alone gives the same rows without the degree column.
  const table_text quadratic = parse_table(succeed(dir, explore_pressure("--degree 2")));
  REQUIRE(quadratic.rows.size() == 201);
  for (std::size_t i = 0; i < 201; i += 20) {
    CHECK(quadratic.number(i, "fit") == Approx(t.number(201 + i, "fit")).epsilon(1e-14));
  }
}

TEST_CASE("explore --degree 1,2,3 --format json lists where the models disagree",
          "[cli][explore]") {
  scratch_dir dir;
  const json j = json::parse(succeed(dir, explore_pressure("--degree 1,2,3 --format json")));
  REQUIRE(j.at("rows").size() == 3 * 201);
  CHECK(j["rows"][0].at("degree") == 1);
  CHECK(j["rows"][602].at("degree") == 3);
  const json& disagreements = j.at("disagreements");
  REQUIRE(disagreements.is_array());
  REQUIRE(disagreements.size() == 3);  // 1-2, 1-3, 2-3
  for (const auto& d : disagreements) {
    REQUIRE(d.at("models").is_array());
    CHECK(d["models"].size() == 2);
    REQUIRE(d.at("where").is_array());
    // Pressure grows exponentially: far beyond the data no two agree.
    CHECK(!d["where"].empty());
    for (const auto& run : d["where"]) {
      REQUIRE(run.size() == 2);
      CHECK(run[0].get<double>() <= run[1].get<double>());
      CHECK(run[0].get<double>() >= -360);
      CHECK(run[1].get<double>() <= 720);
    }
  }
  CHECK(disagreements[0]["models"][0] == "degree 1");
  CHECK(disagreements[0]["models"][1] == "degree 2");
}

TEST_CASE("explore's text summary says where models of several degrees disagree",
          "[cli][explore]") {
  scratch_dir dir;
  for (const char* how : {"--format text", "--plot", "--plot --ascii"}) {
    INFO(how);
    const outcome r = regress(dir, explore_pressure(std::string("--degree 1,2,3 ") + how));
    INFO(r.err);
    REQUIRE(r.status == 0);
    // Pressure curves: the line and the curves part company inside the data too.
    CHECK_THAT(r.out, Contains("degree 1 and degree 2 differ by more than their own prediction "
                               "intervals beyond the data"));
    CHECK_THAT(r.out, Contains("degree 2 and degree 3 differ"));
    CHECK_THAT(r.out, Contains("the data already tell them apart"));
    // The legend names each model.
    CHECK_THAT(r.out, Contains("degree 1"));
    CHECK_THAT(r.out, Contains("degree 3"));
  }

  SECTION("and where they agree on the data but not beyond it, that extrapolation is guesswork") {
    const outcome r = regress(dir, explore_cars("--degree 1,2 --format text"));
    REQUIRE(r.status == 0);
    CHECK_THAT(r.out, Contains("degree 1 and degree 2 agree within their prediction intervals on "
                               "the data but differ by more than those intervals beyond it"));
    CHECK_THAT(r.out, Contains("guesswork"));
  }
}

// ===========================================================================
// The terminal plot

TEST_CASE("explore --plot draws the picture with a legend and a summary of the training range",
          "[cli][explore][plot]") {
  scratch_dir dir;
  const outcome r = regress(dir, explore_cars("--plot"));
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK(r.err.empty());
  const auto plot = plot_lines(r.out);
  REQUIRE(plot.size() == 24);  // the default height
  CHECK_THAT(plot.front(), Contains("dist ~ speed"));
  CHECK_THAT(plot.back(), Contains("data"));  // the legend
  CHECK_THAT(plot.back(), Contains("95%"));
  CHECK_THAT(r.out, Contains("Training range of speed: 4 to 25 (span 21); 50 rows."));
  CHECK_THAT(r.out, Contains("regress backtest"));
  for (const auto& line : plot) CHECK(code_points(line) <= 80);

  SECTION("and --format text is the same output") {
    const outcome text = regress(dir, explore_cars("--format text"));
    REQUIRE(text.status == 0);
    CHECK(text.out == r.out);
  }
}

TEST_CASE("explore --plot --ascii is plain printable ASCII", "[cli][explore][plot]") {
  scratch_dir dir;
  for (const std::string& args :
       {explore_cars("--plot --ascii"), explore_cars("--plot --ascii --max-widening 1.2"),
        explore_pressure("--degree 1,2,3 --plot --ascii"),
        explore_mtcars("--along wt --hold disp=100 --plot --ascii")}) {
    INFO(args);
    const outcome r = regress(dir, args);
    REQUIRE(r.status == 0);
    CHECK_THAT(r.out, Contains("data"));
    std::size_t bad = 0;
    for (char c : r.out) {
      const auto b = static_cast<unsigned char>(c);
      if (!(b == 0x0a || (b >= 0x20 && b <= 0x7e))) ++bad;
    }
    CHECK(bad == 0);
  }
}

TEST_CASE("explore's plot has no escape sequences when stdout is not a terminal",
          "[cli][explore][plot]") {
  scratch_dir dir;
  // Whatever NO_COLOR the test runs under, colour needs a terminal.
  for (const char* env : {"env -u NO_COLOR", "env NO_COLOR="}) {
    INFO(env);
    const outcome r = sh(dir, std::string(env) + " \"$REGRESS\" " + explore_cars("--plot"));
    REQUIRE(r.status == 0);
    CHECK(r.out.find('\x1b') == std::string::npos);
  }
}

TEST_CASE("explore on a terminal draws the plot by default, in colour unless NO_COLOR is set",
          "[cli][explore][plot]") {
  const std::vector<std::string> args{"explore", cars(),    "-y", "dist",     "-x",
                                      "speed",   "--width", "60", "--height", "12"};
  const tty_outcome coloured = run_on_tty(args, nullptr);
  if (!coloured.available) {
    WARN("no pseudo-terminal available; skipping");
    return;
  }
  REQUIRE(coloured.status == 0);
  CHECK_THAT(coloured.out, Contains("Training range of speed"));  // text, not csv
  CHECK(coloured.out.find(explore_header) == std::string::npos);
  CHECK(coloured.out.find('\x1b') != std::string::npos);

  const tty_outcome plain = run_on_tty(args, "1");
  REQUIRE(plain.available);
  REQUIRE(plain.status == 0);
  CHECK_THAT(plain.out, Contains("Training range of speed"));
  CHECK(plain.out.find('\x1b') == std::string::npos);
}

TEST_CASE("explore --width and --height set the size of the plot", "[cli][explore][plot]") {
  scratch_dir dir;
  struct size {
    int width, height;
  };
  for (const size s : {size{60, 15}, size{20, 8}, size{120, 40}}) {
    for (const char* style : {"", " --ascii"}) {
      for (const std::string& data :
           {explore_cars("--max-widening 1.2"), explore_pressure("--degree 1,2,3")}) {
        const std::string args = data + " --plot --width " + std::to_string(s.width) +
                                 " --height " + std::to_string(s.height) + style;
        INFO(args);
        const outcome r = regress(dir, args);
        REQUIRE(r.status == 0);
        const auto plot = plot_lines(r.out);
        CHECK(plot.size() == static_cast<std::size_t>(s.height));
        std::size_t widest = 0;
        for (const auto& line : plot) widest = std::max(widest, code_points(line));
        CHECK(widest <= static_cast<std::size_t>(s.width));
      }
    }
  }
}

TEST_CASE("explore rejects a plot below 20 by 8 and --plot with a table format",
          "[cli][explore][plot]") {
  scratch_dir dir;
  check_failure(regress(dir, explore_cars("--plot --width 19")), 2, {"--width"});
  check_failure(regress(dir, explore_cars("--plot --height 7")), 2, {"--height"});
  check_failure(regress(dir, explore_cars("--plot --format csv")), 2, {"--plot"});
  check_failure(regress(dir, explore_cars("--plot --format json")), 2, {"--plot"});
}

// ===========================================================================
// The SVG

TEST_CASE(
    "explore along one of several predictors: held values in the title, partial "
    "residuals, hidden extrapolation shaded",
    "[cli][explore][plot][svg]") {
  // mtcars, mpg ~ wt + hp swept along hp at wt = 2: the summary reports
  // hidden extrapolation at hp 252.9-333.6 (inside hp's range, but no car
  // that light is that powerful); the picture must show it.
  scratch_dir dir;
  for (const std::string model : {"-y mpg -x wt,hp", "'mpg ~ wt + hp'"}) {
    INFO(model);
    const std::string args =
        "explore " + quote(mtcars()) + " " + model + " --along hp --hold wt=2 ";
    const outcome r = regress(dir, args + "--plot --ascii --width 100 --height 24");
    INFO(r.err);
    REQUIRE(r.status == 0);
    CHECK_THAT(r.out, Contains("Hidden extrapolation: at hp from 252.9 to 333.6"));
    const auto plot = plot_lines(r.out);
    REQUIRE(plot.size() == 24);
    CHECK_THAT(plot.front(), Contains("mpg ~ wt + hp at wt = 2: 95% intervals"));
    CHECK_THAT(plot.back(), Contains("o partial"));
    CHECK_THAT(plot.back(), Contains("/ hidden"));
    // The hatch lies right of hp = 200 and left of the training edge at 335.
    const std::string& top = plot.at(1);
    const std::size_t hatch = top.find('/');
    REQUIRE(hatch != std::string::npos);
    CHECK(hatch < top.rfind('|'));
    REQUIRE(regress(dir, args + "--svg mt.svg").status == 0);
    const std::string svg = dir.read("mt.svg");
    CHECK_THAT(svg, Contains("<g id=\"hidden-extrapolation\""));
    CHECK_THAT(svg, Contains(">partial residuals</text>"));
    CHECK_THAT(svg, Contains(">mpg ~ wt + hp at wt = 2: 95% intervals</text>"));
  }
  // One predictor: the data as they are, no hidden stretch.
  const outcome one = regress(dir, explore_cars("--plot --ascii --width 100"));
  CHECK_THAT(plot_lines(one.out).back(), Contains("o data"));
  CHECK_THAT(one.out, !Contains("hidden"));
}

TEST_CASE("explore --svg writes a standalone SVG and still writes the table",
          "[cli][explore][svg]") {
  scratch_dir dir;
  const outcome r = regress(dir, explore_cars("--max-widening 1.2 --svg cars.svg"));
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK(lines_of(r.out).at(0) == explore_header + ",in_trust");
  CHECK(count_lines(r.out) == 202);
  const std::string svg = dir.read("cars.svg");
  REQUIRE(!svg.empty());
  CHECK((svg.rfind("<?xml", 0) == 0 || svg.rfind("<svg", 0) == 0));
  CHECK_THAT(svg, Contains("<svg"));
  CHECK_THAT(svg, Contains("</svg>"));
  CHECK_THAT(svg, Contains("dist ~ speed"));
  // Written atomically: nothing but the SVG (and the captured output) is left behind.
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    const std::string name = entry.path().filename().string();
    INFO(name);
    CHECK((name == "cars.svg" || name == ".stdout" || name == ".stderr"));
  }

  SECTION("which a real renderer draws without error") {
    if (std::system("command -v rsvg-convert >/dev/null 2>&1") != 0) {
      WARN("rsvg-convert is not on PATH; not rendering the SVG");
      return;
    }
    const outcome png = sh(dir, "rsvg-convert -o cars.png cars.svg");
    INFO(png.err);
    REQUIRE(png.status == 0);
    CHECK(png.err.empty());
    const std::string image = dir.read("cars.png");
    REQUIRE(image.size() > 24);
    CHECK(image.compare(0, 8, "\x89PNG\r\n\x1a\n") == 0);
    auto be32 = [&](std::size_t at) {
      std::uint32_t v = 0;
      for (std::size_t i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(image[at + i]);
      return v;
    };
    CHECK(be32(16) > 100);  // IHDR width
    CHECK(be32(20) > 100);  // IHDR height
  }
}

TEST_CASE("explore --svg draws several degrees, and a multi-predictor sweep",
          "[cli][explore][svg]") {
  scratch_dir dir;
  REQUIRE(regress(dir, explore_pressure("--degree 1,2,3 --format json --svg p.svg")).status == 0);
  REQUIRE(regress(dir, explore_mtcars("--along wt --hold disp=100 --svg m.svg")).status == 0);
  for (const char* name : {"p.svg", "m.svg"}) {
    INFO(name);
    const std::string svg = dir.read(name);
    CHECK_THAT(svg, Contains("</svg>"));
    if (std::system("command -v rsvg-convert >/dev/null 2>&1") == 0) {
      const outcome png = sh(dir, std::string("rsvg-convert -o out.png ") + name);
      INFO(png.err);
      CHECK(png.status == 0);
    } else {
      WARN("rsvg-convert is not on PATH; not rendering the SVG");
    }
  }
  CHECK_THAT(dir.read("p.svg"), Contains("degree 3"));
}

TEST_CASE("explore --svg into a missing directory is exit 1 and writes no table",
          "[cli][explore][svg]") {
  scratch_dir dir;
  check_failure(regress(dir, explore_cars("--svg no/such/dir/x.svg")), 1, {"x.svg"});
}

// ===========================================================================
// Several predictors

TEST_CASE(
    "explore sweeps one of several predictors, holding the others, and shows hidden "
    "extrapolation",
    "[cli][explore]") {
  scratch_dir dir;
  const outcome r = regress(dir, explore_mtcars("--along wt --hold disp=100"));
  INFO(r.err);
  REQUIRE(r.status == 0);
  const table_text t = parse_table(r.out);
  REQUIRE(t.header.at(0) == "wt");
  REQUIRE(t.rows.size() == 201);
  std::size_t hidden = 0, outside = 0, inside = 0;
  for (std::size_t i = 0; i < t.rows.size(); ++i) {
    const std::string& where = t.text(i, "region");
    const double wt = t.number(i, "wt");
    INFO("wt = " << wt << ": " << where);
    CHECK((where == "inside" || where == "hidden" || where == "outside"));
    if (where == "hidden") ++hidden;
    if (where == "outside") ++outside;
    if (where == "inside") ++inside;
    // Outside wt's training range (1.513 to 5.424) is outside; hidden and
    // inside are within it, and hidden rows lever more than any training row.
    if (wt < 1.513 || wt > 5.424) CHECK(where == "outside");
    if (where == "hidden") CHECK(t.number(i, "leverage_ratio") > 1);
    if (where == "inside") CHECK(t.number(i, "leverage_ratio") <= 1);
  }
  CHECK(hidden + outside > 0);
  CHECK(hidden > 0);  // light cars with a small engine are in the data, heavy ones are not
  CHECK(inside > 0);

  const outcome text = regress(dir, explore_mtcars("--along wt --hold disp=100 --format text"));
  REQUIRE(text.status == 0);
  CHECK_THAT(text.out, Contains("Hidden extrapolation"));
  CHECK_THAT(text.out, Contains("Training range of wt"));

  SECTION("holding the others at their means by default") {
    const table_text means = parse_table(succeed(dir, explore_mtcars("--along disp")));
    REQUIRE(means.header.at(0) == "disp");
    CHECK(means.rows.size() == 201);
  }
}

TEST_CASE("explore --hold or --along naming a column that is not a predictor is exit 2",
          "[cli][explore]") {
  scratch_dir dir;
  check_failure(regress(dir, explore_mtcars("--along wt --hold hp=100")), 2, {"hp"});
  check_failure(regress(dir, explore_mtcars("--along wt --hold nosuch=1")), 2, {"nosuch"});
  check_failure(regress(dir, explore_mtcars("--along nosuch")), 2, {"nosuch"});
  check_failure(regress(dir, explore_mtcars("--along hp")), 2, {"hp"});
  // Malformed or contradictory holds.
  check_failure(regress(dir, explore_mtcars("--along wt --hold disp")), 2, {"--hold"});
  check_failure(regress(dir, explore_mtcars("--along wt --hold disp=abc")), 2, {"--hold"});
  check_failure(regress(dir, explore_mtcars("--along wt --hold wt=3")), 2, {"--hold"});
}

TEST_CASE("explore rejects bad sweep and trust options with exit 2", "[cli][explore]") {
  scratch_dir dir;
  check_failure(regress(dir, explore_cars("--steps 1")), 2, {"--steps"});
  check_failure(regress(dir, explore_cars("--from 50 --to 0")), 2, {"--from"});
  check_failure(regress(dir, explore_cars("--span -1")), 2, {"--span"});
  check_failure(regress(dir, explore_cars("--degree 0")), 2, {"--degree"});
  check_failure(regress(dir, explore_cars("--degree 1.5")), 2, {"--degree"});
  check_failure(regress(dir, explore_mtcars("--degree 2")), 2, {"--degree"});
  check_failure(regress(dir, explore_cars("--level 1.5")), 2, {"--level"});
  check_failure(regress(dir, explore_cars("--max-widening 0.5")), 2, {"--max-widening"});
  check_failure(regress(dir, explore_cars("--max-halfwidth -1")), 2, {"--max-halfwidth"});
  check_failure(regress(dir, explore_cars("--format xml")), 2, {"--format"});
}

// --steps once wrapped -5 to a huge unsigned count and aborted.
TEST_CASE("explore rejects a negative --steps with a usage error instead of crashing",
          "[cli][explore]") {
  scratch_dir dir;
  check_failure(regress(dir, explore_cars("--steps -5")), 2, {"--steps"});
}

// A non-finite --to or --from once gave exit 0 with rows of NA.
TEST_CASE("explore rejects a sweep bound that is not a finite number", "[cli][explore]") {
  scratch_dir dir;
  check_failure(regress(dir, explore_cars("--to inf --steps 3")), 2, {"--to"});
  check_failure(regress(dir, explore_cars("--from -inf --steps 3")), 2, {"--from"});
}

// ===========================================================================
// Column names a CSV must quote

TEST_CASE("explore quotes a column name holding the delimiter or a quote in its csv header",
          "[cli][explore]") {
  const std::string comma = "\"weight, kg\",y\n1,2.1\n2,3.9\n3,6.2\n4,7.8\n";
  const run_outcome csv =
      run_regress({"explore", "-", "-y", "y", "-x", "1", "--steps", "2", "--format", "csv"}, comma);
  REQUIRE(csv.code == 0);
  CHECK_THAT(lines_of(csv.out).at(0), StartsWith("\"weight, kg\",fit,se_fit,"));
  const std::string quote = "a\"b,y\n1,2.1\n2,3.9\n3,6.2\n4,7.8\n";
  const run_outcome tsv =
      run_regress({"explore", "-", "-y", "y", "-x", "1", "--steps", "2", "--format", "tsv"}, quote);
  REQUIRE(tsv.code == 0);
  CHECK_THAT(lines_of(tsv.out).at(0), StartsWith("\"a\"\"b\"\tfit\tse_fit\t"));
}

// ===========================================================================
// Models given as R formulas (the numbers themselves are checked against R
// in formula_explore_test.cpp)

namespace {
std::string toothgrowth() { return repo_path("data/toothgrowth.csv"); }

/// x 1..30; g alternates a, b below 27 and is c from 27 on (the cell g = c
/// covers x 27..30 of the whole range 1..30).
std::string three_cells() {
  std::string text = "x,g,y\n";
  for (int i = 1; i <= 30; ++i) {
    const char* g = i > 26 ? "c" : (i % 2 != 0 ? "a" : "b");
    text += std::to_string(i) + "," + g + "," + std::to_string(2 * i + (i % 3)) + "\n";
  }
  return text;
}
}  // namespace

TEST_CASE("explore takes a formula, positional, with -f or on standard input", "[cli][explore]") {
  scratch_dir dir;
  const std::string formula = quote("dist ~ poly(speed, 2)");
  const std::string positional = succeed(dir, "explore " + quote(cars()) + " " + formula);
  const table_text t = parse_table(positional);
  CHECK(t.header == parse_table(succeed(dir, explore_cars())).header);
  CHECK(t.rows.size() == 201);
  // The sweep runs one span beyond the range of speed (4..25).
  CHECK(t.number(0, "speed") == -17);
  CHECK(t.number(200, "speed") == 46);
  CHECK(t.text(0, "region") == "below");
  CHECK(t.text(100, "region") == "inside");
  CHECK(succeed(dir, "explore " + quote(cars()) + " -f " + formula) == positional);
  CHECK(succeed(dir, "explore " + formula + " < " + quote(cars())) == positional);
  // Not a line: the fit curves, unlike the -y/-x line's.
  const table_text line = parse_table(succeed(dir, explore_cars()));
  CHECK(t.number(0, "fit") != Approx(line.number(0, "fit")).epsilon(0.01));
}

TEST_CASE("explore holds a factor at a level, and a level never seen is exit 2 listing them",
          "[cli][explore]") {
  scratch_dir dir;
  const std::string base = "explore " + quote(toothgrowth()) + " " +
                           quote("len ~ log(dose) * supp") + " --from 0.5 --to 2 --steps 4 ";
  const table_text vc = parse_table(succeed(dir, base + "--hold supp=VC"));
  const table_text oj = parse_table(succeed(dir, base));  // the first level, OJ
  CHECK(parse_table(succeed(dir, base + "--hold supp=OJ")).rows == oj.rows);
  CHECK(vc.number(0, "fit") != oj.number(0, "fit"));
  check_failure(regress(dir, base + "--hold supp=XX"), 2, {"--hold", "XX", "OJ, VC"});
  check_failure(regress(dir, base + "--hold len=3"), 2, {"--hold", "dose, supp"});
  check_failure(regress(dir, base + "--hold dose=1"), 2, {"--along"});
  check_failure(regress(dir, base + "--degree 2"), 2, {"--degree"});
  check_failure(regress(dir, base + "--degree 1,2"), 2, {"--degree"});
}

TEST_CASE("explore asks for --along when a formula reads several numeric columns",
          "[cli][explore]") {
  scratch_dir dir;
  const std::string base = "explore " + quote(mtcars()) + " " + quote("mpg ~ wt + log(disp)");
  check_failure(regress(dir, base), 2, {"--along", "wt, disp"});
  check_failure(regress(dir, base + " --along hp"), 2, {"--along", "hp"});
  const table_text t = parse_table(succeed(dir, base + " --along disp --hold wt=3 --steps 3"));
  CHECK(t.header.at(0) == "disp");
  const std::string factor = "explore " + quote(mtcars()) + " " + quote("mpg ~ wt + factor(cyl)");
  check_failure(regress(dir, factor + " --along cyl"), 2, {"--along", "wt"});
  CHECK(parse_table(succeed(dir, factor + " --hold cyl=6 --steps 3")).header.at(0) == "wt");
  check_failure(regress(dir, factor + " --hold cyl=5"), 2, {"5", "4, 6, 8"});
}

TEST_CASE("explore's sweep of a formula with factors extrapolates beyond the held cell",
          "[cli][explore]") {
  scratch_dir dir;
  const std::string data = dir.write("cells.csv", three_cells());
  const std::string base = "explore " + quote(data) + " " + quote("y ~ x + g") + " --hold g=c ";
  const table_text t = parse_table(succeed(dir, base + "--from 10 --to 35 --steps 6"));
  CHECK(t.text(0, "region") == "below");  // x = 10: inside 1..30, below the cell's 27..30
  CHECK(t.number(0, "distance") == Approx(17.0 / 29));
  CHECK(t.text(4, "region") == "inside");  // x = 30
  CHECK(t.text(5, "region") == "above");
  const std::string text = succeed(dir, base + "--plot --ascii");
  CHECK_THAT(text, Contains("y ~ x + g at g = c: 95% intervals"));
  CHECK_THAT(text, Contains("Training range of x: 1 to 30 (span 29); 30 rows."));
  CHECK_THAT(text, Contains("Held: g = c."));
  CHECK_THAT(text, Contains("Range of x where g = c: 27 to 30; 4 rows."));
}

TEST_CASE("explore pulls a default end into the formula's domain and refuses one outside it",
          "[cli][explore]") {
  scratch_dir dir;
  const std::string base = "explore " + quote(toothgrowth()) + " " + quote("len ~ log(dose)");
  const outcome r = regress(dir, base);
  REQUIRE(r.status == 0);
  // dose 0.5..2: one span below is -1, where log is not defined; halfway
  // from 0.5 to 0 instead.
  CHECK_THAT(r.err, Contains("warning") && Contains("0.25") && Contains("--from"));
  const table_text t = parse_table(r.out);
  CHECK(t.number(0, "dose") == Approx(0.25).margin(1e-12));
  CHECK(t.number(200, "dose") == 3.5);
  check_failure(regress(dir, base + " --from -1"), 2, {"--from", "-1"});
  check_failure(regress(dir, base + " --from 0"), 2, {"--from"});
}

TEST_CASE("explore -y -x with --weights of 1 sweeps as without", "[cli][explore]") {
  scratch_dir dir;
  std::string text = "speed,dist,w\n";
  const std::vector<double> speed = csv_column(cars(), "speed");
  const std::vector<double> dist = csv_column(cars(), "dist");
  for (std::size_t i = 0; i < speed.size(); ++i) {
    text += std::to_string(speed[i]) + "," + std::to_string(dist[i]) + ",1\n";
  }
  const std::string data = dir.write("w.csv", text);
  const std::string args = "explore " + quote(data) + " -y dist -x speed --steps 11";
  const table_text plain = parse_table(succeed(dir, args));
  const table_text weighted = parse_table(succeed(dir, args + " --weights w"));
  REQUIRE(plain.header == weighted.header);
  for (const char* column : {"speed", "fit", "pred_upr", "widening", "leverage"}) {
    INFO(column);
    const auto a = plain.numbers(column);
    const auto b = weighted.numbers(column);
    for (std::size_t i = 0; i < a.size(); ++i) CHECK(relatively_close(a[i], b[i], 1e-9));
  }
  CHECK(plain.rows.back().back() == weighted.rows.back().back());  // the region
}

TEST_CASE("explore of a formula names it and its held values in json and in the SVG",
          "[cli][explore]") {
  scratch_dir dir;
  const std::string base = "explore " + quote(toothgrowth()) + " " +
                           quote("len ~ log(dose) * supp") + " --hold supp=VC --steps 5 ";
  const json j = json::parse(succeed(dir, base + "--format json"));
  CHECK(j.at("formula") == "len ~ log(dose) * supp");
  CHECK(j.at("held") == json::parse(R"({"supp": "VC"})"));
  CHECK(j.at("cell").at("name") == "supp = VC");
  CHECK(j.at("cell").at("min") == 0.5);
  CHECK(j.at("cell").at("max") == 2);
  CHECK(j.at("cell").at("rows") == 30);
  CHECK(j.at("rows").size() == 5);
  // -y/-x json has none of these.
  const json plain = json::parse(succeed(dir, explore_cars("--steps 3 --format json")));
  CHECK_FALSE(plain.contains("formula"));
  succeed(dir, base + "--format csv --svg tooth.svg");
  CHECK_THAT(dir.read("tooth.svg"), Contains("len ~ log(dose) * supp at supp = VC"));
}
