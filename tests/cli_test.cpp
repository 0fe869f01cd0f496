// End-to-end tests of the built `regress` binary. Every test runs the real
// executable (REGRESS_BINARY) through /bin/sh in a fresh temporary directory
// and looks only at what a user sees: standard output, standard error and the
// exit status. The streaming test drives the binary through pipes directly.
//
// Reference values for cars are R 4.2's summary(lm(dist ~ speed, cars)).

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

namespace {

using json = nlohmann::json;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

// ---------------------------------------------------------------------------
// Paths

const std::string binary = REGRESS_BINARY;

std::string repo_path(const std::string& relative) {
  return std::string(REGRESS_TEST_DATA_DIR) + "/../" + relative;
}
std::string cars() { return repo_path("data/cars.csv"); }
std::string mtcars() { return repo_path("data/mtcars.csv"); }

/// Single-quotes `s` for /bin/sh.
std::string quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// ---------------------------------------------------------------------------
// A scratch directory per test, and running commands in it

/// A directory made with mkdtemp, removed with everything in it at the end.
class scratch_dir {
 public:
  scratch_dir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "regress_cli_XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr) FAIL("mkdtemp failed: " << std::strerror(errno));
    path_ = tmpl;
  }
  ~scratch_dir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  scratch_dir(const scratch_dir&) = delete;
  scratch_dir& operator=(const scratch_dir&) = delete;

  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }
  /// Writes `text` to `name` in the directory; returns the full path.
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(file(name), std::ios::binary) << text;
    return file(name);
  }
  std::string read(const std::string& name) const { return read_file(file(name)); }

 private:
  std::string path_;
};

/// Restores the default SIGPIPE disposition while alive, so that the shells we
/// start (and their children) see a closed pipe as usual even if the test
/// runner itself ignores SIGPIPE (an ignored signal is inherited across exec).
class default_sigpipe {
 public:
  default_sigpipe() {
    struct sigaction dfl {};
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    ::sigaction(SIGPIPE, &dfl, &old_);
  }
  ~default_sigpipe() { ::sigaction(SIGPIPE, &old_, nullptr); }
  default_sigpipe(const default_sigpipe&) = delete;
  default_sigpipe& operator=(const default_sigpipe&) = delete;

 private:
  struct sigaction old_ {};
};

struct outcome {
  std::string out;
  std::string err;
  int status = -1;  ///< exit status of the script (WEXITSTATUS), -1 if it did not exit
};

/// Runs `script` with /bin/sh in `dir` (as the working directory), with
/// $REGRESS naming the binary and stdin from /dev/null unless the script
/// redirects it; captures the script's stdout, stderr and exit status.
outcome sh(const scratch_dir& dir, const std::string& script) {
  const std::string command = "cd " + quote(dir.path()) + " && REGRESS=" + quote(binary) +
                              " && export REGRESS && { " + script + "\n} </dev/null >" +
                              quote(dir.file(".stdout")) + " 2>" + quote(dir.file(".stderr"));
  default_sigpipe guard;
  const int raw = std::system(command.c_str());
  outcome r;
  r.status = raw != -1 && WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  r.out = dir.read(".stdout");
  r.err = dir.read(".stderr");
  return r;
}

/// Runs `regress ARGS` (ARGS already quoted as needed) in `dir`.
outcome regress(const scratch_dir& dir, const std::string& args) {
  return sh(dir, "\"$REGRESS\" " + args);
}

// ---------------------------------------------------------------------------
// Looking at the output

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::vector<std::string> split(const std::string& line, char delimiter) {
  std::vector<std::string> fields;
  std::string field;
  for (char c : line) {
    if (c == delimiter) {
      fields.push_back(field);
      field.clear();
    } else {
      field += c;
    }
  }
  fields.push_back(field);
  return fields;
}

/// A delimited table as printed by regress (no quoting): header and rows.
struct table_text {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::size_t column(const std::string& name) const {
    const auto it = std::find(header.begin(), header.end(), name);
    REQUIRE(it != header.end());
    return static_cast<std::size_t>(it - header.begin());
  }
  double number(std::size_t row, const std::string& name) const {
    return std::stod(rows.at(row).at(column(name)));
  }
  const std::string& text(std::size_t row, const std::string& name) const {
    return rows.at(row).at(column(name));
  }
};

table_text parse_table(const std::string& text, char delimiter = ',') {
  table_text t;
  const auto lines = lines_of(text);
  REQUIRE(!lines.empty());
  t.header = split(lines[0], delimiter);
  for (std::size_t i = 1; i < lines.size(); ++i) {
    t.rows.push_back(split(lines[i], delimiter));
    REQUIRE(t.rows.back().size() == t.header.size());
  }
  return t;
}

std::size_t count_lines(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

/// A failure as the error policy states it: the exit code, one message line on
/// stderr starting "regress: error: " that mentions each of `mentions`, and
/// nothing at all on stdout.
void check_failure(const outcome& r, int code, std::initializer_list<std::string> mentions) {
  INFO("stdout: " << r.out);
  INFO("stderr: " << r.err);
  CHECK(r.status == code);
  CHECK(r.out.empty());
  CHECK_THAT(r.err, StartsWith("regress: error: "));
  CHECK(count_lines(r.err) == 1);
  for (const auto& m : mentions) CHECK_THAT(r.err, Contains(m));
}

constexpr double r_intercept = -17.579094890510949;
constexpr double r_slope = 3.9324087591240877;
constexpr double r_sigma = 15.379586748819907;
constexpr double r_r_squared = 0.65107938075825;

const std::string table_header = "term,estimate,std_error,statistic,p_value,conf_low,conf_high";
const std::string predict_header = "speed,fit,se_fit,lwr,upr,leverage,region";

std::string fit_cars(const std::string& extra = "--format csv") {
  return "fit " + quote(cars()) + " -y dist -x speed " + extra;
}
std::string predict_cars(const std::string& extra) {
  return "predict " + quote(cars()) + " -y dist -x speed " + extra;
}

}  // namespace

// ===========================================================================
// fit: output formats

