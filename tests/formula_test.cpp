// The formula parser (model/formula.hpp) against R 4.2.2.
//
// Expected terms come from R, for each formula text f below:
//   d <- data.frame(a=1, b=1, c=1, y=1, x=1, z=1, log=1, `Air Flow`=1, check.names=FALSE)
//   tt <- terms(as.formula(f), data = d)
//   attr(tt, "term.labels"); attr(tt, "intercept")
//   vapply(as.list(attr(tt, "variables"))[-c(1, 2)], deparse, "", backtick = TRUE)
// and expected deparses from attr(terms(as.formula(paste("y ~", e))), "term.labels").
#include "regress/model/formula.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "regress/error.hpp"

using namespace regress;

namespace {

const std::vector<std::string> header{"a", "b", "c", "y", "x", "z", "log", "Air Flow"};

struct r_case {
  const char* formula;
  std::vector<std::string> labels;  ///< attr(tt, "term.labels")
  bool intercept;                   ///< attr(tt, "intercept")
  std::vector<std::string> variables;
};

std::vector<std::string> term_labels(const parsed_formula& f) {
  std::vector<std::string> out;
  for (const formula_term& t : f.terms) out.push_back(t.label);
  return out;
}

/// The message of the usage_error parse_formula throws, or "" if none.
std::string error_of(const std::string& text, const std::vector<std::string>& columns = header) {
  try {
    parse_formula(text, columns);
  } catch (const usage_error& e) {
    return e.what();
  }
  return "";
}

std::string repeat(const std::string& s, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += s;
  return out;
}

}  // namespace

