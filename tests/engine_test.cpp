// The streaming engine against the in-memory reader (csv_reader + make_design
// + fit_model, the path the library's tests and NIST scores use): the same
// fit whatever the threads, chunk sizes and input kind; the same errors at
// the same file:line:column; and merged shard states equal to the whole.
#include "regress/engine/engine.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "regress/error.hpp"
#include "regress/files/state_file.hpp"
#include "regress/model/design.hpp"
#include "regress/model/model.hpp"
#include "regress/model/summary.hpp"
#include "regress/reading/table.hpp"
#include "support/files.hpp"
#include "support/numeric.hpp"

namespace {

using regress::engine_options;
using regress::engine_result;
using test_support::temp_file;

/// Chooses response and predictors by name.
regress::column_chooser by_name(std::string y, std::vector<std::string> xs, int degree = 1,
                                bool intercept = true) {
  return [=](const std::vector<std::string>& header) {
    regress::column_choice c;
    c.spec.response = y;
    c.spec.predictors = xs;
    c.spec.degree = degree;
    c.spec.intercept = intercept;
    c.indices.push_back(regress::resolve_column(header, y));
    for (const auto& x : xs) c.indices.push_back(regress::resolve_column(header, x));
    return c;
  };
}

engine_options opts(unsigned threads, std::size_t chunk) {
  engine_options o;
  o.threads = threads;
  o.chunk_bytes = chunk;
  o.source = "data.csv";
  return o;
}

/// The in-memory reference fit.
regress::model reference(const std::string& text, const std::string& y,
                         const std::vector<std::string>& xs, int degree = 1) {
  std::istringstream in(text);
  regress::csv_reader reader(in, regress::csv_options{',', "data.csv"});
  std::vector<std::string> header;
  REQUIRE(reader.next(header));
  std::vector<std::size_t> indices{regress::resolve_column(header, y)};
  for (const auto& x : xs) indices.push_back(regress::resolve_column(header, x));
  regress::model_spec spec;
  spec.response = y;
  spec.predictors = xs;
  spec.degree = degree;
  const auto t = regress::read_columns(reader, header, indices);
  return regress::fit_model(spec, regress::make_design(spec, t));
}

/// Deterministic data: y ~ x1 + x2 with noise, a label column with quotes
/// only when `quoted`, and now and then a missing value.
std::string make_data(std::size_t rows, bool quoted) {
  std::string s = "label,x1,x2,y\n";
  std::uint64_t state = 12345;
  auto next = [&] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(state >> 11) / 9007199254740992.0;
  };
  char line[200];
  for (std::size_t i = 0; i < rows; ++i) {
    const double x1 = 1000 + 10 * next(), x2 = next() * 50;
    const double y = 3 + 0.5 * x1 - 2 * x2 + next();
    const char* label = quoted && i % 7 == 0 ? "\"a, \"\"quoted\"\"\nlabel\"" : "plain";
    if (i % 97 == 5) {
      std::snprintf(line, sizeof line, "%s,%.6f,NA,%.7f\n", label, x1, y);
    } else {
      std::snprintf(line, sizeof line, "%s,%.6f,%.5f,%.7f\n", label, x1, x2, y);
    }
    s += line;
  }
  return s;
}

/// Agreement to `rel` of two computations of one quantity.
bool close(double a, double b, double rel) { return test_support::relatively_close(a, b, rel); }

void check_same(const regress::model& a, const regress::model& b, double rel) {
  REQUIRE(a.fit.k() == b.fit.k());
  const auto sa = regress::summarize(a, 0.95), sb = regress::summarize(b, 0.95);
  for (std::size_t j = 0; j < sa.terms.size(); ++j) {
    INFO("term " << sa.terms[j].term);
    CHECK(close(sa.terms[j].estimate, sb.terms[j].estimate, rel));
    CHECK(close(sa.terms[j].std_error, sb.terms[j].std_error, rel));
  }
  CHECK(close(sa.stats.sigma, sb.stats.sigma, rel));
  CHECK(close(sa.stats.r_squared, sb.stats.r_squared, rel));
  CHECK(a.fit.nobs == b.fit.nobs);
  CHECK(a.rows_dropped == b.rows_dropped);
  for (std::size_t j = 0; j < a.ranges.size(); ++j) {
    CHECK(a.ranges[j].min == b.ranges[j].min);
    CHECK(a.ranges[j].max == b.ranges[j].max);
    CHECK(close(a.ranges[j].mean, b.ranges[j].mean, 1e-15));
  }
}

