#!/usr/bin/env bash
# predict --method averaged over three candidates (--degree 1,2,3) against
# one fit's predict on the same file (not part of ctest): --degree 1 (one
# pass) and --degree 3 (the largest candidate: a pass for the sums and one
# for its largest leverage), the median wall time of several runs each and
# the ratios. The issue's target is 1.5x one fit. The candidates are solved
# from the one state of the largest degree, their leverages and residual
# sums from its second pass: see README "Interval methods". Then the same
# for formula candidates, 'y ~ x' 'y ~ poly(x, 2)' 'y ~ poly(x, 3)', against
# the one fit 'y ~ poly(x, 3)': their passes are shared (one first pass
# feeding every formula's statistics, one second pass for all).
#
# Usage: tests/bench/averaged.sh [--rows N] [--runs N] [--regress PATH]
# Without --regress it uses build/ci/regress (build it first). Data go to
# $BENCH_DIR (default /tmp/regress-bench).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work=${BENCH_DIR:-/tmp/regress-bench}
rows=1000000 runs=3 regress=$root/build/ci/regress
while (($#)); do
  case $1 in
    --rows) rows=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --regress) regress=$2; shift 2 ;;
    *) echo "averaged.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
mkdir -p "$work"
g++ -O2 -o "$work/gen_data" "$root/tests/bench/gen_data.cpp"
data=$work/simple_$rows.csv
[ -s "$data" ] || "$work/gen_data" simple "$rows" > "$data"

# Median wall seconds of `runs` runs of the command.
median() {
  local times=()
  for ((i = 0; i < runs; i++)); do
    local start end
    start=$(date +%s.%N)
    "$@" > /dev/null 2>&1
    end=$(date +%s.%N)
    times+=("$(echo "$end - $start" | bc)")
  done
  printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'
}

one=$(median "$regress" predict "$data" -y y -x x --at 0,1 --degree 1)
cubic=$(median "$regress" predict "$data" -y y -x x --at 0,1 --degree 3)
three=$(median "$regress" predict "$data" -y y -x x --at 0,1 --degree 1,2,3 --method averaged)
echo "rows $rows, median of $runs: one fit --degree 1 ${one}s, --degree 3 ${cubic}s," \
  "averaged over degrees 1,2,3 ${three}s; ratio to degree 1 $(echo "scale=2; $three / $one" | bc)," \
  "to degree 3 $(echo "scale=2; $three / $cubic" | bc)"

line=$(median "$regress" predict "$data" 'y ~ x' --at 0,1)
poly3=$(median "$regress" predict "$data" 'y ~ poly(x, 3)' --at 0,1)
formulas=$(median "$regress" predict "$data" 'y ~ x' 'y ~ poly(x, 2)' 'y ~ poly(x, 3)' --at 0,1 \
  --method averaged)
echo "rows $rows, median of $runs: one fit 'y ~ x' ${line}s, 'y ~ poly(x, 3)' ${poly3}s," \
  "averaged over the three formulas ${formulas}s; ratio to 'y ~ x'" \
  "$(echo "scale=2; $formulas / $line" | bc), to 'y ~ poly(x, 3)'" \
  "$(echo "scale=2; $formulas / $poly3" | bc)"
