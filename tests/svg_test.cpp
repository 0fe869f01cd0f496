#include "regress/pictures/svg.hpp"

#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <catch2/catch.hpp>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "regress/analyses/check_plot.hpp"
#include "regress/error.hpp"
#include "regress/pictures/check_picture.hpp"
#include "regress/pictures/plot.hpp"

using namespace regress;

namespace {

// The line of the fixed dataset and its bands (see plot_test.cpp): fit
// 1.6 + 1.55 x, half-widths 1.8 sqrt(c + (x - 5.5)^2 / 82.5).
double fit_at(double x) { return 1.6 + 1.55 * x; }
double conf_half(double x) { return 1.8 * std::sqrt(0.1 + (x - 5.5) * (x - 5.5) / 82.5); }
double pred_half(double x) { return 1.8 * std::sqrt(1.1 + (x - 5.5) * (x - 5.5) / 82.5); }

/// A rect element as the SVG writes one (coordinates with 2 decimals).
std::string fmt_rect(double x, double y, double w, double h) {
  char buf[160];
  std::snprintf(buf, sizeof buf, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\"/>", x,
                y, w, h);
  return buf;
}

plot_data sample() {
  plot_data d;
  d.title = "stopping distance";
  d.x_label = "speed";
  d.y_label = "dist";
  const double ys[] = {3.1, 5.6, 6.2, 8.4, 9.1, 11.5, 12.0, 14.3, 15.2, 16.9};
  for (int i = 1; i <= 10; ++i) {
    d.point_x.push_back(i);
    d.point_y.push_back(ys[i - 1]);
  }
  plot_series s;
  s.name = "degree 1";
  for (int i = 0; i <= 60; ++i) {
    const double x = -3.5 + 18.0 * i / 60;
    s.x.push_back(x);
    s.fit.push_back(fit_at(x));
    s.conf_lwr.push_back(fit_at(x) - conf_half(x));
    s.conf_upr.push_back(fit_at(x) + conf_half(x));
    s.pred_lwr.push_back(fit_at(x) - pred_half(x));
    s.pred_upr.push_back(fit_at(x) + pred_half(x));
  }
  d.series.push_back(s);
  d.train_min = 1;
  d.train_max = 10;
  d.trust = std::make_pair(-1.0, 12.0);
  d.level = 0.95;
  return d;
}

bool have(const char* tool) {
  return std::system((std::string("command -v ") + tool + " >/dev/null 2>&1").c_str()) == 0;
}

/// A fresh directory under TMPDIR (or /tmp), removed at the end of the scope.
struct temp_dir {
  std::string path;
  temp_dir() {
    const char* base = std::getenv("TMPDIR");
    std::string tmpl = std::string(base && *base ? base : "/tmp") + "/regress_svg_XXXXXX";
    if (mkdtemp(tmpl.data())) path = tmpl;
  }
  ~temp_dir() {
    if (!path.empty()) std::system(("rm -rf '" + path + "'").c_str());
  }
};

void write_file(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

/// A small well-formedness check, independent of any tool: tags balance,
/// attribute values are quoted, and '<' and '&' appear in text only as markup
/// or as one of XML's five entities or a character reference.
std::string xml_problem(const std::string& s) {
  std::vector<std::string> open;
  std::size_t i = 0;
  const auto entity_ok = [&](std::size_t at) {
    const std::size_t semi = s.find(';', at);
    if (semi == std::string::npos) return false;
    const std::string name = s.substr(at + 1, semi - at - 1);
    if (name == "amp" || name == "lt" || name == "gt" || name == "quot" || name == "apos")
      return true;
    return name.size() > 1 && name[0] == '#';
  };
  while (i < s.size()) {
    if (s[i] == '&') {
      if (!entity_ok(i)) return "bad entity at " + std::to_string(i);
      ++i;
      continue;
    }
    if (static_cast<unsigned char>(s[i]) < 0x20 && s[i] != '\n' && s[i] != '\t' && s[i] != '\r') {
      return "control character at " + std::to_string(i);
    }
    if (s[i] != '<') {
      if (s[i] == '>') return "stray '>' at " + std::to_string(i);
      ++i;
      continue;
    }
    if (s.compare(i, 5, "<?xml") == 0) {
      if (i != 0) return "XML declaration not at the start";
      i = s.find("?>", i);
      if (i == std::string::npos) return "unterminated declaration";
      i += 2;
      continue;
    }
    const bool closing = s[i + 1] == '/';
    std::size_t j = i + (closing ? 2 : 1);
    const std::size_t name_start = j;
    while (j < s.size() &&
           (std::isalnum(static_cast<unsigned char>(s[j])) || s[j] == '-' || s[j] == ':'))
      ++j;
    const std::string name = s.substr(name_start, j - name_start);
    if (name.empty()) return "empty tag name at " + std::to_string(i);
    // Attributes: name="value" pairs up to '>' or '/>'.
    bool self_closing = false;
    for (;;) {
      while (j < s.size() && std::isspace(static_cast<unsigned char>(s[j]))) ++j;
      if (j >= s.size()) return "unterminated tag " + name;
      if (s[j] == '>') break;
      if (s.compare(j, 2, "/>") == 0) {
        self_closing = true;
        ++j;
        break;
      }
      if (closing) return "attribute in closing tag " + name;
      const std::size_t eq = s.find('=', j);
      if (eq == std::string::npos || eq + 1 >= s.size() || s[eq + 1] != '"') {
        return "unquoted attribute in " + name;
      }
      const std::size_t end = s.find('"', eq + 2);
      if (end == std::string::npos) return "unterminated attribute in " + name;
      for (std::size_t k = eq + 2; k < end; ++k) {
        if (s[k] == '<') return "'<' in an attribute of " + name;
        if (s[k] == '&' && !entity_ok(k)) return "bad entity in an attribute of " + name;
      }
      j = end + 1;
    }
    if (closing) {
      if (open.empty() || open.back() != name) return "mismatched </" + name + ">";
      open.pop_back();
    } else if (!self_closing) {
      open.push_back(name);
    }
    i = j + 1;
  }
  return open.empty() ? "" : "unclosed <" + open.back() + ">";
}

/// An RGBA image decoded from a PNG as rsvg-convert writes it: 8-bit RGBA or
/// RGB, not interlaced (the only forms accepted). zlib inflates the IDAT
/// stream; the scanline filters (PNG spec, section 9) are undone here.
struct image {
  int width = 0, height = 0;
  std::vector<std::uint8_t> rgba;
  std::array<int, 3> rgb(int x, int y) const {
    const std::size_t i = (static_cast<std::size_t>(y) * static_cast<std::size_t>(width) +
                           static_cast<std::size_t>(x)) *
                          4;
    return {rgba[i], rgba[i + 1], rgba[i + 2]};
  }
};

std::uint32_t be32(const std::string& s, std::size_t at) {
  return (std::uint32_t{static_cast<unsigned char>(s[at])} << 24) |
         (std::uint32_t{static_cast<unsigned char>(s[at + 1])} << 16) |
         (std::uint32_t{static_cast<unsigned char>(s[at + 2])} << 8) |
         std::uint32_t{static_cast<unsigned char>(s[at + 3])};
}

std::string decode_png(const std::string& png, image& img) {
  if (png.size() < 8 || png.compare(0, 8, "\x89PNG\r\n\x1a\n") != 0) return "not a PNG";
  std::size_t at = 8;
  std::uint32_t w = 0, h = 0;
  int colour_type = -1;
  std::string idat;
  while (at + 12 <= png.size()) {
    const std::uint32_t len = be32(png, at);
    const std::string type = png.substr(at + 4, 4);
    if (at + 12 + len > png.size()) return "truncated chunk " + type;
    if (type == "IHDR") {
      w = be32(png, at + 8);
      h = be32(png, at + 12);
      const int depth = png[at + 16];
      colour_type = png[at + 17];
      const int interlace = png[at + 20];
      if (depth != 8 || (colour_type != 6 && colour_type != 2) || interlace != 0) {
        return "unsupported PNG form (depth " + std::to_string(depth) + ", colour type " +
               std::to_string(colour_type) + ", interlace " + std::to_string(interlace) + ")";
      }
    } else if (type == "IDAT") {
      idat += png.substr(at + 8, len);
    } else if (type == "IEND") {
      break;
    }
    at += 12 + len;
  }
  if (w == 0 || h == 0 || idat.empty()) return "no image data";
  const std::size_t bpp = colour_type == 6 ? 4 : 3, stride = w * bpp;
  std::vector<std::uint8_t> raw((stride + 1) * h);
  uLongf raw_len = static_cast<uLongf>(raw.size());
  if (uncompress(raw.data(), &raw_len, reinterpret_cast<const Bytef*>(idat.data()),
                 static_cast<uLong>(idat.size())) != Z_OK ||
      raw_len != raw.size()) {
    return "bad zlib stream";
  }
  std::vector<std::uint8_t> prev(stride, 0), cur(stride);
  img.width = static_cast<int>(w);
  img.height = static_cast<int>(h);
  img.rgba.assign(static_cast<std::size_t>(w) * h * 4, 255);
  for (std::size_t y = 0; y < h; ++y) {
    const std::uint8_t filter = raw[y * (stride + 1)];
    const std::uint8_t* line = &raw[y * (stride + 1) + 1];
    for (std::size_t i = 0; i < stride; ++i) {
      const int a = i >= bpp ? cur[i - bpp] : 0, b = prev[i], c = i >= bpp ? prev[i - bpp] : 0;
      int predicted = 0;
      switch (filter) {
        case 0:
          predicted = 0;
          break;
        case 1:
          predicted = a;
          break;
        case 2:
          predicted = b;
          break;
        case 3:
          predicted = (a + b) / 2;
          break;
        case 4: {
          const int p = a + b - c, pa = std::abs(p - a), pb = std::abs(p - b), pc = std::abs(p - c);
          predicted = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
          break;
        }
        default:
          return "bad filter type " + std::to_string(filter);
      }
      cur[i] = static_cast<std::uint8_t>((line[i] + predicted) & 0xff);
    }
    for (std::size_t x = 0; x < w; ++x) {
      for (std::size_t k = 0; k < bpp; ++k) img.rgba[(y * w + x) * 4 + k] = cur[x * bpp + k];
    }
    std::swap(prev, cur);
  }
  return "";
}

std::array<int, 3> rgb_of(std::uint32_t c) {
  return {static_cast<int>(c >> 16 & 0xff), static_cast<int>(c >> 8 & 0xff),
          static_cast<int>(c & 0xff)};
}

/// `over` painted with opacity `alpha` on `under`, as the renderer composites.
std::array<int, 3> blend(std::array<int, 3> under, std::array<int, 3> over, double alpha) {
  std::array<int, 3> out{};
  for (std::size_t k = 0; k < 3; ++k) {
    out[k] = static_cast<int>(std::lround(under[k] * (1 - alpha) + over[k] * alpha));
  }
  return out;
}

int distance(std::array<int, 3> a, std::array<int, 3> b) {
  int d = 0;
  for (std::size_t k = 0; k < 3; ++k) d = std::max(d, std::abs(a[k] - b[k]));
  return d;
}

int luminance(std::array<int, 3> c) { return (c[0] * 299 + c[1] * 587 + c[2] * 114) / 1000; }

/// The pixel containing the point (x, y) of the SVG's user space.
std::array<int, 3> pixel(const image& img, double x, double y) {
  return img.rgb(static_cast<int>(std::floor(x)), static_cast<int>(std::floor(y)));
}

/// The colour nearest `want` among the pixels within one row of (x, y): a
/// thin stroke's centre may fall on a pixel boundary.
int nearest(const image& img, double x, double y, std::array<int, 3> want) {
  int best = 255;
  for (int dy = -1; dy <= 1; ++dy) best = std::min(best, distance(pixel(img, x, y + dy), want));
  return best;
}

std::string describe(std::array<int, 3> c) {
  return "(" + std::to_string(c[0]) + "," + std::to_string(c[1]) + "," + std::to_string(c[2]) + ")";
}

}  // namespace

TEST_CASE("the SVG is a well-formed standalone SVG 1.1 document with escaped text", "[svg]") {
  plot_data d = sample();
  d.title = "a < b & \"c\" 'd' \x01 caf\xc3\xa9 \xff";
  d.series[0].name = "]]> <degree 1>";
  d.x_label = "x & y";
  const std::string svg = render_svg(d);
  INFO(svg);
  CHECK(xml_problem(svg).empty());
  CAPTURE(xml_problem(svg));
  CHECK(svg.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"", 0) == 0);
  CHECK(svg.find("<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"800\" "
                 "height=\"500\" viewBox=\"0 0 800 500\"") != std::string::npos);
  CHECK(svg.find("a &lt; b &amp; &quot;c&quot; &apos;d&apos;   caf\xc3\xa9 \xef\xbf\xbd") !=
        std::string::npos);
  CHECK(svg.find("]]&gt; &lt;degree 1&gt;") != std::string::npos);
  for (const char* part :
       {">extrapolation<", ">trust range<", ">95% confidence band<", ">95% prediction band<",
        ">training range<", ">data<", "class=\"prediction-band\"", "class=\"confidence-band\"",
        "class=\"training-edge\"", "class=\"fit\"", "<circle"}) {
    CHECK(svg.find(part) != std::string::npos);
  }
  CHECK(svg == render_svg(d));  // deterministic