bool identical(const regress::model& a, const regress::model& b) {
  if (a.fit.k() != b.fit.k()) return false;
  for (std::size_t j = 0; j < a.fit.k(); ++j) {
    if (a.fit.slopes[j].hi != b.fit.slopes[j].hi || a.fit.slopes[j].lo != b.fit.slopes[j].lo) {
      return false;
    }
  }
  return a.fit.rss.hi == b.fit.rss.hi && a.max_leverage == b.max_leverage;
}

std::string error_of(const std::string& text, unsigned threads, std::size_t chunk) {
  temp_file f(text);
  try {
    regress::fit_csv_file(f.path(), by_name("y", {"x"}), opts(threads, chunk));
  } catch (const regress::data_error& e) {
    const std::string what = e.what();
    return what.substr(what.find(':'));  // without the temporary path
  }
  return "no error";
}

std::string reader_error_of(const std::string& text) {
  try {
    reference(text, "y", {"x"});
  } catch (const regress::data_error& e) {
    const std::string what = e.what();
    return what.substr(what.find(':'));
  }
  return "no error";
}

}  // namespace

TEST_CASE("the engine fits what the in-memory reader fits", "[engine]") {
  for (bool quoted : {false, true}) {
    const std::string text = make_data(5000, quoted);
    temp_file f(text);
    const auto ref = reference(text, "y", {"x1", "x2"});
    const auto r = regress::fit_csv_file(f.path(), by_name("y", {"x1", "x2"}), opts(2, 4096));
    INFO("quoted " << quoted);
    check_same(r.fitted, ref, 1e-14);
    CHECK(r.rows_read == 5000);
    CHECK(r.rows_dropped == ref.rows_dropped);
    // Small data: the residual quantiles and the exact largest leverage.
    REQUIRE(r.fitted.residual_quantiles);
    for (std::size_t q = 0; q < 5; ++q) {
      CHECK(close((*r.fitted.residual_quantiles)[q], (*ref.residual_quantiles)[q], 1e-9));
    }
  }
}

TEST_CASE("the engine's fit is the same whatever the threads and chunk sizes", "[engine]") {
  const std::string text = make_data(20000, true);
  temp_file f(text);
  const auto base = regress::fit_csv_file(f.path(), by_name("y", {"x1", "x2"}), opts(1, 1 << 21));
  for (std::size_t chunk :
       {std::size_t(1), std::size_t(100), std::size_t(4096), std::size_t(65536)}) {
    const auto one = regress::fit_csv_file(f.path(), by_name("y", {"x1", "x2"}), opts(1, chunk));
    INFO("chunk " << chunk);
    check_same(one.fitted, base.fitted, 1e-15);
    for (unsigned threads : {2u, 3u, 8u}) {
      INFO("threads " << threads);
      const auto many =
          regress::fit_csv_file(f.path(), by_name("y", {"x1", "x2"}), opts(threads, chunk));
      // The same chunks merge in the same order: bit for bit.
      CHECK(identical(many.fitted, one.fitted));
    }
  }
}

TEST_CASE("the engine reads a stream as it reads the file", "[engine]") {
  for (bool quoted : {false, true}) {
    const std::string text = make_data(20000, quoted);
    temp_file f(text);
    const auto file = regress::fit_csv_file(f.path(), by_name("y", {"x1", "x2"}), opts(2, 8192));
    for (std::size_t chunk : {std::size_t(64), std::size_t(8192), std::size_t(1) << 20}) {
      std::istringstream in(text);
      const auto stream = regress::fit_csv_stream(in, by_name("y", {"x1", "x2"}), opts(2, chunk));
      INFO("quoted " << quoted << " chunk " << chunk);
      check_same(stream.fitted, file.fitted, 1e-15);
      CHECK(stream.rows_read == file.rows_read);
    }
  }
}

