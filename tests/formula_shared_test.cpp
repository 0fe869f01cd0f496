// Several formulas fitted with shared passes (fit_formulas_csv_file, for
// predict --method averaged's candidates) against each formula's own fit
// (fit_formula_csv_file): every model must be the same bits, since the
// candidates' AICc weights and intervals are printed from them. The data mix
// what could be routed wrongly: columns read by some formulas and not others,
// missing values in some columns only (each formula drops its own rows),
// weights, a factor, a column that turns out to hold text after the first
// 2000 records (the first pass runs again), quoted fields (the chunks are
// cut again), small chunks and two threads (many merges).

#include <catch2/catch.hpp>
#include <cstdint>
#include <cstring>
#include <exception>
#include <sstream>
#include <string>
#include <vector>

#include "regress/engine/engine.hpp"
#include "regress/engine/formula_fits.hpp"
#include "regress/error.hpp"
#include "support/files.hpp"

namespace {

/// 6000 rows of y, x (positive), z, g (3 levels, one of them quoted with a
/// comma from row 3000 on), k (numbers, then text from row 2500: a factor),
/// w (weights), c (12 clusters); z missing in every 37th row, g in every
/// 53rd, x in every 101st; from a fixed linear congruential generator.
std::string make_data() {
  std::uint64_t state = 987654321;
  auto next = [&state]() {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(state >> 11) / 9007199254740992.0;
  };
  std::ostringstream out;
  out.precision(12);
  out << "y,x,z,g,k,w,c\n";
  const char* gs[] = {"alpha", "beta", "gamma"};
  for (int i = 0; i < 6000; ++i) {
    const double x = 0.5 + 9 * next(), z = 10 + 5 * next(), w = 0.5 + next();
    const int g = static_cast<int>(3 * next()) % 3;
    const int k = static_cast<int>(4 * next()) % 4;
    const double y =
        2 + 0.8 * x - 0.05 * x * x + 0.3 * z + g * (0.5 + 0.2 * x) + 0.1 * k + (next() - 0.5);
    out << y << ',' << (i % 101 == 7 ? std::string("NA") : std::to_string(x)) << ',';
    if (i % 37 != 3) out << z;
    out << ',';
    if (i % 53 != 5) out << (g == 2 && i >= 3000 ? std::string("\"gamma, late\"") : gs[g]);
    out << ',' << (i >= 2500 && k == 3 ? std::string("k3") : std::to_string(k)) << ',' << w << ','
        << "c" << i % 12 << '\n';
  }
  return out.str();
}

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }
bool same_bits(const regress::dd& a, const regress::dd& b) {
  return same_bits(a.hi, b.hi) && same_bits(a.lo, b.lo);
}

void check_same(const regress::engine_result& got, const regress::engine_result& want) {
  const regress::model& a = got.fitted;
  const regress::model& b = want.fitted;
  CHECK(got.rows_read == want.rows_read);
  CHECK(got.rows_dropped == want.rows_dropped);
  CHECK(got.second_pass == want.second_pass);
  CHECK(got.warnings == want.warnings);
  CHECK(got.header == want.header);
  CHECK(a.slope_terms == b.slope_terms);
  CHECK(a.fit.nobs == b.fit.nobs);
  REQUIRE(a.fit.slopes.size() == b.fit.slopes.size());
  for (std::size_t j = 0; j < a.fit.slopes.size(); ++j) {
    CHECK(same_bits(a.fit.slopes[j], b.fit.slopes[j]));
    CHECK(same_bits(a.fit.mean[j], b.fit.mean[j]));
  }
  REQUIRE(a.fit.chol.size() == b.fit.chol.size());
  for (std::size_t j = 0; j < a.fit.chol.size(); ++j)
    CHECK(same_bits(a.fit.chol[j], b.fit.chol[j]));
  CHECK(same_bits(a.fit.y_mean, b.fit.y_mean));
  CHECK(same_bits(a.fit.rss, b.fit.rss));
  CHECK(same_bits(a.fit.mss, b.fit.mss));
  CHECK(same_bits(a.max_leverage, b.max_leverage));
  REQUIRE(a.residual_quantiles.has_value() == b.residual_quantiles.has_value());
  if (a.residual_quantiles) {
    for (std::size_t q = 0; q < 5; ++q) {
      CHECK(same_bits((*a.residual_quantiles)[q], (*b.residual_quantiles)[q]));
    }
  }
  CHECK(a.listed_residuals == b.listed_residuals);
  CHECK(a.residuals_note == b.residuals_note);
  REQUIRE(a.robust.has_value() == b.robust.has_value());
  if (a.robust) {
    CHECK(a.robust->clusters == b.robust->clusters);
    REQUIRE(a.robust->matrix.size() == b.robust->matrix.size());
    for (std::size_t j = 0; j < a.robust->matrix.size(); ++j) {
      CHECK(same_bits(a.robust->matrix[j], b.robust->matrix[j]));
    }
  }
}