  if (!have("xmllint")) {
    WARN("xmllint not found (Debian: libxml2-utils): skipping the parser check");
    return;
  }
  temp_dir tmp;
  REQUIRE(!tmp.path.empty());
  write_file(tmp.path + "/plot.svg", svg);
  CHECK(std::system(
            ("xmllint --noout '" + tmp.path + "/plot.svg' 2>'" + tmp.path + "/err'").c_str()) == 0);
  CHECK(read_file(tmp.path + "/err").empty());
}

TEST_CASE("SVG coordinates have two decimals and the output matches its snapshot", "[svg]") {
  const std::string svg = render_svg(sample());
  // Every number in a points list is written with exactly two decimals.
  const std::size_t p = svg.find("points=\"");
  REQUIRE(p != std::string::npos);
  const std::string points = svg.substr(p + 8, svg.find('"', p + 8) - p - 8);
  std::istringstream in(points);
  std::string pair;
  int n = 0;
  while (in >> pair) {
    const std::size_t comma = pair.find(',');
    REQUIRE(comma != std::string::npos);
    for (const std::string& v : {pair.substr(0, comma), pair.substr(comma + 1)}) {
      INFO(v);
      CHECK(v.size() > 3);
      CHECK(v[v.size() - 3] == '.');
    }
    ++n;
  }
  CHECK(n == 2 * 61);  // a band: 61 upper and 61 lower corners

  const std::string path = std::string(REGRESS_TEST_DATA_DIR) + "/snapshots/plot.svg";
  const char* update = std::getenv("REGRESS_UPDATE_SNAPSHOTS");
  if (update && std::string(update) == "1") {
    write_file(path, svg);
    WARN("snapshot rewritten: " << path);
    return;
  }
  const std::string expected = read_file(path);
  if (expected.empty())
    FAIL(path << " is missing; run with REGRESS_UPDATE_SNAPSHOTS=1 to write it");
  if (expected != svg) {
    std::size_t i = 0;
    while (i < expected.size() && i < svg.size() && expected[i] == svg[i]) ++i;
    const std::size_t line_start = svg.rfind('\n', i) + 1;
    const std::size_t exp_start = expected.rfind('\n', i) + 1;
    FAIL("SVG differs from "
         << path << " at byte " << i
         << "\n  expected: " << expected.substr(exp_start, expected.find('\n', i) - exp_start)
         << "\n  actual:   " << svg.substr(line_start, svg.find('\n', i) - line_start)
         << "\n(REGRESS_UPDATE_SNAPSHOTS=1 rewrites it if the change is intended)");
  }
}

