# make_formula_reference.R -- reference values for R model formulas in regress
# (factors, interactions, transformations, poly, weights, aliasing), computed
# by R's lm().
#
# What it does:
#   1. Writes the datasets tests/data/f_<data>.csv (R datasets written out, or
#      small deterministic set.seed data) and the new points for prediction
#      tests/data/f_<data>_new.csv. Several cases share one data file and one
#      new-points file. Files are plain CSV: one header row, LF line endings,
#      no quoting (no cell or name holds a comma, a quote or a line break),
#      UTF-8, missing values written as NA (and as the empty cell where a case
#      says so), numbers written by as.character (15 significant digits; every
#      value here has fewer, so it reads back exactly: checked below).
#   2. Reads every file back with
#        read.csv(path, stringsAsFactors = FALSE, check.names = FALSE,
#                 na.strings = c("", "NA"))
#      so R fits exactly what the C++ side reads: text columns stay character
#      (lm turns them into factors with levels in sort() order, which in the C
#      collation is byte order), a TRUE/FALSE column becomes logical.
#   3. Fits every case with lm(<formula>, data, [weights = <column>]), the
#      formula parsed from the very string written to the manifest, and writes
#      - tests/reference/formula_cases.csv: case,data,formula,weights,new,level
#        (data and new relative to tests/data; weights is the weight column's
#        name, empty when unweighted; formula exactly as typed for regress);
#      - tests/reference/formula_reference.csv: case,section,row,name,value,
#          term,<coefficient as R names it>,{estimate,std_error,statistic,
#               p_value,conf_low,conf_high}   in R's coefficient order, all
#               coefficients; an aliased one (coef NA) has NA everywhere;
#          model,,{sigma,r_squared,adj_r_squared,f_statistic,f_df1,f_p_value,
#               df_residual,nobs,rank,log_lik,aic,bic}   (the row field is
#               empty; NA where R has none: F, its df and p for y ~ 1);
#          confidence,<1-based new row>,{fit,se_fit,lwr,upr} and
#          prediction,<row>,{fit,se_fit,lwr,upr}   from predict.lm(fit, new,
#               se.fit = TRUE, interval = ..., level = <case level>); for a
#               weighted fit weights = the new file's weight column when it has
#               one, otherwise R's default (prediction weight 1; R warns
#               "Assuming constant prediction variance even though model fit is
#               weighted").
#        Values are printed with sprintf("%.17g"), NA as NA. A field holding a
#        comma or a quote (e.g. "poly(speed, 3)1") is quoted as in RFC 4180.
#      - tests/reference/formula_summary_<case>.txt: print(summary(fit)) for
#        the cases marked [summary] below, options(width = 80), the call set to
#        call("lm", formula = <formula>) so "Call:" shows lm(formula = ...).
#
# Generated with: R version 4.2.2 Patched (2022-11-10 r83330) (Debian
# r-base-core 4.2.2.20221110-2), base R only. To regenerate (from the
# repository root):
#   LC_ALL=C Rscript tests/reference/make_formula_reference.R
#
# Locale. The script insists on the C collation (LC_ALL=C), so that sort() and
# factor levels are in byte order. It then switches LC_CTYPE alone to C.UTF-8:
# with LC_CTYPE=C, R deparses the non-ASCII column name `Größe` as
# `Gr\303\266\303\237e` (literal backslashes) and that escaped text would be
# the coefficient's name. With a UTF-8 LC_CTYPE (what R users normally run)
# the name is Größe: in a UTF-8 locale ö and ß are letters, so the name is
# syntactic and R does not backquote it, while `Air Flow` keeps its backquotes.
# Collation stays C, checked below (Århus sorts after Zürich), and
# useFancyQuotes = FALSE keeps the ASCII quotes of the C locale in the
# "Signif. codes" line; the printed summaries of the ASCII cases are the same
# as under LC_CTYPE=C.
#
# Cases (data file in tests/data; level 0.95 unless given):
#   Factors from text
#   cyl_text        mpg ~ wt + cyl_text        mtcars; cyl_text four/six/eight:
#                                              levels in byte order, eight first
#   iris_species    Sepal.Length ~ Petal.Length + Species   iris [summary]
#   factor_cyl      mpg ~ wt + factor(cyl)     factor() of a numeric column
#   Interactions and formula algebra
#   num_num         mpg ~ wt * hp              numeric-numeric interaction
#   num_factor      Sepal.Length ~ Petal.Length * Species   iris
#   x_xg            y ~ x + x:g                x:g without g: g coded by
#                                              contrasts (x is in the model)
#   xg_only         y ~ x:g                    x:g alone: g coded by indicators
#   warpbreaks      breaks ~ wool * tension    factor-factor, level 0.90;
#                                              tension as text sorts H, L, M
#   square          mpg ~ (wt + hp + qsec)^2   mtcars
#   minus_term      mpg ~ (wt + hp + qsec)^2 - wt:qsec
#   dot             mpg ~ .                    f_dot: mpg, wt, hp, trans (text)
#   dot_minus       mpg ~ . - hp
#   log_dot         log(mpg) ~ .               R 4.2.2 leaves mpg OUT of `.`:
#                                              `.` is every column not among
#                                              all.vars() of the left side
#   Intercept
#   noint_factor    y ~ 0 + g + x              g by indicators, R^2 uncentred
#   noint_two       y ~ g + h - 1              g by indicators, h by contrasts
#   intercept_only  y ~ 1                      F, f_df1, f_p_value are NA
#   unary_minus     y ~ -1 + a + x             a leading -1 drops the intercept
#   minus_absent    y ~ -x + a                 removing a term that is not there
#                                              is silently nothing: y ~ a
#   Transformations
#   airquality      log(Ozone) ~ Temp + I(Temp^2) + Wind   airquality as is:
#                                              42 of 153 rows have a missing
#                                              value, only the 37 in Ozone are
#                                              dropped (Solar.R is not used)
#   sqrt_cars       sqrt(dist) ~ speed         cars
#   log_base        y ~ log(a, 2) + log10(b)
#   log2_log1p      y ~ log2(a) + log1p(b)
#   exp_abs         y ~ exp(c) + abs(d)        c in [-2, 3], d of both signs
#   I_product       y ~ a + I(a * b) + I(x/2)
#   I_neg_shift     y ~ I(-x) + I(a + 1)
#   toothgrowth     len ~ log(dose) * supp     ToothGrowth, level 0.99
#   Polynomials
#   poly_cars       dist ~ poly(speed, 3)      orthogonal [summary]
#   poly_raw        y ~ poly(x, 2, raw = TRUE) f_poly (5 missing y)
#   poly_na_y       y ~ poly(x, 3)             orthogonal, missing values in y
#                                              only: poly() sees all 36 x
#                                              (model.frame evaluates it before
#                                              na.omit), the fit uses 31 rows;
#                                              predictions use those coefficients
#   poly_factor     y ~ poly(x, 2) * g         orthogonal poly x factor
#   Weights
#   weighted        y ~ x + g, weights w       4 zero weights; new points with
#                                              a w column [summary]
#   weighted_default  the same fit; new points without w (R's default)
#   Aliasing (R's NA coefficients; predict warns "rank-deficient fit")
#   alias_lincomb   y ~ x1 + x2 + x3           x3 = x1 + x2 exactly (integers
#                                              and quarters); x3 is NA [summary]
#   alias_constant  y ~ x1 + k                 k constant 7: k is NA
#   alias_cell      y ~ a * b                  a (hi, lo) x b (p, q, r) with the
#                                              cell (hi, r) empty; hi is the
#                                              baseline, so br and alo:br are
#                                              the same column: alo:br is NA.
#                                              New row 6 is the empty cell (not
#                                              estimable: R predicts with the NA
#                                              coefficient taken as 0)
#   Names
#   utf8            y ~ city + `Größe`         levels New York, São Paulo,
#                                              Zürich, Århus (byte order);
#                                              coefficient Größe [summary]
#   stackloss       `stack loss` ~ `Air Flow` + `Water Temp` + `Acid Conc.`
#                                              stackloss with names with spaces;
#                                              coefficients `Air Flow` etc.
#                                              [summary]
#   Missing values and other columns
#   missing         y ~ x + g                  NA and empty cells in x, g and
#                                              y; level "rare" only in dropped
#                                              rows, so it gets no coefficient
#   logical         y ~ x + flag               TRUE/FALSE text: read.csv makes
#                                              it logical; coefficient flagTRUE
#
# Warnings R gives (expected, printed while running): "prediction from a
# rank-deficient fit may be misleading" for the alias_* cases and
# "Assuming constant prediction variance even though model fit is weighted"
# for weighted_default.

