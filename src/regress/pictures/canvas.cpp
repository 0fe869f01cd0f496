#include "regress/pictures/canvas.hpp"

#include "regress/pictures/plot.hpp"

namespace regress::canvas {

namespace {

std::string sgr(int style) {
  static const char* const series_colour[] = {"34", "31", "35", "33", "36"};
  if (style == style_dim) return "90";
  if (style == style_trust) return "32";
  if (style == style_point) return "1";
  if (style == style_contour) return "31";
  const std::string c = series_colour[style % 10 % 5];
  if (style >= style_pred) return "2;" + c;
  if (style >= style_conf) return c;
  return "1;" + c;
}

}  // namespace

const glyph_set& glyphs(bool unicode) {
  static const glyph_set u{U'·', U'┊', U'░', U'▒', U'●',     U'│', U'┤', U'└', U'─',
                           U'┬', U'┴', U'━', U'┯', U"⠒◆■▲×", true, U'╱', U'┄', U'╌'};
  static const glyph_set a{'.', '|', ':', '=', 'o',      '|',   '+', '+', '-',
                           '+', '|', '#', '#', U"*@%&$", false, '/', '-', '~'};
  return unicode ? u : a;
}

std::string grid::str(bool color) const {
  std::string out;
  for (int r = 0; r < h_; ++r) {
    int end = w_;
    while (end > 0 && at(r, end - 1).ch == U' ' && at(r, end - 1).style == style_none) --end;
    int current = style_none;
    for (int c = 0; c < end; ++c) {
      const cell& x = at(r, c);
      // A blank looks the same in any colour: it never switches style.
      if (color && x.style != current && x.ch != U' ') {
        if (current != style_none) out += "\x1b[0m";
        if (x.style != style_none) out += "\x1b[" + sgr(x.style) + "m";
        current = x.style;
      }
      detail::append_utf8(out, x.ch);
    }
    if (color && current != style_none) out += "\x1b[0m";
    out += '\n';
  }
  return out;
}

std::u32string clean(std::string_view s, bool unicode) {
  std::u32string out;
  for (char32_t cp : detail::decode_utf8(s)) {
    if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) cp = U' ';
    if (!unicode && cp >= 0x7f) cp = U'?';
    out += cp;
  }
  return out;
}

}  // namespace regress::canvas
