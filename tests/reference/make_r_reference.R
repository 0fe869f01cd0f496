# make_r_reference.R -- reference values for regress, computed by R's lm().
#
# What it does:
#   1. Generates small, deterministic (set.seed) datasets and writes them as
#      tests/data/r_<case>.csv, plus new points for prediction as
#      tests/data/r_<case>_new.csv (predictor columns only).
#   2. Reads every file back with read.csv, so R fits exactly the numbers the
#      C++ library will read (values are written with few digits). With
#      R 4.2.2 every value read back was checked (once, outside this script)
#      to be the correctly rounded double of its text, as the library reads it.
#   3. Fits each case with lm() and writes coefficients (summary + confint),
#      model statistics (summary, logLik, AIC, BIC) and predictions
#      (predict.lm with se.fit, prediction and confidence intervals) to
#      tests/reference/r_reference.csv as case,section,row,name,value with
#      every value printed with sprintf("%.17g").
#   The C++ test tests/r_reference_test.cpp compares the library against it.
#
# Generated with: R version 4.2.2 Patched (2022-11-10 r83330), base R only.
# To regenerate (from the repository root):
#   Rscript tests/reference/make_r_reference.R
#
# Cases:
#   simple   y ~ x                        level 0.95
#   multi    y ~ x1 + x2 + x3             columns x1,y,x2,x3 (y not last)
#   poly     y ~ x + I(x^2) + I(x^3)      raw powers, named I(x^2), I(x^3) as by R
#   noint    y ~ 0 + x1 + x2              R^2 and F are uncentred
#   missing  y ~ x1 + x2, na.omit         a text column with quoted commas and
#                                         quotes; cells "", NA, nan, NaN, null
#   level99  the simple data and new points, level 0.99
#   far      y ~ x with x = 1e6 + i / 1024, i = 0..199 (steps of about 0.001,
#            chosen to be exact in binary so that R, which reads the nearest
#            doubles, and regress, which reads decimals to ~32 digits, fit the
#            same numbers; with 0.001-steps the decimals differ from their
#            doubles by up to 1e-10, which moves this ill-conditioned fit by ~1e-9)
#
# Note on `far`: R's default lm(y ~ x) does NOT fit this model. After the
# intercept column is swept out of the QR, x's remaining norm relative to its
# original norm is about 6e-8 < tol = 1e-7, so lm silently declares x aliased:
# coef(x) is NA, the fit is intercept-only (sigma ~ 0.17 instead of ~ 0.01),
# and summary() only notes "1 not defined because of singularities".
# The reference therefore comes from the centred fit lm(y ~ xc), xc = x - mean(x),
# which is the same model: the raw intercept b0 = b0c - b1 * mean(x) with
# var(b0) = var(b0c) + mean^2 var(b1) - 2 mean cov(b0c, b1); its t, p-value
# and confidence interval follow from those. Predictions use xc0 = x0 - mean(x).
# sigma, R^2, F, logLik, AIC and BIC are invariant and taken from the centred fit.

options(stringsAsFactors = FALSE, warn = 1)

if (!file.exists("tests/reference") || !file.exists("tests/data")) {
  stop("run from the repository root: Rscript tests/reference/make_r_reference.R")
}
data_dir <- "tests/data"
ref_file <- "tests/reference/r_reference.csv"
na_markers <- c("", "NA", "nan", "NaN", "null")

# ---- writing and reading CSV by hand ---------------------------------------

# Formats a numeric vector with `fmt`, writing NA as the empty string.
fmt_num <- function(v, fmt = "%.6g") {
  out <- sprintf(fmt, v)
  out[is.na(v)] <- ""
  out
}

# Quotes a text field as RFC 4180 does: always quoted, inner quotes doubled.
quote_field <- function(s) paste0("\"", gsub("\"", "\"\"", s, fixed = TRUE), "\"")

