// End-to-end tests of the input people actually have, through the built
// binary: gzip, zstd and xz copies of shipped data sets (made here with the
// gzip, zstd and xz tools; a missing tool skips its case with a message),
// truncated and corrupt ones, formats regress cannot read, a semicolon file
// with decimal commas, title and comment lines, the delimiter found from the
// first lines, and column lists with spaces, ranges and mistyped names.

#include <algorithm>
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "support/binary.hpp"
#include "support/files.hpp"
#include "support/text.hpp"

using namespace test_support;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

namespace {

struct packer {
  const char* tool;    // the command that compresses to standard output
  const char* suffix;  // the file name's usual suffix
};
const std::vector<packer> packers{{"gzip -c", ".gz"}, {"zstd -q -c", ".zst"}, {"xz -c", ".xz"}};

/// Whether the tool named by the first word of `command` is installed.
bool have(const scratch_dir& dir, const std::string& command) {
  const std::string tool = command.substr(0, command.find(' '));
  return sh(dir, "command -v " + tool + " >/dev/null").status == 0;
}

/// Compresses `from` into the scratch file `name` with `command`.
std::string pack(const scratch_dir& dir, const std::string& command, const std::string& from,
                 const std::string& name) {
  const auto r = sh(dir, command + " < " + quote(from) + " > " + quote(dir.file(name)));
  REQUIRE(r.status == 0);
  return dir.file(name);
}

/// The pressure data as much of Europe writes it: semicolons, decimal commas.
std::string european(const std::string& plain, char delimiter) {
  std::string out;
  for (const char c : plain) out += c == ',' ? delimiter : c == '.' ? ',' : c;
  return out;
}

}  // namespace

TEST_CASE("Every command reads gzip, zstd and xz copies of a data set as the plain file",
          "[cli][input]") {
  scratch_dir dir;
  const std::string fit_args = " -y mpg -x wt,hp --format csv";
  const std::string plain_fit = succeed(dir, "fit " + quote(mtcars()) + fit_args);
  const std::string formula = quote("mpg ~ wt + factor(cyl)");
  const std::string plain_formula = succeed(dir, "fit " + quote(mtcars()) + " " + formula);
  const std::string predict = " -y dist -x speed --format csv --new ";
  const std::string plain_predict =
      succeed(dir, "predict " + quote(cars()) + predict + quote(cars()));
  const std::string plain_explore =
      succeed(dir, "explore " + quote(cars()) + " -y dist -x speed --steps 5 --format csv");
  const std::string plain_backtest =
      succeed(dir, "backtest " + quote(cars()) + " -y dist -x speed --format csv");
  for (const packer& p : packers) {
    if (!have(dir, p.tool)) {
      WARN("skipped: " << p.tool << " is not installed");
      continue;
    }
    INFO(p.tool);
    // A name that does not say so: the first bytes decide.
    const std::string m = pack(dir, p.tool, mtcars(), "mtcars" + std::string(p.suffix));
    const std::string c = pack(dir, p.tool, cars(), "cars.data");
    CHECK(succeed(dir, "fit " + quote(m) + fit_args) == plain_fit);
    CHECK(succeed(dir, "fit " + quote(m) + " " + formula) == plain_formula);
    CHECK(succeed(dir, "fit - " + fit_args + " < " + quote(m)) == plain_fit);
    CHECK(succeed(dir, "fit " + formula + " < " + quote(m)) == plain_formula);
    CHECK(succeed(dir, "predict " + quote(c) + predict + quote(c)) == plain_predict);
    CHECK(succeed(dir, "explore " + quote(c) + " -y dist -x speed --steps 5 --format csv") ==
          plain_explore);
    CHECK(succeed(dir, "backtest " + quote(c) + " -y dist -x speed --format csv") ==
          plain_backtest);
  }
}

