#include "completion.hpp"

#include <string_view>

#include "regress/error.hpp"

namespace regress::cli {
namespace {

/// The first sentence of a description, short enough for a completion menu.
std::string summary_of(const std::string& description) {
  std::string s = description.substr(0, description.find_first_of(".;\n"));
  if (s.size() > 70) s = s.substr(0, s.rfind(' ', 67)) + "...";
  return s;
}

/// `s` inside single quotes for a shell ('\'' for a quote).
std::string sh_quoted(std::string_view s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

/// `s` escaped for the inside of a zsh _arguments [description] or value.
std::string zsh_escaped(std::string_view s) {
  std::string e;
  for (char c : s) {
    if (c == '[' || c == ']' || c == ':' || c == '\\') e += '\\';
    e += c;
  }
  return e;
}

/// zsh's action for an option's value.
std::string zsh_action(const option_info& o) {
  switch (o.kind) {
    case value_kind::choice: {
      std::string list;
      for (const auto& c : o.choices) list += (list.empty() ? "" : " ") + c;
      return ":value:(" + list + ")";
    }
    case value_kind::columns:
      return ":column:_regress_columns";
    case value_kind::file:
      return ":file:_files";
    case value_kind::number:
    case value_kind::text:
      return ":value: ";
    case value_kind::none:
      break;
  }
  return "";
}

void write_zsh(std::ostream& out, const std::vector<command_info>& commands) {
  out << "#compdef regress\n"
         "# zsh completion for regress, written by 'regress completion zsh'.\n\n"
         "# The column names in the header of the first data file on the line.\n"
         "_regress_columns() {\n"
         "  local w f header\n"
         "  for w in ${words[2,-1]}; do\n"
         "    [[ -f $w && $w != *.json ]] && { f=$w; break; }\n"
         "  done\n"
         "  [[ -n $f ]] || return 1\n"
         "  IFS= read -r header < $f || return 1\n"
         "  header=${header%$'\\r'}\n"
         "  local sep=,\n"
         "  [[ $header == *$'\\t'* ]] && sep=$'\\t'\n"
         "  [[ $sep == , && $header != *,* && $header == *';'* ]] && sep=';'\n"
         "  local -a cols\n"
         "  cols=(${(ps:$sep:)header})\n"
         "  cols=(${cols//\\\"/})\n"
         "  compadd -S '' -q -- $cols\n"
         "}\n\n"
         "_regress() {\n"
         "  local -a commands\n"
         "  commands=(\n";
  for (const auto& c : commands) {
    out << "    " << sh_quoted(c.name + ":" + zsh_escaped(summary_of(c.description))) << "\n";
  }
  out << "  )\n"
         "  if (( CURRENT == 2 )); then\n"
         "    _describe -t commands 'regress command' commands\n"
         "    return\n"
         "  fi\n"
         "  local cmd=$words[2]\n"
         "  shift words\n"
         "  (( CURRENT-- ))\n"
         "  case $cmd in\n";
  for (const auto& c : commands) {
    out << "    " << c.name << ")\n      _arguments -s";
    bool rest = false;  // one spec for the positionals: the first one's
    for (const auto& o : c.options) {
      if (o.positional) {
        if (!rest) out << " \\\n        " << sh_quoted("*" + zsh_action(o));
        rest = true;
        continue;
      }
      const std::string text = "[" + zsh_escaped(summary_of(o.description)) + "]" + zsh_action(o);
      const std::string repeat = o.names.front() == "-x" || o.names.front() == "--hold" ? "*" : "";
      for (const auto& n : o.names) out << " \\\n        " << sh_quoted(repeat + n + text);
    }
    out << "\n      ;;\n";
  }
  out << "  esac\n"
         "}\n\n"
         "_regress \"$@\"\n";
}

/// fish's arguments for an option's value.
std::string fish_value(const option_info& o) {
  switch (o.kind) {
    case value_kind::choice: {
      std::string list;
      for (const auto& c : o.choices) list += (list.empty() ? "" : " ") + c;
      return " -x -a " + sh_quoted(list);
    }
    case value_kind::columns:
      return " -x -a '(__regress_columns)'";
    case value_kind::file:
      return " -r -F";
    case value_kind::number:
    case value_kind::text:
      return " -x";
    case value_kind::none:
      break;
  }
  return "";
}

void write_fish(std::ostream& out, const std::vector<command_info>& commands) {
  out << "# fish completion for regress, written by 'regress completion fish'.\n\n"
         "# The column names in the header of the first data file on the line.\n"
         "function __regress_columns\n"
         "    for w in (commandline -opc)[3..-1]\n"
         "        if test -f $w; and not string match -q '*.json' -- $w\n"
         "            set -l header (head -n 1 -- $w | string trim -r -c \\r)\n"
         "            set -l sep ,\n"
         "            string match -q -- '*\\t*' $header; and set sep \\t\n"
         "            string split -- $sep $header | string trim -c '\"'\n"
         "            return\n"
         "        end\n"
         "    end\n"
         "end\n\n"
         "complete -c regress -f\n";
  std::string names;
  for (const auto& c : commands) names += (names.empty() ? "" : " ") + c.name;
  for (const auto& c : commands) {
    out << "complete -c regress -n " << sh_quoted("not __fish_seen_subcommand_from " + names)
        << " -a " << c.name << " -d " << sh_quoted(summary_of(c.description)) << "\n";
  }
  for (const auto& c : commands) {
    const std::string when = " -n " + sh_quoted("__fish_seen_subcommand_from " + c.name);
    for (const auto& o : c.options) {
      if (o.positional) {
        if (o.kind == value_kind::file) out << "complete -c regress" << when << " -F\n";
        if (o.kind == value_kind::choice)
          out << "complete -c regress" << when << fish_value(o) << "\n";
        continue;
      }
      out << "complete -c regress" << when;
      for (const auto& n : o.names) {
        out << (n.size() == 2 ? " -s " + n.substr(1) : " -l " + n.substr(2));
      }
      out << " -d " << sh_quoted(summary_of(o.description)) << fish_value(o) << "\n";
    }
  }
}

}  // namespace

void setup_completion(CLI::App& app, std::string& shell) {
  app.add_option("shell", shell, "The shell: bash, zsh or fish")->required();
  app.footer(
      "Install (what 'cmake --install' and the Debian package do):\n"
      "  bash: regress completion bash > /usr/share/bash-completion/completions/regress\n"
      "  zsh:  regress completion zsh > /usr/share/zsh/vendor-completions/_regress\n"
      "  fish: regress completion fish > /usr/share/fish/vendor_completions.d/regress.fish\n"
      "In a running bash: source <(regress completion bash).\n"
      "Examples:\n"
      "  regress completion bash > regress.bash\n"
      "  regress completion zsh > _regress\n");
}

int run_completion(const CLI::App& root, const std::string& shell, std::ostream& out) {
  const std::vector<command_info> commands = describe_commands(root);
  if (shell == "bash") {
    write_bash_completion(out, commands);
  } else if (shell == "zsh") {
    write_zsh(out, commands);
  } else if (shell == "fish") {
    write_fish(out, commands);
  } else {
    throw usage_error("no completion for the shell '" + shell +
                      "'; give bash, zsh or fish, e.g. 'regress completion bash'");
  }
  return 0;
}

}  // namespace regress::cli
