#include "regress/pictures/plot.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "regress/error.hpp"

using namespace regress;

namespace {

const double nan = std::numeric_limits<double>::quiet_NaN();
const double inf = std::numeric_limits<double>::infinity();

/// The lines of a rendered plot, without their '\n'.
std::vector<std::string> lines_of_text(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

/// A series computed by hand: the line a + b x swept over [from, to], with
/// bands of the straight-line form half * sqrt(c + (x - 5.5)^2 / 82.5) (x = 1..10
/// has mean 5.5 and Sxx 82.5; c = 1/n = 0.1 for the mean, 1 + 1/n for a new
/// observation).
plot_series line_series(std::string name, double a, double b, double half, double from, double to,
                        int steps) {
  plot_series s;
  s.name = std::move(name);
  for (int i = 0; i <= steps; ++i) {
    const double x = from + (to - from) * i / steps;
    const double f = a + b * x;
    const double h = (x - 5.5) * (x - 5.5) / 82.5;
    const double c = half * std::sqrt(0.1 + h), p = half * std::sqrt(1.1 + h);
    s.x.push_back(x);
    s.fit.push_back(f);
    s.conf_lwr.push_back(f - c);
    s.conf_upr.push_back(f + c);
    s.pred_lwr.push_back(f - p);
    s.pred_upr.push_back(f + p);
  }
  return s;
}

/// The fixed dataset of the snapshots: x = 1..10, y near 1.6 + 1.55 x, swept
/// one training span (9) beyond each end, trust range [-1, 12].
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
  d.series.push_back(line_series("degree 1", 1.6, 1.55, 1.8, -3.5, 14.5, 60));
  d.train_min = 1;
  d.train_max = 10;
  d.trust = std::make_pair(-1.0, 12.0);
  d.level = 0.95;
  return d;
}

std::vector<std::string> split_lines(const std::string& s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < s.size()) {
    const std::size_t nl = s.find('\n', start);
    if (nl == std::string::npos) {
      out.push_back(s.substr(start));
      break;
    }
    out.push_back(s.substr(start, nl - start));
    start = nl + 1;
  }
  return out;
}

/// Compares `actual` with tests/snapshots/<name>; REGRESS_UPDATE_SNAPSHOTS=1
/// rewrites the file instead. On a mismatch the message shows the first
/// differing line and the whole new rendering.
void check_snapshot(const std::string& name, const std::string& actual) {
  const std::string path = std::string(REGRESS_TEST_DATA_DIR) + "/snapshots/" + name;
  const char* update = std::getenv("REGRESS_UPDATE_SNAPSHOTS");
  if (update && std::string(update) == "1") {
    std::ofstream(path, std::ios::binary) << actual;
    WARN("snapshot rewritten: " << path);
    return;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in)
    FAIL("snapshot " << path << " is missing; run with REGRESS_UPDATE_SNAPSHOTS=1 to write it");
  std::ostringstream buf;
  buf << in.rdbuf();
  const std::string expected = buf.str();
  if (expected == actual) {
    SUCCEED();
    return;
  }
  const std::vector<std::string> e = split_lines(expected), a = split_lines(actual);
  std::size_t i = 0;
  while (i < e.size() && i < a.size() && e[i] == a[i]) ++i;
  std::ostringstream msg;
  msg << "snapshot " << path << " differs at line " << i + 1 << "\n"
      << "  expected: " << (i < e.size() ? e[i] : "<end of file>") << "\n"
      << "  actual:   " << (i < a.size() ? a[i] : "<end of output>") << "\n"
      << "(REGRESS_UPDATE_SNAPSHOTS=1 rewrites it if the change is intended)\n"
      << "actual output:\n"
      << actual;
  FAIL(msg.str());
}

