#!/usr/bin/env bash
# End-to-end test of install.sh / the unit / journal access / uninstall on a real systemd.
#
# Boots a cached Debian bookworm tree (test/e2e/rootfs.sh) with
#   systemd-nspawn -b --register=no --keep-unit --volatile=overlay
# so every run starts from the same clean tree (writes go to a tmpfs overlay). The host's node
# is bind-mounted read-only as /usr/bin/node, the release (`npm pack`'s tarball unpacked, with its
# bundled production node_modules) as /srv/release. The container shares the host's network, so the
# daemon inside reaches the InfluxDB that scripts/influxdb-test-server.sh starts on 127.0.0.1.
#
# Commands run inside through nsenter into the namespaces of the container's init (found as the
# child of the nspawn process): no machined needed, which --register=no rules out anyway.
#
# Run as root: npm run test:e2e (builds first). Prints PASS/FAIL lines; exits 1 on any FAIL.
# E2E_KEEP=1 leaves the container and influxd running at the end for a look around.
# Commands meant for inside the container are single-quoted on purpose: they expand there.
# shellcheck disable=SC2016
set -euo pipefail

REPO=$(cd "$(dirname "$0")/../.." && pwd)
E2E=$REPO/test/e2e
HOSTNAME_IN=e2e-ollama-host
STARTED_AT=$(date +%s)

failures=0
pass() { printf 'PASS: %s\n' "$*"; }
fail() { printf 'FAIL: %s\n' "$*"; failures=$((failures + 1)); }
check() { # check DESCRIPTION CMD...: PASS if CMD succeeds
  local desc=$1
  shift
  if "$@"; then pass "$desc"; else fail "$desc"; fi
}
info() { printf '  .. %s\n' "$*"; }
die() { printf 'FAIL: %s\n' "$*"; exit 1; }

[ "$(id -u)" = 0 ] || die "the e2e test boots a container: run it as root"

