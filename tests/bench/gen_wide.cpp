// Writes a wide regression problem for tests/bench/wide.sh:
// `gen_wide ROWS PREDICTORS` prints y,x1..xP with ROWS rows of standard
// normal predictors and y = sum_j x_j / j + noise. A fixed 64-bit LCG
// (Knuth's MMIX constants) makes every run byte-identical.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

namespace {
std::uint64_t state = 0x2545F4914F6CDD1DULL;
double uniform() {  // (0, 1)
  state = state * 6364136223846793005ULL + 1442695040888963407ULL;
  return (static_cast<double>(state >> 11) + 0.5) * (1.0 / 9007199254740992.0);
}
double normal() {  // Box-Muller, one value per call
  return std::sqrt(-2 * std::log(uniform())) * std::cos(6.283185307179586 * uniform());
}
}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: gen_wide ROWS PREDICTORS > file.csv\n");
    return 2;
  }
  const long rows = std::atol(argv[1]);
  const long p = std::atol(argv[2]);
  static char buf[1 << 16];
  std::setvbuf(stdout, buf, _IOFBF, sizeof buf);
  std::fputs("y", stdout);
  for (long j = 1; j <= p; ++j) std::printf(",x%ld", j);
  std::fputs("\n", stdout);
  std::vector<double> x(static_cast<std::size_t>(p));
  for (long i = 0; i < rows; ++i) {
    double y = normal();
    for (long j = 0; j < p; ++j) {
      x[static_cast<std::size_t>(j)] = normal();
      y += x[static_cast<std::size_t>(j)] / static_cast<double>(j + 1);
    }
    std::printf("%.6f", y);
    for (double v : x) std::printf(",%.6f", v);
    std::fputs("\n", stdout);
  }
  return 0;
}
