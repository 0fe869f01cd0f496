#include "regress/reading/number.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>

#include "regress/reading/decimal.hpp"

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

#if defined(__SIZEOF_FLOAT128__)
TEST_CASE("a decimal's double-double is the decimal to 2^-104 and its hi is strtod's",
          "[number][decimal]") {
  // The decimal path (reading/decimal.hpp) gives hi = M / 10^k correctly
  // rounded and lo from the exact remainder (one FMA) divided by 10^k.
  // Checked against binary128 (113 bits): M / 10^k there
  // is within 2^-113 of the decimal, hi - d is exact (Sterbenz), so the
  // error of hi + lo is known to far below the 2^-104 allowed.
  std::mt19937_64 random(20261202);
  const auto allowed = static_cast<__float128>(std::ldexp(1.0, -104));
  __float128 worst = 0;
  int read_fast = 0;
  for (int i = 0; i < 200000; ++i) {
    const int bits = 1 + static_cast<int>(random() % 53);
    std::uint64_t m = random() >> (64 - bits);
    if (i % 3 == 0) m = random() % 100000000;  // the short decimals of most data
    if (m == 0) m = 1;
    const int k = 1 + static_cast<int>(random() % 18);
    std::string text = std::to_string(m);
    if (text.size() <= static_cast<std::size_t>(k)) {
      text.insert(0, static_cast<std::size_t>(k) + 1 - text.size(), '0');
    }
    text.insert(text.size() - static_cast<std::size_t>(k), ".");
    if (text.size() > 20) continue;  // over 19 digits: the general path, whose lo is 0
    ++read_fast;
    if (i % 2 == 1) text.insert(0, "-");
    regress::dd v;
    REQUIRE(parse_cell(text, v) == cell_kind::number);
    CHECK(v.hi == std::strtod(text.c_str(), nullptr));
    __float128 p10 = 1;
    for (int j = 0; j < k; ++j) p10 *= 10;  // exact: 5^18 < 2^113
    const __float128 d = static_cast<__float128>(m) / p10 * (i % 2 == 1 ? -1 : 1);
    __float128 error = (static_cast<__float128>(v.hi) - d) + v.lo;
    if (error < 0) error = -error;
    const __float128 size = d < 0 ? -d : d;
    if (error > worst * size) worst = error / size;
  }
  INFO("worst relative error 2^" << std::log2(static_cast<double>(worst)));
  CHECK(read_fast > 150000);
  CHECK(worst <= allowed);
}
#endif

TEST_CASE("the decimal path reads the same with and without room after the number",
          "[number][decimal]") {
  // detail::digit_run skips the bound check per digit when more than 20
  // bytes remain (the engine's scanner, inside a chunk): runs of 1 to 24
  // digits, before and after a point and in an exponent, read alone (the
  // bound checked: parse_cell's fields) and followed by a delimiter and 30
  // more digits, give the same end and the same bits; what it accepts, hi
  // is strtod's.
  std::mt19937_64 random(20261203);
  const auto digits = [&](std::size_t n) {
    std::string s;
    for (std::size_t i = 0; i < n; ++i) s += static_cast<char>('0' + random() % 10);
    return s;
  };
  int accepted = 0, refused = 0;
  for (int i = 0; i < 50000; ++i) {
    std::string text = i % 4 == 0 ? "-" : "";
    text += digits(random() % 25);
    if (random() % 2 == 0) text += "." + digits(random() % 25);
    if (random() % 4 == 0) text += (random() % 2 ? "e-" : "E") + digits(random() % 3);
    const std::string tail = std::string(1, ",\nx;"[random() % 4]) + digits(30);
    const std::string room = text + tail;
    INFO(text);
    double hi_alone = 0, lo_alone = 0, hi_room = 0, lo_room = 0;
    const char* alone = regress::detail::scan_decimal_parts(text.data(), text.data() + text.size(),
                                                            hi_alone, lo_alone);
    const char* with_room = regress::detail::scan_decimal_parts(
        room.data(), room.data() + room.size(), hi_room, lo_room);
    REQUIRE((alone == nullptr) == (with_room == nullptr));
    if (alone == nullptr) {
      ++refused;
      continue;
    }
    ++accepted;
    REQUIRE(alone - text.data() == with_room - room.data());
    CHECK(std::memcmp(&hi_alone, &hi_room, sizeof(double)) == 0);
    CHECK(std::memcmp(&lo_alone, &lo_room, sizeof(double)) == 0);
    if (alone == text.data() + text.size()) CHECK(hi_alone == std::strtod(text.c_str(), nullptr));
  }
  CHECK(accepted > 10000);
  CHECK(refused > 10000);
}
