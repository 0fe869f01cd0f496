# make_far_reference.R -- the figures that fix regress's predictions far
# from the data, where x0'(X'X)^-1 x0 overflows a double but its square root
# does not (tests/hostile_numbers_test.cpp). R's own predict() overflows
# there (se.fit Inf at speed = 1e160), so the tests use the limit instead:
# far out, se_fit = |x|^d * (standard error of the highest power's
# coefficient) to double precision, and the prediction interval's half-width
# is qt(0.975, df) times that.
#
# Writes tests/reference/far_reference.csv: name,value (sprintf("%.17g")):
#   se_speed, t975_48     lm(dist ~ speed, cars): the slope's standard
#                         error, qt(0.975, 48)
#   se_speed2, t975_47    lm(dist ~ speed + I(speed^2), cars): I(speed^2)'s
#                         standard error, qt(0.975, 47)
#
# Generated with: R version 4.2.2 Patched (2022-11-10 r83330), base R only.
# To regenerate (from the repository root):
#   LC_ALL=C Rscript tests/reference/make_far_reference.R

cars_data <- read.csv("data/cars.csv")
f1 <- lm(dist ~ speed, cars_data)
f2 <- lm(dist ~ speed + I(speed^2), cars_data)
values <- c(se_speed = coef(summary(f1))["speed", "Std. Error"], t975_48 = qt(0.975, 48),
            se_speed2 = coef(summary(f2))["I(speed^2)", "Std. Error"], t975_47 = qt(0.975, 47))
writeLines(c("name,value", sprintf("%s,%.17g", names(values), values)),
           "tests/reference/far_reference.csv")
