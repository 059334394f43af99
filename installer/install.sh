#!/usr/bin/env bash
# Install everything FloorSense needs on a fresh Debian/Ubuntu box (run as root or with sudo):
# the system packages in installer/system-packages.txt, then the npm dependencies (which also
# compiles the TypeScript). Safe to run again.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"

mapfile -t pkgs < <(grep -vE '^\s*(#|$)' "$here/system-packages.txt")
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "installing system packages: ${missing[*]}"
  sudo_=""; [ "$(id -u)" -eq 0 ] || sudo_="sudo"
  $sudo_ apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_ apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

cd "$repo"
# onnxruntime-node's postinstall would download CUDA libraries from outside the npm registry;
# the CPU (and WebGPU) build ships inside the package, so skip it.
export ONNXRUNTIME_NODE_INSTALL=skip
npm ci --no-audit --no-fund
