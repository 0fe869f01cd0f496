#include "method_option.hpp"

#include <algorithm>

#include "regress/error.hpp"
#include "regress/model/formula.hpp"
#include "regress/reading/table.hpp"

namespace regress::cli {

const char* to_string(interval_method m) noexcept {
  switch (m) {
    case interval_method::textbook:
      return "textbook";
    case interval_method::averaged:
      return "averaged";
    case interval_method::bootstrap:
      return "bootstrap";
  }
  return "textbook";
}

std::vector<interval_method> available_methods() {
  return {interval_method::textbook, interval_method::averaged, interval_method::bootstrap};
}

interval_method parse_method(const std::string& text) {
  for (auto m :
       {interval_method::textbook, interval_method::averaged, interval_method::bootstrap}) {
    if (text != to_string(m)) continue;
    const auto have = available_methods();
    if (std::find(have.begin(), have.end(), m) == have.end()) {
      throw usage_error("--method " + text + " is not available in this build");
    }
    return m;
  }
  throw usage_error("--method must be textbook, averaged or bootstrap; got '" + text + "'");
}

std::vector<interval_method> parse_methods(const std::string& text) {
  if (text == "all") return available_methods();
  std::vector<interval_method> out;
  for (const auto& item : split_list(text)) {
    const interval_method m = parse_method(item);
    if (std::find(out.begin(), out.end(), m) == out.end()) out.push_back(m);
  }
  if (out.empty()) throw usage_error("--method needs a method, such as textbook,averaged or all");
  return out;
}

void add_method_option(CLI::App& app, std::string& method, bool list) {
  app.add_option("--method", method,
                 list ? "Interval methods to compare: M[,M...] or all (textbook, averaged, "
                        "bootstrap)"
                      : "Intervals: textbook (default: R's t intervals), averaged (AICc-"
                        "weighted mixture over the candidates given by --degree D,D,... or "
                        "several formulas) or bootstrap (residual bootstrap, --boot, --seed)")
      ->default_val("textbook");
}

CLI::Validator seed_number() {
  return CLI::Validator(
      [](const std::string& text) {
        const bool digits = !text.empty() && text.size() <= 20 &&
                            text.find_first_not_of("0123456789") == std::string::npos &&
                            (text.size() < 20 || text <= "18446744073709551615");
        // In CLI11's words for a range, which parse_errors.cpp says in regress's.
        return digits ? std::string() : "Value " + text + " not in range 0 to 18446744073709551615";
      },
      "SEED");
}

std::vector<int> parse_degree_list(const std::string& text) {
  std::vector<int> out;
  for (const auto& item : split_list(text)) {
    int d = 0;
    std::size_t used = 0;
    try {
      d = std::stoi(item, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != item.size() || d < 1 || d > 20 || (!out.empty() && d <= out.back())) {
      throw usage_error("--degree '" + text +
                        "' is not a list of ascending degrees from 1 to 20, such as 1,2,3");
    }
    out.push_back(d);
  }
  if (out.empty()) throw usage_error("--degree needs a degree, such as 1 or 1,2,3");
  return out;
}

namespace {
int single_degree(const std::string& degrees) {
  int d = 0;
  std::size_t used = 0;
  try {
    d = std::stoi(degrees, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != degrees.size() || degrees.empty()) {
    throw usage_error("--degree expects a whole number; got '" + degrees + "'");
  }
  return d;
}
}  // namespace

std::vector<data_options> candidate_models(const data_options& data, const std::string& degrees,
                                           const std::vector<std::string>& more, bool several) {
  data_options base = data;
  std::vector<std::string> formulas;
  if (data.formula_given) {
    // With several formulas and no file the first positional is a formula.
    if (looks_like_formula(base.file)) {
      formulas.push_back(base.file);
      base.file = "-";
    }
    formulas.push_back(data.formula);
  }
  for (const auto& text : more) {
    if (text.find('~') == std::string::npos) {
      throw usage_error("'" + text + "' is not a formula (no '~'); several models are given as " +
                        "[FILE] FORMULA FORMULA...");
    }
    formulas.push_back(text);
  }
  const bool list = degrees.find(',') != std::string::npos;
  if (!several && (list || formulas.size() > 1)) {
    throw usage_error(
        "several models (--degree D,D,... or several formulas) are the candidates of "
        "--method averaged");
  }
  std::vector<data_options> out;
  if (!formulas.empty()) {
    if (list) {
      throw usage_error(
          "give the candidates either as formulas or with -y/-x and --degree, not both");
    }
    for (const auto& text : formulas) {
      data_options c = base;
      c.formula = text;
      c.formula_given = true;
      c.degree = single_degree(degrees);
      out.push_back(c);
    }
    return out;
  }
  for (int d : list ? parse_degree_list(degrees) : std::vector<int>{single_degree(degrees)}) {
    data_options c = base;
    c.degree = d;
    out.push_back(c);
  }
  return out;
}

}  // namespace regress::cli
