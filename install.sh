#!/usr/bin/env bash
# Installs or upgrades ollama-influx as a systemd service. Idempotent: re-running it upgrades
# in place and keeps /etc/ollama-influx/config.env and the state in /var/lib/ollama-influx.
# Run ./install.sh --help for the options; README.md explains the two journal-access modes.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: sudo ./install.sh [options]

InfluxDB connection (needed on first install; given on an upgrade they replace the value in
the existing config.env, otherwise it is kept as it is):
  --url URL              InfluxDB base URL, e.g. http://influx:8086
  --token-file FILE      read the API token from FILE's first line ("-" reads it from stdin)
  --token TOKEN          the API token itself (visible to other local users while install.sh
                         runs: prefer --token-file or the prompt)
  --org ORG              organization name
  --bucket BUCKET        bucket name
Without them and without a config.env, install.sh asks (the token without echo).

  --unit UNIT            the Ollama systemd unit to ship (default: OLLAMA_UNIT of the existing
                         config, else "ollama")
  --journal-access MODE  "group" (default): the service user gets the systemd-journal group;
                         "sudo": journalctl runs as root through sudo and a wrapper that allows
                         only the Ollama unit's JSON output (see README). Default on an upgrade:
                         the mode already installed.
  --no-start             install but do not enable or (re)start the service
  --root DIR             stage every file under DIR (packaging, tests): no user is created,
                         no ownership changed, nothing is enabled or started
  --dry-run              print what would be done, change nothing
  -h, --help             this help
EOF
}

PREFIX=/opt/ollama-influx
CONFIG_DIR=/etc/ollama-influx
CONFIG=$CONFIG_DIR/config.env
STATE_DIR=/var/lib/ollama-influx
UNIT_FILE=/etc/systemd/system/ollama-influx.service
DROPIN_DIR=/etc/systemd/system/ollama-influx.service.d
SUDO_DROPIN=$DROPIN_DIR/journal-access-sudo.conf
NODE_DROPIN=$DROPIN_DIR/node-path.conf
SYSUSERS=/etc/sysusers.d/ollama-influx.conf
SUDOERS=/etc/sudoers.d/ollama-influx
WRAPPER_DIR=/usr/local/libexec/ollama-influx
WRAPPER=$WRAPPER_DIR/journalctl-ollama
SERVICE_USER=ollama-influx
# PATH systemd gives services; node must be found there or a drop-in adds its directory.
SYSTEMD_DEFAULT_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

SRC=$(cd "$(dirname "$0")" && pwd)

url='' token='' token_file='' org='' bucket='' unit='' access='' no_start='' root='' dry_run=''

say() { printf 'install.sh: %s\n' "$*"; }
warn() { printf 'install.sh: warning: %s\n' "$*" >&2; }
die() { printf 'install.sh: %s\n' "$*" >&2; exit 1; }

need_value() { if [ $# -lt 2 ] || [ -z "$2" ]; then die "$1 needs a value (see --help)"; fi; }

while [ $# -gt 0 ]; do
  opt=$1
  case $opt in
    --*=*) set -- "${opt%%=*}" "${opt#*=}" "${@:2}"; continue ;;
  esac
  case $opt in
    --url) need_value "$@"; url=$2; shift 2 ;;
    --token) need_value "$@"; token=$2; shift 2 ;;
    --token-file) need_value "$@"; token_file=$2; shift 2 ;;
    --org) need_value "$@"; org=$2; shift 2 ;;
    --bucket) need_value "$@"; bucket=$2; shift 2 ;;
    --unit) need_value "$@"; unit=$2; shift 2 ;;
    --journal-access) need_value "$@"; access=$2; shift 2 ;;
    --no-start) no_start=1; shift ;;
    --root) need_value "$@"; root=$2; shift 2 ;;
    --dry-run) dry_run=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) die "unknown option $opt (see --help)" ;;
  esac
done

case $access in
  '' | group | sudo) ;;
  *) die "--journal-access must be group or sudo, got \"$access\"" ;;
