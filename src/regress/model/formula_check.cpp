// The checks on a formula's variables and response: known functions with
// the arguments they take, known columns, and arithmetic only inside calls.
#include <algorithm>
#include <cmath>
#include <string>
#include <unordered_set>

#include "regress/model/formula_syntax.hpp"
#include "regress/reading/table.hpp"

namespace regress::formula_detail {
namespace {

/// A known function: how many unnamed arguments it takes (x first), which
/// names it accepts, and whether it makes a term by itself (poly, factor,
/// ns, bs: not inside another call or arithmetic, nor in the response).
struct function_spec {
  const char* name;
  std::size_t max_unnamed;
  std::vector<std::string> named;
  bool term_only;
  const char* usage;
};

const std::vector<function_spec>& functions() {
  static const std::vector<function_spec> specs = {
      {"log", 2, {"base"}, false, "log(x) or log(x, base)"},
      {"log2", 1, {}, false, "log2(x)"},
      {"log10", 1, {}, false, "log10(x)"},
      {"log1p", 1, {}, false, "log1p(x)"},
      {"exp", 1, {}, false, "exp(x)"},
      {"sqrt", 1, {}, false, "sqrt(x)"},
      {"abs", 1, {}, false, "abs(x)"},
      {"I", 1, {}, false, "I(x^2), I(a * b), I(x + 1)"},
      {"poly", 2, {"degree", "raw"}, true, "poly(x, 3) or poly(x, 3, raw = TRUE)"},
      {"factor", 1, {}, true, "factor(x)"},
      {"ns", 2, {"df"}, true, "ns(x) or ns(x, df = 3)"},
      {"bs", 2, {"df", "degree"}, true, "bs(x) or bs(x, df = 5, degree = 3)"},
  };
  return specs;
}

const function_spec* find_function(const std::string& name) {
  for (const function_spec& f : functions()) {
    if (name == f.name) return &f;
  }
  return nullptr;
}

class checker {
 public:
  checker(const context& where, const column_set& columns) : where_(where), columns_(columns) {}

  void expression(const formula_expr& e, bool term_level) {
    using k = formula_expr::kind;
    switch (e.type) {
      case k::column:
        column(e);
        return;
      case k::number:
        return;
      case k::logical:
        where_.fail(std::string(e.number != 0 ? "TRUE" : "FALSE") + context::at(e.position) +
                    " inside an expression; TRUE and FALSE are only values of poly's raw "
                    "argument (poly(x, 2, raw = TRUE))");
      case k::negate:
        if (e.name == "+") {
          where_.fail("unary '+'" + context::at(e.position) +
                      " inside an expression; write the operand without it");
        }
        expression(e.args.at(0), false);
        return;
      case k::paren:
        expression(e.args.at(0), false);
        return;
      case k::binary:
        if (e.name == ":" || e.name == "%in%") {
          where_.fail("'" + e.name + "'" + context::at(e.position) +
                      " inside a function call or the response is R's " +
                      (e.name == ":" ? "sequence operator, not an interaction"
                                     : "set membership, not nesting") +
                      "; write interactions between terms (y ~ a:b), not inside a call");
        }
        expression(e.args.at(0), false);
        expression(e.args.at(1), false);
        return;
      case k::call:
        call(e, term_level);
        return;
    }
  }

 private:
  void column(const formula_expr& e) {
    if (e.name == ".") {
      where_.fail("'.'" + context::at(e.position) +
                  " inside a function call or the response; '.' stands for all the other "
                  "columns only as a term by itself (y ~ .)");
    }
    if (!columns_.contains(e.name)) {
      where_.fail("unknown column '" + e.name + "'" + context::at(e.position) +
                  "; the columns are: " + column_list(columns_.header()));
    }
  }

  void call(const formula_expr& e, bool term_level) {
    const function_spec* f = find_function(e.name);
    if (f == nullptr) {
      where_.fail("unknown function '" + e.name + "'" + context::at(e.position) +
                  "; the functions are: " + formula_functions());
    }
    if (f->term_only && !term_level) {
      where_.fail(e.name + "()" + context::at(e.position) +
                  " must be a term by itself, not inside another function, arithmetic or the "
                  "response: y ~ " +
                  f->usage);
    }
    arguments(e, *f);
    expression(e.args[0], false);
    if (e.name == "log" && e.args.size() == 2) expression(e.args[1], false);
    if (e.name == "poly" || e.name == "ns" || e.name == "bs") model_arguments(e);
  }