TEST_CASE("the engine reads CRLF, a byte-order mark, blank lines and no final newline",
          "[engine]") {
  const std::string text = "\xEF\xBB\xBFx,y\r\n1,2.5\r\n\r\n2,3.9\r\n3,6.1\r\n4,8.2";
  const std::string plain = "x,y\n1,2.5\n2,3.9\n3,6.1\n4,8.2\n";
  temp_file f(text);
  const auto r = regress::fit_csv_file(f.path(), by_name("y", {"x"}), opts(2, 3));
  check_same(r.fitted, reference(plain, "y", {"x"}), 1e-15);
  std::istringstream in(text);
  const auto s = regress::fit_csv_stream(in, by_name("y", {"x"}), opts(2, 3));
  check_same(s.fitted, r.fitted, 1e-15);
}

TEST_CASE("the engine reports errors at the reader's file:line:column, whatever the chunks",
          "[engine]") {
  std::string good = "x,y\n";
  for (int i = 0; i < 300; ++i)
    good += std::to_string(i) + "," + std::to_string(2 * i + i % 3) + "\n";
  const std::vector<std::string> cases = {
      good + "5,abc\n" + good.substr(4),  // a bad cell
      good + "5,6,7\n" + good.substr(4),  // a ragged row
      good + "\"5,6\n7,8\n",              // an unterminated quote
      good + "\"5\"x,6\n",                // text after a closing quote
      good + "\"5\n\",inf\n",             // a bad cell after a quoted line break
      "x,y\n\n\n1,2\n3,\"x\"\n",          // after blank lines, quoted bad cell
  };
  for (const auto& text : cases) {
    const std::string expected = reader_error_of(text);
    REQUIRE(expected != "no error");
    for (unsigned threads : {1u, 2u}) {
      for (std::size_t chunk : {std::size_t(7), std::size_t(100), std::size_t(1) << 20}) {
        INFO(expected << " threads " << threads << " chunk " << chunk);
        CHECK(error_of(text, threads, chunk) == expected);
      }
    }
  }
  CHECK_THAT(error_of("", 2, 100), Catch::Contains("the input is empty"));
}

TEST_CASE("the engine drops rows with missing values and says when none remain", "[engine]") {
  temp_file f("x,y\n1,NA\n,2\n");
  CHECK_THROWS_WITH(regress::fit_csv_file(f.path(), by_name("y", {"x"}), opts(2, 4)),
                    Catch::Contains("no complete rows"));
  temp_file g("x,y\n");
  CHECK_THROWS_WITH(regress::fit_csv_file(g.path(), by_name("y", {"x"}), opts(2, 4)),
                    Catch::Contains("no data rows"));
}

TEST_CASE("a near-exact fit gets its residual sum of squares from a second pass", "[engine]") {
  std::string text = "x,y\n";
  for (int i = 0; i < 2000; ++i) {
    text +=
        std::to_string(1e6 + i * 0.001) + "," + std::to_string(2 * (1e6 + i * 0.001) + 1) + "\n";
  }
  temp_file f(text);
  engine_options o = opts(2, 1000);
  o.quantile_rows = 0;  // no quantiles: only the near-exact fit asks for the pass
  const auto r = regress::fit_csv_file(f.path(), by_name("y", {"x"}), o);
  CHECK(r.second_pass);
  CHECK(double(r.fitted.fit.rss) < 1e-30);
  // Noisy data need no second pass.
  temp_file g(make_data(3000, false));
  const auto s = regress::fit_csv_file(g.path(), by_name("y", {"x1"}), o);
  CHECK_FALSE(s.second_pass);
  CHECK_FALSE(s.fitted.residual_quantiles);
}

TEST_CASE("the largest training leverage is exact with one predictor and from a pass with two",
          "[engine]") {
  const std::string text = make_data(3000, false);
  temp_file f(text);
  engine_options o = opts(2, 4096);
  o.quantile_rows = 0;
  const auto one = regress::fit_csv_file(f.path(), by_name("y", {"x1"}), o);
  CHECK_FALSE(one.second_pass);
  CHECK(close(one.fitted.max_leverage, reference(text, "y", {"x1"}).max_leverage, 1e-12));
  o.need_max_leverage = true;
  const auto two = regress::fit_csv_file(f.path(), by_name("y", {"x1", "x2"}), o);
  CHECK(two.second_pass);
  CHECK(close(two.fitted.max_leverage, reference(text, "y", {"x1", "x2"}).max_leverage, 1e-12));
}