# ---- host prerequisites ---------------------------------------------------------------------
missing=()
command -v systemd-nspawn >/dev/null || missing+=(systemd-container)
command -v debootstrap >/dev/null || missing+=(debootstrap)
command -v curl >/dev/null || missing+=(curl)
command -v nsenter >/dev/null || missing+=(util-linux)
command -v systemd-analyze >/dev/null || missing+=(systemd)
if [ ${#missing[@]} -gt 0 ]; then
  info "installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null
fi
NODE_BIN=$(readlink -f "$(command -v node)")
[ -f "$REPO/dist/cli/main.js" ] || die "dist/ is missing: run npm run build (npm run test:e2e does)"
# The Ollama host runs a real ollama, built from source (cached; see scripts/ollama-test-server.sh).
OLLAMA_BIN=$(bash "$REPO/scripts/ollama-test-server.sh" build) || die "no ollama binary: scripts/ollama-test-server.sh build failed"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/ollama-influx-e2e.XXXXXX")
NSPAWN_PID='' INFLUXD_PID=''
cleanup() {
  local rc=$?
  if [ -n "${E2E_KEEP:-}" ]; then
    echo "E2E_KEEP: container nspawn pid $NSPAWN_PID, influxd pid $INFLUXD_PID, work dir $WORK"
    return
  fi
  if [ -n "$NSPAWN_PID" ] && kill -0 "$NSPAWN_PID" 2>/dev/null; then
    # SIGTERM makes nspawn power the container off cleanly; SIGKILL if it takes too long.
    kill -TERM "$NSPAWN_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$NSPAWN_PID" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$NSPAWN_PID" 2>/dev/null || true
    wait "$NSPAWN_PID" 2>/dev/null || true
  fi
  if [ -n "$INFLUXD_PID" ]; then bash "$REPO/scripts/influxdb-test-server.sh" stop "$INFLUXD_PID" >/dev/null 2>&1 || true; fi
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- InfluxDB on the host's loopback ----------------------------------------------------------
info "starting InfluxDB"
bash "$REPO/scripts/influxdb-test-server.sh" start >"$WORK/influx.env"
INFLUXD_PID=$(sed -n 's/^INFLUXD_PID=//p' "$WORK/influx.env")
INFLUXDB_URL=$(sed -n 's/^INFLUXDB_URL=//p' "$WORK/influx.env")
INFLUXDB_TOKEN=$(sed -n 's/^INFLUXDB_TOKEN=//p' "$WORK/influx.env")
INFLUXDB_ORG=$(sed -n 's/^INFLUXDB_ORG=//p' "$WORK/influx.env")
INFLUXDB_BUCKET=$(sed -n 's/^INFLUXDB_BUCKET=//p' "$WORK/influx.env")
if [ -z "$INFLUXDB_URL" ] || [ -z "$INFLUXDB_TOKEN" ]; then die "influxdb-test-server.sh start gave no URL/token"; fi
# The daemon gets a host name, not an IP: name resolution must work inside the unit's sandbox.
DAEMON_URL=${INFLUXDB_URL/127.0.0.1/localhost}
# The token goes to curl through a header file, not its argv.
printf 'Authorization: Token %s\n' "$INFLUXDB_TOKEN" >"$WORK/auth-header"
chmod 600 "$WORK/auth-header"

flux() { # flux QUERY: CSV result of a Flux query
  curl -fsS -X POST "$INFLUXDB_URL/api/v2/query?org=$INFLUXDB_ORG" -H @"$WORK/auth-header" \
    -H 'Content-Type: application/vnd.flux' -H 'Accept: application/csv' --data-binary "$1"
}
flux_count() { # flux_count FILTER: number of rows matching a filter (0 when none)
  local n
  n=$(flux "import \"strings\" from(bucket: \"$INFLUXDB_BUCKET\") |> range(start: -30d) |> filter(fn: (r) => $1) |> group() |> count()" \
    | tr -d '\r' | awk -F, 'NR > 1 && NF > 1 { v = $NF } END { print v + 0 }')
  echo "${n:-0}"
}
LOGS_HERE="r._measurement == \"ollama_logs\" and r._field == \"message\" and r.host == \"$HOSTNAME_IN\""

# ---- the release as shipped: `npm pack`'s tarball (runtime, bundled production node_modules, scripts) --
info "staging the release (npm pack, unpacked)"
REL=$WORK/release
mkdir -p "$REL"
(cd "$REPO" && npm pack --pack-destination "$WORK" --silent >"$WORK/pack.name") || die "npm pack failed"
tar xzf "$WORK/$(cat "$WORK/pack.name")" -C "$REL" --strip-components=1 || die "cannot unpack the release"

# ---- boot -----------------------------------------------------------------------------------------
ROOTFS=$(bash "$E2E/rootfs.sh")
info "booting $ROOTFS"
systemd-nspawn -D "$ROOTFS" -b --register=no --keep-unit --volatile=overlay --console=passive \
  --bind-ro="$NODE_BIN:/usr/bin/node" --bind-ro="$REL:/srv/release" --bind-ro="$E2E:/srv/e2e" \
  --bind-ro="$REPO/test/support:/srv/support" --bind-ro="$OLLAMA_BIN:/srv/ollama/ollama" \
  >"$WORK/nspawn.log" 2>&1 &
NSPAWN_PID=$!
LEADER=''
for _ in $(seq 1 100); do
  LEADER=$(pgrep -P "$NSPAWN_PID" | head -n1 || true)
  [ -n "$LEADER" ] && [ "$(cat "/proc/$LEADER/comm" 2>/dev/null)" = systemd ] && break
  kill -0 "$NSPAWN_PID" 2>/dev/null || { cat "$WORK/nspawn.log"; die "systemd-nspawn exited"; }
  sleep 0.1
done
[ -n "$LEADER" ] || die "no container init process under systemd-nspawn"

# cx CMD...: run CMD as root inside the container with a clean environment.
cx() {
  nsenter --target "$LEADER" --mount --uts --ipc --pid -r -w \
    env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 TERM=dumb "$@"
}
for _ in $(seq 1 300); do cx test -S /run/systemd/private 2>/dev/null && break; sleep 0.1; done
state=$(cx timeout 60 systemctl is-system-running --wait 2>/dev/null || true)
case $state in
  running | degraded) info "container up ($state) in $(($(date +%s) - STARTED_AT))s" ;;
  *) cx systemctl --failed --no-pager || true; die "container did not boot (state: $state)" ;;
esac

wait_for() { # wait_for SECONDS CMD...: poll CMD every second until it succeeds
  local deadline=$(($(date +%s) + $1))
  shift
  until "$@"; do
    [ "$(date +%s)" -lt "$deadline" ] || return 1
    sleep 1
  done
}
svc_prop() { cx systemctl show -p "$1" --value ollama-influx.service; }
journal_count() { cx journalctl -u ollama -o json --all --no-pager | wc -l; }
influx_logs_count() { flux_count "$LOGS_HERE"; }
counts_equal() { [ "$(influx_logs_count)" = "$(journal_count)" ]; }
rows_grow_past() { [ "$(influx_logs_count)" -gt "$1" ]; }
service_active() { cx systemctl is-active --quiet ollama-influx; }
# entries_read: the running daemon's ollama_influx_entries_read_total (empty until /metrics answers).
entries_read() {
  cx node -e 'fetch("http://127.0.0.1:9464/metrics").then((r) => r.text()).then((t) => { const m = /^ollama_influx_entries_read_total (\d+)$/m.exec(t); if (m) console.log(m[1]); }, () => {})'
}
metrics_up() { [ -n "$(entries_read)" ]; }
# shipped_exactly BEFORE_ROWS: the rows grew past BEFORE_ROWS, and rows == journal lines.
shipped_exactly() { local rows; rows=$(influx_logs_count); [ "$rows" -gt "$1" ] && [ "$rows" = "$(journal_count)" ]; }
ollama_listening() { cx journalctl -u ollama -o cat --no-pager | grep -c 'Listening on' || true; }
ollama_listening_past() { [ "$(ollama_listening)" -gt "$1" ]; }
started_count() { cx journalctl -u ollama-influx -o cat --no-pager | grep -cF '"msg":"started"' || true; }
started_since() { [ "$(started_count)" -gt "$1" ]; }
# grep reads all of it (no -q): an early exit would SIGPIPE journalctl, and pipefail would call that a miss.
service_log_has() { cx journalctl -u ollama-influx -o cat --no-pager | grep -F -- "$1" >/dev/null; }
ollama_logs_gin() { [ "$(cx journalctl -u ollama -o cat --no-pager | grep -c '^\[GIN\]')" -ge 3 ]; }
daemon_in_journal_group() { # the running daemon's supplementary groups include systemd-journal
  cx sh -c 'gid=$(getent group systemd-journal | cut -d: -f3)
    pid=$(systemctl show -p MainPID --value ollama-influx)
    sed -n "s/^Groups:[[:space:]]*//p" "/proc/$pid/status" | tr " " "\n" | grep -qx "$gid"'
}
daemon_not_in_journal_group() { ! daemon_in_journal_group; }
inventory_has() { # inventory_has MODEL_NAME [SHA256]
  local filter="r._measurement == \"ollama_model_inventory\" and r._field == \"sha256\" and r.host == \"$HOSTNAME_IN\" and r.model_name == \"$1\""
  [ -z "${2:-}" ] || filter="$filter and r._value == \"$2\""
  [ "$(flux_count "$filter")" -ge 1 ]
}
run_install() { cx bash /srv/release/install.sh "$@" >>"$WORK/install.log" 2>&1; }
show_install_log() { sed 's/^/    | /' "$WORK/install.log" | tail -n 30; }

# ---- an Ollama host: a real ollama as the official installer sets it up, models, traffic ----------------
info "setting up a real ollama.service ($("$OLLAMA_BIN" -v 2>&1 | sed -n 's/.*client version is //p'))"
OLLAMA_PORT=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
cx sh /srv/e2e/real-ollama/install.sh /srv/ollama/ollama "$OLLAMA_PORT"
# Many origins make the `server config` line longer than 4096 bytes, as on hosts with many OLLAMA_*
# and proxy variables: journalctl replaces such fields by null unless given --all.
cx sh -c "printf '[Service]\nEnvironment=OLLAMA_ORIGINS=http://%s.example\n' $(head -c 3600 /dev/zero | tr '\0' x) \
  >/etc/systemd/system/ollama.service.d/long-origins.conf"
cx systemctl daemon-reload
cx systemctl enable --now --quiet ollama.service
cx sh /srv/e2e/real-ollama/models.sh "$OLLAMA_PORT" || die "creating models on the real ollama failed"
# A name from another registry, as `ollama pull hf.co/…` leaves it, for the same blob as tiny-a.
cx env OLLAMA_HOST="127.0.0.1:$OLLAMA_PORT" ollama cp tiny-a hf.co/unsloth/Qwen3-8B-GGUF:Q4_K_M >/dev/null
TINY_A_SHA256=$(cx sha256sum /tmp/models/a.gguf | cut -d' ' -f1)
# Steady traffic so the shipper always has something new to read (gin logs every request).
cx systemd-run --quiet --unit=e2e-traffic node -e \
  "setInterval(() => fetch('http://127.0.0.1:$OLLAMA_PORT/api/tags').catch(() => {}), 2000)"
wait_for 15 ollama_logs_gin || die "the real ollama.service does not log"

# ---- the unit's exposure score (host side, offline) -------------------------------------------------
mkdir -p "$WORK/analyze/ollama-influx.service.d"
cp "$REPO/systemd/ollama-influx.service" "$WORK/analyze/"
group_score=$(systemd-analyze security --offline=true "$REPO/systemd/ollama-influx.service" 2>/dev/null \
  | sed -n 's/.*Overall exposure level for ollama-influx.service: \([0-9.]*\).*/\1/p')
cp "$REPO/systemd/journal-access-sudo.conf" "$WORK/analyze/ollama-influx.service.d/"
sudo_score=$(systemd-analyze security --offline=true "$WORK/analyze/ollama-influx.service" 2>/dev/null \
  | sed -n 's/.*Overall exposure level for ollama-influx.service: \([0-9.]*\).*/\1/p')
check "group mode exposure $group_score <= 2.0 (systemd-analyze security --offline=true)" \
  awk -v s="$group_score" 'BEGIN { exit !(s != "" && s <= 2.0) }'
info "sudo mode exposure: $sudo_score (documented trade-off)"

# ---- --dry-run and --root change nothing on the host --------------------------------------------------
run_install --dry-run --url "$DAEMON_URL" --token-file - --org "$INFLUXDB_ORG" --bucket "$INFLUXDB_BUCKET" <<<"$INFLUXDB_TOKEN" \
  || { show_install_log; fail "install.sh --dry-run"; }
check "--dry-run changes nothing" cx sh -c '! getent passwd ollama-influx && [ ! -e /opt/ollama-influx ] && [ ! -e /etc/ollama-influx ] && [ ! -e /etc/systemd/system/ollama-influx.service ]'
check "--dry-run never prints the token" sh -c "! grep -qF -- '$INFLUXDB_TOKEN' '$WORK/install.log'"
run_install --root /tmp/stage --journal-access sudo --url "$DAEMON_URL" --token-file - --org "$INFLUXDB_ORG" --bucket "$INFLUXDB_BUCKET" <<<"$INFLUXDB_TOKEN" \
  || { show_install_log; fail "install.sh --root"; }
check "--root stages unit, config, sudoers, wrapper, runtime under DIR and nothing outside" cx sh -c '
  for f in etc/systemd/system/ollama-influx.service etc/systemd/system/ollama-influx.service.d/journal-access-sudo.conf \
    etc/ollama-influx/config.env etc/sudoers.d/ollama-influx usr/local/libexec/ollama-influx/journalctl-ollama \
    etc/sysusers.d/ollama-influx.conf opt/ollama-influx/bin/ollama-influx opt/ollama-influx/dist/cli/main.js; do
    [ -e "/tmp/stage/$f" ] || { echo "missing $f"; exit 1; }
  done
  [ ! -e /tmp/stage/opt/ollama-influx/config.env.example ] && [ ! -e /tmp/stage/opt/ollama-influx/test ] &&
  [ ! -d /tmp/stage/opt/ollama-influx/node_modules/vitest ] && ! getent passwd ollama-influx && [ ! -e /opt/ollama-influx ]'
cx rm -rf /tmp/stage

# ---- install in sudo mode -----------------------------------------------------------------------------
info "install.sh --journal-access sudo (token from stdin)"
: >"$WORK/install.log"
if run_install --journal-access sudo --url "$DAEMON_URL" --token-file - --org "$INFLUXDB_ORG" --bucket "$INFLUXDB_BUCKET" <<<"$INFLUXDB_TOKEN"; then
  pass "install.sh --journal-access sudo"
else
  show_install_log
  fail "install.sh --journal-access sudo"
fi
check "service user ollama-influx exists, no login shell" cx sh -c 'getent passwd ollama-influx | grep -q ":/usr/sbin/nologin$"'
check "config.env is 0640 root:ollama-influx" test "$(cx stat -c '%a %U:%G' /etc/ollama-influx/config.env)" = "640 root:ollama-influx"
check "sudoers rule is 0440 root:root and passes visudo -c" cx sh -c '[ "$(stat -c "%a %U:%G" /etc/sudoers.d/ollama-influx)" = "440 root:root" ] && visudo -cf /etc/sudoers.d/ollama-influx >/dev/null && visudo -c >/dev/null'
check "service is active (sudo mode)" wait_for 10 service_active
check "service user is not in systemd-journal in sudo mode" daemon_not_in_journal_group
check "without sudo, the service user cannot read the Ollama journal" cx sh -c \
  '[ "$(runuser -u ollama-influx -- journalctl -u ollama -o json --no-pager 2>/dev/null | wc -l)" = 0 ]'
check "lines arrive in ollama_logs with host=$HOSTNAME_IN (sudo mode)" wait_for 60 rows_grow_past 5
check "the long 'server config' line (> 4096 bytes) arrives whole" \
  test "$(flux_count "$LOGS_HERE and strings.containsStr(v: r._value, substr: \"server config\") and strings.strlen(v: r._value) > 4096")" -ge 1
check "no ollama_logs rows with another host tag" test "$(flux_count "r._measurement == \"ollama_logs\" and r._field == \"message\" and r.host != \"$HOSTNAME_IN\"")" = 0