TEST_CASE("formulas expand into R's term labels, intercept and variables", "[formula]") {
  const std::vector<r_case> cases = {
      {"y ~ x", {"x"}, true, {"x"}},
      {"y ~ a:b + a + c", {"a", "c", "a:b"}, true, {"a", "b", "c"}},
      {"y ~ b:a + a", {"a", "b:a"}, true, {"b", "a"}},
      {"y ~ (a+b+c)^2 - a:b", {"a", "b", "c", "a:c", "b:c"}, true, {"a", "b", "c"}},
      {"y ~ a*b*c - a:b:c", {"a", "b", "c", "a:b", "a:c", "b:c"}, true, {"a", "b", "c"}},
      {"y ~ a/b", {"a", "a:b"}, true, {"a", "b"}},
      {"y ~ (a+b)/c", {"a", "b", "a:b:c"}, true, {"a", "b", "c"}},
      {"y ~ a*b/c", {"a", "b", "a:b", "a:b:c"}, true, {"a", "b", "c"}},
      {"y ~ a/b/c", {"a", "a:b", "a:b:c"}, true, {"a", "b", "c"}},
      {"y ~ a/b + c", {"a", "c", "a:b"}, true, {"a", "b", "c"}},
      {"y ~ a %in% b", {"a:b"}, true, {"a", "b"}},
      {"y ~ a + b %in% c", {"a", "b:c"}, true, {"a", "b", "c"}},
      {"y ~ a %in% b:c", {"a:b:c"}, true, {"a", "b", "c"}},
      {"y ~ a*b %in% c", {"a", "b:c", "a:b:c"}, true, {"a", "b", "c"}},
      {"y ~ a %in% b %in% c", {"a:b:c"}, true, {"a", "b", "c"}},
      {"y ~ (a*b)^2", {"a", "b", "a:b"}, true, {"a", "b"}},
      {"y ~ (a+b+c)^3 - 1", {"a", "b", "c", "a:b", "a:c", "b:c", "a:b:c"}, false, {"a", "b", "c"}},
      {"y ~ (a+b)^2 - (a+b)", {"a:b"}, true, {"a", "b"}},
      {"y ~ (a+b+c)^2 - (a+b)^2", {"c", "a:c", "b:c"}, true, {"a", "b", "c"}},
      {"y ~ (a + b):(a + c)", {"a", "a:c", "a:b", "b:c"}, true, {"a", "b", "c"}},
      {"y ~ a:(b + c)", {"a:b", "a:c"}, true, {"a", "b", "c"}},
      {"y ~ (a + b) * c", {"a", "b", "c", "a:c", "b:c"}, true, {"a", "b", "c"}},
      {"y ~ a*b - a", {"b", "a:b"}, true, {"a", "b"}},
      {"y ~ a:b:a", {"a:b"}, true, {"a", "b"}},
      {"y ~ b:a:b + a", {"a", "b:a"}, true, {"b", "a"}},
      {"y ~ x + x", {"x"}, true, {"x"}},
      {"y ~ x:x", {"x"}, true, {"x"}},
      {"y ~ x^2", {"x"}, true, {"x"}},
      {"y ~ x - 1", {"x"}, false, {"x"}},
      {"y ~ 0 + x", {"x"}, false, {"x"}},
      {"y ~ x + 0", {"x"}, false, {"x"}},
      {"y ~ 1", {}, true, {}},
      {"y ~ 0", {}, false, {}},
      {"y ~ -1", {}, false, {}},
      {"y ~ x - 1 + 1", {"x"}, true, {"x"}},
      {"y ~ -1 + x", {"x"}, false, {"x"}},
      {"y ~ x + 1", {"x"}, true, {"x"}},
      {"y ~ x - (-1)", {"x"}, true, {"x"}},
      {"y ~ x + (-1)", {"x"}, false, {"x"}},
      {"y ~ -(x - 1)", {}, true, {"x"}},
      {"y ~ x * 0", {"x"}, false, {"x"}},
      {"y ~ x - 0", {"x"}, true, {"x"}},
      {"y ~ 0 - 1", {}, false, {}},
      {"y ~ x + TRUE", {"x"}, true, {"x"}},
      {"y ~ x + FALSE", {"x"}, false, {"x"}},
      {"y ~ +x", {"x"}, true, {"x"}},
      {"y ~ x:1", {}, true, {"x"}},
      {"y ~ 1:x", {}, true, {"x"}},
      {"y ~ 1*x", {}, true, {"x"}},
      {"y ~ 0*x", {}, false, {"x"}},
      {"y ~ 1/x", {}, true, {"x"}},
      {"y ~ x/1", {"x"}, true, {"x"}},
      {"y ~ x %in% 1", {"x"}, true, {"x"}},
      {"y ~ -a:b", {}, true, {"a", "b"}},
      {"y ~ -a*b", {}, true, {"a", "b"}},
      {"y ~ a - a", {}, true, {"a"}},
      {"y ~ a + b - b", {"a"}, true, {"a", "b"}},
      {"y ~ -x + x", {"x"}, true, {"x"}},
      {"y ~ a + -b", {"a"}, true, {"a", "b"}},
      {"y ~ - - x", {}, true, {"x"}},
      {"y ~ (a - a)*b", {}, true, {"a", "b"}},
      {"y ~ b*(a - a)", {"b"}, true, {"b", "a"}},
      {"y ~ b/(a - a)", {"b"}, true, {"b", "a"}},
      {"y ~ (a - 1)*b", {"a", "b", "a:b"}, false, {"a", "b"}},
      {"y ~ (0 + a)/b", {"a", "a:b"}, false, {"a", "b"}},
      {"y ~ (x - 1):z", {"x:z"}, false, {"x", "z"}},
      {"y ~ a + (b - a)", {"a", "b"}, true, {"a", "b"}},
      {"log(y) ~ y", {"y"}, true, {"y"}},
      {"log(y) ~ x + y", {"x", "y"}, true, {"x", "y"}},
      {"y ~ I(x + y)", {"I(x + y)"}, true, {"I(x + y)"}},
      {"y ~ log(x + 1)", {"log(x + 1)"}, true, {"log(x + 1)"}},
      {"y ~ poly(x, 3)", {"poly(x, 3)"}, true, {"poly(x, 3)"}},
      {"y ~ poly(x, 3, raw = TRUE)", {"poly(x, 3, raw = TRUE)"}, true, {"poly(x, 3, raw = TRUE)"}},
      {"y ~ log(x, 2) + log(x, base = 2)",
       {"log(x, 2)", "log(x, base = 2)"},
       true,
       {"log(x, 2)", "log(x, base = 2)"}},
      {"y ~ log(x,2) + log(x,  2)", {"log(x, 2)"}, true, {"log(x, 2)"}},
      {"y ~ I(x^2) + I(x^2.0)", {"I(x^2)"}, true, {"I(x^2)"}},
      {"y ~ poly(x, degree = 2) + factor(z)",
       {"poly(x, degree = 2)", "factor(z)"},
       true,
       {"poly(x, degree = 2)", "factor(z)"}},
      {"y ~ `Air Flow` + x", {"`Air Flow`", "x"}, true, {"`Air Flow`", "x"}},
      {"y ~ log(`Air Flow`) * x",
       {"log(`Air Flow`)", "x", "log(`Air Flow`):x"},
       true,
       {"log(`Air Flow`)", "x"}},
      {"y ~ .",
       {"a", "b", "c", "x", "z", "log", "`Air Flow`"},
       true,
       {"a", "b", "c", "x", "z", "log", "`Air Flow`"}},
      {"y ~ . - x",
       {"a", "b", "c", "z", "log", "`Air Flow`"},
       true,
       {"a", "b", "c", "x", "z", "log", "`Air Flow`"}},
      {"y ~ . + x",
       {"a", "b", "c", "x", "z", "log", "`Air Flow`"},
       true,
       {"a", "b", "c", "x", "z", "log", "`Air Flow`"}},
      {"y ~ x + .",
       {"x", "a", "b", "c", "z", "log", "`Air Flow`"},
       true,
       {"x", "a", "b", "c", "z", "log", "`Air Flow`"}},
      {"y ~ b + .",
       {"b", "a", "c", "x", "z", "log", "`Air Flow`"},
       true,
       {"b", "a", "c", "x", "z", "log", "`Air Flow`"}},
      {"y ~ a:.",
       {"a", "a:b", "a:c", "a:x", "a:z", "a:log", "a:`Air Flow`"},
       true,
       {"a", "b", "c", "x", "z", "log", "`Air Flow`"}},
      {"y ~ . - 1",
       {"a", "b", "c", "x", "z", "log", "`Air Flow`"},
       false,
       {"a", "b", "c", "x", "z", "log", "`Air Flow`"}},
      {"y ~ .^2 - .",
       {"a:b",          "a:c", "a:x",   "a:z",          "a:log", "a:`Air Flow`", "b:c",
        "b:x",          "b:z", "b:log", "b:`Air Flow`", "c:x",   "c:z",          "c:log",
        "c:`Air Flow`", "x:z", "x:log", "x:`Air Flow`", "z:log", "z:`Air Flow`", "log:`Air Flow`"},
       true,
       {"a", "b", "c", "x", "z", "log", "`Air Flow`"}},
      {"log(y) ~ .",
       {"a", "b", "c", "x", "z", "`Air Flow`"},
       true,
       {"a", "b", "c", "x", "z", "`Air Flow`"}},
      {"log(x) ~ .",
       {"a", "b", "c", "y", "z", "`Air Flow`"},
       true,
       {"a", "b", "c", "y", "z", "`Air Flow`"}},
      {"I(y + a) ~ .",
       {"b", "c", "x", "z", "log", "`Air Flow`"},
       true,
       {"b", "c", "x", "z", "log", "`Air Flow`"}},
      {"sqrt(y) ~ log(x) + .",
       {"log(x)", "a", "b", "c", "x", "z", "log", "`Air Flow`"},
       true,
       {"log(x)", "a", "b", "c", "x", "z", "log", "`Air Flow`"}},
      {"exp(y) ~ . - z",
       {"a", "b", "c", "x", "log", "`Air Flow`"},
       true,
       {"a", "b", "c", "x", "z", "log", "`Air Flow`"}},
      {"(y) ~ a", {"a"}, true, {"a"}},
  };
  for (const r_case& c : cases) {
    INFO(c.formula);
    const parsed_formula f = parse_formula(c.formula, header);
    CHECK(term_labels(f) == c.labels);
    CHECK(f.intercept == c.intercept);
    CHECK(f.labels == c.variables);
    REQUIRE(f.variables.size() == f.labels.size());
    for (std::size_t i = 0; i < f.variables.size(); ++i) {
      CHECK(deparse(f.variables[i]) == f.labels[i]);
    }
  }
}