TEST_CASE("A large compressed file fits exactly as its plain text piped in", "[cli][input]") {
  // Several MiB of text: many decompressed blocks, and chunks for every thread.
  scratch_dir dir;
  const std::string plain = dir.write("plane.csv", plane_csv(200000));
  const std::string expected =
      succeed(dir, "fit - -y y -x x1,x2 --format csv --threads 2 < " + quote(plain));
  for (const packer& p : packers) {
    if (!have(dir, p.tool)) {
      WARN("skipped: " << p.tool << " is not installed");
      continue;
    }
    INFO(p.tool);
    const std::string packed = pack(dir, p.tool, plain, "plane.csv" + std::string(p.suffix));
    CHECK(succeed(dir, "fit " + quote(packed) + " -y y -x x1,x2 --format csv --threads 2") ==
          expected);
    // Concatenated members or frames are one input, as gzip -d reads them.
    const auto twice = sh(dir, "cat " + quote(packed) + " " + quote(packed) + " > twice");
    REQUIRE(twice.status == 0);
    const auto r = regress(dir, "fit twice -y y -x x1,x2 --format csv");
    CHECK(r.status == 1);  // the second header is a data row that is not a number
    CHECK_THAT(r.err, Contains("twice:200002:"));
  }
}

TEST_CASE("Truncated or corrupt compressed input is exit 1 with one clear line", "[cli][input]") {
  scratch_dir dir;
  const std::string plain = dir.write("plane.csv", plane_csv(20000));
  for (const packer& p : packers) {
    if (!have(dir, p.tool)) {
      WARN("skipped: " << p.tool << " is not installed");
      continue;
    }
    const std::string tool = std::string(p.tool).substr(0, std::string(p.tool).find(' '));
    INFO(tool);
    const std::string packed = pack(dir, p.tool, plain, "plane" + std::string(p.suffix));
    REQUIRE(sh(dir, "head -c 20000 " + quote(packed) + " > cut").status == 0);
    check_failure(regress(dir, "fit cut -y y -x x1,x2"), 1,
                  {"cut: the " + tool + " data end early", tool + " -t"});
    check_failure(regress(dir, "fit -y y -x x1,x2 < cut"), 1, {"<stdin>: the " + tool});
    check_failure(regress(dir, "fit cut 'y ~ x1 + x2'"), 1, {"end early"});
    // Bytes changed in the middle of the compressed data.
    REQUIRE(sh(dir, "{ head -c 5000 " + quote(packed) +
                        "; printf 'XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX'; tail -c +5041 " +
                        quote(packed) + "; } > bad")
                .status == 0);
    const auto bad = regress(dir, "fit bad -y y -x x1,x2");
    check_failure(bad, 1, {"bad: the " + tool + " data"});
  }
}

TEST_CASE("A binary file or an unsupported compression is one clear error", "[cli][input]") {
  scratch_dir dir;
  const std::vector<std::pair<std::string, std::string>> files{
      {std::string("BZh91AY&SY\x01\x02", 12), "looks like a bzip2 file; decompress it first"},
      {std::string("PK\x03\x04\x14\x00\x00\x00", 8), "looks like a zip archive"},
      {std::string("7z\xbc\xaf\x27\x1c\x00\x04", 8), "looks like a 7z archive"},
      {std::string("\x04\x22\x4d\x18\x64\x40", 6), "looks like an lz4 file"},
      {std::string("x\0,\0y\0\n\0001\0,\0002\0\n\0", 16), "looks like UTF-16 text"},
      {std::string("\x01\x02\x03\0\0\0\xff\n", 8) + std::string(200, '\x01'),
       "looks like a binary file"},
  };
  for (const auto& [bytes, message] : files) {
    INFO(message);
    const std::string f = dir.write("data.csv", bytes);
    check_failure(regress(dir, "fit data.csv -y y -x x"), 1, {"data.csv: " + message});
    check_failure(regress(dir, "fit -y y -x x < data.csv"), 1, {"<stdin>: " + message});
    check_failure(regress(dir, "explore data.csv -y y -x x"), 1, {message});
    check_failure(regress(dir, "predict " + quote(cars()) + " -y dist -x speed --new data.csv"), 1,
                  {message});
  }
  if (have(dir, "bzip2")) {
    REQUIRE(sh(dir, "bzip2 -c < " + quote(cars()) + " > cars.csv.bz2").status == 0);
    check_failure(regress(dir, "fit cars.csv.bz2"), 1,
                  {"looks like a bzip2 file; decompress it first"});
  } else {
    WARN("skipped: bzip2 is not installed");
  }
}

