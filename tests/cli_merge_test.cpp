// End-to-end: `regress fit --threads/--save-state` and `regress merge`, run as
// the built binary (REGRESS_BINARY) through /bin/sh in a scratch directory.
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

namespace {

using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

struct result {
  std::string out, err;
  int status = -1;
};

class scratch {
 public:
  scratch() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "regress_merge_XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr) FAIL("mkdtemp: " << std::strerror(errno));
    dir_ = tmpl;
  }
  ~scratch() {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  scratch(const scratch&) = delete;
  scratch& operator=(const scratch&) = delete;
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(dir_ + "/" + name, std::ios::binary) << text;
    return dir_ + "/" + name;
  }
  result sh(const std::string& script) const {
    const std::string command = "cd '" + dir_ + "' && R='" + std::string(REGRESS_BINARY) +
                                "' && { " + script + "\n} </dev/null >.out 2>.err";
    const int raw = std::system(command.c_str());
    result r;
    r.status = raw != -1 && WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
    r.out = slurp(dir_ + "/.out");
    r.err = slurp(dir_ + "/.err");
    return r;
  }

 private:
  std::string dir_;
};

std::string cars() { return std::string(REGRESS_TEST_DATA_DIR) + "/../data/cars.csv"; }

/// Estimates and standard errors from `fit --format csv`.
std::vector<double> numbers(const std::string& csv) {
  std::vector<double> v;
  std::istringstream in(csv);
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string term, est, se;
    std::getline(fields, term, ',');
    std::getline(fields, est, ',');
    std::getline(fields, se, ',');
    v.push_back(std::stod(est));
    v.push_back(std::stod(se));
  }
  return v;
}

/// The estimates and standard errors of two `--format csv` fits agree to
/// `tolerance`, relative.
void require_close(const std::string& csv_a, const std::string& csv_b, double tolerance) {
  const auto a = numbers(csv_a), b = numbers(csv_b);
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    CHECK(std::abs(a[i] - b[i]) <= tolerance * std::abs(a[i]));
  }
}

/// y ~ x1 + x2 over `rows` rows, deterministic.
std::string data(int rows) {
  std::string s = "x1,x2,y\n";
  for (int i = 0; i < rows; ++i) {
    const double x1 = i * 0.37 - 50, x2 = (i * 7919 % 1000) / 10.0;
    s += std::to_string(x1) + "," + std::to_string(x2) + "," +
         std::to_string(1.5 + 2 * x1 - 0.25 * x2 +
                        static_cast<double>((i * 104729LL) % 17 - 8) * 0.1) +
         "\n";
  }
  return s;
}

}  // namespace

TEST_CASE("fit gives the same answer on any number of threads and from standard input",
          "[cli][engine]") {
  scratch dir;
  dir.write("d.csv", data(30000));
  const auto one = dir.sh("\"$R\" fit d.csv -y y -x x1,x2 --format csv --threads 1");
  REQUIRE(one.status == 0);
  const auto two = dir.sh("\"$R\" fit d.csv -y y -x x1,x2 --format csv --threads 2");
  const auto three = dir.sh("\"$R\" fit d.csv -y y -x x1,x2 --format csv --threads 3");
  CHECK(two.out == one.out);
  CHECK(three.out == one.out);
  const auto piped = dir.sh("cat d.csv | \"$R\" fit - -y y -x x1,x2 --format csv");
  REQUIRE(piped.status == 0);
  require_close(one.out, piped.out, 1e-14);
  CHECK(dir.sh("\"$R\" fit d.csv -y y -x x1 --threads 0").status == 2);
}

TEST_CASE("merging the states of any split equals fitting the whole", "[cli][merge]") {
  scratch dir;
  const std::string text = data(1000);
  dir.write("all.csv", text);
  const auto whole = dir.sh("\"$R\" fit all.csv -y y -x x1,x2 --format csv");
  REQUIRE(whole.status == 0);
  // split -n: 3 pieces with the header repeated, as a map step would make them.
  const auto split = dir.sh(
      "tail -n +2 all.csv > body && split -n l/3 body part_ && for p in part_??; do "
      "{ echo x1,x2,y; cat $p; } > $p.csv && \"$R\" fit $p.csv -y y -x x1,x2 --save-state $p.json "
      "--format csv > /dev/null || exit 1; done && \"$R\" merge part_*.json --format csv");
  INFO(split.err);
  REQUIRE(split.status == 0);
  require_close(whole.out, split.out, 1e-13);
  // The merged model predicts; text output has the training ranges.
  const auto saved = dir.sh(
      "\"$R\" merge part_*.json --save m.json > /dev/null && "
      "\"$R\" predict -m m.json --new all.csv --format csv | head -2");
  CHECK(saved.status == 0);
  CHECK_THAT(saved.out, StartsWith("x1,x2,fit,se_fit,lwr,upr,leverage,region"));
  CHECK_THAT(saved.err, Contains("lower bound"));
}

TEST_CASE("a shard that cannot be fitted alone still saves its state and merges", "[cli][merge]") {
  scratch dir;
  const std::string text = data(200);
  dir.write("all.csv", text);
  const auto whole = dir.sh("\"$R\" fit all.csv -y y -x x1,x2 --format csv");
  REQUIRE(whole.status == 0);
  // Row 1 alone (fewer rows than parameters) and the rest.
  const auto shards = dir.sh(
      "head -2 all.csv > one.csv && { head -1 all.csv; tail -n +3 all.csv; } > rest.csv && "
      "\"$R\" fit one.csv -y y -x x1,x2 --save-state one.json && "
      "\"$R\" fit rest.csv -y y -x x1,x2 --save-state rest.json > /dev/null && "
      "\"$R\" merge one.json rest.json --format csv");
  INFO(shards.err);
  REQUIRE(shards.status == 0);
  CHECK_THAT(shards.err, Contains("cannot be fitted alone"));
  CHECK_THAT(shards.err, Contains("one.json"));
  require_close(whole.out, shards.out, 1e-13);
  // Without --save-state the same rows are an error, as before; with --save
  // too, nothing is written.
  CHECK(dir.sh("\"$R\" fit one.csv -y y -x x1,x2").status == 1);
  CHECK(dir.sh("\"$R\" fit one.csv -y y -x x1,x2 --save-state s.json --save m.json").status == 1);
  CHECK(dir.sh("test -e s.json || test -e m.json").status != 0);
}

TEST_CASE("merge refuses shards of different models and malformed state files", "[cli][merge]") {
  scratch dir;
  dir.write("c.csv", slurp(cars()));
  const auto mismatch = dir.sh(
      "\"$R\" fit c.csv -y dist -x speed --save-state a.json > /dev/null && "
      "\"$R\" fit c.csv -y dist -x speed --degree 2 --save-state b.json > /dev/null && "
      "\"$R\" merge a.json b.json");
  CHECK(mismatch.status == 1);
  CHECK(mismatch.out.empty());
  CHECK_THAT(mismatch.err, StartsWith("regress: error: b.json is a fit of dist ~ speed, degree 2"));
  dir.write("bad.json", "{\"format\": \"regress-state\", \"version\": 1}");
  const auto bad = dir.sh("\"$R\" merge a.json bad.json");
  CHECK(bad.status == 1);
  CHECK_THAT(bad.err, Contains("bad.json: missing field"));
  CHECK(dir.sh("\"$R\" merge").status == 2);
  CHECK(dir.sh("\"$R\" merge missing.json").status == 1);
}