TEST_CASE("a term removed and added again goes to the end, as in R", "[formula]") {
  // R: attr(terms(f), "term.labels") for each f.
  CHECK(term_labels(parse_formula("y ~ a + b - a + a", header)) ==
        std::vector<std::string>{"b", "a"});
  CHECK(term_labels(parse_formula("y ~ a + b - (a + c) + c + a", header)) ==
        std::vector<std::string>{"b", "c", "a"});
  CHECK(term_labels(parse_formula("y ~ a:b + b - a:b + a:b", header)) ==
        std::vector<std::string>{"b", "a:b"});
}

TEST_CASE("each term lists its variables in ascending order and is labelled by them", "[formula]") {
  // R: attr(terms(y ~ b:a + a), "factors") has rows y, b, a; the term b:a
  // holds variables 1 and 2 of the right-hand side (b, a), labelled "b:a".
  const parsed_formula f = parse_formula("y ~ b:a + a + (a + c)^2", header);
  REQUIRE(f.labels == std::vector<std::string>{"b", "a", "c"});
  REQUIRE(term_labels(f) == std::vector<std::string>{"a", "c", "b:a", "a:c"});
  CHECK(f.terms[0].variables == std::vector<std::size_t>{1});
  CHECK(f.terms[1].variables == std::vector<std::size_t>{2});
  CHECK(f.terms[2].variables == std::vector<std::size_t>{0, 1});
  CHECK(f.terms[3].variables == std::vector<std::size_t>{1, 2});
  CHECK(f.text == "y ~ b:a + a + (a + c)^2");
  CHECK(deparse(f.response) == "y");
}

