#!/usr/bin/env bash
# Compressed input (not part of ctest): `regress fit big.csv.gz`, which
# decodes on a thread of its own beside the parsing threads, against
# `zcat big.csv.gz | regress fit -` (and the same for zstd and xz), whole
# processes, several runs each, the median wall and CPU time and the largest
# peak RSS (/usr/bin/time -v). The data are gen_data.cpp's `simple` rows.
#
# Usage: tests/bench/compressed.sh [--runs N] [--rows N] [--regress PATH]
# Data and scratch files go to $BENCH_DIR (default /tmp/regress-bench).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work=${BENCH_DIR:-/tmp/regress-bench}
runs=5 rows=10000000 regress=
while (($#)); do
  case $1 in
    --runs) runs=$2; shift 2 ;;
    --rows) rows=$2; shift 2 ;;
    --regress) regress=$2; shift 2 ;;
    *) echo "compressed.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
mkdir -p "$work"
if [ -z "$regress" ]; then
  (cd "$root" && cmake --preset release >/dev/null && cmake --build --preset release >/dev/null)
  regress=$root/build/release/regress
fi
g++ -O2 -o "$work/gen_data" "$root/tests/bench/gen_data.cpp"
plain=$work/simple_$rows.csv
[ -s "$plain" ] || "$work/gen_data" simple "$rows" > "$plain"

median() { sort -g | awk '{v[NR]=$1} END {print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }
# measure NAME COMMAND: one table row, from $runs runs of bash -c COMMAND
measure() {
  local name=$1 cmd=$2 walls=() cpus=() rss=0
  for ((i = 0; i < runs; i++)); do
    /usr/bin/time -v -o "$work/time.txt" bash -c "$cmd" > "$work/out.txt" 2> "$work/err.txt" || {
      echo "compressed.sh: '$name' failed:" >&2; cat "$work/err.txt" >&2; return 1; }
    local wall user sys kb
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,t,":"); s=0; for(i=1;i<=n;i++) s=s*60+t[i]; print s}' "$work/time.txt")
    user=$(awk -F': ' '/User time/ {print $2}' "$work/time.txt")
    sys=$(awk -F': ' '/System time/ {print $2}' "$work/time.txt")
    kb=$(awk -F': ' '/Maximum resident/ {print $2}' "$work/time.txt")
    walls+=("$wall"); cpus+=("$(awk -v u="$user" -v s="$sys" 'BEGIN {print u + s}')")
    ((kb > rss)) && rss=$kb
  done
  printf '| %s | %s | %s | %d |\n' "$name" \
    "$(printf '%s\n' "${walls[@]}" | median)" "$(printf '%s\n' "${cpus[@]}" | median)" $((rss / 1024))
}

echo "$rows rows, $(stat -c %s "$plain") bytes of text; $runs runs each, medians"
echo
echo '| run | wall (s) | CPU (s) | peak RSS (MiB) |'
echo '|---|---|---|---|'
measure "fit plain.csv" "'$regress' fit '$plain' -y y -x x --format csv"
for tool in gzip zstd xz; do
  command -v "$tool" >/dev/null || { echo "| $tool: not installed | | | |"; continue; }
  suffix=$(case $tool in gzip) echo gz ;; zstd) echo zst ;; *) echo xz ;; esac)
  packed=$work/simple_$rows.csv.$suffix
  [ -s "$packed" ] || "$tool" -c < "$plain" > "$packed"
  measure "fit big.csv.$suffix" "'$regress' fit '$packed' -y y -x x --format csv"
  cp "$work/out.txt" "$work/out_file.txt"
  measure "$tool -dc big.csv.$suffix \\| fit -" \
    "$tool -dc < '$packed' | '$regress' fit - -y y -x x --format csv"
  # The same fit either way, to the byte.
  cmp -s "$work/out_file.txt" "$work/out.txt" || { echo "compressed.sh: the $tool fits differ" >&2; exit 1; }
done
