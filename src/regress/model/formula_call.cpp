// A whole formula back to text as R's deparse() writes it, and the Call line
// of summary.lm (`lm(formula = ...)`), broken into lines as R breaks it.
//
// R's deparse2buff (src/main/deparse.c, R 4.2) on the calls a formula is made
// of: `+ - * ~` and `%in%` are written with a space on each side, and after
// the operator and its space the line is broken when it already holds more
// than width.cutoff (60) bytes; `/ ^ :` are written without spaces and never
// break; a call's arguments are separated by ", ", after which the line may
// break the same way. The first break inside one operator or argument list
// indents what follows by one more level (4 spaces), until that operator's
// right operand or the list ends. Lines that break end in the space.
//
// The syntax tree (formula_syntax.hpp) keeps a run of one operator class as
// a chain: R's left-nested calls ((a + b) + c) deparse the left operand
// first, so a chain is written left to right, each operator opening and
// closing its own break level around its right operand.

#include <cstddef>
#include <limits>
#include <string>
#include <string_view>

#include "regress/error.hpp"
#include "regress/model/formula.hpp"
#include "regress/model/formula_syntax.hpp"

namespace regress {
namespace {

using formula_detail::node;

class call_writer {
 public:
  explicit call_writer(std::size_t cutoff) : cutoff_(cutoff) {}

  /// print2buff: text, after the indentation at the start of a line.
  void put(std::string_view s) {
    if (start_) {
      start_ = false;
      for (int i = 1; i <= indent_; ++i) put(i <= 4 ? "    " : "  ");
    }
    out_ += s;
    len_ += s.size();
  }

  /// linebreak(): a new line when this one is longer than the cutoff; the
  /// first break of an operator or argument list indents one level more.
  void line_break(bool& broke) {
    if (len_ <= cutoff_) return;
    if (!broke) {
      broke = true;
      ++indent_;
    }
    out_ += '\n';
    len_ = 0;
    start_ = true;
  }
  void end_level(bool broke) {
    if (broke) --indent_;
  }

  /// An operator and its right operand: `left op right`.
  void binary(const std::string& op, const node& right) {
    if (op == "/" || op == ":" || op == "^") {
      put(op);
      write(right);
      return;
    }
    put(" ");
    put(op);
    put(" ");
    bool broke = false;
    line_break(broke);
    write(right);
    end_level(broke);
  }

  void write(const node& n) {
    switch (n.kind) {
      case node::type::column: {
        formula_expr column;
        column.name = n.name;
        put(deparse(column));  // backquoted unless syntactic, escaped as R's
        return;
      }
      case node::type::number:
        put(formula_detail::format_number(n.number));
        return;
      case node::type::logical:
        put(n.number != 0 ? "TRUE" : "FALSE");
        return;
      case node::type::call:
        put(n.name);
        put("(");
        arguments(n);
        put(")");
        return;
      case node::type::unary:
        put(n.name);
        write(n.kids.at(0));
        return;
      case node::type::paren:
        put("(");
        write(n.kids.at(0));
        put(")");
        return;
      case node::type::power:
        write(n.kids.at(0));
        binary("^", n.kids.at(1));
        return;
      case node::type::chain:
        write(n.kids.at(0));
        for (std::size_t i = 1; i < n.kids.size(); ++i) binary(n.names.at(i - 1), n.kids[i]);
        return;
    }
  }

  /// args2buff: `name = value, value, ...`.
  void arguments(const node& call) {
    bool broke = false;
    for (std::size_t i = 0; i < call.kids.size(); ++i) {
      if (i > 0) {
        put(", ");
        line_break(broke);
      }
      if (i < call.names.size() && !call.names[i].empty()) {
        formula_expr name;
        name.name = call.names[i];
        put(deparse(name));
        put(" = ");
      }
      write(call.kids[i]);
    }
    end_level(broke);
  }

  void formula(const formula_detail::syntax& s) {
    write(s.response);
    binary("~", s.rhs);
  }

  std::string text() && { return std::move(out_); }

 private:
  std::size_t cutoff_;
  std::string out_;
  std::size_t len_ = 0;
  int indent_ = 0;
  bool start_ = true;
};

constexpr std::size_t r_cutoff = 60;  // deparse()'s default width.cutoff

}  // namespace

std::string deparse_formula(std::string_view text) {
  const formula_detail::context where(text);
  const formula_detail::syntax s = formula_detail::parse_syntax(text, where);
  call_writer w(std::numeric_limits<std::size_t>::max());
  w.formula(s);
  return std::move(w).text();
}

std::string deparse_lm_call(std::string_view text) {
  const formula_detail::context where(text);
  const formula_detail::syntax s = formula_detail::parse_syntax(text, where);
  call_writer w(r_cutoff);
  w.put("lm(formula = ");
  w.formula(s);
  w.put(")");
  return std::move(w).text();
}

}  // namespace regress
