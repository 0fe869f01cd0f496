#include "regress/reading/number.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdlib>
#include <string>

using regress::cell_kind;
using regress::parse_cell;

namespace {
double read(const std::string& s) {
  double v = 0;
  REQUIRE(parse_cell(s, v) == cell_kind::number);
  return v;
}
cell_kind kind(const std::string& s) {
  double v = 0;
  return parse_cell(s, v);
}
}  // namespace

TEST_CASE("numbers are read in every form the issue lists", "[number]") {
  CHECK(read("1.5") == 1.5);
  CHECK(read("+2") == 2);
  CHECK(read("-2.5e3") == -2500);
  CHECK(read(".5") == 0.5);
  CHECK(read("5.") == 5);
  CHECK(read("  7 ") == 7);
  CHECK(read("0.429796848199937E-03") == std::strtod("0.429796848199937E-03", nullptr));
  CHECK(read("1e-320") == std::strtod("1e-320", nullptr));  // subnormal, kept
}

TEST_CASE("parsing is correctly rounded, agreeing with strtod in the C locale", "[number]") {
  // Halfway and near-halfway cases where naive parsers go wrong.
  for (const char* s : {"0.1", "2.2250738585072011e-308", "9007199254740993",
                        "1.00000000000000011102230246251565404236316680908203125", "7.038531e-26",
                        "0.30000000000000004", "123456789012345678901234567890"}) {
    CHECK(read(s) == std::strtod(s, nullptr));
  }
}

TEST_CASE("missing markers are recognised in any case", "[number]") {
  for (const char* s : {"", "  ", "NA", "na", "NaN", "nan", "NAN", "null", "NULL", "Null"}) {
    CHECK(kind(s) == cell_kind::missing);
  }
}

TEST_CASE("anything else is invalid, including infinities and overflow", "[number]") {
  for (const char* s : {"abc", "1,5", "1.5x", "inf", "-inf", "Infinity", "+-1", "--1", "1e400",
                        "0x10", "1 2", "+", "-", ".", "e5", "1e"}) {
    INFO(s);
    CHECK(kind(s) == cell_kind::invalid);
  }
}
