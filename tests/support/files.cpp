#include "support/files.hpp"

#include <stdlib.h>  // mkdtemp, mkstemps (POSIX)
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <system_error>

namespace test_support {

std::string repo_path(const std::string& relative) {
  return std::string(REGRESS_TEST_DATA_DIR) + "/../" + relative;
}
std::string cars() { return repo_path("data/cars.csv"); }
std::string mtcars() { return repo_path("data/mtcars.csv"); }
std::string pressure() { return repo_path("data/pressure.csv"); }
std::string challenger() { return repo_path("data/challenger.csv"); }

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

scratch_dir::scratch_dir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "regress_test_XXXXXX").string();
  if (::mkdtemp(tmpl.data()) == nullptr) FAIL("mkdtemp failed: " << std::strerror(errno));
  path_ = tmpl;
}

scratch_dir::~scratch_dir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::string scratch_dir::write(const std::string& name, const std::string& text) const {
  std::ofstream(file(name), std::ios::binary) << text;
  return file(name);
}

temp_file::temp_file(const std::string& contents) {
  std::string tmpl = (std::filesystem::temp_directory_path() / "regress_test_XXXXXX.csv").string();
  const int fd = ::mkstemps(tmpl.data(), 4);
  if (fd < 0) FAIL("mkstemps failed: " << std::strerror(errno));
  ::close(fd);
  path_ = tmpl;
  std::ofstream(path_, std::ios::binary) << contents;
}

temp_file::~temp_file() {
  std::error_code ignored;
  std::filesystem::remove(path_, ignored);
}

std::string plane_csv(int rows) {
  std::string s = "x1,x2,y\n";
  for (int i = 0; i < rows; ++i) {
    const double x1 = i * 0.37 - 50, x2 = (i * 7919 % 1000) / 10.0;
    s += std::to_string(x1) + "," + std::to_string(x2) + "," +
         std::to_string(1.5 + 2 * x1 - 0.25 * x2 +
                        static_cast<double>((i * 104729LL) % 17 - 8) * 0.1) +
         "\n";
  }
  return s;
}

}  // namespace test_support