TEST_CASE("lower degrees solved from the largest degree's pass equal their own fits",
          "[engine][averaged]") {
  const std::string text = make_data(3000, false);
  temp_file f(text);
  engine_options o = opts(2, 4096);
  o.need_max_leverage = true;
  o.also_degrees = {1, 2, 4};
  const auto r = regress::fit_csv_file(f.path(), by_name("y", {"x1"}, 5), o);
  REQUIRE(r.also.size() == 3);
  for (std::size_t i = 0; i < r.also.size(); ++i) {
    const int degree = o.also_degrees[i];
    INFO("degree " << degree);
    engine_options own = opts(2, 4096);
    own.need_max_leverage = true;
    const auto alone = regress::fit_csv_file(f.path(), by_name("y", {"x1"}, degree), own);
    const regress::model& a = r.also[i];
    CHECK(a.spec.degree == degree);
    REQUIRE(a.fit.k() == alone.fitted.fit.k());
    for (std::size_t j = 0; j < a.fit.k(); ++j) {
      CHECK(double(a.fit.slopes[j]) == double(alone.fitted.fit.slopes[j]));
    }
    CHECK(double(a.fit.rss) == double(alone.fitted.fit.rss));
    CHECK(a.max_leverage == alone.fitted.max_leverage);
    CHECK(close(a.max_leverage, reference(text, "y", {"x1"}, degree).max_leverage, 1e-9));
  }
  o.also_degrees = {5};  // not below the fit's degree
  CHECK_THROWS(regress::fit_csv_file(f.path(), by_name("y", {"x1"}, 5), o));
}

TEST_CASE("merged shard states equal the fit of the whole, through their files",
          "[engine][merge]") {
  const std::string text = make_data(6000, true);
  temp_file whole_file(text);
  const auto whole =
      regress::fit_csv_file(whole_file.path(), by_name("y", {"x1", "x2"}), opts(2, 1 << 16));
  // Split after the header at record boundaries into 1, 2 and 5 shards.
  const std::string header = text.substr(0, text.find('\n') + 1);
  std::vector<std::string> records;
  {
    std::size_t p = header.size();
    while (p < text.size()) {
      // Records of make_data hold a quoted line break every 7th row.
      std::size_t q = text.find('\n', p);
      if (text[p] == '"') q = text.find('\n', text.find("label\"", p));
      records.push_back(text.substr(p, q + 1 - p));
      p = q + 1;
    }
  }
  REQUIRE(records.size() == 6000);
  for (std::size_t shards : {std::size_t(1), std::size_t(2), std::size_t(5)}) {
    std::vector<regress::fit_state> states;
    std::vector<std::string> names;
    for (std::size_t s = 0; s < shards; ++s) {
      std::string part = header;
      for (std::size_t i = s * records.size() / shards; i < (s + 1) * records.size() / shards;
           ++i) {
        part += records[i];
      }
      temp_file pf(part);
      const auto r = regress::fit_csv_file(pf.path(), by_name("y", {"x1", "x2"}), opts(2, 4096));
      std::stringstream json;
      regress::write_state(json, regress::state_of(r));
      states.push_back(regress::read_state(json, "part" + std::to_string(s)));
      names.push_back("part" + std::to_string(s));
    }
    const auto merged = regress::merge_states(states, names);
    INFO("shards " << shards);
    CHECK(merged.rows_read == whole.rows_read);
    CHECK(merged.rows_dropped == whole.rows_dropped);
    regress::model m = regress::model_of(merged);
    check_same(m, whole.fitted, 1e-14);
  }
}

