# make_vcov_anova_reference.R -- reference values for regress's robust
# standard errors (fit --vcov, --cluster) and its anova tables, computed by
# sandwich, lmtest and base R's anova.
#
# What it does: fits each case of the manifest below with lm() on the
# shipped data (data/*.csv, read as the formula reference reads its data:
# read.csv(stringsAsFactors = FALSE, check.names = FALSE)) and writes
#   - tests/reference/vcov_cases.csv: case,data,formula,weights,cluster
#     (the formula exactly as typed for regress; weights and cluster empty
#     when none);
#   - tests/reference/vcov_reference.csv: case,vcov,section,name,value
#       term rows: name is "<coefficient>:<field>", field one of estimate,
#         std_error, statistic, p_value, conf_low, conf_high, from
#         lmtest::coeftest(m, vcov = V) and lmtest::coefci(m, vcov = V)
#         (an aliased coefficient is left out, as coeftest leaves it);
#       model rows: f_statistic, f_df1, f_p_value of
#         lmtest::waldtest(m, vcov = V) (against y ~ 1, test = "F"),
#         computed as it computes them (b' V^-1 b / q over the fitted
#         slopes, F on q and df.residual) because waldtest stops on an
#         aliased model; checked against waldtest on the others;
#     for vcov in const (vcov(m)), HC0..HC4 (sandwich::vcovHC(m, type =)),
#     and for the cases with a cluster column CL
#     (sandwich::vcovCL(m, cluster = ~ <column>, type = "HC1"));
#       confidence rows (case mtcars_cyl, HC3 and CL only): name
#         "<new row>:<fit|se_fit|lwr|upr>" at tests/data/v_mtcars_new.csv,
#         se_fit = sqrt(x0' V x0), the interval fit -+ qt(0.975, df) se_fit;
#   - tests/reference/anova_cases.csv: case,data,formulas,weights (the
#     formulas of a comparison separated by " | ");
#   - tests/reference/anova_reference.csv: case,row,name,value: per row of
#     anova(m) (one formula) or anova(m1, m2, ...) (several), the row's name
#     (a term, Residuals, or the model's 1-based number) and each column
#     (df, sum_sq, mean_sq, statistic, p_value; res_df, rss, df, sum_sq,
#     statistic, p_value), NA where R prints nothing;
#   - tests/reference/anova_<case>.txt: print(anova(...)) as R prints it.
# Values are printed with sprintf("%.17g").
#
# Generated with R 4.2.2 (Debian r-base-core 4.2.2.20221110-2), sandwich
# 3.0.2, lmtest 0.9.40. To regenerate (from the repository root):
#   LC_ALL=C Rscript tests/reference/make_vcov_anova_reference.R

stopifnot(Sys.getlocale("LC_COLLATE") == "C")
suppressPackageStartupMessages({
  library(sandwich)
  library(lmtest)
})
options(width = 80, useFancyQuotes = FALSE)
out_dir <- "tests/reference"

read_data <- function(path) {
  read.csv(path, stringsAsFactors = FALSE, check.names = FALSE, na.strings = c("", "NA"))
}

vcov_cases <- list(
  # factors
  list(case = "mtcars_cyl", data = "data/mtcars.csv", formula = "mpg ~ wt + factor(cyl)",
       weights = "", cluster = "carb"),
  # an interaction of a transform and a text factor
  list(case = "tooth_logdose", data = "data/toothgrowth.csv",
       formula = "len ~ log(dose) * supp", weights = "", cluster = ""),
  # weights, clustered
  list(case = "mtcars_weighted", data = "data/mtcars.csv", formula = "mpg ~ hp + log(wt)",
       weights = "qsec", cluster = "carb"),
  # an aliased column (an exact multiple of wt)
  list(case = "mtcars_alias", data = "data/mtcars.csv", formula = "mpg ~ wt + I(2 * wt) + hp",
       weights = "", cluster = "gear"),
  # the -y/-x model of cars (fit -y dist -x speed)
  list(case = "cars", data = "data/cars.csv", formula = "dist ~ speed", weights = "",
       cluster = "")
)

num <- function(v) ifelse(is.na(v), "NA", sprintf("%.17g", v))
rows <- list()
add <- function(case, vcov, section, name, value) {
  rows[[length(rows) + 1]] <<- data.frame(case = case, vcov = vcov, section = section,
                                          name = name, value = num(value))
}