# sudo -u ollama-influx sudo -n …: exactly one command shape is allowed.
WRAPPER=/usr/local/libexec/ollama-influx/journalctl-ollama
as_service() { cx sudo -u ollama-influx sudo -n "$@"; }
refused() { # refused DESCRIPTION ARGS...: the service user's sudo call must fail and print nothing on stdout
  local desc=$1 out
  shift
  if out=$(as_service "$@" 2>"$WORK/refusal.err"); then
    fail "sudo mode refuses $desc (it was allowed)"
  elif [ -n "$out" ]; then
    fail "sudo mode refuses $desc (it printed output)"
  else
    pass "sudo mode refuses $desc: $(head -n1 "$WORK/refusal.err")"
  fi
}
refused "another unit" $WRAPPER -u systemd-journald -o json --all --no-pager
refused "another unit via --unit=" $WRAPPER --unit=ssh.service -o json --all --no-pager
refused "two units" $WRAPPER -u ollama -u systemd-journald -o json --all --no-pager
refused "--file" $WRAPPER -u ollama -o json --all --no-pager --file=/var/log/journal/x/system.journal
refused "-D / --directory" $WRAPPER -u ollama -o json --all --no-pager -D /tmp
refused "a pager (no --no-pager)" $WRAPPER -u ollama -o json --all
refused "--pager-end" $WRAPPER -u ollama -o json --all --no-pager --pager-end
refused "setting SYSTEMD_PAGER through sudo" SYSTEMD_PAGER=/bin/sh $WRAPPER -u ollama -o json --all --no-pager
refused "--vacuum-size" $WRAPPER -u ollama -o json --all --no-pager --vacuum-size=1K
refused "--vacuum-time" $WRAPPER --vacuum-time=1s
refused "--rotate" $WRAPPER -u ollama -o json --no-pager --rotate
refused "--follow" $WRAPPER -u ollama -o json --all --no-pager -f
refused "output other than json" $WRAPPER -u ollama -o export --all --no-pager
refused "--since other than @EPOCH" $WRAPPER -u ollama -o json --all --no-pager --since=yesterday
refused "a cursor with shell characters" $WRAPPER -u ollama -o json --all --no-pager '--cursor=s=1;$(id)'
refused "--output-fields with odd characters" $WRAPPER -u ollama -o json --no-pager '--output-fields=MESSAGE,*'
refused "journalctl itself" /usr/bin/journalctl -u ollama -o json --no-pager
refused "a shell" /bin/sh -c id
check "the vacuum attempts left the journal intact" test "$(journal_count)" -gt 5
allowed_out=$(as_service $WRAPPER -u ollama -o json --all --no-pager --output-fields=MESSAGE,_PID --since=@0 2>"$WORK/allowed.err" || true)
check "sudo mode allows the daemon's command (-u ollama -o json --all --no-pager --output-fields=MESSAGE,_PID --since=@0)" \
  test "$(printf '%s\n' "$allowed_out" | grep -c '"MESSAGE"')" -gt 5
