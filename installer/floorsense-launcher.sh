#!/bin/sh
# `floorsense` of an installed bundle: the release's own pinned Node runs the release's CLI, so the
# box's system Node (if any) never matters. Follows the `current` link to the real release folder.
here="$(dirname "$(readlink -f "$0")")"
exec "$here/../node/bin/node" "$here/floorsense.js" "$@"