regress::engine_options small_chunks() {
  regress::engine_options o;
  o.threads = 2;
  o.chunk_bytes = 4096;  // dozens of chunks, merged in order
  o.need_max_leverage = true;
  return o;
}

std::vector<regress::formula_request> requests_of(const std::vector<std::string>& formulas,
                                                  const std::string& weights,
                                                  regress::vcov_kind vcov) {
  std::vector<regress::formula_request> out;
  for (const auto& f : formulas) {
    regress::formula_request r;
    r.formula = f;
    r.weights = weights;
    r.vcov = vcov;
    if (vcov == regress::vcov_kind::cl) r.cluster = "c";
    out.push_back(r);
  }
  return out;
}

}  // namespace

TEST_CASE("formulas fitted with shared passes are each the bits of its own fit",
          "[formula][engine][shared]") {
  test_support::scratch_dir dir;
  const std::string path = dir.write("data.csv", make_data());
  struct shape {
    std::vector<std::string> formulas;
    std::string weights;
    regress::vcov_kind vcov;
  };
  const std::vector<shape> shapes = {
      // A line (the -y/-x first pass), poly(), log() with a factor, an
      // interaction, two plain columns, a column that becomes a factor, a
      // spline (fitted in memory beside the shared passes).
      {{"y ~ x", "y ~ poly(x, 2)", "y ~ log(x) + g", "y ~ x * g", "y ~ x + z", "y ~ I(x^2) + z + k",
        "y ~ ns(x, 3)"},
       "",
       regress::vcov_kind::constant},
      {{"y ~ x", "y ~ poly(x, 3)", "y ~ log(x) + g"}, "w", regress::vcov_kind::constant},
      {{"y ~ x", "y ~ x * g", "y ~ z"}, "", regress::vcov_kind::hc3},
      {{"y ~ x + z", "y ~ poly(x, 2) + g"}, "w", regress::vcov_kind::cl},
  };
  for (const auto& s : shapes) {
    const std::vector<regress::formula_request> requests =
        requests_of(s.formulas, s.weights, s.vcov);
    const regress::formula_fits fits =
        regress::fit_formulas_csv_file(path, requests, small_chunks());
    CHECK(fits.shared);
    CHECK_FALSE(fits.failure);
    REQUIRE(fits.fits.size() == requests.size());
    for (std::size_t i = 0; i < requests.size(); ++i) {
      INFO(requests[i].formula << " weights '" << s.weights << "'");
      check_same(fits.fits[i], regress::fit_formula_csv_file(path, requests[i], small_chunks()));
    }
  }
}

TEST_CASE("formulas fitted with shared passes from a stream are each the bits of its own fit",
          "[formula][engine][shared]") {
  const std::string data = make_data();
  const std::vector<regress::formula_request> requests = requests_of(
      {"y ~ x", "y ~ poly(x, 2)", "y ~ log(x) * g + k"}, "", regress::vcov_kind::constant);
  std::istringstream all(data);
  const regress::formula_fits fits =
      regress::fit_formulas_csv_stream(all, requests, small_chunks());
  CHECK(fits.shared);
  REQUIRE(fits.fits.size() == requests.size());
  for (std::size_t i = 0; i < requests.size(); ++i) {
    INFO(requests[i].formula);
    std::istringstream one(data);
    check_same(fits.fits[i], regress::fit_formula_csv_stream(one, requests[i], small_chunks()));
  }
}

