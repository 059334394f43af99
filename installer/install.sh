#!/usr/bin/env bash
# FloorSense installer. Two ways in:
#
#   sudo bash installer/install.sh [--test-packages]
#       From a checkout (development, the demo): the production system packages
#       (installer/system-packages.txt; with --test-packages also installer/test-packages.txt, which
#       only the test suite needs), then `npm ci` (which also compiles the TypeScript).
#
#   sudo bash install.sh --bundle floorsense-<version>-<arch>.tar.gz [--prefix DIR] [--no-start]
#       A store box, no network needed: unpacks the offline bundle (installer/bundle.sh) into
#       <prefix>/opt/floorsense/releases/<version>, points <prefix>/opt/floorsense/current at it
#       (the command is <prefix>/opt/floorsense/current/bin/floorsense, linked from
#       <prefix>/usr/local/bin/floorsense), keeps the release it replaces as `previous`, creates the
#       `floorsense` user and its folders, and installs the systemd unit, the logrotate rule and the
#       tray's autostart entry. The service starts when <prefix>/etc/floorsense/store.yaml exists.
#
#   sudo bash install.sh --rollback [--prefix DIR]          back to the previous release
#   sudo bash install.sh --uninstall [--purge] [--prefix DIR]
#       removes the program, unit and links; keeps /etc/floorsense, /var/lib/floorsense (the
#       store's data) and /var/log/floorsense unless --purge.
#
# Safe to run again. --prefix (default /) is for trying an install in a scratch folder;
# --no-system-packages skips the apt check (ffmpeg must then be there already).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

mode=checkout
bundle=""
prefix="/"
purge=false
start=true
system_packages=true
test_packages=false
while [ $# -gt 0 ]; do
  case "$1" in
    --bundle) mode=bundle; bundle="${2:?--bundle needs a .tar.gz file}"; shift 2 ;;
    --prefix) prefix="${2:?--prefix needs a folder}"; shift 2 ;;
    --rollback) mode=rollback; shift ;;
    --uninstall) mode=uninstall; shift ;;
    --purge) purge=true; shift ;;
    --no-start) start=false; shift ;;
    --no-system-packages) system_packages=false; shift ;;
    --test-packages) test_packages=true; shift ;;
    -h|--help) sed -n '2,23p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "install.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

die() { echo "install.sh: $*" >&2; exit 1; }
is_root() { [ "$(id -u)" -eq 0 ]; }
sudo_() { if is_root; then "$@"; else sudo "$@"; fi; }

# Packages listed in a file (one a line, # comments) that dpkg does not have installed.
missing_packages() {
  local p
  grep -vE '^\s*(#|$)' "$1" | while read -r p; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || echo "$p"
  done
}

apt_install() {
  local list=("$@")
  [ "${#list[@]}" -gt 0 ] || return 0
  echo "installing system packages: ${list[*]}"
  sudo_ apt-get update -qq
  DEBIAN_FRONTEND=noninteractive sudo_ apt-get install -y -qq --no-install-recommends "${list[@]}" >/dev/null
}

# ---------------------------------------------------------------- from a checkout
if [ "$mode" = checkout ]; then
  repo="$(cd "$here/.." && pwd)"
  mapfile -t need < <(missing_packages "$here/system-packages.txt"; $test_packages && missing_packages "$here/test-packages.txt" || true)
  apt_install "${need[@]}"
  cd "$repo"
  # onnxruntime-node's postinstall would download CUDA libraries from outside the npm registry;
  # the CPU (and WebGPU) build ships inside the package, so skip it.
  export ONNXRUNTIME_NODE_INSTALL=skip
  npm ci --no-audit --no-fund
  exit 0
fi

# ---------------------------------------------------------------- installed layout
mkdir -p "$prefix"
prefix="$(cd "$prefix" && pwd)"
root="${prefix%/}"                     # "" for /, so paths read /opt/..., /etc/...
opt="$root/opt/floorsense"
releases="$opt/releases"
etc="$root/etc/floorsense"
state="$root/var/lib/floorsense"
logs="$root/var/log/floorsense"
unit="$root/etc/systemd/system/floorsense.service"
autostart="$root/etc/xdg/autostart/floorsense-tray.desktop"
logrotate="$root/etc/logrotate.d/floorsense"
binlink="$root/usr/local/bin/floorsense"
user=floorsense
# Only a real install (prefix /) on a box booted with systemd talks to systemd.
systemd_live() { [ -z "$root" ] && [ -d /run/systemd/system ] && command -v systemctl >/dev/null; }

# Repoint a symlink in one rename, so `current` is never missing.
relink() {
  ln -sfn "$1" "$2.new.$$"
  mv -Tf "$2.new.$$" "$2"
}

release_of() { [ -L "$1" ] && basename "$(readlink "$1")" || true; }

# The shipped unit, desktop entry and logrotate rule name the standard paths; a prefix moves them.
render() {
  sed -e "s#/opt/floorsense#$opt#g" -e "s#/etc/floorsense#$etc#g" \
      -e "s#/var/lib/floorsense#$state#g" -e "s#/var/log/floorsense#$logs#g" "$1"
}

restart_service() {
  if systemd_live; then
    systemctl daemon-reload
    if [ -f "$etc/store.yaml" ] && $start; then systemctl restart floorsense.service && echo "service floorsense restarted"; fi
  fi
}

