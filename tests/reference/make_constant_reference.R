# make_constant_reference.R -- what R gives for a constant response: every
# residual and the model sum of squares are 0, so R-squared is 0/0 (NaN), F is
# 0/0 (NaN) with p-value NA, slopes have t = 0/0 (NaN, printed NaN) and the
# intercept t = 5/0 (Inf, p-value 0). Used by tests/hostile_numbers_test.cpp
# for the text, csv and json of `regress fit`.
#
# Cases (data in tests/data/):
#   one      r_constant_one.csv, -y y -x x          y ~ x
#   two      r_constant_two.csv, -y y -x x,z        y ~ x + z
#   log      r_constant_one.csv, formula y ~ log(x) y ~ log(x)
#
# Writes:
#   1. tests/reference/r_summary_constant_<case>.txt: print(summary(fit))
#      with options(width = 80) and fit$call <- call("lm", formula = f), the
#      Call line regress prints.
#   2. tests/reference/constant_reference.csv: per case and term, the
#      coefficient table (coef(summary(fit))), then per case a row with term
#      "(model)" holding r_squared, adj_r_squared, sigma, f_statistic,
#      f_p_value, log_lik, aic, bic; numbers as sprintf("%.17g"), so NaN, NA,
#      Inf and -Inf appear as R names them.
#
# Generated with: R version 4.2.2 Patched (2022-11-10 r83330) (Debian
# r-base-core 4.2.2.20221110-2), base R only. To regenerate (from the
# repository root):
#   LC_ALL=C Rscript tests/reference/make_constant_reference.R

options(stringsAsFactors = FALSE, warn = 1, width = 80, useFancyQuotes = FALSE)
if (!file.exists("tests/reference")) {
  stop("run from the repository root: LC_ALL=C Rscript tests/reference/make_constant_reference.R")
}

cases <- list(
  one = list(data = "tests/data/r_constant_one.csv", formula = y ~ x),
  two = list(data = "tests/data/r_constant_two.csv", formula = y ~ x + z),
  log = list(data = "tests/data/r_constant_one.csv", formula = y ~ log(x)))

num <- function(v) ifelse(is.nan(v), "NaN", ifelse(is.na(v), "NA", sprintf("%.17g", v)))
rows <- character()
for (name in names(cases)) {
  c <- cases[[name]]
  fit <- lm(c$formula, data = read.csv(c$data))
  fit$call <- call("lm", formula = c$formula)
  s <- suppressWarnings(summary(fit))
  out <- capture.output(print(s))
  writeLines(out, sprintf("tests/reference/r_summary_constant_%s.txt", name), useBytes = TRUE)
  cf <- coef(s)
  for (i in seq_len(nrow(cf))) {
    rows <- c(rows, paste(name, rownames(cf)[i], num(cf[i, 1]), num(cf[i, 2]), num(cf[i, 3]),
                          num(cf[i, 4]), "", "", "", "", "", "", "", "", sep = ","))
  }
  fs <- s$fstatistic
  fp <- pf(fs[["value"]], fs[["numdf"]], fs[["dendf"]], lower.tail = FALSE)
  ll <- as.numeric(logLik(fit))
  rows <- c(rows, paste(name, "(model)", "", "", "", "", num(s$r.squared),
                        num(s$adj.r.squared), num(s$sigma), num(fs[["value"]]), num(fp), num(ll),
                        num(AIC(fit)), num(BIC(fit)), sep = ","))
}
header <- paste("case,term,estimate,std_error,statistic,p_value,r_squared,adj_r_squared,sigma",
                "f_statistic,f_p_value,log_lik,aic,bic", sep = ",")
writeLines(c(header, rows), "tests/reference/constant_reference.csv")
cat(sprintf("wrote %d summaries and %d rows\n", length(cases), length(rows)))