# `cols` is a named list of character vectors (already formatted cells).
write_cells <- function(cols, path) {
  lines <- c(paste(names(cols), collapse = ","), do.call(paste, c(unname(cols), sep = ",")))
  writeLines(lines, path, useBytes = TRUE)
}

read_back <- function(path) {
  read.csv(path, na.strings = na_markers, strip.white = FALSE, check.names = FALSE)
}

data_path <- function(name) file.path(data_dir, paste0("r_", name, ".csv"))

# New points for one predictor: min, mean, max, two interior quantiles, and
# three training spans beyond each end.
new_points_1 <- function(x) {
  span <- max(x) - min(x)
  c(min(x), mean(x), max(x), quantile(x, 0.3, names = FALSE),
    quantile(x, 0.8, names = FALSE), max(x) + 3 * span, min(x) - 3 * span)
}

# New points for several predictors (a data frame of them): all at min, mean,
# max, a few training-like interior points, all beyond each end, and mixes.
new_points_k <- function(d) {
  lo <- sapply(d, min); hi <- sapply(d, max); mu <- sapply(d, mean)
  span <- hi - lo
  k <- length(d)
  mix1 <- ifelse(seq_len(k) %% 2 == 1, hi + 3 * span, lo - 3 * span)
  mix2 <- mu; mix2[1] <- hi[1] + 3 * span[1]
  mix3 <- mu; mix3[k] <- lo[k] - 3 * span[k]
  interior <- lapply(c(0.25, 0.6), function(q) sapply(d, quantile, probs = q, names = FALSE))
  rows <- rbind(lo, mu, hi, interior[[1]], interior[[2]],
                hi + 3 * span, lo - 3 * span, mix1, mix2, mix3)
  out <- as.data.frame(rows, row.names = FALSE)
  names(out) <- names(d)
  out
}

write_new_points <- function(newd, name, fmt = "%.6g") {
  write_cells(lapply(newd, fmt_num, fmt = fmt), data_path(paste0(name, "_new")))
}

# ---- collecting reference rows ---------------------------------------------

ref <- list()
add <- function(case, section, row, name, value) {
  stopifnot(length(value) == 1, is.finite(value))
  ref[[length(ref) + 1]] <<- sprintf("%s,%s,%s,%s,%.17g", case, section, row, name, value)
}

# R term names are regress's term names (I(x^2) for a power, as R names it).
tool_term <- function(r_name) r_name

add_terms <- function(case, tab) {
  # tab: data frame with term, estimate, std_error, statistic, p_value, conf_low, conf_high
  for (i in seq_len(nrow(tab))) {
    for (nm in c("estimate", "std_error", "statistic", "p_value", "conf_low", "conf_high")) {
      add(case, "term", tab$term[i], nm, tab[[nm]][i])
    }
  }
}

term_table <- function(fit, level) {
  co <- summary(fit)$coefficients
  ci <- confint(fit, level = level)
  stopifnot(!anyNA(coef(fit)), identical(rownames(co), rownames(ci)))
  data.frame(term = tool_term(rownames(co)), estimate = co[, 1], std_error = co[, 2],
             statistic = co[, 3], p_value = co[, 4], conf_low = ci[, 1], conf_high = ci[, 2])
}

add_model <- function(case, fit) {
  s <- summary(fit)
  f <- s$fstatistic
  add(case, "model", "model", "sigma", s$sigma)
  add(case, "model", "model", "df_residual", fit$df.residual)
  add(case, "model", "model", "nobs", nobs(fit))
  add(case, "model", "model", "r_squared", s$r.squared)
  add(case, "model", "model", "adj_r_squared", s$adj.r.squared)
  add(case, "model", "model", "f_statistic", f[["value"]])
  add(case, "model", "model", "f_p_value",
      pf(f[["value"]], f[["numdf"]], f[["dendf"]], lower.tail = FALSE))
  add(case, "model", "model", "log_lik", as.numeric(logLik(fit)))
  add(case, "model", "model", "aic", AIC(fit))
  add(case, "model", "model", "bic", BIC(fit))
}