TEST_CASE("fit prints an R-style summary as text by default", "[cli]") {
  scratch_dir dir;
  const outcome r = regress(dir, "fit " + quote(cars()) + " -y dist -x speed");
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK(r.err.empty());
  CHECK_THAT(r.out, Contains("Coefficients:"));
  CHECK_THAT(r.out, Contains("(Intercept)"));
  CHECK_THAT(r.out, Contains("Residual standard error"));
  CHECK_THAT(r.out, Contains("-17.5791"));
  CHECK_THAT(r.out, Contains("3.9324"));
  CHECK_THAT(r.out, Contains("15.38 on 48 degrees of freedom"));
}

// tests/reference/make_residuals_reference.R wrote what R 4.2.2 prints.
TEST_CASE("fit lists every residual by row number with 5 or fewer residual df as summary.lm",
          "[cli]") {
  auto block = [](const std::string& text) {
    const auto from = text.find("Residuals:\n");
    const auto to = text.find("Coefficients:\n");
    REQUIRE(from != std::string::npos);
    REQUIRE(to != std::string::npos);
    return text.substr(from, to - from);
  };
  scratch_dir dir;
  for (const char* name : {"missing", "wrap", "six"}) {
    const std::string c = name;
    INFO(c);
    const std::string degree = c == "wrap" ? " --degree 9" : "";
    const outcome r = regress(
        dir, "fit " + quote(repo_path("tests/data/r_resid_" + c + ".csv")) + " -y y -x x" + degree);
    INFO(r.err);
    REQUIRE(r.status == 0);
    CHECK(block(r.out) == read_file(repo_path("tests/reference/r_resid_" + c + ".txt")));
  }
}

TEST_CASE("fit --format csv writes one row per term with R's estimates", "[cli]") {
  scratch_dir dir;
  const outcome r = regress(dir, fit_cars("--format csv"));
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK(r.err.empty());
  REQUIRE(lines_of(r.out).at(0) == table_header);
  const table_text t = parse_table(r.out);
  REQUIRE(t.rows.size() == 2);
  CHECK(t.text(0, "term") == "(Intercept)");
  CHECK(t.text(1, "term") == "speed");
  CHECK(t.number(0, "estimate") == Approx(r_intercept).epsilon(1e-12));
  CHECK(t.number(1, "estimate") == Approx(r_slope).epsilon(1e-12));
  // R prints these to 5 significant digits: 6.7584, 0.4155 (0.41551), 1.49e-12.
  CHECK(t.number(0, "std_error") == Approx(6.7584402).epsilon(1e-7));
  CHECK(t.number(1, "std_error") == Approx(0.4155128).epsilon(1e-6));
  CHECK(t.number(1, "statistic") == Approx(9.46399).epsilon(1e-5));
  CHECK(t.number(1, "p_value") == Approx(1.4898e-12).epsilon(1e-4));
  // The interval contains the estimate.
  for (std::size_t i = 0; i < 2; ++i) {
    CHECK(t.number(i, "conf_low") < t.number(i, "estimate"));
    CHECK(t.number(i, "estimate") < t.number(i, "conf_high"));
  }
}

TEST_CASE("fit --format tsv writes the csv table with tabs", "[cli]") {
  scratch_dir dir;
  const outcome csv = regress(dir, fit_cars("--format csv"));
  const outcome tsv = regress(dir, fit_cars("--format tsv"));
  REQUIRE(csv.status == 0);
  REQUIRE(tsv.status == 0);
  CHECK_THAT(tsv.out, !Contains(","));
  std::string as_csv = tsv.out;
  std::replace(as_csv.begin(), as_csv.end(), '\t', ',');
  CHECK(as_csv == csv.out);
}

TEST_CASE("fit --format json has every documented key with R's values for cars", "[cli]") {
  scratch_dir dir;
  const outcome r = regress(dir, fit_cars("--format json"));
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK(r.err.empty());
  const json j = json::parse(r.out);

  REQUIRE(j.at("terms").is_array());
  REQUIRE(j.at("terms").size() == 2);
  for (const auto& term : j.at("terms")) {
    for (const char* key :
         {"estimate", "std_error", "statistic", "p_value", "conf_low", "conf_high"}) {
      INFO(key);
      CHECK(term.at(key).is_number());
    }
  }
  CHECK(j["terms"][0].at("term") == "(Intercept)");
  CHECK(j["terms"][1].at("term") == "speed");
  CHECK(j["terms"][0]["estimate"].get<double>() == Approx(r_intercept).epsilon(1e-12));
  CHECK(j["terms"][1]["estimate"].get<double>() == Approx(r_slope).epsilon(1e-12));

  for (const char* key : {"r_squared", "adj_r_squared", "sigma", "df_residual", "nobs",
                          "f_statistic", "f_p_value", "log_lik", "aic", "bic", "level"}) {
    INFO(key);
    CHECK(j.at(key).is_number());
  }
  CHECK(j["sigma"].get<double>() == Approx(r_sigma).epsilon(1e-12));
  CHECK(j["r_squared"].get<double>() == Approx(r_r_squared).epsilon(1e-12));
  CHECK(j["adj_r_squared"].get<double>() == Approx(0.6438102).epsilon(1e-7));
  CHECK(j["df_residual"].get<double>() == 48);
  CHECK(j["nobs"].get<double>() == 50);
  CHECK(j["f_statistic"].get<double>() == Approx(89.56711).epsilon(1e-6));
  CHECK(j["log_lik"].get<double>() == Approx(-206.5784).epsilon(1e-6));
  CHECK(j["aic"].get<double>() == Approx(419.1569).epsilon(1e-6));
  CHECK(j["bic"].get<double>() == Approx(424.8929).epsilon(1e-6));
  CHECK(j["level"].get<double>() == 0.95);

  REQUIRE(j.at("predictors").is_array());
  REQUIRE(j["predictors"].size() == 1);
  const json& p = j["predictors"][0];
  CHECK(p.at("name") == "speed");
  CHECK(p.at("min").get<double>() == 4);
  CHECK(p.at("max").get<double>() == 25);
  CHECK(p.at("mean").get<double>() == Approx(15.4).epsilon(1e-14));
}

// ===========================================================================
// fit: choosing the input and the columns

