#!/usr/bin/env python3
"""Run a benchmark set through the real command line (bench/solve_set.py).

Each instance goes through `homeward solve` exactly as a user runs it, then
through `homeward check` (the independent checker, solver/check.c); the gap is
taken against a best-known table. This is how the "through homeward solve"
figures of docs/benchmarks.md are made, so the command line and its defaults
are what is measured, not a bench program's own set-up.

    python3 bench/solve_set.py --dir DIR --bks CSV [--column distance] \
        --time-limit S [--objective distance|fleet] [--threads N] [--seed N]
        [--instances A,B] [--homeward build/homeward] [--keep DIR] [-- EXTRA...]

--column names the BKS column (distance for VRPTW tables, bks_cost for
Mankowska's results.csv). Prints one row per instance (routes, objective from
check, BKS, gap %, wall s, feasible) and a summary line; exits 1 if any solution
is infeasible or any run fails.
"""
import argparse
import csv
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time


def bks_table(path, column):
    with open(path) as f:
        return {row["instance"]: row for row in csv.DictReader(f) if row.get(column)}


def check(homeward, inst, sol):
    out = subprocess.run([homeward, "check", inst, sol], capture_output=True, text=True)
    fields = dict(re.findall(r"^(\w+):\s+(\S+)", out.stdout, re.M))
    return out.returncode, fields, out.stdout


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--bks", required=True)
    ap.add_argument("--column", default="distance")
    ap.add_argument("--time-limit", required=True)
    ap.add_argument("--objective")
    ap.add_argument("--threads", default="1")
    ap.add_argument("--seed", default="1")
    ap.add_argument("--instances")
    ap.add_argument("--homeward", default="build/homeward")
    ap.add_argument("--keep")
    ap.add_argument("extra", nargs="*")
    a = ap.parse_args()
    if not os.path.isdir(a.dir):
        print("solve_set: %s not found: skipped" % a.dir)
        return 77
    bks = bks_table(a.bks, a.column)
    names = a.instances.split(",") if a.instances else sorted(
        f[:-4] for f in os.listdir(a.dir) if f.endswith(".txt"))
    out_dir = a.keep or tempfile.mkdtemp(prefix="solve_set.")
    os.makedirs(out_dir, exist_ok=True)
    print("command:", " ".join(sys.argv))
    print("load average:", open("/proc/loadavg").read().strip())
    print("%-26s %6s %12s %6s %12s %8s %7s %s" % ("instance", "routes", "objective", "bks_v", "bks", "gap%",
                                                 "wall_s", "feasible"))
    gaps, failures, more_vehicles = [], 0, 0
    for name in names:
        inst = os.path.join(a.dir, name + ".txt")
        sol = os.path.join(out_dir, name + ".json")
        cmd = [a.homeward, "solve", inst, "--time-limit", a.time_limit, "--threads", a.threads,
               "--seed", a.seed, "--quiet", "-o", sol]
        if a.objective:
            cmd += ["--objective", a.objective]
        cmd += a.extra
        t0 = time.monotonic()
        rc = subprocess.run(cmd).returncode
        wall = time.monotonic() - t0
        crc, fields, text = check(a.homeward, inst, sol) if rc == 0 else (1, {}, "")
        row = bks.get(name)
        if rc != 0 or crc != 0 or "objective" not in fields:
            failures += 1
            print("%-26s solve exit %d, check exit %d\n%s" % (name, rc, crc, text))
            continue
        obj = float(fields["objective"])
        routes = int(fields["routes"])
        ref = float(row[a.column]) if row else 0.0
        ref_v = int(row["vehicles"]) if row and row.get("vehicles") else 0
        gap = (obj - ref) / ref * 100 if ref > 0 else 0.0
        if ref > 0:
            gaps.append(gap)
        more_vehicles += ref_v > 0 and routes > ref_v
        print("%-26s %6d %12.3f %6d %12.3f %8.2f %7.2f %s" % (name, routes, obj, ref_v, ref, gap, wall,
                                                              fields.get("feasible")))
        sys.stdout.flush()
    if gaps:
        print("summary: instances %d  mean gap %.2f%%  median %.2f%%  worst %.2f%%  matched (<= 0.01%%) %d  "
              "more vehicles than BKS %d  failures %d" % (len(gaps), statistics.mean(gaps), statistics.median(gaps),
                                                          max(gaps), sum(g <= 0.01 for g in gaps), more_vehicles,
                                                          failures))
    print("load average:", open("/proc/loadavg").read().strip())
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