cursor=$(printf '%s\n' "$allowed_out" | sed -n '3s/.*"__CURSOR" *: *"\([^"]*\)".*/\1/p')
check "sudo mode allows --cursor=<a real cursor>" \
  test "$(as_service $WRAPPER -u ollama -o json --all --no-pager --output-fields=MESSAGE,_PID "--cursor=${cursor:-none}" 2>/dev/null | grep -c MESSAGE)" -gt 3
cx journalctl --no-pager -o cat _COMM=sudo >"$WORK/sudo-journal.log" 2>/dev/null || true
service_uid=$(cx id -u ollama-influx)
check "allowed runs leave no sudo log line or PAM session in the journal" sh -c \
  "! grep -q -e 'COMMAND=$WRAPPER -u ollama -o json --all --no-pager --output-fields' -e 'session opened for user root.* by (uid=$service_uid)' '$WORK/sudo-journal.log'"

# ==== hardening (issue 9, items 8 and 9): sudo-mode fields and inventory, install.sh's file care ====
# Kept as one block; it leaves the install as it found it (sudo mode, config.env unchanged).
fails() { ! "$@"; }
fields_out=$(as_service $WRAPPER -u ollama -o json --all --no-pager --since=@0 2>/dev/null || true)
check "sudo mode: asked for no --output-fields, the wrapper still gives journalctl exactly MESSAGE,_PID" sh -c \
  '[ "$(printf "%s\n" "$1" | grep -c "\"MESSAGE\"")" -gt 5 ] && ! printf "%s\n" "$1" | grep -q -e "\"_CMDLINE\"" -e "\"_SYSTEMD_UNIT\"" -e "\"_EXE\""' _ "$fields_out"
