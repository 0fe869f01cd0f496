#pragma once
/// \file file_checks.hpp
/// The checks every command makes on the files it is given before it reads
/// any of them: no output may be an input or another output.

#include <istream>
#include <string>
#include <vector>

namespace regress::cli {

/// A file named on the command line: how to call it in a message (a flag
/// such as "--save", or "the input") and its path ("-": standard input or
/// output).
struct named_file {
  std::string what;
  std::string path;
};

/// `path` with every symbolic link in its last component followed, relative
/// links read from the link's directory; the result may not exist yet (a
/// dangling link names the file to create). Throws data_error naming `path`
/// for a loop of links or a name too long for the system.
std::string follow_links(const std::string& path);

/// Refuses (usage_error, exit 2) an output that is one of the inputs or
/// another output (the same device and inode through any path: symbolic and
/// hard links, and standard input when `reads_stdin` and an input is "-"; or
/// the same path for outputs that do not exist yet), two outputs to standard
/// output, and an output that names a directory (ends in '/' or is one).
/// Throws data_error for an output path the system cannot resolve (a loop of
/// links, a name too long). Character devices such as /dev/null are shared
/// freely. Empty paths are skipped.
void check_files(const std::vector<named_file>& inputs, const std::vector<named_file>& outputs,
                 bool reads_stdin);

/// Throws data_error when `in` is the process's standard input and that is
/// a directory (`regress fit - < /tmp`), which no stream can read; when it
/// is a terminal, says on std::cerr how to end the input (note_terminal_input).
void check_stdin(std::istream& in);

}  // namespace regress::cli
