#pragma once
/// \file files.hpp
/// Where the test data live, and temporary files and directories that clean
/// up after themselves. Used by the library tests and by both CLI harnesses.

#include <string>

namespace test_support {

/// `relative` (e.g. "data/cars.csv") as a path in the source tree; the tree is
/// found from REGRESS_TEST_DATA_DIR, which CMake sets to tests/.
std::string repo_path(const std::string& relative);

/// The shipped data sets in data/ (R's cars, mtcars and pressure, and the
/// Challenger O-ring data), as absolute paths.
std::string cars();
std::string mtcars();
std::string pressure();
std::string challenger();

/// The whole content of the file at `path`, bytes as they are; empty if it
/// cannot be read.
std::string read_file(const std::string& path);

/// A directory made with mkdtemp in the system's temporary directory, removed
/// with everything in it when the object goes. Fails the test (Catch's FAIL)
/// when no directory can be made.
class scratch_dir {
 public:
  scratch_dir();
  ~scratch_dir();
  scratch_dir(const scratch_dir&) = delete;
  scratch_dir& operator=(const scratch_dir&) = delete;

  /// The directory's absolute path.
  const std::string& path() const { return path_; }
  /// The absolute path of `name` in the directory (which need not exist).
  std::string file(const std::string& name) const { return path_ + "/" + name; }
  /// Writes `text` to `name` in the directory; returns the full path.
  std::string write(const std::string& name, const std::string& text) const;
  /// The content of `name` in the directory, or empty.
  std::string read(const std::string& name) const { return read_file(file(name)); }

 private:
  std::string path_;
};

/// One file holding `contents`, made with mkstemps in the system's temporary
/// directory with a ".csv" suffix, removed when the object goes. Its path has
/// no ':' in it, so a message "PATH:LINE:COLUMN: ..." can be cut at the first
/// ':'. Fails the test (Catch's FAIL) when no file can be made.
class temp_file {
 public:
  explicit temp_file(const std::string& contents);
  ~temp_file();
  temp_file(const temp_file&) = delete;
  temp_file& operator=(const temp_file&) = delete;

  /// The file's absolute path.
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

/// Deterministic CSV "x1,x2,y" with `rows` rows of y = 1.5 + 2 x1 - 0.25 x2
/// plus a small repeating error: large enough data for the engine's threads
/// and for splitting into shards.
std::string plane_csv(int rows);

}  // namespace test_support