/// Checks the promises every terminal plot keeps, whatever it shows.
void check_shape(const std::string& out, const terminal_options& o) {
  INFO("width " << o.width << " height " << o.height << " unicode " << o.unicode << " color "
                << o.color << "\n"
                << out);
  REQUIRE(!out.empty());
  CHECK(out.back() == '\n');
  const std::vector<std::string> lines = split_lines(out);
  CHECK(static_cast<int>(lines.size()) == o.height);
  for (const std::string& line : lines) {
    std::string visible;  // without escape sequences
    for (std::size_t i = 0; i < line.size(); ++i) {
      if (line[i] == '\x1b') {
        while (i < line.size() && line[i] != 'm') ++i;
        continue;
      }
      visible += line[i];
    }
    CHECK(static_cast<int>(display_width(visible)) <= o.width);
  }
  if (!o.unicode) {
    for (char c : out) {
      const auto b = static_cast<unsigned char>(c);
      if (b == '\n' || (o.color && b == 0x1b)) continue;
      CHECK((b >= 0x20 && b <= 0x7e));
    }
  }
  if (!o.color) CHECK(out.find('\x1b') == std::string::npos);
}

std::string strip_escapes(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\x1b') {
      while (i < s.size() && s[i] != 'm') ++i;
      continue;
    }
    out += s[i];
  }
  return out;
}

/// The descriptions of the edge cases.
std::vector<plot_data> edge_cases() {
  std::vector<plot_data> v;
  v.push_back(sample());
  v.push_back(plot_data{});  // nothing at all
  {
    plot_data d;  // a single point
    d.point_x = {3};
    d.point_y = {7};
    v.push_back(d);
  }
  {
    plot_data d = sample();  // zero-height y range
    for (double& y : d.point_y) y = 5;
    d.series.clear();
    v.push_back(d);
  }
  for (double scale : {1e300, 1e-300, 1e-7, 1e9}) {
    plot_data d = sample();  // huge and tiny magnitudes
    for (double& y : d.point_y) y *= scale;
    for (auto* w : {&d.series[0].fit, &d.series[0].conf_lwr, &d.series[0].conf_upr,
                    &d.series[0].pred_lwr, &d.series[0].pred_upr}) {
      for (double& y : *w) y *= scale;
    }
    v.push_back(d);
  }
  {
    plot_data d;  // a range too wide for a double
    d.point_x = {-1.5e308, 1.5e308};
    d.point_y = {1.7e308, -1.7e308};
    d.train_min = -1e308;
    d.train_max = 1e308;
    v.push_back(d);
  }
  {
    plot_data d = sample();  // NaN and inf in bands, fit and points
    for (std::size_t i = 10; i < 20; ++i) d.series[0].pred_upr[i] = nan;
    d.series[0].conf_lwr[30] = inf;
    d.series[0].fit[40] = nan;
    d.series[0].x[50] = nan;
    d.point_y[3] = nan;
    d.trust = std::make_pair(-inf, inf);
    v.push_back(d);
  }
  {
    plot_data d = sample();  // several series, hostile labels
    d.series.push_back(line_series("degree 2", 1, 1.7, 2.5, -3.5, 14.5, 40));
    d.series.push_back(
        line_series("degree 3 \xe2\x80\x94 \x1b[31mred\t\n", 3, 1.2, 1, -3.5, 14.5, 7));
    d.title =
        std::string(
            "a very long title \x01\x7f with UTF-8 \xc3\xa9\xe2\x82\xac and a bad byte \xff ") +
        std::string(100, 'x');
    d.y_label = std::string(50, 'y');
    d.trust = std::make_pair(20.0, 30.0);  // entirely off the picture
    v.push_back(d);
  }
  {
    plot_data d = sample();  // no training range known, reversed trust
    d.train_min = nan;
    d.train_max = nan;
    d.trust = std::make_pair(5.0, 2.0);
    d.level.reset();
    v.push_back(d);
  }
  return v;
}

}  // namespace

TEST_CASE("the terminal plot of the fixed dataset matches its ASCII snapshot", "[plot]") {
  terminal_options o;
  o.unicode = false;
  const std::string out = render_terminal(sample(), o);
  check_shape(out, o);
  check_snapshot("plot_ascii_80x24.txt", out);
}

TEST_CASE("the terminal plot of the fixed dataset matches its Unicode snapshot", "[plot]") {
  const terminal_options o;  // 80 x 24, Unicode, no colour
  const std::string out = render_terminal(sample(), o);
  check_shape(out, o);
  check_snapshot("plot_unicode_80x24.txt", out);
}

