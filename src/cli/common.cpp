#include "common.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <sstream>

#include "data_input.hpp"
#include "file_checks.hpp"
#include "messages.hpp"
#include "regress/error.hpp"
#include "regress/model/design.hpp"
#include "regress/model/formula.hpp"

namespace regress::cli {

input open_input(const std::string& path, std::istream& in) {
  input result;
  if (path.empty() || path == "-") {
    check_stdin(in);
    result.stream = &in;
    result.name = "<stdin>";
    return result;
  }
  std::error_code ec;  // a loop of links or a long name: the open's error below
  if (std::filesystem::is_directory(path, ec)) {
    throw data_error("'" + path + "' is a directory; give a CSV file");
  }
  result.file = std::make_unique<std::ifstream>(path, std::ios::binary);
  if (!*result.file) {
    throw data_error("cannot open '" + path + "': " + std::strerror(errno) +
                     "; check the path, or use - to read standard input");
  }
  result.stream = result.file.get();
  result.name = path;
  return result;
}

void add_data_options(CLI::App& app, data_options& o, bool file_positional, bool degree_option) {
  if (file_positional) {
    app.add_option("file", o.file, "CSV file with a header row; - or none reads standard input");
    app.add_option("formula", o.formula,
                   "The model as an R formula, e.g. 'y ~ x + log(z) + group' (instead of -y/-x)")
        ->each([&o](const std::string&) { o.formula_given = true; });
    // A lone positional with a '~' is the formula, and the data come from stdin.
    app.parse_complete_callback([&o] {
      if (!o.formula_given && looks_like_formula(o.file)) {
        o.formula = o.file;
        o.formula_given = true;
        o.file = "-";
      }
    });
  }
  app.add_option("-f,--formula", o.formula, "The model as an R formula (as the positional one)")
      ->each([&o](const std::string&) { o.formula_given = true; });
  app.add_option("--weights", o.weights,
                 "Column of case weights (weighted least squares, as lm(weights =))");
  app.add_option("-y,--response", o.response, "Response column, by header name or 1-based index");
  app.add_option("-x,--predictor", o.predictors,
                 "Predictor column(s), by name or 1-based index; repeat or separate with commas")
      ->delimiter(',')
      // One value per -x (repeat it, or use commas), so that a file name
      // after -x is not taken for a column.
      ->expected(1)
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  if (degree_option) {
    app.add_option("--degree", o.degree,
                   "Fit a polynomial of this degree in the single predictor (raw powers)")
        ->default_val(1);
  }
  app.add_flag("--no-intercept", o.no_intercept, "Fit through the origin");
  app.add_option("--delimiter", o.delimiter,
                 "Field delimiter: a character, or 'tab' (default: found from the first lines, "
                 "else ',' or tab for .tsv)");
  add_text_options(app, o);
}

model fit_from_data(const data_options& o, std::istream& in, std::ostream& err) {
  return uses_formula(o) ? fit_formula_data(o, in, err).fitted : fit_data(o, in, err, true).fitted;
}

namespace {
std::string dropped_rows_message(std::size_t dropped, std::size_t read) {
  return "dropped " + std::to_string(dropped) + " of " + std::to_string(read) +
         " rows with a missing value in a column the model uses (as R's na.omit)";
}

model_spec base_spec(const data_options& o) {
  model_spec spec;
  spec.degree = o.degree;
  spec.intercept = !o.no_intercept;
  spec.level = o.level;
  if (!(spec.level > 0 && spec.level < 1)) {
    throw usage_error("--level must be strictly between 0 and 1, for example 0.95");
  }
  if (spec.degree < 1) throw usage_error("--degree must be at least 1");
  if (spec.degree > 20) throw usage_error("--degree above 20 is not supported");
  return spec;
}
}  // namespace

engine_result fit_data(const data_options& o, std::istream& in, std::ostream& err,
                       bool need_max_leverage, bool keep_unsolvable,
                       const std::vector<int>& also_degrees) {
  const model_spec spec = base_spec(o);
  engine_options eo = engine_options_for(o, err);
  eo.need_max_leverage = need_max_leverage;
  eo.keep_unsolvable = keep_unsolvable;
  eo.also_degrees = also_degrees;
  const column_chooser choose = [&](const std::vector<std::string>& header) {
    return choose_columns(o, spec, header, &err);
  };
  engine_result r;
  // A bigger pipe buffer halves the switches between the writer and us.
  if ((o.file.empty() || o.file == "-") && &in == &std::cin) {
    (void)::fcntl(STDIN_FILENO, F_SETPIPE_SZ, 1 << 20);
  }
  const engine_input input = open_engine_input(o, in, err);
  eo.delimiter = input.delimiter;
  if (input.stream) {
    eo.source = input.stream->name;
    r = fit_csv_stream(input.stream->stream(), choose, eo);
  } else {
    r = fit_csv_file(o.file, choose, eo);
  }
  for (const auto& w : r.warnings) warn(err, w);
  if (r.rows_dropped > 0) warn(err, dropped_rows_message(r.rows_dropped, r.rows_read));
  return r;
}

column_choice choose_columns(const data_options& o, const model_spec& base,
                             const std::vector<std::string>& header, std::ostream* err) {
  if (err != nullptr) warn_shadowed_indices(o, header, *err);
  model_spec spec = base;
  std::vector<std::size_t> indices;
  if (o.response.empty()) {
    if (header.size() == 2 && o.predictors.empty()) {
      indices = {1, 0};
    } else {
      throw usage_error("choose the response with -y and predictors with -x; the columns are: " +
                        column_list(header));
    }
  } else {
    const std::vector<std::size_t> response = resolve_columns(header, o.response);
    if (response.size() != 1) {
      throw usage_error("-y takes one column; got the range '" + o.response + "'");
    }
    indices.push_back(response.front());
    if (o.predictors.empty()) {
      if (header.size() != 2) {
        throw usage_error("choose the predictors with -x; the columns are: " + column_list(header));
      }
      indices.push_back(1 - indices[0]);
    }
    for (const auto& p : o.predictors) {
      const std::vector<std::size_t> chosen = resolve_columns(header, p);
      indices.insert(indices.end(), chosen.begin(), chosen.end());
    }
  }
  // Terms, saved models and --new files name the columns, so a used column
  // needs a name (an unnamed one, like R's row-name column, is fine unused).
  for (const std::size_t i : indices) {
    if (header[i].empty()) {
      throw usage_error("column " + std::to_string(i + 1) +
                        " has an empty name in the header; name it to use it in the model");
    }
  }
  // Two columns named alike stay apart under R's make.unique names.
  const std::vector<std::string> names = unique_names(header);
  spec.response = names[indices[0]];
  for (std::size_t i = 1; i < indices.size(); ++i) spec.predictors.push_back(names[indices[i]]);
  // validate() says these in the library's words; the command line names its flags.
  if (spec.degree > 1 && spec.predictors.size() != 1) {
    throw usage_error("--degree needs exactly one predictor; got " +
                      std::to_string(spec.predictors.size()));
  }
  for (const auto& p : spec.predictors) {
    if (p == spec.response) {
      throw usage_error("column '" + p + "' is both the response (-y) and a predictor (-x)");
    }
  }
  validate(spec);
  return column_choice{spec, indices};
}

loaded_data load_data(const data_options& o, std::istream& in, std::ostream& err) {
  if (uses_formula(o)) {
    // Not silently the two-column default: explore and backtest take formulas later.
    throw usage_error(
        "this command takes -y/-x models; formulas and --weights work with fit "
        "and predict so far");
  }
  const model_spec base = base_spec(o);
  data_input source = open_data(o, o.file, in, &err, false);
  csv_reader reader(source.stream(), csv_options{source.delimiter, source.name, o.max_line_bytes});
  std::vector<std::string> header;
  if (!reader.next(header)) {
    throw data_error("the input is empty; it needs a header row and data rows", source.name);
  }
  const column_choice choice = choose_columns(o, base, header, &err);
  const model_spec& spec = choice.spec;
  const std::vector<std::size_t>& indices = choice.indices;

  const table data = read_columns(reader, header, indices);
  design d = make_design(spec, data);
  if (d.rows_dropped > 0) warn(err, dropped_rows_message(d.rows_dropped, data.rows()));
  return loaded_data{spec, std::move(d)};
}

output_format parse_format(const std::string& text) {
  if (text == "text") return output_format::text;
  if (text == "csv") return output_format::csv;
  if (text == "tsv") return output_format::tsv;
  if (text == "json") return output_format::json;
  if (text == "ndjson") return output_format::ndjson;
  throw usage_error("--format must be text, csv, tsv, json or ndjson; got '" + text + "'");
}

/// A bound of 0 counts as not given, as it always has.
trust_bounds resolve_trust(double max_widening, double max_halfwidth) {
  trust_bounds bounds;
  if (max_widening != 0) bounds.max_widening = max_widening;
  if (max_halfwidth != 0) bounds.max_halfwidth = max_halfwidth;
  if (!bounds.max_widening && !bounds.max_halfwidth) {
    throw usage_error("a trust range needs --max-widening and/or --max-halfwidth");
  }
  if (bounds.max_widening && !(*bounds.max_widening >= 1)) {
    throw usage_error("--max-widening must be at least 1 (1 = the narrowest interval)");
  }
  if (bounds.max_halfwidth && !(*bounds.max_halfwidth > 0)) {
    throw usage_error("--max-halfwidth must be positive");
  }
  return bounds;
}

}  // namespace regress::cli
