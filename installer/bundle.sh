#!/usr/bin/env bash
# Build the offline bundle a technician carries to a store: floorsense-<version>-<arch>.tar.gz with
# a pinned Node, production node_modules only (better-sqlite3 compiled for that Node), the built JS,
# the models with their manifest, the installer and the service files. Installing it needs no
# network at all (installer/install.sh --bundle FILE).
#
#   installer/bundle.sh [--out DIR] [--arch x64|arm64]
#
# Needs, on the build box: the npm registry (for the pinned Node package and npm ci), a C++
# toolchain (g++, make, python3) for better-sqlite3, the checkout's devDependencies (tsc), and the
# model files (FLOORSENSE_MODELS, default ../shared/data/models). For arm64 it cross-compiles
# better-sqlite3 with Debian's g++-aarch64-linux-gnu when that is installed; without it the bundle
# is written but marked incomplete (bundle.json "complete": false) and install.sh refuses it.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"

out="$repo/out/bundle"
case "$(uname -m)" in aarch64|arm64) arch=arm64 ;; *) arch=x64 ;; esac
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="${2:?--out needs a folder}"; shift 2 ;;
    --arch) arch="${2:?--arch needs x64 or arm64}"; shift 2 ;;
    -h|--help) sed -n '2,14p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "bundle.sh: unknown argument $1 (expected --out DIR, --arch x64|arm64)" >&2; exit 2 ;;
  esac
done
case "$arch" in x64|arm64) ;; *) echo "bundle.sh: --arch $arch: expected x64 or arm64" >&2; exit 2 ;; esac

die() { echo "bundle.sh: $*" >&2; exit 1; }
need() { command -v "$1" >/dev/null || die "$1 is not installed ($2)"; }
need npm "the npm registry client fetches the pinned Node and the production modules"
need sha256sum "coreutils"
need tar "tar"

version="$(node -p "require('$repo/package.json').version")"
node_version="$(tr -d ' \n' < "$here/node-version")"
name="floorsense-$version-$arch"
cache="${FLOORSENSE_BUNDLE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/floorsense-bundle}"
models_src="${FLOORSENSE_MODELS:-$repo/../shared/data/models}"
mkdir -p "$out" "$cache"
out="$(cd "$out" && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/floorsense-bundle.XXXXXX")"
trap 'rm -rf "$work"' EXIT
stage="$work/$name"
mkdir -p "$stage"

# 1. The pinned Node, from the npm registry (npm checks the tarball against the registry's integrity).
node_tgz="$cache/node-linux-$arch-$node_version.tgz"
if [ ! -s "$node_tgz" ]; then
  echo "fetching node-linux-$arch@$node_version from the npm registry"
  (cd "$cache" && npm pack --silent "node-linux-$arch@$node_version" >/dev/null) || die "npm pack node-linux-$arch@$node_version failed"
fi
mkdir -p "$work/node-pkg"
tar xzf "$node_tgz" -C "$work/node-pkg"
nodedir="$work/node-pkg/package"          # bin/node + include/node: node-gyp builds against these headers
mkdir -p "$stage/node/bin"
cp "$nodedir/bin/node" "$stage/node/bin/node"
cp "$nodedir/LICENSE" "$stage/node/LICENSE"

# 2. The built JS (tsc from the checkout's devDependencies), the launcher, configs, installer.
echo "building the TypeScript"
# Straight into the stage: the checkout's own dist/ (which running tests may be using) is untouched.
(cd "$repo" && npx --no-install tsc -p tsconfig.json --outDir "$stage/dist" --sourceMap false) || die "tsc failed"
cp "$repo/package.json" "$repo/package-lock.json" "$repo/.npmrc" "$stage/"
mkdir -p "$stage/bin" "$stage/models"
cp "$repo/bin/floorsense.js" "$stage/bin/"
cp "$here/floorsense-launcher.sh" "$stage/bin/floorsense"
chmod 755 "$stage/bin/floorsense"
cp -r "$repo/config" "$stage/config"
mkdir -p "$stage/installer"
cp -r "$here/install.sh" "$here/system-packages.txt" "$here/node-version" "$here/systemd" "$here/desktop" "$here/logrotate" "$stage/installer/"
mkdir -p "$stage/tray-ui"
cp "$repo/tray-ui/main.js" "$repo/tray-ui/package.json" "$repo/tray-ui/README.md" "$stage/tray-ui/"

# 3. Production node_modules only. --ignore-scripts: onnxruntime-node's postinstall would download
# CUDA libraries and better-sqlite3's would try GitHub for a prebuilt binary; neither is reachable.
echo "installing production node_modules"
(cd "$stage" && ONNXRUNTIME_NODE_INSTALL=skip npm ci --omit=dev --ignore-scripts --no-audit --no-fund --prefer-offline --loglevel=error) \
  || die "npm ci --omit=dev failed"
