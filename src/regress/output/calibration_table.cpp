#include "regress/output/calibration_table.hpp"

#include <string>

namespace regress {

void write_calibrations(std::ostream& out, const std::vector<calibration>& rows,
                        output_format format, std::string_view x_name) {
  std::string text;
  const bool lines = format == output_format::ndjson;
  if (format == output_format::json || lines) {
    const std::string x_key = ", " + json_quote(x_name) + ": ";
    if (!lines) text += '[';
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const calibration& r = rows[i];
      if (!lines) text += i ? ",\n  " : "\n  ";
      text += "{\"y\": ";
      append_json_number(text, r.y);
      text += x_key;
      append_json_number(text, r.x);
      text += ", \"lwr\": ";
      append_json_number(text, r.lwr);
      text += ", \"upr\": ";
      append_json_number(text, r.upr);
      text += ", \"shape\": ";
      text += json_quote(shape_name(r.shape));
      text += lines ? "}\n" : "}";
    }
    if (!lines) text += rows.empty() ? "]\n" : "\n]\n";
  } else {
    const char d = delimiter_of(format);
    text += "y";
    text += d;
    text += table_field(x_name, d);
    for (const char* name : {"lwr", "upr", "shape"}) {
      text += d;
      text += name;
    }
    text += '\n';
    for (const calibration& r : rows) {
      for (double v : {r.y, r.x, r.lwr, r.upr}) {
        append_number(text, v);
        text += d;
      }
      text += shape_name(r.shape);
      text += '\n';
    }
  }
  out << text;
  out.flush();
}

}  // namespace regress
