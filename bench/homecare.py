#!/usr/bin/env python3
"""Care days through the real command line, scored against VROOM (bench/homecare.py).

Each day (VROOM JSON) is solved by `homeward solve` at the time limit of its size
(1 s up to 100 visits, 5 s up to 400, 60 s above, one thread unless told),
checked by `homeward check` (solver/check.c) and re-timed by bench/hc_score.py (an
independent checker sharing no code with the solver), then scored as the issue
and ../shared/data/homecare/README.md score it: lexicographically, the summed
priority of unassigned visits, then travel seconds. When the day is in the VROOM
results table, VROOM 1.14 `-x 5`'s figures are printed beside ours.

    python3 bench/homecare.py                                 # the nine public days
    python3 bench/homecare.py --days hc-large-1 --seeds 1,2,3 # one day, three seeds
    python3 bench/homecare.py --dir /tmp/gen --vroom none     # generated days
    python3 bench/homecare.py -- --no-recombination           # flags passed to solve

Prints the command, the load average before and after, one row per day and seed,
and a summary (days at or better than VROOM). Exits 1 if any plan fails a check.
"""
import argparse
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import hc_score  # noqa: E402


def default_limit(n_jobs):
    return 1 if n_jobs <= 100 else 5 if n_jobs <= 400 else 60


def solve_day(a, path, seed, out):
    with open(path) as f:
        inst = json.load(f)
    limit = a.time_limit or default_limit(len(inst["jobs"]))
    budget = ["--iterations", str(a.iterations)] if a.iterations else ["--time-limit", str(limit)]
    cmd = [a.homeward, "solve", path] + budget + ["--threads", a.threads, "--seed", str(seed), "--quiet", "-o",
                                                   out] + a.extra
    solve_rc = subprocess.run(cmd).returncode
    check = subprocess.run([a.homeward, "check", path, out], capture_output=True, text=True)
    with open(out) as f:
        sol = json.load(f)
    bad, served, travel, routes = hc_score.retime(inst, sol)
    prio = sum(j.get("priority", 0) for j in inst["jobs"] if j["id"] not in served)
    ok = solve_rc == 0 and check.returncode == 0 and not bad
    return {"limit": limit, "prio": prio, "travel": travel, "routes": routes, "ok": ok,
            "assigned": len(served), "jobs": len(inst["jobs"]), "why": (bad + [check.stdout])[:1]}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", default=os.path.join(HERE, "..", "..", "shared", "data", "homecare"))
    ap.add_argument("--days", help="comma-separated day names (file names without .json)")
    ap.add_argument("--vroom", help="VROOM results CSV (default DIR/vroom_results.csv; 'none' to skip)")
    ap.add_argument("--x", type=int, default=5)
    ap.add_argument("--seeds", default="1")
    ap.add_argument("--threads", default="1")
    ap.add_argument("--time-limit", type=float)
    ap.add_argument("--iterations", type=int, help="an iteration cap instead of the time limit (deterministic)")
    ap.add_argument("--homeward", default=os.path.join(HERE, "..", "build", "homeward"))
    ap.add_argument("--out", default="/tmp/homecare-bench")
    ap.add_argument("extra", nargs="*")
    a = ap.parse_args()
    if not os.path.isdir(a.dir):
        print("homecare: %s not found: skipped" % a.dir)
        return 77
    vroom = a.vroom or os.path.join(a.dir, "vroom_results.csv")
    if vroom == "none" or not os.path.exists(vroom):
        vroom = None
    days = a.days.split(",") if a.days else sorted(f[:-5] for f in os.listdir(a.dir) if f.endswith(".json"))
    os.makedirs(a.out, exist_ok=True)
    print("command:", " ".join(sys.argv))
    print("load average:", open("/proc/loadavg").read().strip())
    print("%-14s %5s %6s %4s %9s %8s %6s | %9s %8s | %s" % ("day", "jobs", "limit", "seed", "unasg_pri", "travel",
                                                             "routes", "vroom_pri", "travel", "verdict"))
    failures = wins = compared = 0
    for day in days:
        for seed in a.seeds.split(","):
            out = os.path.join(a.out, "%s-s%s.json" % (day, seed))
            r = solve_day(a, os.path.join(a.dir, day + ".json"), seed, out)
            row = hc_score.vroom_row(vroom, day, a.x) if vroom else None
            ref, verdict = ("", ""), "checked" if r["ok"] else "INFEASIBLE: %s" % r["why"]
            if row:
                ref = (row["unassigned_priority"], row["travel"])
                better = (r["prio"], r["travel"]) <= (int(ref[0]), int(ref[1]))
                compared += 1
                wins += better
                gap = (r["travel"] - int(ref[1])) / int(ref[1]) * 100
                verdict += ", %s (travel %+.2f%%)" % ("<= vroom" if better else "WORSE", gap)
            failures += not r["ok"]
            print("%-14s %5d %6g %4s %9d %8d %6d | %9s %8s | %s" % (day, r["jobs"], r["limit"], seed, r["prio"],
                                                                   r["travel"], r["routes"], ref[0], ref[1], verdict))
            sys.stdout.flush()
    if compared:
        print("summary: %d of %d runs at or better than VROOM -x %d (unassigned priority, then travel); "
              "%d failed a check" % (wins, compared, a.x, failures))
    else:
        print("summary: %d runs, %d failed a check" % (len(days) * len(a.seeds.split(",")), failures))
    print("load average:", open("/proc/loadavg").read().strip())
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