TEST_CASE("states of different models do not merge, and bad state files are refused",
          "[engine][merge]") {
  temp_file f(make_data(500, false));
  const auto a =
      regress::state_of(regress::fit_csv_file(f.path(), by_name("y", {"x1"}), opts(1, 1 << 20)));
  const auto b =
      regress::state_of(regress::fit_csv_file(f.path(), by_name("y", {"x2"}), opts(1, 1 << 20)));
  const auto c =
      regress::state_of(regress::fit_csv_file(f.path(), by_name("y", {"x1"}, 2), opts(1, 1 << 20)));
  CHECK_THROWS_AS(regress::merge_states({a, b}, {"a", "b"}), regress::model_error);
  CHECK_THROWS_WITH(regress::merge_states({a, c}, {"a", "c"}), Catch::Contains("degree 2"));

  std::stringstream good;
  regress::write_state(good, a);
  const std::string text = good.str();
  auto refused = [](const std::string& t) {
    std::istringstream in(t);
    try {
      regress::read_state(in, "s.json");
    } catch (const regress::model_error& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  CHECK(refused(text) == "accepted");
  auto replaced = [&](const std::string& from, const std::string& to) {
    std::string t = text;
    const auto at = t.find(from);
    REQUIRE(at != std::string::npos);
    return t.replace(at, from.size(), to);
  };
  CHECK_THAT(refused("{}"), Catch::Contains("not a regress state file"));
  CHECK_THAT(refused("[1,"), Catch::Contains("not a valid state file"));
  // Version 2 is a formula fit's state (formula_state_test.cpp); 3 is unknown.
  CHECK_THAT(refused(replaced("\"version\": 1", "\"version\": 3")), Catch::Contains("version 3"));
  CHECK_THAT(refused(replaced("\"degree\": 1", "\"degree\": 3")), Catch::Contains("terms"));
  CHECK_THAT(refused(replaced("\"n\": ", "\"n\": 1")), Catch::Contains("counts"));
  CHECK_THAT(refused(replaced("\"shift\": [", "\"shift\": [1,")), Catch::Contains("shift"));
  CHECK_THAT(refused(replaced("\"intercept\": true", "\"intercept\": 1")),
             Catch::Contains("intercept"));
}

TEST_CASE("a stream beyond spool_bytes is read once, and a near-exact fit then says so",
          "[engine]") {
  std::string text = "x,z,y\n";
  for (int i = 0; i < 2000; ++i) {
    const double x = 1e3 + i * 0.001;
    text +=
        std::to_string(x) + "," + std::to_string(i % 7) + "," + std::to_string(2 * x + 1) + "\n";
  }
  engine_options o = opts(2, 1000);
  o.spool_bytes = 5000;
  o.quantile_rows = 0;
  std::istringstream a(text);
  const auto once = regress::fit_csv_stream(a, by_name("y", {"x"}), o);
  CHECK_FALSE(once.second_pass);
  REQUIRE(once.warnings.size() == 1);
  CHECK_THAT(once.warnings[0], Catch::Contains("near-exact"));
  // Exact leverage needs the rows: then everything is kept, whatever the size.
  o.need_max_leverage = true;
  std::istringstream b(text);
  const auto twice = regress::fit_csv_stream(b, by_name("y", {"x", "z"}), o);
  CHECK(twice.second_pass);
  CHECK(twice.warnings.empty());
  CHECK(double(twice.fitted.fit.rss) < 1e-30);
}

TEST_CASE("a quoted last field holding line breaks and numbers is never read as rows", "[engine]") {
  std::string text = "label,x,y,note\n";
  for (int i = 0; i < 400; ++i) {
    text += "a," + std::to_string(i) + "," + std::to_string(3 * i + i % 5) + ",";
    // Every 9th note spans lines that look like data rows.
    text += i % 9 == 0 ? "\"x\n5,3,4,\"\"\n6,7,8,\"\n" : "plain\n";
  }
  const auto ref = reference(text, "y", {"x"});
  CHECK(ref.fit.nobs == 400);
  temp_file f(text);
  for (std::size_t chunk : {std::size_t(50), std::size_t(1000), std::size_t(1) << 20}) {
    for (unsigned threads : {1u, 2u}) {
      const auto r = regress::fit_csv_file(f.path(), by_name("y", {"x"}), opts(threads, chunk));
      INFO("chunk " << chunk << " threads " << threads);
      CHECK(r.rows_read == 400);
      check_same(r.fitted, ref, 1e-14);
    }
  }
}
