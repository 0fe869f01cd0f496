// What regress installs besides itself, checked against the binary: the
// bash completion (sourced in bash and driven as bash drives it), the man
// page (every flag of every command's --help documented in it), and each
// command's --help ending with real examples that run.

#include <catch2/catch.hpp>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "support/binary.hpp"

using namespace test_support;
using Catch::Matchers::Contains;

namespace {

const std::vector<std::string> commands = {"fit",      "predict", "explore",
                                           "backtest", "merge",   "completion"};

/// Completes the words of `line` (the last one being typed, maybe empty) with
/// the generated bash script, as bash would; COMPREPLY, a word a line.
std::string complete(const scratch_dir& dir, const std::string& line) {
  const std::string script =
      "\"$REGRESS\" completion bash > regress.bash || exit 9\n"
      "exec bash -c '. ./regress.bash\n"
      "read -r -a COMP_WORDS <<< \"$1\"\n"
      "case $1 in *\" \") COMP_WORDS+=(\"\") ;; esac\n"
      "COMP_CWORD=$((${#COMP_WORDS[@]} - 1))\n"
      "_regress\n"
      "[ ${#COMPREPLY[@]} -eq 0 ] || printf \"%s\\n\" \"${COMPREPLY[@]}\"' bash " +
      quote(line) + "\n";
  const outcome r = sh(dir, script);
  INFO("completing '" << line << "': " << r.err);
  REQUIRE(r.status == 0);
  return r.out;
}

}  // namespace

TEST_CASE("the bash completion completes commands, flags, their values, files and columns",
          "[cli][install]") {
  scratch_dir dir;
  if (sh(dir, "command -v bash").status != 0) {
    WARN("no bash here; skipped");
    return;
  }
  dir.write("my data.csv", "");
  dir.write("trees.csv", "Girth,Height,\"Volume\"\r\n8.3,70,10.3\r\n");
  dir.write("semi.csv", "Girth;Height\n8,3;70\n");
  CHECK(complete(dir, "regress ") ==
        "fit\npredict\nexplore\nbacktest\nanova\nmerge\naugment\ncheck\ncompletion\n--help\n--"
        "version\n");
  CHECK(complete(dir, "regress pre") == "predict\n");
  CHECK(complete(dir, "regress fit --for") == "--formula\n--format\n");
  CHECK(complete(dir, "regress fit --format ") == "text\ncsv\ntsv\njson\nndjson\n");
  CHECK(complete(dir, "regress predict --format ") == "csv\ntsv\njson\nndjson\n");
  CHECK(complete(dir, "regress predict --interval c") == "confidence\n");
  CHECK(complete(dir, "regress backtest --side ") == "upper\nlower\nboth\n");
  CHECK(complete(dir, "regress completion ") == "bash\nzsh\nfish\n");
  CHECK(complete(dir, "regress fit tr") == "trees.csv\n");
  CHECK(complete(dir, "regress fit my") == "my data.csv\n");
  CHECK(complete(dir, "regress fit trees.csv --save tr") == "trees.csv\n");
  // Columns from the header of the file already on the line (CRLF, quotes).
  CHECK(complete(dir, "regress fit trees.csv -y ") == "Girth\nHeight\nVolume\n");
  CHECK(complete(dir, "regress explore -x G trees.csv -y H") == "Height\n");
  CHECK(complete(dir, "regress fit trees.csv -x Girth,") ==
        "Girth,Girth\nGirth,Height\nGirth,Volume\n");
  CHECK(complete(dir, "regress backtest trees.csv --along V") == "Volume\n");
  CHECK(complete(dir, "regress fit semi.csv --weights ") == "Girth\nHeight\n");
  // No file on the line yet: nothing to offer, and no error.
  CHECK(complete(dir, "regress fit -y ").empty());
  // Numbers have nothing to offer.
  CHECK(complete(dir, "regress fit trees.csv --level ").empty());
}

TEST_CASE("the zsh and fish completions list every command and flag", "[cli][install]") {
  scratch_dir dir;
  const std::string zsh = succeed(dir, "completion zsh");
  const std::string fish = succeed(dir, "completion fish");
  CHECK_THAT(zsh, Contains("#compdef regress"));
  CHECK_THAT(zsh, Contains("--format[Output"));
  CHECK_THAT(zsh, Contains(":value:(csv tsv json ndjson)"));
  CHECK_THAT(fish, Contains("complete -c regress -n '__fish_seen_subcommand_from predict' -l "
                            "interval"));
  CHECK_THAT(fish, Contains("-a '(__regress_columns)'"));
  for (const auto& c : commands) {
    CHECK_THAT(zsh, Contains("    " + c + ")"));
    CHECK_THAT(fish, Contains("-a " + c + " "));
  }
  check_failure(regress(dir, "completion tcsh"), 2, {"tcsh", "bash, zsh or fish"});
}

TEST_CASE("the man page documents every flag of every command's --help", "[cli][install]") {
  const std::string roff = read_file(repo_path("doc/regress.1"));
  REQUIRE(!roff.empty());
  // As man shows it: roff's \- is a plain '-'.
  const std::string man = std::regex_replace(roff, std::regex(R"(\\-)"), "-");
  scratch_dir dir;
  const std::regex flag(R"((^|[\s,])(--?[a-zA-Z][a-zA-Z0-9-]*))");
  for (const auto& c : commands) {
    CHECK_THAT(man, Contains(".SS \"regress " + c + "\""));
    const std::string help = succeed(dir, c + " --help");
    const std::string options = help.substr(help.find("Options:"));
    std::istringstream lines(options);
    for (std::string line; std::getline(lines, line);) {
      if (line.rfind("  -", 0) != 0) continue;  // the options' own lines only
      const std::string names = line.substr(0, line.find(' ', 2));
      for (std::sregex_iterator m(names.begin(), names.end(), flag), end; m != end; ++m) {
        const std::string name = (*m)[2];
        if (name == "-h" || name == "--help") continue;
        INFO("regress " << c << " " << name << " is not in doc/regress.1");
        CHECK(std::regex_search(man, std::regex("(^|[^a-zA-Z-])" + name + "([^a-zA-Z-]|$)")));
      }
    }
  }
  for (const char* section :
       {".SH EXIT STATUS", ".SH EXAMPLES", ".SH INPUT", ".SH FILES WRITTEN"}) {
    CHECK_THAT(man, Contains(section));
  }
}

TEST_CASE("each command's --help ends with two or three examples that run", "[cli][install]") {
  scratch_dir dir;
  for (const auto& c : commands) {
    const std::string help = succeed(dir, c + " --help");
    const std::size_t at = help.rfind("Examples");
    REQUIRE(at != std::string::npos);
    std::istringstream rest(help.substr(help.find('\n', at) + 1));
    std::vector<std::string> examples;
    for (std::string line; std::getline(rest, line);) {
      if (line.empty()) continue;  // CLI11 ends the help with a blank line
      INFO("regress " << c << " --help, after its examples: " << line);
      REQUIRE(line.rfind("  regress ", 0) == 0);
      examples.push_back(line.substr(10));
    }
    CHECK(examples.size() >= 2);
    CHECK(examples.size() <= 3);
    for (auto e : examples) {
      // The shipped data, from the source tree.
      e = std::regex_replace(e, std::regex("data/"), repo_path("data") + "/");
      INFO("example: regress " << e);
      const outcome r = regress(dir, e);
      CHECK(r.status == 0);
    }
  }
}
