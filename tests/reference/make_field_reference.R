# What R 4.2.2 prints for the field-test fixes: summary.lm's perfect-fit
# warning, print(logLik(m)), AIC(m) and BIC(m) at default digits, and
# make.unique's names for repeated header names.
# Run: LC_ALL=C Rscript tests/reference/make_field_reference.R > tests/reference/field_reference.txt 2>&1
options(warn = 1)

cat("## perfect fit: y = 2x, x = 1..5\n")
d <- data.frame(x = 1:5, y = c(2, 4, 6, 8, 10))
invisible(summary(lm(y ~ x, d)))

cat("## not perfect: y = 2x + small noise\n")
d$y <- c(2, 4, 6, 8, 10) + c(1, -1, 0, 1, -1) * 1e-6
invisible(summary(lm(y ~ x, d)))

cat("## cars: dist ~ speed\n")
m <- lm(dist ~ speed, cars)
print(logLik(m))
print(AIC(m))
print(BIC(m))

cat("## big: x = 1..200000, y = ((x * 7919) %% 1000) / 10, y ~ x\n")
x <- 1:200000
y <- ((x * 7919) %% 1000) / 10
m <- lm(y ~ x)
print(logLik(m))
print(AIC(m))
print(BIC(m))

cat("## make.unique\n")
print(make.unique(c("x", "x", "z")))
print(make.unique(c("x", "x", "x.1", "x")))