TEST_CASE("formulas that fail are fitted one after another, as alone",
          "[formula][engine][shared]") {
  test_support::scratch_dir dir;
  std::string data = make_data();
  data += "3,2,-1,alpha,1,1,c1\n";  // log(z) of a negative z, on the last line
  const std::string path = dir.write("data.csv", data);
  const std::vector<regress::formula_request> requests =
      requests_of({"y ~ x", "y ~ log(z)", "y ~ poly(x, 2)"}, "", regress::vcov_kind::constant);
  const regress::formula_fits fits = regress::fit_formulas_csv_file(path, requests, small_chunks());
  CHECK_FALSE(fits.shared);
  REQUIRE(fits.fits.size() == 1);  // the line, then log(z)'s error
  check_same(fits.fits[0], regress::fit_formula_csv_file(path, requests[0], small_chunks()));
  REQUIRE(fits.failure);
  std::string alone;
  try {
    (void)regress::fit_formula_csv_file(path, requests[1], small_chunks());
  } catch (const regress::data_error& e) {
    alone = e.what();
  }
  CHECK_FALSE(alone.empty());
  CHECK_THROWS_WITH(std::rethrow_exception(fits.failure), alone);
}

TEST_CASE("a column one formula takes as a factor and another needs as numbers: alone",
          "[formula][engine][shared]") {
  test_support::scratch_dir dir;
  const std::string path = dir.write("data.csv", make_data());
  // k holds text from row 2500: y ~ x + k reads it as a factor then, and
  // log(k + 1) cannot (its own fit's error).
  const std::vector<regress::formula_request> requests =
      requests_of({"y ~ x + k", "y ~ x + log(k + 1)", "y ~ x"}, "", regress::vcov_kind::constant);
  const regress::formula_fits fits = regress::fit_formulas_csv_file(path, requests, small_chunks());
  CHECK_FALSE(fits.shared);
  REQUIRE(fits.fits.size() == 1);
  check_same(fits.fits[0], regress::fit_formula_csv_file(path, requests[0], small_chunks()));
  REQUIRE(fits.failure);
  CHECK_THROWS_AS(std::rethrow_exception(fits.failure), regress::data_error);
}

TEST_CASE("with a leverage choice only the chosen fit's largest leverage is found",
          "[formula][engine][shared]") {
  test_support::scratch_dir dir;
  const std::string path = dir.write("data.csv", make_data());
  const std::vector<regress::formula_request> requests =
      requests_of({"y ~ x", "y ~ poly(x, 2)", "y ~ log(x) * g"}, "", regress::vcov_kind::constant);
  std::vector<regress::engine_result> alone;
  for (const auto& r : requests) {
    alone.push_back(regress::fit_formula_csv_file(path, r, small_chunks()));
  }
  // The choice from the first pass's models (call 1) and from the exact
  // ones (call 2): the same fit, or another (then a pass more finds its;
  // the first keeps its own).
  for (const std::size_t second : {std::size_t(1), std::size_t(2)}) {
    INFO("chosen 1, then " << second);
    std::vector<std::size_t> models_seen;
    const regress::leverage_choice choose = [&](const std::vector<regress::model>& ms) {
      models_seen.push_back(ms.size());
      return models_seen.size() == 1 ? std::size_t(1) : second;
    };
    const regress::formula_fits fits =
        regress::fit_formulas_csv_file(path, requests, small_chunks(), choose);
    CHECK(fits.shared);
    CHECK(models_seen == std::vector<std::size_t>{3, 3});
    REQUIRE(fits.fits.size() == 3);
    for (std::size_t i = 0; i < 3; ++i) {
      INFO(requests[i].formula);
      regress::engine_result want = alone[i];
      if (i != 1 && i != second) want.fitted.max_leverage = 0;  // not found
      CHECK(alone[i].fitted.max_leverage > 0);
      check_same(fits.fits[i], want);
    }
  }
}
