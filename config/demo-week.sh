#!/usr/bin/env bash
# The demo's simulated week: the last seven days (store time, Europe/Moscow) of
# config/scenarios/demo-week.yaml, each simulated with its own seed and imported into the demo
# agent's store (config/demo.yaml) through `floorsense import`, which rolls every day up. A day
# already imported is skipped, so `npm run demo` can run this on every start.
# FLOORSENSE_DEMO_WEEK=off skips it (the agent then starts on the sample clips alone).
set -euo pipefail
if [ "${FLOORSENSE_DEMO_WEEK:-on}" = off ]; then exit 0; fi
cd "$(dirname "$0")/.."
out=out/demo-week
mkdir -p "$out"
for i in 7 6 5 4 3 2 1; do
  day=$(TZ=Europe/Moscow date -d "-$i day" +%F)
  dir="$out/$day"
  if [ -f "$dir/.imported" ]; then continue; fi
  node bin/floorsense.js simulate --config config/scenarios/demo-week.yaml --seed "$i" --date "$day" --out "$dir" >/dev/null
  node bin/floorsense.js import --config config/demo.yaml --tracks "$dir/tracks" --receipts "$dir/receipts.csv" --schedule "$dir/schedule.csv" | grep -E '^[0-9]{4}-' || true
  touch "$dir/.imported"
done
