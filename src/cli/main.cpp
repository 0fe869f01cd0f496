#include <iostream>
#include <string>
#include <vector>

#include "run.hpp"

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  std::vector<std::string> args(argv + 1, argv + argc);
  const int code = regress::cli::run(args, std::cin, std::cout, std::cerr);
  std::cout.flush();
  if (!std::cout && code == 0) {
    // stdout could not be written (a full disk, a closed descriptor). A closed
    // pipe never gets here: SIGPIPE ends the process quietly, as for cat.
    std::cerr << "regress: error: cannot write the result to standard output\n";
    return 1;
  }
  return code;
}
