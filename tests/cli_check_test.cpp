// regress check --plot and --svg from the command line: R's four diagnostic
// panels in the terminal and as one SVG, and the errors around them. The
// panels' numbers are checked against R in check_plot_test.cpp; here the
// labelled rows in the SVG are compared with the same reference
// (tests/reference/make_check_plot_reference.R writes
// tests/reference/check_plot_reference.csv).

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "support/binary.hpp"
#include "support/files.hpp"
#include "support/text.hpp"

using namespace test_support;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

namespace {

const char* const captions[] = {"Residuals vs Fitted", "Normal Q-Q", "Scale-Location",
                                "Residuals vs Leverage"};

std::string check_cars(const std::string& extra = "") {
  return "check " + quote(cars()) + " 'dist ~ speed' " + extra;
}

bool have_rsvg() { return std::system("command -v rsvg-convert >/dev/null 2>&1") == 0; }

/// The texts of each panel's labels (<g class="labels">) in an SVG, in order.
std::vector<std::vector<std::string>> svg_labels(const std::string& svg) {
  std::vector<std::vector<std::string>> out;
  for (std::size_t at = svg.find("<g class=\"labels\""); at != std::string::npos;
       at = svg.find("<g class=\"labels\"", at + 1)) {
    const std::size_t end = svg.find("</g>", at);
    std::vector<std::string> texts;
    for (std::size_t t = svg.find("<text", at); t < end; t = svg.find("<text", t + 1)) {
      const std::size_t from = svg.find('>', t) + 1;
      texts.push_back(svg.substr(from, svg.find("</text>", from) - from));
    }
    out.push_back(texts);
  }
  return out;
}

}  // namespace

TEST_CASE("check --plot draws R's four diagnostic panels one under another, then the table",
          "[cli][check][plot]") {
  scratch_dir dir;
  const std::string plain = succeed(dir, check_cars());
  const std::string out = succeed(dir, check_cars("--plot"));
  const std::vector<std::string> lines = lines_of(out);
  // Four panels of --height 24 rows each, then the table as check prints it.
  REQUIRE(lines.size() == 4 * 24 + lines_of(plain).size());
  CHECK(out.substr(out.size() - plain.size()) == plain);
  for (int k = 0; k < 4; ++k) {
    INFO(captions[k]);
    CHECK_THAT(lines[static_cast<std::size_t>(24 * k)], Contains(captions[k]));
  }
  // R labels rows 49, 23 and 35 in the first panel (check_plot_reference.csv).
  const std::string first = out.substr(0, out.find(captions[1]));
  for (const char* row : {"49", "23", "35"}) CHECK_THAT(first, Contains(row));
  CHECK_THAT(out, Contains("Cook's distance"));
  CHECK(out.find('\x1b') == std::string::npos);  // not a terminal: no colour
}

TEST_CASE("check --plot --ascii is printable ASCII and --width/--height size each panel",
          "[cli][check][plot]") {
  scratch_dir dir;
  const std::string plain = succeed(dir, check_cars());
  const std::string out = succeed(dir, check_cars("--plot --ascii --width 60 --height 15"));
  const auto printable = [](char b) {
    const auto u = static_cast<unsigned char>(b);
    return (u >= 0x20 && u < 0x7f) || b == '\n';
  };
  CHECK(std::all_of(out.begin(), out.end(), printable));
  const std::vector<std::string> lines = lines_of(out);
  REQUIRE(lines.size() == 4 * 15 + lines_of(plain).size());
  for (std::size_t i = 0; i < 4 * 15; ++i) CHECK(lines[i].size() <= 60);
  CHECK_THAT(lines[15], Contains("Normal Q-Q"));
}

TEST_CASE("check --plot with a table format, or a panel too small, is a usage error",
          "[cli][check][plot]") {
  scratch_dir dir;
  // A picture is for people: --plot never mixes into csv, tsv or json (as
  // explore); --svg goes beside any format.
  for (const char* format : {"csv", "tsv", "json", "ndjson"}) {
    check_failure(regress(dir, check_cars(std::string("--plot --format ") + format)), 2,
                  {"--plot", "--format"});
  }
  check_failure(regress(dir, check_cars("--plot --width 19")), 2, {"--width"});
  check_failure(regress(dir, check_cars("--plot --height 7")), 2, {"--height"});
  const outcome csv = regress(dir, check_cars("--format csv --svg c.svg"));
  REQUIRE(csv.status == 0);
  CHECK_THAT(csv.out, StartsWith("test,"));
  CHECK_THAT(dir.read("c.svg"), Contains("</svg>"));
}

