// predict for a model fitted from a formula: new rows are the model's columns
// (numbers and factor levels), the formula is applied to them, and each row
// says where it lies, within its own cell of the factors.

#include "formula_predict.hpp"

#include <fmt/format.h>

#include <limits>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "data_input.hpp"
#include "messages.hpp"
#include "regress/analyses/explore.hpp"
#include "regress/error.hpp"
#include "regress/model/frame.hpp"
#include "regress/model/terms.hpp"
#include "regress/output/prediction_rows.hpp"
#include "regress/reading/csv.hpp"

namespace regress::cli {
namespace {

/// Predicts each row and writes it, keeping the account for the warnings.
struct formula_sink {
  const model& m;
  const predict_options& o;
  double level;
  prediction_writer& writer;
  extrapolation_tally tally;
  std::set<std::pair<std::string, std::string>> unseen;  // (column, level)
  std::size_t new_levels = 0;
  std::optional<double> ceiling;  ///< leverage bound of the trust range, when asked
  std::size_t untrusted = 0;
  const bootstrap_replicates* boot = nullptr;  ///< --method bootstrap: its replicates

  /// The row's numbers per output column (predictor_columns order): NaN
  /// for a text column or a missing value.
  std::vector<double> numbers(const row_values& row, std::size_t columns) const {
    std::vector<double> values(columns, std::numeric_limits<double>::quiet_NaN());
    const auto names = predictor_columns(*m.terms);
    for (std::size_t j = 0; j < names.size() && j < columns; ++j) {
      for (std::size_t i = 0; i < m.terms->numeric_columns.size(); ++i) {
        if (m.terms->numeric_columns[i] == names[j]) values[j] = double(row.numbers.at(i));
      }
    }
    return values;
  }

  /// A row missing a value the model reads: its cells as given, no prediction.
  void missing(const row_values& row, const std::vector<std::string_view>& cells) {
    const std::vector<double> values = numbers(row, cells.size());
    writer.row_text(values.data(), cells.data(), nullptr);
  }

