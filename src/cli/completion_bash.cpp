#include <set>
#include <string>

#include "completion.hpp"

namespace regress::cli {
namespace {

/// "a|b|c" for a bash case pattern, each word quoted.
std::string alternatives(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "\"" : "|\"") + w + "\"";
  return out;
}

std::string joined(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : " ") + w;
  return out;
}

/// The helpers: files, and the columns of the first data file on the line
/// (its header, split at the delimiter it holds: tab, else ';' when it has
/// no comma, else ','), completing after the last comma of a list.
void write_helpers(std::ostream& out, const std::vector<command_info>& commands) {
  std::set<std::string> valued;  // options whose next word is their value
  for (const auto& c : commands) {
    for (const auto& o : c.options) {
      if (o.positional || o.kind == value_kind::none) continue;
      valued.insert(o.names.begin(), o.names.end());
    }
  }
  out << "_regress_files() {\n"
         "  local IFS=$'\\n'\n"
         "  COMPREPLY=($(compgen -f -- \"$1\"))\n"
         "  compopt -o filenames 2>/dev/null\n"
         "  return 0\n"
         "}\n\n"
         "_regress_columns() {\n"
         "  local cur=$1 f='' i w header sep=, prefix='' c\n"
         "  local -a cols\n"
         "  for ((i = 2; i < COMP_CWORD; i++)); do\n"
         "    w=${COMP_WORDS[i]}\n"
         "    case ${COMP_WORDS[i-1]} in\n"
         "      "
      << alternatives({valued.begin(), valued.end()})
      << ") continue ;;\n"
         "    esac\n"
         "    if [[ $w != -* && $w != *.json && -f $w ]]; then f=$w; break; fi\n"
         "  done\n"
         "  [[ -n $f ]] || return 0\n"
         "  IFS= read -r header < \"$f\" || [[ -n $header ]] || return 0\n"
         "  header=${header%$'\\r'}\n"
         "  if [[ $header == *$'\\t'* ]]; then sep=$'\\t'\n"
         "  elif [[ $header != *,* && $header == *';'* ]]; then sep=';'\n"
         "  fi\n"
         "  IFS=$sep read -r -a cols <<< \"$header\"\n"
         "  if [[ $cur == *,* ]]; then prefix=${cur%,*},; cur=${cur##*,}; fi\n"
         "  for c in \"${cols[@]}\"; do\n"
         "    c=${c#\\\"}; c=${c%\\\"}\n"
         "    [[ $c == \"$cur\"* ]] && COMPREPLY+=(\"$prefix$c\")\n"
         "  done\n"
         "  return 0\n"
         "}\n\n";
}

/// The case arms that complete an option's value, per command.
void write_values(std::ostream& out, const command_info& c) {
  for (const auto& o : c.options) {
    if (o.positional || o.kind == value_kind::none) continue;
    std::vector<std::string> arms;
    for (const auto& n : o.names) arms.push_back(c.name + " " + n);
    out << "    " << alternatives(arms) << ")\n      ";
    switch (o.kind) {
      case value_kind::choice:
        out << "COMPREPLY=($(compgen -W \"" << joined(o.choices) << "\" -- \"$cur\"))";
        break;
      case value_kind::columns:
        out << "_regress_columns \"$cur\"";
        break;
      case value_kind::file:
        out << "_regress_files \"$cur\"";
        break;
      case value_kind::number:
      case value_kind::text:
      case value_kind::none:
        out << ":";  // nothing to offer: a number or free text
        break;
    }
    out << "\n      return 0 ;;\n";
  }
}

}  // namespace

void write_bash_completion(std::ostream& out, const std::vector<command_info>& commands) {
  out << "# bash completion for regress, written by 'regress completion bash'.\n\n";
  write_helpers(out, commands);
  std::vector<std::string> names;
  for (const auto& c : commands) names.push_back(c.name);
  out << "_regress() {\n"
         "  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} cmd='' i\n"
         "  COMPREPLY=()\n"
         "  for ((i = 1; i < COMP_CWORD; i++)); do\n"
         "    case ${COMP_WORDS[i]} in\n"
         "      "
      << alternatives(names)
      << ") cmd=${COMP_WORDS[i]}; break ;;\n"
         "    esac\n"
         "  done\n"
         "  if [[ -z $cmd ]]; then\n"
         "    COMPREPLY=($(compgen -W \""
      << joined(names)
      << " --help --version\" -- \"$cur\"))\n"
         "    return 0\n"
         "  fi\n"
         "  case \"$cmd $prev\" in\n";
  for (const auto& c : commands) write_values(out, c);
  out << "  esac\n"
         "  if [[ $cur == -* ]]; then\n"
         "    case $cmd in\n";
  for (const auto& c : commands) {
    std::vector<std::string> flags{"--help"};
    for (const auto& o : c.options) {
      if (!o.positional) flags.insert(flags.end(), o.names.begin(), o.names.end());
    }
    out << "      " << c.name << ") COMPREPLY=($(compgen -W \"" << joined(flags)
        << "\" -- \"$cur\")) ;;\n";
  }
  out << "    esac\n"
         "    return 0\n"
         "  fi\n"
         "  case $cmd in\n";
  for (const auto& c : commands) {
    // A command whose positional is one of a fixed set (completion's shell).
    if (c.options.empty() || !c.options.front().positional) continue;
    if (c.options.front().kind != value_kind::choice) continue;
    out << "    " << c.name << ") COMPREPLY=($(compgen -W \"" << joined(c.options.front().choices)
        << "\" -- \"$cur\")); return 0 ;;\n";
  }
  out << "  esac\n"
         "  _regress_files \"$cur\"\n"
         "}\n\n"
         "complete -F _regress regress\n";
}

}  // namespace regress::cli
