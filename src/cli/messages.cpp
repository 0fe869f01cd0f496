#include "messages.hpp"

namespace regress::cli {

void warn(std::ostream& err, std::string_view message) {
  err << "regress: warning: " << message << '\n';
}

void report_error(std::ostream& err, std::string_view message) {
  err << "regress: error: " << message << '\n';
}

}  // namespace regress::cli
