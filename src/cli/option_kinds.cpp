#include "option_kinds.hpp"

#include <algorithm>
#include <cctype>
#include <map>

namespace regress::cli {
namespace {

/// Long names (or positional names) whose values are columns or files. A new
/// option is a number or text by its C++ type until it is listed here.
const std::vector<std::string> column_options = {"response", "predictor", "along",
                                                 "weights",  "cluster",   "hold"};
const std::vector<std::string> file_options = {"file",  "parts", "save", "save-state",
                                               "model", "new",   "svg"};

/// Examples for the messages; an option not listed gets one from its kind.
const std::map<std::string, std::string>& examples() {
  static const std::map<std::string, std::string> table = {{"at", "10,30"},
                                                           {"range", "0:50:11"},
                                                           {"y", "50,100"},
                                                           {"hold", "supp=VC"},
                                                           {"delimiter", "';'"},
                                                           {"level", "0.9"},
                                                           {"degree", "2"},
                                                           {"threads", "4"},
                                                           {"max-line-bytes", "1048576"},
                                                           {"holdout", "0.2"},
                                                           {"seed", "7"},
                                                           {"steps", "101"},
                                                           {"span", "2"},
                                                           {"from", "0"},
                                                           {"to", "50"},
                                                           {"width", "100"},
                                                           {"height", "30"},
                                                           {"max-widening", "1.5"},
                                                           {"max-halfwidth", "20"},
                                                           {"formula", "'dist ~ speed'"},
                                                           {"response", "dist"},
                                                           {"predictor", "speed"},
                                                           {"along", "speed"},
                                                           {"weights", "n"},
                                                           {"save", "model.json"},
                                                           {"save-state", "part1.json"},
                                                           {"model", "model.json"},
                                                           {"new", "new.csv"},
                                                           {"svg", "plot.svg"},
                                                           {"file", "data/cars.csv"},
                                                           {"parts", "part1.json"},
                                                           {"cluster", "g"}};
  return table;
}

/// The option's own name without dashes: its first long name, else its
/// short or positional name.
std::string bare_name(const CLI::Option& o) {
  if (!o.get_lnames().empty()) return o.get_lnames().front();
  if (o.get_positional()) return o.get_name(true);
  return o.get_snames().empty() ? std::string() : o.get_snames().front();
}

bool listed(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

/// Whether `word` stands in `text` as a whole word.
bool has_word(const std::string& text, const std::string& word) {
  const auto letter = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; };
  for (std::size_t at = text.find(word); at != std::string::npos; at = text.find(word, at + 1)) {
    const std::size_t end = at + word.size();
    if ((at == 0 || !letter(text[at - 1])) && (end == text.size() || !letter(text[end]))) {
      return true;
    }
  }
  return false;
}

/// The formats a --format description names, in the usual order.
std::string formats_named(const std::string& description) {
  std::string named;
  for (const char* f : {"text", "csv", "tsv", "json", "ndjson"}) {
    if (has_word(description, f)) named += (named.empty() ? "" : "|") + std::string(f);
  }
  return named;
}

/// The fixed sets of values that are not a --format.
std::string choices_for(const std::string& name) {
  if (name == "interval") return "prediction|confidence";
  if (name == "side") return "upper|lower|both";
  if (name == "shell") return "bash|zsh|fish";
  return {};
}

/// The type name before any validator's ":..." suffix.
std::string base_type(const CLI::Option& o) {
  const std::string t = o.get_type_name();
  return t.substr(0, t.find(':'));
}

}  // namespace

void name_values(CLI::App& app) {
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) {
    for (CLI::Option* o : sub->get_options()) {
      if (o->get_expected_max() == 0) continue;  // a flag
      const std::string name = bare_name(*o);
      std::string choices =
          name == "format" ? formats_named(o->get_description()) : choices_for(name);
      if (!choices.empty()) {
        o->type_name(choices);
      } else if (listed(column_options, name)) {
        o->type_name(name == "hold" ? "COL=V" : "COL");
      } else if (listed(file_options, name)) {
        o->type_name("FILE");
      }
    }
  }
}

value_kind kind_of(const CLI::Option& o) {
  if (o.get_expected_max() == 0) return value_kind::none;
  const std::string t = base_type(o);
  if (t.find('|') != std::string::npos) return value_kind::choice;
  if (t.rfind("COL", 0) == 0) return value_kind::columns;
  if (t == "FILE") return value_kind::file;
  if (t == "INT" || t == "UINT" || t == "FLOAT" || t == "NUMBER") return value_kind::number;
  return value_kind::text;
}

std::vector<std::string> choices_of(const CLI::Option& o) {
  std::vector<std::string> out;
  if (kind_of(o) != value_kind::choice) return out;
  const std::string t = base_type(o);
  std::size_t start = 0;
  for (;;) {
    const std::size_t bar = t.find('|', start);
    out.push_back(t.substr(start, bar - start));
    if (bar == std::string::npos) return out;
    start = bar + 1;
  }
}

std::string example_of(const CLI::Option& o) {
  const auto found = examples().find(bare_name(o));
  if (found != examples().end()) return found->second;
  switch (kind_of(o)) {
    case value_kind::choice:
      return choices_of(o).back();
    case value_kind::columns:
      return "x";
    case value_kind::file:
      return "data.csv";
    case value_kind::number:
      return base_type(o) == "FLOAT" ? "0.5" : "2";
    case value_kind::none:
    case value_kind::text:
      break;
  }
  return "VALUE";
}

std::vector<command_info> describe_commands(const CLI::App& app) {
  std::vector<command_info> out;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    command_info c{sub->get_name(), sub->get_description(), {}};
    for (const CLI::Option* o : sub->get_options()) {
      if (o->get_lnames() == std::vector<std::string>{"help"}) continue;
      option_info i;
      i.positional = o->get_positional() && o->get_lnames().empty() && o->get_snames().empty();
      if (i.positional) i.names.push_back(o->get_name(true));
      for (const auto& s : o->get_snames()) i.names.push_back("-" + s);
      for (const auto& l : o->get_lnames()) i.names.push_back("--" + l);
      i.description = o->get_description();
      i.kind = kind_of(*o);
      i.choices = choices_of(*o);
      c.options.push_back(std::move(i));
    }
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace regress::cli
