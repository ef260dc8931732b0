#!/usr/bin/env bash
# Build (once) and print the path of a cached Debian bookworm tree for the e2e test.
# The cache key is ROOTFS_VERSION: bump it when the package list or the setup below changes.
# Usage: rootfs.sh        → prints the rootfs directory (builds it if missing)
set -euo pipefail

ROOTFS_VERSION=bookworm-v2
CACHE_DIR="${OLLAMA_INFLUX_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ollama-influx}"
ROOTFS="$CACHE_DIR/e2e-rootfs-$ROOTFS_VERSION"
# systemd + dbus boot the tree; sudo for the sudo-mode test (group mode hides it);
# libstdc++6 for the host's bind-mounted node; procps/iproute2 for debugging from inside.
PACKAGES=systemd,systemd-sysv,dbus,sudo,passwd,ca-certificates,libstdc++6,procps

mirror() {
  # The first deb.debian.org-style URI of the configured apt sources (deb822 or one-line format).
  local uri
  uri="$(grep -hE '^(URIs:|deb )' /etc/apt/sources.list /etc/apt/sources.list.d/* 2>/dev/null \
    | grep -v -e security -e nodesource -e google \
    | sed -E 's/^URIs:[[:space:]]*//; s/^deb[[:space:]]+(\[[^]]*\][[:space:]]+)?//; s/[[:space:]].*$//' \
    | head -n1)"
  echo "${uri:-http://deb.debian.org/debian}"
}

if [ -x "$ROOTFS/usr/lib/systemd/systemd" ] && [ -f "$ROOTFS/.e2e-complete" ]; then
  echo "$ROOTFS"
  exit 0
fi

command -v debootstrap >/dev/null || { echo "rootfs.sh: debootstrap missing (apt-get install debootstrap)" >&2; exit 1; }
mkdir -p "$CACHE_DIR"
work="$(mktemp -d "$CACHE_DIR/e2e-rootfs-build.XXXXXX")"
trap 'rm -rf "$work"' EXIT
echo "rootfs.sh: debootstrap bookworm into $work (first run only, a few minutes)" >&2
debootstrap --variant=minbase --include="$PACKAGES" bookworm "$work" "$(mirror)" >&2

# Boot quickly and quietly: no getty on the console, a new machine id each boot, no login.
chmod 0755 "$work"
echo e2e-ollama-host >"$work/etc/hostname"
# sudo looks its host up; the container shares the host's network but not its /etc/hosts.
printf '127.0.0.1 localhost\n127.0.1.1 e2e-ollama-host\n::1 localhost ip6-localhost ip6-loopback\n' >"$work/etc/hosts"
: >"$work/etc/machine-id"
rm -f "$work/etc/systemd/system/getty.target.wants/"* 2>/dev/null || true
ln -sf /dev/null "$work/etc/systemd/system/console-getty.service"
ln -sf /dev/null "$work/etc/systemd/system/systemd-networkd-wait-online.service"
touch "$work/.e2e-complete"
rm -rf "$ROOTFS"
mv "$work" "$ROOTFS"
trap - EXIT
echo "$ROOTFS"