add_predictions <- function(case, fit, newdata, level) {
  sigma <- summary(fit)$sigma
  for (kind in c("prediction", "confidence")) {
    p <- predict(fit, newdata, se.fit = TRUE, interval = kind, level = level)
    stopifnot(nrow(p$fit) == nrow(newdata))
    for (i in seq_len(nrow(newdata))) {
      add(case, kind, i, "fit", p$fit[i, "fit"])
      add(case, kind, i, "se_fit", p$se.fit[i])
      add(case, kind, i, "lwr", p$fit[i, "lwr"])
      add(case, kind, i, "upr", p$fit[i, "upr"])
      add(case, kind, i, "leverage", p$se.fit[i]^2 / sigma^2)
    }
  }
}

standard_case <- function(case, formula, data_name, level) {
  d <- read_back(data_path(data_name))
  newd <- read_back(data_path(paste0(data_name, "_new")))
  fit <- lm(formula, data = d, na.action = na.omit)
  add_terms(case, term_table(fit, level))
  add_model(case, fit)
  add_predictions(case, fit, newd, level)
  invisible(fit)
}

# ---- 1. simple -------------------------------------------------------------
set.seed(20240501)
n <- 30
x <- round(runif(n, 0, 10), 2)
y <- 1.5 + 0.8 * x + rnorm(n, sd = 1.2)
write_cells(list(x = fmt_num(x), y = fmt_num(y)), data_path("simple"))
d <- read_back(data_path("simple"))
write_new_points(data.frame(x = new_points_1(d$x)), "simple")
standard_case("simple", y ~ x, "simple", 0.95)

# ---- 2. multi (y in the second column) -------------------------------------
set.seed(20240502)
n <- 36
x1 <- round(rnorm(n, 10, 3), 3)
x2 <- round(0.5 * x1 + rnorm(n, 0, 2), 3)
x3 <- round(runif(n, -5, 5), 3)
y <- 4 + 1.2 * x1 - 0.7 * x2 + 0.05 * x3 + rnorm(n, sd = 1.5)
write_cells(list(x1 = fmt_num(x1), y = fmt_num(y), x2 = fmt_num(x2), x3 = fmt_num(x3)),
            data_path("multi"))
d <- read_back(data_path("multi"))
write_new_points(new_points_k(d[c("x1", "x2", "x3")]), "multi")
standard_case("multi", y ~ x1 + x2 + x3, "multi", 0.95)

# ---- 3. poly (degree 3, raw powers) ----------------------------------------
set.seed(20240503)
n <- 32
x <- round(runif(n, -2, 4), 3)
y <- 1 + 2 * x - 0.5 * x^2 + 0.1 * x^3 + rnorm(n, sd = 0.4)
write_cells(list(x = fmt_num(x), y = fmt_num(y)), data_path("poly"))
d <- read_back(data_path("poly"))
write_new_points(data.frame(x = new_points_1(d$x)), "poly")
standard_case("poly", y ~ x + I(x^2) + I(x^3), "poly", 0.95)

# ---- 4. noint (no intercept) -----------------------------------------------
set.seed(20240504)
n <- 28
x1 <- round(runif(n, 1, 8), 2)
x2 <- round(runif(n, 0, 5), 2)
y <- 2 * x1 + 3 * x2 + rnorm(n, sd = 1)
write_cells(list(x1 = fmt_num(x1), x2 = fmt_num(x2), y = fmt_num(y)), data_path("noint"))
d <- read_back(data_path("noint"))
write_new_points(new_points_k(d[c("x1", "x2")]), "noint")
standard_case("noint", y ~ 0 + x1 + x2, "noint", 0.95)

