#!/bin/sh
# Include discipline (DESIGN.md "Layout"): each library's calls stay in its room.
#   sqlite3_ only under data/, uv_ only under daemon/ (and bench/ load generators),
#   glp_ only under solver/, and solver/ includes no header from the other parts;
#   the scheduler's policy and service rooms write no JSON (the daemon does), the
#   policy room never touches the store, and hw_store_* names belong to data/.
# Prints every offending line and exits 1 if there is any.
set -u
root=${1:-.}
cd "$root" || exit 2
status=0

offend() { # $1 = what, rest = grep output
  what=$1; shift
  if [ -n "$*" ]; then
    echo "layering: $what"; echo "$*"; status=1
  fi
}

src() { find "$@" -name '*.c' -o -name '*.h' 2>/dev/null | grep -v '^tests/'; }
others_than() { src solver scheduler daemon data bench | grep -v "^$1/"; }

offend "sqlite3_ outside data/" "$(others_than data | xargs -r grep -nE '\bsqlite3_|<sqlite3\.h>' || true)"
offend "uv_ outside daemon/ and bench/" "$(src solver scheduler data | xargs -r grep -nE '\buv_|<uv\.h>' || true)"
offend "glp_ outside solver/" "$(others_than solver | xargs -r grep -nE '\bglp_|<glpk\.h>' || true)"
offend "solver/ includes another part's header" \
  "$(src solver | xargs -r grep -nE '#include *"(\.\./)?(data|daemon|scheduler)/|#include *"hw_(store|codec|domain|time|sched|daemon|http)' || true)"
offend "json_ (jansson) in scheduler/policy or scheduler/service: the daemon writes the JSON" \
  "$(src scheduler/policy scheduler/service | xargs -r grep -nE '\bjson_|<jansson\.h>' || true)"
offend "scheduler/policy/ uses the store (policy is pure)" \
  "$(src scheduler/policy | xargs -r grep -nE '\bhw_store_|#include *"hw_(store|records|locday|service)\.h"' || true)"
offend "hw_store_ defined outside data/" \
  "$(src scheduler daemon bench | xargs -r grep -nE '^[a-z].*\bhw_store_[a-z_]+\(' | grep -v ';' || true)"
offend "scheduler/ or data/ includes a daemon header" \
  "$(src scheduler data | xargs -r grep -nE '#include *"(\.\./)?daemon/|#include *"hw_(daemon|http|server)' || true)"
[ $status -eq 0 ] && echo "layering: ok"
exit $status
