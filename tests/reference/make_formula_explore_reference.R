# make_formula_explore_reference.R -- reference values for `regress explore`
# and `regress backtest` with model formulas, computed by R's lm() and
# predict.lm().
#
# Generated with: R version 4.2.2 Patched (2022-11-10 r83330) (Debian
# r-base-core 4.2.2.20221110-2), base R only. To regenerate (from the
# repository root):
#   LC_ALL=C Rscript tests/reference/make_formula_explore_reference.R
#
# Data: data/cars.csv and data/toothgrowth.csv, read with
#   read.csv(path, stringsAsFactors = FALSE)
# (supp stays character; lm makes it a factor with levels OJ, VC).
#
# Writes tests/reference/formula_explore_reference.csv with the columns
#   case,section,x,name,value
# printed with sprintf("%.17g"):
#
#  - section "sweep": predict.lm at the points of a sweep, x the swept value,
#    name one of fit, se_fit, conf_lwr, conf_upr, pred_lwr, pred_upr (level
#    0.95) and leverage ((se.fit / sigma)^2):
#      cars_poly2   dist ~ poly(speed, 2)       speed = 0, 5, ..., 50 (what
#                   `regress explore ... --from 0 --to 50 --steps 11` sweeps)
#      tooth_vc     len ~ log(dose) * supp      supp = "VC", dose = 0.25, 0.5,
#                   ..., 4 (--from 0.25 --to 4 --steps 16 --hold supp=VC)
#  - section "model": x empty; max_leverage (max(hatvalues(fit))) and
#    narrowest, the definition of explore.hpp's narrowest_leverage found
#    independently with optimize(): the smallest leverage over the swept
#    column inside its range (cars) or, per level of supp, inside that
#    cell's range (toothgrowth), the smallest over the cells.
#  - section "backtest": the extrapolation part of `regress backtest`, done
#    by hand: the rows in order(x) (stable, as std::stable_sort), the
#    lround(0.2 n) extreme rows held out (--side both: held %/% 2 at the
#    bottom, the rest at the top; upper: all at the top), lm refitted on the
#    kept rows (in file order: factor levels and poly coefficients from them
#    alone), each held-out row predicted with its 95% prediction interval;
#    name n, coverage, mae, and per distance bin (beyond the kept rows' range
#    of x, in its spans; bins 0-0.1, 0.1-0.25, 0.25-0.5, 0.5-1, 1-2, 2+)
#    bin<from>_n, bin<from>_coverage, bin<from>_mae for the non-empty bins:
#      bt_cars_poly2   dist ~ poly(speed, 2), --side both
#      bt_cars_log     dist ~ log(speed), --side upper
#      bt_tooth        len ~ log(dose) * supp, --side upper

if (Sys.getlocale("LC_COLLATE") != "C") stop("run with LC_ALL=C")

cars <- read.csv("data/cars.csv", stringsAsFactors = FALSE)
tooth <- read.csv("data/toothgrowth.csv", stringsAsFactors = FALSE)

out <- data.frame(case = character(), section = character(), x = character(),
                  name = character(), value = character(), stringsAsFactors = FALSE)
num <- function(v) ifelse(is.na(v), "NA", sprintf("%.17g", v))
add <- function(case, section, x, name, value) {
  out[nrow(out) + 1, ] <<- list(case, section, x, name, num(value))
}

sweep_rows <- function(case, fit, new, x) {
  conf <- predict(fit, new, se.fit = TRUE, interval = "confidence", level = 0.95)
  pred <- predict(fit, new, se.fit = TRUE, interval = "prediction", level = 0.95)
  sigma <- summary(fit)$sigma
  for (i in seq_along(x)) {
    xs <- num(x[i])
    add(case, "sweep", xs, "fit", pred$fit[i, "fit"])
    add(case, "sweep", xs, "se_fit", pred$se.fit[i])
    add(case, "sweep", xs, "conf_lwr", conf$fit[i, "lwr"])
    add(case, "sweep", xs, "conf_upr", conf$fit[i, "upr"])
    add(case, "sweep", xs, "pred_lwr", pred$fit[i, "lwr"])
    add(case, "sweep", xs, "pred_upr", pred$fit[i, "upr"])
    add(case, "sweep", xs, "leverage", (pred$se.fit[i] / sigma)^2)
  }
}

