#!/usr/bin/env python3
"""Generate care days of the kind in ../shared/data/homecare (bench/hc_generate.py).

The nine public days come from one seed; a solver tuned on them alone may be
tuned to them. This makes more days of the same kind from other seeds, in the
same VROOM JSON (matrix form), so changes can be checked on days nobody looked
at. What a day holds, as the public days' README describes it:

- clients clustered around six town centres (a 20 x 12 km area), about a sixth
  of them out of town: every visit to those needs a driver (skill 2);
- one to four visits per client in the four care slots: morning 07:00-10:30,
  lunch 11:30-13:30, tea 16:00-18:00, bed 19:30-22:00, 15 to 60 minutes;
- medication clients (about a third): their morning, tea and bed visits are at a
  prescribed time with a one-hour window, need skill 1 and have priority 100;
  every other visit has priority 10;
- workers start and end at home: split shifts (07:00-14:00 and 16:00-22:00 as two
  vehicles), early (07:00-13:00) or late (15:30-22:00) shifts, one 20-minute
  lunch or tea break per shift in a two-hour window; skills 1 and/or 2 or none;
- travel: an integer-second durations matrix from road distance (1.3 x straight
  line) at town speed for the first 3 km and faster beyond.

    python3 bench/hc_generate.py --visits 1200 --seed 11 -o day.json
    python3 bench/hc_generate.py --size large --seed 11 -o day.json

Same arguments, same file (Python's random with the given seed).
"""
import argparse
import json
import math
import random
import sys

SLOTS = {"morning": (25200, 37800), "lunch": (41400, 48600), "tea": (57600, 64800), "bed": (70200, 79200)}
SLOT_DURATIONS = {"morning": [1800, 1800, 2700, 2700, 3600], "lunch": [900, 1800, 1800], "tea": [900, 1800, 1800],
                  "bed": [900, 1800, 2700]}
MED_DURATIONS = [900, 1800, 1800, 1800, 2700, 2700, 3600]
MED_LATEST = {"morning": 33300, "tea": 61200, "bed": 74700}  # latest prescribed time (window start)
VISITS_PER_CLIENT = [1, 2, 2, 2, 3, 3, 3, 3, 4, 4]
SIZES = {"small": 80, "medium": 320, "large": 1200}
SHIFTS = {  # (window, break window) per vehicle of a worker
    "split": [((25200, 50400), (36000, 43200)), ((57600, 79200), (68400, 75600))],
    "early": [((25200, 46800), (36000, 43200))],
    "late": [((55800, 79200), (66600, 73800))],
}


def town_centres(rng):
    base = [(3500, 3500), (8500, 3000), (14000, 4000), (18000, 8500), (10500, 10500), (5000, 10000)]
    return [(x + rng.uniform(-1000, 1000), y + rng.uniform(-1000, 1000)) for x, y in base]


def place_near(rng, centre, sigma):
    return (centre[0] + rng.gauss(0, sigma), centre[1] + rng.gauss(0, sigma))


def place_far(rng, centre):
    angle, radius = rng.uniform(0, 2 * math.pi), rng.uniform(4500, 9000)
    return (centre[0] + radius * math.cos(angle), centre[1] + radius * math.sin(angle))


def travel_seconds(a, b):
    road = 1.3 * math.hypot(a[0] - b[0], a[1] - b[1])
    town = min(road, 3000.0)
    return int(round(town / 8.3 + (road - town) / 15.0))


def client_visits(rng, n, med, far):
    slots = ["morning"] + rng.sample(["lunch", "tea", "bed"], n - 1) if n > 1 else ["morning"]
    visits = []
    for slot in sorted(slots, key=lambda s: SLOTS[s][0]):
        skills = [2] if far else []
        if med and slot in MED_LATEST:
            start = SLOTS[slot][0] + 900 * rng.randint(0, (MED_LATEST[slot] - SLOTS[slot][0]) // 900)
            visits.append({"service": rng.choice(MED_DURATIONS), "skills": [1] + skills, "priority": 100,
                           "time_windows": [[start, start + 3600]]})
        else:
            visits.append({"service": rng.choice(SLOT_DURATIONS[slot]), "skills": skills, "priority": 10,
                           "time_windows": [list(SLOTS[slot])]})
    return visits


def worker_skills(rng):
    r = rng.random()
    return [1, 2] if r < 0.42 else [2] if r < 0.70 else [1] if r < 0.84 else []


def generate(n_visits, seed):
    rng = random.Random(seed)
    centres = town_centres(rng)
    places, jobs = [], []
    while len(jobs) < n_visits:
        centre = rng.choice(centres)
        far = rng.random() < 0.17
        med = rng.random() < 0.33
        loc = len(places)
        places.append(place_far(rng, centre) if far else place_near(rng, centre, 1000))
        for v in client_visits(rng, rng.choice(VISITS_PER_CLIENT), med, far)[: n_visits - len(jobs)]:
            v.update({"id": len(jobs) + 1, "location_index": loc})
            jobs.append(v)
    n_workers = max(3, int(round(n_visits / rng.uniform(9.5, 11.5))))
    vehicles = []
    for w in range(n_workers):
        home = len(places)
        places.append(place_near(rng, rng.choice(centres), 2000))
        kind = rng.choices(["split", "early", "late"], [0.52, 0.28, 0.20])[0]
        skills = worker_skills(rng)
        for window, brk in SHIFTS[kind]:
            vid = len(vehicles) + 1
            vehicles.append({"id": vid, "start_index": home, "end_index": home, "skills": skills,
                             "time_window": list(window), "description": "worker %d" % (w + 1),
                             "breaks": [{"id": vid, "time_windows": [list(brk)], "service": 1200}]})
    durations = [[travel_seconds(a, b) for b in places] for a in places]
    ordered = [{k: j[k] for k in ("id", "location_index", "service", "skills", "priority", "time_windows")}
               for j in jobs]
    return {"vehicles": vehicles, "jobs": ordered, "matrices": {"car": {"durations": durations}}}


def main():
    ap = argparse.ArgumentParser(description="generate a care day in VROOM JSON")
    ap.add_argument("--visits", type=int)
    ap.add_argument("--size", choices=sorted(SIZES))
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("-o", "--output", required=True)
    a = ap.parse_args()
    n = a.visits or SIZES.get(a.size or "")
    if not n or n < 1:
        ap.error("give --visits N or --size small|medium|large")
    with open(a.output, "w") as f:
        json.dump(generate(n, a.seed), f, separators=(",", ":"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
