# make_formula_text_reference.R -- what R prints for formula models, for the
# text output of `regress fit FILE 'formula'` (tests/cli_formula_test.cpp) and
# the Call line's deparse (tests/formula_reference_test.cpp). Complements
# make_formula_reference.R (numbers and six printed summaries) with the
# printing details those six do not reach.
#
# Writes:
#   1. tests/reference/formula_calls.txt: for each formula below, a line
#      "formula: <text as typed>" followed by the lines of
#      deparse(call("lm", formula = <formula>)), which is what the "Call:"
#      block of print(summary(lm())) shows (R breaks it into lines at 60
#      bytes, after a binary operator or an argument's comma; a broken line
#      keeps its trailing space); a blank line ends each record.
#   2. tests/reference/text_summary_<case>.txt: print(summary(fit)) for each
#      case below, options(width = 80), fit$call <- call("lm", formula = f),
#      as make_formula_reference.R does; and the manifest
#      tests/reference/text_cases.tsv (tab-separated, no quoting:
#      case, data file relative to the repository root, formula, weights
#      column or empty).
#   3. tests/data/f_wide.csv: 24 rows of y, x, a text column `city` whose
#      levels are East Asian wide (東京, 大阪), one with a combining accent
#      (cafe + U+0301) and one ASCII, and a numeric column 価格; for the
#      display width of names in the coefficient table (R pads by display
#      width: 2 for a wide character, 0 for a combining one).
#
# Cases (data read with read.csv(stringsAsFactors = FALSE, check.names =
# FALSE, na.strings = c("", "NA")), as make_formula_reference.R reads them):
#   toothgrowth_compact  data/toothgrowth.csv  len~log(dose)*supp   (Call shows
#                        R's spacing, len ~ log(dose) * supp)
#   mtcars_factor        data/mtcars.csv       mpg ~ wt + factor(cyl)
#   mtcars_full          data/mtcars.csv       mpg ~ cyl + ... + carb (ten
#                        terms: the Call breaks onto two lines; only '.' among
#                        the stars, so the stars column is one wide)
#   no_stars             data/mtcars.csv       vs ~ gear (no p-value below
#                        0.1: no stars column and no "Signif. codes" legend)
#   big_sigma            data/mtcars.csv       I(disp * 1000) ~ hp (sigma
#                        81000-odd: format(signif(sigma, 4)) is fixed, 81440)
#   intercept_only       tests/data/f_gh.csv   y ~ 1 (no R-squared and no F
#                        line)
#   missing              tests/data/f_missing.csv  y ~ x + g ("(6 observations
#                        deleted due to missingness)")
#   equal_weights        tests/data/f_alias.csv  y ~ x1 + x2, weights k (all
#                        7: "Residuals:", not "Weighted Residuals:")
#   alias_cell           tests/data/f_alias.csv  y~a*b (an NA interaction)
#   long_names           tests/data/f_iris.csv  Sepal.Length ~
#                        log(Petal.Length) * Species * Petal.Width (rows
#                        wider than 80 columns: R prints the coefficient
#                        matrix in two blocks of columns)
#   wide                 tests/data/f_wide.csv  y ~ city + 価格
#
# Generated with: R version 4.2.2 Patched (2022-11-10 r83330) (Debian
# r-base-core 4.2.2.20221110-2), base R only. To regenerate (from the
# repository root):
#   LC_ALL=C Rscript tests/reference/make_formula_text_reference.R
# Locale as in make_formula_reference.R: C collation, LC_CTYPE C.UTF-8 (so
# that R counts non-ASCII letters as letters and measures display widths).

options(stringsAsFactors = FALSE, warn = 1, width = 80, useFancyQuotes = FALSE)

if (!file.exists("tests/reference") || !file.exists("data/mtcars.csv")) {
  stop("run from the repository root: LC_ALL=C Rscript tests/reference/make_formula_text_reference.R")
}
if (Sys.getlocale("LC_COLLATE") != "C") stop("run with LC_ALL=C")
if (Sys.setlocale("LC_CTYPE", "C.UTF-8") == "") stop("cannot set LC_CTYPE to C.UTF-8")
stopifnot(l10n_info()[["UTF-8"]])

read_back <- function(path) {
  read.csv(path, stringsAsFactors = FALSE, check.names = FALSE, na.strings = c("", "NA"))
}