node_gyp="$(dirname "$(readlink -f "$(command -v npm)")")/../node_modules/node-gyp/bin/node-gyp.js"
[ -f "$node_gyp" ] || die "node-gyp not found beside npm ($node_gyp)"
complete=true
missing=""
bsq="$stage/node_modules/better-sqlite3"
gyp_args=(rebuild --release "--nodedir=$nodedir" "--jobs=$(nproc)")
build_env=()
if [ "$arch" = arm64 ] && [ "$(uname -m)" != aarch64 ]; then
  if command -v aarch64-linux-gnu-g++ >/dev/null; then
    gyp_args+=(--arch=arm64)
    build_env=(CC=aarch64-linux-gnu-gcc CXX=aarch64-linux-gnu-g++ LINK=aarch64-linux-gnu-g++ AR=aarch64-linux-gnu-ar)
  else
    complete=false
    missing="better-sqlite3 native module for arm64: install g++-aarch64-linux-gnu on the build box (Debian) and bundle again, or build the bundle on the Jetson itself"
  fi
fi
if $complete; then
  echo "compiling better-sqlite3 for node $node_version ($arch)"
  need g++ "better-sqlite3 compiles from source (build-essential)"
  (cd "$bsq" && env "${build_env[@]}" node "$node_gyp" "${gyp_args[@]}" >"$work/gyp.log" 2>&1) \
    || { tail -30 "$work/gyp.log" >&2; die "compiling better-sqlite3 failed (log above)"; }
  # Keep only the module `bindings` loads; objects and the SQLite sources are build leftovers.
  find "$bsq/build" -mindepth 1 -maxdepth 1 ! -name Release -exec rm -rf {} +
  find "$bsq/build/Release" -mindepth 1 ! -name better_sqlite3.node -exec rm -rf {} +
  rm -rf "$bsq/deps" "$bsq/src"
fi
# onnxruntime-node ships every platform's runtime (~290 MB); keep only this one.
ort="$stage/node_modules/onnxruntime-node/bin/napi-v6"
find "$ort" -mindepth 1 -maxdepth 1 ! -name linux -exec rm -rf {} +
find "$ort/linux" -mindepth 1 -maxdepth 1 ! -name "$arch" -exec rm -rf {} +

# 4. Models: every file the manifest names, checked against its sha256.
cp "$repo/models/manifest.json" "$stage/models/"
[ -f "$repo/models/README.md" ] && cp "$repo/models/README.md" "$stage/models/"
# The int8 calibration tables (numbers measured here, no weights): detector.precision auto (the
# default) and tracker.reid_precision int8 derive their int8 models from them on the box.
mkdir -p "$stage/models/calibration"
cp "$repo"/models/calibration/*.json "$stage/models/calibration/"
[ -f "$repo/models/calibration/README.md" ] && cp "$repo/models/calibration/README.md" "$stage/models/calibration/"
while IFS=' ' read -r file sum; do
  [ -f "$models_src/$file" ] || die "model $file is missing in $models_src (set FLOORSENSE_MODELS)"
  got="$(sha256sum "$models_src/$file" | cut -d' ' -f1)"
  [ "$got" = "$sum" ] || die "model $models_src/$file: sha256 $got, the manifest pins $sum"
  cp "$models_src/$file" "$stage/models/$file"
done < <(node -e "for (const m of require('$repo/models/manifest.json').models) console.log(m.file + ' ' + m.sha256)")

# 5. What this bundle is; the installer reads it.
commit="$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)"
node -e '
  const [version, arch, nodeVersion, commit, complete, missing] = process.argv.slice(1);
  const b = { name: "floorsense", version, arch, node: nodeVersion, commit, built: new Date().toISOString(),
    complete: complete === "true", missing: missing ? [missing] : [] };
  require("fs").writeFileSync(process.argv[7], JSON.stringify(b, null, 2) + "\n");
' "$version" "$arch" "$node_version" "$commit" "$complete" "$missing" "$stage/bundle.json"

tarball="$out/$name.tar.gz"
echo "writing $tarball"
tar czf "$tarball.tmp" -C "$work" "$name"
mv -f "$tarball.tmp" "$tarball"
(cd "$out" && sha256sum "$name.tar.gz" > "$name.tar.gz.sha256")
# The installer beside the tarball: the technician carries the two files (it is inside too).
cp "$here/install.sh" "$out/install.sh"
if $complete; then
  echo "bundle ok: $tarball ($(du -h "$tarball" | cut -f1))"
else
  echo "bundle INCOMPLETE: $tarball: missing $missing" >&2
  exit 3
fi