TEST_CASE("check --svg writes the four panels as one whole SVG and still writes the table",
          "[cli][check][svg]") {
  scratch_dir dir;
  const std::string plain = succeed(dir, check_cars());
  const outcome r = regress(dir, check_cars("--svg cars.svg"));
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK(r.out == plain);
  const std::string svg = dir.read("cars.svg");
  CHECK_THAT(svg, StartsWith("<?xml"));
  CHECK(svg.size() > 7);
  CHECK(svg.substr(svg.size() - 7) == "</svg>\n");
  CHECK_THAT(svg, Contains("dist ~ speed"));
  for (const char* caption : captions) CHECK_THAT(svg, Contains(caption));
  // Four nested panels, each with its own clip path.
  for (int k = 1; k <= 4; ++k) {
    const std::string id = "panel" + std::to_string(k) + "-plot-area";
    CHECK_THAT(svg, Contains("id=\"" + id + "\""));
    CHECK_THAT(svg, Contains("url(#" + id + ")"));
  }
  CHECK(svg.find("id=\"plot-area\"") == std::string::npos);
  // Written atomically: nothing but the SVG (and the captured output) is left.
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    const std::string name = entry.path().filename().string();
    INFO(name);
    CHECK((name == "cars.svg" || name == ".stdout" || name == ".stderr"));
  }
  SECTION("which rsvg-convert renders at its size") {
    if (!have_rsvg()) {
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
    const auto be32 = [&](std::size_t at) {
      std::uint32_t v = 0;
      for (std::size_t i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(image[at + i]);
      return v;
    };
    CHECK(be32(16) == 1000);  // IHDR width
    CHECK(be32(20) == 830);   // IHDR height
  }
}

TEST_CASE("check --svg labels the rows R's plot.lm labels, by data row, gaps and weights kept",
          "[cli][check][svg]") {
  const table_text ref =
      parse_table(read_file(repo_path("tests/reference/check_plot_reference.csv")));
  struct one {
    std::string name, args;
  };
  const std::vector<one> runs = {
      {"cars", quote(cars()) + " 'dist ~ speed'"},
      {"weighted", quote(repo_path("tests/data/f_weights.csv")) + " 'y ~ x + g' --weights w"},
      {"missing", quote(repo_path("tests/data/f_missing.csv")) + " 'y ~ x + g'"},
  };
  const char* const panels[] = {"residuals_fitted", "normal_qq", "scale_location",
                                "residuals_leverage"};
  scratch_dir dir;
  for (const one& c : runs) {
    INFO(c.name);
    REQUIRE(regress(dir, "check " + c.args + " --svg p.svg --threads 2").status == 0);
    const auto labels = svg_labels(dir.read("p.svg"));
    REQUIRE(labels.size() == 4);
    for (std::size_t k = 0; k < 4; ++k) {
      std::vector<std::string> expected;
      for (std::size_t i = 0; i < ref.rows.size(); ++i) {
        if (ref.text(i, "case") == c.name && ref.text(i, "panel") == panels[k] &&
            ref.text(i, "item") == "label")
          expected.push_back(ref.text(i, "row"));
      }
      INFO(panels[k]);
      // The labels drawn (a contour's level, or a label off the picture,
      // aside): every row R labels, in R's order.
      std::vector<std::string> rows;
      for (const std::string& t : labels[k]) {
        if (t != "0.5" && t != "1") rows.push_back(t);
      }
      CHECK(rows == expected);
    }
  }
}

TEST_CASE("check --svg - writes the SVG alone to standard output", "[cli][check][svg]") {
  scratch_dir dir;
  const std::string out = succeed(dir, check_cars("--svg -"));
  CHECK_THAT(out, StartsWith("<?xml"));
  CHECK(out.substr(out.size() - 7) == "</svg>\n");
  CHECK(out.find("reset") == std::string::npos);
}

TEST_CASE("check --svg into a missing directory is exit 1 and writes no table",
          "[cli][check][svg]") {
  scratch_dir dir;
  check_failure(regress(dir, check_cars("--svg no/such/dir/x.svg")), 1, {"x.svg"});
}

TEST_CASE("check --svg that cannot be written whole is exit 1 and keeps the old file",
          "[cli][check][svg]") {
  scratch_dir dir;
  dir.write("old.svg", "the old picture\n");
  // A file-size limit (SIGXFSZ ignored, so the write fails with EFBIG) stops
  // the SVG part way; the old file must stay as it was, with no temporary
  // left beside it. The limit is in 512-byte blocks for dash, 1024 for bash.
  const outcome r =
      sh(dir, "trap '' XFSZ; ulimit -f 4 && \"$REGRESS\" " + check_cars("--svg old.svg"));
  CHECK(r.status == 1);
  CHECK_THAT(r.err, StartsWith("regress: error: "));
  CHECK(r.out.empty());
  CHECK(dir.read("old.svg") == "the old picture\n");
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    const std::string name = entry.path().filename().string();
    INFO(name);
    CHECK((name == "old.svg" || name == ".stdout" || name == ".stderr"));
  }
  SECTION("and a model error before the SVG is drawn keeps it too") {
    check_failure(regress(dir, "check " + quote(cars()) + " 'dist ~ nosuch' --svg old.svg"), 2,
                  {"nosuch"});
    CHECK(dir.read("old.svg") == "the old picture\n");
  }
}

TEST_CASE("check --plot on a terminal is in colour unless NO_COLOR is set, the contours red",
          "[cli][check][plot]") {
  const std::vector<std::string> args = {"check", cars(), "dist ~ speed", "--plot"};
  const tty_outcome coloured = run_on_tty(args, nullptr);
  if (!coloured.available) {
    WARN("no pseudo-terminal available; skipping");
    return;
  }
  REQUIRE(coloured.status == 0);
  CHECK_THAT(coloured.out, Contains("Residuals vs Leverage"));
  CHECK_THAT(coloured.out, Contains("\x1b[31m"));  // the Cook's distance contours
  const tty_outcome plain = run_on_tty(args, "1");
  REQUIRE(plain.available);
  REQUIRE(plain.status == 0);
  CHECK_THAT(plain.out, Contains("Residuals vs Leverage"));
  CHECK(plain.out.find('\x1b') == std::string::npos);
}
