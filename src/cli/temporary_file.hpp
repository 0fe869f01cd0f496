#pragma once
/// \file temporary_file.hpp
/// The temporary file an output is written to before it is renamed over the
/// target, removed on failure and on SIGINT, SIGTERM and SIGHUP.

#include <string>

namespace regress::cli {

/// A temporary file beside a target (".NAME.tmp.XXXXXX" in the target's
/// directory), created 0600. While it exists a handler for SIGINT, SIGTERM
/// and SIGHUP (installed on first use, unless the signal is ignored) removes
/// it and ends the process by the signal. Removed on destruction unless
/// committed.
class temporary_file {
 public:
  /// Creates the file. Throws data_error naming `target` when it cannot.
  explicit temporary_file(const std::string& target);
  ~temporary_file();
  temporary_file(const temporary_file&) = delete;
  temporary_file& operator=(const temporary_file&) = delete;

  /// The open descriptor (-1 once closed).
  [[nodiscard]] int fd() const { return fd_; }
  /// Closes the file; errno on failure, else 0.
  int close();
  /// Renames the file to `target`; errno on failure, else 0.
  int commit(const std::string& target);

 private:
  std::string path_;
  int fd_ = -1;
  bool committed_ = false;
};

}  // namespace regress::cli
