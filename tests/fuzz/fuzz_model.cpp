// libFuzzer target: regress::read_model, the reader of `regress fit --save`
// files (and of `predict -m`).
//
// Oracles:
//  - only regress::model_error escapes read_model (it documents that), and
//    its message names the source;
//  - a model it accepts is usable: it predicts at the centre and the ends of
//    each predictor's range and summarises without crashing, and it writes
//    back (write_model) to a file that reads back and writes out the same
//    text again (a fixed point after one round).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "regress/error.hpp"
#include "regress/files/model_io.hpp"
#include "regress/model/predict.hpp"
#include "regress/model/summary.hpp"

namespace {

[[noreturn]] void finding(const char* what) {
  std::fprintf(stderr, "FINDING: %s\n", what);
  std::abort();
}

std::string written(const regress::model& m) {
  std::ostringstream out;
  regress::write_model(out, m);
  return out.str();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 64 * 1024) return -1;  // model files are small
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  regress::model m;
  try {
    m = regress::read_model(in, "<fuzz>");
  } catch (const regress::model_error& e) {
    if (std::string(e.what()).rfind("<fuzz>", 0) != 0) {
      finding("a model_error that does not name the source");
    }
    return 0;
  } catch (const regress::error&) {
    finding("read_model threw an error other than model_error");
  }

  // Accepted: it must be usable.
  const std::size_t np = m.spec.predictors.size();
  if (m.ranges.size() != np) finding("an accepted model without one range per predictor");
  std::vector<double> point(np);
  for (int where = 0; where < 3; ++where) {
    for (std::size_t j = 0; j < np; ++j) {
      const auto& r = m.ranges[j];
      point[j] = where == 0 ? r.mean : where == 1 ? r.min : r.max;
    }
    for (auto kind : {regress::interval_kind::prediction, regress::interval_kind::confidence}) {
      (void)regress::predict_one(m, point.data(), kind, m.spec.level);
    }
  }
  (void)regress::summarize(m, m.spec.level);

  const std::string once = written(m);
  std::istringstream again(once);
  regress::model m2;
  try {
    m2 = regress::read_model(again, "<again>");
  } catch (const regress::error& e) {
    std::fprintf(stderr, "%s\n", e.what());
    finding("a model written from an accepted one does not read back");
  }
  if (written(m2) != once) finding("writing a model read back changes the file");
  return 0;
}
