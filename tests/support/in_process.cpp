#include "support/in_process.hpp"

#include <sstream>

#include "cli/run.hpp"

namespace test_support {

run_outcome run_regress(const std::vector<std::string>& args, const std::string& input) {
  std::istringstream in(input);
  std::ostringstream out, err;
  run_outcome r;
  r.code = regress::cli::run(args, in, out, err);
  r.out = out.str();
  r.err = err.str();
  return r;
}

}  // namespace test_support
