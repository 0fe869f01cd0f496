#!/usr/bin/env bash
# predict --method bootstrap --boot 1999 against one plain predict on the
# same file (not part of ctest): the median wall time of several runs each.
# The issue's target is under 2 s on two cores for 100,000 rows: the
# replicates reuse the one QR factorisation (each needs Q'e*, not a refit)
# and run on --threads threads. See README "Interval methods".
#
# Usage: tests/bench/bootstrap.sh [--rows N] [--runs N] [--threads N] [--regress PATH]
# Without --regress it uses build/ci/regress (build it first). Data go to
# $BENCH_DIR (default /tmp/regress-bench).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work=${BENCH_DIR:-/tmp/regress-bench}
rows=100000 runs=3 threads=2 regress=$root/build/ci/regress
while (($#)); do
  case $1 in
    --rows) rows=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --regress) regress=$2; shift 2 ;;
    *) echo "bootstrap.sh: unknown argument $1" >&2; exit 2 ;;
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

plain=$(median "$regress" predict "$data" -y y -x x --at 0,1 --threads "$threads")
boot=$(median "$regress" predict "$data" -y y -x x --at 0,1 --threads "$threads" \
  --method bootstrap --boot 1999)
echo "rows $rows, --threads $threads: plain predict ${plain}s, bootstrap (--boot 1999) ${boot}s," \
  "ratio $(echo "scale=1; $boot / $plain" | bc)"
