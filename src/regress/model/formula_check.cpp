// The checks on a formula's variables and response (known functions with
// the arguments they take, known columns, arithmetic only inside calls), and
// what the header gives a formula: its columns, and what '.' stands for.
#include <algorithm>
#include <cmath>
#include <string>
#include <unordered_map>
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
      {"ns",
       2,
       {"df", "knots", "intercept", "Boundary.knots"},
       true,
       "ns(x, df = 3) or ns(x, knots = c(10, 20))"},
      {"bs",
       2,
       {"df", "knots", "degree", "intercept", "Boundary.knots"},
       true,
       "bs(x, df = 5), bs(x, df = 5, degree = 2) or bs(x, knots = c(10, 20))"},
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
                  did_you_mean(columns_.header(), e.name) +
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
    if (!poly) spline_arguments(e);
    if (poly) {
      const formula_expr* raw = call_argument(e, "raw", npos);
      if (raw != nullptr && raw->type != formula_expr::kind::logical) {
        where_.fail("poly()" + context::at(e.position) + ": raw" + context::at(raw->position) +
                    " must be TRUE or FALSE (poly(x, 2, raw = TRUE))");
      }
    }
  }

  /// ns()/bs()'s knots (numbers, or c() of them), Boundary.knots (two
  /// different numbers) and intercept (TRUE or FALSE).
  void spline_arguments(const formula_expr& e) {
    const std::string usage = " (" + e.name + "(" + deparse(e.args[0]) +
                              ", knots = c(10, 20), Boundary.knots = c(0, 30), intercept = FALSE))";
    std::vector<double> bounds;
    if (const formula_expr* k = call_argument(e, "knots", npos)) {
      if (!literal(*k, nullptr)) {
        where_.fail(e.name + "()" + context::at(e.position) + ": knots" + context::at(k->position) +
                    " must be numbers, written c(a, b, ...)" + usage);
      }
    }
    if (const formula_expr* b = call_argument(e, "Boundary.knots", npos)) {
      if (!literal(*b, &bounds) || bounds.size() != 2 || bounds[0] == bounds[1]) {
        where_.fail(e.name + "()" + context::at(e.position) + ": Boundary.knots" +
                    context::at(b->position) + " must be two different numbers, c(a, b)" + usage);
      }
    }
    const formula_expr* i = call_argument(e, "intercept", npos);
    if (i != nullptr && i->type != formula_expr::kind::logical) {
      where_.fail(e.name + "()" + context::at(e.position) + ": intercept" +
                  context::at(i->position) + " must be TRUE or FALSE" + usage);
    }
  }

  /// Whether `e` is a number, -number or c() of them (their values to `out`).
  static bool literal(const formula_expr& e, std::vector<double>* out) {
    using k = formula_expr::kind;
    if (e.type == k::paren) return literal(e.args.at(0), out);
    if (e.type == k::number) {
      if (out != nullptr) out->push_back(e.number);
      return true;
    }
    if (e.type == k::negate && e.name == "-" && e.args.at(0).type == k::number) {
      if (out != nullptr) out->push_back(-e.args[0].number);
      return true;
    }
    if (e.type != k::call || e.name != "c" || e.args.empty()) return false;
    for (std::size_t a = 0; a < e.args.size(); ++a) {
      if (!e.arg_names[a].empty() || e.args[a].type == k::call || !literal(e.args[a], out)) {
        return false;
      }
    }
    return true;
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

/// R's symbols on the left of '~', in its order: every name of the
/// response's parse tree, function and operator names included.
void symbols_of(const formula_expr& e, std::vector<std::string>& out) {
  switch (e.type) {
    case formula_expr::kind::number:
    case formula_expr::kind::logical:
      return;
    case formula_expr::kind::paren:
      out.emplace_back("(");
      break;
    default:
      out.push_back(e.name);
  }
  for (const formula_expr& a : e.args) symbols_of(a, out);
}

}  // namespace

/// What '.' stands for: the header without the names on the left of '~',
/// removed as R's CheckRHS removes them: for each symbol in turn, a scan of
/// the names left that erases each match and then skips the name that moved
/// into its place (so of two equal names side by side, one stays). The
/// header is a linked list here, so each scan visits only the symbol's own
/// places, not the whole header.
std::vector<std::string_view> frame_names(const std::vector<std::string>& header,
                                          const formula_expr& response) {
  std::vector<std::string> symbols;
  symbols_of(response, symbols);
  std::unordered_map<std::string, std::vector<std::size_t>> places;  // 1-based, ascending
  for (const std::string& s : symbols) places.emplace(s, std::vector<std::size_t>());
  const std::size_t n = header.size();
  for (std::size_t i = 0; i < n; ++i) {
    const auto found = places.find(header[i]);
    if (found != places.end()) found->second.push_back(i + 1);
  }
  // Nodes 1..n; 0 and n + 1 are the ends.
  std::vector<std::size_t> next(n + 2);
  std::vector<std::size_t> prev(n + 2);
  for (std::size_t i = 0; i <= n; ++i) {
    next[i] = i + 1;
    prev[i + 1] = i;
  }
  std::vector<char> erased(n + 2, 0);
  for (const std::string& s : symbols) {
    std::vector<std::size_t>& at = places[s];
    std::vector<std::size_t> kept;
    std::size_t skipped = 0;
    for (const std::size_t p : at) {
      if (p == skipped) {
        kept.push_back(p);
        continue;
      }
      skipped = next[p];
      next[prev[p]] = next[p];
      prev[next[p]] = prev[p];
      erased[p] = 1;
    }
    at = std::move(kept);
  }
  std::vector<std::string_view> frame;
  for (std::size_t i = 1; i <= n; ++i) {
    if (erased[i] == 0) frame.emplace_back(header[i - 1]);
  }
  return frame;
}

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