TEST_CASE("A semicolon file with decimal commas reads as the plain one with --decimal-comma",
          "[cli][input]") {
  scratch_dir dir;
  const std::string plain = read_file(pressure());
  const std::string args = " -y pressure -x temperature --format csv";
  const std::string expected = succeed(dir, "fit " + quote(pressure()) + args);
  dir.write("eu.csv", european(plain, ';'));
  const auto r = regress(dir, "fit eu.csv --decimal-comma" + args);
  CHECK(r.status == 0);
  CHECK(r.out == expected);
  // The first line; fit's hint to run 'regress check' may follow (pressure
  // is curved: RESET rejects the line).
  CHECK_THAT(r.err, StartsWith("regress: warning: reading 'eu.csv' as semicolon-separated (so "
                               "its first lines look); give --delimiter ';' to say so and "
                               "silence this\n"));
  const auto quiet = regress(dir, "fit eu.csv --decimal-comma --delimiter ';'" + args);
  CHECK(quiet.out == expected);
  CHECK(quiet.err.find("separated") == std::string::npos);
  // Tab separated, on standard input, and through a formula.
  dir.write("eu.tsv", european(plain, '\t'));
  const auto tab = regress(dir, "fit --decimal-comma" + args + " < eu.tsv");
  CHECK(tab.out == expected);
  CHECK_THAT(tab.err, Contains("reading standard input as tab-separated"));
  CHECK(succeed(dir, "fit eu.tsv --decimal-comma 'pressure ~ temperature' --format csv") ==
        succeed(dir, "fit " + quote(pressure()) + " 'pressure ~ temperature' --format csv"));
  // Without the flag, the cell that cannot be read says where it is.
  check_failure(regress(dir, "fit eu.tsv" + args), 1, {"eu.tsv:2:", "'0,0002'"});
  // A decimal comma cannot be told from a delimiter in a comma-separated file.
  check_failure(regress(dir, "fit " + quote(pressure()) + " --decimal-comma" + args), 2,
                {"--decimal-comma needs fields separated by ';' or tab"});
}

TEST_CASE(
    "A title and a units row are skipped, comment lines dropped, and lines keep their "
    "numbers",
    "[cli][input]") {
  scratch_dir dir;
  const std::string args = " -y dist -x speed --format csv";
  const std::string expected = succeed(dir, "fit " + quote(cars()) + args);
  const auto rows = lines_of(read_file(cars()));
  std::string text = "Stopping distances of cars, 1920s\nmph,ft\n" + rows[0] + "\n";
  for (std::size_t i = 1; i < rows.size(); ++i) {
    if (i % 10 == 0) text += "# checked by hand, \"ok\"\n";
    text += rows[i] + "\n";
  }
  dir.write("notes.csv", text);
  CHECK(succeed(dir, "fit notes.csv --skip 2 --comment '#'" + args) == expected);
  CHECK(succeed(dir, "fit --skip 2 --comment '#'" + args + " < notes.csv") == expected);
  CHECK(succeed(dir, "fit notes.csv --skip 2 --comment '#' 'dist ~ speed' --format csv") ==
        succeed(dir, "fit " + quote(cars()) + " 'dist ~ speed' --format csv"));
  // Without --skip the title is the header.
  check_failure(regress(dir, "fit notes.csv --comment '#'" + args), 2, {"no column 'dist'"});
  // A bad cell after the dropped lines is named by the file's own line number.
  std::string broken = text;
  const std::size_t at = broken.rfind("120");
  broken.replace(at, 3, "12O");
  const auto line = 1 + std::count(broken.begin(), broken.begin() + static_cast<long>(at), '\n');
  dir.write("broken.csv", broken);
  check_failure(regress(dir, "fit broken.csv --skip 2 --comment '#'" + args), 1,
                {"broken.csv:" + std::to_string(line) + ":", "'12O'"});
  check_failure(regress(dir, "fit notes.csv --comment '##'" + args), 2,
                {"--comment must be one character"});
}

