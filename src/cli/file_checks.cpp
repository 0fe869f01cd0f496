#include "file_checks.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <climits>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <system_error>

#include "messages.hpp"
#include "output_file.hpp"
#include "regress/error.hpp"

namespace regress::cli {

std::string follow_links(const std::string& path) {
  std::string p = path;
  // The kernel's own limit on links followed in one lookup (MAXSYMLINKS).
  for (int hops = 0; hops < 40; ++hops) {
    struct stat st {};
    if (::lstat(p.c_str(), &st) != 0) {
      if (errno == ENOENT || errno == ENOTDIR || errno == EACCES) return p;
      throw data_error("cannot use '" + path + "': " + std::strerror(errno) +
                       "; check the path (its links and the length of each name)");
    }
    if (!S_ISLNK(st.st_mode)) return p;
    std::array<char, PATH_MAX> target{};
    const ssize_t n = ::readlink(p.c_str(), target.data(), target.size() - 1);
    if (n < 0) return p;
    const std::string link(target.data(), static_cast<std::size_t>(n));
    const auto slash = p.rfind('/');
    p = link.front() == '/' || slash == std::string::npos ? link : p.substr(0, slash + 1) + link;
  }
  throw data_error("cannot use '" + path + "': " + std::strerror(ELOOP) +
                   "; check the path (its links and the length of each name)");
}

namespace {

/// What tells two files apart: the device and inode of an existing one, the
/// normalised path of one still to be created.
struct identity {
  bool is_stdout = false;
  bool exists = false;
  bool device = false;  ///< a character device: shared harmlessly (/dev/null)
  dev_t dev{};
  ino_t ino{};
  std::string name;  ///< for an output that does not exist yet
};

identity of_stat(const struct stat& st) {
  identity id;
  id.exists = true;
  id.device = S_ISCHR(st.st_mode);
  id.dev = st.st_dev;
  id.ino = st.st_ino;
  return id;
}

identity input_identity(const std::string& path, bool reads_stdin) {
  struct stat st {};
  if (path.empty() || path == "-") {
    if (reads_stdin && ::fstat(STDIN_FILENO, &st) == 0) return of_stat(st);
    return {};
  }
  // An input that cannot be looked at is reported when it is opened.
  if (::stat(path.c_str(), &st) == 0) return of_stat(st);
  return {};
}

identity output_identity(const named_file& f) {
  identity id;
  if (f.path == "-" || is_standard_output(f.path)) {
    id.is_stdout = true;
    return id;
  }
  struct stat st {};
  const bool found = ::stat(f.path.c_str(), &st) == 0;
  if (f.path.back() == '/' || (found && S_ISDIR(st.st_mode))) {
    std::string dir = f.path;
    if (dir.back() != '/') dir += '/';
    throw usage_error(f.what + " '" + f.path + "' names a directory; give a file name, such as '" +
                      dir + "out.json'");
  }
  if (found) return of_stat(st);
  // Not there yet (or not to be looked at): the path it would be created at.
  const std::string target = follow_links(f.path);
  // Absolute first: weakly_canonical leaves a relative path with no
  // existing prefix ("m.json") relative, unlike "./m.json".
  std::error_code ec;
  const auto absolute = std::filesystem::absolute(target, ec).lexically_normal();
  const auto full = std::filesystem::weakly_canonical(absolute, ec);
  id.name = ec ? absolute.string() : full.string();
  return id;
}

bool same(const identity& a, const identity& b) {
  if (a.exists && b.exists) return !a.device && !b.device && a.dev == b.dev && a.ino == b.ino;
  return !a.exists && !b.exists && !a.name.empty() && a.name == b.name;
}

std::string shown(const std::string& path) {
  return path.empty() || path == "-" ? std::string("standard input") : "'" + path + "'";
}

}  // namespace

void check_stdin(std::istream& in) {
  struct stat st {};
  if (&in == &std::cin && ::fstat(STDIN_FILENO, &st) == 0 && S_ISDIR(st.st_mode)) {
    throw data_error(
        "standard input is a directory; redirect a file (< data.csv) or pipe one in (cat data.csv "
        "| regress ...)");
  }
  // Only the process's own standard input can be a terminal (the tests pass
  // string streams); its error stream is then std::cerr.
  if (&in == &std::cin && ::isatty(STDIN_FILENO) == 1) note_terminal_input(std::cerr);
}

void check_files(const std::vector<named_file>& inputs, const std::vector<named_file>& outputs,
                 bool reads_stdin) {
  std::vector<named_file> given;
  std::vector<identity> out_ids;
  for (const auto& o : outputs) {
    if (o.path.empty()) continue;
    given.push_back(o);
    out_ids.push_back(output_identity(o));
  }
  for (std::size_t i = 0; i < given.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (out_ids[i].is_stdout && out_ids[j].is_stdout) {
        throw usage_error(given[j].what + " and " + given[i].what +
                          " both write to standard output; send at most one there");
      }
      if (same(out_ids[i], out_ids[j])) {
        throw usage_error(given[j].what + " '" + given[j].path + "' and " + given[i].what + " '" +
                          given[i].path + "' are the same file; give each its own name");
      }
    }
  }
  for (const auto& in : inputs) {
    const identity id = input_identity(in.path, reads_stdin);
    for (std::size_t i = 0; i < given.size(); ++i) {
      if (!out_ids[i].is_stdout && same(id, out_ids[i])) {
        throw usage_error(given[i].what + " '" + given[i].path + "' is the same file as " +
                          in.what + " (" + shown(in.path) +
                          "); choose another name (writing it would destroy the input)");
      }
    }
  }
}

}  // namespace regress::cli
