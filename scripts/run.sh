#!/bin/sh
# README command 1: install what is needed, build, seed a demo database with the
# synthetic North Lanarkshire partnership (first run only), create a coordinator
# token, print a first request to try, and run the daemon in the foreground.
#   HW_DB      database path       (default: ./homeward-demo.db)
#   HW_LISTEN  address:port        (default: 127.0.0.1:8080)
set -eu
cd "$(dirname "$0")/.."
sh scripts/deps.sh
DB=${HW_DB:-homeward-demo.db}
LISTEN=${HW_LISTEN:-127.0.0.1:8080}
JOBS=$(nproc 2>/dev/null || echo 2)

cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$JOBS" --target homeward

if [ ! -s "$DB" ]; then
  echo "seeding $DB with the synthetic NL partnership (seed 7) ..." >&2
  ./build/homeward generate --seed 7 --scale nl --db "$DB" --start "$(date +%F)"
fi
./build/homeward stats --db "$DB"

TOKEN=$(./build/homeward token create --db "$DB" --role admin --name "demo-admin-$(date +%s)")
cat >&2 <<MSG

Homeward is starting on http://$LISTEN with database $DB.
An admin token was created for you (shown once):

  export HW_TOKEN=$TOKEN

Try a first request from another terminal:

  curl -s -H "Authorization: Bearer \$HW_TOKEN" http://$LISTEN/v1/workers?locality=1 | head -c 600; echo
  curl -s http://$LISTEN/healthz

Stop with Ctrl-C (the daemon finishes in-flight requests and closes the store).
MSG
exec ./build/homeward serve --db "$DB" --listen "$LISTEN"