options(stringsAsFactors = FALSE, warn = 1, width = 80, useFancyQuotes = FALSE)

if (!file.exists("tests/reference") || !file.exists("tests/data")) {
  stop("run from the repository root: LC_ALL=C Rscript tests/reference/make_formula_reference.R")
}
if (Sys.getlocale("LC_COLLATE") != "C") stop("run with LC_ALL=C")
if (Sys.setlocale("LC_CTYPE", "C.UTF-8") == "") stop("cannot set LC_CTYPE to C.UTF-8")
stopifnot(l10n_info()[["UTF-8"]], Sys.getlocale("LC_COLLATE") == "C",
          identical(sort(c("Z\u00fcrich", "\u00c5rhus", "New York")),
                    c("New York", "Z\u00fcrich", "\u00c5rhus")))

data_dir <- "tests/data"
ref_dir <- "tests/reference"
na_markers <- c("", "NA")

# ---- writing and reading the data files ------------------------------------

data_file <- function(stem) paste0("f_", stem, ".csv")
data_path <- function(stem) file.path(data_dir, data_file(stem))

read_back <- function(path) {
  read.csv(path, stringsAsFactors = FALSE, check.names = FALSE, na.strings = na_markers)
}

# Writes data frame `d` (numeric, character or logical columns) as
# tests/data/f_<stem>.csv; NA is written as NA, except the rows listed in
# blank[[column]], written as the empty cell. Reads the file back, checks that
# it holds exactly `d` and returns what was read.
write_data <- function(d, stem, blank = list()) {
  cells <- lapply(names(d), function(nm) {
    v <- d[[nm]]
    out <- if (is.logical(v)) ifelse(v, "TRUE", "FALSE") else as.character(v)
    out[is.na(v)] <- "NA"
    if (!is.null(blank[[nm]])) {
      stopifnot(all(is.na(v[blank[[nm]]])))
      out[blank[[nm]]] <- ""
    }
    out
  })
  all_text <- c(names(d), unlist(cells))
  stopifnot(!grepl("[,\"\r\n]", all_text), !grepl("^\\s|\\s$", all_text),
            validUTF8(all_text))
  lines <- c(paste(names(d), collapse = ","), do.call(paste, c(cells, sep = ",")))
  path <- data_path(stem)
  writeLines(lines, path, useBytes = TRUE)
  back <- read_back(path)
  stopifnot(identical(names(back), names(d)), nrow(back) == nrow(d))
  for (nm in names(d)) {
    a <- d[[nm]]; b <- back[[nm]]
    if (is.numeric(a)) {
      stopifnot(is.numeric(b), identical(is.na(a), is.na(b)), all(a == b, na.rm = TRUE))
    } else {
      stopifnot(identical(a, b))
    }
  }
  invisible(back)
}

