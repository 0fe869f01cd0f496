# make_diagnostics_reference.R -- reference values for regress augment and
# regress check: per-row diagnostics as broom::augment(lm) and rstudent()
# give them, and the tests of lmtest, car and stats that check runs.
#
# Cases (the table `cases` below, which tests/diagnostics_test.cpp repeats;
# data in tests/data, written by make_formula_reference.R): a straight
# line, factors, an interaction with a transform, weights, an aliased column
# and missing values (rows numbered as read.csv numbers them, so a dropped
# row leaves a gap).
#
# Writes
#   - tests/reference/diagnostics_reference.csv: case,row,.fitted,.resid,
#       .hat,.sigma,.cooksd,.std.resid,.rstudent   one line per row the fit
#       used, row = the data row (R's row name); .fitted to .std.resid from
#       broom::augment(fit), .rstudent from rstudent(fit) (NA for a row of
#       weight 0, where R's influence measures have no value)
#   - tests/reference/check_reference.csv: case,test,statistic,df,p_value
#       reset    lmtest::resettest(fit, power = 2:3, type = "fitted")
#                (df: "df1 df2")
#       bp       lmtest::bptest(fit) (studentized)
#       shapiro  shapiro.test(residuals(fit)) (W; df empty)
#       dw       the Durbin-Watson statistic sum(diff(e)^2) / sum(e^2) of
#                the residuals in row order (weighted residuals for a
#                weighted fit; df and p empty)
#       outlier  car::outlierTest(fit): largest |rstudent|, its Bonferroni
#                p-value (df: the data row)
#       cooks    the largest Cook's distance (df: its data row; p_value: the
#                number of rows with Cook's distance above 4/n)
#   Values are printed with sprintf("%.17g"), NA as NA.
#
# Generated with R 4.2.2 and the Debian packages r-cran-broom, r-cran-lmtest
# and r-cran-car. To regenerate (from the repository root):
#   LC_ALL=C Rscript tests/reference/make_diagnostics_reference.R

suppressPackageStartupMessages({
  library(broom)
  library(lmtest)
  library(car)
})

cases <- data.frame(
  case = c("cars", "factor_cyl", "toothgrowth", "weighted", "alias_lincomb", "missing",
           "poly_factor"),
  data = c("f_cars.csv", "f_mtcars.csv", "f_toothgrowth.csv", "f_weights.csv", "f_alias.csv",
           "f_missing.csv", "f_poly.csv"),
  formula = c("dist ~ speed", "mpg ~ wt + factor(cyl)", "len ~ log(dose) * supp", "y ~ x + g",
              "y ~ x1 + x2 + x3", "y ~ x + g", "y ~ poly(x, 2) * g"),
  weights = c("", "", "", "w", "", "", ""),
  stringsAsFactors = FALSE)

num <- function(v) ifelse(is.na(v), "NA", sprintf("%.17g", v))

rows <- character()
checks <- character()
for (i in seq_len(nrow(cases))) {
  cs <- cases[i, ]
  d <- read.csv(file.path("tests/data", cs$data), stringsAsFactors = FALSE,
                check.names = FALSE, na.strings = c("", "NA"))
  f <- as.formula(cs$formula)
  fit <- if (cs$weights == "") lm(f, data = d) else
    eval(bquote(lm(f, data = d, weights = .(as.name(cs$weights)))))
  a <- augment(fit)
  row <- as.integer(rownames(model.frame(fit)))
  # R's influence measures leave out the rows of weight 0 (rstudent() is
  # shorter, by row name); broom pads .sigma and .cooksd there with 0. regress
  # writes NA for them, as R has none: so does this reference.
  rs <- rstudent(fit)[as.character(row)]
  zero <- if (is.null(weights(fit))) rep(FALSE, length(row)) else weights(fit) == 0
  a$.sigma[zero] <- NA
  a$.cooksd[zero] <- NA
  rows <- c(rows, paste(cs$case, row, num(a$.fitted), num(a$.resid), num(a$.hat),
                        num(a$.sigma), num(a$.cooksd), num(a$.std.resid), num(rs), sep = ","))
  e <- weighted.residuals(fit)
  n <- length(e)
  reset <- resettest(fit, power = 2:3, type = "fitted")
  bp <- bptest(fit)
  sw <- shapiro.test(residuals(fit))
  dw <- sum(diff(e)^2) / sum(e^2)
  ot <- outlierTest(fit, cutoff = Inf, n.max = 1)
  ck <- cooks.distance(fit)
  worst <- which.max(ck)
  checks <- c(checks,
    paste(cs$case, "reset", num(reset$statistic),
          paste(reset$parameter, collapse = " "), num(reset$p.value), sep = ","),
    paste(cs$case, "bp", num(bp$statistic), num(bp$parameter), num(bp$p.value), sep = ","),
    paste(cs$case, "shapiro", num(sw$statistic), "", num(sw$p.value), sep = ","),
    paste(cs$case, "dw", num(dw), "", "", sep = ","),
    paste(cs$case, "outlier", num(ot$rstudent[1]), names(ot$rstudent)[1],
          num(ot$bonf.p[1]), sep = ","),
    paste(cs$case, "cooks", num(ck[worst]), names(ck)[worst], sum(ck > 4 / n, na.rm = TRUE),
          sep = ","))
}

writeLines(c("case,row,.fitted,.resid,.hat,.sigma,.cooksd,.std.resid,.rstudent", rows),
           "tests/reference/diagnostics_reference.csv")
writeLines(c("case,test,statistic,df,p_value", checks), "tests/reference/check_reference.csv")