# ---- 5. missing (text column, missing markers, na.omit) --------------------
set.seed(20240505)
n <- 40
label <- paste0("r", seq_len(n))
label[2] <- "b, with comma"
label[5] <- "say \"hi\""
label[9] <- "NA"          # a missing marker in an unused column must not drop the row
label[12] <- ""
x1 <- round(runif(n, 0, 20), 2)
x2 <- round(rnorm(n, 50, 10), 1)
y <- 10 - 0.3 * x1 + 0.2 * x2 + rnorm(n, sd = 2)
cells_x1 <- fmt_num(x1); cells_x2 <- fmt_num(x2); cells_y <- fmt_num(y)
cells_x1[c(3, 17)] <- c("", "NA")
cells_x2[c(8, 21, 30)] <- c("nan", "null", "NaN")
cells_y[c(11, 17, 36)] <- c("NA", "", "null")
write_cells(list(label = quote_field(label), x1 = cells_x1, x2 = cells_x2, y = cells_y),
            data_path("missing"))
d <- read_back(data_path("missing"))
stopifnot(is.character(d$label), is.numeric(d$x1), is.numeric(d$x2), is.numeric(d$y),
          d$label[2] == "b, with comma", d$label[5] == "say \"hi\"")
cc <- d[complete.cases(d[c("x1", "x2", "y")]), ]
write_new_points(new_points_k(cc[c("x1", "x2")]), "missing")
fit_missing <- standard_case("missing", y ~ x1 + x2, "missing", 0.95)
stopifnot(nobs(fit_missing) == n - 7)

# ---- 6. level99 (simple data and new points, level 0.99) -------------------
standard_case("level99", y ~ x, "simple", 0.99)

# ---- 7. far (x far from the origin; centred fit) ---------------------------
set.seed(20240507)
i <- 0:199
x <- 1e6 + i / 1024
y <- 5 + 3 * (x - 1e6) + rnorm(length(i), sd = 0.01)
write_cells(list(x = fmt_num(x, "%.10f"), y = fmt_num(y, "%.9f")), data_path("far"))
d <- read_back(data_path("far"))
span <- max(d$x) - min(d$x)
newx <- c(min(d$x), mean(d$x), max(d$x), quantile(d$x, 0.3, names = FALSE),
          quantile(d$x, 0.8, names = FALSE), max(d$x) + 3 * span, min(d$x) - 3 * span)
write_new_points(data.frame(x = newx), "far", fmt = "%.6f")
newd <- read_back(data_path("far_new"))

naive <- lm(y ~ x, data = d)
stopifnot(is.na(coef(naive)[["x"]]))   # documented above: default lm drops x

level <- 0.95
m <- mean(d$x)
d$xc <- d$x - m
fit <- lm(y ~ xc, data = d)
co <- summary(fit)$coefficients
V <- vcov(fit)
b0c <- co["(Intercept)", "Estimate"]
b1 <- co["xc", "Estimate"]
b0 <- b0c - b1 * m
se0 <- sqrt(V["(Intercept)", "(Intercept)"] + m^2 * V["xc", "xc"] - 2 * m * V["(Intercept)", "xc"])
df <- fit$df.residual
tq <- qt((1 + level) / 2, df)
ci1 <- confint(fit, "xc", level = level)
tab <- data.frame(
  term = c("(Intercept)", "x"),
  estimate = c(b0, b1),
  std_error = c(se0, co["xc", "Std. Error"]),
  statistic = c(b0 / se0, co["xc", "t value"]),
  p_value = c(2 * pt(-abs(b0 / se0), df), co["xc", "Pr(>|t|)"]),
  conf_low = c(b0 - tq * se0, ci1[1, 1]),
  conf_high = c(b0 + tq * se0, ci1[1, 2]))
add_terms("far", tab)
add_model("far", fit)
add_predictions("far", fit, data.frame(xc = newd$x - m), level)

# ---- write the reference ---------------------------------------------------
writeLines(c("case,section,row,name,value", unlist(ref)), ref_file)
cat(sprintf("wrote %d reference values to %s\n", length(ref), ref_file))
