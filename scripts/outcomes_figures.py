#!/usr/bin/env python3
"""The tables and the frontier plot of docs/outcomes.md, from the JSON reports
scripts/outcomes.sh leaves in OUT (nothing typed by hand):

    python3 scripts/outcomes_figures.py OUT [--svg docs/frontier.svg]

Prints the comparison table (every tN-POLICY-sS.json) and the frontier table
(every frontier-hH.json) as Markdown; --svg writes the frontier plot: reserve
minutes held a week against same-day % and community waiting days, each point
labelled with its hold cost."""
import glob
import json
import os
import re
import sys


def load(path):
    with open(path) as f:
        return json.load(f)


def fmt(x, digits=1):
    return "-" if x is None else f"{x:.{digits}f}"


def comparison(out):
    rows = []
    for path in sorted(glob.glob(os.path.join(out, "t*-*-s*.json"))):
        m = re.match(r"t(\d)-(\w+)-s(\d+)\.json$", os.path.basename(path))
        if not m:
            continue
        r = load(path)
        s, e = r["summary"], r["explain"]
        rows.append((int(m[1]), m[2], int(m[3]), s, e, r["service"]))
    print("| teams | policy | seed | D2A requests | same-day % | ready by 16:00: same-day % | no start possible "
          "(clock) | weekly OBD median / mean | community wait (days) | community still waiting | handovers |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for teams, policy, seed, s, e, sv in sorted(rows, key=lambda r: (-r[0], r[2], r[1] != "optimized")):
        print(f"| {teams} | {policy} | {seed} | {e['d2a_requests']} | {fmt(s['same_day_discharge_pct'])} | "
              f"{fmt(s['same_day_ready_by_16_pct'])} | {s['no_start_today']} | "
              f"{fmt(s['weekly_occupied_bed_days_median'])} / {fmt(s['weekly_occupied_bed_days_mean'])} | "
              f"{fmt(s['community_wait_days'], 2)} | {sv['community_waiting_end']} | {sv['handovers']} |")
    print()
    print("| teams | policy | seed | missed by: round | accept | too_late | skill | gap_today | gap_later | "
          "levers: later_start | widen | retime | reassign |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for teams, policy, seed, s, e, sv in sorted(rows, key=lambda r: (-r[0], r[2], r[1] != "optimized")):
        mi, lv = e["miss"], e["levers"]
        print(f"| {teams} | {policy} | {seed} | " + " | ".join(str(mi[k]["total"]) for k in
              ("round", "accept", "too_late", "skill", "gap_today", "gap_later")) + " | " +
              " | ".join(str(lv[k]) for k in ("later_start", "widen", "retime", "reassign")) + " |")


def frontier_points(out):
    pts = []
    for path in glob.glob(os.path.join(out, "frontier-h*.json")):
        hold = int(re.search(r"frontier-h(\d+)\.json$", path)[1])
        r = load(path)
        pts.append((hold, r["service"]["reserve"], r["summary"]))
    return sorted(pts)


def frontier_table(pts):
    print("| hold cost % | reserve minutes a week (mean of sizings) | predicted cover % | same-day % | "
          "ready by 16:00 same-day % | community wait (days) | weekly OBD mean |")
    print("|---|---|---|---|---|---|---|")
    for hold, rv, s in pts:
        print(f"| {hold} | {fmt(rv['minutes_week'], 0)} | {fmt(rv['covered_pct'])} | "
              f"{fmt(s['same_day_discharge_pct'])} | {fmt(s['same_day_ready_by_16_pct'])} | "
              f"{fmt(s['community_wait_days'], 2)} | {fmt(s['weekly_occupied_bed_days_mean'])} |")


W, H, X0, X1, Y0, Y1 = 760, 400, 80, 680, 50, 330


def scale(v, lo, hi, a, b):
    return a if hi == lo else a + (b - a) * (v - lo) / (hi - lo)


def series(f, pts, xlo, xhi, lo, hi, colour, label_fn):
    xy = [(scale(x, xlo, xhi, X0, X1), scale(y, lo, hi, Y1, Y0), hold) for hold, x, y in pts]
    f.write(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="'
            + " ".join(f"{x:.1f},{y:.1f}" for x, y, _ in xy) + '"/>\n')
    for (x, y, hold), (_, _, v) in zip(xy, pts):
        f.write(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>\n')
        f.write(f'<text x="{x + 6:.1f}" y="{y - 6:.1f}" font-size="11" fill="{colour}">{label_fn(hold, v)}</text>\n')


def frontier_svg(pts, path, title):
    pts = [p for p in pts if p[1]["minutes_week"] is not None]
    if not pts:
        sys.exit("outcomes_figures: no frontier run sized the reserve; no plot")
    xs = [rv["minutes_week"] for _, rv, _ in pts]
    sd = [(h, rv["minutes_week"], s["same_day_discharge_pct"]) for h, rv, s in pts
          if s["same_day_discharge_pct"] is not None]
    cw = [(h, rv["minutes_week"], s["community_wait_days"]) for h, rv, s in pts
          if s["community_wait_days"] is not None]
    xlo, xhi = 0.0, max(xs) * 1.1 or 1.0
    wmax = max([v for _, _, v in cw] + [0.1]) * 1.2
    with open(path, "w") as f:
        f.write(f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" font-family="sans-serif">\n')
        f.write(f'<rect width="{W}" height="{H}" fill="white"/>\n')
        f.write(f'<text x="{W / 2}" y="24" font-size="14" text-anchor="middle">{title}</text>\n')
        f.write(f'<path d="M{X0},{Y0} V{Y1} H{X1} V{Y0}" fill="none" stroke="black"/>\n')
        for k in range(6):
            y = scale(k, 0, 5, Y1, Y0)
            f.write(f'<text x="{X0 - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end">{20 * k}</text>\n')
            f.write(f'<text x="{X1 + 6}" y="{y + 4:.1f}" font-size="11">{wmax * k / 5:.2f}</text>\n')
            x = scale(k, 0, 5, X0, X1)
            f.write(f'<text x="{x:.1f}" y="{Y1 + 16}" font-size="11" text-anchor="middle">'
                    f'{xhi * k / 5:.0f}</text>\n')
        f.write(f'<text x="{(X0 + X1) / 2}" y="{Y1 + 36}" font-size="12" text-anchor="middle">'
                'D2A reserve held, worker-minutes a week over every reablement team (mean of the weekly sizings)'
                '</text>\n')
        f.write(f'<text x="20" y="{(Y0 + Y1) / 2}" font-size="12" fill="#1f77b4" text-anchor="middle" '
                f'transform="rotate(-90 20 {(Y0 + Y1) / 2})">same-day discharge %</text>\n')
        f.write(f'<text x="{W - 20}" y="{(Y0 + Y1) / 2}" font-size="12" fill="#d62728" text-anchor="middle" '
                f'transform="rotate(90 {W - 20} {(Y0 + Y1) / 2})">community waiting, days (mean)</text>\n')
        series(f, sd, xlo, xhi, 0, 100, "#1f77b4", lambda h, v: f"hold {h}%: {v:.1f}%")
        series(f, cw, xlo, xhi, 0, wmax, "#d62728", lambda h, v: f"{v:.2f} d")
        f.write("</svg>\n")


def main(argv):
    if len(argv) < 2:
        sys.exit(__doc__)
    out = argv[1]
    svg = argv[argv.index("--svg") + 1] if "--svg" in argv else None
    comparison(out)
    print()
    pts = frontier_points(out)
    frontier_table(pts)
    if svg:
        frontier_svg(pts, svg, "The D2A reserve's frontier: hold cost -> reserve, same-day %, community waiting")


if __name__ == "__main__":
    main(sys.argv)
