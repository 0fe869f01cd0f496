#include "support/numeric.hpp"

#include <catch2/catch.hpp>

#include "support/text.hpp"

namespace test_support {

void require_close(const std::string& csv_a, const std::string& csv_b, double tolerance) {
  const auto a = fit_figures(csv_a), b = fit_figures(csv_b);
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    CHECK(std::abs(a[i] - b[i]) <= tolerance * std::abs(a[i]));
  }
}

}  // namespace test_support
