# make_check_plot_reference.R -- reference coordinates for `regress check
# --plot/--svg`: the four panels of R's plot.lm (which = c(1, 2, 3, 5)),
# computed as stats:::plot.lm (R 4.2.2) computes them, with the rows it labels
# (id.n = 3) and the Cook's distance contours (cook.levels = c(0.5, 1)).
#
# plot.lm, for an lm fit m with weights w (1 without) and s = sigma(m):
#   rows of weight 0 are dropped (PR#6640); rows are named by rownames, the
#   data row as read.csv numbers it (a row dropped for NA leaves a gap);
#   r  = residuals(m) (unweighted), yh = predict(m), h = influence(m)$hat,
#   rs = sqrt(w) * r / (s * sqrt(1 - h)) (NaN where h >= 1),
#   cook = cooks.distance(m)
#   1 residuals_fitted:   (yh, r), labels sort.list(abs(r), decreasing = TRUE)[1:3]
#   2 normal_qq:          qqnorm(rs) (x = qnorm(ppoints(n))[order(order(rs))]),
#                         labels by |rs|; qqline(rs): the line through the
#                         quartiles (quantile type 7) of rs and of the normal
#   3 scale_location:     (yh, sqrt(abs(rs))), labels by |rs|
#   4 residuals_leverage: (h, rs), labels order(-cook)[1:3]; contours
#                         +-sqrt(c * p * (1 - hh) / hh), p = m$rank, at
#                         hh = seq(min(range(h)[1], range(h)[2] / 100), usr2,
#                         length.out = 101), usr2 = par("usr")[2] of the plot
#                         with xlim = c(0, max(h)), i.e. 1.04 * max(h)
#                         (checked below on a null device)
#
# Cases (data in tests/data and data/, as make_diagnostics_reference.R reads
# them): cars (dist ~ speed), factor_cyl (mpg ~ wt + factor(cyl)), weighted
# (y ~ x + g, weights w, one row of weight 0), missing (y ~ x + g with rows
# dropped for NA).
#
# Writes tests/reference/check_plot_reference.csv:
#   case,panel,item,row,x,y
#   item point:   one per plotted row, in row order (row = the data row)
#   item label:   the labelled rows, most extreme first, at their point
#   item qqline:  normal_qq only: x = intercept, y = slope of qqline
#   item cook_0.5, cook_1: residuals_leverage only, the 101 points (hh,
#                 +cl.h) of the upper contour (the lower is its negative)
#   item rank:    residuals_leverage only: x = m$rank (p of the contours)
# Values are printed with sprintf("%.17g"), NaN/NA as NA.
#
# Generated with R 4.2.2 (Debian r-base-core). To regenerate (from the
# repository root):
#   LC_ALL=C Rscript tests/reference/make_check_plot_reference.R

cases <- data.frame(
  case = c("cars", "factor_cyl", "weighted", "missing"),
  data = c("data/cars.csv", "tests/data/f_mtcars.csv", "tests/data/f_weights.csv",
           "tests/data/f_missing.csv"),
  formula = c("dist ~ speed", "mpg ~ wt + factor(cyl)", "y ~ x + g", "y ~ x + g"),
  weights = c("", "", "w", ""),
  stringsAsFactors = FALSE)

num <- function(v) ifelse(is.na(v), "NA", sprintf("%.17g", v))
out <- character()
put <- function(case, panel, item, row, x, y) {
  out <<- c(out, paste(case, panel, item, row, num(x), num(y), sep = ","))
}

for (i in seq_len(nrow(cases))) {
  cs <- cases[i, ]
  d <- read.csv(cs$data, stringsAsFactors = FALSE, check.names = FALSE,
                na.strings = c("", "NA"))
  f <- as.formula(cs$formula)
  m <- if (cs$weights == "") lm(f, data = d) else
    eval(bquote(lm(f, data = d, weights = .(as.name(cs$weights)))))
  # As stats:::plot.lm (R 4.2.2), which = c(1, 2, 3, 5), id.n = 3.
  r <- residuals(m)
  yh <- predict(m)
  w <- weights(m)
  labels.id <- names(r)
  if (!is.null(w)) {
    wind <- w != 0
    r <- r[wind]; yh <- yh[wind]; w <- w[wind]; labels.id <- labels.id[wind]
  }
  s <- sqrt(deviance(m) / df.residual(m))
  hii <- influence(m, do.coef = FALSE)$hat
  cook <- cooks.distance(m, influence(m, do.coef = FALSE))
  rs <- (if (is.null(w)) r else sqrt(w) * r) / (s * sqrt(1 - hii))
  rs[hii >= 1] <- NaN
  show.r <- sort.list(abs(r), decreasing = TRUE)[1:3]
  show.rs <- sort.list(abs(rs), decreasing = TRUE)[1:3]
  show.cook <- order(-cook)[1:3]
  row <- labels.id
  c1 <- cs$case
  for (j in seq_along(r)) put(c1, "residuals_fitted", "point", row[j], yh[j], r[j])
  for (j in show.r) put(c1, "residuals_fitted", "label", row[j], yh[j], r[j])
  pdf(NULL)
  qq <- qqnorm(rs, plot.it = FALSE)
  for (j in seq_along(r)) put(c1, "normal_qq", "point", row[j], qq$x[j], qq$y[j])
  for (j in show.rs) put(c1, "normal_qq", "label", row[j], qq$x[j], qq$y[j])
  # qqline(rs): as stats::qqline computes its line.
  yq <- quantile(rs, c(0.25, 0.75), names = FALSE, type = 7, na.rm = TRUE)
  xq <- qnorm(c(0.25, 0.75))
  slope <- diff(yq) / diff(xq)
  put(c1, "normal_qq", "qqline", "NA", yq[1L] - slope * xq[1L], slope)
  sq <- sqrt(abs(rs))
  for (j in seq_along(r)) put(c1, "scale_location", "point", row[j], yh[j], sq[j])
  for (j in show.rs) put(c1, "scale_location", "label", row[j], yh[j], sq[j])
  xx <- hii
  xx[xx >= 1] <- NA
  for (j in seq_along(r)) put(c1, "residuals_leverage", "point", row[j], xx[j], rs[j])
  for (j in show.cook) put(c1, "residuals_leverage", "label", row[j], xx[j], rs[j])
  plot(xx, rs, xlim = c(0, max(xx, na.rm = TRUE)))
  usr2 <- par("usr")[2L]
  stopifnot(isTRUE(all.equal(usr2, 1.04 * max(xx, na.rm = TRUE), tolerance = 1e-14)))
  dev.off()
  put(c1, "residuals_leverage", "rank", "NA", m$rank, NA)
  r.hat <- range(hii, na.rm = TRUE)
  hh <- seq.int(min(r.hat[1L], r.hat[2L] / 100), usr2, length.out = 101)
  for (crit in c(0.5, 1)) {
    cl.h <- sqrt(crit * m$rank * (1 - hh) / hh)
    for (j in seq_along(hh)) put(c1, "residuals_leverage", paste0("cook_", crit), "NA", hh[j], cl.h[j])
  }
}

writeLines(c("case,panel,item,row,x,y", out), "tests/reference/check_plot_reference.csv")