TEST_CASE("deparse writes expressions and numbers as R's term labels do", "[formula]") {
  const std::vector<std::pair<const char*, const char*>> cases = {
      {"log(x)", "log(x)"},
      {"I(x^2)", "I(x^2)"},
      {"poly(x, 3)", "poly(x, 3)"},
      {"poly(x,2,raw=TRUE)", "poly(x, 2, raw = TRUE)"},
      {"I(a * b)", "I(a * b)"},
      {"I(x/2)", "I(x/2)"},
      {"I(-x)", "I(-x)"},
      {"I(x + 1)", "I(x + 1)"},
      {"log(x, 2)", "log(x, 2)"},
      {"log(x,base=10)", "log(x, base = 10)"},
      {"`Air Flow`", "`Air Flow`"},
      {"log(`Air Flow`)", "log(`Air Flow`)"},
      {"I(`Air Flow`^2)", "I(`Air Flow`^2)"},
      {"I(x^0.5)", "I(x^0.5)"},
      {"I(x^-1)", "I(x^-1)"},
      {"I(x^2^3)", "I(x^2^3)"},
      {"I((x^2)^3)", "I((x^2)^3)"},
      {"I(-x^2)", "I(-x^2)"},
      {"I((-x)^2)", "I((-x)^2)"},
      {"I(- -x)", "I(--x)"},
      {"I(-(x))", "I(-(x))"},
      {"I(a-b-c)", "I(a - b - c)"},
      {"I(a-(b-c))", "I(a - (b - c))"},
      {"I(a/b/c)", "I(a/b/c)"},
      {"I(a/(b*c))", "I(a/(b * c))"},
      {"I(a*b/c)", "I(a * b/c)"},
      {"exp(-x)", "exp(-x)"},
      {"I(x^ 2)", "I(x^2)"},
      {"I(x^(1/2))", "I(x^(1/2))"},
      {"I((x + 1)/2)", "I((x + 1)/2)"},
      {"sqrt(abs(x - 1))", "sqrt(abs(x - 1))"},
      {"I(x ** 2)", "I(x^2)"},
      {"log1p(x/100)", "log1p(x/100)"},
      {"factor(x)", "factor(x)"},
      {"I(2*x)", "I(2 * x)"},
      {"log10(x+1e-3)", "log10(x + 0.001)"},
      {"I(x*1e5)", "I(x * 1e+05)"},
      {"I(x*1e-4)", "I(x * 1e-04)"},
      {"I(x*100000)", "I(x * 1e+05)"},
      {"I(x*123456)", "I(x * 123456)"},
      {"I(x*0.001)", "I(x * 0.001)"},
      {"I(x*0.0001)", "I(x * 1e-04)"},
      {"I(x*1e15)", "I(x * 1e+15)"},
      {"I(x*1e16)", "I(x * 1e+16)"},
      {"I(x*123456789012345678)", "I(x * 123456789012345680)"},
      {"I(x*0.1)", "I(x * 0.1)"},
      {"I(x*0.3333333333333333)", "I(x * 0.333333333333333)"},
      {"I(x*1e300)", "I(x * 1e+300)"},
      {"I(x*1e-300)", "I(x * 1e-300)"},
      {"I(x*2.5e-7)", "I(x * 2.5e-07)"},
      {"I(x*1234.5678)", "I(x * 1234.5678)"},
      {"I(x*1e4)", "I(x * 10000)"},
      {"I(x*12345.6789e10)", "I(x * 1.23456789e+14)"},
      {"I(x*.5)", "I(x * 0.5)"},
      {"I(x*5.)", "I(x * 5)"},
      {"I(x*1e0)", "I(x * 1)"},
      {"I(x*0)", "I(x * 0)"},
      {"I(x*0.00012)", "I(x * 0.00012)"},
      {"I(x*1.5e-5)", "I(x * 1.5e-05)"},
      {"I(x*1e22)", "I(x * 1e+22)"},
      {"I(x*123e-7)", "I(x * 1.23e-05)"},
      {"I(x*3.141592653589793)", "I(x * 3.14159265358979)"},
      {"I(x*1.0000000000000002)", "I(x * 1)"},
      {"I(x*99999999999999999)", "I(x * 1e+17)"},
      {"I(x*100000.5)", "I(x * 100000.5)"},
      {"I(x*4.9e-324)", "I(x * 4.94065645841247e-324)"},
      {"I(x*1.7976931348623157e308)", "I(x * 1.79769313486232e+308)"},
      {"I(x*1e100)", "I(x * 1e+100)"},
      {"I(x*1e-99)", "I(x * 1e-99)"},
      {"I(x*9.99e-100)", "I(x * 9.99e-100)"},
      {"I(x*1e-400)", "I(x * 0)"},
      {"I(x*0.000021595609)", "I(x * 2.1595609e-05)"},
      {"I(x*99999.99999999999)", "I(x * 1e+05)"},
      {"I(x*0.1+0.2)", "I(x * 0.1 + 0.2)"},
  };
  const std::vector<std::string> columns{"y", "x", "a", "b", "c", "Air Flow"};
  for (const auto& [expression, label] : cases) {
    INFO(expression);
    const parsed_formula f = parse_formula(std::string("y ~ ") + expression, columns);
    REQUIRE(f.terms.size() == 1);
    CHECK(f.terms[0].label == label);
  }
}

TEST_CASE("deparse quotes non-syntactic names as R does", "[formula]") {
  // R: d <- data.frame(y=1, <name>=1, check.names=FALSE); attr(terms(y ~ ., data=d),
  // "term.labels"), in a UTF-8 locale.
  const std::vector<std::string> columns{"y",   "2x",    "if",  "_u",  ".x", ".2a",  "a b", "é",
                                         "a`b", "x.1_2", "...", "..1", "in", "TRUE", "NA",  "Inf",
                                         "a-b", "a\\b",  "°F",  "x²",  "α",  "a\tb"};
  const parsed_formula f = parse_formula("y ~ .", columns);
  CHECK(term_labels(f) ==
        std::vector<std::string>{"`2x`",   "`if`",    "`_u`",   ".x",    "`.2a`",    "`a b`",
                                 "é",      "`a\\`b`", "x.1_2",  "...",   "..1",      "`in`",
                                 "`TRUE`", "`NA`",    "`Inf`",  "`a-b`", "`a\\\\b`", "`°F`",
                                 "`x²`",   "α",       "`a\\tb`"});
  // The same names, written in backquotes, are the same variables.
  const parsed_formula g = parse_formula("y ~ `a\\`b` + `2x` + é + `°F`", columns);
  CHECK(term_labels(g) == std::vector<std::string>{"`a\\`b`", "`2x`", "é", "`°F`"});
  CHECK(g.variables[0].name == "a`b");
}

