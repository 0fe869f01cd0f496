#pragma once
/// \file output_file.hpp
/// Writing the files a command is asked for (--save, --save-state, --svg).

#include <functional>
#include <ostream>
#include <string>

namespace regress::cli {

/// True when `path` names standard output: "-", or a path to the file that
/// standard output already is (/dev/stdout, /proc/self/fd/1, or the file the
/// shell redirected it to). An output file sent there takes standard output
/// alone: the command then prints no table of its own.
bool is_standard_output(const std::string& path);

/// Writes an output file as `write` renders it, so that nothing is lost:
///  - standard output (is_standard_output) is written as `out`;
///  - an existing file that is not a regular file (a device, a named pipe)
///    is written directly, as `cat > path` would, and not replaced;
///  - a symbolic link is followed, and its final target replaced (the link
///    stays);
///  - a regular file is replaced atomically: the text goes to a temporary
///    beside it, which takes the old file's mode and owner and is renamed
///    over it only once every byte is written and synced. Until then a
///    SIGINT, SIGTERM or SIGHUP removes the temporary (and then ends the
///    process as the signal would).
///
/// Every write is checked. On any failure (a write, the disk, the memory to
/// render the text, an exception from `write`) the temporary is removed, the
/// previous file is untouched and data_error is thrown (the exception from
/// `write` itself is rethrown).
void write_output(const std::string& path, std::ostream& out,
                  const std::function<void(std::ostream&)>& write);

/// write_output with standard output as std::cout.
void write_file_atomically(const std::string& path,
                           const std::function<void(std::ostream&)>& write);

}  // namespace regress::cli
