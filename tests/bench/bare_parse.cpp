// The reference the engine's speed is stated against: map a CSV and parse
// every number after the header with fast_float, on T threads (each takes an
// equal byte range, moved to the next line start), summing each column so
// nothing is optimised away; a text field is skipped to its end. No quoting,
// no validation, no statistics.
// Usage: bare_parse FILE [THREADS]
#include <fast_float/fast_float.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <system_error>
#include <thread>
#include <vector>

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: bare_parse FILE [THREADS]\n");
    return 2;
  }
  const int threads = argc > 2 ? std::atoi(argv[2]) : 2;
  const int fd = ::open(argv[1], O_RDONLY);
  struct stat st {};
  if (fd < 0 || ::fstat(fd, &st) != 0) return 1;
  const auto size = static_cast<std::size_t>(st.st_size);
  const char* data = static_cast<const char*>(::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0));
  const char* end = data + size;
  const char* body = static_cast<const char*>(std::memchr(data, '\n', size)) + 1;
  std::vector<const char*> cuts{body};
  for (int t = 1; t < threads; ++t) {
    const char* p = body + (end - body) * t / threads;
    p = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
    cuts.push_back(p == nullptr ? end : p + 1);
  }
  cuts.push_back(end);
  std::vector<double> sums(static_cast<std::size_t>(threads) * 16, 0.0);
  std::vector<long> counts(static_cast<std::size_t>(threads), 0);
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      const char* p = cuts[static_cast<std::size_t>(t)];
      const char* e = cuts[static_cast<std::size_t>(t) + 1];
      double* s = &sums[static_cast<std::size_t>(t) * 16];
      long n = 0;
      while (p < e) {
        int col = 0;
        for (;;) {
          double v = 0;
          auto r = fast_float::from_chars(p, e, v);
          s[col & 15] += v;
          ++col;
          p = r.ptr;
          // A text field (a factor's level): skipped to its delimiter.
          if (r.ec != std::errc()) {
            while (p < e && *p != ',' && *p != '\n') ++p;
          }
          if (p >= e || *p == '\n') break;
          ++p;  // the delimiter
        }
        ++p;
        ++n;
      }
      counts[static_cast<std::size_t>(t)] = n;
    });
  }
  for (auto& th : pool) th.join();
  double total = 0;
  long rows = 0;
  for (double v : sums) total += v;
  for (long n : counts) rows += n;
  std::printf("rows %ld checksum %.17g\n", rows, total);
  return 0;
}
