#include "support/text.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <sstream>

#include "support/files.hpp"

namespace test_support {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::vector<std::string> split(const std::string& line, char delimiter) {
  std::vector<std::string> fields;
  std::string field;
  for (char c : line) {
    if (c == delimiter) {
      fields.push_back(field);
      field.clear();
    } else {
      field += c;
    }
  }
  fields.push_back(field);
  return fields;
}

std::size_t count_lines(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

std::size_t code_points(const std::string& s) {
  return static_cast<std::size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::size_t table_text::column(const std::string& name) const {
  const auto it = std::find(header.begin(), header.end(), name);
  REQUIRE(it != header.end());
  return static_cast<std::size_t>(it - header.begin());
}

double table_text::number(std::size_t row, const std::string& name) const {
  return std::stod(rows.at(row).at(column(name)));
}

const std::string& table_text::text(std::size_t row, const std::string& name) const {
  return rows.at(row).at(column(name));
}

std::vector<double> table_text::numbers(const std::string& name) const {
  std::vector<double> values;
  const std::size_t c = column(name);
  for (const auto& row : rows) values.push_back(std::stod(row.at(c)));
  return values;
}

table_text parse_table(const std::string& text, char delimiter) {
  table_text t;
  const auto lines = lines_of(text);
  REQUIRE(!lines.empty());
  t.header = split(lines[0], delimiter);
  for (std::size_t i = 1; i < lines.size(); ++i) {
    t.rows.push_back(split(lines[i], delimiter));
    REQUIRE(t.rows.back().size() == t.header.size());
  }
  return t;
}

std::vector<double> csv_column(const std::string& path, const std::string& name) {
  const table_text t = parse_table(read_file(path));
  return t.numbers(name);
}

std::vector<double> fit_figures(const std::string& csv) {
  std::vector<double> v;
  std::istringstream in(csv);
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string term, est, se;
    std::getline(fields, term, ',');
    std::getline(fields, est, ',');
    std::getline(fields, se, ',');
    v.push_back(std::stod(est));
    v.push_back(std::stod(se));
  }
  return v;
}

}  // namespace test_support
