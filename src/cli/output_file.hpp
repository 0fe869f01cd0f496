#pragma once
/// \file output_file.hpp
/// Writing the files a command is asked for (--save, --save-state, --svg).

#include <functional>
#include <ostream>
#include <string>

namespace regress::cli {

/// Writes a file atomically: to a temporary beside it, then rename. On any
/// failure the previous file is untouched and data_error is thrown.
void write_file_atomically(const std::string& path,
                           const std::function<void(std::ostream&)>& write);

}  // namespace regress::cli