TEST_CASE("numbers in a formula are read as R's parser reads them", "[formula]") {
  // R: sprintf("%a", 0.000021595609) is 0x1.6a506f3453d2ap-16, one ulp below
  // the correctly rounded double (R_strtod scales in long double).
  const parsed_formula f = parse_formula("y ~ I(x * 0.000021595609)", header);
  const formula_expr& product = f.variables.at(0).args.at(0);
  REQUIRE(product.type == formula_expr::kind::binary);
  CHECK(product.args.at(1).number == 0x1.6a506f3453d2ap-16);
  // R: sprintf("%a", 5579.95126123) is 0x1.5cbf385db20cep+12.
  const parsed_formula g = parse_formula("y ~ I(x + 5579.95126123)", header);
  CHECK(g.variables.at(0).args.at(0).args.at(1).number == 0x1.5cbf385db20cep+12);
}

TEST_CASE("a variable's tree is R's parse tree, with positions", "[formula]") {
  const parsed_formula f = parse_formula("log(y) ~ poly(x, 2, raw = TRUE) + I((a - 1)^2)", header);
  CHECK(f.response.type == formula_expr::kind::call);
  CHECK(f.response.name == "log");
  CHECK(f.response.position == 1);
  const formula_expr& poly = f.variables.at(0);
  CHECK(poly.type == formula_expr::kind::call);
  CHECK(poly.position == 10);
  CHECK(poly.arg_names == std::vector<std::string>{"", "", "raw"});
  CHECK(poly.args.at(0).type == formula_expr::kind::column);
  CHECK(poly.args.at(0).position == 15);
  CHECK(poly.args.at(1).number == 2);
  CHECK(poly.args.at(2).type == formula_expr::kind::logical);
  CHECK(poly.args.at(2).number == 1);
  const formula_expr& square = f.variables.at(1).args.at(0);
  CHECK(square.type == formula_expr::kind::binary);
  CHECK(square.name == "^");
  CHECK(square.position == 44);
  CHECK(square.args.at(0).type == formula_expr::kind::paren);
  CHECK(square.args.at(0).args.at(0).name == "-");
  CHECK(square.args.at(0).args.at(0).type == formula_expr::kind::binary);
  // a chain nests to the left, as R's: a - b - c is (a - b) - c
  const parsed_formula g = parse_formula("y ~ I(a - b - c) + exp(-x)", header);
  const formula_expr& chain = g.variables.at(0).args.at(0);
  CHECK(chain.args.at(1).name == "c");
  CHECK(deparse(chain.args.at(0)) == "a - b");
  CHECK(chain.position == 13);
  CHECK(g.variables.at(1).args.at(0).type == formula_expr::kind::negate);
  // variables that '.' stands for sit at the '.'
  const parsed_formula d = parse_formula("y ~ x + .", header);
  CHECK(d.variables.at(1).position == 9);
}

TEST_CASE("columns_of lists the columns an expression reads, in order", "[formula]") {
  const parsed_formula f =
      parse_formula("I(y / z) ~ log(x + a, b) + I(b * x + `Air Flow` - b)", header);
  CHECK(columns_of(f.response) == std::vector<std::string>{"y", "z"});
  CHECK(columns_of(f.variables.at(0)) == std::vector<std::string>{"x", "a", "b"});
  CHECK(columns_of(f.variables.at(1)) == std::vector<std::string>{"b", "x", "Air Flow"});
}

TEST_CASE("same_expression is R's MatchVar", "[formula]") {
  const parsed_formula f = parse_formula(
      "y ~ I(x^2) + I(x^2.0) + log(x, 2) + log(x, base = 2) + I((x)^2) + I(x + 1)", header);
  // R: attr(terms(<that>), "term.labels") is "I(x^2)" "log(x, 2)" "log(x, base = 2)"
  //    "I((x)^2)" "I(x + 1)"
  CHECK(f.labels == std::vector<std::string>{"I(x^2)", "log(x, 2)", "log(x, base = 2)", "I((x)^2)",
                                             "I(x + 1)"});
  CHECK(same_expression(f.variables[0], f.variables[0]));
  CHECK_FALSE(same_expression(f.variables[1], f.variables[2]));
  CHECK_FALSE(same_expression(f.variables[0], f.variables[3]));
}

