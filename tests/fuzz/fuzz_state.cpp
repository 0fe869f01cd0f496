// libFuzzer target: regress::read_any_state, the reader of `regress fit
// --save-state` files (what `regress merge` reads), of -y/-x fits (version
// 1) and of formula fits (version 2).
//
// Oracles:
//  - only regress::model_error escapes read_state (it documents that), and
//    its message names the source;
//  - a state it accepts is usable: merging it with itself gives a state of
//    twice the rows, model_of either fits it or throws model_error (a state
//    may legitimately be rank deficient), and write_state of it reads back
//    and writes out the same text again (a fixed point after one round);
//    a formula state likewise (merged with itself it has twice the records,
//    and model_of either fits it or throws model_error or data_error).
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

std::string written(const regress::formula_state& s) {
  std::ostringstream out;
  regress::write_formula_state(out, s);
  return out.str();
}

void check_formula(const regress::formula_state& s) {
  const std::string once = written(s);
  std::istringstream again(once);
  regress::saved_state s2;
  try {
    s2 = regress::read_any_state(again, "<again>");
  } catch (const regress::error& e) {
    std::fprintf(stderr, "%s\n", e.what());
    finding("a formula state written from an accepted one does not read back");
  }
  if (!s2.is_formula || written(s2.formula_part) != once) {
    finding("writing a formula state read back changes the file");
  }
  try {
    const regress::formula_state both = regress::merge_formula_states({s, s}, {"<a>", "<b>"});
    if (both.records != 2 * s.records) finding("merging a formula state with itself: records");
  } catch (const regress::error&) {
    finding("a formula state does not merge with itself");
  }
  try {
    (void)regress::model_of(s, 0.95);
  } catch (const regress::model_error&) {
    // rank deficient or too few rows: a legitimate answer for a valid state
  } catch (const regress::data_error&) {
    // no complete rows
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 64 * 1024) return -1;  // state files are small
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  regress::saved_state saved;
  try {
    saved = regress::read_any_state(in, "<fuzz>");
  } catch (const regress::model_error& e) {
    if (std::string(e.what()).rfind("<fuzz>", 0) != 0) {
      finding("a model_error that does not name the source");
    }
    return 0;
  } catch (const regress::error&) {
    finding("read_state threw an error other than model_error");
  }
  if (saved.is_formula) {
    check_formula(saved.formula_part);
    return 0;
  }
  const regress::fit_state& s = saved.columns;

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
