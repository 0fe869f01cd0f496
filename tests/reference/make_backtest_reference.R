# make_backtest_reference.R -- the p-values of backtest's verdict, by R's
# fisher.test, for tests/backtest_test.cpp.
#
# The backtest compares the coverage of the held-out extreme rows with that
# of a random control holdout inside the range by a one-sided Fisher's exact
# test of the 2x2 table
#                covered   missed
#   extreme         a      n_e - a
#   control         c      n_c - c
# with alternative = "less" (the extremes' odds of being covered are lower).
# For each table below this writes fisher.test(...)$p.value and the smallest
# p-value tables of those sizes allow (a = 0, c = n_c), both with %.17g, to
# tests/reference/backtest_fisher.csv (n_extreme, covered_extreme, n_control,
# covered_control, p_value, least_p_value).
#
# Tables: mtcars `backtest -y mpg -x wt` (6 and 6 rows; 5 of 6 against 6 of 6
# and 5 of 6), too small to tell (2 and 2, 3 and 3), clear breakdowns, a
# table where the extremes cover more, and a large one (400 rows a part).
#
# Generated with: R version 4.2.2 Patched (2022-11-10 r83330), base R only.
# To regenerate (from the repository root):
#   LC_ALL=C Rscript tests/reference/make_backtest_reference.R

if (!file.exists("tests/reference")) {
  stop("run from the repository root: LC_ALL=C Rscript tests/reference/make_backtest_reference.R")
}

tables <- rbind(
  c(6, 5, 6, 6), c(6, 5, 6, 5), c(6, 6, 6, 6), c(2, 0, 2, 2), c(3, 0, 3, 3),
  c(4, 2, 4, 4), c(10, 4, 10, 10), c(20, 11, 20, 19), c(5, 5, 5, 2),
  c(400, 340, 400, 381), c(7, 0, 9, 9))

p_less <- function(ne, a, nc, c) {
  m <- matrix(c(a, c, ne - a, nc - c), 2)  # rows extreme, control; columns covered, missed
  fisher.test(m, alternative = "less")$p.value
}

rows <- apply(tables, 1, function(t) {
  sprintf("%d,%d,%d,%d,%.17g,%.17g", t[1], t[2], t[3], t[4], p_less(t[1], t[2], t[3], t[4]),
          p_less(t[1], 0, t[3], t[3]))
})
writeLines(c("n_extreme,covered_extreme,n_control,covered_control,p_value,least_p_value", rows),
           "tests/reference/backtest_fisher.csv")