# ---- 1. the Call line -----------------------------------------------------------
formulas <- c(
  "y~x*g", "y ~ x:g", "y~x/2", "y ~ I(x/2)", "y~a %in% b", "y ~ -1 + a", "y~ - x + a",
  "y ~ +x", "y~(a+b)^2", "y ~ a^2", "log(y) ~ poly(x,2,raw=TRUE)", "y ~ 0 + g", "y~.",
  "y ~ . - x", "y ~ x - 1", "`stack loss` ~ `Air Flow`", "y ~ `Gr\u00f6\u00dfe`",
  "y ~ I(x^2)", "y ~ ((x))", "y ~ I(-x)", "y ~ I(- - x)", "y~x--x", "y ~ log(x, base = 2)",
  "y ~ 1e5 + x", "y ~ I(x * 1e-4)", "y ~ I(x + 0.1)", "y ~ I(2^-x)", "y ~ I(x^2^3)",
  "y ~ I(a - (b - c))", "y ~ I(a/b/c)", "I(y/1000) ~ x", "y ~ poly(x, degree = 3)",
  "y ~ `a\\`b` + `if`",
  "mpg ~ cyl + disp + hp + drat + wt + qsec + vs + am + gear + carb",
  paste("mpg ~ cyl + disp + hp + drat + wt + qsec + vs + am + gear + carb + cyl:disp +",
        "hp:drat + wt:qsec + vs:am + gear:carb"),
  "y ~ poly(aaaaaaaaaaaaaaaaaaaaaa, 3) + poly(bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb, 3, raw = TRUE)",
  "y ~ I(aaaaaaaaaaaaaaaa + bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb + cccccccccccc + ddddddd)",
  "y ~ aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa + b",
  "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy ~ b + c",
  paste0("y ~ ", strrep("\u00e9", 23), " + ", strrep("\u00e9", 23), " + \u00e9\u00e9\u00e9 + x + z"),
  "y ~ a*b*c*d*eeeeeeeeeeeeeeeeeeeee*fffffffffffffffffff*ggggggggggggg*hhhhhhhhhhh",
  "y ~ a:b:c:d:eeeeeeeeeeeeeeeeeeeee:fffffffffffffffffff:ggggggggggggg:hhhhhhhhhhh:iiiiiiiiiii",
  "y ~ aaaaaaaaaaaaaaaaaaaa %in% bbbbbbbbbbbbbbbbbbbbbbbbbbbbb %in% cccccccccccccccccc",
  paste("y ~ aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa + I(bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb +",
        "cccccccccccccccccccccccccccccccccccccccccccccccccccccccc + dddddddddddddddddddddddddd +",
        "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee) + ffffffffffffffffffffffffffff"),
  paste("y ~ (aaaaaaaaaaaaaaaaaaaaa + bbbbbbbbbbbbbbbbbbbbbbbbbbbbbb + cccccccccccccccccccc +",
        "dddddddddddddddddddddddddddddd)^2 - aaaaaaaaaaaaaaaaaaaaa:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"))
records <- unlist(lapply(formulas, function(f) {
  fo <- as.formula(f, env = new.env(parent = as.environment("package:stats")))
  c(paste("formula:", f), deparse(call("lm", formula = fo)), "")
}))
writeLines(records, "tests/reference/formula_calls.txt", useBytes = TRUE)

# ---- 3. the data with wide characters ------------------------------------------------
set.seed(20240610)
n <- 24
cities <- c("\u6771\u4eac", "\u5927\u962a", "cafe\u0301", "Lyon")
city <- rep(cities, length.out = n)[sample(n)]
price <- round(runif(n, 10, 50), 1)
y <- round(3 + 0.4 * price + c(1, -1, 2, 0)[match(city, cities)] + rnorm(n), 3)
wide <- data.frame(y = y, x = round(runif(n), 2), city = city, price = price)
names(wide)[4] <- "\u4fa1\u683c"
lines <- c(paste(names(wide), collapse = ","), do.call(paste, c(lapply(wide, as.character), sep = ",")))
writeLines(lines, "tests/data/f_wide.csv", useBytes = TRUE)
stopifnot(identical(read_back("tests/data/f_wide.csv"), wide))

# ---- 2. the printed summaries ---------------------------------------------------------
cases <- list(
  list("toothgrowth_compact", "data/toothgrowth.csv", "len~log(dose)*supp", ""),
  list("mtcars_factor", "data/mtcars.csv", "mpg ~ wt + factor(cyl)", ""),
  list("mtcars_full", "data/mtcars.csv",
       "mpg ~ cyl + disp + hp + drat + wt + qsec + vs + am + gear + carb", ""),
  list("no_stars", "data/mtcars.csv", "vs ~ gear", ""),
  list("big_sigma", "data/mtcars.csv", "I(disp * 1000) ~ hp", ""),
  list("intercept_only", "tests/data/f_gh.csv", "y ~ 1", ""),
  list("missing", "tests/data/f_missing.csv", "y ~ x + g", ""),
  list("equal_weights", "tests/data/f_alias.csv", "y ~ x1 + x2", "k"),
  list("alias_cell", "tests/data/f_alias.csv", "y~a*b", ""),
  list("long_names", "tests/data/f_iris.csv",
       "Sepal.Length ~ log(Petal.Length) * Species * Petal.Width", ""),
  list("wide", "tests/data/f_wide.csv", "y ~ city + \u4fa1\u683c", ""))
manifest <- character()
for (cs in cases) {
  names(cs) <- c("case", "data", "formula", "weights")
  d <- read_back(cs$data)
  f <- as.formula(cs$formula, env = new.env(parent = as.environment("package:stats")))
  fit <- if (cs$weights == "") {
    eval(bquote(lm(.(f), data = d)))
  } else {
    eval(bquote(lm(.(f), data = d, weights = .(as.name(cs$weights)))))
  }
  fit$call <- call("lm", formula = f)
  out <- capture.output(print(summary(fit)))
  writeLines(out, sprintf("tests/reference/text_summary_%s.txt", cs$case), useBytes = TRUE)
  stopifnot(!grepl("\t", c(cs$case, cs$data, cs$formula, cs$weights)))
  manifest <- c(manifest, paste(cs$case, cs$data, cs$formula, cs$weights, sep = "\t"))
}
writeLines(c("case\tdata\tformula\tweights", manifest), "tests/reference/text_cases.tsv",
           useBytes = TRUE)
cat(sprintf("wrote %d calls and %d summaries\n", length(formulas), length(cases)))
