#include "regress/output/calibration_table.hpp"

#include <string>

namespace regress {

void write_calibrations(std::ostream& out, const std::vector<calibration>& rows,
                        output_format format) {
  std::string text;
  if (format == output_format::json) {
    text += '[';
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const calibration& r = rows[i];
      text += i ? ",\n  {\"y\": " : "\n  {\"y\": ";
      append_json_number(text, r.y);
      text += ", \"x\": ";
      append_json_number(text, r.x);
      text += ", \"lwr\": ";
      append_json_number(text, r.lwr);
      text += ", \"upr\": ";
      append_json_number(text, r.upr);
      text += '}';
    }
    text += rows.empty() ? "]\n" : "\n]\n";
  } else {
    const char d = delimiter_of(format);
    for (const char* name : {"y", "x", "lwr"}) {
      text += name;
      text += d;
    }
    text += "upr\n";
    for (const calibration& r : rows) {
      for (double v : {r.y, r.x, r.lwr}) {
        append_number(text, v);
        text += d;
      }
      append_number(text, r.upr);
      text += '\n';
    }
  }
  out << text;
  out.flush();
}

}  // namespace regress
