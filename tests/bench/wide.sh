#!/usr/bin/env bash
# The wide-model benchmark (not part of ctest): 2000 predictors x 3000 rows,
# regress fit with -x listing every predictor against R's lm(y ~ .) on the
# same file, timing lm alone and lm with read.csv. Makes the data once
# (deterministic: gen_wide.cpp), runs each side several times and prints the
# medians and the ratios. Wall-clock times on a shared machine are noisy:
# the load (uptime) is printed beside them, and regress's CPU time too.
#
# Usage: tests/bench/wide.sh [--runs N] [--rows N] [--predictors N]
# REGRESS=path/to/regress uses that binary instead of building the release
# preset. Data and scratch files go to $BENCH_DIR (default /tmp/regress-bench).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work=${BENCH_DIR:-/tmp/regress-bench}
runs=3 rows=3000 predictors=2000
while (($#)); do
  case $1 in
    --runs) runs=$2; shift 2 ;;
    --rows) rows=$2; shift 2 ;;
    --predictors) predictors=$2; shift 2 ;;
    *) echo "wide.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
mkdir -p "$work"
if [ -z "${REGRESS:-}" ]; then
  (cd "$root" && cmake --preset release >/dev/null && cmake --build --preset release >/dev/null)
  REGRESS=$root/build/release/regress
fi
g++ -O2 -o "$work/gen_wide" "$root/tests/bench/gen_wide.cpp"
data=$work/wide_${rows}x${predictors}.csv
[ -s "$data" ] || "$work/gen_wide" "$rows" "$predictors" > "$data"
columns=$(head -1 "$data" | tr ',' '\n' | tail -n +2 | paste -sd,)

median() { sort -g | awk '{v[NR]=$1} END {print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }
walls=() cpus=() lms=() alls=()
for ((i = 0; i < runs; i++)); do
  /usr/bin/time -f '%e %U %S %M' -o "$work/wide_time.txt" \
    "$REGRESS" fit "$data" -y y -x "$columns" --format csv > "$work/wide_regress.csv"
  read -r wall user sys kb < "$work/wide_time.txt"
  walls+=("$wall"); cpus+=("$(awk -v u="$user" -v s="$sys" 'BEGIN {print u + s}')")
  # lm alone, and lm with read.csv, in one R process (R's start-up excluded).
  read -r all lm < <(LC_ALL=C Rscript -e '
    t0 <- proc.time()[["elapsed"]]; d <- read.csv(commandArgs(TRUE)[1])
    t1 <- proc.time()[["elapsed"]]; m <- lm(y ~ ., d); t2 <- proc.time()[["elapsed"]]
    cat(t2 - t0, t2 - t1, "\n")' "$data")
  alls+=("$all"); lms+=("$lm")
  echo "run $((i + 1)): regress ${wall} s wall (${user} s user, $((kb / 1024)) MiB)," \
    "R lm ${lm} s, read.csv + lm ${all} s; load: $(cut -d' ' -f1-3 /proc/loadavg)"
done
w=$(printf '%s\n' "${walls[@]}" | median)
c=$(printf '%s\n' "${cpus[@]}" | median)
l=$(printf '%s\n' "${lms[@]}" | median)
a=$(printf '%s\n' "${alls[@]}" | median)
echo "medians over $runs runs, $rows rows x $predictors predictors:"
echo "  regress fit: $w s wall, $c s CPU"
echo "  R lm(y ~ .): $l s; read.csv + lm: $a s"
awk -v w="$w" -v l="$l" -v a="$a" 'BEGIN {
  printf "  ratio regress / lm: %.2f; regress / (read.csv + lm): %.2f\n", w / l, w / a }'