TEST_CASE("fit reads standard input when the file is omitted or given as -", "[cli]") {
  scratch_dir dir;
  const outcome from_file = regress(dir, fit_cars("--format csv"));
  REQUIRE(from_file.status == 0);

  const outcome piped =
      sh(dir, "cat " + quote(cars()) + " | \"$REGRESS\" fit -y dist -x speed --format csv");
  INFO(piped.err);
  CHECK(piped.status == 0);
  CHECK(piped.out == from_file.out);

  const outcome dash =
      sh(dir, "\"$REGRESS\" fit - -y dist -x speed --format csv < " + quote(cars()));
  INFO(dash.err);
  CHECK(dash.status == 0);
  CHECK(dash.out == from_file.out);
}

TEST_CASE("fit accepts columns by 1-based index", "[cli]") {
  scratch_dir dir;
  const outcome by_name = regress(dir, fit_cars("--format csv"));
  const outcome by_index = regress(dir, "fit " + quote(cars()) + " -y 2 -x 1 --format csv");
  INFO(by_index.err);
  REQUIRE(by_name.status == 0);
  CHECK(by_index.status == 0);
  CHECK(by_index.out == by_name.out);
}

TEST_CASE("fit on a two-column file without -x or -y regresses the second column on the first",
          "[cli]") {
  scratch_dir dir;
  const outcome by_name = regress(dir, fit_cars("--format csv"));
  const outcome bare = regress(dir, "fit " + quote(cars()) + " --format csv");
  INFO(bare.err);
  REQUIRE(by_name.status == 0);
  CHECK(bare.status == 0);
  CHECK(bare.out == by_name.out);

  SECTION("and with only -y, the other column is the predictor") {
    const outcome y_only = regress(dir, "fit " + quote(cars()) + " -y dist --format csv");
    CHECK(y_only.status == 0);
    CHECK(y_only.out == by_name.out);
  }
}

TEST_CASE("fit accepts predictors as a comma list or as repeated -x", "[cli]") {
  scratch_dir dir;
  const outcome list = regress(dir, "fit " + quote(mtcars()) + " -y mpg -x wt,disp --format csv");
  const outcome repeated =
      regress(dir, "fit " + quote(mtcars()) + " -y mpg -x wt -x disp --format csv");
  INFO(list.err);
  REQUIRE(list.status == 0);
  CHECK(repeated.status == 0);
  CHECK(repeated.out == list.out);
  const table_text t = parse_table(list.out);
  REQUIRE(t.rows.size() == 3);
  CHECK(t.text(0, "term") == "(Intercept)");
  CHECK(t.text(1, "term") == "wt");
  CHECK(t.text(2, "term") == "disp");
  // R: coef(lm(mpg ~ wt + disp, mtcars)) = 34.96055404, -3.35082533, -0.01772474.
  CHECK(t.number(0, "estimate") == Approx(34.96055404).epsilon(1e-8));
  CHECK(t.number(1, "estimate") == Approx(-3.35082533).epsilon(1e-8));
  CHECK(t.number(2, "estimate") == Approx(-0.01772474).epsilon(1e-6));
}

TEST_CASE("fit reads a .tsv file as tab separated", "[cli]") {
  scratch_dir dir;
  dir.write("d.tsv", "x\ty\n1\t2\n2\t3\n3\t5\n4\t4\n");
  dir.write("d.csv", "x,y\n1,2\n2,3\n3,5\n4,4\n");
  const outcome tsv = regress(dir, "fit d.tsv -y y -x x --format csv");
  const outcome csv = regress(dir, "fit d.csv -y y -x x --format csv");
  INFO(tsv.err);
  CHECK(tsv.status == 0);
  CHECK(tsv.out == csv.out);
}

TEST_CASE("fit drops rows with missing values in used columns and says how many", "[cli]") {
  scratch_dir dir;
  // Two rows miss a used value (an empty y, an NA x); the unused 'note' column
  // holds arbitrary text, including a quoted comma and an empty cell.
  dir.write("missing.csv",
            "note,x,y\n"
            "hello world,1,2\n"
            "\"a, quoted; text!\",2,\n"
            "foo,NA,3\n"
            ",4,4\n"
            "bar,5,6.5\n"
            "baz?,6,6\n");
  const outcome r = regress(dir, "fit missing.csv -y y -x x --format json");
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK_THAT(r.err, StartsWith("regress: warning:"));
  CHECK_THAT(r.err, Contains("2"));
  CHECK_THAT(r.err, !Contains("error"));
  const json j = json::parse(r.out);
  CHECK(j["nobs"].get<double>() == 4);
  // Complete rows (1,2) (4,4) (5,6.5) (6,6): slope 12.5/14, intercept 4.625 - 4 * slope.
  CHECK(j["terms"][1]["estimate"].get<double>() == Approx(12.5 / 14).epsilon(1e-12));
  CHECK(j["terms"][0]["estimate"].get<double>() == Approx(4.625 - 4 * 12.5 / 14).epsilon(1e-12));
  CHECK(j["predictors"][0]["min"].get<double>() == 1);
  CHECK(j["predictors"][0]["max"].get<double>() == 6);

  SECTION("an unused text column alone needs no warning") {
    dir.write("text.csv", "label,x,y\nwhat ever,1,2\n\"x, y\",2,3\n!!,3,5\n,4,4\n");
    const outcome clean = regress(dir, "fit text.csv -y y -x x --format csv");
    INFO(clean.err);
    CHECK(clean.status == 0);
    CHECK(clean.err.empty());
  }
}

TEST_CASE("fit prints non-finite statistics as null in json and inf or NA in csv", "[cli]") {
  scratch_dir dir;
  // A constant response: R gives t = Inf for the intercept and NaN for x.
  dir.write("flat.csv", "x,y\n1,1\n2,1\n3,1\n4,1\n");
  const outcome j = regress(dir, "fit flat.csv --format json");
  INFO(j.err);
  REQUIRE(j.status == 0);
  const json parsed = json::parse(j.out);
  CHECK(parsed["terms"][0]["estimate"].get<double>() == 1);
  CHECK(parsed["terms"][1]["statistic"].is_null());
  CHECK(parsed["r_squared"].is_null());
  const outcome c = regress(dir, "fit flat.csv --format csv");
  const table_text t = parse_table(c.out);
  CHECK(t.text(0, "statistic") == "inf");
  CHECK(t.text(1, "statistic") == "NA");
}

