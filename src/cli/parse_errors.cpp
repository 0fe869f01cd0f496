#include "parse_errors.hpp"

#include <algorithm>
#include <cctype>
#include <regex>

#include "option_kinds.hpp"

namespace regress::cli {
namespace {

/// The subcommands' names, "fit, predict, ... and merge" (or "or").
std::string command_list(const CLI::App& app, const std::string& conjunction) {
  std::string list;
  const auto subs = app.get_subcommands([](const CLI::App*) { return true; });
  for (std::size_t i = 0; i < subs.size(); ++i) {
    list += (i == 0                 ? ""
             : i + 1 == subs.size() ? " " + conjunction + " "
                                    : ", ") +
            subs[i]->get_name();
  }
  return list;
}

/// Edit distance, case-insensitive, for "did you mean".
std::size_t distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      const bool same = std::tolower(static_cast<unsigned char>(a[i - 1])) ==
                        std::tolower(static_cast<unsigned char>(b[j - 1]));
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (same ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

/// The closest of `names` to `word`, when close enough to be a typo.
std::string closest(const std::string& word, const std::vector<std::string>& names) {
  std::string best;
  std::size_t best_distance = std::max<std::size_t>(2, word.size() / 3) + 1;
  for (const auto& n : names) {
    const std::size_t d = distance(word, n);
    if (d < best_distance) {
      best = n;
      best_distance = d;
    }
  }
  return best;
}

/// Explains a parse error of one subcommand.
class explainer {
 public:
  explicit explainer(const CLI::App& sub) : sub_(sub), command_("regress " + sub.get_name()) {}

  std::string operator()(const CLI::ParseError& e) const {
    const std::string what = e.what();
    std::smatch m;
    if (dynamic_cast<const CLI::ExtrasError*>(&e) != nullptr) return extras(what);
    if (std::regex_search(what, m, std::regex("^(\\S+): (\\d+) required .* missing$")) ||
        std::regex_search(what, m,
                          std::regex("^Expected (?:exactly|at least) \\d+ arguments? to "
                                     "(\\S+), got 0$"))) {
      return missing_value(m[1]);
    }
    if (std::regex_search(what, m,
                          std::regex("^(\\S+): At Most \\d+ required but received (\\d+)"))) {
      return given_twice(m[1]);
    }
    if (std::regex_search(what, m,
                          std::regex("^(\\S+)(?: was given a disallowed flag override|: "
                                     "too many inputs for a flag|: Should be true/false)"))) {
      return flag_value(m[1]);
    }
    if (std::regex_search(what, m, std::regex("^Could not convert: (\\S+) = (.*)$")) ||
        std::regex_search(what, m,
                          std::regex("^The value (.*) is not an allowed value for (\\S+)$"))) {
      const bool convert = what.rfind("Could", 0) == 0;
      return bad_value(convert ? m[1] : m[2], convert ? m[2] : m[1], "");
    }
    if (std::regex_search(what, m,
                          std::regex("^(\\S+): Value (\\S+) not in range (\\S+) to (\\S+)"))) {
      return bad_value(m[1], m[2], "from " + m[3].str() + " to " + m[4].str());
    }
    if (std::regex_search(what, m, std::regex("^(\\S+) excludes (\\S+)$"))) {
      return m[1].str() + " and " + m[2].str() + " cannot be used together; give one of them" +
             see();
    }
    if (std::regex_search(what, m, std::regex("^(\\S+) requires (\\S+)$"))) {
      return m[1].str() + " needs " + m[2].str() + " too, e.g. " + command_ + " " + usage(m[2]) +
             see();
    }
    if (std::regex_search(what, m, std::regex("^(\\S+) is required$"))) {
      return m[1].str() + " is missing; give it, e.g. " + command_ + " " + usage(m[1]) + see();
    }
    if (std::regex_search(what, m, std::regex("\\[(.*)\\]"))) {
      return "give exactly one of " + m[1].str() + see();
    }
    return "cannot read the command line of '" + command_ + "'" + see();
  }

 private:
  std::string see() const { return "; see '" + command_ + " --help'"; }

  const CLI::Option* option(const std::string& name) const {
    return sub_.get_option_no_throw(name);
  }

  /// "data/cars.csv -y dist -x speed --degree 2": the option with an
  /// example value, after the shipped data for a command that reads data.
  std::string usage(const std::string& name) const {
    const CLI::Option* o = option(name);
    if (o == nullptr) return name;
    const bool data = sub_.get_option_no_throw("file") != nullptr &&
                      sub_.get_option_no_throw("--response") != nullptr;
    const std::string base = data ? "data/cars.csv -y dist -x speed" : "";
    if (o->check_name("--response") || o->check_name("--predictor") || o->check_name("file")) {
      return base.empty() ? example_of(*o) : base;
    }
    if (o->check_name("--formula")) return "data/cars.csv -f " + example_of(*o);
    if (o->get_positional() && o->get_lnames().empty() && o->get_snames().empty()) {
      return example_of(*o);
    }
    const std::string flag = kind_of(*o) == value_kind::none ? name : name + " " + example_of(*o);
    return base.empty() ? flag : base + " " + flag;
  }

  /// What the option's value must be, from its kind.
  std::string expected(const std::string& name) const {
    const CLI::Option* o = option(name);
    if (o == nullptr) return "a value";
    const std::string type = o->get_type_name().substr(0, o->get_type_name().find(':'));
    switch (kind_of(*o)) {
      case value_kind::choice: {
        std::string list;
        const auto c = choices_of(*o);
        for (std::size_t i = 0; i < c.size(); ++i) {
          list += (i == 0 ? "" : i + 1 == c.size() ? " or " : ", ") + c[i];
        }
        return list;
      }
      case value_kind::columns:
        return "a column name or 1-based index";
      case value_kind::file:
        return "a file name, or - for standard input or output";
      case value_kind::number:
        return type == "FLOAT" ? "a number" : "a whole number";
      case value_kind::none:
        return "no value";
      case value_kind::text:
        break;
    }
    // Free text: what its help says it is ("Predict at these values...").
    std::string d = o->get_description().substr(0, o->get_description().find_first_of(";(\n"));
    while (!d.empty() && (d.back() == ' ' || d.back() == '.')) d.pop_back();
    if (!d.empty()) d[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(d[0])));
    return d.empty() ? "a value" : d;
  }

  std::string missing_value(const std::string& name) const {
    return name + " needs a value: " + expected(name) + "; e.g. " + command_ + " " + usage(name) +
           see();
  }

  std::string given_twice(const std::string& name) const {
    return name + " was given more than once; give it once, e.g. " + command_ + " " + usage(name) +
           see();
  }

  std::string flag_value(const std::string& name) const {
    return name + " is a switch and takes no value; write it alone, e.g. " + command_ + " " + name +
           see();
  }

  std::string bad_value(const std::string& name, const std::string& value,
                        const std::string& range) const {
    return name + " must be " + expected(name) + (range.empty() ? "" : " " + range) + "; got '" +
           value + "'; e.g. " + command_ + " " + usage(name) + see();
  }

  /// An unknown option, or a word no positional takes.
  std::string extras(const std::string& what) const {
    const std::string words = what.substr(what.find(": ") + 2);
    const std::string word = words.substr(0, words.find(' '));
    if (word.size() > 1 && word[0] == '-' && !std::isdigit(static_cast<unsigned char>(word[1]))) {
      std::vector<std::string> names;
      for (const CLI::Option* o : sub_.get_options()) {
        for (const auto& l : o->get_lnames()) names.push_back("--" + l);
        for (const auto& s : o->get_snames()) names.push_back("-" + s);
      }
      const std::string key = word.substr(0, word.find('='));
      const std::string near = closest(key, names);
      return "unknown option '" + key + "' for '" + command_ + "'" +
             (near.empty() ? "" : " (did you mean '" + near + "'?)") + see();
    }
    return "unexpected argument '" + word + "': '" + command_ +
           "' takes its inputs as listed in its usage line (a formula goes in one quoted "
           "argument, e.g. " +
           command_ + " data/cars.csv 'dist ~ speed')" + see();
  }

  const CLI::App& sub_;
  std::string command_;
};

}  // namespace

std::string explain_parse_error(const CLI::ParseError& e, const CLI::App& app,
                                const std::vector<std::string>& args) {
  const auto subs = app.get_subcommands();
  if (subs.empty()) {
    // No subcommand was recognised: say which words are the subcommands.
    if (args.empty() || args.front().empty() || args.front()[0] == '-') {
      return "give a subcommand: " + command_list(app, "or") +
             "; e.g. regress fit data/cars.csv -y dist -x speed; see 'regress --help'";
    }
    std::vector<std::string> names;
    for (const CLI::App* s : app.get_subcommands([](const CLI::App*) { return true; })) {
      names.push_back(s->get_name());
    }
    const std::string near = closest(args.front(), names);
    return "unknown subcommand '" + args.front() + "'" +
           (near.empty() ? "" : " (did you mean '" + near + "'?)") + "; the subcommands are " +
           command_list(app, "and") + "; see 'regress --help'";
  }
  return explainer(*subs.front())(e);
}

}  // namespace regress::cli
