// Data inputs as text (data_input.hpp): what the first bytes say, the line
// filters, the delimiter.
#include "data_input.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "file_checks.hpp"
#include "messages.hpp"
#include "regress/error.hpp"
#include "regress/reading/table.hpp"

namespace regress::cli {

namespace {

/// The extension that says what a file holds: "data.tsv.gz" is a .tsv.
std::string content_extension(const std::string& path) {
  std::filesystem::path p(path);
  const std::string ext = p.extension().string();
  if (ext == ".gz" || ext == ".zst" || ext == ".xz") p = p.stem();
  return p.extension().string();
}

std::string delimiter_name(char d) {
  switch (d) {
    case ',':
      return "comma";
    case ';':
      return "semicolon";
    case '\t':
      return "tab";
    case '|':
      return "'|'";
    default:
      return std::string("'") + d + "'";
  }
}

std::string delimiter_flag(char d) {
  return d == '\t' ? "tab" : d == ';' ? "';'" : d == '|' ? "'|'" : std::string(1, d);
}

}  // namespace

char resolve_delimiter(const std::string& option, const std::string& path) {
  if (option.empty()) {
    const std::string ext = content_extension(path);
    return ext == ".tsv" || ext == ".TSV" ? '\t' : ',';
  }
  if (option == "tab" || option == "\\t" || option == "\t") return '\t';
  if (option.size() == 1 && option[0] != '"' && option[0] != '\n' && option[0] != '\r') {
    return option[0];
  }
  throw usage_error("--delimiter must be one character (or 'tab'); got '" + option + "'");
}

text_filters filters_of(const data_options& o) {
  text_filters f;
  f.skip_lines = o.skip;
  if (!o.comment.empty()) {
    if (o.comment.size() != 1 || o.comment[0] == '"' || o.comment[0] == '\n' ||
        o.comment[0] == '\r') {
      throw usage_error(
          "--comment must be one character that starts a comment line, such as "
          "'#'; got '" +
          o.comment + "'");
    }
    f.comment = o.comment[0];
  }
  f.decimal_comma = o.decimal_comma;
  return f;
}

data_input open_data(const data_options& o, const std::string& path, std::istream& in,
                     std::ostream* err, bool line_by_line) {
  const text_filters filters = filters_of(o);
  data_input d;
  std::streambuf* src = nullptr;
  if (path.empty() || path == "-") {
    check_stdin(in);
    d.name = "<stdin>";
    src = in.rdbuf();
  } else {
    std::error_code ec;  // a loop of links or a long name: the open's error below
    if (std::filesystem::is_directory(path, ec)) {
      throw data_error("'" + path + "' is a directory; give a CSV file");
    }
    d.file = std::make_unique<std::ifstream>(path, std::ios::binary);
    if (!*d.file) {
      throw data_error("cannot open '" + path + "': " + std::strerror(errno) +
                       "; check the path, or use - to read standard input");
    }
    d.name = path;
    src = d.file->rdbuf();
  }
  head_size head;
  if (line_by_line) head.lines = 1;
  d.text = std::make_unique<text_input>(*src, d.name, filters, head);
  const bool named = !(path.empty() || path == "-");
  const char by_name = named ? resolve_delimiter("", path) : ',';
  if (!o.delimiter.empty()) {
    d.delimiter = resolve_delimiter(o.delimiter, path);
  } else {
    d.delimiter = detect_delimiter(d.text->head()).value_or(by_name);
    if (d.delimiter != by_name && err != nullptr) {
      warn(*err, "reading " + (named ? "'" + path + "'" : std::string("standard input")) + " as " +
                     delimiter_name(d.delimiter) +
                     "-separated (so its first lines look); give --delimiter " +
                     delimiter_flag(d.delimiter) + " to say so and silence this");
    }
  }
  if (filters.decimal_comma && d.delimiter == ',') {
    throw usage_error("--decimal-comma needs fields separated by ';' or tab, and " + d.name +
                      " is read as comma-separated; give --delimiter ';' (or tab) if it is not");
  }
  return d;
}

engine_input open_engine_input(const data_options& o, std::istream& in, std::ostream& err) {
  engine_input e;
  const bool from_stdin = o.file.empty() || o.file == "-";
  struct stat st {};
  const bool regular =
      !from_stdin && ::stat(o.file.c_str(), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0;
  const text_filters filters = filters_of(o);
  if (!from_stdin && !regular && !filters.any()) {
    // A named pipe or a device is read once, by the engine, which finds a
    // compression too; its delimiter goes by its name.
    e.delimiter = resolve_delimiter(o.delimiter, o.file);
    return e;
  }
  e.stream = std::make_unique<data_input>(open_data(o, o.file, in, &err, false));
  e.delimiter = e.stream->delimiter;
  if (regular && !filters.any() && e.stream->text->packing() == compression::none) {
    e.stream.reset();  // mapped by the engine, faster than any stream
  }
  return e;
}

void warn_shadowed_indices(const data_options& o, const std::vector<std::string>& header,
                           std::ostream& err) {
  std::vector<std::string> items = o.predictors;
  if (!o.response.empty()) items.insert(items.begin(), o.response);
  for (const auto& item : items) {
    if (!name_shadows_index(header, item)) continue;
    warn(err, "'" + item + "' is read as the column named so, not as column " + item +
                  " (a header name wins over an index); rename the column to choose by index");
  }
}

void add_text_options(CLI::App& app, data_options& o) {
  app.add_option("--skip", o.skip,
                 "Skip this many lines before the header (a title, a note), e.g. --skip 2");
  app.add_option("--comment", o.comment,
                 "Skip lines that start with this character, e.g. --comment '#'");
  app.add_flag("--decimal-comma", o.decimal_comma,
               "Read 1,5 as 1.5 (fields separated by ';' or tab, as in much of Europe)");
}

}  // namespace regress::cli
