#!/usr/bin/env bash
# The engine benchmark (not part of ctest). Builds the release preset, makes
# the data (deterministic: gen_data.cpp), and times whole processes, several
# runs each, reporting the median wall time, the median CPU time (user + sys)
# and the largest peak RSS (/usr/bin/time -v), with ratios to the bare
# two-thread fast_float parse of the same file (bare_parse.cpp). Peers are
# timed when present: Miller, R with data.table, Python pandas + statsmodels
# (--install-peers installs them with apt-get first).
#
# Usage: tests/bench/bench.sh [--runs N] [--peer-runs N] [--rows N] [--install-peers] [--no-peers]
#                             [--regress BIN]   (time BIN, such as build/ci/regress, instead
#                                                of building the release preset)
# Data and scratch files go to $BENCH_DIR (default /tmp/regress-bench).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work=${BENCH_DIR:-/tmp/regress-bench}
runs=5 peer_runs=3 rows=10000000 peers=1 install=0 regress=
while (($#)); do
  case $1 in
    --runs) runs=$2; shift 2 ;;
    --peer-runs) peer_runs=$2; shift 2 ;;
    --rows) rows=$2; shift 2 ;;
    --install-peers) install=1; shift ;;
    --no-peers) peers=0; shift ;;
    --regress) regress=$(realpath "$2"); shift 2 ;;
    *) echo "bench.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
mkdir -p "$work"
if ((install)); then
  sudo_cmd=(); [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends \
    miller r-cran-data.table python3-statsmodels python3-pandas >&2
fi

if [ -z "$regress" ]; then
  (cd "$root" && cmake --preset release >/dev/null && cmake --build --preset release >/dev/null)
  regress=$root/build/release/regress
fi
g++ -O2 -o "$work/gen_data" "$root/tests/bench/gen_data.cpp"
g++ -O3 -std=c++17 -pthread -o "$work/bare_parse" "$root/tests/bench/bare_parse.cpp"
simple=$work/simple_$rows.csv
wide=$work/wide_$((rows / 10)).csv
groups=$work/groups_$rows.csv
[ -s "$simple" ] || "$work/gen_data" simple "$rows" > "$simple"
[ -s "$wide" ] || "$work/gen_data" wide $((rows / 10)) > "$wide"
[ -s "$groups" ] || "$work/gen_data" groups "$rows" > "$groups"
"$regress" fit "$simple" -y y -x x --save "$work/model.json" --format csv > /dev/null

median() { sort -g | awk '{v[NR]=$1} END {print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }
results=()
# measure NAME RUNS COMMAND: whole-process wall, CPU and peak RSS of bash -c COMMAND
measure() {
  local name=$1 n=$2 cmd=$3 walls=() cpus=() rss=0
  for ((i = 0; i < n; i++)); do
    /usr/bin/time -v -o "$work/time.txt" bash -c "$cmd" > "$work/out.txt" 2> "$work/err.txt" || {
      echo "bench.sh: '$name' failed:" >&2; cat "$work/err.txt" >&2; return 1; }
    local wall user sys kb
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,t,":"); s=0; for(i=1;i<=n;i++) s=s*60+t[i]; print s}' "$work/time.txt")
    user=$(awk -F': ' '/User time/ {print $2}' "$work/time.txt")
    sys=$(awk -F': ' '/System time/ {print $2}' "$work/time.txt")
    kb=$(awk -F': ' '/Maximum resident/ {print $2}' "$work/time.txt")
    walls+=("$wall"); cpus+=("$(awk -v u="$user" -v s="$sys" 'BEGIN {print u + s}')")
    ((kb > rss)) && rss=$kb
  done
  local w c
  w=$(printf '%s\n' "${walls[@]}" | median)
  c=$(printf '%s\n' "${cpus[@]}" | median)
  results+=("$name"$'\t'"$w"$'\t'"$c"$'\t'"$rss")
  printf '%-58s %7.2f s wall %7.2f s cpu %8.1f MiB\n' "$name" "$w" "$c" "$(awk -v k="$rss" 'BEGIN {print k/1024}')" >&2
}