  /// Counts and names the arguments as R would bind them.
  void arguments(const formula_expr& e, const function_spec& f) {
    const std::string usage = "; write " + std::string(f.usage);
    std::size_t unnamed = 0;
    std::vector<std::string> seen;
    for (std::size_t i = 0; i < e.args.size(); ++i) {
      const std::string& name = e.arg_names[i];
      if (name.empty()) {
        ++unnamed;
        continue;
      }
      if (std::find(f.named.begin(), f.named.end(), name) == f.named.end()) {
        where_.fail(e.name + "()" + context::at(e.position) + " has no argument '" + name + "'" +
                    usage);
      }
      if (std::find(seen.begin(), seen.end(), name) != seen.end()) {
        where_.fail(e.name + "()" + context::at(e.position) + " is given '" + name + "' twice" +
                    usage);
      }
      seen.push_back(name);
    }
    if (unnamed == 0) {
      where_.fail(e.name + "()" + context::at(e.position) + " needs the variable first" + usage);
    }
    // The second unnamed argument binds the first named one (base, degree, df).
    const bool second_taken =
        !f.named.empty() && std::find(seen.begin(), seen.end(), f.named[0]) != seen.end();
    if (unnamed > f.max_unnamed || (unnamed == 2 && second_taken)) {
      where_.fail(e.name + "()" + context::at(e.position) + " is given too many arguments" + usage);
    }
    if (!e.arg_names[0].empty()) {
      where_.fail(e.name + "()" + context::at(e.position) +
                  " needs the variable as its first argument" + usage);
    }
  }

  void model_arguments(const formula_expr& e) {
    const bool poly = e.name == "poly";
    const std::string second = poly ? "degree" : "df";
    if (const formula_expr* a = call_argument(e, second, 1)) whole(e, *a, second);
    if (e.name == "bs") {
      if (const formula_expr* degree = call_argument(e, "degree", npos)) {
        whole(e, *degree, "degree");
      }
    }
    if (poly) {
      const formula_expr* raw = call_argument(e, "raw", npos);
      if (raw != nullptr && raw->type != formula_expr::kind::logical) {
        where_.fail("poly()" + context::at(e.position) + ": raw" + context::at(raw->position) +
                    " must be TRUE or FALSE (poly(x, 2, raw = TRUE))");
      }
    }
  }

  void whole(const formula_expr& call, const formula_expr& arg, const std::string& what) {
    constexpr double most = 2147483647.0;  // R's largest integer
    const bool ok = arg.type == formula_expr::kind::number && arg.number >= 1 &&
                    arg.number <= most && std::floor(arg.number) == arg.number;
    if (!ok) {
      where_.fail(call.name + "()" + context::at(call.position) + ": the " + what +
                  context::at(arg.position) + " must be a whole number of at least 1, such as " +
                  call.name + "(" + deparse(call.args[0]) + ", 2)");
    }
  }

  static constexpr std::size_t npos = static_cast<std::size_t>(-1);
  const context& where_;
  const column_set& columns_;
};

}  // namespace

bool column_set::contains(std::string_view name) const {
  constexpr std::size_t scans = 16;
  if (scans_ < scans) {
    ++scans_;
    return std::find(header_->begin(), header_->end(), name) != header_->end();
  }
  if (names_.empty() && !header_->empty()) {
    names_.reserve(header_->size());
    for (const std::string& c : *header_) names_.emplace(c);
  }
  return names_.count(name) != 0;
}

void check_variable(const formula_expr& e, const context& where, const column_set& columns) {
  checker(where, columns).expression(e, true);
}

void check_response(const formula_expr& e, const context& where, const column_set& columns) {
  checker(where, columns).expression(e, false);
  if (columns_of(e).empty()) {
    where.fail("the response" + context::at(e.position) +
               " reads no column; write the response column before '~' (y ~ x)");
  }
}

}  // namespace regress::formula_detail