TEST_CASE("rsvg-convert renders the SVG with every element where the axes put it", "[svg]") {
  if (!have("rsvg-convert")) {
    FAIL("rsvg-convert not found: install it (Debian: librsvg2-bin); .ci/install-deps does");
  }
  const plot_data d = sample();
  const std::string svg = render_svg(d, 800, 500);
  const svg_layout l = svg_plot_layout(d, 800, 500);
  temp_dir tmp;
  REQUIRE(!tmp.path.empty());
  write_file(tmp.path + "/plot.svg", svg);
  const std::string cmd = "rsvg-convert -f png -o '" + tmp.path + "/plot.png' '" + tmp.path +
                          "/plot.svg' 2>'" + tmp.path + "/err'";
  REQUIRE(std::system(cmd.c_str()) == 0);
  image img;
  const std::string problem = decode_png(read_file(tmp.path + "/plot.png"), img);
  INFO(problem);
  REQUIRE(problem.empty());
  REQUIRE(img.width == 800);
  REQUIRE(img.height == 500);

  const std::array<int, 3> white = rgb_of(svg_style::background);
  const std::array<int, 3> shade = rgb_of(svg_style::extrapolation);
  const std::array<int, 3> line = rgb_of(svg_style::series[0]);
  const auto at = [&](double x, double y) { return pixel(img, l.px(x), l.py(y)); };

  SECTION("the axes put the data where the layout says") {
    // y ends on ticks around [-6.5, 26.5] (step 5), x is [-3.5, 14.5] padded by 2%.
    CHECK(l.y_min == -10);
    CHECK(l.y_max == 30);
    CHECK(l.x_min == Approx(-3.86));
    CHECK(l.x_max == Approx(14.86));
  }
  SECTION("extrapolation zones are shaded and the training range is not") {
    // Well away from the bands, the edges, the trust lines and the labels.
    INFO("left zone " << describe(at(-2.5, 20)) << ", right zone " << describe(at(13.5, 5))
                      << ", inside " << describe(at(3, 20)));
    CHECK(distance(at(-2.5, 20), shade) <= 2);
    CHECK(distance(at(13.5, 5), shade) <= 2);
    CHECK(distance(at(-3.7, -9), shade) <= 2);
    CHECK(distance(at(3, 20), white) <= 2);
    CHECK(distance(at(8, 0), white) <= 2);
    // Outside the plot area nothing is shaded.
    CHECK(distance(pixel(img, l.left - 3, l.py(-7.5)), white) <= 2);
  }
  SECTION("the fitted line runs through fit(x), inside the data and beyond it") {
    for (double x : {2.5, 5.5, 7.5, -2.5, 13.5}) {
      INFO("x = " << x << ": " << describe(pixel(img, l.px(x), l.py(fit_at(x)))));
      CHECK(nearest(img, l.px(x), l.py(fit_at(x)), line) <= 12);
      // ... and not elsewhere in the column.
      CHECK(distance(pixel(img, l.px(x), l.py(fit_at(x) + 3 * pred_half(x))), line) > 100);
    }
  }
  SECTION("the bands have their translucent colours, confidence over prediction") {
    const std::array<int, 3> pred_on_white = blend(white, line, svg_style::prediction_opacity);
    const std::array<int, 3> both_on_white =
        blend(pred_on_white, line, svg_style::confidence_opacity);
    for (double x : {5.5, 3.5, 8.5}) {
      const double f = fit_at(x), c = conf_half(x), p = pred_half(x);
      for (double side : {1.0, -1.0}) {
        INFO("x = " << x << " side " << side);
        // Between the confidence and the prediction limits: prediction band only.
        CHECK(distance(at(x, f + side * (c + p) / 2), pred_on_white) <= 3);
        // Inside the confidence band, clear of the line's stroke.
        CHECK(distance(at(x, f + side * (0.5 * c + 1.5 / (l.height / (l.y_max - l.y_min)))),
                       both_on_white) <= 3);
        // Just beyond the prediction band: background.
        CHECK(distance(at(x, f + side * (p + 1.0)), white) <= 2);
      }
    }
    // In an extrapolation zone the bands lie over the shading.
    const double x = 13.5;
    CHECK(distance(at(x, fit_at(x) + (conf_half(x) + pred_half(x)) / 2),
                   blend(shade, line, svg_style::prediction_opacity)) <= 3);
  }
  SECTION("points, training edges, trust range, title and legend are drawn") {
    // A data point's centre is the point colour.
    CHECK(distance(at(5, 9.1), rgb_of(svg_style::point)) <= 10);
    // The training edges are dashed: dark in some rows, not in others.
    for (double e : {d.train_min, d.train_max}) {
      int dark = 0, rows = 0;
      for (int y = static_cast<int>(l.top) + 2; y < static_cast<int>(l.top + l.height) - 2; ++y) {
        int darkest = 255;
        for (int dx = -1; dx <= 1; ++dx) {
          darkest = std::min(darkest, luminance(pixel(img, l.px(e) + dx, y)));
        }
        dark += darkest < 170;
        ++rows;
      }
      INFO("edge " << e << ": " << dark << " of " << rows << " rows dark");
      CHECK(dark > rows * 4 / 10);
      CHECK(dark < rows * 8 / 10);
    }
    // The trust bracket runs along the bottom of the plot from x = -1 to 12.
    const double bracket_y = l.top + l.height - 10;
    for (double x : {-0.5, 5.0, 11.5}) {
      CHECK(nearest(img, l.px(x), bracket_y, rgb_of(svg_style::trust)) <= 12);
    }
    CHECK(distance(pixel(img, l.px(-2.5), bracket_y), shade) <= 2);  // not beyond its ends
    CHECK(distance(pixel(img, l.px(13.5), bracket_y), shade) <= 2);
    // The title: dark text centred above the plot; the corner stays white.
    int title_dark = 0;
    const int cx = static_cast<int>(l.left + l.width / 2);
    for (int y = 8; y < 36; ++y) {
      for (int x = cx - 80; x < cx + 80; ++x) title_dark += luminance(img.rgb(x, y)) < 100;
    }
    CHECK(title_dark > 150);
    for (int y = 0; y < 8; ++y) {
      for (int x = 0; x < 8; ++x) CHECK(distance(img.rgb(x, y), white) == 0);
    }
    // The legend right of the plot: a line swatch of the series colour and text.
    int legend_line = 0, legend_text = 0;
    for (int y = static_cast<int>(l.top); y < static_cast<int>(l.top) + 160; ++y) {
      for (int x = static_cast<int>(l.left + l.width) + 10; x < 800; ++x) {
        legend_line += distance(img.rgb(x, y), line) <= 12;
        legend_text += luminance(img.rgb(x, y)) < 100;
      }
    }
    CHECK(legend_line >= 40);
    CHECK(legend_text > 300);
    // The zone labels: grey text near the top of each zone.
    for (double x : {-1.5, 12.5}) {
      int text = 0;
      for (int y = static_cast<int>(l.top) + 2; y < static_cast<int>(l.top) + 18; ++y) {
        for (int dx = -30; dx <= 30; ++dx) text += luminance(pixel(img, l.px(x) + dx, y)) < 170;
      }
      INFO("zone label near x = " << x);
      CHECK(text > 60);
    }
  }
}