// ===========================================================================
// Saved models

TEST_CASE("a saved model predicts byte for byte what fitting from the data predicts", "[cli]") {
  scratch_dir dir;
  const outcome saved = regress(dir, fit_cars("--format csv --save m.json"));
  INFO(saved.err);
  REQUIRE(saved.status == 0);
  CHECK(saved.out == regress(dir, fit_cars("--format csv")).out);

  for (const std::string points :
       {"--at 4,10,15.4,25", "--at=-1000,0,3.99,25.01,1e6", "--range 0:50:6",
        "--range 0:50:6 --interval confidence --level 0.9 --format json"}) {
    INFO(points);
    const outcome from_model = regress(dir, "predict -m m.json " + points);
    const outcome from_data = regress(dir, predict_cars(points));
    CHECK(from_model.status == 0);
    CHECK(from_data.status == 0);
    CHECK(!from_model.out.empty());
    CHECK(from_model.out == from_data.out);
    CHECK(from_model.err == from_data.err);
  }
}

TEST_CASE("the saved model file is JSON with a version field", "[cli]") {
  scratch_dir dir;
  REQUIRE(regress(dir, fit_cars("--save m.json")).status == 0);
  const json m = json::parse(dir.read("m.json"));
  REQUIRE(m.is_object());
  REQUIRE(m.contains("version"));
  CHECK(m["version"].is_number_integer());
  CHECK(m["version"].get<int>() >= 1);
}

TEST_CASE("a model saved at one level predicts at that level unless --level is given", "[cli]") {
  scratch_dir dir;
  REQUIRE(regress(dir, fit_cars("--level 0.9 --save m.json")).status == 0);
  const outcome saved_level = regress(dir, "predict -m m.json --at 10,30");
  CHECK(saved_level.status == 0);
  CHECK(saved_level.out == regress(dir, predict_cars("--at 10,30 --level 0.9")).out);
  const outcome override_level = regress(dir, "predict -m m.json --at 10,30 --level 0.95");
  CHECK(override_level.out == regress(dir, predict_cars("--at 10,30")).out);
}

// ===========================================================================
// predict

TEST_CASE("predict --at gives a row per value and flags below, inside and above", "[cli]") {
  scratch_dir dir;
  const outcome r = regress(dir, predict_cars("--at 0,10,30"));
  REQUIRE(r.status == 0);
  REQUIRE(lines_of(r.out).at(0) == predict_header);
  const table_text t = parse_table(r.out);
  REQUIRE(t.rows.size() == 3);
  CHECK(t.text(0, "region") == "below");
  CHECK(t.text(1, "region") == "inside");
  CHECK(t.text(2, "region") == "above");
  for (std::size_t i = 0; i < 3; ++i) {
    const double x = t.number(i, "speed");
    CHECK(t.number(i, "fit") == Approx(r_intercept + r_slope * x).epsilon(1e-12));
    CHECK(t.number(i, "lwr") < t.number(i, "fit"));
    CHECK(t.number(i, "fit") < t.number(i, "upr"));
    CHECK(t.number(i, "leverage") > 0);
  }
  // At x = 0 the mean response is the intercept, with its standard error.
  CHECK(t.number(0, "se_fit") == Approx(6.7584402).epsilon(1e-7));
}

TEST_CASE("predict --range FROM:TO:COUNT gives COUNT evenly spaced rows", "[cli]") {
  scratch_dir dir;
  const outcome r = regress(dir, predict_cars("--range 0:50:6"));
  REQUIRE(r.status == 0);
  const table_text t = parse_table(r.out);
  REQUIRE(t.rows.size() == 6);
  for (std::size_t i = 0; i < 6; ++i) CHECK(t.number(i, "speed") == 10.0 * double(i));
}

// Long outputs are formatted in batches of 4096 rows on a second thread
// (predict_command.cpp); short ones are written in place. The rows either side
// of each batch boundary must be the rows a short request gives for the same x.
TEST_CASE("predict keeps every row in order across the batches of a long output", "[cli]") {
  scratch_dir dir;
  const outcome many = regress(dir, predict_cars("--range 0:50:10001"));
  REQUIRE(many.status == 0);
  const auto rows = lines_of(many.out);
  REQUIRE(rows.size() == 10002);  // header and 10001 rows
  std::string at;
  std::vector<std::size_t> picked = {0, 4095, 4096, 4097, 8191, 8192, 10000};
  for (std::size_t i : picked)
    at += (at.empty() ? "" : ",") + rows[i + 1].substr(0, rows[i + 1].find(','));
  const outcome few = regress(dir, predict_cars("--at " + at));
  REQUIRE(few.status == 0);
  const auto expected = lines_of(few.out);
  REQUIRE(expected.size() == picked.size() + 1);
  for (std::size_t k = 0; k < picked.size(); ++k) CHECK(rows[picked[k] + 1] == expected[k + 1]);

  const outcome as_json = regress(dir, predict_cars("--range 0:50:10001 --format json"));
  REQUIRE(as_json.status == 0);
  const json parsed = json::parse(as_json.out);
  REQUIRE(parsed.size() == 10001);
  CHECK(parsed[4096]["speed"].get<double>() == Approx(50.0 * 4096 / 10000));

  // A bad cell far into streamed points: every row before it is written.
  std::string points = "speed\n";
  for (int i = 0; i < 10000; ++i) points += std::to_string(i % 30) + "\n";
  dir.write("new.csv", points + "oops\n5\n");
  const outcome bad = regress(dir, predict_cars("--new new.csv"));
  CHECK(bad.status == 1);
  CHECK_THAT(bad.err, Contains("new.csv:10002:1"));
  CHECK(lines_of(bad.out).size() == 10001);
}

TEST_CASE("predict --new reads the points from a file or from standard input", "[cli]") {
  scratch_dir dir;
  dir.write("new.csv", "label,speed\na,0\nb,10\nc,30\n");
  const outcome at = regress(dir, predict_cars("--at 0,10,30"));
  REQUIRE(at.status == 0);

  const outcome file = regress(dir, predict_cars("--new new.csv"));
  INFO(file.err);
  CHECK(file.status == 0);
  CHECK(file.out == at.out);

  REQUIRE(regress(dir, fit_cars("--save m.json")).status == 0);
  const outcome piped = sh(dir, "\"$REGRESS\" predict -m m.json --new - < new.csv");
  INFO(piped.err);
  CHECK(piped.status == 0);
  CHECK(piped.out == at.out);
}