refused "--output-fields naming a coredump field" $WRAPPER -u ollama -o json --all --no-pager --output-fields=MESSAGE,_PID,COREDUMP_ENVIRON
refused "the old models-dir lookup shape (-o cat --grep)" $WRAPPER -u ollama -o cat --no-pager --all -n 1 --grep 'server config'
check "sudo mode: the drop-in runs sudo by its path" cx grep -qx 'Environment="JOURNALCTL_COMMAND=/usr/bin/sudo -n /usr/local/libexec/ollama-influx/journalctl-ollama"' \
  /etc/systemd/system/ollama-influx.service.d/journal-access-sudo.conf
# ollama.service sets no OLLAMA_MODELS: the models dir comes from the `server config` log line, read through sudo.
check "sudo mode: the inventory found the models dir from the server config line (read through the wrapper)" \
  wait_for 30 service_log_has '"source":"server-config-log"'
check "sudo mode: inventory has tiny-a:latest with its sha256" \
  wait_for 30 inventory_has tiny-a:latest "$TINY_A_SHA256"

hardening_sum=$(cx sha256sum /etc/ollama-influx/config.env)
cx chmod 0644 /etc/ollama-influx/config.env
cx chown root:root /etc/ollama-influx/config.env
cx chown nobody:nogroup /usr/local/libexec/ollama-influx
: >"$WORK/install.log"
if run_install --journal-access sudo </dev/null; then pass "install.sh again over a loosened config.env"; else show_install_log; fail "install.sh again over a loosened config.env"; fi
check "install.sh set the existing config.env to 0640 root:ollama-influx" \
  test "$(cx stat -c '%a %U:%G' /etc/ollama-influx/config.env)" = "640 root:ollama-influx"
