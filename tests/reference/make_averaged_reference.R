# make_averaged_reference.R -- reference values for regress's model-averaged
# intervals (--method averaged), computed independently in R.
#
# Generated with: R version 4.2.2 (Debian r-base-core 4.2.2), base R, stats
# and the recommended package splines. To regenerate (from the repository root):
#   LC_ALL=C Rscript tests/reference/make_averaged_reference.R
#
# Per case: the candidates are fitted with lm() (to the same rows), their
# AICc computed from R's AIC() (logLik.lm: sigma counted, so k = length(coef)
# + 1, weighted fits as logLik.lm does), AICc = AIC + 2k(k+1)/(n-k-1) with n
# = nobs() (rows of positive weight), weights w_i = exp(-D_i/2)/sum exp(-D_j/2).
# At each new point, predict.lm(se.fit = TRUE) of each candidate gives fit_i
# and se_i; the mixture sum_i w_i pt((y - fit_i)/s_i, df_i), with s_i =
# sqrt(sigma_i^2 + se_i^2) (prediction) or se_i (confidence), is solved for
# its (1-level)/2 and (1+level)/2 quantiles with uniroot (tol 1e-14) inside
# the bracket of the components' own quantiles.
#
# Writes tests/reference/averaged_reference.csv with the columns
#   case,section,name,value
# (values sprintf("%.17g")): section "aicc" and "weight", name the candidate's
# index (1-based); section "prediction" or "confidence", name "<x>|fit",
# "<x>|lwr", "<x>|upr" (fit = sum w_i fit_i).

if (Sys.getlocale("LC_COLLATE") != "C") stop("run with LC_ALL=C")
library(splines)

cars <- read.csv("data/cars.csv")
wdata <- read.csv("tests/data/f_weights.csv")
pos <- wdata[wdata$w > 0, ]

cases <- list(
  cars_degrees = list(data = cars, w = NULL, x = "speed",
                      f = c("dist ~ speed", "dist ~ speed + I(speed^2)",
                            "dist ~ speed + I(speed^2) + I(speed^3)"),
                      at = c(4, 10, 15.5, 25, 40, 60)),
  cars_formulas = list(data = cars, w = NULL, x = "speed",
                       f = c("dist ~ speed", "dist ~ poly(speed, 2)", "dist ~ ns(speed, 3)"),
                       at = c(4, 10, 15.5, 25, 40, 60)),
  weighted = list(data = wdata, w = "w", x = "x",
                  f = c("y ~ x", "y ~ poly(x, 2)", "y ~ poly(x, 3)"),
                  at = c(0.62, 5, 9.87, 15, 30)))

level <- 0.95
out <- data.frame(case = character(), section = character(), name = character(),
                  value = character(), stringsAsFactors = FALSE)
add <- function(case, section, name, value) {
  out[nrow(out) + 1, ] <<- list(case, section, name, sprintf("%.17g", value))
}

mixture_quantile <- function(p, w, fit, s, df) {
  own <- fit + s * qt(p, df)
  lo <- min(own); hi <- max(own)
  if (lo == hi) return(lo)
  f <- function(y) sum(w * pt((y - fit) / s, df)) - p
  uniroot(f, c(lo, hi), tol = 1e-14, maxiter = 10000)$root
}

for (name in names(cases)) {
  cs <- cases[[name]]
  fits <- lapply(cs$f, function(f) {
    if (is.null(cs$w)) lm(as.formula(f), data = cs$data)
    else lm(as.formula(f), data = cs$data, weights = cs$data[[cs$w]])
  })
  aicc <- sapply(fits, function(m) {
    k <- length(coef(m)) + 1
    n <- nobs(m)
    AIC(m) + 2 * k * (k + 1) / (n - k - 1)
  })
  d <- aicc - min(aicc)
  w <- exp(-d / 2) / sum(exp(-d / 2))
  for (i in seq_along(fits)) {
    add(name, "aicc", i, aicc[i])
    add(name, "weight", i, w[i])
  }
  nd <- data.frame(cs$at)
  names(nd) <- cs$x
  preds <- lapply(fits, function(m) suppressWarnings(predict(m, nd, se.fit = TRUE)))
  for (j in seq_along(cs$at)) {
    fit <- sapply(preds, function(p) p$fit[j])
    se <- sapply(preds, function(p) p$se.fit[j])
    sigma <- sapply(fits, function(m) summary(m)$sigma)
    df <- sapply(fits, function(m) m$df.residual)
    for (kind in c("prediction", "confidence")) {
      s <- if (kind == "prediction") sqrt(sigma^2 + se^2) else se
      x <- sprintf("%.17g", cs$at[j])
      add(name, kind, paste0(x, "|fit"), sum(w * fit))
      add(name, kind, paste0(x, "|lwr"), mixture_quantile((1 - level) / 2, w, fit, s, df))
      add(name, kind, paste0(x, "|upr"), mixture_quantile((1 + level) / 2, w, fit, s, df))
    }
  }
}
write.csv(out, "tests/reference/averaged_reference.csv", row.names = FALSE, quote = FALSE)