TEST_CASE("predict --new gives NA for a point with a missing value", "[cli]") {
  scratch_dir dir;
  dir.write("new.csv", "speed\n10\nNA\n12\n");
  const outcome r = regress(dir, predict_cars("--new new.csv"));
  INFO(r.err);
  REQUIRE(r.status == 0);
  const table_text t = parse_table(r.out);
  REQUIRE(t.rows.size() == 3);
  CHECK(t.text(0, "region") == "inside");
  CHECK(t.text(1, "fit") == "NA");
  CHECK(t.text(1, "region") == "NA");
  CHECK(t.text(2, "region") == "inside");
}

TEST_CASE("predict warns about extrapolation on stderr only when a point extrapolates", "[cli]") {
  scratch_dir dir;
  const outcome inside = regress(dir, predict_cars("--at 4,10,25"));
  CHECK(inside.status == 0);
  CHECK(inside.err.empty());

  const outcome outside = regress(dir, predict_cars("--at 10,26,100"));
  CHECK(outside.status == 0);
  CHECK_THAT(outside.err, StartsWith("regress: warning:"));
  CHECK(count_lines(outside.err) == 1);
  CHECK_THAT(outside.err, Contains("2 of 3"));
}

TEST_CASE("confidence intervals are narrower than prediction intervals", "[cli]") {
  scratch_dir dir;
  const table_text pred = parse_table(regress(dir, predict_cars("--at 0,10,30")).out);
  const table_text conf =
      parse_table(regress(dir, predict_cars("--at 0,10,30 --interval confidence")).out);
  REQUIRE(pred.rows.size() == 3);
  REQUIRE(conf.rows.size() == 3);
  for (std::size_t i = 0; i < 3; ++i) {
    const double pred_width = pred.number(i, "upr") - pred.number(i, "lwr");
    const double conf_width = conf.number(i, "upr") - conf.number(i, "lwr");
    CHECK(conf_width < pred_width);
    CHECK(conf.number(i, "fit") == pred.number(i, "fit"));
    // Same t quantile: widths in the ratio sqrt(sigma^2 + se^2) / se.
    const double se = conf.number(i, "se_fit");
    CHECK(pred_width / conf_width ==
          Approx(std::sqrt(r_sigma * r_sigma + se * se) / se).epsilon(1e-9));
    // se_fit is sigma * sqrt(leverage).
    CHECK(se == Approx(r_sigma * std::sqrt(conf.number(i, "leverage"))).epsilon(1e-9));
  }
}

TEST_CASE("predict --level 0.99 gives wider intervals than 0.95", "[cli]") {
  scratch_dir dir;
  const table_text l95 = parse_table(regress(dir, predict_cars("--at 0,10,30")).out);
  const table_text l99 = parse_table(regress(dir, predict_cars("--at 0,10,30 --level 0.99")).out);
  REQUIRE(l99.rows.size() == 3);
  for (std::size_t i = 0; i < 3; ++i) {
    CHECK(l99.number(i, "lwr") < l95.number(i, "lwr"));
    CHECK(l99.number(i, "upr") > l95.number(i, "upr"));
    CHECK(l99.number(i, "fit") == l95.number(i, "fit"));
  }
}

TEST_CASE("predict --format json is an array of objects with the csv's values", "[cli]") {
  scratch_dir dir;
  const outcome r = regress(dir, predict_cars("--at 0,10,30 --format json"));
  INFO(r.err);
  REQUIRE(r.status == 0);
  const json j = json::parse(r.out);
  REQUIRE(j.is_array());
  REQUIRE(j.size() == 3);
  const table_text csv = parse_table(regress(dir, predict_cars("--at 0,10,30")).out);
  for (std::size_t i = 0; i < 3; ++i) {
    REQUIRE(j[i].is_object());
    for (const char* key : {"speed", "fit", "se_fit", "lwr", "upr", "leverage"}) {
      INFO(key);
      CHECK(j[i].at(key).get<double>() == csv.number(i, key));
    }
    CHECK(j[i].at("region") == csv.text(i, "region"));
  }
}

TEST_CASE("predict --format tsv writes the csv rows with tabs", "[cli]") {
  scratch_dir dir;
  const outcome tsv = regress(dir, predict_cars("--at 0,10 --format tsv"));
  REQUIRE(tsv.status == 0);
  std::string as_csv = tsv.out;
  std::replace(as_csv.begin(), as_csv.end(), '\t', ',');
  CHECK(as_csv == regress(dir, predict_cars("--at 0,10")).out);
}

TEST_CASE("with two predictors, a point off the data cloud is hidden, beyond a range outside",
          "[cli]") {
  scratch_dir dir;
  // wt and disp are strongly correlated in mtcars (heavy cars have big
  // engines). The heaviest weight with the smallest displacement is inside
  // both ranges but far from every car: hidden extrapolation.
  const table_text data = parse_table(read_file(mtcars()));
  REQUIRE(data.rows.size() == 32);
  std::string max_wt = data.text(0, "wt");
  std::string min_disp = data.text(0, "disp");
  for (std::size_t i = 1; i < data.rows.size(); ++i) {
    if (data.number(i, "wt") > std::stod(max_wt)) max_wt = data.text(i, "wt");
    if (data.number(i, "disp") < std::stod(min_disp)) min_disp = data.text(i, "disp");
  }
  const std::string beyond_wt = std::to_string(std::stod(max_wt) + 1);
  dir.write("new.csv",
            "disp,wt\n" + min_disp + "," + max_wt + "\n200,3.2\n200," + beyond_wt + "\n");

  const std::string fit_args = quote(mtcars()) + " -y mpg -x wt,disp";
  const outcome fit = regress(dir, "fit " + fit_args + " --format json");
  REQUIRE(fit.status == 0);
  const json f = json::parse(fit.out);
  REQUIRE(f["predictors"].size() == 2);
  CHECK(f["predictors"][0]["name"] == "wt");
  CHECK(f["predictors"][0]["max"].get<double>() == std::stod(max_wt));
  CHECK(f["predictors"][1]["name"] == "disp");
  CHECK(f["predictors"][1]["min"].get<double>() == std::stod(min_disp));

  const outcome r = regress(dir, "predict " + fit_args + " --new new.csv");
  INFO(r.err);
  REQUIRE(r.status == 0);
  const table_text t = parse_table(r.out);
  CHECK(t.header == std::vector<std::string>{"wt", "disp", "fit", "se_fit", "lwr", "upr",
                                             "leverage", "region"});
  REQUIRE(t.rows.size() == 3);
  CHECK(t.text(0, "region") == "hidden");
  CHECK(t.text(1, "region") == "inside");
  CHECK(t.text(2, "region") == "outside");
  CHECK(t.number(0, "leverage") > t.number(1, "leverage"));
  CHECK_THAT(r.err, StartsWith("regress: warning:"));
  CHECK_THAT(r.err, Contains("2 of 3"));
}