TEST_CASE("every terminal plot fits its size, and ASCII and colour-free modes keep their bytes",
          "[plot]") {
  const std::vector<std::pair<int, int>> sizes = {{80, 24}, {40, 12}, {20, 8},  {132, 40},
                                                  {10, 5},  {1, 1},   {200, 3}, {7, 30}};
  for (const plot_data& d : edge_cases()) {
    for (const auto& [w, h] : sizes) {
      for (bool unicode : {false, true}) {
        for (bool color : {false, true}) {
          terminal_options o;
          o.width = w;
          o.height = h;
          o.unicode = unicode;
          o.color = color;
          check_shape(render_terminal(d, o), o);
        }
      }
    }
  }
}

TEST_CASE("colour adds only escape sequences, each line ending in a reset", "[plot]") {
  for (bool unicode : {false, true}) {
    terminal_options o;
    o.unicode = unicode;
    const std::string plain = render_terminal(sample(), o);
    o.color = true;
    const std::string coloured = render_terminal(sample(), o);
    CHECK(coloured.find("\x1b[") != std::string::npos);
    CHECK(strip_escapes(coloured) == plain);
    for (const std::string& line : split_lines(coloured)) {
      const std::size_t last = line.rfind('\x1b');
      if (last != std::string::npos) CHECK(line.substr(last, 4) == "\x1b[0m");
    }
  }
}

TEST_CASE("extrapolation is shaded outside the training range's edges and only there", "[plot]") {
  terminal_options o;
  o.unicode = false;
  const std::vector<std::string> lines = split_lines(render_terminal(sample(), o));
  // Layout: header, 19 plot rows, the x axis, tick labels, x label, legend.
  REQUIRE(lines.size() == 24);
  const std::string& axis = lines[20];
  REQUIRE(axis.find("+-") != std::string::npos);
  const std::size_t left = axis.find('|'), right = axis.rfind('|');
  REQUIRE(left != std::string::npos);
  REQUIRE(right > left + 10);
  // x from -3.5 to 14.5 over 77 columns: the edges x = 1 and x = 10 fall in
  // plot columns floor(4.5 / 18 * 77) = 19 and floor(13.5 / 18 * 77) = 57.
  const std::size_t margin = axis.find('+');
  CHECK(left == margin + 1 + 19);
  CHECK(right == margin + 1 + 57);
  std::size_t shaded_outside = 0;
  for (std::size_t r = 1; r <= 19; ++r) {
    const std::string& line = lines[r];
    CHECK(line[left] != ' ');  // the edge, or something drawn over it
    for (std::size_t c = margin + 1; c < line.size(); ++c) {
      if (line[c] != '.') continue;
      CHECK((c < left || c > right));
      ++shaded_outside;
    }
  }
  CHECK(shaded_outside > 200);
  // The trust range [-1, 12] is the heavier stretch of the axis.
  const std::size_t t0 = axis.find('#'), t1 = axis.rfind('#');
  CHECK(t0 == margin + 1 + 10);  // floor(2.5 / 18 * 77)
  CHECK(t1 == margin + 1 + 66);  // floor(15.5 / 18 * 77)
}

