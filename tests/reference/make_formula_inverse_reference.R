# Reference values for inverse prediction with a formula model
# (tests/cli_formula_test.cpp): `regress predict FILE 'mpg ~ I(wt)' --inverse`.
# Run from the repository root:
#   LC_ALL=C Rscript tests/reference/make_formula_inverse_reference.R
# (R 4.2.2, base R only); writes tests/reference/formula_inverse_reference.csv.
# As make_fieller_reference.R, the interval ends are found by root finding on
# R's own predict.lm bands of the formula's fit: the calibration interval for
# y0 is {x : lwr(x) <= y0 <= upr(x)} of the prediction band, Fieller's
# interval for the mean response uses the confidence band.
d <- read.csv("data/mtcars.csv")
fit <- lm(mpg ~ I(wt), data = d)
band <- function(x, interval, level, side) {
  p <- predict(fit, data.frame(wt = x), interval = interval, level = level)
  p[, side]
}
out <- NULL
for (interval in c("prediction", "confidence")) {
  for (level in c(0.95, 0.9)) {
    for (y0 in c(12, 20, 30)) {
      x_hat <- (y0 - coef(fit)[[1]]) / coef(fit)[[2]]
      # The slope is negative: the lower end of x is where the lower band
      # reaches y0, the upper end where the upper band does.
      lo <- uniroot(function(x) band(x, interval, level, "lwr") - y0,
                    c(x_hat - 10, x_hat), tol = 1e-14)$root
      hi <- uniroot(function(x) band(x, interval, level, "upr") - y0,
                    c(x_hat, x_hat + 10), tol = 1e-14)$root
      out <- rbind(out, data.frame(interval = interval, level = level, y = y0,
                                   x = sprintf("%.17g", x_hat),
                                   lwr = sprintf("%.17g", lo),
                                   upr = sprintf("%.17g", hi)))
    }
  }
}
write.csv(out, "tests/reference/formula_inverse_reference.csv", row.names = FALSE,
          quote = FALSE)
