# make_spline_reference.R -- reference values for ns() and bs() in regress's
# formulas, computed by R's splines::ns, splines::bs, lm() and predict.lm().
#
# Generated with: R version 4.2.2 Patched (2022-11-10 r83330) (Debian
# r-base-core 4.2.2.20221110-2), base R and the recommended package splines.
# To regenerate (from the repository root):
#   LC_ALL=C Rscript tests/reference/make_spline_reference.R
#
# Data: data/cars.csv, data/mtcars.csv, data/pressure.csv and
# data/toothgrowth.csv, read with read.csv(path, stringsAsFactors = FALSE).
#
# Writes tests/reference/spline_reference.csv with the columns
#   case,section,name,value
# values printed with sprintf("%.17g"). Per case (the manifest is the
# `cases` list below, also written as section "formula", name = the file,
# value = the formula):
#  - section "coef": name the coefficient's name, value its estimate;
#    "sigma", "r_squared": from summary.lm;
#  - section "fitted": name the row (1-based), value fitted(fit);
#  - section "predict": name "<x>|fit" and "<x>|se_fit" at the new points
#    (predict.lm, se.fit = TRUE), inside the boundary knots and beyond them
#    (bs warns there; its basis then continues the end polynomial pieces);
#  - section "knots": name "knots1".., "lower", "upper": the basis's
#    attributes (what makepredictcall keeps in predvars).
# Section "basis" (case = the basis): the basis matrix at points inside and
# beyond the boundary knots, name "<x>|<column>", from predict() of the
# basis object (Boundary.knots given, as predict.lm evaluates it).

if (Sys.getlocale("LC_COLLATE") != "C") stop("run with LC_ALL=C")
library(splines)

data <- list(
  cars = read.csv("data/cars.csv", stringsAsFactors = FALSE),
  mtcars = read.csv("data/mtcars.csv", stringsAsFactors = FALSE),
  pressure = read.csv("data/pressure.csv", stringsAsFactors = FALSE),
  toothgrowth = read.csv("data/toothgrowth.csv", stringsAsFactors = FALSE))

num <- function(v) ifelse(is.na(v), "NA", sprintf("%.17g", v))
out <- data.frame(case = character(), section = character(), name = character(),
                  value = character(), stringsAsFactors = FALSE)
add <- function(case, section, name, value) {
  out[nrow(out) + 1, ] <<- list(case, section, name, value)
}

# case, data, formula, the swept column, new points, other columns held.
cases <- list(
  list("cars_ns3", "cars", "dist ~ ns(speed, df = 3)", "speed", c(0, 2, 4, 7.5, 15, 25, 30, 40), NULL),
  list("cars_ns1", "cars", "dist ~ ns(speed)", "speed", c(0, 4, 15, 25, 40), NULL),
  list("cars_bs5", "cars", "dist ~ bs(speed, df = 5)", "speed", c(0, 2, 4, 7.5, 15, 25, 26, 30), NULL),
  list("cars_bs_default", "cars", "dist ~ bs(speed)", "speed", c(1, 4, 15, 25, 28), NULL),
  list("cars_ns_knots", "cars", "dist ~ ns(speed, knots = c(10, 15, 20))", "speed",
       c(0, 4, 12, 25, 35), NULL),
  list("cars_bs_deg2", "cars",
       "dist ~ bs(speed, degree = 2, knots = c(12, 18), Boundary.knots = c(2, 27))", "speed",
       c(0, 2, 4, 12, 20, 27, 30), NULL),
  list("cars_bs_intercept", "cars", "dist ~ 0 + bs(speed, df = 4, intercept = TRUE)", "speed",
       c(0, 4, 15, 25, 30), NULL),
  list("cars_ns_intercept", "cars", "dist ~ ns(speed, df = 3, intercept = TRUE) - 1", "speed",
       c(0, 4, 15, 25, 30), NULL),
  list("pressure_ns4", "pressure", "log(pressure) ~ ns(temperature, 4)", "temperature",
       c(-50, 0, 100, 250, 360, 400, 500), NULL),
  list("mtcars_ns_am", "mtcars", "mpg ~ ns(hp, 3) * factor(am)", "hp",
       c(40, 52, 150, 335, 400), list(am = 1)),
  list("mtcars_ns_colon", "mtcars", "mpg ~ wt + ns(hp, 3):factor(am)", "hp",
       c(40, 52, 150, 335, 400), list(am = 0, wt = 3)),
  list("tooth_ns_supp", "toothgrowth", "len ~ ns(dose, df = 2) + supp", "dose",
       c(0.25, 0.5, 1.5, 2, 3), list(supp = "VC")),
  list("mtcars_bs_log", "mtcars", "mpg ~ bs(log(disp), df = 4) + wt", "disp",
       c(50, 71.1, 200, 472, 600), list(wt = 3)))