if [ "$mode" = bundle ]; then
  [ -f "$bundle" ] || die "bundle $bundle: file not found"
  mkdir -p "$releases"
  incoming="$(mktemp -d "$releases/.incoming.XXXXXX")"
  trap 'rm -rf "$incoming"' EXIT
  tar xzf "$bundle" -C "$incoming" || die "bundle $bundle: cannot unpack (damaged download? compare it with its .sha256)"
  top=("$incoming"/*)
  [ "${#top[@]}" -eq 1 ] && [ -f "${top[0]}/bundle.json" ] || die "bundle $bundle: no floorsense-<version>-<arch>/bundle.json inside: not a FloorSense bundle"
  meta() { "${top[0]}/node/bin/node" -p "const b = require(process.argv[1]); String(b[process.argv[2]])" "${top[0]}/bundle.json" "$1"; }
  case "$(uname -m)" in aarch64|arm64) host_arch=arm64 ;; x86_64|amd64) host_arch=x64 ;; *) host_arch="$(uname -m)" ;; esac
  # Read with sed, not the bundle's Node: a bundle for another CPU cannot run its Node here.
  bundle_arch="$(sed -n 's/^ *"arch": *"\([a-z0-9]*\)".*/\1/p' "${top[0]}/bundle.json")"
  [ "$bundle_arch" = "$host_arch" ] || die "bundle $bundle is for $bundle_arch, this box is $host_arch"
  version="$(meta version)"
  [ "$(meta complete)" = true ] || die "bundle $bundle is incomplete: $(meta missing)"
  "${top[0]}/node/bin/node" --version >/dev/null || die "bundle $bundle: its Node does not run on this box"

  if $system_packages; then
    mapfile -t need < <(missing_packages "${top[0]}/installer/system-packages.txt")
    if [ "${#need[@]}" -gt 0 ]; then
      apt_install "${need[@]}" || die "system packages missing: ${need[*]}; install them (apt from the store's mirror, or .deb files) and run this again"
    fi
  fi

  before="$(release_of "$opt/current")"
  # Reinstalling the same version: move the old copy aside first, so `current` never dangles.
  if [ -e "$releases/$version" ]; then mv "$releases/$version" "$incoming/replaced"; fi
  mv "${top[0]}" "$releases/$version"
  if [ -n "$before" ] && [ "$before" != "$version" ]; then relink "releases/$before" "$opt/previous"; fi
  relink "releases/$version" "$opt/current"
  # Keep the current and the previous release; older ones only take disk.
  keep_prev="$(release_of "$opt/previous")"
  for d in "$releases"/*; do
    b="$(basename "$d")"
    [ "$b" = "$version" ] || [ "$b" = "$keep_prev" ] || rm -rf "$d"
  done

  if is_root && ! getent passwd "$user" >/dev/null; then
    useradd --system --user-group --home-dir /var/lib/floorsense --no-create-home --shell /usr/sbin/nologin "$user"
    echo "created system user $user"
  fi
  # GPU access for the WebGPU provider (Vulkan on /dev/dri, /dev/nvidia*).
  if is_root; then for g in video render; do getent group "$g" >/dev/null && usermod -aG "$g" "$user"; done; fi
  mkdir -p "$etc" "$state" "$logs" "$(dirname "$unit")" "$(dirname "$autostart")" "$(dirname "$logrotate")" "$(dirname "$binlink")"
  chmod 755 "$etc" "$logs"
  chmod 750 "$state"
  if is_root; then chown "$user:$user" "$state" "$logs"; fi
  # The calibration editor saves store.yaml (and store.yaml.bak) from the running agent: the service
  # group may write the folder; setgid keeps new files in that group (setup writes root:floorsense 0640).
  if is_root; then chown "root:$user" "$etc" && chmod 2775 "$etc"; fi
  installer="$opt/current/installer"
  render "$installer/systemd/floorsense.service" > "$unit"
  render "$installer/desktop/floorsense-tray.desktop" > "$autostart"
  render "$installer/logrotate/floorsense" > "$logrotate"
  relink "$opt/current/bin/floorsense" "$binlink"
  if systemd_live; then systemctl enable floorsense.service >/dev/null 2>&1 || true; fi
  restart_service
  kept=""; [ -n "$before" ] && [ "$before" != "$version" ] && kept=" (previous: $before, kept for --rollback)"
  echo "installed floorsense $version into $releases/$version$kept"
  echo "command: $opt/current/bin/floorsense (also $binlink)"
  [ -f "$etc/store.yaml" ] || echo "next: write $etc/store.yaml, then \`floorsense doctor --config $etc/store.yaml\`"
  exit 0
fi

if [ "$mode" = rollback ]; then
  cur="$(release_of "$opt/current")"
  prev="$(release_of "$opt/previous")"
  [ -n "$cur" ] || die "nothing installed under $opt"
  [ -n "$prev" ] && [ -d "$releases/$prev" ] || die "no previous release under $releases to roll back to"
  relink "releases/$prev" "$opt/current"
  relink "releases/$cur" "$opt/previous"
  restart_service
  echo "rolled back: current is $prev (was $cur, kept as previous)"
  exit 0
fi

if [ "$mode" = uninstall ]; then
  if systemd_live; then systemctl disable --now floorsense.service >/dev/null 2>&1 || true; fi
  rm -rf "$opt"
  rm -f "$unit" "$autostart" "$logrotate" "$binlink"
  if systemd_live; then systemctl daemon-reload; fi
  if $purge; then
    rm -rf "$etc" "$state" "$logs"
    if [ -z "$root" ] && is_root && getent passwd "$user" >/dev/null; then userdel "$user" || true; fi
    echo "uninstalled and purged: config, data and logs removed"
  else
    echo "uninstalled; kept $etc, $state and $logs (--purge removes them)"
  fi
  exit 0
fi
