#!/usr/bin/env bash
# The README's backtest table: every interval method on the shipped data sets.
# Usage: bash examples/backtest_table.sh [path/to/regress]   (default build/ci/regress)
# Prints a Markdown table: per data set and method, the extreme rows' and the
# control rows' coverage of the nominal 95% prediction interval, the extreme
# rows' mean |error| and mean interval width.
set -euo pipefail
cd "$(dirname "$0")/.."
regress=${1:-build/ci/regress}
row() {
  local name=$1
  shift
  "$regress" backtest "$@" --method all --format csv 2>/dev/null |
    awk -F, -v name="$name" '
      $2 == "extrapolation" { n[$1] = $5; cov[$1] = $6; mae[$1] = $7; w[$1] = $10; order[++k] = $1 }
      $2 == "control" { ctl[$1] = $6 }
      END {
        for (i = 1; i <= k; ++i) {
          m = order[i]
          printf "| %s | %s | %d | %.1f%% | %.1f%% | %.4g | %.4g |\n", name, m, n[m], 100 * cov[m], 100 * ctl[m], mae[m], w[m]
        }
      }'
}
echo "| data set and candidates | method | extreme rows | coverage outside | coverage inside (control) | mean abs error outside | mean width outside |"
echo "|---|---|---|---|---|---|---|"
row "pressure, \`-y pressure -x temperature --degree 1,2,3\`" data/pressure.csv -y pressure -x temperature --degree 1,2,3
row "cars, \`-y dist -x speed --degree 1,2,3\`" data/cars.csv -y dist -x speed --degree 1,2,3
row "challenger, \`-y n_failures -x temp_f --degree 1,2,3\`" data/challenger.csv -y n_failures -x temp_f --degree 1,2,3
row "toothgrowth, \`'len ~ log(dose) * supp' 'len ~ dose * supp' 'len ~ poly(dose, 2) * supp'\`" \
  data/toothgrowth.csv 'len ~ log(dose) * supp' 'len ~ dose * supp' 'len ~ poly(dose, 2) * supp'