# ---- the cases and the reference rows ---------------------------------------

cases <- list()
# `new` is the stem of the new-points file; `summary` asks for the printed
# summary(lm()).
add_case <- function(case, data, formula, new, level = 0.95, weights = "", summary = FALSE) {
  stopifnot(!case %in% vapply(cases, `[[`, "", "case"))
  cases[[length(cases) + 1]] <<- list(case = case, data = data, formula = formula, new = new,
                                      level = level, weights = weights, summary = summary)
}

ref <- list()

# Quotes a CSV field only when it holds a comma, a quote or a line break.
csv_field <- function(s) {
  if (grepl("[,\"\r\n]", s)) paste0("\"", gsub("\"", "\"\"", s, fixed = TRUE), "\"") else s
}

add <- function(case, section, row, name, value) {
  stopifnot(length(value) == 1, is.numeric(value) || is.na(value))
  text <- if (is.na(value)) "NA" else {
    stopifnot(is.finite(value))
    sprintf("%.17g", value)
  }
  ref[[length(ref) + 1]] <<- paste(case, section, csv_field(as.character(row)), name, text,
                                   sep = ",")
}

add_terms <- function(case, fit, level) {
  b <- coef(fit)
  co <- summary(fit)$coefficients
  ci <- confint(fit, level = level)
  stopifnot(!anyDuplicated(names(b)), identical(names(b), rownames(ci)),
            identical(rownames(co), names(b)[!is.na(b)]))
  for (nm in names(b)) {
    est <- if (is.na(b[[nm]])) rep(NA_real_, 4) else co[nm, ]
    if (is.na(b[[nm]])) stopifnot(is.na(ci[nm, ]))
    vals <- c(estimate = est[[1]], std_error = est[[2]], statistic = est[[3]],
              p_value = est[[4]], conf_low = ci[nm, 1], conf_high = ci[nm, 2])
    for (v in names(vals)) add(case, "term", nm, v, vals[[v]])
  }
}