mb=$(awk -v b="$(stat -c %s "$simple")" 'BEGIN {printf "%.0f", b/1e6}')
wmb=$(awk -v b="$(stat -c %s "$wide")" 'BEGIN {printf "%.0f", b/1e6}')
measure "bare parse, 2 threads ($mb MB x,y)" "$runs" "'$work/bare_parse' '$simple' 2"
measure "bare parse, 1 thread" "$runs" "'$work/bare_parse' '$simple' 1"
measure "regress fit, 2 threads" "$runs" "'$regress' fit '$simple' -y y -x x --threads 2"
measure "regress fit, 1 thread" "$runs" "'$regress' fit '$simple' -y y -x x --threads 1"
measure "regress fit 'y ~ x' (the formula), 2 threads" "$runs" "'$regress' fit '$simple' 'y ~ x' --threads 2"
measure "stdin (cat FILE, piped to regress fit -), 2 threads" "$runs" "cat '$simple' | '$regress' fit - -y y -x x --threads 2"
measure "regress fit --save (one predictor: still one pass)" "$runs" "'$regress' fit '$simple' -y y -x x --save '$work/m2.json'"
measure "bare parse, 2 threads ($wmb MB, 10 predictors)" "$runs" "'$work/bare_parse' '$wide' 2"
measure "regress fit, 10 predictors, 2 threads" "$runs" "'$regress' fit '$wide' -y y -x x1,x2,x3,x4,x5,x6,x7,x8,x9,x10 --threads 2"
gmb=$(awk -v b="$(stat -c %s "$groups")" 'BEGIN {printf "%.0f", b/1e6}')
measure "bare parse, 2 threads ($gmb MB y,x,g: 50 text levels)" "$runs" "'$work/bare_parse' '$groups' 2"
measure "regress fit 'y ~ log(x) * g' (50 levels), 2 threads" "$runs" "'$regress' fit '$groups' 'y ~ log(x) * g' --threads 2"
# Where the formula's time goes, on the same file: the two numbers alone
# (the -y/-x loop, the text column skipped), the logarithm without the
# factor, the factor without the logarithm.
measure "regress fit -y y -x x (50 levels file, g skipped), 2 threads" "$runs" "'$regress' fit '$groups' -y y -x x --threads 2"
measure "regress fit 'y ~ log(x)' (50 levels file), 2 threads" "$runs" "'$regress' fit '$groups' 'y ~ log(x)' --threads 2"
measure "regress fit 'y ~ x + g' (50 levels), 2 threads" "$runs" "'$regress' fit '$groups' 'y ~ x + g' --threads 2"
measure "regress predict -m, 10M points from --new (csv out)" "$runs" "'$regress' predict -m '$work/model.json' --new '$simple' > '$work/pred.csv'"
out_mb=$(awk -v b="$(stat -c %s "$work/pred.csv")" 'BEGIN {print b/1e6}')

if ((peers)); then
  if command -v mlr > /dev/null; then
    measure "Miller stats2 linreg-ols,r2" "$peer_runs" "mlr --icsv --ojson stats2 -a linreg-ols,r2 -f x,y '$simple'"
  fi
  if command -v Rscript > /dev/null && Rscript -e 'library(data.table)' > /dev/null 2>&1; then
    measure "R data.table::fread + lm + summary + predict" "$peer_runs" \
      "Rscript -e 'library(data.table); d <- fread(\"$simple\"); m <- lm(y ~ x, d); print(summary(m)); print(predict(m, data.frame(x = c(0, 500, 2000)), interval = \"prediction\"))'"
  fi
  if /usr/bin/python3 -c 'import pandas, statsmodels' > /dev/null 2>&1; then
    measure "pandas read_csv + statsmodels OLS + summary + prediction" "$peer_runs" \
      "/usr/bin/python3 -c 'import pandas as pd, statsmodels.api as sm; d = pd.read_csv(\"$simple\"); m = sm.OLS(d.y, sm.add_constant(d.x)).fit(); print(m.summary()); print(m.get_prediction(sm.add_constant(pd.DataFrame({\"x\": [0.0, 500.0, 2000.0]}))).summary_frame())'"
  fi
fi

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')
echo
echo "$(nproc) cores ($cpu), $(date -u +%Y-%m-%d); load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "data: $rows rows x,y ($mb MB), $((rows / 10)) rows y + 10 predictors ($wmb MB), $rows rows y,x,g ($gmb MB); $runs runs (peers $peer_runs), medians"
echo
echo "| run | wall (s) | CPU (s) | peak RSS (MiB) | wall / bare 2-thread parse |"
echo "|---|---|---|---|---|"
base=$(printf '%s\n' "${results[@]}" | awk -F'\t' 'NR==1 {print $2}')
wbase=$(printf '%s\n' "${results[@]}" | awk -F'\t' '/10 predictors\)/ {print $2}')
gbase=$(printf '%s\n' "${results[@]}" | awk -F'\t' '/text levels\)/ {print $2}')
for r in "${results[@]}"; do
  IFS=$'\t' read -r name w c kb <<< "$r"
  ref=$base; [[ $name == *"10 predictors"* ]] && ref=$wbase
  [[ $name == *"text levels"* || $name == *"50 levels"* ]] && ref=$gbase
  awk -v n="$name" -v w="$w" -v c="$c" -v k="$kb" -v b="$ref" \
    'BEGIN {printf "| %s | %.2f | %.2f | %.0f | %.2fx |\n", n, w, c, k/1024, w/b}'
done
get() { printf '%s\n' "${results[@]}" | awk -F'\t' -v n="$1" '$1 == n {print $2}'; }
echo
awk -v t1="$(get 'regress fit, 1 thread')" -v t2="$(get 'regress fit, 2 threads')" \
    -v s="$(get 'stdin (cat FILE, piped to regress fit -), 2 threads')" -v p="$(get 'regress predict -m, 10M points from --new (csv out)')" \
    -v o="$out_mb" 'BEGIN {
  printf "two threads vs one: %.2fx faster; stdin at %.0f%% of file speed; predict writes %.0f MB/s (%.0f MB)\n",
         t1/t2, 100*t2/s, o/p, o }'