for (cs in vcov_cases) {
  d <- read_data(cs$data)
  f <- as.formula(cs$formula)
  m <- if (cs$weights == "") lm(f, data = d) else lm(f, data = d, weights = d[[cs$weights]])
  types <- list(const = vcov(m))
  for (t in c("HC0", "HC1", "HC2", "HC3", "HC4")) types[[t]] <- vcovHC(m, type = t)
  if (cs$cluster != "") {
    types[["CL"]] <- vcovCL(m, cluster = as.formula(paste("~", cs$cluster)), type = "HC1")
  }
  for (t in names(types)) {
    v <- types[[t]]
    ct <- coeftest(m, vcov. = v)
    ci <- coefci(m, vcov. = v)
    for (term in rownames(ct)) {
      add(cs$case, t, "term", paste0(term, ":estimate"), ct[term, 1])
      add(cs$case, t, "term", paste0(term, ":std_error"), ct[term, 2])
      add(cs$case, t, "term", paste0(term, ":statistic"), ct[term, 3])
      add(cs$case, t, "term", paste0(term, ":p_value"), ct[term, 4])
      add(cs$case, t, "term", paste0(term, ":conf_low"), ci[term, 1])
      add(cs$case, t, "term", paste0(term, ":conf_high"), ci[term, 2])
    }
    # waldtest's F, b' V^-1 b / q over the fitted slopes: computed here
    # because waldtest itself stops on an aliased model (its covariance
    # has the aliased coefficient's NA row); checked against waldtest on
    # the others.
    b <- coef(m)[!is.na(coef(m))]
    vv <- v[names(b), names(b)]
    s <- names(b) != "(Intercept)"
    fstat <- drop(t(b[s]) %*% solve(vv[s, s], b[s])) / sum(s)
    fp <- pf(fstat, sum(s), m$df.residual, lower.tail = FALSE)
    if (!any(is.na(coef(m)))) {
      w <- waldtest(m, vcov = v, test = "F")
      stopifnot(abs(w$F[2] - fstat) <= 1e-10 * fstat, abs(w$Df[2]) == sum(s))
    }
    add(cs$case, t, "model", "f_statistic", fstat)
    add(cs$case, t, "model", "f_df1", sum(s))
    add(cs$case, t, "model", "f_p_value", fp)
  }
}
# predict(interval = "confidence") with a robust covariance: se_fit is
# sqrt(x0' V x0) for the new rows' model matrix x0 (predict.lm has no vcov
# argument; this is what its se.fit is with V in place of vcov(m)).
d <- read_data("data/mtcars.csv")
m <- lm(mpg ~ wt + factor(cyl), data = d)
new <- read_data("tests/data/v_mtcars_new.csv")
x0 <- model.matrix(delete.response(terms(m)), model.frame(delete.response(terms(m)), new,
                                                          xlev = m$xlevels))
for (t in c("HC3", "CL")) {
  v <- if (t == "CL") vcovCL(m, cluster = ~ carb, type = "HC1") else vcovHC(m, type = t)
  fit <- drop(x0 %*% coef(m))
  se <- sqrt(rowSums((x0 %*% v) * x0))
  q <- qt(0.975, m$df.residual)
  for (i in seq_along(fit)) {
    add("mtcars_cyl", t, "confidence", paste0(i, ":fit"), fit[i])
    add("mtcars_cyl", t, "confidence", paste0(i, ":se_fit"), se[i])
    add("mtcars_cyl", t, "confidence", paste0(i, ":lwr"), fit[i] - q * se[i])
    add("mtcars_cyl", t, "confidence", paste0(i, ":upr"), fit[i] + q * se[i])
  }
}

manifest <- do.call(rbind, lapply(vcov_cases, as.data.frame))
write.csv(manifest, file.path(out_dir, "vcov_cases.csv"), row.names = FALSE, quote = TRUE)
write.csv(do.call(rbind, rows), file.path(out_dir, "vcov_reference.csv"), row.names = FALSE,
          quote = TRUE)

anova_cases <- list(
  list(case = "mtcars_seq", data = "data/mtcars.csv",
       formulas = "mpg ~ wt * factor(cyl) + log(hp)", weights = ""),
  list(case = "tooth_seq", data = "data/toothgrowth.csv", formulas = "len ~ log(dose) * supp",
       weights = ""),
  list(case = "alias_seq", data = "data/mtcars.csv",
       formulas = "mpg ~ factor(cyl) * factor(gear)", weights = ""),
  list(case = "weighted_seq", data = "data/mtcars.csv", formulas = "mpg ~ hp + log(wt)",
       weights = "qsec"),
  list(case = "mtcars_nested", data = "data/mtcars.csv",
       formulas = "mpg ~ wt | mpg ~ wt + factor(cyl) | mpg ~ wt * factor(cyl)", weights = ""),
  # anova -y dist -x speed --degree 1,2,3
  list(case = "cars_degrees", data = "data/cars.csv",
       formulas = "dist ~ speed | dist ~ speed + I(speed^2) | dist ~ speed + I(speed^2) + I(speed^3)",
       weights = "")
)
arows <- list()
for (cs in anova_cases) {
  d <- read_data(cs$data)
  fs <- strsplit(cs$formulas, " | ", fixed = TRUE)[[1]]
  fit1 <- function(text) {
    f <- as.formula(text)
    m <- if (cs$weights == "") lm(f, data = d) else lm(f, data = d, weights = d[[cs$weights]])
    m$call <- call("lm", formula = f)
    m
  }
  ms <- lapply(fs, fit1)
  a <- do.call(anova, ms)
  if (length(ms) == 1) {
    cols <- c(df = "Df", sum_sq = "Sum Sq", mean_sq = "Mean Sq", statistic = "F value",
              p_value = "Pr(>F)")
  } else {
    cols <- c(res_df = "Res.Df", rss = "RSS", df = "Df", sum_sq = "Sum of Sq",
              statistic = "F", p_value = "Pr(>F)")
  }
  for (i in seq_len(nrow(a))) {
    name <- if (length(ms) == 1) trimws(rownames(a)[i]) else as.character(i)
    for (k in names(cols)) {
      arows[[length(arows) + 1]] <- data.frame(case = cs$case, row = i, name = paste0(name, ":", k),
                                               value = num(a[i, cols[[k]]]))
    }
  }
  writeLines(capture.output(print(a)), file.path(out_dir, paste0("anova_", cs$case, ".txt")))
}
amanifest <- do.call(rbind, lapply(anova_cases, as.data.frame))
write.csv(amanifest, file.path(out_dir, "anova_cases.csv"), row.names = FALSE, quote = TRUE)
write.csv(do.call(rbind, arows), file.path(out_dir, "anova_reference.csv"), row.names = FALSE,
          quote = TRUE)
