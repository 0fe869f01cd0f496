// reading/points.hpp: the rows of a CSV of new points, by predictor name.
#include "regress/reading/points.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <sstream>
#include <string>

#include "regress/error.hpp"

using namespace regress;

namespace {
std::string error_of(const std::string& text, const std::vector<std::string>& names) {
  std::istringstream in(text);
  csv_reader csv(in, csv_options{',', "new.csv"});
  try {
    point_reader points(csv, names);
    double values[2];
    bool missing = false;
    while (points.next(values, missing)) {
    }
  } catch (const data_error& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST_CASE("new points are read by name, in the model's order, with NaN for a missing value",
          "[points]") {
  std::istringstream in("label,b,a\nx,2,1\ny,NA,3\n");
  csv_reader csv(in, csv_options{});
  point_reader points(csv, {"a", "b"});
  double values[2];
  bool missing = true;
  REQUIRE(points.next(values, missing));
  CHECK(!missing);
  CHECK(values[0] == 1);
  CHECK(values[1] == 2);
  REQUIRE(points.next(values, missing));
  CHECK(missing);
  CHECK(values[0] == 3);
  CHECK(std::isnan(values[1]));
  CHECK(!points.next(values, missing));
}

TEST_CASE("new points say which column is missing, and where a row is wrong", "[points]") {
  CHECK(error_of("", {"a"}) ==
        "new.csv: the new points are empty; they need a header row naming a");
  CHECK(error_of("a,c\n1,2\n", {"a", "b"}) ==
        "new.csv:1: the new points have no column 'b'; the model needs a, b");
  CHECK(error_of("a,b\n1,2\n1\n", {"a", "b"}) ==
        "new.csv:3: this row has 1 fields but the header has 2; every row needs one field per "
        "column (quote fields that contain the delimiter)");
  CHECK(error_of("a,b\n1,abc\n", {"a", "b"}) ==
        "new.csv:2:2: cannot read 'abc' in column 'b' as a number; write a finite number, or "
        "leave the cell empty or NA to mark it missing");
}