TEST_CASE("call_argument binds arguments as R does", "[formula]") {
  const parsed_formula f = parse_formula(
      "y ~ poly(x, 3, raw = TRUE) + poly(a, degree = 2) + poly(b) + log(x, base = 10) + "
      "bs(z, df = 5, degree = 2) + ns(c, 4)",
      header);
  const auto& v = f.variables;
  REQUIRE(v.size() == 6);
  CHECK(call_argument(v[0], "", 0)->name == "x");
  CHECK(call_argument(v[0], "degree", 1)->number == 3);
  CHECK(call_argument(v[0], "raw", static_cast<std::size_t>(-1))->number == 1);
  CHECK(call_argument(v[1], "degree", 1)->number == 2);
  CHECK(call_argument(v[1], "raw", static_cast<std::size_t>(-1)) == nullptr);
  CHECK(call_argument(v[2], "degree", 1) == nullptr);
  CHECK(call_argument(v[3], "base", 1)->number == 10);
  CHECK(call_argument(v[4], "df", 1)->number == 5);
  CHECK(call_argument(v[4], "degree", static_cast<std::size_t>(-1))->number == 2);
  CHECK(call_argument(v[5], "df", 1)->number == 4);
  CHECK(formula_functions() == "log, log2, log10, log1p, exp, sqrt, abs, I, poly, factor, ns, bs");
}

TEST_CASE("looks_like_formula finds a '~' outside backquotes", "[formula]") {
  CHECK(looks_like_formula("y ~ x"));
  CHECK(looks_like_formula("~"));
  CHECK(looks_like_formula("`a~b` ~ x"));
  CHECK_FALSE(looks_like_formula("data.csv"));
  CHECK_FALSE(looks_like_formula("`a~b`"));
  CHECK_FALSE(looks_like_formula("`a\\`~b`"));
  CHECK_FALSE(looks_like_formula(""));
}

