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

# Median wall seconds and median CPU seconds (user + system; less moved by
# other work on a shared machine) of `runs` runs of the command: "wall cpu".
median() {
  local walls=() cpus=() t
  t=$(mktemp)
  for ((i = 0; i < runs; i++)); do
    /usr/bin/time -f '%e %U %S' -o "$t" "$@" > /dev/null 2>&1
    read -r e u s < "$t"
    walls+=("$e")
    cpus+=("$(echo "$u + $s" | bc)")
  done
  rm -f "$t"
  local mid=$(((runs + 1) / 2))
  echo "$(printf '%s\n' "${walls[@]}" | sort -g | sed -n "${mid}p")" \
    "$(printf '%s\n' "${cpus[@]}" | sort -g | sed -n "${mid}p")"
}
wall() { echo "${1% *}"; }
cpu() { echo "${1#* }"; }
ratio() { echo "scale=2; $1 / $2" | bc; }

one=$(median "$regress" predict "$data" -y y -x x --at 0,1 --degree 1)
cubic=$(median "$regress" predict "$data" -y y -x x --at 0,1 --degree 3)
three=$(median "$regress" predict "$data" -y y -x x --at 0,1 --degree 1,2,3 --method averaged)
echo "rows $rows, median of $runs, wall (CPU) seconds: one fit --degree 1 $(wall "$one")" \
  "($(cpu "$one")), --degree 3 $(wall "$cubic") ($(cpu "$cubic")), averaged over degrees 1,2,3" \
  "$(wall "$three") ($(cpu "$three")); ratio to degree 1 $(ratio "$(wall "$three")" "$(wall "$one")")," \
  "to degree 3 $(ratio "$(wall "$three")" "$(wall "$cubic")")" \
  "(CPU $(ratio "$(cpu "$three")" "$(cpu "$cubic")"))"

line=$(median "$regress" predict "$data" 'y ~ x' --at 0,1)
poly3=$(median "$regress" predict "$data" 'y ~ poly(x, 3)' --at 0,1)
formulas=$(median "$regress" predict "$data" 'y ~ x' 'y ~ poly(x, 2)' 'y ~ poly(x, 3)' --at 0,1 \
  --method averaged)
echo "rows $rows, median of $runs, wall (CPU) seconds: one fit 'y ~ x' $(wall "$line")" \
  "($(cpu "$line")), 'y ~ poly(x, 3)' $(wall "$poly3") ($(cpu "$poly3")), averaged over the" \
  "three formulas $(wall "$formulas") ($(cpu "$formulas")); ratio to 'y ~ x'" \
  "$(ratio "$(wall "$formulas")" "$(wall "$line")"), to 'y ~ poly(x, 3)'" \
  "$(ratio "$(wall "$formulas")" "$(wall "$poly3")") (CPU $(ratio "$(cpu "$formulas")" "$(cpu "$poly3")"))"
