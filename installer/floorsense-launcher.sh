#!/bin/sh
# `floorsense` of an installed bundle: the release's own pinned Node runs the release's CLI, so the
# box's system Node (if any) never matters. Follows the `current` link to the real release folder.
#
# MALLOC_ARENA_MAX=2 (unless the environment sets it): glibc gives each thread that mallocs its own
# arena, and the agent has many (onnxruntime's pools in the detector and ReID workers, the roll-up
# worker, libuv); capped at 2 the agent's peak Pss with 4 substream cameras fell by 30-45 MB in six
# paired runs (402-423 against 431-469 MB, `node bin/floorsense.js run --once`, load 6-13; issue 13).
here="$(dirname "$(readlink -f "$0")")"
MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}" exec "$here/../node/bin/node" "$here/floorsense.js" "$@"