TEST_CASE("a formula with an error names it, the place and what to do", "[formula]") {
  const std::vector<std::pair<std::string, std::vector<std::string>>> cases = {
      {"", {"formula '': empty", "y ~ x + z"}},
      {"   ", {"empty"}},
      {"y x", {"formula 'y x': no '~'", "write the response, '~', then the terms"}},
      {" ~ x", {"no response before '~' at column 2"}},
      {"y ~ ", {"nothing after '~' at column 3", "y ~ 1"}},
      {"y ~ x ~ z", {"a second '~' at column 7"}},
      {"y ~ (x ~ z)", {"a second '~' at column 8"}},
      {"log(y ~ x)", {"'~' at column 7 inside parentheses or a call"}},
      {"y ~ x +", {"nothing after '+' at column 7"}},
      {"y ~ x * * z", {"unexpected '*' at column 9", "after '*'"}},
      {"* ~ x", {"unexpected '*' at column 1"}},
      {"y ~ (x + z", {"unbalanced parentheses: '(' at column 5 is never closed"}},
      {"y ~ x)", {"unbalanced parentheses: ')' at column 6 has no matching '('"}},
      {"y ~ ()", {"empty parentheses at column 5"}},
      {"y ~ `Air Flow", {"unbalanced backquote: '`' at column 5 is never closed"}},
      {"y ~ ``", {"empty name `` at column 5"}},
      {"y ~ `a\\qb`", {"unknown escape '\\q'", "column 5"}},
      {"y ~ lg(x)",
       {"unknown function 'lg' at column 5; the functions are: log, log2, log10, log1p, exp, "
        "sqrt, abs, I, poly, factor, ns, bs"}},
      {"y ~ foo",
       {"unknown column 'foo' at column 5; the columns are: a, b, c, y, x, z, log, "
        "Air Flow"}},
      {"foo ~ x", {"unknown column 'foo' at column 1"}},
      {"y ~ log(x + foo)", {"unknown column 'foo' at column 13"}},
      {"y ~ a - foo", {"unknown column 'foo' at column 9"}},
      {"y ~ x + 2", {"the number 2 at column 9 cannot be a term", "I(2 * x)"}},
      {"y ~ .5", {"the number 0.5 at column 5 cannot be a term"}},
      {"y ~ (a+b)^1", {"the power of '^' at column 10 must be a whole number of at least 2"}},
      {"y ~ (a+b)^2.5", {"the power of '^' at column 10"}},
      {"y ~ (a+b)^0", {"the power of '^' at column 10"}},
      {"y ~ a^b", {"the power of '^' at column 6"}},
      {"y ~ (a+b)^(2)", {"the power of '^' at column 10"}},
      {"y ~ (a+b)^3000000000", {"the power of '^' at column 10"}},
      {"y ~ log(.)", {"'.' at column 9 inside a function call"}},
      {". ~ x", {"'.' at column 1 inside a function call or the response"}},
      {"1 ~ x", {"the response at column 1 reads no column"}},
      {"y ~ y + x", {"the response 'y' is also on the right of '~' at column 5", "term 'y'"}},
      {"y ~ x + y:z", {"the response 'y' is also on the right of '~' at column 9", "'y:z'"}},
      {"log(y) ~ log(y) + x", {"the response 'log(y)' is also on the right", "column 10"}},
      {"y ~ log()", {"log() at column 5 needs the variable first", "log(x) or log(x, base)"}},
      {"y ~ log(x, 2, 3)", {"log() at column 5 is given too many arguments"}},
      {"y ~ log(x, 2, base = 3)", {"log() at column 5 is given too many arguments"}},
      {"y ~ log(base = 2, x)", {"log() at column 5 needs the variable as its first argument"}},
      {"y ~ log(x, bse = 2)", {"log() at column 5 has no argument 'bse'"}},
      {"y ~ sqrt(x, 2)", {"sqrt() at column 5 is given too many arguments", "sqrt(x)"}},
      {"y ~ exp()", {"exp() at column 5 needs the variable first"}},
      {"y ~ poly(x, 0)", {"poly() at column 5: the degree at column 13 must be a whole number"}},
      {"y ~ poly(x, 2.5)", {"the degree at column 13"}},
      {"y ~ poly(x, -2)", {"the degree at column 13"}},
      {"y ~ poly(x, a)", {"the degree at column 13"}},
      {"y ~ poly(x, degree = 2, degree = 3)", {"poly() at column 5 is given 'degree' twice"}},
      {"y ~ poly(x, 2, degree = 3)", {"poly() at column 5 is given too many arguments"}},
      {"y ~ poly(x, 2, 3)", {"poly() at column 5 is given too many arguments"}},
      {"y ~ poly(x, 2, raw = 1)", {"raw at column 22 must be TRUE or FALSE"}},
      {"y ~ poly(x, 2, TRUE)", {"poly() at column 5 is given too many arguments"}},
      {"y ~ ns(x, df = 0)", {"ns() at column 5: the df at column 16"}},
      {"y ~ bs(x, degree = 1.5)", {"bs() at column 5: the degree at column 20"}},
      {"y ~ I(poly(x, 2))", {"poly() at column 7 must be a term by itself"}},
      {"y ~ log(factor(x))", {"factor() at column 9 must be a term by itself"}},
      {"poly(y, 2) ~ x", {"poly() at column 1 must be a term by itself"}},
      {"y ~ I(a:b)", {"':' at column 8 inside a function call", "sequence operator"}},
      {"y ~ I(a %in% b)", {"'%in%' at column 9 inside a function call"}},
      {"y ~ I(TRUE)", {"TRUE at column 7", "only values of poly's raw"}},
      {"y ~ I(+x)", {"unary '+' at column 7"}},
      {"y ~ 3L", {"'3L' at column 5 is neither a number nor a name"}},
      {"y ~ 2x", {"'2x' at column 5", "`2x`"}},
      {"y ~ 1e", {"'1e' at column 5"}},
      {"y ~ 0x10", {"hexadecimal number at column 5"}},
      {"y ~ 1e999", {"the number '1e999' at column 5 is too large"}},
      {"y ~ x[1]", {"unexpected character '[' at column 6"}},
      {"y ~ x # note", {"unexpected character '#' at column 7"}},
      {"y ~ x %o% z", {"unknown operator '%o%' at column 7"}},
      {"y ~ x %in", {"'%' at column 7 starts no operator"}},
      {"y ~ splines::ns(x)", {"'::' at column 12 is not supported"}},
      {"y ~ if", {"'if' at column 5 is a reserved word", "`if`"}},
      {"y ~ NA", {"'NA' at column 5 is a reserved word"}},
      {"y ~ x z", {"unexpected 'z' at column 7", "join terms with an operator"}},
      {"y ~ x, z", {"',' at column 6 outside a function call"}},
      {"y ~ x = z", {"'=' at column 7 outside a function call"}},
      {"y ~ log(x,)", {"empty argument at column 11 in the call of log at column 5"}},
      {"y ~ log(x y)", {"unexpected 'y' at column 11"}},
      {"y ~ a\x01", {"unexpected character '\\x01' at column 6"}},
  };
  for (const auto& [text, mentions] : cases) {
    INFO(text);
    const std::string message = error_of(text);
    REQUIRE_FALSE(message.empty());
    CHECK(message.rfind("formula '", 0) == 0);
    CHECK(message.find('\n') == std::string::npos);
    for (const std::string& m : mentions) CHECK_THAT(message, Catch::Contains(m));
  }
}

TEST_CASE("'.' needs distinct, non-empty column names", "[formula]") {
  // R: terms(y ~ ., data = data.frame(a=1, y=1, a=1, check.names=FALSE)) fails
  // with "duplicated name 'a' in data frame using '.'".
  CHECK_THAT(error_of("y ~ .", {"a", "y", "a"}),
             Catch::Contains("'.' at column 5") && Catch::Contains("names 'a' twice"));
  CHECK_THAT(error_of("y ~ .", {"a", "y", ""}), Catch::Contains("an empty name"));
  // A duplicate that '.' does not stand for is no matter.
  CHECK(term_labels(parse_formula("y ~ a", {"a", "y", "a"})) == std::vector<std::string>{"a"});
  // With no other column, '.' is no term (R: terms(y ~ ., data = data.frame(y = 1))).
  const parsed_formula f = parse_formula("y ~ .", {"y"});
  CHECK(f.terms.empty());
  CHECK(f.intercept);
}

