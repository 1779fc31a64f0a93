#!/usr/bin/env python3
"""Independent scorer for care days in VROOM JSON (bench/hc_score.py).

It shares no code with the solver or its checker (solver/check.c): it reads the
instance and a solution document (`homeward solve` output, or VROOM's own) and
re-times every route from the matrix, as ../shared/data/homecare/README.md
describes: each route leaves its start at the shift start, arrives after the
matrix's travel, waits for a window to open (service start inside a window),
takes its breaks at the place it is (inside their windows, no travel), and must
be back at its end by the shift end; every visit's skills must be held by the
vehicle, and every visit is served at most once.

It prints one line per solution: feasible, assigned, unassigned priority (the sum
of `priority` over unassigned jobs), travel (matrix seconds over every route) and
routes; with --vroom CSV it also prints VROOM's figures for the same instance and
x (default 5) and whether ours is lexicographically no worse.

    python3 bench/hc_score.py INSTANCE.json SOLUTION.json [--vroom CSV] [--x 5]

Exit status: 0 when every solution is feasible, 1 otherwise, 2 on bad input.
"""
import json
import os
import sys


def windows_of(obj, key):
    return [tuple(w) for w in obj.get(key, [])] or [(0, 2**62)]


def matrix_of(inst):
    m = inst.get("matrices")
    if m is not None:
        m = m.get("car", next(iter(m.values()))) if "durations" not in m else m
        return m.get("costs", m["durations"]), m["durations"]
    return inst["matrix"], inst["matrix"]


def retime(inst, sol):
    """Returns (violations, assigned job ids, travel, routes)."""
    costs, durs = matrix_of(inst)
    vehicles = {v["id"]: v for v in inst["vehicles"]}
    jobs = {j["id"]: j for j in inst["jobs"]}
    bad, seen, travel, n_routes = [], set(), 0, 0
    used_vehicles = set()
    for route in sol.get("routes", []):
        vid = route["vehicle"]
        v = vehicles.get(vid)
        if v is None:
            bad.append("unknown vehicle %s" % vid)
            continue
        if vid in used_vehicles:
            bad.append("vehicle %s has two routes" % vid)
        used_vehicles.add(vid)
        steps = route["steps"]
        jobs_here = [s for s in steps if s["type"] == "job"]
        if not jobs_here:
            continue
        n_routes += 1
        shift = v.get("time_window", [0, 2**62])
        vskills = set(v.get("skills", []))
        breaks = {b["id"]: b for b in v.get("breaks", [])}
        taken = set()
        loc = v.get("start_index")
        t = shift[0]
        for s in steps:
            kind = s["type"]
            if kind in ("start", "end"):
                continue
            if kind == "break":
                b = breaks.get(s["id"])
                if b is None or s["id"] in taken:
                    bad.append("vehicle %s: break %s unknown or taken twice" % (vid, s["id"]))
                    continue
                taken.add(s["id"])
                ws = windows_of(b, "time_windows")
                start = next((max(t, a) for a, e in ws if max(t, a) <= e), None)
                if start is None:
                    bad.append("vehicle %s: break %s cannot start in its window (ready at %d)" % (vid, s["id"], t))
                    start = t
                t = start + b.get("service", 0)
                continue
            j = jobs.get(s["id"])
            if j is None:
                bad.append("vehicle %s: unknown job %s" % (vid, s["id"]))
                continue
            if s["id"] in seen:
                bad.append("job %s served twice" % s["id"])
            seen.add(s["id"])
            if not set(j.get("skills", [])) <= vskills:
                bad.append("vehicle %s lacks a skill of job %s" % (vid, s["id"]))
            nl = j["location_index"]
            if loc is not None:
                t += durs[loc][nl]
                travel += costs[loc][nl]
            loc = nl
            ws = windows_of(j, "time_windows")
            start = next((max(t, a) for a, e in ws if max(t, a) <= e), None)
            if start is None:
                bad.append("vehicle %s: job %s arrives at %d, after its windows %s" % (vid, s["id"], t, ws))
                start = t
            t = start + j.get("service", 0)
        if set(breaks) - taken:
            bad.append("vehicle %s: breaks %s not taken" % (vid, sorted(set(breaks) - taken)))
        end = v.get("end_index")
        if end is not None and loc is not None:
            t += durs[loc][end]
            travel += costs[loc][end]
        if t > shift[1]:
            bad.append("vehicle %s: back at %d, after its shift ends at %d" % (vid, t, shift[1]))
    listed = {u["id"] for u in sol.get("unassigned", [])}
    if listed & seen:
        bad.append("jobs both routed and unassigned: %s" % sorted(listed & seen)[:5])
    return bad, seen, travel, n_routes


def vroom_row(csv_path, name, x):
    with open(csv_path) as f:
        head = f.readline().strip().split(",")
        for line in f:
            row = dict(zip(head, line.strip().split(",")))
            if row["instance"] == name and row["x"] == str(x):
                return row
    return None


def main(argv):
    args, vroom, x = [], None, 5
    it = iter(argv[1:])
    for a in it:
        if a == "--vroom":
            vroom = next(it)
        elif a == "--x":
            x = int(next(it))
        else:
            args.append(a)
    if len(args) != 2:
        print(__doc__.strip().splitlines()[-5], file=sys.stderr)
        return 2
    with open(args[0]) as f:
        inst = json.load(f)
    with open(args[1]) as f:
        sol = json.load(f)
    bad, served, travel, routes = retime(inst, sol)
    prio = sum(j.get("priority", 0) for j in inst["jobs"] if j["id"] not in served)
    name = os.path.splitext(os.path.basename(args[0]))[0]
    line = "%s feasible %s assigned %d unassigned_priority %d travel %d routes %d" % (
        name, "yes" if not bad else "NO", len(served), prio, travel, routes)
    if vroom:
        row = vroom_row(vroom, name, x)
        if row:
            vp, vt = int(row["unassigned_priority"]), int(row["travel"])
            ok = (prio, travel) <= (vp, vt)
            line += " | vroom-x%d %d %d | %s" % (x, vp, vt, "<= vroom" if ok else "WORSE")
    print(line)
    for b in bad[:10]:
        print("  violation:", b)
    return 0 if not bad else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