// ===========================================================================
// Streaming: an answer per line, before end of input

namespace {

/// A child process with pipes to its stdin and from its stdout; killed and
/// reaped on destruction if the test did not wait for it.
class child_process {
 public:
  child_process(const std::vector<std::string>& argv, const std::string& stderr_path) {
    int in_pipe[2];
    int out_pipe[2];
    REQUIRE(::pipe(in_pipe) == 0);
    REQUIRE(::pipe(out_pipe) == 0);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    pid_ = ::fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      ::signal(SIGPIPE, SIG_DFL);
      const int err = ::open(stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      ::dup2(in_pipe[0], STDIN_FILENO);
      ::dup2(out_pipe[1], STDOUT_FILENO);
      if (err >= 0) ::dup2(err, STDERR_FILENO);
      ::close(in_pipe[0]);
      ::close(in_pipe[1]);
      ::close(out_pipe[0]);
      ::close(out_pipe[1]);
      if (err >= 0) ::close(err);
      ::execv(args[0], args.data());
      ::_exit(127);
    }
    ::close(in_pipe[0]);
    ::close(out_pipe[1]);
    to_child_ = in_pipe[1];
    from_child_ = out_pipe[0];
    // Writing to a child that died must fail the test, not kill the runner.
    struct sigaction ign {};
    ign.sa_handler = SIG_IGN;
    sigemptyset(&ign.sa_mask);
    ::sigaction(SIGPIPE, &ign, &old_sigpipe_);
  }
  ~child_process() {
    close_stdin();
    if (from_child_ >= 0) ::close(from_child_);
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      int status = 0;
      ::waitpid(pid_, &status, 0);
    }
    ::sigaction(SIGPIPE, &old_sigpipe_, nullptr);
  }
  child_process(const child_process&) = delete;
  child_process& operator=(const child_process&) = delete;

