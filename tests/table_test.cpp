#include "regress/reading/table.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <sstream>

#include "regress/error.hpp"

using namespace regress;

TEST_CASE("columns are chosen by name or 1-based index", "[table]") {
  const std::vector<std::string> header{"x", "y", "label"};
  CHECK(resolve_column(header, "y") == 1);
  CHECK(resolve_column(header, "3") == 2);
  CHECK_THROWS_AS(resolve_column(header, "z"), usage_error);
  CHECK_THROWS_WITH(resolve_column(header, "4"), Catch::Contains("x, y, label"));
}

// tests/reference/make_field_reference.R printed make.unique's names
// (tests/reference/field_reference.txt).
TEST_CASE("repeated header names are made unique as R's make.unique", "[table]") {
  CHECK(unique_names({"x", "x", "z"}) == std::vector<std::string>{"x", "x.1", "z"});
  CHECK(unique_names({"x", "x", "x.1", "x"}) == std::vector<std::string>{"x", "x.2", "x.1", "x.3"});
  CHECK(unique_names({"a", "b"}) == std::vector<std::string>{"a", "b"});
}

TEST_CASE("a repeated header name is chosen by index or by its unique name", "[table]") {
  const std::vector<std::string> header{"x", "x", "z"};
  CHECK(resolve_column(header, "x.1") == 1);
  CHECK(resolve_column(header, "2") == 1);
  CHECK_THROWS_WITH(resolve_column(header, "x"), Catch::Contains("'x.1'"));
}

TEST_CASE("only the used columns are parsed; bad cells name line and column", "[table]") {
  std::istringstream in("label,x,y\nfoo,1,2\nbar,NA,3\n");
  csv_reader r(in, csv_options{',', "d.csv"});
  std::vector<std::string> header;
  REQUIRE(r.next(header));
  const table t = read_columns(r, header, {2, 1});
  REQUIRE(t.rows() == 2);
  CHECK(t.names == std::vector<std::string>{"y", "x"});
  CHECK(t.columns[0][1] == 3);
  CHECK(std::isnan(t.columns[1][1]));

  std::istringstream bad("x,y\n1,2\n3,abc\n");
  csv_reader rb(bad, csv_options{',', "d.csv"});
  REQUIRE(rb.next(header));
  CHECK_THROWS_WITH(read_columns(rb, header, {0, 1}),
                    Catch::Contains("d.csv:3:2") && Catch::Contains("'abc'"));
}

TEST_CASE("a ragged row is an error", "[table]") {
  std::istringstream in("x,y\n1,2\n3\n");
  csv_reader r(in, csv_options{',', "d.csv"});
  std::vector<std::string> header;
  REQUIRE(r.next(header));
  CHECK_THROWS_WITH(read_columns(r, header, {0, 1}), Catch::Contains("d.csv:3"));
}
