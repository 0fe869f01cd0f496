#pragma once
/// \file text_input.hpp
/// The bytes of an input on their way to a CSV reader: recognised by their
/// first bytes (gzip, zstd and xz are decompressed on a thread of their own;
/// other compressed or binary formats are refused with one clear message),
/// filtered (lines skipped before the header, comment lines, decimal commas)
/// and with their first lines kept for a look (the delimiter).
///
/// Filtered lines keep their line break, and a decimal comma becomes one
/// dot, so every line and column number in a later message is the file's.

#include <cstddef>
#include <istream>
#include <memory>
#include <optional>
#include <streambuf>
#include <string>
#include <string_view>

namespace regress {

/// How an input's bytes are packed.
enum class compression { none, gzip, zstd, xz };

/// The tool's name of a compression ("gzip", "zstd", "xz"; "none").
const char* compression_name(compression c);

/// Which supported compression `first` (an input's first bytes, at least 6
/// unless the input is shorter) starts with; none for anything else. Throws
/// data_error naming `source` when they are the start of a format regress
/// cannot read (bzip2, zip or an Excel workbook, 7z, lz4, rar, PDF, ...),
/// saying what to do ("looks like a bzip2 file; decompress it first").
compression sniff_compression(std::string_view first, const std::string& source);

/// Throws data_error naming `source` when `head`, an input's first bytes as
/// text, looks binary: a NUL byte in its first line (UTF-16 text included,
/// said so), or mostly control characters.
void check_text(std::string_view head, const std::string& source);

/// What is done to the text before a reader sees it.
struct text_filters {
  /// Lines before the header that are dropped (a title, a note).
  std::size_t skip_lines = 0;
  /// Lines starting with this character are dropped; '\0': none.
  char comment = '\0';
  /// After the header, a comma outside quotes is a decimal comma and is read
  /// as a dot (for files whose delimiter is not a comma).
  bool decimal_comma = false;
  /// Whether anything is done at all.
  bool any() const { return skip_lines > 0 || comment != '\0' || decimal_comma; }
};

/// How much of the start of an input text_input keeps for a look: up to
/// `bytes` bytes or `lines` whole lines, whichever comes first (a stream
/// read line by line, standard input answering as it goes, needs 1).
struct head_size {
  std::size_t bytes = 64 * 1024;
  std::size_t lines = 50;
};

/// An input as text (see the file's comment). Reads `src` (not owned; it
/// must outlive this) through a chain of buffers: the compression is known
/// from the first bytes, read one at a time so that an interactive stream is
/// never waited on for more than it has sent. A decompression error (corrupt
/// or truncated data) is thrown as data_error by the reads that reach it,
/// after every byte decoded before it, through stream() as well (its
/// exception mask holds badbit).
class text_input {
 public:
  /// Throws data_error naming `source` for an unsupported or binary format
  /// (sniff_compression, check_text).
  text_input(std::streambuf& src, const std::string& source, const text_filters& filters,
             head_size head = {});
  text_input(const text_input&) = delete;
  text_input& operator=(const text_input&) = delete;
  /// Stops the decompression thread (if any) and waits for it.
  ~text_input();
  /// The text, from its first byte (the head included).
  std::istream& stream();
  /// The first bytes of the text, filtered (see head_size).
  std::string_view head() const;
  /// How the input was packed.
  compression packing() const;

 private:
  struct chain;
  std::unique_ptr<chain> chain_;
};

/// The delimiter `head` (the first lines of a text) uses: of comma,
/// semicolon, tab and '|', the one that splits the header into more than one
/// field and every whole line after it into as many (quotes respected), the
/// most fields winning and a tie going in that order; when no line but the
/// header is whole, the one splitting the header most. Nothing when none
/// splits the header.
std::optional<char> detect_delimiter(std::string_view head);

}  // namespace regress