TEST_CASE("layers stack: points over curves over confidence over prediction bands", "[plot]") {
  terminal_options o;
  o.unicode = false;
  const std::string out = render_terminal(sample(), o);
  // All ten points are visible (no two share a cell at this size).
  std::size_t points = 0;
  const std::vector<std::string> lines = split_lines(out);
  for (std::size_t r = 1; r <= 19; ++r) {
    for (char c : lines[r]) points += c == 'o';
  }
  CHECK(points == 10);
  // In every plot column that has them, the curve lies in the confidence band
  // and no prediction-band cell lies inside the confidence band.
  int columns = 0;
  for (std::size_t c = 4; c < 80; ++c) {
    int curve = -1, conf_lo = 99, conf_hi = -1;
    std::vector<int> pred;
    for (int r = 1; r <= 19; ++r) {
      const std::string& line = lines[static_cast<std::size_t>(r)];
      const char ch = c < line.size() ? line[c] : ' ';
      if (ch == '*') curve = r;
      if (ch == '=') conf_lo = std::min(conf_lo, r), conf_hi = std::max(conf_hi, r);
      if (ch == ':') pred.push_back(r);
    }
    if (conf_hi < 0) continue;
    ++columns;
    if (curve >= 0) CHECK((conf_lo <= curve + 1 && curve - 1 <= conf_hi));
    for (int r : pred) CHECK((r < conf_lo || r > conf_hi));
  }
  CHECK(columns > 20);

  // A flat line with wide bands: every column inside reads, top to bottom,
  // blank, prediction band, confidence band, the curve, and back out.
  plot_data flat;
  flat.point_x = {0, 10};
  flat.point_y = {0, 20};
  plot_series s;
  for (int i = 0; i <= 10; ++i) {
    s.x.push_back(i);
    s.fit.push_back(10);
    s.conf_lwr.push_back(8);
    s.conf_upr.push_back(12);
    s.pred_lwr.push_back(5);
    s.pred_upr.push_back(15);
  }
  flat.series.push_back(s);
  flat.train_min = 0;
  flat.train_max = 10;
  const std::vector<std::string> rows = split_lines(render_terminal(flat, o));
  const std::regex stack(R"( *:+=+\*=+:+ *)");
  for (std::size_t c = 10; c < 70; ++c) {
    std::string column;
    for (std::size_t r = 0; r + 3 < rows.size(); ++r) {
      column += c < rows[r].size() ? rows[r][c] : ' ';
    }
    INFO("column " << c << ": '" << column << "'");
    CHECK(std::regex_match(column, stack));
  }
}

TEST_CASE("several series get distinct characters and the legend names each", "[plot]") {
  plot_data d = sample();
  d.series.push_back(line_series("degree 2", 1, 1.7, 2.5, -3.5, 14.5, 40));
  d.series.push_back(line_series("degree 3", 3, 1.2, 1, -3.5, 14.5, 20));
  for (bool unicode : {false, true}) {
    terminal_options o;
    o.unicode = unicode;
    o.width = 100;
    const std::vector<std::string> lines = split_lines(render_terminal(d, o));
    const std::string& legend = lines.back();
    INFO(legend);
    for (const char* name : {"degree 1", "degree 2", "degree 3"}) {
      CHECK(legend.find(name) != std::string::npos);
    }
    const std::vector<std::string> glyphs =
        unicode ? std::vector<std::string>{"\xe2\x97\x86", "\xe2\x96\xa0"}  // diamond, square
                : std::vector<std::string>{"*", "@", "%"};
    for (const std::string& g : glyphs) {
      std::size_t count = 0;
      for (std::size_t r = 1; r + 4 < lines.size(); ++r) {
        for (std::size_t p = lines[r].find(g); p != std::string::npos;
             p = lines[r].find(g, p + 1)) {
          ++count;
        }
      }
      CHECK(count > 10);
    }
  }
}

TEST_CASE("a hidden-extrapolation stretch is hatched across the plot and named in the legend",
          "[plot]") {
  plot_data d = sample();
  d.hidden.push_back({6, 8});
  d.points_label = "partial residuals";
  terminal_options o;
  o.unicode = false;
  o.width = 100;
  o.height = 20;
  const std::string text = render_terminal(d, o);
  const auto lines = lines_of_text(text);
  // The hatch '/' fills the columns of x in [6, 8] on the plot rows (where no
  // band, curve or point covers it) and nowhere else.
  const std::string& row = lines.at(1);  // the top plot row: above every band
  const std::size_t first = row.find('/'), last = row.rfind('/');
  REQUIRE(first != std::string::npos);
  CHECK(lines.front().find('/') == std::string::npos);  // not in the title
  // x runs from -3.5 to 14.5 over the plot columns: 6..8 is 11% of the width,
  // and it lies past the middle (5.5 is the centre).
  CHECK(first > row.size() / 2);
  CHECK(last - first < row.size() / 5);
  CHECK_THAT(lines.back(), Catch::Contains("/ hidden"));
  CHECK_THAT(lines.back(), Catch::Contains("o partial"));
  // Without the stretch, no hatch and no legend entry.
  plot_data plain = sample();
  const std::string none = render_terminal(plain, o);
  CHECK(none.find('/') == std::string::npos);
  CHECK(none.find("hidden") == std::string::npos);
}

