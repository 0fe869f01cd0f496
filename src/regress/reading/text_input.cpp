// An input's bytes on their way to a reader: the format from the first
// bytes, the decompression, the line filters and the head kept for a look.
#include "regress/reading/text_input.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <utility>
#include <vector>

#include "decompress.hpp"
#include "regress/error.hpp"

namespace regress {

namespace reading {

filter_buf::filter_buf(std::streambuf& src, const text_filters& filters)
    : src_(src), filters_(filters), to_skip_(filters.skip_lines), in_(1 << 16), out_(1 << 16) {}

filter_buf::int_type filter_buf::underflow() {
  if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
  // Dropped lines keep their line breaks, so the reader's line numbers stay
  // the file's; a decimal comma becomes one dot, so its columns do too.
  for (;;) {
    const std::streamsize n = read_some(src_, in_.data(), static_cast<std::streamsize>(in_.size()));
    if (n <= 0) return traits_type::eof();
    std::size_t o = 0;
    for (std::streamsize i = 0; i < n; ++i) {
      char c = in_[static_cast<std::size_t>(i)];
      if (to_skip_ > 0 || dropping_) {
        if (c != '\n') continue;
        if (to_skip_ > 0) {
          --to_skip_;
        } else {
          dropping_ = false;
        }
        out_[o++] = c;
        line_start_ = true;
        continue;
      }
      if (line_start_ && !quoted_ && filters_.comment != '\0' && c == filters_.comment) {
        dropping_ = true;
        continue;
      }
      if (c == '"') quoted_ = !quoted_;
      if (c == ',' && filters_.decimal_comma && header_done_ && !quoted_) c = '.';
      if (c == '\n' && !quoted_) {
        header_done_ = header_done_ || line_has_text_;
        line_has_text_ = false;
        line_start_ = true;
      } else {
        line_start_ = false;
        line_has_text_ = line_has_text_ || c != '\r';
      }
      out_[o++] = c;
    }
    if (o > 0) {
      setg(out_.data(), out_.data(), out_.data() + o);
      return traits_type::to_int_type(*gptr());
    }
  }
}

std::streamsize filter_buf::showmanyc() { return src_.in_avail(); }

}  // namespace reading

const char* compression_name(compression c) {
  switch (c) {
    case compression::gzip:
      return "gzip";
    case compression::zstd:
      return "zstd";
    case compression::xz:
      return "xz";
    case compression::none:
      break;
  }
  return "none";
}

namespace {

struct magic {
  std::string_view bytes;
  const char* what;  // an unsupported format's message; null: supported
  compression kind;
};

// The formats people hand to a CSV tool by mistake, by their first bytes.
constexpr std::array<magic, 14> magics{{
    {{"\x1f\x8b", 2}, nullptr, compression::gzip},
    {{"\x28\xb5\x2f\xfd", 4}, nullptr, compression::zstd},
    {{"\xfd"
      "7zXZ\x00",
      6},
     nullptr,
     compression::xz},
    {"BZh",
     "looks like a bzip2 file; decompress it first (bunzip2 -k FILE), or pipe it: bzcat FILE | "
     "regress ...",
     compression::none},
    {{"PK\x03\x04", 4},
     "looks like a zip archive (an .xlsx or .ods workbook is one); unzip it, or export the sheet "
     "as CSV, first",
     compression::none},
    {{"PK\x05\x06", 4}, "looks like an empty zip archive; give a CSV file", compression::none},
    {{"7z\xbc\xaf\x27\x1c", 6},
     "looks like a 7z archive; extract it first (7z x FILE)",
     compression::none},
    {{"\x04\x22\x4d\x18", 4},
     "looks like an lz4 file; decompress it first (lz4 -d FILE), or pipe it: lz4cat FILE | regress "
     "...",
     compression::none},
    {"Rar!", "looks like a rar archive; extract it first", compression::none},
    {{"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8},
     "looks like an old Excel (.xls) or other Office file; export the sheet as CSV first",
     compression::none},
    {"%PDF", "looks like a PDF document, not CSV text; export the table as CSV first",
     compression::none},
    {"\x7f"
     "ELF",
     "looks like a program (ELF), not CSV text; give a CSV file", compression::none},
    {"\x89PNG", "looks like a PNG image, not CSV text; give a CSV file", compression::none},
    {"PAR1", "looks like a Parquet file; convert it to CSV first", compression::none},
}};

constexpr std::size_t longest_magic = 8;

/// Whether `prefix` is the start of some magic (more bytes could match).
bool could_be_magic(std::string_view prefix) {
  return std::any_of(magics.begin(), magics.end(), [&](const magic& m) {
    return m.bytes.size() > prefix.size() && m.bytes.substr(0, prefix.size()) == prefix;
  });
}

}  // namespace

compression sniff_compression(std::string_view first, const std::string& source) {
  for (const magic& m : magics) {
    if (first.substr(0, m.bytes.size()) != m.bytes) continue;
    // "BZh" then a block size digit: a header row "BZh,..." is text.
    if (m.bytes == "BZh" && (first.size() < 4 || first[3] < '1' || first[3] > '9')) continue;
    if (m.what == nullptr) return m.kind;
    throw data_error(m.what, source);
  }
  return compression::none;
}

void check_text(std::string_view head, const std::string& source) {
  const std::size_t line_end = std::min(head.find('\n'), head.size());
  const std::string_view first = head.substr(0, line_end);
  if (first.find('\0') == std::string_view::npos) {
    std::size_t control = 0;
    for (const char c : head) {
      const auto u = static_cast<unsigned char>(c);
      control += u < 0x20 && u != '\t' && u != '\n' && u != '\r' && u != '\f' ? 1 : 0;
    }
    if (head.size() < 64 || control * 4 < head.size()) return;
  }
  const bool utf16 = head.size() >= 4 && ((head[0] == '\xff' && head[1] == '\xfe') ||
                                          (head[0] == '\xfe' && head[1] == '\xff') ||
                                          (head[0] != '\0' && head[1] == '\0' && head[3] == '\0'));
  if (utf16) {
    throw data_error(
        "looks like UTF-16 text; convert it to UTF-8 first (iconv -f UTF-16 -t UTF-8 FILE)",
        source);
  }
  throw data_error(
      "looks like a binary file (NUL or control bytes near its start), not CSV text; give a CSV "
      "file, or decompress or export it first",
      source);
}

struct text_input::chain {
  std::unique_ptr<reading::prefixed_buf> raw;
  std::unique_ptr<reading::decompress_buf> decoded;
  std::unique_ptr<reading::filter_buf> filtered;
  std::unique_ptr<reading::prefixed_buf> top;
  std::istream stream{nullptr};
  std::string head;
  compression kind = compression::none;
};

text_input::text_input(std::streambuf& src, const std::string& source, const text_filters& filters,
                       head_size head)
    : chain_(std::make_unique<chain>()) {
  // The first bytes one at a time, only while they may still be a magic:
  // a line typed at a terminal is not waited on.
  std::string first;
  while (first.size() < longest_magic && could_be_magic(first)) {
    const auto c = src.sbumpc();
    if (std::streambuf::traits_type::eq_int_type(c, std::streambuf::traits_type::eof())) break;
    first += std::streambuf::traits_type::to_char_type(c);
  }
  if (first.size() == 3 && first == "BZh") {  // the block size digit decides
    const auto c = src.sbumpc();
    if (!std::streambuf::traits_type::eq_int_type(c, std::streambuf::traits_type::eof())) {
      first += std::streambuf::traits_type::to_char_type(c);
    }
  }
  chain_->kind = sniff_compression(first, source);
  chain_->raw = std::make_unique<reading::prefixed_buf>(src, std::move(first));
  std::streambuf* text = chain_->raw.get();
  if (chain_->kind != compression::none) {
    chain_->decoded = std::make_unique<reading::decompress_buf>(*text, chain_->kind, source);
    text = chain_->decoded.get();
  }
  if (filters.any()) {
    chain_->filtered = std::make_unique<reading::filter_buf>(*text, filters);
    text = chain_->filtered.get();
  }
  std::string& h = chain_->head;
  std::size_t lines = 0;
  std::vector<char> piece(4096);
  while (h.size() < head.bytes && lines < head.lines) {
    const std::streamsize want = static_cast<std::streamsize>(
        std::min(piece.size(), head.lines == 1 ? std::size_t(1) : head.bytes - h.size()));
    const std::streamsize n = reading::read_some(*text, piece.data(), want);
    if (n <= 0) break;
    const auto got = static_cast<std::size_t>(n);
    lines += static_cast<std::size_t>(std::count(piece.data(), piece.data() + got, '\n'));
    h.append(piece.data(), got);
  }
  check_text(h, source);
  chain_->top = std::make_unique<reading::prefixed_buf>(*text, h);
  chain_->stream.rdbuf(chain_->top.get());
  chain_->stream.exceptions(std::ios::badbit);
}

text_input::~text_input() = default;

std::istream& text_input::stream() { return chain_->stream; }
std::string_view text_input::head() const { return chain_->head; }
compression text_input::packing() const { return chain_->kind; }

namespace {
/// The fields of each line of `head` split by `d` (quotes respected); the
/// last line only when it ends in a line break. Blank lines are left out.
std::vector<std::size_t> field_counts(std::string_view head, char d) {
  std::vector<std::size_t> counts;
  std::size_t fields = 1;
  bool quoted = false;
  bool text = false;
  for (const char c : head) {
    if (c == '"') quoted = !quoted;
    if (quoted) {
      text = true;
      continue;
    }
    if (c == d) ++fields;
    if (c == '\n') {
      if (text) counts.push_back(fields);
      fields = 1;
      text = false;
    } else if (c != '\r') {
      text = true;
    }
  }
  if (counts.empty() && text) counts.push_back(fields);  // a header alone, unfinished
  return counts;
}
}  // namespace

std::optional<char> detect_delimiter(std::string_view head) {
  constexpr std::array<char, 4> candidates{',', ';', '\t', '|'};
  std::optional<char> best;
  std::size_t best_fields = 1;
  bool best_consistent = false;
  for (const char d : candidates) {
    const std::vector<std::size_t> counts = field_counts(head, d);
    if (counts.empty() || counts[0] < 2) continue;
    const bool consistent =
        std::all_of(counts.begin(), counts.end(), [&](std::size_t n) { return n == counts[0]; });
    // A delimiter that splits every line alike beats one that does not;
    // then more fields win, the earlier candidate on a tie.
    if ((consistent && !best_consistent) ||
        (consistent == best_consistent && counts[0] > best_fields)) {
      best = d;
      best_fields = counts[0];
      best_consistent = consistent;
    }
  }
  return best;
}

}  // namespace regress
