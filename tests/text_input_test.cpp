// text_input: the format from the first bytes, decompression on a thread of
// its own (gzip, zstd and xz made here with the libraries themselves), the
// line filters, the head, and the delimiter found from the first lines; and
// column lists (resolve_columns, did_you_mean).

#include "regress/reading/text_input.hpp"

#include <lzma.h>
#include <zlib.h>
#include <zstd.h>

#include <catch2/catch.hpp>
#include <iterator>
#include <sstream>
#include <string>

#include "regress/error.hpp"
#include "regress/reading/table.hpp"

using namespace regress;

namespace {

std::string gzip(const std::string& text) {
  z_stream z{};
  REQUIRE(deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK);
  std::string out(deflateBound(&z, static_cast<uLong>(text.size())) + 32, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  z.avail_in = static_cast<uInt>(text.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  REQUIRE(deflate(&z, Z_FINISH) == Z_STREAM_END);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

std::string zstd(const std::string& text) {
  std::string out(ZSTD_compressBound(text.size()), '\0');
  const std::size_t n = ZSTD_compress(out.data(), out.size(), text.data(), text.size(), 3);
  REQUIRE(ZSTD_isError(n) == 0);
  out.resize(n);
  return out;
}

std::string xz(const std::string& text) {
  std::string out(lzma_stream_buffer_bound(text.size()), '\0');
  std::size_t pos = 0;
  REQUIRE(lzma_easy_buffer_encode(6, LZMA_CHECK_CRC64, nullptr,
                                  reinterpret_cast<const std::uint8_t*>(text.data()), text.size(),
                                  reinterpret_cast<std::uint8_t*>(out.data()), &pos,
                                  out.size()) == LZMA_OK);
  out.resize(pos);
  return out;
}

/// Everything text_input gives for `bytes`.
std::string read_all(const std::string& bytes, const text_filters& f = {}) {
  std::stringbuf src(bytes);
  text_input text(src, "t.csv", f);
  return std::string(std::istreambuf_iterator<char>(text.stream()), {});
}

/// Some megabytes of numbered lines.
std::string big_text() {
  std::string s = "i,square\n";
  for (int i = 0; i < 300000; ++i)
    s += std::to_string(i) + "," + std::to_string(static_cast<long long>(i) * i) + "\n";
  return s;
}

}  // namespace

TEST_CASE("text_input decompresses gzip, zstd and xz, found by their first bytes", "[text_input]") {
  const std::string text = big_text();
  CHECK(read_all(text) == text);
  for (const auto& packed : {gzip(text), zstd(text), xz(text)}) {
    std::stringbuf src(packed);
    text_input in(src, "t", {});
    CHECK(in.packing() != compression::none);
    CHECK(in.head().substr(0, 9) == "i,square\n");
    const std::string got(std::istreambuf_iterator<char>(in.stream()), {});
    CHECK(got == text);
  }
  // Members and frames one after the other are one text, as the tools read them.
  CHECK(read_all(gzip("a,b\n") + gzip("1,2\n")) == "a,b\n1,2\n");
  CHECK(read_all(zstd("a,b\n") + zstd("1,2\n")) == "a,b\n1,2\n");
  CHECK(read_all(xz("a,b\n") + xz("1,2\n")) == "a,b\n1,2\n");
}

TEST_CASE("text_input throws data_error for truncated or corrupt compressed data", "[text_input]") {
  const std::string text = big_text();
  for (const auto& packed : {gzip(text), zstd(text), xz(text)}) {
    const std::string cut = packed.substr(0, packed.size() / 2);
    CHECK_THROWS_WITH(read_all(cut), Catch::Contains("data end early"));
    std::string bad = packed;
    for (std::size_t i = bad.size() / 3; i < bad.size() / 3 + 64; ++i) bad[i] = 'X';
    CHECK_THROWS_AS(read_all(bad), data_error);
    // A reader that stops early (an error in the header) leaves no thread behind.
    std::stringbuf src(packed);
    text_input stopped(src, "t", {});
    CHECK(stopped.stream().get() == 'i');
  }
}

TEST_CASE("Unsupported formats and binary bytes are refused by name", "[text_input]") {
  CHECK_THROWS_WITH(read_all("BZh91AY&SY"),
                    Catch::StartsWith("t.csv: looks like a bzip2 file; decompress it first"));
  CHECK(read_all("BZh,x\n1,2\n") == "BZh,x\n1,2\n");  // a header that only starts alike
  CHECK_THROWS_WITH(read_all(std::string("PK\x03\x04rest", 8)), Catch::Contains("zip archive"));
  CHECK_THROWS_WITH(read_all(std::string("a\0b\n", 4)), Catch::Contains("binary file"));
  // A NUL byte further on is a cell's business, not the file's.
  CHECK(read_all(std::string("a,b\n1,\0\n", 8)) == std::string("a,b\n1,\0\n", 8));
  CHECK(sniff_compression("", "t") == compression::none);
  CHECK(sniff_compression("\x1f\x8b", "t") == compression::gzip);
}

TEST_CASE("text_input skips lines and comments and reads decimal commas, keeping line breaks",
          "[text_input]") {
  text_filters f;
  f.skip_lines = 2;
  f.comment = '#';
  const std::string in = "title, \"with a quote\nunits;kg\na;b\n#note\n1;2\n# x;\"y\n3;4\n";
  CHECK(read_all(in, f) == "\n\na;b\n\n1;2\n\n3;4\n");
  text_filters d;
  d.decimal_comma = true;
  CHECK(read_all("a,1;b\n1,5;\"x,y\"\n\n-2,25;z\n", d) == "a,1;b\n1.5;\"x,y\"\n\n-2.25;z\n");
  // A comment character inside a quoted field spanning lines is text.
  text_filters c;
  c.comment = '#';
  CHECK(read_all("a,b\n\"x\n#y\",1\n", c) == "a,b\n\"x\n#y\",1\n");
}

TEST_CASE("The delimiter is the one that splits the first lines alike", "[text_input]") {
  CHECK(detect_delimiter("a,b\n1,2\n") == ',');
  CHECK(detect_delimiter("a;b\n1,5;2,5\n3;4\n") == ';');
  CHECK(detect_delimiter("a\tb\tc\n1,5\t2\t3\n") == '\t');
  CHECK(detect_delimiter("a|b\n1|2\n") == '|');
  CHECK(detect_delimiter("\"a;x\",b\n1,2\n") == ',');  // quotes respected
  CHECK(detect_delimiter("a,b;c\n1,2;3\n") == ',');    // a tie goes to the comma
  CHECK(detect_delimiter("a;b;c") == ';');             // the header alone
  CHECK_FALSE(detect_delimiter("y\n1\n2\n").has_value());
  CHECK_FALSE(detect_delimiter("").has_value());
}

TEST_CASE("Column lists trim spaces, take ranges and suggest close names", "[table][text_input]") {
  const std::vector<std::string> header{"Ozone", "Solar.R", " Wind", "Temp", "Month"};
  CHECK(resolve_columns(header, " Temp ") == std::vector<std::size_t>{3});
  CHECK(resolve_columns(header, "Wind") == std::vector<std::size_t>{2});
  CHECK(resolve_columns(header, "2-4") == std::vector<std::size_t>{1, 2, 3});
  CHECK(resolve_columns(header, " 5 ") == std::vector<std::size_t>{4});
  CHECK_THROWS_WITH(resolve_columns(header, "3-9"), Catch::Contains("not within 1-5"));
  CHECK_THROWS_WITH(resolve_columns(header, "wnd"), Catch::Contains("did you mean ' Wind'?"));
  CHECK(did_you_mean(header, "month") == "; did you mean 'Month'?");
  CHECK(did_you_mean(header, "Tmp") == "; did you mean 'Temp'?");
  CHECK(did_you_mean(header, "pressure").empty());
  CHECK(did_you_mean({"x1", "x2", "y"}, "x3") == "; did you mean 'x1' or 'x2'?");
  CHECK(name_shadows_index({"y", "1", "2"}, "2"));
  CHECK_FALSE(name_shadows_index({"y", "x"}, "2"));
  CHECK_FALSE(name_shadows_index({"y", "2"}, "2"));  // the same column either way
}
