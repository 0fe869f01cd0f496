// libFuzzer target: regress::parse_formula, the R model-formula parser, on
// any bytes, with the header a, b, c, y, `Air Flow`.
//
// Oracles:
//  - only regress::usage_error escapes, its message is one line and starts
//    "formula '";
//  - a text without '~' outside backquotes (looks_like_formula) never parses;
//  - an accepted formula is consistent: one label per variable, each its
//    deparse; every column read is in the header; each term's variables are
//    ascending, distinct and in range, its label their labels joined by ':';
//    no two terms alike; terms in non-decreasing order of interaction;
//  - parsing is deterministic (a second parse gives the same labels);
//  - the labels parse back: "<response> ~ <term labels joined by +>" (with
//    "- 1" when there is no intercept) gives the same terms (each as its set
//    of variable labels) and intercept. Skipped when two variables share a
//    label (R's 15-digit numbers can merge them) or a number is subnormal or
//    above 1e300 (its 15 digits need not read back to the same digits).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "regress/error.hpp"
#include "regress/model/formula.hpp"

namespace {

const std::vector<std::string> header{"a", "b", "c", "y", "Air Flow"};

[[noreturn]] void finding(const char* what, std::string_view text) {
  std::fprintf(stderr, "FINDING: %s for the formula \"", what);
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u < 0x7f && c != '"' && c != '\\') {
      std::fputc(c, stderr);
    } else {
      std::fprintf(stderr, "\\x%02x", u);
    }
  }
  std::fprintf(stderr, "\"\n");
  std::abort();
}

/// Parses, turning every usage_error into false after checking its message.
bool parses(std::string_view text, regress::parsed_formula& out) {
  try {
    out = regress::parse_formula(text, header);
    return true;
  } catch (const regress::usage_error& e) {
    const std::string message = e.what();
    if (message.rfind("formula '", 0) != 0) finding("a message not starting \"formula '\"", text);
    if (message.find('\n') != std::string::npos) finding("a message of several lines", text);
    return false;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s\n", e.what());
    finding("an exception other than usage_error", text);
  }
}

/// A number whose 15 printed digits need not read back to the same digits:
/// subnormal, or so large that they read back as infinity.
bool extreme_number(const regress::formula_expr& e) {
  if (e.type == regress::formula_expr::kind::number && e.number != 0 &&
      (std::fabs(e.number) < 1e-290 || std::fabs(e.number) > 1e300)) {
    return true;
  }
  return std::any_of(e.args.begin(), e.args.end(), extreme_number);
}

/// Each term as the sorted labels of its variables.
std::vector<std::vector<std::string>> term_sets(const regress::parsed_formula& f) {
  std::vector<std::vector<std::string>> out;
  for (const auto& t : f.terms) {
    std::vector<std::string> labels;
    for (const std::size_t v : t.variables) labels.push_back(f.labels.at(v));
    std::sort(labels.begin(), labels.end());
    out.push_back(std::move(labels));
  }
  return out;
}

void check_consistent(const regress::parsed_formula& f, std::string_view text) {
  if (f.labels.size() != f.variables.size()) finding("not one label per variable", text);
  for (std::size_t i = 0; i < f.variables.size(); ++i) {
    if (regress::deparse(f.variables[i]) != f.labels[i])
      finding("a label is not the deparse", text);
    for (const std::string& c : regress::columns_of(f.variables[i])) {
      if (std::find(header.begin(), header.end(), c) == header.end()) {
        finding("a variable reads a column not in the header", text);
      }
    }
  }
  if (regress::columns_of(f.response).empty()) finding("a response that reads no column", text);
  std::set<std::vector<std::size_t>> seen;
  std::size_t order = 0;
  for (const auto& t : f.terms) {
    if (t.variables.empty()) finding("an empty term", text);
    if (t.variables.size() < order) finding("terms out of interaction order", text);
    order = t.variables.size();
    std::string label;
    for (std::size_t k = 0; k < t.variables.size(); ++k) {
      if (t.variables[k] >= f.variables.size()) finding("a term variable out of range", text);
      if (k > 0 && t.variables[k] <= t.variables[k - 1]) finding("term variables unsorted", text);
      label += (k > 0 ? ":" : "") + f.labels[t.variables[k]];
    }
    if (label != t.label) finding("a term label is not its variables' labels", text);
    if (!seen.insert(t.variables).second) finding("a term twice", text);
  }
}

void check_round_trip(const regress::parsed_formula& f, std::string_view text) {
  const std::set<std::string> distinct(f.labels.begin(), f.labels.end());
  if (distinct.size() != f.labels.size()) return;
  if (extreme_number(f.response) ||
      std::any_of(f.variables.begin(), f.variables.end(), extreme_number)) {
    return;
  }
  std::string rebuilt = regress::deparse(f.response) + " ~ ";
  for (std::size_t i = 0; i < f.terms.size(); ++i) {
    rebuilt += (i > 0 ? " + " : "") + f.terms[i].label;
  }
  if (f.terms.empty()) rebuilt += "1";
  if (!f.intercept) rebuilt += " - 1";
  if (rebuilt.size() > 100000) return;
  regress::parsed_formula g;
  if (!parses(rebuilt, g)) finding("the labels of an accepted formula do not parse back", text);
  if (term_sets(g) != term_sets(f) || g.intercept != f.intercept) {
    finding("the labels of an accepted formula parse back to other terms", text);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  regress::parsed_formula f;
  if (!parses(text, f)) return 0;
  if (!regress::looks_like_formula(text)) finding("a formula without '~' was accepted", text);
  check_consistent(f, text);
  regress::parsed_formula again;
  if (!parses(text, again) || again.labels != f.labels || again.intercept != f.intercept ||
      term_sets(again) != term_sets(f)) {
    finding("a second parse differs", text);
  }
  check_round_trip(f, text);
  return 0;
}
