#!/usr/bin/env bash
# Time a technician's field flow on this box, end to end, with the real pieces:
#
#   1. install the offline bundle with no network (unshare -n) into a scratch prefix;
#   2. `floorsense setup --answers` for two RTSP cameras of the test RTSP server (a 1080p camera
#      with its substream at Hikvision's URLs, and a 768x432 one), zones given in the answers file;
#   3. `floorsense doctor --json` from the installed tree;
#   4. the agent started as the unit starts it (service user, its environment, NOTIFY_SOCKET) until
#      systemd would see READY=1 and /status shows both cameras up;
#   5. one zone drawn on the running agent through the calibration editor's API, as the
#      Technician page does it (GET /api/cameras/till/calibration for the picture size, PUT the
#      zone), until the calibration view puts a tracked person's foot point in it.
#
# Prints each step's seconds and the total. Before the timed steps it builds the bundle when none is
# given (once, as the build box would; timed apart) and starts the cameras.
#
#   sudo bash installer/field-flow.sh [--bundle floorsense-<version>-x64.tar.gz] [--keep]
#
# Needs root (useradd, runuser, unshare), ffmpeg, /usr/bin/python3 with GStreamer's RTSP server
# (installer/test-packages.txt) and the shared clips and models (FLOORSENSE_SHARED_DATA, default
# ../shared/data). The door camera's zones come from the answers file (a chain's standard layout);
# the till's zone is drawn in step 5.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
data="${FLOORSENSE_SHARED_DATA:-$repo/../shared/data}"
bundle=""
keep=false
while [ $# -gt 0 ]; do
  case "$1" in
    --bundle) bundle="${2:?--bundle needs a .tar.gz file}"; shift 2 ;;
    --keep) keep=true; shift ;;
    -h|--help) sed -n '2,19p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "field-flow.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