  bool write(const std::string& text) {
    std::size_t done = 0;
    while (done < text.size()) {
      const ssize_t n = ::write(to_child_, text.data() + done, text.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      done += static_cast<std::size_t>(n);
    }
    return true;
  }
  void close_stdin() {
    if (to_child_ >= 0) ::close(to_child_);
    to_child_ = -1;
  }
  /// Reads until `text` holds `lines` complete lines, end of file, or no byte
  /// arrives for `timeout_ms`.
  std::string read_lines(std::size_t lines, int timeout_ms) {
    while (count_lines(pending_) < lines) {
      if (!read_some(timeout_ms)) break;
    }
    std::string result;
    for (std::size_t i = 0; i < lines; ++i) {
      const std::size_t nl = pending_.find('\n');
      if (nl == std::string::npos) break;
      result += pending_.substr(0, nl + 1);
      pending_.erase(0, nl + 1);
    }
    return result;
  }
  /// Reads everything left until end of file (or a timeout).
  std::string read_rest(int timeout_ms) {
    while (read_some(timeout_ms)) {
    }
    std::string result;
    result.swap(pending_);
    return result;
  }
  /// Waits for the child to exit; its exit status, or -1.
  int wait() {
    int status = 0;
    const pid_t done = ::waitpid(pid_, &status, 0);
    pid_ = -1;
    return done > 0 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

 private:
  bool read_some(int timeout_ms) {
    pollfd p{from_child_, POLLIN, 0};
    int ready;
    do {
      ready = ::poll(&p, 1, timeout_ms);
    } while (ready < 0 && errno == EINTR);
    if (ready <= 0) return false;  // timed out
    char buffer[4096];
    const ssize_t n = ::read(from_child_, buffer, sizeof buffer);
    if (n <= 0) return false;  // end of file
    pending_.append(buffer, static_cast<std::size_t>(n));
    return true;
  }
  pid_t pid_ = -1;
  int to_child_ = -1;
  int from_child_ = -1;
  std::string pending_;
  struct sigaction old_sigpipe_ {};
};

}  // namespace

TEST_CASE("predict --new - answers each line as it arrives, before standard input is closed",
          "[cli]") {
  scratch_dir dir;
  REQUIRE(regress(dir, fit_cars("--save m.json")).status == 0);
  const std::string expected = regress(dir, "predict -m m.json --at 10,30").out;
  const auto expected_lines = lines_of(expected);
  REQUIRE(expected_lines.size() == 3);

  child_process child({binary, "predict", "-m", dir.file("m.json"), "--new", "-"},
                      dir.file("child.err"));
  REQUIRE(child.write("speed\n10\n"));
  // Header and the first answer, with stdin still open.
  const std::string first = child.read_lines(2, 5000);
  REQUIRE(first == expected_lines[0] + "\n" + expected_lines[1] + "\n");

  REQUIRE(child.write("30\n"));
  const std::string second = child.read_lines(1, 5000);
  CHECK(second == expected_lines[2] + "\n");

  child.close_stdin();
  CHECK(child.read_rest(5000).empty());
  CHECK(child.wait() == 0);
  // One extrapolated point (30): the note comes at the end.
  CHECK_THAT(dir.read("child.err"), StartsWith("regress: warning:"));
}

// ===========================================================================
// Help, version, pipes

TEST_CASE("fit --help and predict --help exit 0 and show examples", "[cli]") {
  scratch_dir dir;
  for (const char* sub : {"fit", "predict"}) {
    INFO(sub);
    const outcome r = regress(dir, std::string(sub) + " --help");
    CHECK(r.status == 0);
    CHECK(r.err.empty());
    CHECK_THAT(r.out, Contains("Example"));
    CHECK_THAT(r.out, Contains("--format"));
    CHECK_THAT(r.out, Contains("Usage: regress " + std::string(sub) + " [OPTIONS]"));
  }
}

TEST_CASE("regress --version prints the project version", "[cli]") {
  scratch_dir dir;
  const outcome r = regress(dir, "--version");
  CHECK(r.status == 0);
  CHECK(r.err.empty());
  CHECK(r.out == std::string("regress ") + REGRESS_VERSION + "\n");
}

TEST_CASE("a reader that stops early, as head does, ends the pipeline quietly", "[cli]") {
  scratch_dir dir;
  const outcome r = sh(dir, "{ \"$REGRESS\" " + predict_cars("--range 0:100:100000") +
                                " 2>regress.err; echo $? >regress.status; } | head -1");
  CHECK(r.status == 0);
  CHECK(r.out == predict_header + "\n");
  const std::string err = dir.read("regress.err");
  INFO("regress stderr: " << err);
  CHECK_THAT(err, !Contains("error"));
  // regress itself ends by SIGPIPE (128 + 13 in the shell) or, had it finished
  // first, with 0; never with an error exit.
  const std::string status = dir.read("regress.status");
  CHECK((status == "141\n" || status == "0\n"));
}

TEST_CASE("an output that cannot be written is exit 1 with a message", "[cli]") {
  scratch_dir dir;
  if (!std::filesystem::exists("/dev/full")) return;  // Linux only
  const outcome r = sh(dir, "\"$REGRESS\" " + fit_cars() + " >/dev/full");
  CHECK(r.status == 1);
  CHECK_THAT(r.err, StartsWith("regress: error: "));
  CHECK_THAT(r.err, Contains("standard output"));
}

// ===========================================================================
// Errors: exit 1 for bad data or models, exit 2 for bad requests

TEST_CASE("a missing input file is exit 1", "[cli]") {
  scratch_dir dir;
  check_failure(regress(dir, "fit nope.csv -y dist -x speed"), 1, {"nope.csv"});
  check_failure(regress(dir, "predict -m nope.json --at 1"), 1, {"nope.json"});
}

TEST_CASE("a non-numeric cell is exit 1, naming file, line, column and the text", "[cli]") {
  scratch_dir dir;
  dir.write("bad.csv", "x,y\n1,2\n2,abc\n3,5\n4,4\n");
  check_failure(regress(dir, "fit bad.csv -y y -x x"), 1, {"bad.csv:3:2", "'abc'"});
}

TEST_CASE("an infinite cell is exit 1", "[cli]") {
  scratch_dir dir;
  dir.write("inf.csv", "x,y\n1,2\n2,inf\n3,5\n4,4\n");
  check_failure(regress(dir, "fit inf.csv -y y -x x"), 1, {"inf.csv:3:2", "'inf'"});
}

TEST_CASE("an unterminated quote is exit 1", "[cli]") {
  scratch_dir dir;
  dir.write("quote.csv", "x,y\n1,2\n2,\"3\n3,5\n4,4\n");
  check_failure(regress(dir, "fit quote.csv -y y -x x"), 1, {"quote.csv:3", "quote"});
}

TEST_CASE("an unknown column is exit 2 and lists the columns", "[cli]") {
  scratch_dir dir;
  check_failure(regress(dir, "fit " + quote(cars()) + " -y dist -x nosuch"), 2,
                {"nosuch", "speed, dist"});
  check_failure(regress(dir, "fit " + quote(cars()) + " -y 3 -x 1"), 2, {"speed, dist"});
}

TEST_CASE("a file with more than two columns needs -y, and the message lists the columns",
          "[cli]") {
  scratch_dir dir;
  check_failure(regress(dir, "fit " + quote(mtcars())), 2, {"-y", "mpg", "wt", "carb"});
  check_failure(regress(dir, "fit " + quote(mtcars()) + " -x wt"), 2, {"-y", "mpg", "carb"});
}

TEST_CASE("a --level outside (0,1) is exit 2", "[cli]") {
  scratch_dir dir;
  check_failure(regress(dir, fit_cars("--level 1.5")), 2, {"--level"});
  check_failure(regress(dir, predict_cars("--at 10 --level 1.5")), 2, {"--level"});
  check_failure(regress(dir, fit_cars("--level 0")), 2, {"--level"});
}

TEST_CASE("an unknown flag is exit 2", "[cli]") {
  scratch_dir dir;
  check_failure(regress(dir, fit_cars("--bogus")), 2, {"--bogus"});
  check_failure(regress(dir, predict_cars("--at 10 --bogus")), 2, {"--bogus"});
  check_failure(regress(dir, ""), 2, {});
}

TEST_CASE("an unknown --format is exit 2", "[cli]") {
  scratch_dir dir;
  check_failure(regress(dir, fit_cars("--format xml")), 2, {"xml"});
  check_failure(regress(dir, predict_cars("--at 10 --format xml")), 2, {"xml"});
  check_failure(regress(dir, predict_cars("--at 10 --format text")), 2, {"csv"});
}

TEST_CASE("a predictor that duplicates another is exit 1, naming the term", "[cli]") {
  scratch_dir dir;
  dir.write("dup.csv", "x,x2,y\n1,1,2\n2,2,3\n3,3,5\n4,4,4\n5,5,7\n");
  check_failure(regress(dir, "fit dup.csv -y y -x x,x2"), 1, {"'x2'", "rank deficient"});
}

TEST_CASE("a constant predictor is exit 1, naming the term", "[cli]") {
  scratch_dir dir;
  dir.write("const.csv", "x,c,y\n1,7,2\n2,7,3\n3,7,5\n4,7,4\n");
  check_failure(regress(dir, "fit const.csv -y y -x x,c"), 1, {"'c'", "constant"});
}

TEST_CASE("fewer rows than parameters is exit 1", "[cli]") {
  scratch_dir dir;
  dir.write("few.csv", "a,b,y\n1,3,2\n2,5,3\n");
  check_failure(regress(dir, "fit few.csv -y y -x a,b"), 1, {"3 parameters", "2"});
  // As many rows as parameters leaves no residual degrees of freedom.
  dir.write("exact.csv", "x,y\n1,2\n2,3\n3,5\n");
  check_failure(regress(dir, "fit exact.csv -y y -x x --degree 2"), 1, {"3 parameters"});
}

TEST_CASE("a malformed model file is exit 1", "[cli]") {
  scratch_dir dir;
  dir.write("broken.json", "{not json");
  check_failure(regress(dir, "predict -m broken.json --at 10"), 1, {"broken.json"});
  dir.write("empty.json", "");
  check_failure(regress(dir, "predict -m empty.json --at 10"), 1, {"empty.json"});
  dir.write("object.json", "{\"version\": 1}");
  check_failure(regress(dir, "predict -m object.json --at 10"), 1, {"object.json"});
}

TEST_CASE("a model file of an unknown version is exit 1", "[cli]") {
  scratch_dir dir;
  REQUIRE(regress(dir, fit_cars("--save m.json")).status == 0);
  json m = json::parse(dir.read("m.json"));
  m["version"] = 99;
  dir.write("m99.json", m.dump(1));
  check_failure(regress(dir, "predict -m m99.json --at 10"), 1, {"m99.json", "99"});
}

TEST_CASE("empty input is exit 1", "[cli]") {
  scratch_dir dir;
  check_failure(sh(dir, "\"$REGRESS\" fit -y y -x x < /dev/null"), 1, {"empty"});
}

TEST_CASE("a row with the wrong number of fields is exit 1", "[cli]") {
  scratch_dir dir;
  dir.write("short.csv", "x,y\n1,2\n2\n3,5\n4,4\n");
  check_failure(regress(dir, "fit short.csv"), 1, {"short.csv:3", "header"});
  dir.write("long.csv", "x,y\n1,2\n2,3,4\n3,5\n4,4\n");
  check_failure(regress(dir, "fit long.csv"), 1, {"long.csv:3", "header"});
}

TEST_CASE("data with no complete row is exit 1", "[cli]") {
  scratch_dir dir;
  dir.write("na.csv", "x,y\n1,NA\n,2\nnull,\n");
  check_failure(regress(dir, "fit na.csv"), 1, {"no complete rows"});
}

TEST_CASE("a --degree below 1 is exit 2", "[cli]") {
  scratch_dir dir;
  check_failure(regress(dir, fit_cars("--degree 0")), 2, {"--degree"});
}

TEST_CASE("a --save that cannot be written is exit 1 with nothing printed", "[cli]") {
  scratch_dir dir;
  check_failure(regress(dir, fit_cars("--save no/such/dir/m.json")), 1, {"no/such/dir/m.json"});
}

TEST_CASE("a failed fit saves no model", "[cli]") {
  scratch_dir dir;
  dir.write("const.csv", "x,c,y\n1,7,2\n2,7,3\n3,7,5\n4,7,4\n");
  check_failure(regress(dir, "fit const.csv -y y -x x,c --save m.json"), 1, {"'c'"});
  CHECK(!std::filesystem::exists(dir.file("m.json")));
}

TEST_CASE("fit --save refuses to overwrite the input file", "[cli]") {
  scratch_dir dir;
  const std::string original = read_file(cars());
  dir.write("cars.csv", original);
  check_failure(regress(dir, "fit cars.csv -y dist -x speed --save cars.csv"), 2, {"cars.csv"});
  CHECK(dir.read("cars.csv") == original);
}

TEST_CASE("predict needs exactly one source of new points and one of model or data", "[cli]") {
  scratch_dir dir;
  REQUIRE(regress(dir, fit_cars("--save m.json")).status == 0);
  check_failure(regress(dir, "predict -m m.json"), 2, {"--at"});
  check_failure(regress(dir, "predict -m m.json --at 1 --range 0:1:2"), 2, {"--at"});
  check_failure(regress(dir, predict_cars("-m m.json --at 10")), 2, {"-m"});
  check_failure(regress(dir, "predict -m m.json --at 10 --interval sideways"), 2, {"sideways"});
}

TEST_CASE("a bad cell in streamed new points is exit 1 after the rows before it", "[cli]") {
  // Streaming: rows already answered stay answered; the error names the spot.
  scratch_dir dir;
  dir.write("new.csv", "speed\n10\nxyz\n12\n");
  const outcome r = regress(dir, predict_cars("--new new.csv"));
  CHECK(r.status == 1);
  CHECK_THAT(r.err, StartsWith("regress: error: "));
  CHECK_THAT(r.err, Contains("new.csv:3:1"));
  CHECK_THAT(r.err, Contains("'xyz'"));
  CHECK(lines_of(r.out).size() == 2);  // header and the row for 10
}

// predict checks --at/--range values, the number of predictors, the --new
// file and its header before writing anything, so these failures leave stdout
// empty, as fit's do.
TEST_CASE("predict rejects bad new points before writing any output", "[cli]") {
  scratch_dir dir;
  SECTION("a non-numeric --at value") {
    check_failure(regress(dir, predict_cars("--at abc")), 2, {"'abc'"});
    check_failure(regress(dir, predict_cars("--at abc --format json")), 2, {"'abc'"});
  }
  SECTION("a malformed --range") {
    check_failure(regress(dir, predict_cars("--range 0:50")), 2, {"--range"});
    check_failure(regress(dir, predict_cars("--range 0:50:0")), 2, {"--range"});
  }
  SECTION("--at with two predictors") {
    check_failure(regress(dir, "predict " + quote(mtcars()) + " -y mpg -x wt,disp --at 3"), 2,
                  {"--at", "wt, disp"});
  }
  SECTION("a missing --new file") {
    check_failure(regress(dir, predict_cars("--new nope.csv")), 1, {"nope.csv"});
  }
  SECTION("--new points without the predictor's column") {
    dir.write("new.csv", "other\n10\n");
    check_failure(regress(dir, predict_cars("--new new.csv")), 1, {"'speed'"});
  }
}