for (cs in cases) {
  case <- cs[[1]]
  d <- data[[cs[[2]]]]
  f <- as.formula(cs[[3]])
  add(case, "formula", cs[[2]], cs[[3]])
  fit <- lm(f, data = d)
  s <- summary(fit)
  co <- coef(fit)
  for (j in seq_along(co)) add(case, "coef", names(co)[j], num(co[j]))
  add(case, "coef", "sigma", num(s$sigma))
  add(case, "coef", "r_squared", num(s$r.squared))
  fv <- fitted(fit)
  for (i in seq_along(fv)) add(case, "fitted", names(fv)[i], num(fv[i]))
  new <- data.frame(x = cs[[5]])
  names(new) <- cs[[4]]
  for (h in names(cs[[6]])) new[[h]] <- cs[[6]][[h]]
  p <- suppressWarnings(predict(fit, new, se.fit = TRUE))
  for (i in seq_along(cs[[5]])) {
    add(case, "predict", paste0(num(cs[[5]][i]), "|fit"), num(p$fit[i]))
    add(case, "predict", paste0(num(cs[[5]][i]), "|se_fit"), num(p$se.fit[i]))
  }
  # The basis's attributes, from the model frame's predvars.
  pv <- attr(terms(model.frame(fit)), "predvars")
  for (k in 3:length(pv)) {
    call <- pv[[k]]
    if (!is.call(call) || !(as.character(call[[1]]) %in% c("ns", "bs"))) next
    kn <- eval(call$knots)
    for (j in seq_along(kn)) add(case, "knots", paste0("knots", j), num(kn[j]))
    bk <- eval(call$Boundary.knots)
    add(case, "knots", "lower", num(bk[1]))
    add(case, "knots", "upper", num(bk[2]))
  }
}

# Bases by themselves, at points inside and beyond the boundary knots.
x <- data$pressure$temperature
bases <- list(
  ns_pressure_df4 = ns(x, df = 4),
  ns_pressure_df6_int = ns(x, df = 6, intercept = TRUE),
  bs_pressure_df6 = bs(x, df = 6),
  bs_pressure_deg1 = bs(x, df = 3, degree = 1),
  bs_pressure_deg5 = bs(x, df = 7, degree = 5, intercept = TRUE))
at <- c(-100, -10, 0, 20, 95, 180, 181, 300, 360, 361, 420, 1000)
for (b in names(bases)) {
  basis <- bases[[b]]
  kn <- attr(basis, "knots")
  for (j in seq_along(kn)) add(b, "knots", paste0("knots", j), num(kn[j]))
  add(b, "knots", "lower", num(attr(basis, "Boundary.knots")[1]))
  add(b, "knots", "upper", num(attr(basis, "Boundary.knots")[2]))
  v <- suppressWarnings(predict(basis, at))
  for (i in seq_along(at)) {
    for (j in seq_len(ncol(v))) add(b, "basis", paste0(num(at[i]), "|", j), num(v[i, j]))
  }
}

write.csv(out, "tests/reference/spline_reference.csv", row.names = FALSE, quote = TRUE)
