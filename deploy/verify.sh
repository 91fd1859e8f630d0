#!/usr/bin/env bash
# Checks the systemd units of deploy/systemd (or of the directory given) with
# `systemd-analyze verify`, in a temporary root: the units installed in its /etc/systemd/system,
# this machine's own system units beside them (every service needs sysinit.target & co), and the
# commands the units run at the paths a deployment installs them (Debian's: /usr/bin/node,
# /usr/sbin/nginx, /bin/kill), so a unit naming any other path fails. verify only warns about
# an unknown key or a bad value (exit 0), so any output at all is a failure here.
#   deploy/verify.sh [units-dir]      exit 0: clean; 1: what verify said; 2: no systemd-analyze
set -euo pipefail
cd "$(dirname "$0")/.."
units=${1:-deploy/systemd}

if ! command -v systemd-analyze >/dev/null 2>&1; then
  echo "[verify] systemd-analyze not found (Debian: apt-get install systemd); the units were not checked" >&2
  exit 2
fi
system_units=/usr/lib/systemd/system
[ -d "$system_units" ] || system_units=/lib/systemd/system

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/etc/systemd/system" "$root/usr/lib/systemd"
cp -r "$system_units" "$root/usr/lib/systemd/system"
cp "$units"/* "$root/etc/systemd/system/"
for command in /usr/bin/node /usr/sbin/nginx /bin/kill; do
  mkdir -p "$root$(dirname "$command")"
  printf '#!/bin/sh\n' >"$root$command"
  chmod +x "$root$command"
done

# The side servers deploy/nginx.conf lists, as template instances (the instance is the port).
names=()
for unit in "$units"/*; do
  name=$(basename "$unit")
  case "$name" in
    *@.service)
      for port in $(sed -n 's/^ *server 127\.0\.0\.1:\(4[0-9]*\) .*/\1/p' deploy/nginx.conf | sort -u); do names+=("${name%@.service}@$port.service"); done ;;
    *) names+=("$name") ;;
  esac
done

output=$(systemd-analyze verify --root="$root" --man=no "${names[@]}" 2>&1) || true
if [ -n "$output" ]; then
  echo "$output" | sed "s|$root||g" >&2
  echo "[verify] FAILED: ${names[*]}" >&2
  exit 1
fi

# The web unit's port is the one nginx.conf sends / to.
web_port=$(sed -n 's/^Environment=.*PORT=\([0-9]*\).*/\1/p' "$units/onescreen-web.service")
if ! grep -q "server 127.0.0.1:$web_port;" deploy/nginx.conf; then
  echo "[verify] FAILED: onescreen-web.service listens on $web_port, which deploy/nginx.conf's onescreen_web upstream does not list" >&2
  exit 1
fi
echo "[verify] ok: ${names[*]}"
