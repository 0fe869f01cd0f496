#include "regress/pictures/plot.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "regress/error.hpp"
#include "regress/output/format.hpp"

namespace regress {

// ---------------------------------------------------------------------------
// Text helpers shared by the renderers (declared in plot.hpp).
namespace detail {

std::vector<char32_t> decode_utf8(std::string_view s) {
  std::vector<char32_t> out;
  out.reserve(s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    const auto b = static_cast<unsigned char>(s[i]);
    const std::size_t len = b < 0x80           ? 1
                            : (b >> 5) == 0x6  ? 2
                            : (b >> 4) == 0xe  ? 3
                            : (b >> 3) == 0x1e ? 4
                                               : 0;
    char32_t cp = len == 1 ? b : len == 2 ? (b & 0x1fu) : len == 3 ? (b & 0x0fu) : (b & 0x07u);
    bool ok = len > 0 && i + len <= s.size();
    for (std::size_t k = 1; ok && k < len; ++k) {
      const auto c = static_cast<unsigned char>(s[i + k]);
      if ((c & 0xc0) != 0x80) {
        ok = false;
      } else {
        cp = (cp << 6) | (c & 0x3fu);
      }
    }
    // Overlong forms, surrogates and values past U+10FFFF are invalid too.
    if (ok && ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) ||
               (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) || (cp >= 0xd800 && cp <= 0xdfff))) {
      ok = false;
    }
    if (ok) {
      out.push_back(cp);
      i += len;
    } else {
      out.push_back(0xfffd);
      ++i;
    }
  }
  return out;
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xc0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xe0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  }
}

double interpolate(const std::vector<double>& x, const std::vector<double>& v, double at) {
  if (v.size() != x.size() || !std::isfinite(at)) return std::nan("");
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (x[i] == at) return std::isfinite(v[i]) ? v[i] : std::nan("");
    if (i + 1 < x.size() && x[i] < at && at < x[i + 1]) {
      const double t = (at - x[i]) / (x[i + 1] - x[i]);
      const double r = v[i] + t * (v[i + 1] - v[i]);
      return std::isfinite(r) ? r : std::nan("");
    }
  }
  return std::nan("");
}

std::string percent_label(const std::optional<double>& level) {
  if (!level || !std::isfinite(*level)) return {};
  return percent_text(*level) + "% ";
}

}  // namespace detail

using detail::decode_utf8;

// ---------------------------------------------------------------------------
// Validation, extent, ticks.

void validate_plot(const plot_data& d) {
  if (d.point_x.size() != d.point_y.size()) {
    throw usage_error(
        fmt::format("plot: {} point x values but {} y values", d.point_x.size(), d.point_y.size()));
  }
  for (const plot_series& s : d.series) {
    const std::size_t n = s.x.size();
    const auto check = [&](const std::vector<double>& v, const char* what, bool optional) {
      if (v.size() != n && !(optional && v.empty())) {
        throw usage_error(fmt::format("plot: series '{}' has {} x values but {} {} values", s.name,
                                      n, v.size(), what));
      }
    };
    check(s.fit, "fit", false);
    check(s.conf_lwr, "conf_lwr", true);
    check(s.conf_upr, "conf_upr", true);
    check(s.pred_lwr, "pred_lwr", true);
    check(s.pred_upr, "pred_upr", true);
    if (s.conf_lwr.empty() != s.conf_upr.empty() || s.pred_lwr.empty() != s.pred_upr.empty()) {
      throw usage_error(fmt::format("plot: series '{}' has one side of a band only", s.name));
    }
    if (s.kind != series_kind::fit && !(s.conf_lwr.empty() && s.pred_lwr.empty())) {
      throw usage_error(fmt::format("plot: guide '{}' has a band", s.name));
    }
    double last = -std::numeric_limits<double>::infinity();
    for (double x : s.x) {
      if (!std::isfinite(x)) continue;
      if (x < last) throw usage_error(fmt::format("plot: series '{}' x is not ascending", s.name));
      last = x;
    }
  }
}