TEST_CASE("'.' leaves out the names on the left of '~' as R's CheckRHS does", "[formula]") {
  // R: attr(terms(f, data = d), "term.labels") with
  //   d <- data.frame(a=1, y=1, y=1, y=1, b=1, check.names=FALSE): each symbol
  // on the left erases the matches it meets, skipping the name after each.
  const std::vector<std::string> three_y{"a", "y", "y", "y", "b"};
  CHECK(term_labels(parse_formula("I(y + y) ~ .", three_y)) == std::vector<std::string>{"a", "b"});
  CHECK(term_labels(parse_formula("log(y) ~ .", three_y)) ==
        std::vector<std::string>{"a", "y", "b"});
  CHECK(term_labels(parse_formula("I(y + b + y) ~ .", three_y)) == std::vector<std::string>{"a"});
  // d <- data.frame(y=1, y=1, b=1, y=1, y=1, check.names=FALSE): R fails with
  // "duplicated name 'y' in data frame using '.'" for each.
  const std::vector<std::string> four_y{"y", "y", "b", "y", "y"};
  for (const char* f : {"log(y) ~ .", "I(y + b) ~ .", "I(b + y) ~ ."}) {
    INFO(f);
    CHECK_THAT(error_of(f, four_y), Catch::Contains("names 'y' twice"));
  }
}

TEST_CASE("limits: length, nesting and expansion end in a usage_error, never a crash",
          "[formula]") {
  CHECK_THAT(error_of("y ~ " + repeat("x + ", 25000) + "x"), Catch::Contains("too long"));
  CHECK_THAT(error_of("y ~ " + repeat("(", 201) + "x" + repeat(")", 201)),
             Catch::Contains("nested more than 200"));
  CHECK_THAT(error_of("y ~ " + repeat("-", 300) + "x"), Catch::Contains("nested more than 200"));
  CHECK_THAT(error_of("y ~ " + repeat("log(", 300) + "x" + repeat(")", 300)),
             Catch::Contains("nested more than 200"));
  CHECK_THAT(error_of("y ~ I(" + repeat("x + ", 1000) + "x)"),
             Catch::Contains("nested more than 1000 operators deep"));
  // A long sum of terms is a loop, not a deep recursion.
  const parsed_formula f = parse_formula("y ~ " + repeat("x + a:b + ", 2000) + "c", header);
  CHECK(term_labels(f) == std::vector<std::string>{"x", "c", "a:b"});
  // 2^20 - 1 terms, more than 100000.
  std::string sum;
  for (int i = 1; i <= 20; ++i) sum += (i > 1 ? " + I(x * " : "I(x * ") + std::to_string(i) + ")";
  CHECK_THAT(error_of("y ~ (" + sum + ")^20"), Catch::Contains("more than 100000 terms"));
  std::vector<std::string> wide{"y"};
  for (int i = 0; i < 200000; ++i) wide.push_back("v" + std::to_string(i));
  CHECK_THAT(error_of("y ~ .", wide), Catch::Contains("stands for 200000 columns"));
  wide.resize(2001);
  CHECK_THAT(error_of("y ~ .^2", wide), Catch::Contains("more than"));
  // Nesting multiplies the variables of the terms (a, a:b, a:b:c, ...).
  std::string nested = "y ~ I(x * 1)";
  for (int i = 2; i <= 5000; ++i) nested += "/I(x * " + std::to_string(i) + ")";
  CHECK_THAT(error_of(nested), Catch::Contains("too many interactions"));
  // A long label in many terms.
  std::string crossed = "y ~ I(" + repeat("x + ", 700) + "x) * (I(x * 1)";
  for (int i = 2; i <= 5000; ++i) crossed += " + I(x * " + std::to_string(i) + ")";
  CHECK_THAT(error_of(crossed + ")"), Catch::Contains("the terms' labels would take"));
  // A huge power stops once every combination is there (R loops that many times).
  const parsed_formula g = parse_formula("y ~ (a + b + c)^2000000000", header);
  CHECK(term_labels(g) == std::vector<std::string>{"a", "b", "c", "a:b", "a:c", "b:c", "a:b:c"});
  // The text shown in a message is cut at 100 bytes.
  const std::string long_error = error_of("y ~ " + repeat("x + ", 100) + "foo");
  CHECK_THAT(long_error, Catch::StartsWith("formula 'y ~ x + x") && Catch::Contains("...': ") &&
                             Catch::Contains("unknown column 'foo' at column 405"));
}

TEST_CASE("Found by tests/fuzz (formula): '.' under a response that is not a column", "[formula]") {
  // The response's name was read through a reference into the variables,
  // which installing '.''s columns reallocated (ASan: heap-use-after-free).
  // R: attr(terms(I(y / a) ~ . - 1, data = d), "term.labels") for d above.
  const parsed_formula f = parse_formula("I(y / a) ~ . - 1", header);
  CHECK(term_labels(f) == std::vector<std::string>{"b", "c", "x", "z", "log", "`Air Flow`"});
  CHECK_FALSE(f.intercept);
}

TEST_CASE("Found by tests/fuzz (formula): a formula that starts with ','", "[formula]") {
  // The message looked at the token before the first one (UBSan).
  CHECK_THAT(error_of(", ~ x"), Catch::Contains("unexpected ',' at column 1") &&
                                    Catch::Contains("write the response first"));
}
