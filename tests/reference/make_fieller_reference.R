# Reference values for inverse prediction (tests/inverse_test.cpp).
# Run from the repository root: Rscript tests/reference/make_fieller_reference.R
# (R 4.2.2, base R only). The interval ends are found here by root finding on
# R's own predict.lm bands, independently of regress's closed form: the
# calibration interval for y0 is {x : lwr(x) <= y0 <= upr(x)} of the
# prediction band, Fieller's interval for the mean response uses the
# confidence band.
d <- read.csv("data/cars.csv")
fit <- lm(dist ~ speed, data = d)
band <- function(x, interval, level, side) {
  p <- predict(fit, data.frame(speed = x), interval = interval, level = level)
  p[, side]
}
for (interval in c("prediction", "confidence")) {
  for (level in c(0.95, 0.99)) {
    for (y0 in c(10, 50, 100)) {
      x_hat <- (y0 - coef(fit)[[1]]) / coef(fit)[[2]]
      # the lower end is where the upper band reaches y0, and vice versa
      lo <- uniroot(function(x) band(x, interval, level, "upr") - y0,
                    c(x_hat - 100, x_hat), tol = 1e-13)$root
      hi <- uniroot(function(x) band(x, interval, level, "lwr") - y0,
                    c(x_hat, x_hat + 100), tol = 1e-13)$root
      cat(sprintf("{\"%s\", %.2f, %g, %.17g, %.17g, %.17g},\n", interval, level, y0, x_hat, lo, hi))
    }
  }
}
