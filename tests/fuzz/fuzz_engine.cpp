// libFuzzer target: the streaming engine (fit_csv_stream, fit_csv_file),
// differential against the plain reader (csv_reader + read_columns +
// make_design + fit_model) on the same bytes.
//
// Input: byte 0 picks the delimiter (bits 0-1: ',' ';' tab '|'), the chunk
// size (bits 2-3: 16, 61, 1024 bytes or the default 2 MiB, so records and
// quoted fields straddle chunk cuts), the threads (bit 4: 1 or 2), no
// intercept (bit 5) and two predictors instead of one (bit 6). The response is
// column 1 and the predictors columns 2 (and 3). The rest is the CSV.
//
// Oracles: the engine, from a stream and from a mapped file (a memfd, named
// through /proc/self/fd), fails exactly when the plain reader fails, with an
// error of the same class; a data_error has the very same message (file,
// line, column and text); a fit has the same rows read and dropped, nobs, and
// coefficients to 1e-9 relative.
#include <sys/mman.h>
#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "regress/engine/engine.hpp"
#include "regress/error.hpp"
#include "regress/model/design.hpp"
#include "regress/model/model.hpp"
#include "regress/reading/table.hpp"
#include "regress/reading/text_input.hpp"

namespace {

[[noreturn]] void finding(const char* what, const std::string& detail = {}) {
  std::fprintf(stderr, "FINDING: %s\n%s\n", what, detail.c_str());
  std::abort();
}

struct outcome {
  char kind = 'o';  // o: fitted; d: data_error; m: model_error; u: usage_error
  std::string message;
  std::optional<regress::model> fitted;
  std::size_t rows_dropped = 0;
};

template <typename F>
outcome attempt(F f) {
  outcome o;
  try {
    f(o);
  } catch (const regress::data_error& e) {
    o.kind = 'd';
    o.message = e.what();
  } catch (const regress::model_error& e) {
    o.kind = 'm';
    o.message = e.what();
  } catch (const regress::usage_error& e) {
    o.kind = 'u';
    o.message = e.what();
  }
  return o;
}

struct choice {
  bool intercept = true;
  bool two = false;
  regress::column_choice operator()(const std::vector<std::string>& header) const {
    const std::size_t need = two ? 3 : 2;
    if (header.size() < need) throw regress::usage_error("too few columns");
    regress::column_choice c;
    c.spec.intercept = intercept;
    c.spec.response = header[0];
    c.indices = {0, 1};
    c.spec.predictors = {header[1]};
    if (two) {
      c.indices.push_back(2);
      c.spec.predictors.push_back(header[2]);
    }
    regress::validate(c.spec);  // duplicate names: usage_error, as the CLI
    return c;
  }
};

double coefficient(const regress::model& m, std::size_t j) {
  // j == 0: the intercept (raw parametrisation), else slope j - 1.
  if (j == 0) return static_cast<double>(regress::raw_intercept(m.fit));
  return static_cast<double>(m.fit.slopes[j - 1]);
}

void compare(const outcome& ref, const outcome& got, const char* which) {
  if (ref.kind != got.kind) {
    finding(which, std::string("plain reader: ") + ref.kind + " " + ref.message +
                       "\nengine: " + got.kind + " " + got.message);
  }
  if (ref.kind == 'd' && ref.message != got.message) {
    finding(which,
            "data_error messages differ:\n  plain:  " + ref.message + "\n  engine: " + got.message);
  }
  if (ref.kind != 'o') return;
  const regress::model& a = *ref.fitted;
  const regress::model& b = *got.fitted;
  if (a.fit.nobs != b.fit.nobs || ref.rows_dropped != got.rows_dropped) {
    finding(which, "rows used or dropped differ");
  }
  for (std::size_t j = 0; j <= a.fit.k(); ++j) {
    const double x = coefficient(a, j), y = coefficient(b, j);
    if (!(std::fabs(x - y) <= 1e-9 * std::fmax(std::fabs(x), std::fabs(y)) || x == y)) {
      char buf[160];
      std::snprintf(buf, sizeof buf, "coefficient %zu: plain %.17g, engine %.17g", j, x, y);
      finding(which, buf);
    }
  }
}

/// fit_csv_file opens a file as the command line opens every input: gzip,
/// zstd and xz data are decompressed and other binary formats refused
/// ("looks like a zip archive ..."), by their first bytes; the plain reader
/// takes the bytes as text. Such inputs are only required not to crash.
bool not_read_as_text(const std::string& text, const outcome& mapped) {
  if (mapped.kind == 'd' && mapped.message.find(": looks like ") != std::string::npos) return true;
  try {
    return regress::sniff_compression(std::string_view(text).substr(0, 16), "<fuzz>") !=
           regress::compression::none;
  } catch (const regress::data_error&) {
    return true;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1 || size > 64 * 1024) return -1;
  static const char delimiters[] = {',', ';', '\t', '|'};
  static const std::size_t chunks[] = {16, 61, 1024, std::size_t(1) << 21};
  const char delimiter = delimiters[data[0] & 3U];
  choice choose;
  choose.intercept = (data[0] & 32U) == 0;
  choose.two = (data[0] & 64U) != 0;
  regress::engine_options options;
  options.delimiter = delimiter;
  options.source = "<fuzz>";
  options.chunk_bytes = chunks[(data[0] >> 2U) & 3U];
  options.threads = (data[0] & 16U) != 0 ? 2 : 1;
  const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);

  const outcome ref = attempt([&](outcome& o) {
    std::istringstream in(text);
    regress::csv_reader reader(in, regress::csv_options{delimiter, "<fuzz>"});
    std::vector<std::string> header;
    if (!reader.next(header)) {
      throw regress::data_error("the input is empty; it needs a header row and data rows",
                                "<fuzz>");
    }
    const regress::column_choice c = choose(header);
    const regress::table t = regress::read_columns(reader, header, c.indices);
    const regress::design d = regress::make_design(c.spec, t);
    o.rows_dropped = d.rows_dropped;
    o.fitted = regress::fit_model(c.spec, d);
  });

  const outcome streamed = attempt([&](outcome& o) {
    std::istringstream in(text);
    regress::engine_result r = regress::fit_csv_stream(in, choose, options);
    o.rows_dropped = r.rows_dropped;
    o.fitted = std::move(r.fitted);
  });
  compare(ref, streamed, "fit_csv_stream disagrees with the plain reader");

  const int fd = ::memfd_create("regress-fuzz", MFD_CLOEXEC);
  if (fd < 0) return 0;
  if (::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size())) {
    const std::string path = "/proc/self/fd/" + std::to_string(fd);
    outcome mapped = attempt([&](outcome& o) {
      regress::engine_result r = regress::fit_csv_file(path, choose, options);
      o.rows_dropped = r.rows_dropped;
      o.fitted = std::move(r.fitted);
    });
    // The file's messages start with its path; compare them as if named
    // <fuzz> (only the prefix: the data may hold the path too).
    if (mapped.message.rfind(path, 0) == 0) mapped.message.replace(0, path.size(), "<fuzz>");
    if (!not_read_as_text(text, mapped)) {
      compare(ref, mapped, "fit_csv_file disagrees with the plain reader");
    }
  }
  ::close(fd);
  return 0;
}
