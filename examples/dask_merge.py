#!/usr/bin/env python3
"""Fit one model to data spread over a Dask cluster, with regress as the map step.

Map: each shard of the data is fitted on a Dask worker by
`regress fit SHARD --save-state PART`, which reads the shard once and returns
the fit's sufficient statistics (a few kilobytes of JSON, whatever the shard's
size). Reduce: `regress merge PART...` combines them into exactly the fit of
the concatenated shards. Only states travel between machines, never rows.

Here the "cluster" is a dask.distributed LocalCluster of worker processes on
this machine and the shards are cut from one CSV; on a real cluster, connect
the Client to the scheduler's address instead and let each worker read the
shard it holds (see examples/README.md).

Usage: dask_merge.py DATA.csv -y COL -x COL[,COL...] [--shards N] [--workers N]
                     [--regress PATH] [--check]
--check also fits the whole file directly and fails unless the merged
estimates and standard errors agree with it to 1e-12 relative.
"""
import argparse
import csv
import io
import os
import shutil
import subprocess
import sys
import tempfile

from dask.distributed import Client, LocalCluster


def fit_shard(regress, shard, response, predictors):
    """Runs on a worker: fit one shard, return its state file's text."""
    out = shard + ".state.json"
    subprocess.run([regress, "fit", shard, "-y", response, "-x", predictors,
                    "--save-state", out, "--format", "csv", "--threads", "1"],
                   check=True, stdout=subprocess.DEVNULL)
    with open(out, encoding="utf-8") as f:
        return f.read()


def split_csv(path, shards, directory):
    """Cuts the CSV into `shards` files at line breaks, header repeated.
    (Quoted fields with line breaks would need a CSV-aware splitter.)"""
    size = os.path.getsize(path)
    with open(path, "rb") as f:
        header = f.readline()
        start = f.tell()
        cuts = [start]
        for i in range(1, shards):
            f.seek(max(start + (size - start) * i // shards, cuts[-1]))
            f.readline()
            cuts.append(f.tell())
        cuts.append(size)
        names = []
        for i in range(shards):
            if cuts[i + 1] <= cuts[i]:
                continue
            name = os.path.join(directory, "shard%03d.csv" % i)
            f.seek(cuts[i])
            with open(name, "wb") as out:
                out.write(header)
                out.write(f.read(cuts[i + 1] - cuts[i]))
            names.append(name)
    return names


def estimates(table_csv):
    rows = list(csv.DictReader(io.StringIO(table_csv)))
    return {r["term"]: (float(r["estimate"]), float(r["std_error"])) for r in rows}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data")
    ap.add_argument("-y", required=True)
    ap.add_argument("-x", required=True)
    ap.add_argument("--shards", type=int, default=4)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--regress", default=os.environ.get("REGRESS") or shutil.which("regress"))
    ap.add_argument("--check", action="store_true")
    a = ap.parse_args()
    if not a.regress:
        sys.exit("dask_merge.py: no regress binary; give --regress PATH or set REGRESS")
    regress = os.path.abspath(a.regress)

    with tempfile.TemporaryDirectory() as tmp:
        shards = split_csv(a.data, a.shards, tmp)
        cluster = LocalCluster(n_workers=a.workers, threads_per_worker=1, processes=True,
                               dashboard_address=None)
        with cluster, Client(cluster) as client:
            futures = client.map(fit_shard, [regress] * len(shards), shards,
                                 [a.y] * len(shards), [a.x] * len(shards))
            states = client.gather(futures)
        parts = []
        for i, text in enumerate(states):
            name = os.path.join(tmp, "part%03d.json" % i)
            with open(name, "w", encoding="utf-8") as f:
                f.write(text)
            parts.append(name)
        merged = subprocess.run([regress, "merge", *parts, "--format", "csv"],
                                check=True, capture_output=True, text=True).stdout
        print("merged %d shards fitted on %d Dask workers" % (len(parts), a.workers))
        sys.stdout.write(merged)
        if a.check:
            whole = subprocess.run([regress, "fit", a.data, "-y", a.y, "-x", a.x,
                                    "--format", "csv"],
                                   check=True, capture_output=True, text=True).stdout
            m, w = estimates(merged), estimates(whole)
            for term, (est, se) in w.items():
                e2, s2 = m[term]
                if abs(est - e2) > 1e-12 * abs(est) or abs(se - s2) > 1e-12 * abs(se):
                    sys.exit("dask_merge.py: merged %s differs from the whole-file fit" % term)
            print("check: the merged fit equals the whole-file fit")


if __name__ == "__main__":
    main()