TEST_CASE("a hidden-extrapolation stretch is a shaded zone with a legend entry in the SVG",
          "[svg]") {
  plot_data d = sample();
  d.hidden.push_back({6, 8});
  d.points_label = "partial residuals";
  const std::string svg = render_svg(d);
  const svg_layout l = svg_plot_layout(d);
  // The zone spans x = 6 to 8 in pixels, the plot area's full height.
  const std::string zone = "<g id=\"hidden-extrapolation\" fill=\"#f2e3c6\" stroke=\"none\">\n" +
                           fmt_rect(l.px(6), l.top, l.px(8) - l.px(6), l.height);
  CHECK(svg.find(zone) != std::string::npos);
  CHECK(svg.find(">hidden extrapolation</text>") != std::string::npos);
  CHECK(svg.find(">partial residuals</text>") != std::string::npos);
  const std::string plain = render_svg(sample());
  CHECK(plain.find("hidden") == std::string::npos);
  CHECK(plain.find(">data</text>") != std::string::npos);
}

TEST_CASE("an SVG needs a sensible size and a consistent description", "[svg]") {
  CHECK_THROWS_AS(render_svg(sample(), 10, 500), usage_error);
  CHECK_THROWS_AS(render_svg(sample(), 800, 50000), usage_error);
  plot_data d = sample();
  d.series[0].fit.pop_back();
  CHECK_THROWS_AS(render_svg(d), usage_error);
  // Edge cases render to well-formed documents.
  plot_data empty;
  CHECK(xml_problem(render_svg(empty)).empty());
  plot_data one;
  one.point_x = {1e300};
  one.point_y = {-1e-300};
  CHECK(xml_problem(render_svg(one)).empty());
  plot_data wide;  // a range too wide for a double
  wide.point_x = {-1.5e308, 1.5e308};
  wide.point_y = {1.7e308, -1.7e308};
  CHECK(xml_problem(render_svg(wide)).empty());
  d = sample();
  d.series[0].pred_upr[5] = std::numeric_limits<double>::quiet_NaN();
  d.series[0].fit[7] = std::numeric_limits<double>::infinity();
  d.trust = std::make_pair(-std::numeric_limits<double>::infinity(), 3.0);
  const std::string svg = render_svg(d);
  CHECK(xml_problem(svg).empty());
  CHECK(svg.find("nan") == std::string::npos);
  CHECK(svg.find("inf") == std::string::npos);
  // The broken band and curve are drawn in pieces.
  std::size_t pieces = 0;
  for (std::size_t p = svg.find("class=\"prediction-band\""); p != std::string::npos;
       p = svg.find("class=\"prediction-band\"", p + 1)) {
    ++pieces;
  }
  CHECK(pieces == 2);
}

