// predict --method averaged --new FILE for formula candidates: one
// new_row_reader per candidate over the file's header, the output's columns
// their union.

#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "averaged_predict.hpp"
#include "data_input.hpp"
#include "messages.hpp"
#include "regress/error.hpp"
#include "regress/model/frame.hpp"
#include "regress/reading/csv.hpp"
#include "regress/reading/number.hpp"

namespace regress::cli {
namespace {

bool is_factor(const model& m, const std::string& column) {
  for (const auto& f : m.terms->factor_columns) {
    if (f == column) return true;
  }
  return false;
}

/// The union of the candidates' columns: name, field in the record, text.
struct union_columns {
  std::vector<std::string> names;
  std::vector<std::size_t> fields;
  std::vector<bool> text;
};

union_columns columns_of(const std::vector<model>& ms, const std::vector<new_row_reader>& readers) {
  union_columns u;
  for (std::size_t i = 0; i < readers.size(); ++i) {
    for (std::size_t j = 0; j < readers[i].names().size(); ++j) {
      const std::string& name = readers[i].names()[j];
      bool seen = false;
      for (const auto& n : u.names) seen = seen || n == name;
      if (seen) continue;
      u.names.push_back(name);
      u.fields.push_back(readers[i].fields()[j]);
      u.text.push_back(is_factor(ms[i], name));
    }
  }
  return u;
}

/// The range values extrapolation_tally reads for `m`: its ranges' columns.
std::vector<double> range_values(const model& m, const row_values& row) {
  std::vector<double> out;
  for (const auto& r : m.ranges) {
    for (std::size_t i = 0; i < m.terms->numeric_columns.size(); ++i) {
      if (m.terms->numeric_columns[i] == r.name) out.push_back(double(row.numbers[i]));
    }
  }
  return out;
}

}  // namespace

void stream_formula_rows(const predict_options& o, std::istream& in, std::ostream& out,
                         averaged_sink& sink, std::ostream& err) {
  data_input source = open_data(o.data, o.new_file, in, &err, true);
  csv_reader csv(source.stream(), csv_options{source.delimiter, source.name});
  std::vector<std::string> header;
  if (!csv.next(header)) {
    throw data_error("the new data are empty; they need a header row", source.name);
  }
  std::vector<new_row_reader> readers;
  for (const auto& m : sink.ms) readers.emplace_back(*m.terms, header, source.name);
  const union_columns u = columns_of(sink.ms, readers);
  const std::size_t best = sink.w.best;
  if (sink.ms[best].fit.weighted && !readers[best].has_weights()) {
    warn(err,
         "assuming constant prediction variance even though the model fit is weighted "
         "(as R); give the new rows' weights in a column '" +
             sink.ms[best].terms->weights + "'");
  }
  prediction_writer writer(out, o.format, u.names, false);
  writer.set_text_columns(u.text);
  sink.writer = &writer;
  std::vector<std::string> fields;
  std::vector<row_values> rows(readers.size());
  std::vector<std::string_view> cells(u.names.size());
  std::vector<double> values(u.names.size());
  for (;;) {
    if (csv.would_block()) writer.flush();
    if (!csv.next(fields)) break;
    if (fields.size() != header.size()) {
      throw data_error("this row has " + std::to_string(fields.size()) +
                           " fields but the header has " + std::to_string(header.size()),
                       source.name, csv.line());
    }
    for (std::size_t j = 0; j < cells.size(); ++j) {
      cells[j] = fields[u.fields[j]];
      values[j] = std::numeric_limits<double>::quiet_NaN();
      if (!u.text[j]) parse_cell(cells[j], values[j]);
    }
    bool complete = true;
    double weight = 1;
    for (std::size_t i = 0; i < readers.size(); ++i) {
      double wi = 1;
      complete = readers[i].read(fields, csv.line(), rows[i], wi) && complete;
      if (i == best) weight = wi;
    }
    if (!complete) {
      writer.row_text(values.data(), cells.data(), nullptr);
      continue;
    }
    for (std::size_t i = 0; i < readers.size(); ++i) {
      sink.each[i] = predict_row(sink.ms[i], rows[i], sink.kind, sink.level, weight);
    }
    const prediction p = sink.combine(weight);
    writer.row_text(values.data(), cells.data(), &p);
    if (p.where == region::new_level) {
      ++sink.new_levels;
      ++sink.tally.rows;
      continue;
    }
    const std::vector<double> r = range_values(sink.ms[best], rows[best]);
    sink.tally.add(sink.ms[best], r.data(), p);
  }
  writer.finish();
}

}  // namespace regress::cli