check "install.sh said so" grep -qF 'set /etc/ollama-influx/config.env to 0640 root:ollama-influx (was 644 root:root)' "$WORK/install.log"
check "install.sh kept config.env's content" test "$(cx sha256sum /etc/ollama-influx/config.env)" = "$hardening_sum"
check "the wrapper's directory is root-owned again" test "$(cx stat -c '%U:%G %a' /usr/local/libexec/ollama-influx)" = "root:root 755"

cx mv /etc/ollama-influx/config.env /root/config.env.real
cx ln -s /root/config.env.real /etc/ollama-influx/config.env
: >"$WORK/install.log"
check "install.sh refuses a symlinked config.env" fails run_install --journal-access sudo
check "... naming it" grep -qF '/etc/ollama-influx/config.env is a symbolic link' "$WORK/install.log"
cx rm /etc/ollama-influx/config.env
cx mv /root/config.env.real /etc/ollama-influx/config.env
cx mv /var/lib/ollama-influx /var/lib/ollama-influx.real
cx ln -s /var/lib/ollama-influx.real /var/lib/ollama-influx
: >"$WORK/install.log"
check "install.sh refuses a symlinked state directory" fails run_install --journal-access sudo
cx rm /var/lib/ollama-influx
cx mv /var/lib/ollama-influx.real /var/lib/ollama-influx

: >"$WORK/install.log"
check "install.sh refuses settings the daemon's own config check refuses (a URL with a space)" fails \
  run_install --dry-run --url 'http://influx host:8086' --token e2e-token --org o --bucket b
check "... with the daemon's message" grep -qF "the settings do not pass the daemon's config check: INFLUXDB_URL" "$WORK/install.log"
: >"$WORK/install.log"
check "install.sh refuses a URL with user:password@" fails \
  run_install --dry-run --url 'http://admin:e2e-s3cret@influx:8086' --token e2e-token --org o --bucket b
check "... and never prints the password" sh -c '! grep -q e2e-s3cret "$1" && grep -qF "http://***@influx:8086" "$1"' _ "$WORK/install.log"
cx systemctl restart ollama-influx
check "service is active again after the hardening checks" wait_for 10 service_active
# ==== end of the hardening block ==================================================================

# Edit config.env like an operator: poll faster so the rest of the test is quick.
cx sh -c 'printf "\n# e2e: poll faster\nPOLL_INTERVAL=2s\n" >>/etc/ollama-influx/config.env'
cx systemctl restart ollama-influx
config_sum=$(cx sha256sum /etc/ollama-influx/config.env)
cx touch /var/lib/ollama-influx/e2e-marker

