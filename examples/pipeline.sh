#!/usr/bin/env bash
# pipeline.sh: regress in a shell pipeline.
#
# Fits stopping distance on speed (data/cars.csv, speeds 4 to 25 mph), saves
# the model, streams new speeds through it, and keeps only the predictions
# made outside the data, with the width of their prediction intervals.
#
#   REGRESS=build/regress examples/pipeline.sh     # or: regress on PATH
set -euo pipefail

# The regress binary: $REGRESS if set, else `regress` found on PATH.
regress=${REGRESS:-regress}
if ! command -v "$regress" >/dev/null 2>&1; then
  echo "pipeline.sh: cannot find '$regress'; set REGRESS=/path/to/regress" >&2
  exit 1
fi

# data/ sits next to this script's folder, wherever we are run from.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cars="$here/../data/cars.csv"

# A scratch folder for the model file, removed however the script ends.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# 1. Fit dist ~ speed. The summary goes to the terminal; the fitted model
#    goes to a JSON file that `predict` can use later without the data.
echo "== fit dist ~ speed on data/cars.csv"
"$regress" fit "$cars" -y dist -x speed --save "$tmp/model.json"

# 2. Stream new speeds, 0 to 60 mph in steps of 5, as a one-column CSV on
#    standard input (`--new -`). regress answers with one CSV row per input
#    row: speed,fit,se_fit,lwr,upr,leverage,region.
# 3. awk finds the columns by their header names and prints only the rows
#    whose region is not "inside" (below or above the speeds in the data),
#    with the width of the 95% prediction interval; at the end it prints the
#    narrowest width it saw (near the middle of the data) to compare with.
echo
echo "== predictions outside the data (speeds 4 to 25 mph were observed)"
{
  echo speed
  seq 0 5 60
} | "$regress" predict -m "$tmp/model.json" --new - --interval prediction --format csv |
  awk -F, '
    NR == 1 {
      for (i = 1; i <= NF; i++) col[$i] = i
      if (!("region" in col)) { print "pipeline.sh: no region column" > "/dev/stderr"; exit 1 }
      printf "%6s %8s %18s %8s  %s\n", "speed", "fit", "95% interval", "width", "region"
      next
    }
    {
      lwr = $(col["lwr"]); upr = $(col["upr"]); width = upr - lwr
      if (NR == 2 || width < narrowest) { narrowest = width; at = $(col["speed"]) }
    }
    $(col["region"]) != "inside" {
      printf "%6s %8.1f %8.1f..%-8.1f %8.1f  %s\n", $(col["speed"]), $(col["fit"]), lwr, upr,
             width, $(col["region"])
    }
    END { if (NR > 1) printf "(narrowest interval streamed: %.1f ft wide, at %s mph)\n", narrowest, at }'

# 4. With jq, pull the slope and its confidence interval out of the JSON
#    summary: how many feet of stopping distance each extra mph adds.
if command -v jq >/dev/null 2>&1; then
  echo
  echo "== slope from --format json"
  "$regress" fit "$cars" -y dist -x speed --format json |
    jq -r '. as $fit
      | .terms[] | select(.term == "speed")
      | "each extra mph adds \(.estimate * 100 | round / 100) ft of stopping distance, "
        + "\($fit.level * 100)% CI \(.conf_low * 100 | round / 100) to \(.conf_high * 100 | round / 100) ft"'
else
  echo
  echo "(jq not found: skipping the JSON step)"
fi