add_model <- function(case, fit) {
  s <- summary(fit)
  f <- s$fstatistic
  no_f <- is.null(f)
  vals <- c(
    sigma = s$sigma,
    r_squared = s$r.squared,
    adj_r_squared = s$adj.r.squared,
    f_statistic = if (no_f) NA else f[["value"]],
    f_df1 = if (no_f) NA else f[["numdf"]],
    f_p_value = if (no_f) NA else pf(f[["value"]], f[["numdf"]], f[["dendf"]],
                                     lower.tail = FALSE),
    df_residual = fit$df.residual,
    nobs = nobs(fit),
    rank = fit$rank,
    log_lik = as.numeric(logLik(fit)),
    aic = AIC(fit),
    bic = BIC(fit))
  for (v in names(vals)) add(case, "model", "", v, vals[[v]])
}

add_predictions <- function(case, fit, newd, level, weights) {
  for (kind in c("confidence", "prediction")) {
    args <- list(fit, newdata = newd, se.fit = TRUE, interval = kind, level = level)
    if (weights != "" && weights %in% names(newd)) args$weights <- newd[[weights]]
    p <- withCallingHandlers(do.call(predict, args), warning = function(w) {
      message(sprintf("  %s, %s: warning: %s", case, kind, trimws(conditionMessage(w))))
      invokeRestart("muffleWarning")
    })
    stopifnot(nrow(p$fit) == nrow(newd), !anyNA(p$fit), !anyNA(p$se.fit))
    for (i in seq_len(nrow(newd))) {
      add(case, kind, i, "fit", p$fit[i, "fit"])
      add(case, kind, i, "se_fit", p$se.fit[[i]])
      add(case, kind, i, "lwr", p$fit[i, "lwr"])
      add(case, kind, i, "upr", p$fit[i, "upr"])
    }
  }
}

# Fits one case from the files it names, exactly as the manifest describes it.
run_case <- function(cs) {
  d <- read_back(data_path(cs$data))
  newd <- read_back(data_path(cs$new))
  # Variables come from the data only: the formula's environment sees the
  # packages (stats, base), not this script's globals.
  f <- as.formula(cs$formula, env = new.env(parent = as.environment("package:stats")))
  fit <- if (cs$weights == "") {
    eval(bquote(lm(.(f), data = d)))
  } else {
    eval(bquote(lm(.(f), data = d, weights = .(as.name(cs$weights)))))
  }
  fit$call <- call("lm", formula = f)
  add_terms(cs$case, fit, cs$level)
  add_model(cs$case, fit)
  add_predictions(cs$case, fit, newd, cs$level, cs$weights)
  if (cs$summary) {
    out <- capture.output(print(summary(fit)))
    writeLines(out, file.path(ref_dir, sprintf("formula_summary_%s.txt", cs$case)), useBytes = TRUE)
  }
  fit
}

# ---- mtcars -----------------------------------------------------------------
mt <- cbind(model = rownames(mtcars), mtcars)
rownames(mt) <- NULL
mt$cyl_text <- c("four", "six", "eight")[match(mt$cyl, c(4, 6, 8))]
write_data(mt, "mtcars")
write_data(data.frame(wt = c(2.5, 3.2, 4, 1, 6.5, 5.5),
                      hp = c(110, 150, 230, 40, 400, 60),
                      qsec = c(18, 17.5, 16, 24, 13, 15),
                      cyl = c(4, 6, 8, 4, 8, 6),
                      cyl_text = c("four", "six", "eight", "four", "eight", "six")),
           "mtcars_new")
