#pragma once
/// \file data_input.hpp
/// Data inputs as text: compressed files and streams decompressed, binary
/// ones refused, the --skip/--comment/--decimal-comma filters applied, and
/// the delimiter detected from the first lines when --delimiter is not given.

#include <fstream>
#include <istream>
#include <memory>
#include <ostream>
#include <string>

#include "common.hpp"
#include "regress/reading/text_input.hpp"

namespace regress::cli {

/// A data input opened as text.
struct data_input {
  std::unique_ptr<std::ifstream> file;  ///< the file, when not standard input
  std::unique_ptr<text_input> text;
  std::string name;  ///< as shown in messages ("<stdin>" for standard input)
  char delimiter = ',';
  /// The text, from its first byte.
  std::istream& stream() { return text->stream(); }
};

/// The filters of --skip, --comment and --decimal-comma. Throws usage_error
/// for a --comment that is not one character (or is a quote).
text_filters filters_of(const data_options& o);

/// Opens `path` ("-" or empty: `in`) as text and decides its delimiter:
/// --delimiter, else the one its first lines use (detect_delimiter), else
/// comma (tab for a .tsv name, a compression suffix aside). When a detected
/// delimiter is not the name's and `err` is given, says so there.
/// `line_by_line`: look at the header line only (a stream that answers as it
/// goes is not waited on). Throws data_error for a file that cannot be
/// opened or is binary, usage_error for --decimal-comma with commas.
data_input open_data(const data_options& o, const std::string& path, std::istream& in,
                     std::ostream* err, bool line_by_line);

/// The engine's input: the stream to read, or none when the engine maps
/// `o.file` itself (a plain regular file, nothing to filter).
struct engine_input {
  std::unique_ptr<data_input> stream;
  char delimiter = ',';
};
/// Opens the data of `o` for the engine (see engine_input); standard input,
/// a compressed file and a filtered one are read as streams. Warns on `err`
/// as open_data.
engine_input open_engine_input(const data_options& o, std::istream& in, std::ostream& err);

/// Warns on `err` for each -y/-x item that names a column whose name is a
/// number and also the index of another column: the name wins.
void warn_shadowed_indices(const data_options& o, const std::vector<std::string>& header,
                           std::ostream& err);

/// Adds --skip, --comment and --decimal-comma to `app`.
void add_text_options(CLI::App& app, data_options& o);

}  // namespace regress::cli
