# make_r_text_reference.R -- what R prints for the models of `regress fit FILE
# -y Y -x X [--degree D] [--no-intercept]`, for the text output of the -y/-x
# path (tests/cli_fit_test.cpp). The formula path has its own printed
# summaries (make_formula_reference.R, make_formula_text_reference.R).
#
# Writes:
#   1. tests/reference/r_summary_<case>.txt: print(summary(fit)) with
#      options(width = 80) and fit$call <- call("lm", formula = f), f the
#      formula the -y/-x options stand for (y ~ x + I(x^2) + I(x^3) for
#      --degree 3, "- 1" appended for --no-intercept), which is the Call line
#      regress prints.
#   2. the manifest tests/reference/r_text_cases.tsv (tab-separated, no
#      quoting): case, data file relative to the repository root, -y, -x,
#      --degree, and "no" when the fit has --no-intercept (else "yes").
#
# Cases: the data sets of make_r_reference.R (its cases simple, multi, poly,
# noint and missing; level99 prints the same summary as simple, the level is
# not in it; far is left out because R's default lm drops its x as aliased,
# see make_r_reference.R), and the shipped mtcars with five predictors, whose
# drat estimate R prints as 2.01578 (2.015775... rounded to 5 digits by
# format(), not signif()).
#
# Generated with: R version 4.2.2 Patched (2022-11-10 r83330) (Debian
# r-base-core 4.2.2.20221110-2), base R only. To regenerate (from the
# repository root):
#   LC_ALL=C Rscript tests/reference/make_r_text_reference.R

options(stringsAsFactors = FALSE, warn = 1, width = 80, useFancyQuotes = FALSE)

if (!file.exists("tests/reference") || !file.exists("data/mtcars.csv")) {
  stop("run from the repository root: LC_ALL=C Rscript tests/reference/make_r_text_reference.R")
}
if (Sys.getlocale("LC_COLLATE") != "C") stop("run with LC_ALL=C")

# As make_r_reference.R reads its files: these markers are missing values.
read_back <- function(path) {
  read.csv(path, na.strings = c("", "NA", "nan", "NaN", "null"), strip.white = FALSE,
           check.names = FALSE)
}

cases <- data.frame(
  case = c("simple", "multi", "poly", "noint", "missing", "mtcars_five"),
  data = c("tests/data/r_simple.csv", "tests/data/r_multi.csv", "tests/data/r_poly.csv",
           "tests/data/r_noint.csv", "tests/data/r_missing.csv", "data/mtcars.csv"),
  y = c("y", "y", "y", "y", "y", "mpg"),
  x = c("x", "x1,x2,x3", "x", "x1,x2", "x1,x2", "wt,hp,disp,drat,qsec"),
  degree = c(1, 1, 3, 1, 1, 1),
  intercept = c("yes", "yes", "yes", "no", "yes", "yes"))

formula_text <- function(y, x, degree, intercept) {
  xs <- strsplit(x, ",", fixed = TRUE)[[1]]
  if (degree > 1) xs <- c(xs, sprintf("I(%s^%d)", xs[1], 2:degree))
  paste0(y, " ~ ", paste(xs, collapse = " + "), if (intercept == "no") " - 1" else "")
}

for (i in seq_len(nrow(cases))) {
  c <- cases[i, ]
  f <- as.formula(formula_text(c$y, c$x, c$degree, c$intercept))
  fit <- lm(f, data = read_back(c$data), na.action = na.omit)
  fit$call <- call("lm", formula = f)
  out <- capture.output(print(summary(fit)))
  writeLines(out, sprintf("tests/reference/r_summary_%s.txt", c$case), useBytes = TRUE)
}
write.table(cases, "tests/reference/r_text_cases.tsv", sep = "\t", quote = FALSE,
            row.names = FALSE)
cat(sprintf("wrote %d printed summaries\n", nrow(cases)))
