# make_residuals_reference.R -- the "Residuals:" block of print(summary(lm()))
# for the text output of `regress fit` (tests/cli_fit_test.cpp).
#
# summary.lm prints the five quantiles when the residual degrees of freedom
# exceed 5, and otherwise every residual as a vector named by the data frame's
# row names (rows dropped by na.omit keep their numbers), wrapped to 80
# columns. Three cases, written to tests/data/r_resid_<case>.csv:
#   missing  y ~ x, 7 rows, one missing x: 4 df, names 1 2 3 5 6 7
#   wrap     y ~ poly of degree 9 (raw), 14 rows: 4 df, two lines of 7
#   six      y ~ x, 8 rows: 6 df, the quantiles
# Each block (from "Residuals:" to the line before "Coefficients:") goes to
# tests/reference/r_resid_<case>.txt.
#
# Generated with: R version 4.2.2 Patched (2022-11-10 r83330), base R only.
# To regenerate (from the repository root):
#   Rscript tests/reference/make_residuals_reference.R
block <- function(fit, case) {
  out <- capture.output(print(summary(fit)))
  from <- which(out == "Residuals:")
  to <- which(out == "Coefficients:") - 1
  writeLines(out[from:to], sprintf("tests/reference/r_resid_%s.txt", case))
}
write <- function(d, case) {
  path <- sprintf("tests/data/r_resid_%s.csv", case)
  write.csv(d, path, row.names = FALSE, na = "")
  read.csv(path)
}
d <- write(data.frame(x = c(1, 2, 3, NA, 4, 5, 6), y = c(2.1, 3.9, 6.2, 7, 8.1, 9.8, 12.3)),
           "missing")
block(lm(y ~ x, d), "missing")
set.seed(1)
x <- 1:14
d <- write(data.frame(x = x, y = signif(x^3 / 100 + rnorm(14) * 1e-3, 8)), "wrap")
block(lm(y ~ poly(x, 9, raw = TRUE), d), "wrap")
d <- write(data.frame(x = 1:8, y = c(1.3, 2.2, 2.8, 4.5, 4.9, 6.3, 6.8, 8.4)), "six")
block(lm(y ~ x, d), "six")
