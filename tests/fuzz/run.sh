#!/usr/bin/env bash
# Runs every libFuzzer target built by the `asan` preset (or the build tree in
# $FUZZ_BUILD, such as build/fuzz from the `fuzz` preset) for SECONDS each
# (default 60), starting from the seed corpus in corpus/<target>/, JOBS
# targets at a time (default: the number of CPUs, at most 2). New inputs go to
# a scratch directory under the build tree (corpus/), never into the
# repository; crash, leak, timeout and out-of-memory inputs go to its
# artifacts/.
# Fails (non-zero) if any target finds anything: add the artifact to
# corpus/<target>/ once fixed, so the replay test in the ordinary build keeps
# it fixed.
#   usage: tests/fuzz/run.sh [SECONDS] [TARGET...]
#          (targets: csv number model state engine cli formula)
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-60}
shift || true
targets=("$@")
((${#targets[@]})) || targets=(csv number model state engine cli formula)
jobs=${JOBS:-$(nproc)}
((jobs > 2)) && jobs=2
build=${FUZZ_BUILD:-build/asan}
mkdir -p "$build/artifacts"

fuzz_one() {
  local t=$1 bin=$build/tests/fuzz/regress_fuzz_$1 scratch=$build/corpus/$1 extra=()
  case $t in
    number) extra=(-max_len=64) ;;
    cli) extra=(-dict=tests/fuzz/cli.dict -max_len=8192) ;;
    formula) extra=(-dict=tests/fuzz/formula.dict) ;;
  esac
  mkdir -p "$scratch"
  # -timeout: seconds per input; -rss_limit_mb: also the malloc limit; leaks
  # are checked at exit (ASan). libFuzzer exits non-zero on any finding.
  "$bin" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
    -artifact_prefix="$build/artifacts/$t-" "${extra[@]}" "$scratch" "tests/fuzz/corpus/$t" \
    >"$build/fuzz-$t.log" 2>&1
}

for t in "${targets[@]}"; do
  [ -x "$build/tests/fuzz/regress_fuzz_$t" ] || {
    echo "run.sh: $build/tests/fuzz/regress_fuzz_$t is missing; run" \
         "'cmake --preset asan && cmake --build --preset asan'" >&2
    exit 1
  }
done

failed=()
pending=("${targets[@]}")
while ((${#pending[@]})); do
  batch=("${pending[@]:0:jobs}")
  pending=("${pending[@]:jobs}")
  pids=()
  for t in "${batch[@]}"; do
    echo "== fuzzing $t for ${seconds}s"
    fuzz_one "$t" &
    pids+=($!)
  done
  for i in "${!batch[@]}"; do
    t=${batch[$i]}
    if wait "${pids[$i]}"; then
      grep -aE '^stat::number_of_executed_units' "$build/fuzz-$t.log" | sed "s/^/   $t: /"
    else
      grep -aE -v '^#[0-9]+ +(NEW|REDUCE|pulse)' "$build/fuzz-$t.log" | tail -n 60 >&2
      echo "run.sh: fuzz target $t found a problem; see $build/fuzz-$t.log" >&2
      failed+=("$t")
    fi
  done
done
if ((${#failed[@]})); then
  echo "run.sh: findings in: ${failed[*]} (inputs in $build/artifacts/)" >&2
  exit 1
fi