die() { echo "field-flow.sh: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || die "run as root (the installer creates the floorsense user; the agent runs as it)"
for t in unshare runuser ffmpeg /usr/bin/python3 curl; do command -v "$t" >/dev/null || die "$t is missing"; done
[ -f "$data/video/street_elevated_pedestrians.mp4" ] && [ -f "$data/video/checkout_counter_cashier.mp4" ] || die "shared clips missing under $data/video"

work="$(mktemp -d /tmp/fs-field-XXXXXX)"
chmod 755 "$work" # the service user must reach the prefix under it
prefix="$work/root"
pids=()
cleanup() {
  # Last started first: the agent stops (and says STOPPING=1) while the notify socket still listens.
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    kill "${pids[$i]}" 2>/dev/null || true
    wait "${pids[$i]}" 2>/dev/null || true
  done
  if $keep; then echo "kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
declare -a names=() times=()
record() { names+=("$1"); times+=("$2"); printf '%-58s %7s s\n' "$1" "$2"; }

# ---- before the field flow: the bundle (build box) and the cameras
if [ -z "$bundle" ]; then
  t0=$(now)
  FLOORSENSE_MODELS="${FLOORSENSE_MODELS:-$data/models}" bash "$here/bundle.sh" --out "$work/out" >"$work/bundle.log" 2>&1 || { tail -20 "$work/bundle.log"; die "bundle.sh failed"; }
  bundle="$(ls "$work"/out/floorsense-*-x64.tar.gz)"
  echo "(build box) bundle.sh: $(secs "$t0" "$(now)") s -> $(basename "$bundle")"
fi
bundle="$(cd "$(dirname "$bundle")" && pwd)/$(basename "$bundle")"
installer="$(dirname "$bundle")/install.sh"
[ -f "$installer" ] || installer="$here/install.sh"

enc=(-c:v libx264 -preset ultrafast -g 25 -an)
ffmpeg -v error -y -i "$data/video/street_elevated_pedestrians.mp4" -t 10 "${enc[@]}" "$work/door-main.mp4"
ffmpeg -v error -y -i "$data/video/street_elevated_pedestrians.mp4" -t 10 -vf scale=640:360 "${enc[@]}" "$work/door-sub.mp4"
ffmpeg -v error -y -i "$data/video/checkout_counter_cashier.mp4" -t 20 "${enc[@]}" "$work/till.mp4"
/usr/bin/python3 "$repo/test/helpers/rtsp_server.py" --loop \
  "Streaming/Channels/101=$work/door-main.mp4" "Streaming/Channels/102=$work/door-sub.mp4" "till/stream1=$work/till.mp4" >"$work/rtsp.out" 2>&1 &
pids+=($!)
for _ in $(seq 300); do grep -q READY "$work/rtsp.out" && break; sleep 0.1; done
rtsp_port="$(sed -n 's/^READY \([0-9]*\)$/\1/p' "$work/rtsp.out")"
[ -n "$rtsp_port" ] || die "RTSP server did not start: $(cat "$work/rtsp.out")"
api_port="$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
cat >"$work/answers.yaml" <<EOF
store: {id: field-flow-001, timezone: Europe/Moscow, locale: ru, currency: RUB}
cameras:
  - id: door
    url: rtsp://127.0.0.1:$rtsp_port/Streaming/Channels/101
    username: admin
    password: Field-Flow-pw1
    zones:
      - {name: entrance, kind: entrance, polygon: [[0, 700], [1920, 700], [1920, 1080], [0, 1080]]}
      - {name: floor-door, kind: floor, polygon: [[0, 300], [1920, 300], [1920, 700], [0, 700]]}
  - id: till
    url: rtsp://127.0.0.1:$rtsp_port/till/stream1
api: {port: $api_port}
EOF
echo "cameras: rtsp://127.0.0.1:$rtsp_port (door 1920x1080 + 640x360 substream, till 768x432); API port $api_port"
echo

# ---- the field flow
cli="$prefix/opt/floorsense/current/bin/floorsense"
etc="$prefix/etc/floorsense"
state="$prefix/var/lib/floorsense"
logs="$prefix/var/log/floorsense"
env_clean=(env -u FLOORSENSE_MODELS -u FLOORSENSE_CONFIG -u FLOORSENSE_SHARED_DATA)
flow0=$(now)

t0=$(now)
unshare -n bash "$installer" --bundle "$bundle" --prefix "$prefix" >"$work/install.log" 2>&1 || { cat "$work/install.log"; die "install failed"; }
record "1. install the bundle, no network (unshare -n)" "$(secs "$t0" "$(now)")"

t0=$(now)
"${env_clean[@]}" "$cli" setup --config "$etc/store.yaml" --answers "$work/answers.yaml" --lang en >"$work/setup.log" 2>&1 || { cat "$work/setup.log"; die "setup failed"; }
record "2. setup --answers (2 RTSP cameras probed, zones, snapshots)" "$(secs "$t0" "$(now)")"
grep -q 'detect_url: rtsp://admin:' "$etc/store.yaml" || die "setup did not choose the door camera's substream: $(cat "$work/setup.log")"
if grep -q 'Field-Flow-pw1' "$work/setup.log"; then die "setup printed the camera password"; fi

t0=$(now)
"${env_clean[@]}" "$cli" doctor --config "$etc/store.yaml" --log-dir "$logs" --json >"$work/doctor.json" 2>"$work/doctor.err" || true
counts="$(/usr/bin/python3 -c 'import json,sys; r = json.load(open(sys.argv[1])); c = r["counts"]; print("%d pass, %d warn, %d fail" % (c["pass"], c["warn"], c["fail"]))' "$work/doctor.json")"
record "3. doctor --json ($counts)" "$(secs "$t0" "$(now)")"

# As floorsense.service starts it: its user, its environment, its working folder, NOTIFY_SOCKET.
sock="$work/notify.sock"
/usr/bin/python3 "$repo/test/helpers/notify_socket.py" "$sock" >"$work/notify.out" 2>&1 &
pids+=($!)
for _ in $(seq 100); do grep -q LISTENING "$work/notify.out" && break; sleep 0.1; done
chmod 777 "$sock"
t0=$(now)
cd "$state"
# runuser passes a SIGTERM on to the agent (the cleanup's kill stops it cleanly).
runuser -u floorsense -- env -i PATH=/usr/bin:/bin HOME="$state" LOGS_DIRECTORY="$logs" FLOORSENSE_CONFIG="$etc/store.yaml" \
  NOTIFY_SOCKET="$sock" WATCHDOG_USEC=60000000 "$cli" run --config "$etc/store.yaml" >"$work/agent.log" 2>&1 &
pids+=($!)
cd "$repo"
ready=""
live=""
for _ in $(seq 1800); do
  if [ -z "$ready" ] && grep -q 'READY=1' "$work/notify.out"; then ready="$(secs "$t0" "$(now)")"; fi
  st="$(curl -s "http://127.0.0.1:$api_port/status" || true)"
  if [ -n "$st" ] && /usr/bin/python3 -c 'import json,sys; c = json.loads(sys.argv[1])["cameras"]; sys.exit(0 if len(c) == 2 and all(x["state"] == "up" and x["frames"] > 0 for x in c) else 1)' "$st" 2>/dev/null; then
    live="$(secs "$t0" "$(now)")"
    break
  fi
  sleep 0.1
done
[ -n "$ready" ] || die "no READY=1 from the agent: $(tail -5 "$work/agent.log")"
[ -n "$live" ] || die "both cameras never showed up in /status: $(curl -s "http://127.0.0.1:$api_port/status" | head -c 2000)"
record "4a. agent started -> READY=1 to systemd" "$ready"
record "4b. agent started -> /status: both cameras up, frames in" "$live"

# 5. The till camera's zone, drawn on the running agent the way the Technician page saves it: the
# picture size from the calibration view, one PUT (loopback, JSON), then the view again until a
# tracked person's foot point is reported inside the new zone.
cal="http://127.0.0.1:$api_port/api/cameras/till/calibration"
t0=$(now)
size="$(curl -sf "$cal" | /usr/bin/python3 -c 'import json,sys; v = json.load(sys.stdin); print(v["width"], v["height"])')" || die "GET $cal failed"
read -r w h <<<"$size"
[ "$w" != None ] || die "the till camera has no frame yet: $(curl -s "$cal" | head -c 500)"
# The counter and the floor in front of it: the whole picture below its top eighth (where the shelf is).
zone="{\"zones\": [{\"name\": \"till-area\", \"kind\": \"staff\", \"polygon\": [[0, $((h / 8))], [$w, $((h / 8))], [$w, $h], [0, $h]]}], \"floor\": null}"
code="$(curl -s -o "$work/put.json" -w '%{http_code}' -X PUT -H 'content-type: application/json' --data "$zone" "$cal")"
[ "$code" = 200 ] || die "PUT $cal answered $code: $(head -c 2000 "$work/put.json")"
grep -q 'till-area' "$etc/store.yaml" || die "the zone is not in $etc/store.yaml after the save"
placed=""
for _ in $(seq 600); do
  placed="$(curl -s "$cal" | /usr/bin/python3 -c 'import json,sys; v = json.load(sys.stdin); print(" ".join("track %s foot (%.0f, %.0f)" % (t["track_id"], t["foot"][0], t["foot"][1]) for t in v["tracks"] if t["zone"] == "till-area"))' 2>/dev/null || true)"
  [ -n "$placed" ] && break
  sleep 0.1
done
[ -n "$placed" ] || die "no tracked foot point in the drawn zone within 60 s: $(curl -s "$cal" | head -c 2000)"
record "5. zone drawn through the API (PUT calibration) -> foot in it" "$(secs "$t0" "$(now)")"
echo "   $cal: $placed in till-area (${w}x${h} picture)"
total="$(secs "$flow0" "$(now)")"
echo
printf '%-58s %7s s\n' "field flow total (1 + 2 + 3 + 4b + 5)" "$total"
/usr/bin/python3 -c 'import json,sys; s = json.loads(sys.argv[1]); print("status: " + ", ".join("%s %s %s frames" % (c["id"], c["state"], c["frames"]) for c in s["cameras"]))' \
  "$(curl -s "http://127.0.0.1:$api_port/status")"