add_case("cyl_text", "mtcars", "mpg ~ wt + cyl_text", "mtcars_new")
add_case("factor_cyl", "mtcars", "mpg ~ wt + factor(cyl)", "mtcars_new")
add_case("num_num", "mtcars", "mpg ~ wt * hp", "mtcars_new")
add_case("square", "mtcars", "mpg ~ (wt + hp + qsec)^2", "mtcars_new")
add_case("minus_term", "mtcars", "mpg ~ (wt + hp + qsec)^2 - wt:qsec", "mtcars_new")

# ---- dot: a few mtcars columns -------------------------------------------------
write_data(data.frame(mpg = mtcars$mpg, wt = mtcars$wt, hp = mtcars$hp,
                      trans = ifelse(mtcars$am == 1, "manual", "auto")), "dot")
write_data(data.frame(mpg = c(20, 15, 30, 12),
                      wt = c(3, 2.2, 1, 6.5), hp = c(120, 95, 40, 400),
                      trans = c("auto", "manual", "manual", "auto")), "dot_new")
add_case("dot", "dot", "mpg ~ .", "dot_new")
add_case("dot_minus", "dot", "mpg ~ . - hp", "dot_new")
add_case("log_dot", "dot", "log(mpg) ~ .", "dot_new")

# ---- iris -------------------------------------------------------------------
ir <- iris
ir$Species <- as.character(ir$Species)
write_data(ir, "iris")
write_data(data.frame(Petal.Length = c(1.5, 4.5, 5.5, 0.5, 8, 3),
                      Species = c("setosa", "versicolor", "virginica", "setosa",
                                  "virginica", "setosa")), "iris_new")
add_case("iris_species", "iris", "Sepal.Length ~ Petal.Length + Species", "iris_new",
         summary = TRUE)
add_case("num_factor", "iris", "Sepal.Length ~ Petal.Length * Species", "iris_new")

# ---- warpbreaks ---------------------------------------------------------------
wb <- data.frame(breaks = warpbreaks$breaks, wool = as.character(warpbreaks$wool),
                 tension = as.character(warpbreaks$tension))
write_data(wb, "warpbreaks")
write_data(data.frame(wool = c("A", "A", "A", "B", "B", "B"),
                      tension = c("L", "M", "H", "L", "M", "H")), "warpbreaks_new")
add_case("warpbreaks", "warpbreaks", "breaks ~ wool * tension", "warpbreaks_new", level = 0.90)

# ---- gh: one numeric predictor, two text factors ----------------------------
set.seed(20240601)
n <- 30
g <- rep(c("red", "green", "blue"), length.out = n)[sample(n)]
h <- sample(c("yes", "no"), n, replace = TRUE)
x <- round(runif(n, 0, 10), 2)
a <- round(runif(n, 1, 5), 2)
y <- round(2 + 0.5 * x + c(red = 1, green = -1, blue = 0)[g] * (1 + 0.2 * x) +
             ifelse(h == "yes", 0.8, 0) + 0.3 * a + rnorm(n, sd = 0.7), 3)
gh <- write_data(data.frame(y = y, x = x, g = g, h = h, a = a), "gh")
stopifnot(length(unique(gh$g)) == 3, length(unique(gh$h)) == 2)
write_data(data.frame(x = c(1, 5, 9.5, -4, 15, 12),
                      g = c("red", "green", "blue", "blue", "red", "green"),
                      h = c("no", "yes", "no", "yes", "yes", "no"),
                      a = c(2, 3.5, 4.5, 0, 8, 1)), "gh_new")
add_case("x_xg", "gh", "y ~ x + x:g", "gh_new")
add_case("xg_only", "gh", "y ~ x:g", "gh_new")
add_case("noint_factor", "gh", "y ~ 0 + g + x", "gh_new")
add_case("noint_two", "gh", "y ~ g + h - 1", "gh_new")
add_case("intercept_only", "gh", "y ~ 1", "gh_new")
add_case("unary_minus", "gh", "y ~ -1 + a + x", "gh_new")
add_case("minus_absent", "gh", "y ~ -x + a", "gh_new")

# ---- airquality (with its missing values) -----------------------------------
write_data(airquality, "airquality")
write_data(data.frame(Temp = c(60, 75, 90, 50, 105),
                      Wind = c(12, 8, 4, 22, 1)), "airquality_new")
add_case("airquality", "airquality", "log(Ozone) ~ Temp + I(Temp^2) + Wind", "airquality_new")

