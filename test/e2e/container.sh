# Boots the cached Debian tree (rootfs.sh) under systemd-nspawn with a real systemd and journald, and
# gives `cx CMD…` to run commands inside. Sourced by the e2e scripts; they set WORK and call
# boot_container [EXTRA NSPAWN ARGS…], and stop_container in their exit trap.
# --volatile=overlay: every boot starts from the same clean tree (writes go to a tmpfs overlay).
# The container shares the host's network; its processes are visible from the host.

NSPAWN_PID='' LEADER=''

boot_container() {
  local rootfs
  rootfs=$(bash "$(dirname "${BASH_SOURCE[0]}")/rootfs.sh")
  systemd-nspawn -D "$rootfs" -b --register=no --keep-unit --volatile=overlay --console=passive "$@" \
    >"$WORK/nspawn.log" 2>&1 &
  NSPAWN_PID=$!
  for _ in $(seq 1 100); do
    LEADER=$(pgrep -P "$NSPAWN_PID" | head -n1 || true)
    [ -n "$LEADER" ] && [ "$(cat "/proc/$LEADER/comm" 2>/dev/null)" = systemd ] && break
    kill -0 "$NSPAWN_PID" 2>/dev/null || { cat "$WORK/nspawn.log"; return 1; }
    sleep 0.1
  done
  [ -n "$LEADER" ] || return 1
  for _ in $(seq 1 300); do cx test -S /run/systemd/private 2>/dev/null && break; sleep 0.1; done
  local state
  state=$(cx timeout 60 systemctl is-system-running --wait 2>/dev/null || true)
  case $state in
    running | degraded) return 0 ;;
    *) cx systemctl --failed --no-pager || true; return 1 ;;
  esac
}

# cx CMD...: run CMD as root inside the container with a clean environment.
cx() {
  nsenter --target "$LEADER" --mount --uts --ipc --pid -r -w \
    env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 TERM=dumb "$@"
}

stop_container() {
  [ -n "$NSPAWN_PID" ] && kill -0 "$NSPAWN_PID" 2>/dev/null || return 0
  # SIGTERM makes nspawn power the container off cleanly; SIGKILL if it takes too long.
  kill -TERM "$NSPAWN_PID" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$NSPAWN_PID" 2>/dev/null || break; sleep 0.2; done
  kill -KILL "$NSPAWN_PID" 2>/dev/null || true
  wait "$NSPAWN_PID" 2>/dev/null || true
}
