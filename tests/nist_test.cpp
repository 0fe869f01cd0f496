// NIST StRD linear regression: every certified coefficient, standard deviation,
// residual standard deviation and R squared, scored as LRE (log relative
// error, McCullough 1998) against per-dataset floors. The .dat files in
// tests/data/nist are byte-for-byte copies of NIST's (see README.md there);
// the certified values are read from the files themselves.
#include <algorithm>
#include <cmath>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "regress/design.hpp"
#include "regress/model.hpp"
#include "regress/number.hpp"
#include "regress/summary.hpp"

namespace {

struct certificate {
  std::vector<double> estimate, sd;  // B0.. in NIST's order
  double residual_sd = 0, r_squared = 0;
  std::vector<std::vector<regress::dd>> rows;  // y, x... per observation, decimal-exact
};

regress::dd parse_exact(const std::string& s) {
  regress::dd v;
  REQUIRE(regress::parse_cell(s, v) == regress::cell_kind::number);
  return v;
}
double parse(const std::string& s) { return parse_exact(s).hi; }

certificate read_nist(const std::string& name) {
  std::ifstream in(std::string(REGRESS_TEST_DATA_DIR) + "/data/nist/" + name + ".dat");
  REQUIRE(in);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(line);
  }
  certificate c;
  std::smatch m;
  std::size_t first = 0, last = 0;
  const std::regex data_re(R"(Data\s+\(lines\s+(\d+)\s+to\s+(\d+)\))");
  for (const auto& l : lines) {
    if (std::regex_search(l, m, data_re)) {
      first = std::stoul(m[1]);
      last = std::stoul(m[2]);
    }
  }
  REQUIRE(first > 0);
  const std::regex param_re(R"(^\s+B\d+\s+(\S+)\s+(\S+))");
  const std::regex rsd_re(R"(Standard Deviation\s+(\S+)\s*$)");
  const std::regex r2_re(R"(R-Squared\s+(\S+))");
  for (std::size_t i = 0; i < first - 1; ++i) {
    const auto& l = lines[i];
    if (std::regex_search(l, m, param_re)) {
      c.estimate.push_back(parse(m[1]));
      // NIST writes exponents as 0.429796848199937E-03; the parser reads those.
      c.sd.push_back(parse(m[2]));
    } else if (l.find("Standard Deviation") != std::string::npos &&
               l.find("Parameter") == std::string::npos && std::regex_search(l, m, rsd_re) &&
               l.find("of Estimate") == std::string::npos) {
      c.residual_sd = parse(m[1]);
    } else if (std::regex_search(l, m, r2_re)) {
      c.r_squared = parse(m[1]);
    }
  }
  for (std::size_t i = first - 1; i < last; ++i) {
    std::istringstream fields(lines[i]);
    std::vector<regress::dd> row;
    for (std::string f; fields >> f;) row.push_back(parse_exact(f));
    c.rows.push_back(row);
  }
  return c;
}

/// LRE = -log10(|est - cert| / |cert|), or -log10|est| for cert = 0; capped at 15.
double lre(double est, double cert) {
  const double err = cert == 0 ? std::abs(est) : std::abs(est - cert) / std::abs(cert);
  if (err == 0) return 15;
  return std::min(15.0, -std::log10(err));
}

struct problem {
  const char* name;
  int degree;
  bool intercept;
  int predictors;  // columns after y
  // Floors from issue 2: coefficients, their SDs, residual SD, R squared.
  double coef, sd, rsd, r2;
};

// Issue 2's floors; 0 means no floor was set for that cell beyond a sane one.
const problem problems[] = {
    {"Norris", 1, true, 1, 11.5, 12.5, 12.5, 14},
    {"Pontius", 2, true, 1, 11.5, 12.5, 12.5, 14},
    {"NoInt1", 1, false, 1, 14, 14, 14, 14},
    {"NoInt2", 1, false, 1, 14, 14, 14, 14},
    {"Filip", 10, true, 1, 6, 6, 7.5, 9.5},
    {"Longley", 1, true, 6, 12, 13, 13, 14},
    {"Wampler1", 5, true, 1, 8.5, 8.5, 8.5, 14},
    {"Wampler2", 5, true, 1, 11.5, 13, 13, 13},
    {"Wampler3", 5, true, 1, 8, 11.5, 13, 13},
    {"Wampler4", 5, true, 1, 7, 11.5, 13, 13},
    {"Wampler5", 5, true, 1, 5.5, 11.5, 13, 12.5},
};

struct scores {
  double coef = 15, sd = 15, rsd = 15, r2 = 15;
};

scores score(const problem& p) {
  const certificate c = read_nist(p.name);
  regress::model_spec spec;
  spec.response = "y";
  spec.intercept = p.intercept;
  spec.degree = p.degree;
  regress::table t;
  t.names.push_back("y");
  for (int j = 0; j < p.predictors; ++j) {
    spec.predictors.push_back(p.predictors == 1 ? "x" : "x" + std::to_string(j + 1));
    t.names.push_back(spec.predictors.back());
  }
  t.columns.resize(t.names.size());
  t.low.resize(t.names.size());
  for (std::size_t i = 0; i < c.rows.size(); ++i) {
    REQUIRE(c.rows[i].size() == t.names.size());
    for (std::size_t j = 0; j < t.names.size(); ++j) {
      // The data enter as the decimals NIST wrote, to ~32 digits (see number.hpp).
      t.columns[j].push_back(c.rows[i][j].hi);
      t.low[j].push_back(c.rows[i][j].lo);
    }
    t.lines.push_back(i + 1);
  }
  const auto m = regress::fit_model(spec, regress::make_design(spec, t));
  const auto s = regress::summarize(m, 0.95);
  REQUIRE(s.terms.size() == c.estimate.size());
  scores out;
  for (std::size_t j = 0; j < c.estimate.size(); ++j) {
    out.coef = std::min(out.coef, lre(s.terms[j].estimate, c.estimate[j]));
    out.sd = std::min(out.sd, lre(s.terms[j].std_error, c.sd[j]));
  }
  out.rsd = lre(s.stats.sigma, c.residual_sd);
  out.r2 = lre(s.stats.r_squared, c.r_squared);
  return out;
}

}  // namespace

TEST_CASE("every NIST StRD linear dataset meets its LRE floor", "[nist]") {
  for (const auto& p : problems) {
    SECTION(p.name) {
      const scores s = score(p);
      INFO(p.name << ": coef " << s.coef << " sd " << s.sd << " rsd " << s.rsd << " r2 " << s.r2);
      CHECK(s.coef >= p.coef);
      CHECK(s.sd >= p.sd);
      CHECK(s.rsd >= p.rsd);
      CHECK(s.r2 >= p.r2);
    }
  }
}

TEST_CASE("the NIST StRD LRE table is printed", "[nist][lre_table]") {
  std::cout << "NIST StRD minimum LRE (digits agreeing with the certificate; 15 = all)\n"
            << "| dataset | coefficients | std. errors | residual SD | R squared |\n"
            << "|---|---|---|---|---|\n";
  for (const auto& p : problems) {
    const scores s = score(p);
    std::cout << std::fixed << std::setprecision(1) << "| " << p.name << " | " << s.coef << " | "
              << s.sd << " | " << s.rsd << " | " << s.r2 << " |\n";
  }
  std::cout.unsetf(std::ios::fixed);
  SUCCEED();
}
