#!/usr/bin/env bash
# explore's peak memory against the rows (not part of ctest; ctest's bound is
# tests/hostile_rows_test.cpp under prlimit --as): wall time and peak RSS
# (/usr/bin/time -v) of `regress explore FILE -y y -x x --plot` on the x,y
# data of gen_data.cpp at 1M and 10M rows, streamed from the file, and of the
# same from standard input, which is read into memory (the way explore read
# every input before it streamed files). The target: the streamed peak
# constant in the rows (tens of MiB).
#
# Usage: tests/bench/explore_memory.sh [--rows "N N..."] [--regress PATH]
# Without --regress it uses build/ci/regress (build it first). Data go to
# $BENCH_DIR (default /tmp/regress-bench).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work=${BENCH_DIR:-/tmp/regress-bench}
sizes="1000000 10000000" regress=$root/build/ci/regress
while (($#)); do
  case $1 in
    --rows) sizes=$2; shift 2 ;;
    --regress) regress=$2; shift 2 ;;
    *) echo "explore_memory.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
mkdir -p "$work"
g++ -O2 -o "$work/gen_data" "$root/tests/bench/gen_data.cpp"

# One run: prints "seconds peak_MiB".
measure() {
  local log=$work/explore_time.log
  /usr/bin/time -v sh -c "$1" > /dev/null 2> "$log" || { cat "$log" >&2; exit 1; }
  awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, p, ":"); s = 0;
      for (i = 1; i <= n; i++) s = s * 60 + p[i]; wall = s}
    /Maximum resident set size/ {rss = $2}
    END {printf "%.2f s %.0f MiB", wall, rss / 1024}' "$log"
}

printf '%-10s %-10s %-28s %s\n' rows file streamed "in memory (stdin)"
for rows in $sizes; do
  data=$work/simple_$rows.csv
  [ -s "$data" ] || "$work/gen_data" simple "$rows" > "$data"
  size=$(du -m "$data" | cut -f1)
  streamed=$(measure "'$regress' explore '$data' -y y -x x --plot --svg '$work/e.svg'")
  in_memory=$(measure "'$regress' explore - -y y -x x --plot --svg '$work/e.svg' < '$data'")
  printf '%-10s %-10s %-28s %s\n' "$rows" "${size} MB" "$streamed" "$in_memory"
done
