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

TEST_CASE("a record longer than the limit is an error naming its line", "[table][hostile]") {
  // Issue 12 item 11: the in-memory loaders read one line into memory
  // whole; a line without end (/dev/zero) must stop at the limit.
  auto read_all = [](const std::string& text, std::size_t limit) {
    std::istringstream in(text);
    csv_options o{',', "t.csv"};
    o.max_record_bytes = limit;
    csv_reader r(in, o);
    std::vector<std::string> fields;
    std::size_t n = 0;
    while (r.next(fields)) ++n;
    return n;
  };
  const std::string long_field(200, '7');
  CHECK(read_all("x,y\n1,2\n3," + long_field + "\n", 300) == 3);
  CHECK_THROWS_WITH(read_all("x,y\n1,2\n3," + long_field + "\n", 100),
                    Catch::Contains("t.csv:3") && Catch::Contains("the record is longer than") &&
                        Catch::Contains("--max-line-bytes"));
  CHECK_THROWS_WITH(read_all(long_field + "\n1\n", 100),
                    Catch::Contains("t.csv:1") && Catch::Contains("the header is longer than"));
  // A quoted field spanning lines counts every line of its record, and the
  // message names the line where the record starts.
  CHECK_THROWS_WITH(read_all("x,y\n1,\"" + long_field + "\n" + long_field + "\"\n", 300),
                    Catch::Contains("t.csv:2") && Catch::Contains("the record"));
  // The default is 64 MiB.
  CHECK(csv_options{}.max_record_bytes == std::size_t(64) << 20);
}
