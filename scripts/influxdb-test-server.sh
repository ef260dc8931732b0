#!/usr/bin/env bash
# A real InfluxDB 2.7 for the tests: build (cached), start on a free loopback port, onboard, stop.
#   influxdb-test-server.sh build          build influxd if it is not cached yet, print its path
#   influxdb-test-server.sh start          start a fresh server, print INFLUXDB_URL=… lines
#   influxdb-test-server.sh stop PID       stop it and remove its data
set -euo pipefail

INFLUXDB_VERSION="${INFLUXDB_VERSION:-v2.7.12}"
CACHE_DIR="${OLLAMA_INFLUX_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ollama-influx}"
INFLUXD_BIN="${INFLUXD_BIN:-$CACHE_DIR/influxd-$INFLUXDB_VERSION/influxd}"

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

die() { echo "influxdb-test-server: $*" >&2; exit 1; }

need() {
  command -v "$1" >/dev/null 2>&1 || die "$1 is missing: $2"
}

build() {
  if [ -x "$INFLUXD_BIN" ]; then echo "$INFLUXD_BIN"; return; fi
  need go "install Go >= 1.21 (https://go.dev/dl) to build influxd $INFLUXDB_VERSION"
  need cargo "install Rust with rustup (https://rustup.rs): Flux's engine libflux is Rust"
  need rustup "install Rust with rustup (https://rustup.rs): the build uses RUSTUP_TOOLCHAIN=stable"
  need gcc "install gcc (apt-get install build-essential)"
  local work
  work="$(mktemp -d "${TMPDIR:-/tmp}/influxd-build.XXXXXX")"
  echo "building influxd $INFLUXDB_VERSION in $work (cold build: tens of minutes)" >&2
  local src
  src="$(go mod download -json "github.com/influxdata/influxdb/v2@$INFLUXDB_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
  [ -n "$src" ] || die "go mod download did not give a module directory for influxdb $INFLUXDB_VERSION"
  # The module cache is read-only and influxdb's go.mod has replace lines, so build in a copy.
  cp -r "$src" "$work/influxdb"
  chmod -R u+w "$work/influxdb"
  (
    cd "$work/influxdb"
    export GOFLAGS=-mod=mod
    go build -o "$work/pkg-config" github.com/influxdata/pkg-config
    # Flux pins a Rust toolchain rustup cannot fetch offline and denies warnings newer Rust emits.
    export PKG_CONFIG="$work/pkg-config" RUSTUP_TOOLCHAIN=stable RUSTC_WRAPPER="$SCRIPT_DIR/rustc-cap-lints.sh"
    go build -tags sqlite_foreign_keys,sqlite_json -o "$work/influxd" ./cmd/influxd
  ) >&2
  mkdir -p "$(dirname "$INFLUXD_BIN")"
  mv "$work/influxd" "$INFLUXD_BIN.tmp" && mv "$INFLUXD_BIN.tmp" "$INFLUXD_BIN"
  rm -rf "$work"
  echo "$INFLUXD_BIN"
}

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

start() {
  build >/dev/null
  need curl "install curl (apt-get install curl)"
  local data port url pid org=ollama-influx-test bucket=ollama-logs token
  data="$(mktemp -d "${TMPDIR:-/tmp}/influxd-data.XXXXXX")"
  port="$(free_port)"
  url="http://127.0.0.1:$port"
  token="test-token-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  INFLUXD_BOLT_PATH="$data/influxd.bolt" INFLUXD_ENGINE_PATH="$data/engine" \
  INFLUXD_SQLITE_PATH="$data/influxd.sqlite" INFLUXD_HTTP_BIND_ADDRESS="127.0.0.1:$port" \
  INFLUXD_REPORTING_DISABLED=true INFLUXD_LOG_LEVEL=warn INFLUXD_FLUX_LOG_ENABLED=false \
    setsid "$INFLUXD_BIN" --metrics-disabled=true >"$data/influxd.log" 2>&1 </dev/null &
  pid=$!
  echo "$data" >"$data/.dir"
  ln -sfn "$data" "${TMPDIR:-/tmp}/influxd-test-$pid"
  local i
  for i in $(seq 1 300); do
    if curl -fsS "$url/health" >/dev/null 2>&1; then break; fi
    kill -0 "$pid" 2>/dev/null || { cat "$data/influxd.log" >&2; die "influxd exited during start-up"; }
    sleep 0.1
  done
  curl -fsS "$url/health" >/dev/null 2>&1 || die "influxd did not become ready on $url (log: $data/influxd.log)"
  curl -fsS -X POST "$url/api/v2/setup" -H 'Content-Type: application/json' \
    -d "{\"username\":\"admin\",\"password\":\"admin-password\",\"org\":\"$org\",\"bucket\":\"$bucket\",\"token\":\"$token\"}" \
    >/dev/null || die "onboarding failed (log: $data/influxd.log)"
  echo "INFLUXDB_URL=$url"
  echo "INFLUXDB_TOKEN=$token"
  echo "INFLUXDB_ORG=$org"
  echo "INFLUXDB_BUCKET=$bucket"
  echo "INFLUXD_PID=$pid"
}

stop() {
  local pid="${1:?usage: $0 stop PID}" link data
  link="${TMPDIR:-/tmp}/influxd-test-$pid"
  data="$(readlink "$link" 2>/dev/null || true)"
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  [ -n "$data" ] && [ -f "$data/.dir" ] && rm -rf "$data"
  rm -f "$link"
}

case "${1:-}" in
  build) build ;;
  start) start ;;
  stop) shift; stop "$@" ;;
  *) echo "usage: $0 build | start | stop PID" >&2; exit 2 ;;
esac