esac
[ -z "$token" ] || [ -z "$token_file" ] || die "give --token or --token-file, not both"
if [ -n "$root" ]; then
  case $root in /*) ;; *) root="$(pwd)/$root" ;; esac
  root=${root%/}
fi

# ---- actions: every change goes through these, so --dry-run and --root stay honest ----------

# act CMD...: run a command, or show it under --dry-run.
act() {
  if [ -n "$dry_run" ]; then printf '  would run: %s\n' "$*"; else "$@"; fi
}

# put_file TARGET MODE OWNER:GROUP < content: write atomically (temp file + rename).
# The content is never shown: it may be the config with the token.
put_file() {
  local target=$root$1 mode=$2 owner=$3 tmp
  if [ -n "$dry_run" ]; then
    printf '  would write: %s (mode %s, %s)\n' "$target" "$mode" "$owner"
    cat >/dev/null
    return
  fi
  mkdir -p "$(dirname "$target")"
  tmp=$(mktemp "$target.XXXXXX")
  # mktemp creates 0600: the content is private before the final mode is set.
  cat >"$tmp"
  chmod "$mode" "$tmp"
  [ -n "$root" ] || chown "$owner" "$tmp"
  mv -f "$tmp" "$target"
}

remove() { # remove PATH...: delete files or trees if present
  local path
  for path in "$@"; do
    if [ -e "$root$path" ] || [ -L "$root$path" ]; then act rm -rf "$root$path"; fi
  done
}

# ---- checks ----------------------------------------------------------------------------------

check_host() {
  if [ -z "$root" ] && [ -z "$dry_run" ] && [ "$(id -u)" != 0 ]; then
    die "run as root (sudo ./install.sh …), or use --root DIR / --dry-run"
  fi
  if [ -z "$root" ]; then
    [ -d /run/systemd/system ] || die "systemd is not running on this host (no /run/systemd/system)"
    command -v systemctl >/dev/null || die "systemctl not found: systemd is required"
  fi
  JOURNALCTL=$(command -v journalctl || true)
  [ -n "$JOURNALCTL" ] || die "journalctl not found: systemd's journal is required"
  NODE=$(command -v node || true)
  [ -n "$NODE" ] || die "node not found: install Node.js 20 or newer (https://nodejs.org)"
  local major
  major=$("$NODE" -p 'process.versions.node.split(".")[0]')
  [ "$major" -ge 20 ] 2>/dev/null || die "Node.js $("$NODE" --version) at $NODE is too old: 20 or newer is needed"
}

# A link or a non-directory where install.sh writes as root would redirect the write elsewhere.
refuse_links() {
  local path
  for path in "$CONFIG_DIR" "$CONFIG" "$STATE_DIR" "$PREFIX" "$WRAPPER_DIR" "$DROPIN_DIR" "$(dirname "$SUDOERS")"; do
    [ ! -L "$root$path" ] || die "$root$path is a symbolic link: refusing to write through it (remove it and run install.sh again)"
  done
  for path in "$CONFIG_DIR" "$STATE_DIR" "$WRAPPER_DIR" "$DROPIN_DIR"; do
    [ ! -e "$root$path" ] || [ -d "$root$path" ] || die "$root$path exists and is not a directory"
  done
  [ ! -e "$root$CONFIG" ] || [ -f "$root$CONFIG" ] || die "$root$CONFIG exists and is not a regular file"
}

# A URL as it may be shown: user:password@ replaced, so credentials never reach the terminal or a log.
redact_url() {
  printf '%s' "$1" | sed -E 's#^([A-Za-z][A-Za-z0-9+.-]*://)[^/@]*@#\1***@#'
}

check_ollama_unit() {
  [ -z "$root" ] || return 0
  if ! systemctl cat "${unit%.service}.service" >/dev/null 2>&1; then
    warn "systemd unit ${unit%.service}.service not found: installing anyway; nothing is shipped until it logs"
  fi
}

# ---- config.env -----------------------------------------------------------------------------

# config_value KEY FILE: the value of KEY in a dotenv file (last assignment, quotes removed).
config_value() {
  local key=$1 file=$2 line value=''
  [ -r "$file" ] || return 0
  while IFS= read -r line || [ -n "$line" ]; do
    line=${line#export }
    case $line in
      "$key="*)
        value=${line#"$key="}
        case $value in
          \'*\'*) value=${value#\'}; value=${value%%\'*} ;;
          \"*\"*) value=${value#\"}; value=${value%%\"*} ;;
          *) value=${value%%[[:space:]]#*}; value=${value%"${value##*[![:space:]]}"} ;;
        esac ;;
    esac
  done <"$file"
  printf '%s' "$value"
}

# A value written single-quoted (dotenv takes it literally); refuse what cannot be.
check_value() { # check_value FLAG VALUE
  case $2 in
    *\'* | *$'\n'* | *$'\r'*) die "$1: quotes and line breaks are not supported; edit $CONFIG by hand" ;;
  esac
}

read_token_file() {
  local line=''
  if [ "$token_file" = - ]; then
    IFS= read -r line || [ -n "$line" ] || die "--token-file -: nothing on stdin"
  else
    [ -r "$token_file" ] || die "--token-file $token_file: cannot be read"
    IFS= read -r line <"$token_file" || [ -n "$line" ] || die "--token-file $token_file: empty"
  fi
  token=${line%$'\r'}
}

prompt() { # prompt VAR LABEL [secret]
  local answer=''
  if [ -n "${3:-}" ]; then
    IFS= read -r -s -p "$2: " answer
    echo
  else
    IFS= read -r -p "$2: " answer
  fi
  [ -n "$answer" ] || die "$2 is required"
  printf -v "$1" '%s' "$answer"
}

# Fills the chosen keys into config.env.example's text: the installed file documents every key.
render_config() {
  local line key
  while IFS= read -r line || [ -n "$line" ]; do
    key=${line%%=*}
    key=${key#\# }
    case $line in
      INFLUXDB_URL=* | INFLUXDB_TOKEN=* | INFLUXDB_ORG=* | INFLUXDB_BUCKET=* | "# OLLAMA_UNIT="*)
        case $key in
          INFLUXDB_URL) printf "INFLUXDB_URL='%s'\n" "$url" ;;
          INFLUXDB_TOKEN) printf "INFLUXDB_TOKEN='%s'\n" "$token" ;;
          INFLUXDB_ORG) printf "INFLUXDB_ORG='%s'\n" "$org" ;;
          INFLUXDB_BUCKET) printf "INFLUXDB_BUCKET='%s'\n" "$bucket" ;;
          OLLAMA_UNIT) if [ "$unit" = ollama ]; then printf '%s\n' "$line"; else printf 'OLLAMA_UNIT=%s\n' "$unit"; fi ;;
        esac ;;
      *) printf '%s\n' "$line" ;;
    esac
  done <"$SRC/config.env.example"
}

# Replaces (or appends) the keys given as flags in an existing config.env; the rest is kept.
update_config() {
  local line key done_keys=' ' k v
  local -A new=()
  [ -z "$url" ] || new[INFLUXDB_URL]=$url
  [ -z "$token" ] || new[INFLUXDB_TOKEN]=$token
  [ -z "$org" ] || new[INFLUXDB_ORG]=$org
  [ -z "$bucket" ] || new[INFLUXDB_BUCKET]=$bucket
  [ -z "$unit_flag" ] || new[OLLAMA_UNIT]=$unit
  while IFS= read -r line || [ -n "$line" ]; do
    key=${line#export }
    key=${key%%=*}
    if [ "$key" = "$line" ] || [ -z "$key" ] || [[ ! $key =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]]; then
      printf '%s\n' "$line"
    elif [ -n "${new[$key]+set}" ]; then
      case $done_keys in *" $key "*) continue ;; esac
      printf "%s='%s'\n" "$key" "${new[$key]}"
      done_keys="$done_keys$key "
    elif [ -n "$token" ] && [ "$key" = INFLUXDB_TOKEN_FILE ]; then
      # A token file and a token cannot both be set: the new token wins.
      printf '# %s  (replaced by INFLUXDB_TOKEN from install.sh)\n' "$line"
    else
      printf '%s\n' "$line"
    fi
  done <"$root$CONFIG"
  for k in "${!new[@]}"; do
    case $done_keys in *" $k "*) ;; *) v=${new[$k]}; printf "%s='%s'\n" "$k" "$v" ;; esac
  done
}

# Decides what happens to config.env, asking for missing settings, before anything is changed:
# config_action is keep, update, write, skip (--root without settings) or ask (--dry-run).
collect_settings() {
  config_action='write'
  if [ -f "$root$CONFIG" ]; then
    if [ ! -r "$root$CONFIG" ]; then
      [ -n "$dry_run" ] || die "$root$CONFIG exists but cannot be read (run as root)"
      config_action=keep
      return
    fi
    [ -z "$token_file" ] || read_token_file
    if [ -z "$url$token$org$bucket$unit_flag" ]; then config_action=keep; else config_action=update; fi
    validate_settings
    return
  fi
  [ -z "$token_file" ] || read_token_file
  if [ -z "$url" ] || [ -z "$token" ] || [ -z "$org" ] || [ -z "$bucket" ]; then
    if [ -t 0 ] && [ -z "$root" ] && [ -z "$dry_run" ]; then
      [ -n "$url" ] || prompt url "InfluxDB URL (e.g. http://influx:8086)"
      [ -n "$token" ] || prompt token "InfluxDB API token (not echoed)" secret
      [ -n "$org" ] || prompt org "InfluxDB organization"
      [ -n "$bucket" ] || prompt bucket "InfluxDB bucket"
    elif [ -n "$root" ] && [ -z "$url$token$org$bucket" ]; then
      config_action=skip
    elif [ -n "$dry_run" ]; then
      config_action=ask
      return
    else
      die "no $CONFIG yet: give --url, --token-file (or --token), --org and --bucket"
    fi
  fi
  validate_settings
}

install_config() {
  local content
  case $config_action in
    keep)
      say "keeping $root$CONFIG"
      secure_existing_config ;;
    skip) say "no InfluxDB settings given: $CONFIG is not staged (copy config.env.example there)" ;;
    ask) say "would ask for the InfluxDB settings and write $root$CONFIG" ;;
    update)
      say "updating the given keys in $root$CONFIG"
      # Rendered in full before anything is written: a failure never leaves half a file.
      content=$(update_config)
      printf '%s\n' "$content" | put_file "$CONFIG" 0640 "root:$SERVICE_USER" ;;
    write)
      say "writing $root$CONFIG"
      content=$(render_config)
      printf '%s\n' "$content" | put_file "$CONFIG" 0640 "root:$SERVICE_USER" ;;
  esac
}

# An existing config.env holds the token: 0640 root:ollama-influx, whatever it was before.
secure_existing_config() {
  [ -z "$root$dry_run" ] || return 0
  local was
  was=$(stat -c '%a %U:%G' "$CONFIG")
  if [ "$was" != "640 root:$SERVICE_USER" ]; then
    chown "root:$SERVICE_USER" "$CONFIG"
    chmod 0640 "$CONFIG"
    say "set $CONFIG to 0640 root:$SERVICE_USER (was $was)"
  fi
}

# The daemon's own config check on the settings about to be installed (the same loader, the same
# one-line errors), so install.sh never installs a config.env the service would refuse with exit 78.
check_config_with_daemon() {
  local loader=$SRC/dist/config/load.js content dir status=0
  case $config_action in write | update | keep) ;; *) return 0 ;; esac
  if [ ! -f "$loader" ]; then
    [ -n "$dry_run" ] || die "$loader is missing: the build did not run"
    return 0
  fi
  case $config_action in
    write) content=$(render_config) ;;
    update) content=$(update_config) ;;
    keep) content=$(cat "$root$CONFIG") ;;
  esac
  dir=$(mktemp -d)
  # mktemp -d is 0700 and the file 0600: the token is never readable by anyone else.
  (umask 077; printf '%s\n' "$content" >"$dir/config.env")
  "$NODE" --input-type=module -e '
    const { loadConfig } = await import(process.argv[1]);
    try {
      loadConfig({ configFile: process.argv[2], env: {} });
    } catch (err) {
      console.error(err.message);
      process.exit(78);
    }' "$loader" "$dir/config.env" 2>"$dir/error" || status=$?
  if [ "$status" != 0 ]; then
    local reason
    reason=$(sed -e "s#$dir/config.env#config.env#g" "$dir/error" | head -n 1)
    rm -rf "$dir"
    die "the settings do not pass the daemon's config check: $reason"
  fi
  rm -rf "$dir"
}

validate_settings() {
  local v
  for v in "--url:$url" "--token:$token" "--org:$org" "--bucket:$bucket"; do check_value "${v%%:*}" "${v#*:}"; done
  case $url in
    '' | http://?* | https://?*) ;;
    *) die "--url must start with http:// or https://, got \"$(redact_url "$url")\"" ;;
  esac
  local authority=${url#*://}
  case ${authority%%/*} in
    *@*) die "--url must not carry user:password@ ($(redact_url "$url")): the token is the credential" ;;
  esac
  case $token in *[[:space:]]*) die "the token must not contain white space" ;; esac
  case $unit in
    '' | *[!A-Za-z0-9:_.@-]*) die "--unit must be a systemd unit name, got \"$unit\"" ;;
  esac
}

# ---- runtime files --------------------------------------------------------------------------

# A checkout (src/ present) is built when dist/ is missing or older than the sources.
build_if_needed() {
  [ -d "$SRC/src" ] || { [ -f "$SRC/dist/cli/main.js" ] || die "$SRC has neither dist/ nor src/"; return 0; }
  if [ -f "$SRC/dist/cli/main.js" ] && [ -z "$(find "$SRC/src" "$SRC/package.json" -newer "$SRC/dist/cli/main.js" -print -quit)" ]; then
    return 0
  fi
  command -v npm >/dev/null || die "dist/ is missing or older than src/ and npm is not installed to build it"
  say "building in $SRC (npm ci, npm run build)"
  if [ -n "$dry_run" ]; then
    act npm ci; act npm run build
  else
    (cd "$SRC" && npm ci --no-audit --no-fund && npm run build)
  fi
}

install_runtime() {
  local dest=$root$PREFIX stage="$root$PREFIX.new" item
  say "installing runtime files into $dest"
  if [ -n "$dry_run" ]; then
    printf '  would copy: bin dist package.json package-lock.json systemd%s%s node_modules (production only) → %s\n' \
      "$([ -d "$SRC/grafana" ] && echo ' grafana')" "$([ -f "$SRC/README.md" ] && echo ' README.md')" "$dest"
    return
  fi
  rm -rf "$stage"
  mkdir -p "$stage"
  for item in bin dist package.json package-lock.json systemd grafana README.md LICENSE; do
    [ -e "$SRC/$item" ] && cp -R "$SRC/$item" "$stage/"
  done
  if [ -d "$SRC/node_modules" ]; then
    cp -R "$SRC/node_modules" "$stage/"
    if [ ! -f "$SRC/package-lock.json" ]; then
      : # an `npm pack` release: node_modules is its bundle of production dependencies (nothing to prune, no network)
    elif command -v npm >/dev/null; then
      (cd "$stage" && npm prune --omit=dev --offline --no-audit --no-fund >/dev/null)
    else
      warn "npm not found: node_modules copied as is (development packages included)"
    fi
  else
    command -v npm >/dev/null || die "$SRC has no node_modules and npm is not installed"
    (cd "$stage" && npm ci --omit=dev --no-audit --no-fund >/dev/null)
  fi
  find "$stage/node_modules" -depth -type d -empty -delete
  chmod -R u=rwX,go=rX "$stage"
  [ -n "$root" ] || chown -R root:root "$stage"
  # Swap in the new tree; the running daemon keeps its already loaded code until the restart.
  if [ -d "$dest" ]; then
    rm -rf "$dest.old"
    mv "$dest" "$dest.old"
  fi
  mv "$stage" "$dest"
  rm -rf "$dest.old"
}

# ---- user, state, unit, journal access ------------------------------------------------------

install_user() {
  put_file "$SYSUSERS" 0644 root:root <"$SRC/systemd/sysusers.d/ollama-influx.conf"
  [ -z "$root" ] || return 0
  if getent passwd "$SERVICE_USER" >/dev/null; then return 0; fi
  if command -v systemd-sysusers >/dev/null; then
    act systemd-sysusers "$SYSUSERS"
  else
    act useradd --system --user-group --home-dir "$STATE_DIR" --no-create-home \
      --shell "$(command -v nologin || echo /usr/sbin/nologin)" --comment "Ollama journal shipper" "$SERVICE_USER"
  fi
}

install_state_dir() {
  [ ! -d "$root$STATE_DIR" ] || return 0
  if [ -n "$root" ]; then act mkdir -p "$root$STATE_DIR"; act chmod 0750 "$root$STATE_DIR"; return; fi
  act install -d -m 0750 -o "$SERVICE_USER" -g "$SERVICE_USER" "$STATE_DIR"
}

install_unit() {
  put_file "$UNIT_FILE" 0644 root:root <"$SRC/systemd/ollama-influx.service"
  local node_dir
  node_dir=$(dirname "$NODE")
  case ":$SYSTEMD_DEFAULT_PATH:" in
    *":$node_dir:"*) remove "$NODE_DROPIN" ;;
    *)
      say "node is in $node_dir, outside systemd's default PATH: adding $NODE_DROPIN"
      printf '# Written by install.sh: node is in %s.\n[Service]\nEnvironment=PATH=%s:%s\n' \
        "$node_dir" "$node_dir" "$SYSTEMD_DEFAULT_PATH" | put_file "$NODE_DROPIN" 0644 root:root ;;
  esac
}

install_journal_access() {
  if [ "$access" = group ]; then
    [ -n "$root" ] || getent group systemd-journal >/dev/null \
      || die "group systemd-journal does not exist on this host: use --journal-access sudo"
    remove "$SUDO_DROPIN" "$SUDOERS" "$WRAPPER_DIR"
    return
  fi
  if [ -z "$root" ]; then
    [ -x /usr/bin/sudo ] || die "--journal-access sudo: /usr/bin/sudo is not installed (apt-get install sudo), or use group mode"
    command -v visudo >/dev/null || die "--journal-access sudo: visudo not found"
  fi
  case $JOURNALCTL in *[!A-Za-z0-9/_.-]*) die "unexpected journalctl path $JOURNALCTL" ;; esac
  local wrapper_unit=${unit%.service} rule tmp
  rule=$(cat <<EOF
# Written by ollama-influx install.sh (--journal-access sudo). The service user may run exactly
# one program as root: the wrapper, which only lets journalctl print unit $wrapper_unit as JSON.
# The daemon runs it every POLL_INTERVAL: allowed runs are not logged and open no PAM session
# (refusals by sudo are still logged; the wrapper reports its own refusals on stderr, which
# lands in the service's journal).
Defaults!$WRAPPER !log_allowed, !pam_session
Defaults:$SERVICE_USER !requiretty
$SERVICE_USER ALL=(root) NOPASSWD: $WRAPPER
EOF
)
  if [ -n "$dry_run" ]; then
    printf '  would check the sudoers rule with visudo -cf\n'
  elif command -v visudo >/dev/null; then
    tmp=$(mktemp)
    printf '%s\n' "$rule" >"$tmp"
    if ! visudo -cf "$tmp" >/dev/null; then
      rm -f "$tmp"
      die "the sudoers rule does not pass visudo -c; nothing installed for sudo mode"
    fi
    rm -f "$tmp"
  else
    warn "visudo not found: the staged sudoers rule is not validated (validate it with visudo -cf on the target)"
  fi
  # The directory too is root's: whoever may write there could swap the wrapper sudo runs as root.
  if [ -z "$dry_run" ]; then
    mkdir -p "$root$WRAPPER_DIR"
    [ -n "$root" ] || chown root:root "$root$WRAPPER_DIR"
    chmod 0755 "$root$WRAPPER_DIR"
  fi
  sed -e "s#^UNIT=.*#UNIT=$wrapper_unit#" -e "s#^JOURNALCTL=.*#JOURNALCTL=$JOURNALCTL#" \
    "$SRC/systemd/journalctl-ollama" | put_file "$WRAPPER" 0755 root:root
  printf '%s\n' "$rule" | put_file "$SUDOERS" 0440 root:root
  if [ -z "$root$dry_run" ] && ! grep -Eq '^[@#]includedir[[:space:]]+/etc/sudoers\.d' /etc/sudoers; then
    warn "/etc/sudoers does not include /etc/sudoers.d: add \"@includedir /etc/sudoers.d\" (with visudo)"
  fi
  put_file "$SUDO_DROPIN" 0644 root:root <"$SRC/systemd/journal-access-sudo.conf"
}

check_node_for_service_user() {
  [ -z "$root" ] && [ -z "$dry_run" ] || return 0
  command -v runuser >/dev/null || return 0
  runuser -u "$SERVICE_USER" -- "$NODE" -e 0 2>/dev/null \
    || die "user $SERVICE_USER cannot run $NODE (installed under a private home, e.g. nvm?): install Node.js system-wide"
}

start_service() {
  if [ -n "$root" ]; then return 0; fi
  act systemctl daemon-reload
  if [ -n "$no_start" ]; then
    if [ -z "$dry_run" ] && systemctl is-active --quiet ollama-influx; then
      warn "ollama-influx is running the previous version: systemctl restart ollama-influx"
    fi
    say "not started (--no-start): systemctl enable --now ollama-influx"
    return 0
  fi
  act systemctl enable --quiet ollama-influx
  act systemctl reset-failed ollama-influx 2>/dev/null || true
  act systemctl restart ollama-influx
  [ -z "$dry_run" ] || return 0
  # A configuration error exits at once with status 78; give it a moment to show.
  sleep 3
  if systemctl is-active --quiet ollama-influx; then
    say "ollama-influx is running; watch it with: journalctl -u ollama-influx -f"
  else
    journalctl -u ollama-influx -n 15 --no-pager >&2 || true
    die "ollama-influx did not stay up (see above); fix $CONFIG and run: systemctl restart ollama-influx"
  fi
}

# ---- main -----------------------------------------------------------------------------------

check_host
refuse_links

# Settings that an existing install already has are kept unless given again.
unit_flag=$unit
if [ -z "$unit" ]; then
  unit=$(config_value OLLAMA_UNIT "$root$CONFIG")
  unit=${unit:-ollama}
fi
if [ -z "$access" ]; then
  if [ -f "$root$SUDO_DROPIN" ]; then access=sudo; else access=group; fi
fi
validate_settings
collect_settings
[ -z "$dry_run" ] || say "dry run: nothing is changed"
[ -d "$root$PREFIX" ] && say "upgrading the existing install in $root$PREFIX (config and state are kept)"

check_ollama_unit
build_if_needed
check_config_with_daemon
install_runtime
install_user
install_config
install_state_dir
install_unit
install_journal_access
check_node_for_service_user
start_service
say "done (journal access: $access)"