TEST_CASE("The delimiter is found from the first lines, and said when the name says otherwise",
          "[cli][input]") {
  scratch_dir dir;
  const std::string args = " -y dist -x speed --format csv";
  const std::string expected = succeed(dir, "fit " + quote(cars()) + args);
  const std::string plain = read_file(cars());
  std::string tabs = plain;
  std::string pipes = plain;
  for (auto& c : tabs) c = c == ',' ? '\t' : c;
  for (auto& c : pipes) c = c == ',' ? '|' : c;
  dir.write("tabs.csv", tabs);
  dir.write("tabs.tsv", tabs);
  dir.write("pipes.txt", pipes);
  dir.write("commas.tsv", plain);
  const auto t = regress(dir, "fit tabs.csv" + args);
  CHECK(t.out == expected);
  CHECK_THAT(t.err, Contains("reading 'tabs.csv' as tab-separated"));
  const auto tsv = regress(dir, "fit tabs.tsv" + args);
  CHECK(tsv.out == expected);
  CHECK(tsv.err.empty());
  const auto p = regress(dir, "fit pipes.txt" + args);
  CHECK(p.out == expected);
  CHECK_THAT(p.err, Contains("as '|'-separated"));
  const auto c = regress(dir, "fit commas.tsv" + args);
  CHECK(c.out == expected);
  CHECK_THAT(c.err, Contains("reading 'commas.tsv' as comma-separated"));
  const auto plain_run = regress(dir, "fit " + quote(cars()) + args);
  CHECK(plain_run.err.empty());
  // The predict --new file too, read line by line.
  const auto n = regress(dir, "predict " + quote(cars()) + " -y dist -x speed --new tabs.csv");
  CHECK(n.status == 0);
  CHECK(count_lines(n.out) == 51);
}

TEST_CASE("Column lists trim spaces, take index ranges and suggest the closest names",
          "[cli][input]") {
  scratch_dir dir;
  const std::string m = quote(mtcars());
  const std::string expected = succeed(dir, "fit " + m + " -y mpg -x wt,hp --format csv");
  CHECK(succeed(dir, "fit " + m + " -y mpg -x 'wt, hp' --format csv") == expected);
  CHECK(succeed(dir, "fit " + m + " -y ' mpg ' -x 'wt ,  hp' --format csv") == expected);
  // mtcars: model,mpg,cyl,disp,hp,...: columns 3-5 are cyl, disp, hp.
  CHECK(succeed(dir, "fit " + m + " -y 2 -x 3-5 --format csv") ==
        succeed(dir, "fit " + m + " -y mpg -x cyl,disp,hp --format csv"));
  check_failure(regress(dir, "fit " + m + " -y mpg -x 5-40"), 2, {"column range '5-40'"});
  // A header written "x, y": the names are found without their spaces.
  std::string spaced = read_file(cars());
  spaced.replace(0, spaced.find('\n'), "speed, dist");
  dir.write("spaced.csv", spaced);
  CHECK(succeed(dir, "fit spaced.csv -y dist -x speed --format csv") ==
        succeed(dir, "fit " + quote(cars()) + " -y dist -x speed --format csv"));
  // A mistyped name: the closest ones, not only the whole list.
  const std::string air = quote(repo_path("tests/data/f_airquality.csv"));
  check_failure(regress(dir, "fit " + air + " -y Ozone -x wind"), 2,
                {"no column 'wind'; did you mean 'Wind'?", "Solar.R"});
  check_failure(regress(dir, "fit " + air + " -y Ozone -x Tmp,Wind"), 2, {"did you mean 'Temp'?"});
  check_failure(regress(dir, "fit " + air + " 'Ozone ~ Wnd + Temp'"), 2,
                {"unknown column 'Wnd'", "did you mean 'Wind'?"});
  // A name that is a number and also an index: the name wins, and says so.
  dir.write("years.csv", "y,1,2\n1,5,2\n2,3,8\n3,9,1\n4,2,7\n5,6,3\n");
  const auto r = regress(dir, "fit years.csv -y y -x 2 --format csv");
  CHECK(r.status == 0);
  CHECK_THAT(r.out, Contains("\n`2`,") || Contains("\n2,"));
  CHECK_THAT(r.err, Contains("'2' is read as the column named so, not as column 2"));
}

TEST_CASE("A compressed named pipe is decoded by the engine, its delimiter by its name",
          "[cli][input]") {
  scratch_dir dir;
  if (!have(dir, "gzip") || !have(dir, "mkfifo") || !have(dir, "timeout")) {
    WARN("skipped: gzip, mkfifo or timeout is not installed");
    return;
  }
  const std::string expected = succeed(dir, "fit " + quote(cars()) + " -y dist -x speed");
  const auto r = sh(dir, "mkfifo pipe && (gzip -c < " + quote(cars()) +
                             " > pipe &) && timeout 20 \"$REGRESS\" fit pipe -y dist -x speed");
  CHECK(r.status == 0);
  CHECK(r.out == expected);
}
