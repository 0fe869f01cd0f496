#!/usr/bin/env bash
# augment against fit on the same file (not part of ctest): wall time and
# peak RSS (/usr/bin/time -v) of `regress fit`, `regress augment` and
# `regress check` on the x,y data of gen_data.cpp, the median of several runs
# each, with augment's and check's ratios to fit. The targets: augment in
# constant memory (under 64 MiB peak on 10M rows) and at most 3x fit's time.
#
# Usage: tests/bench/augment.sh [--rows N] [--runs N] [--regress PATH]
# Without --regress it builds the release preset (-j2). Data and output go to
# $BENCH_DIR (default /tmp/regress-bench); augment's output is written to a
# file there (a pipe to /dev/null would hide the cost of writing it).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work=${BENCH_DIR:-/tmp/regress-bench}
rows=10000000 runs=3 regress=
while (($#)); do
  case $1 in
    --rows) rows=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --regress) regress=$2; shift 2 ;;
    *) echo "augment.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
mkdir -p "$work"
if [ -z "$regress" ]; then
  (cd "$root" && cmake --preset release >/dev/null && cmake --build --preset release -j2 >/dev/null)
  regress=$root/build/release/regress
fi
g++ -O2 -o "$work/gen_data" "$root/tests/bench/gen_data.cpp"
data=$work/simple_$rows.csv
[ -s "$data" ] || "$work/gen_data" simple "$rows" > "$data"

# One timed run: prints "seconds peak_kib".
measure() {
  local log=$work/augment_time.log
  /usr/bin/time -v "$@" > "$work/augment_out.csv" 2> "$log"
  local wall rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, p, ":"); s = 0;
    for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s}' "$log")
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
  echo "$wall $rss"
}

# The median wall time and the largest peak RSS of $runs runs.
summary() {
  local times=() peak=0 t r
  for ((i = 0; i < runs; i++)); do
    read -r t r < <(measure "$@")
    times+=("$t")
    ((r > peak)) && peak=$r
  done
  printf '%s\n' "${times[@]}" | sort -g | awk -v peak="$peak" \
    '{a[NR] = $1} END {printf "%.3f %d\n", a[int((NR + 1) / 2)], peak}'
}

read -r fit_s fit_kib < <(summary "$regress" fit "$data" -y y -x x)
read -r aug_s aug_kib < <(summary "$regress" augment "$data" -y y -x x)
read -r chk_s chk_kib < <(summary "$regress" check "$data" -y y -x x)
echo "rows: $rows ($(du -h "$data" | cut -f1)), median of $runs runs"
printf '%-8s %9s %10s %8s\n' command seconds peak_MiB x_fit
for row in "fit $fit_s $fit_kib" "augment $aug_s $aug_kib" "check $chk_s $chk_kib"; do
  set -- $row
  awk -v c="$1" -v s="$2" -v k="$3" -v f="$fit_s" \
    'BEGIN {printf "%-8s %9.3f %10.1f %8.2f\n", c, s, k / 1024, (f > 0 ? s / f : 0)}'
done
