#!/usr/bin/env bash
# Map-reduce with GNU parallel on one machine: cut a CSV into blocks (header
# repeated), fit each block with `regress fit - --save-state`, then merge.
# The one line that matters:
#
#   parallel --pipe --header 1 --block 20M "regress fit - -y Y -x X --save-state part{#}.json --format csv >/dev/null" < data.csv && regress merge part*.json
#
# Usage: parallel_merge.sh DATA.csv -y COL -x COL [--block SIZE]
# (REGRESS=path/to/regress to use a regress that is not on PATH)
set -euo pipefail
regress=${REGRESS:-regress}
data=$1; shift
y= x= block=20M
while (($#)); do
  case $1 in
    -y) y=$2; shift 2 ;;
    -x) x=$2; shift 2 ;;
    --block) block=$2; shift 2 ;;
    *) echo "parallel_merge.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
parallel --pipe --header 1 --block "$block" \
  "'$regress' fit - -y '$y' -x '$x' --save-state '$dir'/part{#}.json --format csv >/dev/null" \
  < "$data"
echo "merged $(ls "$dir" | wc -l) blocks"
"$regress" merge "$dir"/part*.json --format csv
