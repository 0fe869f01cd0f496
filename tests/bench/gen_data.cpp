// Deterministic benchmark data: `gen_data simple N` writes an x,y CSV with
// 8- and 9-significant-digit numbers (N = 10,000,000 gives about 206 MB);
// `gen_data wide N` writes y and ten predictors x1..x10; `gen_data groups N`
// writes y, x, g with g a text column of 50 levels (g01..g50) and
// y = a_g + b_g log(x) + noise. A fixed 64-bit LCG
// (Knuth's MMIX constants) makes every run byte-identical.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {
std::uint64_t state = 0x2545F4914F6CDD1DULL;
double uniform() {  // [0, 1)
  state = state * 6364136223846793005ULL + 1442695040888963407ULL;
  return static_cast<double>(state >> 11) * (1.0 / 9007199254740992.0);
}
double normal() {  // sum of 12 uniforms, centred: close enough for test data
  double s = -6;
  for (int i = 0; i < 12; ++i) s += uniform();
  return s;
}
}  // namespace

int main(int argc, char** argv) {
  if (argc != 3 || (std::strcmp(argv[1], "simple") != 0 && std::strcmp(argv[1], "wide") != 0 &&
                    std::strcmp(argv[1], "groups") != 0)) {
    std::fprintf(stderr, "usage: gen_data simple|wide|groups ROWS > file.csv\n");
    return 2;
  }
  const long rows = std::atol(argv[2]);
  static char buf[1 << 16];
  std::setvbuf(stdout, buf, _IOFBF, sizeof buf);
  if (std::strcmp(argv[1], "groups") == 0) {
    std::puts("y,x,g");
    for (long i = 0; i < rows; ++i) {
      const int g = static_cast<int>(uniform() * 50);
      const double x = 1 + 99 * uniform();
      const double y = 10 + 0.2 * g + (2 + 0.05 * g) * std::log(x) + normal();
      std::printf("%.5f,%.5f,g%02d\n", y, x, g + 1);
    }
  } else if (std::strcmp(argv[1], "simple") == 0) {
    std::puts("x,y");
    for (long i = 0; i < rows; ++i) {
      const double x = 100 + 900 * uniform();
      const double y = 3.7 + 2.1 * x + 25 * normal();
      std::printf("%.5f,%.5f\n", x, y);
    }
  } else {
    std::fputs("y", stdout);
    for (int j = 1; j <= 10; ++j) std::printf(",x%d", j);
    std::putchar('\n');
    for (long i = 0; i < rows; ++i) {
      double x[10], y = 1;
      for (int j = 0; j < 10; ++j) {
        x[j] = 100 * uniform();
        y += (j + 1) * 0.5 * x[j];
      }
      std::printf("%.5f", y + 10 * normal());
      for (int j = 0; j < 10; ++j) std::printf(",%.4f", x[j]);
      std::putchar('\n');
    }
  }
  return 0;
}
