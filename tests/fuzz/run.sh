#!/usr/bin/env bash
# Runs every libFuzzer target built by the `fuzz` preset for SECONDS each
# (default 60), starting from the seed corpus in corpus/<target>/. New inputs
# go to a scratch directory under build/fuzz/, never into the repository;
# crash, leak, timeout and out-of-memory inputs go to build/fuzz/artifacts/.
# Fails (non-zero) on the first finding: add the artifact to corpus/<target>/
# once fixed, so the replay test in the ordinary build keeps it fixed.
#   usage: tests/fuzz/run.sh [SECONDS] [TARGET...]    (targets: csv number model cli)
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-60}
shift || true
targets=("$@")
((${#targets[@]})) || targets=(csv number model cli)
build=build/fuzz
mkdir -p "$build/artifacts"
for t in "${targets[@]}"; do
  bin=$build/tests/fuzz/regress_fuzz_$t
  [ -x "$bin" ] || { echo "run.sh: $bin is missing; run 'cmake --preset fuzz && cmake --build --preset fuzz'" >&2; exit 1; }
  scratch=$build/corpus/$t
  mkdir -p "$scratch"
  extra=()
  case $t in
    number) extra=(-max_len=64) ;;
    cli) extra=(-dict=tests/fuzz/cli.dict -max_len=8192) ;;
  esac
  echo "== fuzzing $t for ${seconds}s"
  # -timeout: seconds per input; -rss_limit_mb: also the malloc limit; leaks
  # are checked at exit (ASan). libFuzzer exits non-zero on any finding.
  "$bin" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
    -artifact_prefix="$build/artifacts/$t-" "${extra[@]}" "$scratch" "tests/fuzz/corpus/$t" \
    2>"$build/fuzz-$t.log" || { tail -n 60 "$build/fuzz-$t.log" >&2; echo "run.sh: fuzz target $t found a problem; see $build/fuzz-$t.log" >&2; exit 1; }
  grep -E '^stat::number_of_executed_units|^#[0-9]+.*DONE' "$build/fuzz-$t.log" | tail -n 2
done