namespace {

struct span {
  double lo = std::numeric_limits<double>::infinity();
  double hi = -std::numeric_limits<double>::infinity();
  void add(double v) {
    if (!std::isfinite(v)) return;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  void add(const std::vector<double>& vs) {
    for (double v : vs) add(v);
  }
  /// Widens an empty or zero-width span so that ticks and mappings are defined;
  /// "zero" is relative, since a span of 1e-13 around 1e6 has no ticks.
  void settle() {
    if (!(lo <= hi)) {
      lo = 0;
      hi = 1;
      return;
    }
    const double mag = std::max(std::abs(lo), std::abs(hi));
    if (hi - lo > mag * 1e-12) return;
    const double c = lo + (hi - lo) / 2;
    const double half = c != 0 ? std::abs(c) * 0.1 : 1;
    lo = c - half;
    hi = c + half;
  }
};

}  // namespace

plot_extent data_extent(const plot_data& d) {
  span x, y;
  x.add(d.point_x);
  y.add(d.point_y);
  x.add(d.train_min);
  x.add(d.train_max);
  for (const plot_series& s : d.series) {
    x.add(s.x);
    if (s.kind != series_kind::fit) continue;
    for (const auto* v : {&s.fit, &s.conf_lwr, &s.conf_upr, &s.pred_lwr, &s.pred_upr}) {
      // Only values at a finite x are drawn, so only those count.
      for (std::size_t i = 0; i < v->size() && i < s.x.size(); ++i) {
        if (std::isfinite(s.x[i])) y.add((*v)[i]);
      }
    }
  }
  x.settle();
  y.settle();
  return {x.lo, x.hi, y.lo, y.hi};
}

namespace {

/// m * 10^e computed so that negative exponents divide by an exact power of
/// ten: 3 * 0.1 would be 0.30000000000000004, 3 / 10 is the double nearest 0.3.
double scaled(double m, int e) { return e >= 0 ? m * std::pow(10.0, e) : m / std::pow(10.0, -e); }

int decimal_exponent(double v) {
  int e = static_cast<int>(std::floor(std::log10(v)));
  if (scaled(1, e + 1) <= v) ++e;
  if (scaled(1, e) > v) --e;
  return e;
}

/// v in scientific notation with `decimals` mantissa decimals, trailing zeros
/// and the exponent's '+' and leading zeros dropped: 1.50e+06 -> 1.5e6.
std::string compact_sci(double v, int decimals) {
  if (v == 0) return "0";
  std::string s = fmt::format("{:.{}e}", v, decimals);
  const std::size_t e = s.find('e');
  std::string mant = s.substr(0, e);
  if (mant.find('.') != std::string::npos) {
    mant.erase(mant.find_last_not_of('0') + 1);
    if (mant.back() == '.') mant.pop_back();
  }
  std::string exp = s.substr(e + 1);
  const std::string sign = exp[0] == '-' ? "-" : "";
  exp.erase(0, 1);
  exp.erase(0, std::min(exp.find_first_not_of('0'), exp.size() - 1));
  return mant + "e" + sign + exp;
}

/// Labels for ticks at multiples of 10^e: fixed notation with just enough
/// decimals, as %g would print them, unless scientific is shorter outside
/// [1e-4, 1e6) (1e6 rather than 1000000, but 1000000.0002 as it is).
std::vector<std::string> tick_labels(const std::vector<double>& values, int e) {
  double max_abs = 0;
  for (double v : values) max_abs = std::max(max_abs, std::abs(v));
  const int top = max_abs > 0 ? decimal_exponent(max_abs) : 0;
  const int sci_decimals = std::clamp(top - e, 0, 16);
  const int fixed_decimals = std::clamp(-e, 0, 17);
  const auto fixed = [&](double v) { return fmt::format("{:.{}f}", v + 0.0, fixed_decimals); };
  bool use_fixed = max_abs >= 1e-4 && max_abs < 1e6;
  if (!use_fixed) {
    std::size_t fixed_len = 0, sci_len = 0;
    for (double v : values) {
      fixed_len = std::max(fixed_len, fixed(v).size());
      sci_len = std::max(sci_len, compact_sci(v, sci_decimals).size());
    }
    use_fixed = fixed_len <= sci_len;
  }
  std::vector<std::string> out;
  for (double v : values) out.push_back(use_fixed ? fixed(v) : compact_sci(v, sci_decimals));
  return out;
}

}  // namespace

axis_ticks nice_ticks(double lo, double hi, int max_ticks, bool extend) {
  axis_ticks t;
  if (!(lo < hi) || !std::isfinite(lo) || !std::isfinite(hi) || !std::isfinite(hi - lo)) return t;
  max_ticks = std::max(max_ticks, 2);
  int e = decimal_exponent((hi - lo) / max_ticks);
  static const double mult[] = {1, 2, 5};
  double step = 0;
  double first = 0, last = 0;
  int m = 0;
  // The smallest nice step with at most max_ticks multiples in [lo, hi]; a
  // relative slack keeps a tick that sits on an end despite rounding.
  for (int guard = 0; guard < 60; ++guard) {
    step = scaled(mult[m], e);
    first = std::ceil(lo / step - 1e-9);
    last = std::floor(hi / step + 1e-9);
    if (last - first + 1 <= max_ticks) break;
    if (++m == 3) {
      m = 0;
      ++e;
    }
  }
  if (extend) {
    first = std::floor(lo / step + 1e-9);
    last = std::ceil(hi / step - 1e-9);
  }
  if (std::abs(first) > 1e15 || std::abs(last) > 1e15) return t;
  t.step = step;
  for (double i = first; i <= last; ++i) t.values.push_back(scaled(i * mult[m], e));
  t.labels = tick_labels(t.values, e);
  return t;
}

std::size_t display_width(std::string_view utf8) { return decode_utf8(utf8).size(); }

}  // namespace regress