# ---- cars -------------------------------------------------------------------
write_data(cars, "cars")
write_data(data.frame(speed = c(4, 12, 25, 0, 35)), "cars_new")
add_case("sqrt_cars", "cars", "sqrt(dist) ~ speed", "cars_new")
add_case("poly_cars", "cars", "dist ~ poly(speed, 3)", "cars_new", summary = TRUE)

# ---- trans: columns for the transformations -----------------------------------
set.seed(20240602)
n <- 40
a <- round(runif(n, 0.5, 20), 2)
b <- round(runif(n, 0.5, 50), 1)
cc <- round(runif(n, -2, 3), 2)
dd <- round(runif(n, -5, 5), 2)
x <- round(runif(n, -3, 8), 2)
y <- round(1 + log(a) + 0.02 * b + 0.5 * exp(cc) + 0.3 * abs(dd) + 0.4 * x +
             0.01 * a * b + rnorm(n, sd = 0.5), 3)
write_data(data.frame(y = y, a = a, b = b, c = cc, d = dd, x = x), "trans")
write_data(data.frame(a = c(1, 10, 19, 0.1, 40),
                      b = c(2, 25, 48, 0.1, 100),
                      c = c(-1.5, 0, 2.5, -4, 4.5),
                      d = c(-4, 0.5, 4, -8, 9),
                      x = c(-2, 2.5, 7, -6, 12)), "trans_new")
add_case("log_base", "trans", "y ~ log(a, 2) + log10(b)", "trans_new")
add_case("log2_log1p", "trans", "y ~ log2(a) + log1p(b)", "trans_new")
add_case("exp_abs", "trans", "y ~ exp(c) + abs(d)", "trans_new")
add_case("I_product", "trans", "y ~ a + I(a * b) + I(x/2)", "trans_new")
add_case("I_neg_shift", "trans", "y ~ I(-x) + I(a + 1)", "trans_new")

# ---- toothgrowth ------------------------------------------------------------
tg <- data.frame(len = ToothGrowth$len, supp = as.character(ToothGrowth$supp),
                 dose = ToothGrowth$dose)
write_data(tg, "toothgrowth")
if (file.exists("data/toothgrowth.csv")) {
  # The shipped copy (data/README.md) holds the same table.
  stopifnot(identical(read_back("data/toothgrowth.csv"), read_back(data_path("toothgrowth"))))
}
write_data(data.frame(dose = c(0.5, 1, 2, 0.25, 4, 1.5),
                      supp = c("VC", "OJ", "VC", "OJ", "VC", "OJ")), "toothgrowth_new")
add_case("toothgrowth", "toothgrowth", "len ~ log(dose) * supp", "toothgrowth_new", level = 0.99)

# ---- poly: missing values in the response only --------------------------------
set.seed(20240603)
n <- 36
x <- round(runif(n, -2, 3), 2)
g <- rep(c("ctrl", "treat"), length.out = n)[sample(n)]
y <- round(1 + x - 0.7 * x^2 + 0.2 * x^3 + ifelse(g == "treat", 0.5 + 0.3 * x, 0) +
             rnorm(n, sd = 0.3), 3)
# Drop the responses at the smallest and largest x (so poly()'s basis over all
# 36 x differs clearly from one over the 31 fitted rows) and three more.
y_na <- c(which.min(x), which.max(x), 7, 19, 30)
stopifnot(!anyDuplicated(y_na))
y[y_na] <- NA
write_data(data.frame(x = x, g = g, y = y), "poly", blank = list(y = y_na[c(2, 4)]))
write_data(data.frame(x = c(-1.5, 0, 2.5, -3, 4),
                      g = c("ctrl", "treat", "treat", "ctrl", "treat")), "poly_new")
add_case("poly_raw", "poly", "y ~ poly(x, 2, raw = TRUE)", "poly_new")
add_case("poly_na_y", "poly", "y ~ poly(x, 3)", "poly_new")
add_case("poly_factor", "poly", "y ~ poly(x, 2) * g", "poly_new")