namespace {

/// check's four panels of a fixed data set: residuals that grow with the
/// fitted value, leverages from 0.02 to 0.3 (closed forms of the index only).
std::vector<plot_data> check_sample() {
  std::vector<diagnostic_point> rows;
  for (std::size_t i = 0; i < 60; ++i) {
    const double t = static_cast<double>(i);
    diagnostic_point p;
    p.row = i + 1;
    p.fitted = 10 + t;
    p.resid = std::sin(1.7 * t) * (1 + t / 20);
    p.hat = 0.02 + 0.28 * std::pow(t / 59, 3);
    p.std_resid = p.resid / (2 * std::sqrt(1 - p.hat));
    p.cooksd = p.std_resid * p.std_resid * p.hat / (2 * (1 - p.hat));
    rows.push_back(p);
  }
  return check_pictures(make_diagnostic_panels(rows, 2));
}

}  // namespace

TEST_CASE("several pictures are panels of one SVG that rsvg-convert draws where they lie",
          "[svg][check_plot]") {
  const std::vector<plot_data> panels = check_sample();
  const std::string svg = render_svg_panels(panels, "Diagnostics: y ~ x", 1000, 830);
  INFO(xml_problem(svg));
  REQUIRE(xml_problem(svg).empty());
  // Each id once, the clip paths each panel's own.
  std::vector<std::string> ids;
  for (std::size_t at = svg.find(" id=\""); at != std::string::npos;
       at = svg.find(" id=\"", at + 1)) {
    ids.push_back(svg.substr(at + 5, svg.find('"', at + 5) - at - 5));
  }
  std::vector<std::string> sorted = ids;
  std::sort(sorted.begin(), sorted.end());
  CHECK(std::adjacent_find(sorted.begin(), sorted.end()) == sorted.end());
  for (int k = 1; k <= 4; ++k) {
    CHECK(svg.find("clip-path=\"url(#panel" + std::to_string(k) + "-plot-area)\"") !=
          std::string::npos);
  }
  CHECK(svg.find(">Cook&apos;s distance</text>") != std::string::npos);
  CHECK_THROWS_AS(render_svg_panels(panels, "", 300, 830), usage_error);

  if (!have("rsvg-convert")) {
    FAIL("rsvg-convert not found: install it (Debian: librsvg2-bin); .ci/install-deps does");
  }
  temp_dir tmp;
  REQUIRE(!tmp.path.empty());
  write_file(tmp.path + "/check.svg", svg);
  const std::string cmd = "rsvg-convert -f png -o '" + tmp.path + "/check.png' '" + tmp.path +
                          "/check.svg' 2>'" + tmp.path + "/err'";
  REQUIRE(std::system(cmd.c_str()) == 0);
  image img;
  const std::string problem = decode_png(read_file(tmp.path + "/check.png"), img);
  INFO(problem);
  REQUIRE(problem.empty());
  REQUIRE(img.width == 1000);
  REQUIRE(img.height == 830);
  // Panel k is 500 x 400 pixels at (500 (k % 2), 30 + 400 (k / 2)).
  const auto at = [&](std::size_t k, double x, double y) {
    const svg_layout l = svg_plot_layout(panels[k], 500, 400);
    return std::array<double, 2>{500.0 * static_cast<double>(k % 2) + l.px(x),
                                 30 + 400.0 * static_cast<double>(k / 2) + l.py(y)};
  };
  SECTION("every panel's points where its axes put them") {
    for (std::size_t k = 0; k < 4; ++k) {
      const plot_data& d = panels[k];
      int hits = 0, tries = 0;
      for (std::size_t i = 0; i < d.point_x.size(); i += 7) {
        const auto [x, y] = at(k, d.point_x[i], d.point_y[i]);
        hits += distance(pixel(img, x, y), rgb_of(svg_style::point)) <= 40;
        ++tries;
      }
      INFO("panel " << k + 1 << ": " << hits << " of " << tries);
      CHECK(hits >= tries - 1);  // a label may lie over one
    }
  }
  SECTION("the Cook's distance contours run red where they cross panel 4") {
    const plot_data& d = panels[3];
    const svg_layout l = svg_plot_layout(d, 500, 400);
    for (const plot_series& s : d.series) {
      if (s.kind != series_kind::contour) continue;
      int red = 0, inside = 0;
      for (std::size_t i = 0; i < s.x.size(); ++i) {
        if (!(s.fit[i] > l.y_min + 0.1 && s.fit[i] < l.y_max - 0.1)) continue;
        const auto [x, y] = at(3, s.x[i], s.fit[i]);
        // A thin line is antialiased: any clearly red pixel within 2 px.
        bool near = false;
        for (int dy = -2; dy <= 2; ++dy) {
          for (int dx = -2; dx <= 2; ++dx) {
            const std::array<int, 3> c = pixel(img, x + dx, y + dy);
            near = near || (c[0] > c[1] + 60 && c[0] > c[2] + 60);
          }
        }
        red += near;
        ++inside;
      }
      INFO(red << " of " << inside << " contour points red");
      if (inside >= 5) {
        CHECK(red >= inside / 2);  // dashed: some fall in the gaps
      }
    }
  }
}
