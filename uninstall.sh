#!/usr/bin/env bash
# Removes what install.sh installed. Keeps /etc/ollama-influx (the config, with the token),
# /var/lib/ollama-influx (the journal cursor) and the ollama-influx user unless --purge is given,
# so that a later install.sh resumes where the shipper stopped.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: sudo ./uninstall.sh [--purge] [--dry-run]

Stops and disables the ollama-influx service and removes its unit and drop-ins, the sudoers
rule and journalctl wrapper (sudo mode), and /opt/ollama-influx.
  --purge     also remove /etc/ollama-influx (config and token), /var/lib/ollama-influx (the
              cursor: a new install starts again from INITIAL_LOOKBACK), the sysusers.d entry
              and the ollama-influx user and group
  --dry-run   print what would be done, change nothing
EOF
}

purge='' dry_run=''
for arg in "$@"; do
  case $arg in
    --purge) purge=1 ;;
    --dry-run) dry_run=1 ;;
    -h | --help) usage; exit 0 ;;
    *) echo "uninstall.sh: unknown option $arg (see --help)" >&2; exit 1 ;;
  esac
done

say() { printf 'uninstall.sh: %s\n' "$*"; }
act() {
  if [ -n "$dry_run" ]; then printf '  would run: %s\n' "$*"; else "$@"; fi
}
remove() {
  local path
  for path in "$@"; do
    if [ -e "$path" ] || [ -L "$path" ]; then act rm -rf "$path"; fi
  done
}

if [ -z "$dry_run" ] && [ "$(id -u)" != 0 ]; then
  echo "uninstall.sh: run as root (sudo ./uninstall.sh)" >&2
  exit 1
fi

if command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
  if systemctl cat ollama-influx.service >/dev/null 2>&1; then
    say "stopping and disabling ollama-influx"
    act systemctl disable --now --quiet ollama-influx.service
  fi
fi
say "removing the unit, the journal access files and /opt/ollama-influx"
remove /etc/systemd/system/ollama-influx.service /etc/systemd/system/ollama-influx.service.d \
  /etc/sudoers.d/ollama-influx /usr/local/libexec/ollama-influx \
  /opt/ollama-influx /opt/ollama-influx.new /opt/ollama-influx.old
if command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
  act systemctl daemon-reload
  act systemctl reset-failed ollama-influx.service 2>/dev/null || true
fi

if [ -z "$purge" ]; then
  say "kept /etc/ollama-influx, /var/lib/ollama-influx and the ollama-influx user (--purge removes them)"
  exit 0
fi
say "purging the config, the state and the ollama-influx user"
remove /etc/ollama-influx /var/lib/ollama-influx /var/lib/private/ollama-influx /etc/sysusers.d/ollama-influx.conf
if getent passwd ollama-influx >/dev/null; then act userdel ollama-influx; fi
if getent group ollama-influx >/dev/null; then act groupdel ollama-influx; fi
say "done"