# ---- switch to group mode with sudo removed; upgrade keeps config and state ---------------------------
info "removing sudo, re-running install.sh --journal-access group (no credentials: keeps config.env)"
# sudo's prerm refuses when root has no password unless told otherwise.
cx env DEBIAN_FRONTEND=noninteractive SUDO_FORCE_REMOVE=yes dpkg --purge sudo >/dev/null 2>&1 || fail "dpkg --purge sudo"
check "sudo is gone from the container" cx sh -c '! command -v sudo'
before_switch=$(influx_logs_count)
: >"$WORK/install.log"
if run_install --journal-access group </dev/null; then pass "install.sh --journal-access group (upgrade)"; else show_install_log; fail "install.sh --journal-access group (upgrade)"; fi
check "upgrade kept config.env byte for byte" test "$(cx sha256sum /etc/ollama-influx/config.env)" = "$config_sum"
check "upgrade kept the state dir" cx test -f /var/lib/ollama-influx/e2e-marker
check "upgrade kept the cursor" cx test -s /var/lib/ollama-influx/cursor.json
check "group mode removed the sudoers rule, the wrapper and the sudo drop-in" cx sh -c \
  '[ ! -e /etc/sudoers.d/ollama-influx ] && [ ! -e /usr/local/libexec/ollama-influx ] && [ ! -e /etc/systemd/system/ollama-influx.service.d/journal-access-sudo.conf ]'
check "service is active (group mode, no sudo installed)" wait_for 10 service_active
check "service user has systemd-journal in group mode" daemon_in_journal_group
check "new lines keep arriving in group mode" wait_for 30 rows_grow_past "$before_switch"
check "inventory: tiny-a:latest with its sha256 and host=$HOSTNAME_IN" \
  wait_for 30 inventory_has tiny-a:latest "$TINY_A_SHA256"
check "inventory: hf.co/unsloth/Qwen3-8B-GGUF:Q4_K_M, the same blob" inventory_has hf.co/unsloth/Qwen3-8B-GGUF:Q4_K_M "$TINY_A_SHA256"

oi_check() { cx /opt/ollama-influx/bin/ollama-influx check --config /etc/ollama-influx/config.env >"$WORK/check.out" 2>&1; }
if oi_check; then pass "ollama-influx check passes on the installed host"; else fail "ollama-influx check passes on the installed host"; fi
sed 's/^/    | /' "$WORK/check.out"

# ---- the token stays out of argv, environment, unit files and logs -----------------------------------------
main_pid=$(svc_prop MainPID)
check "token not in the daemon's argv or environment" cx sh -c \
  "! tr '\\0' '\\n' </proc/$main_pid/cmdline | grep -qF -- '$INFLUXDB_TOKEN' && ! tr '\\0' '\\n' </proc/$main_pid/environ | grep -qF -- '$INFLUXDB_TOKEN'"
