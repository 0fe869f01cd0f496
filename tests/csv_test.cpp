#include "regress/reading/csv.hpp"

#include <catch2/catch.hpp>
#include <sstream>
#include <string>
#include <vector>

using namespace regress;

namespace {
std::vector<std::vector<std::string>> records(const std::string& text, char delim = ',') {
  std::istringstream in(text);
  csv_reader r(in, csv_options{delim, "t.csv"});
  std::vector<std::vector<std::string>> out;
  std::vector<std::string> fields;
  while (r.next(fields)) out.push_back(fields);
  return out;
}
}  // namespace

TEST_CASE("RFC 4180 quoting, CRLF and a byte-order mark are read", "[table]") {
  const auto r = records(
      "\xEF\xBB\xBF"
      "a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",3\r\n\"multi\nline\",,\r\n");
  REQUIRE(r.size() == 3);
  CHECK(r[0] == std::vector<std::string>{"a", "b", "c"});
  CHECK(r[1] == std::vector<std::string>{"x, y", "say \"hi\"", "3"});
  CHECK(r[2] == std::vector<std::string>{"multi\nline", "", ""});
}

TEST_CASE("other delimiters and blank lines", "[table]") {
  const auto r = records("a\tb\n\n1\t2\n", '\t');
  REQUIRE(r.size() == 2);
  CHECK(r[1] == std::vector<std::string>{"1", "2"});
}

TEST_CASE("an unterminated quote is an error naming its line", "[table]") {
  CHECK_THROWS_WITH(records("a,b\n1,\"oops\n2,3\n"),
                    Catch::Contains("t.csv:2:3") && Catch::Contains("unterminated"));
}