# ---- weights ----------------------------------------------------------------
set.seed(20240604)
n <- 30
x <- round(runif(n, 0, 10), 2)
g <- rep(c("north", "south", "east"), length.out = n)[sample(n)]
w <- sample(c(0.5, 1, 2, 4), n, replace = TRUE)
w[c(3, 11, 18, 26)] <- 0
y <- 3 + 1.2 * x + c(north = 0, south = 2, east = -1.5)[g] + rnorm(n, sd = 1 / sqrt(pmax(w, 0.5)))
y[w == 0] <- y[w == 0] + c(15, -12, 20, -9)   # outliers that must carry no weight
y <- round(unname(y), 3)
write_data(data.frame(x = x, g = g, w = w, y = y), "weights")
write_data(data.frame(x = c(1, 5, 9, -3, 14),
                      g = c("north", "south", "east", "south", "east"),
                      w = c(1, 2, 0.5, 4, 1.5)), "weights_new")
write_data(data.frame(x = c(1, 5, 9, -3, 14),
                      g = c("north", "south", "east", "south", "east")), "weights_new_unweighted")
add_case("weighted", "weights", "y ~ x + g", "weights_new", weights = "w", summary = TRUE)
add_case("weighted_default", "weights", "y ~ x + g", "weights_new_unweighted", weights = "w")

# ---- alias ------------------------------------------------------------------
set.seed(20240605)
n <- 24
x1 <- sample(-10:10, n, replace = TRUE)
x2 <- sample(seq(-5, 5, by = 0.25), n, replace = TRUE)
x3 <- x1 + x2                       # exact: integers and quarters
k <- rep(7, n)
cells <- rbind(c("lo", "p"), c("lo", "q"), c("lo", "r"), c("hi", "p"), c("hi", "q"))
pick <- rep(1:5, length.out = n)[sample(n)]
a <- cells[pick, 1]
b <- cells[pick, 2]
y <- round(5 + 0.8 * x1 - 0.5 * x2 + ifelse(a == "hi", 1.5, 0) +
             c(p = 0, q = 1, r = -2)[b] + rnorm(n, sd = 1), 3)
write_data(data.frame(y = unname(y), x1 = x1, x2 = x2, x3 = x3, k = k, a = a, b = b), "alias")
nx1 <- c(0, 5, -12, 15, 2, 1)
nx2 <- c(1.5, -2.25, 7, -8, 0.5, 0)
write_data(data.frame(x1 = nx1, x2 = nx2, x3 = nx1 + nx2, k = 7,
                      a = c("lo", "hi", "lo", "hi", "lo", "hi"),
                      b = c("p", "q", "r", "p", "q", "r")), "alias_new")
add_case("alias_lincomb", "alias", "y ~ x1 + x2 + x3", "alias_new", summary = TRUE)
add_case("alias_constant", "alias", "y ~ x1 + k", "alias_new")
add_case("alias_cell", "alias", "y ~ a * b", "alias_new")

# ---- utf8: UTF-8 level names with spaces, a UTF-8 column name ---------------
set.seed(20240606)
n <- 24
cities <- c("Z\u00fcrich", "S\u00e3o Paulo", "New York", "\u00c5rhus")
city <- rep(cities, length.out = n)[sample(n)]
size <- round(runif(n, 150, 200), 1)
y <- round(10 + 0.2 * size + c(2, -1, 0, 3)[match(city, cities)] + rnorm(n), 3)
u <- data.frame(y = y, city = city, size = size)
names(u)[3] <- "Gr\u00f6\u00dfe"
write_data(u, "utf8")
nu <- data.frame(city = cities, size = c(160, 175, 190, 140))
names(nu)[2] <- "Gr\u00f6\u00dfe"
write_data(nu, "utf8_new")
add_case("utf8", "utf8", "y ~ city + `Gr\u00f6\u00dfe`", "utf8_new", summary = TRUE)

# ---- stackloss: names with spaces ---------------------------------------------
sl <- stackloss
names(sl) <- c("Air Flow", "Water Temp", "Acid Conc.", "stack loss")
write_data(sl, "stackloss")
ns <- data.frame(c(60, 75, 45, 90), c(20, 25, 15, 30), c(85, 90, 70, 95))
names(ns) <- c("Air Flow", "Water Temp", "Acid Conc.")
write_data(ns, "stackloss_new")
add_case("stackloss", "stackloss",
         "`stack loss` ~ `Air Flow` + `Water Temp` + `Acid Conc.`", "stackloss_new",
         summary = TRUE)

