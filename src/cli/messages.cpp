#include "messages.hpp"

namespace regress::cli {
namespace {

/// The stream's own slots: one per process, shared by every stream.
int quiet_slot() {
  static const int slot = std::ios_base::xalloc();
  return slot;
}
int noted_slot() {
  static const int slot = std::ios_base::xalloc();
  return slot;
}

bool quiet(std::ostream& err) { return err.iword(quiet_slot()) != 0; }

}  // namespace

void set_quiet(std::ostream& err, bool quiet) { err.iword(quiet_slot()) = quiet ? 1 : 0; }

void warn(std::ostream& err, std::string_view message) {
  if (quiet(err)) return;
  err << "regress: warning: " << message << '\n';
}

void note(std::ostream& err, std::string_view message) {
  if (quiet(err)) return;
  err << "regress: note: " << message << '\n';
}

void report_error(std::ostream& err, std::string_view message) {
  err << "regress: error: " << message << '\n';
}

void note_terminal_input(std::ostream& err) {
  if (quiet(err) || err.iword(noted_slot()) != 0) return;
  err.iword(noted_slot()) = 1;
  err << "regress: reading the CSV from standard input (a terminal): type or paste it, then "
         "press Ctrl-D on an empty line to end it (Ctrl-C cancels); or give a file\n";
  err.flush();
}

}  // namespace regress::cli
