#include "anova_command.hpp"

#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include "file_checks.hpp"
#include "regress/analyses/anova.hpp"
#include "regress/error.hpp"
#include "regress/output/anova_table.hpp"

namespace regress::cli {
namespace {

/// --degree's list: whole numbers from 1 to 10, ascending.
std::vector<int> parse_degrees(const std::string& text) {
  std::vector<int> out;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    int d = 0;
    std::size_t used = 0;
    try {
      d = std::stoi(item, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != item.size() || d < 1 || d > 10 || (!out.empty() && d <= out.back())) {
      throw usage_error("--degree '" + text +
                        "' is not a list of ascending degrees from 1 to 10, such as 1,2,3");
    }
    out.push_back(d);
  }
  if (out.empty()) throw usage_error("--degree needs a degree, such as 1 or 1,2,3");
  return out;
}

/// One data_options per model: a formula each, or -y/-x at each degree.
std::vector<data_options> models_of(const anova_flags& f) {
  data_options base = f.data;
  std::vector<std::string> formulas = f.words;
  if (!formulas.empty() && formulas.front().find('~') == std::string::npos) {
    base.file = formulas.front();
    formulas.erase(formulas.begin());
  }
  // -f FORMULA is one more model, after the positional ones.
  if (!base.formula.empty()) formulas.push_back(base.formula);
  std::vector<data_options> out;
  if (!formulas.empty()) {
    if (!base.response.empty() || !base.predictors.empty() || f.degrees != "1") {
      throw usage_error(
          "give the models either as formulas or with -y/-x (and --degree), "
          "not both");
    }
    for (const auto& text : formulas) {
      if (text.find('~') == std::string::npos) {
        throw usage_error("'" + text +
                          "' is not a formula (no '~'); anova takes [FILE] FORMULA [FORMULA...]");
      }
      data_options o = base;
      o.formula = text;
      o.formula_given = true;
      out.push_back(o);
    }
    return out;
  }
  if (base.response.empty() && base.predictors.empty()) {
    throw usage_error(
        "give a formula, or the model with -y/-x, e.g. regress anova data.csv "
        "'y ~ x + g'");
  }
  for (int d : parse_degrees(f.degrees)) {
    data_options o = base;
    o.degree = d;
    out.push_back(o);
  }
  return out;
}

}  // namespace

void setup_anova(CLI::App& app, anova_flags& f) {
  app.add_option("words", f.words,
                 "[FILE] FORMULA [FORMULA...]: the CSV (- or none: standard input) and one "
                 "model, or nested models from the smallest to the largest");
  add_data_options(app, f.data, false, false);
  app.add_option("--degree", f.degrees,
                 "With -y/-x: the polynomial degrees to compare, ascending (e.g. 1,2,3)")
      ->default_val("1");
  app.add_option("--format", f.format, "Output: text (like R's print of anova()), csv, tsv or json")
      ->default_val("text");
  app.footer(
      "One model: R's sequential (type I) anova(lm) table, from the fit's accumulated cross\n"
      "products (one pass). Several: anova(m1, m2, ...), the F test of what each model adds\n"
      "to the one before; they must be nested in the order given and fitted to the same\n"
      "rows (otherwise refused). Standard input is held in memory to fit several models.\n"
      "Examples:\n"
      "  regress anova data/mtcars.csv 'mpg ~ wt * factor(cyl)'\n"
      "  regress anova data/mtcars.csv 'mpg ~ wt' 'mpg ~ wt + factor(cyl)'\n"
      "  regress anova data/cars.csv -y dist -x speed --degree 1,2,3\n");
}

int run_anova(const anova_flags& f, std::istream& in, std::ostream& out, std::ostream& err) {
  const output_format format = parse_format(f.format);
  if (format == output_format::ndjson) {
    throw usage_error(
        "--format for anova must be text, csv, tsv or json (ndjson is for the commands that "
        "write rows: predict, explore, backtest, augment, check)");
  }
  const std::vector<data_options> options = models_of(f);
  const bool from_stdin = options.front().file.empty() || options.front().file == "-";
  check_files({{"the input", options.front().file}}, {}, &in == &std::cin);
  // Several models read standard input once each: keep it.
  std::string held;
  if (from_stdin && options.size() > 1) {
    check_stdin(in);
    held.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  std::vector<model> models;
  for (const auto& o : options) {
    std::istringstream copy(held);
    std::istream& source = from_stdin && options.size() > 1 ? copy : in;
    models.push_back(fit_formula_data(o, source, err, false).fitted);
  }
  if (models.size() == 1) {
    write_anova(out, sequential_anova(models.front()), format);
  } else {
    write_anova_models(out, compare_models(models), format);
  }
  return 0;
}

}  // namespace regress::cli