leverage_at <- function(fit, new) {
  p <- predict(fit, new, se.fit = TRUE)
  (p$se.fit / summary(fit)$sigma)^2
}

# cars: dist ~ poly(speed, 2)
fit_c <- lm(dist ~ poly(speed, 2), data = cars)
speeds <- seq(0, 50, by = 5)
sweep_rows("cars_poly2", fit_c, data.frame(speed = speeds), speeds)
h_c <- function(s) leverage_at(fit_c, data.frame(speed = s))
add("cars_poly2", "model", "", "max_leverage", max(hatvalues(fit_c)))
add("cars_poly2", "model", "", "narrowest",
    optimize(h_c, range(cars$speed), tol = 1e-12)$objective)

# toothgrowth: len ~ log(dose) * supp, held at supp = VC
fit_t <- lm(len ~ log(dose) * supp, data = tooth)
doses <- 0.25 * (1:16)
sweep_rows("tooth_vc", fit_t, data.frame(dose = doses, supp = "VC"), doses)
add("tooth_vc", "model", "", "max_leverage", max(hatvalues(fit_t)))
narrow <- Inf
for (s in sort(unique(tooth$supp))) {
  cell <- tooth$dose[tooth$supp == s]
  h <- function(d) leverage_at(fit_t, data.frame(dose = d, supp = s))
  narrow <- min(narrow, optimize(h, range(cell), tol = 1e-12)$objective)
}
add("tooth_vc", "model", "", "narrowest", narrow)

# The extrapolation part of a backtest.
backtest_extremes <- function(case, formula, data, x, y, side, holdout = 0.2) {
  n <- nrow(data)
  held <- max(floor(holdout * n + 0.5), if (side == "both") 2 else 1)
  low <- if (side == "upper") 0 else if (side == "lower") held else held %/% 2
  high <- held - low
  o <- order(data[[x]])  # stable for ties
  outer <- c(o[seq_len(low)], o[seq.int(n - high + 1, length.out = high)])
  inner <- setdiff(o, outer)
  kept <- data[sort(inner), , drop = FALSE]
  fit <- lm(formula, data = kept)
  test <- data[outer, , drop = FALSE]
  p <- predict(fit, test, interval = "prediction", level = 0.95)
  yv <- eval(formula[[2]], test)
  covered <- p[, "lwr"] <= yv & yv <= p[, "upr"]
  err <- abs(yv - p[, "fit"])
  add(case, "backtest", "", "n", length(outer))
  add(case, "backtest", "", "coverage", mean(covered))
  add(case, "backtest", "", "mae", mean(err))
  r <- range(kept[[x]])
  d <- pmax(r[1] - test[[x]], test[[x]] - r[2], 0) / (r[2] - r[1])
  edges <- c(0, 0.1, 0.25, 0.5, 1, 2, Inf)
  bin <- findInterval(d, edges, rightmost.closed = FALSE)
  for (b in sort(unique(bin))) {
    name <- sprintf("bin%g", edges[b])
    add(case, "backtest", "", paste0(name, "_n"), sum(bin == b))
    add(case, "backtest", "", paste0(name, "_coverage"), mean(covered[bin == b]))
    add(case, "backtest", "", paste0(name, "_mae"), mean(err[bin == b]))
  }
}
backtest_extremes("bt_cars_poly2", dist ~ poly(speed, 2), cars, "speed", "dist", "both")
backtest_extremes("bt_cars_log", dist ~ log(speed), cars, "speed", "dist", "upper")
backtest_extremes("bt_tooth", len ~ log(dose) * supp, tooth, "dose", "len", "upper")

write.csv(out, "tests/reference/formula_explore_reference.csv", row.names = FALSE,
          quote = FALSE)