check "token not in unit files, the journal or other files under /etc /opt /var/lib" cx sh -c \
  "! systemctl cat ollama-influx | grep -qF -- '$INFLUXDB_TOKEN' && ! journalctl --no-pager -o cat | grep -qF -- '$INFLUXDB_TOKEN' &&
   [ \"\$(grep -rlF -- '$INFLUXDB_TOKEN' /etc /opt /var/lib /usr/local 2>/dev/null)\" = /etc/ollama-influx/config.env ]"

# ---- restart adds no duplicates ----------------------------------------------------------------------------
info "stopping ollama so its journal is fixed, then restarting the shipper"
cx systemctl stop ollama.service
if wait_for 60 counts_equal; then
  pass "every journal line of the ollama unit is in InfluxDB exactly once ($(journal_count) lines)"
else
  fail "InfluxDB has $(influx_logs_count) rows for $(journal_count) journal lines"
fi
cx systemctl restart ollama-influx
check "the restarted daemon serves /metrics" wait_for 30 metrics_up
# New lines after the restart (ollama starting again): the daemon must ship exactly those, resuming at
# its cursor. Rows == journal lines alone cannot tell (keys are idempotent, a re-read adds no rows):
# what it read since the restart must be the new lines only.
before_restart=$(influx_logs_count)
listening=$(ollama_listening)
cx systemctl start ollama.service
wait_for 30 ollama_listening_past "$listening" || fail "ollama.service did not start again"
# read_only_new BEFORE_ROWS: rows == journal lines, and the daemon read just the lines past BEFORE_ROWS.
read_only_new() { local lines; lines=$(journal_count); [ "$(influx_logs_count)" = "$lines" ] && [ "$(entries_read)" = "$((lines - $1))" ]; }
if wait_for 60 read_only_new "$before_restart"; then
  pass "after systemctl restart the daemon resumed at its cursor: it read only the $(($(journal_count) - before_restart)) new lines, each in InfluxDB once ($before_restart -> $(influx_logs_count) rows)"
else
  fail "after systemctl restart: read $(entries_read) entries; $(influx_logs_count) rows for $(journal_count) journal lines (were $before_restart)"
fi

# ---- journalctl -u ollama-influx shows what it does ------------------------------------------------------
check "journalctl -u ollama-influx shows the start line" service_log_has '"msg":"started"'
check "journalctl -u ollama-influx shows summary lines (once a minute)" wait_for 75 service_log_has '"msg":"summary"'

# ---- a config error stops it without a restart loop ------------------------------------------------------------
info "breaking config.env (POLL_INTERVAL=banana)"
cx cp -p /etc/ollama-influx/config.env /root/config.env.good
cx sh -c 'printf "POLL_INTERVAL=banana\n" >>/etc/ollama-influx/config.env'
cx systemctl restart ollama-influx || true
sleep 1
restarts_before=$(svc_prop NRestarts)
sleep 8 # longer than RestartSec=5s: a restart loop would have begun
check "config error: unit failed with exit status 78" \
  test "$(svc_prop ActiveState) $(svc_prop Result) $(svc_prop ExecMainStatus)" = "failed exit-code 78"
check "config error: no automatic restart (NRestarts stays $restarts_before)" test "$(svc_prop NRestarts)" = "$restarts_before"
check "config error: a line naming the key in journalctl -u ollama-influx" service_log_has 'POLL_INTERVAL must be'
cx cp -p /root/config.env.good /etc/ollama-influx/config.env
starts=$(started_count)
cx systemctl restart ollama-influx
check "fixed config: running again" wait_for 15 started_since "$starts"

# ---- uninstall, then --purge -------------------------------------------------------------------------------------
info "uninstall.sh"
if cx bash /srv/release/uninstall.sh >"$WORK/uninstall.log" 2>&1; then pass "uninstall.sh"; else sed 's/^/    | /' "$WORK/uninstall.log"; fail "uninstall.sh"; fi
check "uninstall removed the service, unit, drop-ins, sudoers rule, wrapper and /opt/ollama-influx" cx sh -c \
  '! systemctl cat ollama-influx.service >/dev/null 2>&1 && [ ! -e /etc/systemd/system/ollama-influx.service ] &&
   [ ! -e /etc/systemd/system/ollama-influx.service.d ] && [ ! -e /etc/sudoers.d/ollama-influx ] &&
   [ ! -e /usr/local/libexec/ollama-influx ] && [ ! -e /opt/ollama-influx ] && ! pgrep -u ollama-influx >/dev/null'
check "uninstall kept config, state and user" cx sh -c \
  '[ -f /etc/ollama-influx/config.env ] && [ -f /var/lib/ollama-influx/cursor.json ] && getent passwd ollama-influx >/dev/null'
if cx bash /srv/release/uninstall.sh --purge >"$WORK/uninstall.log" 2>&1; then pass "uninstall.sh --purge"; else sed 's/^/    | /' "$WORK/uninstall.log"; fail "uninstall.sh --purge"; fi
check "--purge removed config, state, sysusers entry, user and group" cx sh -c \
  '[ ! -e /etc/ollama-influx ] && [ ! -e /var/lib/ollama-influx ] && [ ! -e /etc/sysusers.d/ollama-influx.conf ] &&
   ! getent passwd ollama-influx && ! getent group ollama-influx'

# ---- a fresh group-mode install (token as a flag) on the purged host re-reads without duplicates ------------------
info "fresh install.sh (group mode, --token) after the purge"
# Lines logged while nothing ships: ollama restarts, then stops so the journal holds still.
listening=$(ollama_listening)
cx systemctl restart ollama.service
wait_for 30 ollama_listening_past "$listening" || fail "ollama.service did not restart"
cx systemctl stop ollama.service
before_fresh=$(influx_logs_count)
check "ollama logged lines while the shipper was purged ($before_fresh rows, $(journal_count) journal lines)" \
  test "$(journal_count)" -gt "$before_fresh"
: >"$WORK/install.log"
if run_install --url "$DAEMON_URL" --token "$INFLUXDB_TOKEN" --org "$INFLUXDB_ORG" --bucket "$INFLUXDB_BUCKET" </dev/null; then
  pass "fresh install.sh in group mode"
else
  show_install_log
  fail "fresh install.sh in group mode"
fi
check "service is active after the fresh install" wait_for 10 service_active
# The first poll (default POLL_INTERVAL=10s) starts at the newest point the bucket holds for this host.
check "the fresh install ships the lines logged while it was purged, exactly once" wait_for 60 shipped_exactly "$before_fresh"
check "... resuming at the newest stored point, not re-reading the journal ($(entries_read) of $(journal_count) entries read)" \
  test "$(entries_read)" -lt "$(journal_count)"
cx bash /srv/release/uninstall.sh --purge >/dev/null 2>&1 || true

elapsed=$(($(date +%s) - STARTED_AT))
echo "exposure: group mode $group_score, sudo mode $sudo_score"
if [ "$failures" -eq 0 ]; then
  echo "e2e: all checks passed in ${elapsed}s"
else
  echo "e2e: $failures check(s) FAILED (${elapsed}s)"
  exit 1
fi
