#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "messages.hpp"
#include "run.hpp"

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  std::vector<std::string> args(argv + 1, argv + argc);
  regress::cli::terminal term;
  term.stdout_is_tty = ::isatty(STDOUT_FILENO) == 1;
  term.stderr_is_tty = ::isatty(STDERR_FILENO) == 1;
  const char* no_color = std::getenv("NO_COLOR");
  term.no_color = no_color != nullptr && *no_color != '\0';
  const int code = regress::cli::run(args, std::cin, std::cout, std::cerr, term);
  std::cout.flush();
  if (!std::cout && code == 0) {
    // stdout could not be written (a full disk, a closed descriptor). A closed
    // pipe never gets here: SIGPIPE ends the process quietly, as for cat.
    regress::cli::report_error(std::cerr, "cannot write the result to standard output");
    return 1;
  }
  return code;
}
