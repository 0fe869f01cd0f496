// libFuzzer target: regress::read_state, the reader of `regress fit
// --save-state` files (what `regress merge` reads).
//
// Oracles:
//  - only regress::model_error escapes read_state (it documents that), and
//    its message names the source;
//  - a state it accepts is usable: merging it with itself gives a state of
//    twice the rows, model_of either fits it or throws model_error (a state
//    may legitimately be rank deficient), and write_state of it reads back
//    and writes out the same text again (a fixed point after one round).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include "regress/error.hpp"
#include "regress/files/state_file.hpp"

namespace {

[[noreturn]] void finding(const char* what) {
  std::fprintf(stderr, "FINDING: %s\n", what);
  std::abort();
}

std::string written(const regress::fit_state& s) {
  std::ostringstream out;
  regress::write_state(out, s);
  return out.str();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 64 * 1024) return -1;  // state files are small
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  regress::fit_state s;
  try {
    s = regress::read_state(in, "<fuzz>");
  } catch (const regress::model_error& e) {
    if (std::string(e.what()).rfind("<fuzz>", 0) != 0) {
      finding("a model_error that does not name the source");
    }
    return 0;
  } catch (const regress::error&) {
    finding("read_state threw an error other than model_error");
  }

  const std::string once = written(s);
  std::istringstream again(once);
  regress::fit_state s2;
  try {
    s2 = regress::read_state(again, "<again>");
  } catch (const regress::error& e) {
    std::fprintf(stderr, "%s\n", e.what());
    finding("a state written from an accepted one does not read back");
  }
  if (written(s2) != once) finding("writing a state read back changes the file");

  try {
    const regress::fit_state both = regress::merge_states({s, s}, {"<a>", "<b>"});
    if (both.state.n() != 2 * s.state.n()) finding("merging a state with itself: n is not 2n");
  } catch (const regress::model_error&) {
    finding("a state does not merge with itself");
  }
  try {
    (void)regress::model_of(s);
  } catch (const regress::model_error&) {
    // rank deficient or too few rows: a legitimate answer for a valid state
  }
  return 0;
}
