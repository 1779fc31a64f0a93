#!/bin/sh
# The runs behind docs/outcomes.md's figures, one simulation at a time (they are
# long and the machine is shared), each writing its JSON report into OUT:
#   A  optimized vs baseline, three reablement teams, seed 1
#   B  the frontier: the reserve's hold cost 0, 15 and 60 %, seed 1
#   C  optimized vs baseline, seeds 2 and 3
#   D  the two-team what-if, seed 1
#   E  the frontier's other points, 5 and 30 %
# In that order, so a run cut short by a deadline still has the first figures.
# Runs already in OUT are skipped. Stores go to TMPDIR (default /dev/shm when it
# exists: the runs are I/O-bound on a slow disk).
#   sh scripts/outcomes.sh HOMEWARD OUT [--scale nl|locality] [--weeks W] [--frontier-weeks W]
set -eu
HW=${1:?usage: outcomes.sh HOMEWARD OUT [--scale S] [--weeks W] [--frontier-weeks W]}
OUT=${2:?usage: outcomes.sh HOMEWARD OUT [--scale S] [--weeks W] [--frontier-weeks W]}
shift 2
SCALE=nl WEEKS=52 FWEEKS=26
while [ $# -gt 0 ]; do
  case $1 in
    --scale) SCALE=$2; shift 2 ;;
    --weeks) WEEKS=$2; shift 2 ;;
    --frontier-weeks) FWEEKS=$2; shift 2 ;;
    *) echo "outcomes.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
[ -d /dev/shm ] && : "${TMPDIR:=/dev/shm}" && export TMPDIR
mkdir -p "$OUT"

# run NAME ARGS...: one simulation, its report in OUT/NAME.json, its table in NAME.txt.
run() {
  name=$1; shift
  [ -s "$OUT/$name.json" ] && return 0
  echo "$(date -u +%H:%M:%S) $name: $HW simulate --scale $SCALE $*" >&2
  nice -n 5 "$HW" simulate --scale "$SCALE" --quiet --explain --out "$OUT/$name.json.part" "$@" >"$OUT/$name.txt"
  mv "$OUT/$name.json.part" "$OUT/$name.json"
}

for p in optimized baseline; do run "t3-$p-s1" --weeks "$WEEKS" --reablement-teams 3 --policy "$p" --seed 1; done
for h in 0 15 60; do run "frontier-h$h" --weeks "$FWEEKS" --reablement-teams 3 --policy optimized --seed 1 --hold-cost "$h"; done
for s in 2 3; do for p in optimized baseline; do
  run "t3-$p-s$s" --weeks "$WEEKS" --reablement-teams 3 --policy "$p" --seed "$s"
done; done
for p in optimized baseline; do run "t2-$p-s1" --weeks "$WEEKS" --reablement-teams 2 --policy "$p" --seed 1; done
for h in 5 30; do run "frontier-h$h" --weeks "$FWEEKS" --reablement-teams 3 --policy optimized --seed 1 --hold-cost "$h"; done