  void point(const row_values& row, double weight, const std::vector<std::string_view>& cells) {
    std::size_t var = 0;
    const prediction p = boot != nullptr
                             ? bootstrap_predict_row(m, *boot, row, o.kind, level, weight, &var)
                             : predict_row(m, row, o.kind, level, weight, &var);
    const std::vector<double> values = numbers(row, cells.size());
    // As for -y/-x models: inside the trust range when the leverage is at
    // most the ceiling (a new level has no leverage: never inside).
    const bool trusted = ceiling && p.where != region::new_level && p.leverage <= *ceiling;
    if (ceiling && !trusted) ++untrusted;
    writer.row_text(values.data(), cells.data(), &p, trusted);
    if (p.where == region::new_level) {
      ++new_levels;
      ++tally.rows;  // a row of the count; its own warning says why it has no prediction
      const variable_coding& v = m.terms->variables.at(var);
      for (std::size_t c = 0; c < m.terms->factor_columns.size(); ++c) {
        if (m.terms->factor_columns[c] == v.column) {
          unseen.emplace(v.column, std::string(row.text[c]));
        }
      }
      for (std::size_t i = 0; v.numeric_levels && i < m.terms->numeric_columns.size(); ++i) {
        if (m.terms->numeric_columns[i] == v.column) {
          unseen.emplace(v.column, r_number_name(double(row.numbers[i])));
        }
      }
      return;
    }
    std::vector<double> range_values;
    for (const auto& r : m.ranges) {
      for (std::size_t i = 0; i < m.terms->numeric_columns.size(); ++i) {
        if (m.terms->numeric_columns[i] == r.name) range_values.push_back(double(row.numbers[i]));
      }
    }
    tally.add(m, range_values.data(), p);
  }
};

/// The new data's file, read up to its header and checked against the model
/// before anything is written (a missing column is an error with stdout empty).
struct new_data {
  data_input source;
  csv_reader csv;
  std::vector<std::string> header;
  std::optional<new_row_reader> rows;
  new_data(const predict_options& o, const model& m, std::istream& in, std::ostream& err)
      : source(open_data(o.data, o.new_file, in, &err, true)),
        csv(source.stream(), csv_options{source.delimiter, source.name}) {
    if (!csv.next(header))
      throw data_error("the new data are empty; they need a header row", source.name);
    rows.emplace(*m.terms, header, source.name);
  }
};

void stream_rows(const model& m, new_data& d, formula_sink& sink, std::ostream& err) {
  const new_row_reader& rows = *d.rows;
  if (m.fit.weighted && !rows.has_weights()) {
    warn(err,
         "assuming constant prediction variance even though the model fit is weighted "
         "(as R); give the new rows' weights in a column '" +
             m.terms->weights + "'");
  }
  std::vector<std::string> fields;
  row_values row;
  std::vector<std::string_view> cells(rows.names().size());
  for (;;) {
    if (d.csv.would_block()) sink.writer.flush();
    if (!d.csv.next(fields)) break;
    if (fields.size() != d.header.size()) {
      throw data_error("this row has " + std::to_string(fields.size()) +
                           " fields but the header has " + std::to_string(d.header.size()),
                       d.source.name, d.csv.line());
    }
    for (std::size_t j = 0; j < cells.size(); ++j) cells[j] = fields[rows.fields()[j]];
    double weight = 1;
    if (rows.read(fields, d.csv.line(), row, weight)) {
      sink.point(row, weight, cells);
    } else {
      sink.missing(row, cells);
    }
  }
}

/// The row of a point of --at/--range: `name` at v, other columns NaN.
row_values at_row(const model_terms& t, const std::string& name, double v) {
  row_values row;
  for (const auto& c : t.numeric_columns) {
    row.numbers.emplace_back(c == name ? v : std::numeric_limits<double>::quiet_NaN());
  }
  return row;
}

/// --at/--range: the values of the model's one numeric column (no factors).
std::vector<double> at_values(const predict_options& o, const model& m) {
  std::vector<double> values(o.at);
  for (std::size_t i = 0; i < o.range.count; ++i) values.push_back(o.range.at(i));
  const auto names = predictor_columns(*m.terms);
  if (!values.empty() && (names.size() != 1 || !m.terms->factor_columns.empty())) {
    throw usage_error(
        "--at and --range need a model that reads one numeric column; use --new "
        "FILE with columns " +
        fmt::format("{}", fmt::join(names, ", ")));
  }
  check_defined(m, values);
  return values;
}

void predict_at(const std::vector<double>& values, const model& m, formula_sink& sink) {
  if (values.empty()) return;
  const std::string name = predictor_columns(*m.terms).at(0);  // a copy: the vector is a temporary
  for (double v : values) {
    const std::string text = fmt::format("{}", v);
    sink.point(at_row(*m.terms, name, v), 1, {std::string_view(text)});
  }
}
}  // namespace

void check_formula_inverse(const model& m) {
  const model_terms& t = *m.terms;
  const std::string what =
      "--inverse takes a formula whose fitted curve is a straight line in one numeric column, "
      "with an intercept, no factors and no weights (such as 'y ~ x' or 'y ~ I(x)'); ";
  if (!t.factor_columns.empty() || m.ranges.size() != 1 || !t.weights.empty()) {
    throw usage_error(what + "'" + t.formula + "' is not one");
  }
  auto plain = [](const formula_expr& e) {
    const formula_expr* x = &e;
    while (x->type == formula_expr::kind::paren ||
           (x->type == formula_expr::kind::call && x->name == "I" && x->args.size() == 1)) {
      x = &x->args.at(0);
    }
    return x->type == formula_expr::kind::column;
  };
  const bool line = t.intercept && m.slope_terms.size() == 1 && m.aliased.empty() &&
                    t.variables.size() == 1 &&
                    t.variables[0].type == variable_coding::kind::numeric &&
                    plain(t.variables[0].expr) && plain(t.response);
  if (!line) {
    throw usage_error(what + "'" + t.formula +
                      "' is not one (for a curve, read the x off 'regress explore')");
  }
}

int run_formula_predict(const predict_options& o, const model& m, double level, std::istream& in,
                        std::ostream& out, std::ostream& err, const bootstrap_replicates* boot) {
  const std::vector<double> at = at_values(o, m);
  const auto names = predictor_columns(*m.terms);
  std::vector<bool> text;
  for (const auto& n : names) {
    bool is_text = false;
    for (const auto& f : m.terms->factor_columns) is_text = is_text || f == n;
    text.push_back(is_text);
  }
  // The trust range's ceiling on the leverage, from the narrowest interval
  // the account of extrapolation widens from (explore.hpp).
  std::optional<double> ceiling;
  if (o.trust) ceiling = leverage_ceiling(m, line_at_means(m, 0), *o.trust, level);
  std::optional<new_data> fresh;
  if (!o.new_file.empty()) fresh.emplace(o, m, in, err);
  prediction_writer writer(out, o.format, names, ceiling.has_value());
  writer.set_text_columns(text);
  formula_sink sink{m, o, level, writer, {}, {}, 0, ceiling, 0, boot};
  predict_at(at, m, sink);
  if (fresh) stream_rows(m, *fresh, sink, err);
  writer.finish();
  for (const auto& [column, value] : sink.unseen) {
    warn(err, "column '" + column + "': level '" + value +
                  "' was never seen in training; its rows have region new_level and no "
                  "prediction");
  }
  if (sink.tally.extrapolated > 0) warn(err, sink.tally.message());
  if (sink.untrusted > 0) {
    warn(err, fmt::format("{} of {} points lie outside the trust range", sink.untrusted,
                          sink.tally.rows));
  }
  if (o.fail_on_extrapolation &&
      (sink.tally.extrapolated > 0 || sink.new_levels > 0 || sink.untrusted > 0)) {
    report_error(err, extrapolation_failure(o));
    return extrapolated;
  }
  return 0;
}

void check_defined(const model& m, const std::vector<double>& values) {
  if (values.empty()) return;
  const std::string name = predictor_columns(*m.terms).at(0);
  std::vector<dd> full(m.terms->columns.size());
  for (double v : values) design_row(*m.terms, at_row(*m.terms, name, v), full.data(), nullptr);
}

}  // namespace regress::cli
