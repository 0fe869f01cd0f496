#include "regress/reading/table.hpp"

#include <algorithm>
#include <limits>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "regress/error.hpp"
#include "regress/reading/number.hpp"

namespace regress {

std::vector<std::string> unique_names(const std::vector<std::string>& header) {
  // R's do_makeunique: each repeat of a name takes the first counter (from 1,
  // kept per name) whose "name.counter" is not yet in use.
  std::vector<std::string> names = header;
  std::unordered_set<std::string> used(header.begin(), header.end());
  std::unordered_map<std::string, std::size_t> next;
  std::unordered_set<std::string> seen;
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (seen.insert(header[i]).second) continue;
    std::size_t& counter = next.try_emplace(header[i], 1).first->second;
    std::string candidate;
    do {
      candidate = header[i] + "." + std::to_string(counter++);
    } while (used.count(candidate) != 0);
    used.insert(candidate);
    names[i] = std::move(candidate);
  }
  return names;
}

void require_unrepeated(const std::vector<std::string>& header,
                        const std::vector<std::string>& used, const std::string& source) {
  const std::vector<std::string> unique = unique_names(header);
  auto reads = [&](const std::string& name) {
    return std::find(used.begin(), used.end(), name) != used.end();
  };
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (unique[i] != header[i] || !reads(header[i])) continue;  // not a first occurrence read
    for (std::size_t j = i + 1; j < header.size(); ++j) {
      if (header[j] != header[i] || reads(unique[j])) continue;
      throw data_error("the new data have two columns named '" + header[i] + "' (columns " +
                           std::to_string(i + 1) + " and " + std::to_string(j + 1) +
                           "), and the model reads '" + header[i] +
                           "': rename or drop one so it is clear which holds the values",
                       source, 1);
    }
  }
}

std::size_t resolve_column(const std::vector<std::string>& header, std::string_view spec) {
  std::size_t found = header.size();
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (header[i] != spec) continue;
    if (found != header.size()) {
      const std::vector<std::string> unique = unique_names(header);
      throw usage_error("column name '" + std::string(spec) + "' appears more than once in the " +
                        "header (columns " + std::to_string(found + 1) + " and " +
                        std::to_string(i + 1) + "); choose the column by its 1-based index (or " +
                        "column " + std::to_string(i + 1) + " by its unique name '" + unique[i] +
                        "', as R's make.unique names it)");
    }
    found = i;
  }
  if (found != header.size()) return found;
  const std::vector<std::string> unique = unique_names(header);
  for (std::size_t i = 0; i < unique.size(); ++i) {
    if (unique[i] == spec) return i;
  }
  if (!spec.empty() && spec.find_first_not_of("0123456789") == std::string_view::npos &&
      spec.size() < 10) {
    const std::size_t index = std::stoul(std::string(spec));
    if (index >= 1 && index <= header.size()) return index - 1;
  }
  throw usage_error("no column '" + std::string(spec) + "'" + did_you_mean(header, spec) +
                    "; choose by name or 1-based index from: " + column_list(header));
}

namespace {
std::string_view trimmed(std::string_view s) {
  const std::size_t b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

bool all_digits(std::string_view s) {
  return !s.empty() && s.size() < 10 && s.find_first_not_of("0123456789") == std::string_view::npos;
}

/// Levenshtein distance, ASCII letters compared without case.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; };
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      const std::size_t change = diagonal + (lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1);
      row[j] = std::min({up + 1, row[j - 1] + 1, change});
      diagonal = up;
    }
  }
  return row[b.size()];
}
}  // namespace

std::string did_you_mean(const std::vector<std::string>& names, std::string_view name) {
  const std::string_view key = trimmed(name);
  if (key.empty()) return {};
  const std::size_t limit = std::max<std::size_t>(1, key.size() / 3);
  std::size_t best = limit + 1;
  std::vector<std::string> closest;
  for (const auto& n : names) {
    const std::size_t d = edit_distance(key, trimmed(n));
    if (d > limit || d > best || n.empty()) continue;
    if (d < best) closest.clear();
    best = d;
    if (closest.size() < 3 && std::find(closest.begin(), closest.end(), n) == closest.end()) {
      closest.push_back(n);
    }
  }
  if (closest.empty()) return {};
  std::string text = "; did you mean ";
  for (std::size_t i = 0; i < closest.size(); ++i) {
    if (i > 0) text += i + 1 == closest.size() ? " or " : ", ";
    text += "'" + closest[i] + "'";
  }
  return text + "?";
}