TEST_CASE("a single point, a flat response and no data at all still draw", "[plot]") {
  terminal_options o;
  o.unicode = false;
  plot_data one;
  one.point_x = {3};
  one.point_y = {7};
  std::string out = render_terminal(one, o);
  CHECK(std::count(out.begin(), out.end(), 'o') == 2);  // the point and its legend entry
  CHECK(out.find("7.0+") != std::string::npos);         // a y tick at the value itself
  CHECK(out.find("3.3") != std::string::npos);          // the last x tick, pushed in

  plot_data flat = sample();
  for (double& y : flat.point_y) y = 5;
  flat.series.clear();
  out = render_terminal(flat, o);
  CHECK(out.find("5.0") != std::string::npos);

  out = render_terminal(plot_data{}, o);
  CHECK(split_lines(out).size() == 24);
}

TEST_CASE("tick labels are nice, compact and never negative zero", "[plot]") {
  axis_ticks t = nice_ticks(0, 20, 6);
  CHECK(t.step == 5);
  CHECK(t.labels == std::vector<std::string>{"0", "5", "10", "15", "20"});
  t = nice_ticks(-1, 1, 5);
  CHECK(t.labels == std::vector<std::string>{"-1.0", "-0.5", "0.0", "0.5", "1.0"});
  t = nice_ticks(0, 1e6, 6);
  CHECK(t.labels == std::vector<std::string>{"0", "2e5", "4e5", "6e5", "8e5", "1e6"});
  t = nice_ticks(0, 2e-5, 5);
  CHECK(t.labels == std::vector<std::string>{"0", "5e-6", "1e-5", "1.5e-5", "2e-5"});
  t = nice_ticks(1e6, 1e6 + 0.001, 6);
  CHECK(t.labels.at(1) == "1000000.0002");
  t = nice_ticks(1e300, 1.7e300, 4);
  CHECK(t.labels == std::vector<std::string>{"1e300", "1.2e300", "1.4e300", "1.6e300"});
  // The step is 1, 2 or 5 times a power of ten, and the ticks its multiples.
  for (double hi : {0.7, 3.3, 17.0, 123.0, 9999.0}) {
    t = nice_ticks(-0.3, hi, 7);
    REQUIRE(t.values.size() >= 2);
    CHECK(t.values.size() <= 7);
    const double m = t.step / std::pow(10.0, std::floor(std::log10(t.step) + 1e-12));
    CHECK((m == Approx(1) || m == Approx(2) || m == Approx(5)));
    for (double v : t.values) CHECK(std::abs(v / t.step - std::round(v / t.step)) < 1e-9);
  }
  // Extended ticks reach past both ends.
  t = nice_ticks(0.3, 9.2, 5, true);
  CHECK(t.values.front() <= 0.3);
  CHECK(t.values.back() >= 9.2);
  CHECK(nice_ticks(1, 1, 5).values.empty());
}

TEST_CASE("an inconsistent plot description is a usage error", "[plot]") {
  plot_data d = sample();
  d.series[0].conf_upr.pop_back();
  CHECK_THROWS_AS(render_terminal(d), usage_error);
  d = sample();
  std::swap(d.series[0].x[3], d.series[0].x[4]);
  CHECK_THROWS_AS(render_terminal(d), usage_error);
  d = sample();
  d.point_y.pop_back();
  CHECK_THROWS_AS(render_terminal(d), usage_error);
  d = sample();
  d.series[0].pred_lwr.clear();  // one side of a band only
  CHECK_THROWS_AS(render_terminal(d), usage_error);
  d.series[0].pred_upr.clear();  // no prediction band at all is fine
  CHECK_NOTHROW(render_terminal(d));
  terminal_options o;
  o.width = 0;
  CHECK_THROWS_AS(render_terminal(sample(), o), usage_error);
}