# ---- missing: missing values in a factor and a numeric column --------------------
set.seed(20240607)
n <- 32
x <- round(runif(n, 0, 20), 2)
g <- rep(c("low", "mid", "high"), length.out = n)[sample(n)]
y <- round(4 + 0.6 * x + c(low = -1, mid = 0, high = 2)[g] + rnorm(n, sd = 1.5), 3)
y <- unname(y)
g[c(4, 13)] <- NA                     # written as NA and as the empty cell
x[c(9, 21)] <- NA                     # written as NA and as the empty cell
y[c(16, 27)] <- NA                    # written as NA and as the empty cell
g[c(9, 27)] <- "rare"                 # only in rows dropped for a missing x or y
write_data(data.frame(y = y, x = x, g = g), "missing",
           blank = list(g = 13, x = 21, y = 27))
write_data(data.frame(x = c(2, 10, 19, -5, 30),
                      g = c("low", "mid", "high", "high", "low")), "missing_new")
add_case("missing", "missing", "y ~ x + g", "missing_new")

# ---- logical: a TRUE/FALSE column ---------------------------------------------
set.seed(20240608)
n <- 20
x <- round(runif(n, 0, 5), 2)
flag <- rep(c(TRUE, FALSE), length.out = n)[sample(n)]
y <- round(1 + 2 * x + ifelse(flag, 1.5, 0) + rnorm(n, sd = 0.5), 3)
lg <- write_data(data.frame(y = y, x = x, flag = flag), "logical")
stopifnot(is.logical(lg$flag))
write_data(data.frame(x = c(1, 4, -2, 8), flag = c(TRUE, FALSE, FALSE, TRUE)), "logical_new")
add_case("logical", "logical", "y ~ x + flag", "logical_new")

# ---- fit every case and write the manifest and the reference --------------------
fits <- list()
for (cs in cases) fits[[cs$case]] <- run_case(cs)

# Pin down the behaviour the header describes.
stopifnot(
  identical(levels(fits$cyl_text$model$cyl_text), NULL),  # character in the frame
  identical(fits$cyl_text$xlevels$cyl_text, c("eight", "four", "six")),
  identical(fits$warpbreaks$xlevels$tension, c("H", "L", "M")),
  identical(attr(terms(fits$log_dot), "term.labels"), c("wt", "hp", "trans")),
  identical(attr(terms(fits$dot), "term.labels"), c("wt", "hp", "trans")),
  identical(attr(terms(fits$minus_absent), "term.labels"), "a"),
  names(which(is.na(coef(fits$alias_lincomb)))) == "x3",
  names(which(is.na(coef(fits$alias_constant)))) == "k",
  names(which(is.na(coef(fits$alias_cell)))) == "alo:br",
  identical(fits$utf8$xlevels$city, c("New York", "S\u00e3o Paulo", "Z\u00fcrich", "\u00c5rhus")),
  "Gr\u00f6\u00dfe" %in% names(coef(fits$utf8)),
  "`Air Flow`" %in% names(coef(fits$stackloss)),
  identical(fits$missing$xlevels$g, c("high", "low", "mid")),
  nobs(fits$missing) == 32 - 6,
  "flagTRUE" %in% names(coef(fits$logical)),
  nobs(fits$weighted) == 26, fits$weighted$df.residual == 26 - 4,
  nobs(fits$poly_na_y) == 31, nobs(fits$airquality) == 116)
# poly() saw all 36 x: its centring is mean(x) over every row, not the 31 fitted.
poly_x <- read_back(data_path("poly"))$x
stopifnot(all.equal(attr(fits$poly_na_y$model[["poly(x, 3)"]], "coefs")$alpha[1], mean(poly_x)),
          abs(mean(poly_x) - mean(poly_x[!is.na(read_back(data_path("poly"))$y)])) > 0.01)

manifest <- vapply(cases, function(cs) {
  paste(cs$case, data_file(cs$data), csv_field(cs$formula), cs$weights, data_file(cs$new),
        format(cs$level), sep = ",")
}, "")
writeLines(c("case,data,formula,weights,new,level", manifest),
           file.path(ref_dir, "formula_cases.csv"), useBytes = TRUE)
writeLines(c("case,section,row,name,value", unlist(ref)),
           file.path(ref_dir, "formula_reference.csv"), useBytes = TRUE)
cat(sprintf("wrote %d cases, %d reference values\n", length(cases), length(ref)))