bool name_shadows_index(const std::vector<std::string>& header, std::string_view spec) {
  const std::string_view key = trimmed(spec);
  if (!all_digits(key)) return false;
  const std::size_t index = std::stoul(std::string(key));
  if (index < 1 || index > header.size()) return false;
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (trimmed(header[i]) == key) return i != index - 1;
  }
  return false;
}

std::vector<std::size_t> resolve_columns(const std::vector<std::string>& header,
                                         std::string_view spec) {
  const std::string_view key = trimmed(spec);
  // A name first, exactly as written, then without the spaces around it.
  for (const std::string_view s : {spec, key}) {
    for (const auto& n : header) {
      if (n == s) return {resolve_column(header, s)};
    }
  }
  std::size_t found = header.size();
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (trimmed(header[i]) != key || key.empty()) continue;
    if (found != header.size()) return {resolve_column(header, key)};  // its message
    found = i;
  }
  if (found != header.size()) return {found};
  const std::size_t dash = key.find('-');
  if (dash != std::string_view::npos && dash > 0) {
    const std::string_view from = trimmed(key.substr(0, dash));
    const std::string_view to = trimmed(key.substr(dash + 1));
    if (all_digits(from) && all_digits(to)) {
      const std::size_t a = std::stoul(std::string(from));
      const std::size_t b = std::stoul(std::string(to));
      if (a < 1 || b < a || b > header.size()) {
        throw usage_error(
            "column range '" + std::string(key) + "' is not within 1-" +
            std::to_string(header.size()) +
            " (first, then last column, 1-based); the columns are: " + column_list(header));
      }
      std::vector<std::size_t> all;
      for (std::size_t i = a; i <= b; ++i) all.push_back(i - 1);
      return all;
    }
  }
  return {resolve_column(header, key)};
}

std::string column_list(const std::vector<std::string>& header) {
  constexpr std::size_t shown = 20;
  std::string list;
  for (std::size_t i = 0; i < header.size() && i < shown; ++i) {
    if (i > 0) list += ", ";
    list += header[i];
  }
  if (header.size() > shown) {
    list += ", ... (" + std::to_string(header.size()) + " columns in all)";
  }
  return list;
}

table read_columns(csv_reader& reader, const std::vector<std::string>& header,
                   const std::vector<std::size_t>& indices) {
  table t;
  t.columns.resize(indices.size());
  t.low.resize(indices.size());
  const std::vector<std::string> names = unique_names(header);
  for (std::size_t index : indices) t.names.push_back(names.at(index));
  std::vector<std::string> fields;
  while (reader.next(fields)) {
    if (fields.size() != header.size()) {
      throw data_error(ragged_row_message(fields.size(), header.size()), reader.options().source,
                       reader.line());
    }
    for (std::size_t c = 0; c < indices.size(); ++c) {
      const std::string& cell = fields[indices[c]];
      dd value;
      switch (parse_cell(cell, value)) {
        case cell_kind::number:
          t.columns[c].push_back(value.hi);
          t.low[c].push_back(value.lo);
          break;
        case cell_kind::missing:
          t.columns[c].push_back(std::numeric_limits<double>::quiet_NaN());
          t.low[c].push_back(0);
          break;
        case cell_kind::invalid:
          throw data_error(bad_cell_message(cell, t.names[c]), reader.options().source,
                           reader.line(), indices[c] + 1);
      }
    }
    t.lines.push_back(reader.line());
  }
  return t;
}

std::vector<std::string> split_list(std::string_view text) {
  std::vector<std::string> items;
  std::size_t start = 0;
  for (;;) {
    const std::size_t comma = text.find(',', start);
    std::string_view item = text.substr(
        start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    items.emplace_back(item);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return items;
}

}  // namespace regress
