#!/usr/bin/env bash
# A real Ollama (built from source by scripts/ollama-test-server.sh) as the real ollama.service under
# systemd in the e2e container, driven through a scripted scenario (real-ollama/scenario.mjs) with
# default logging and with OLLAMA_DEBUG=1, on each version. For each run it saves
#   OUT/<version>-<mode>/journal.export.gz   journalctl -u ollama -o export of the run
#   OUT/<version>-<mode>/truth.json          ground truth from outside the logs (processes, /api/ps, client)
#   OUT/<version>-<mode>/ollama-list.txt     what `ollama list` printed
#   OUT/<version>-<mode>/models.tar.gz       the models dir, model blobs emptied (sizes in blob-sizes.txt)
# and then checks the timeline built from the captured journal against the truth (timeline-check.mjs).
#
#   bash test/e2e/real-ollama.sh [--out DIR] [VERSION...]     (root; default versions: both pinned)
# shellcheck disable=SC2016
set -euo pipefail

REPO=$(cd "$(dirname "$0")/../.." && pwd)
E2E=$REPO/test/e2e
OUT=''
if [ "${1:-}" = --out ]; then OUT=$2; shift 2; fi
read -r -a VERSIONS <<<"${*:-$(bash "$REPO/scripts/ollama-test-server.sh" versions)}"
MODES=(${REAL_OLLAMA_MODES:-default debug})
KEEP_ALIVE=5s
MODELS=/usr/share/ollama/.ollama/models

die() { printf 'FAIL: %s\n' "$*"; exit 1; }
info() { printf '  .. %s\n' "$*"; }
[ "$(id -u)" = 0 ] || die "the real-Ollama e2e boots a container: run it as root"

declare -A BIN
for v in "${VERSIONS[@]}"; do BIN[$v]=$(bash "$REPO/scripts/ollama-test-server.sh" build "$v"); done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/ollama-influx-real.XXXXXX")
OUT=${OUT:-$WORK/captures}
# shellcheck source=test/e2e/container.sh
. "$E2E/container.sh"
cleanup() {
  local rc=$?
  stop_container
  [ -n "${E2E_KEEP:-}" ] || rm -rf "$WORK/bin"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$WORK/bin"
for v in "${VERSIONS[@]}"; do mkdir -p "$WORK/bin/$v" && cp "${BIN[$v]}" "$WORK/bin/$v/ollama"; done
NODE_BIN=$(readlink -f "$(command -v node)")
info "booting the container"
boot_container --bind-ro="$NODE_BIN:/usr/bin/node" --bind-ro="$E2E:/srv/e2e" \
  --bind-ro="$REPO/test/support:/srv/support" --bind-ro="$WORK/bin:/srv/ollama" || die "container did not boot"
PORT=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
URL=http://127.0.0.1:$PORT

run_one() { # run_one VERSION MODE
  local v=$1 mode=$2 dir=$OUT/$1-$2 cursor
  info "ollama $v, $mode logging"
  mkdir -p "$dir"
  cx sh /srv/e2e/real-ollama/install.sh "/srv/ollama/$v/ollama" "$PORT" "$mode"
  sleep 1
  cursor=$(cx journalctl --no-pager -q -n 0 --show-cursor | sed -n 's/^-- cursor: //p')
  cx systemctl start ollama.service
  cx sh /srv/e2e/real-ollama/models.sh "$PORT" || die "ollama $v: creating the models"
  cx env OLLAMA_HOST="127.0.0.1:$PORT" ollama list >"$dir/ollama-list.txt"
  if ! cx env SCENARIO_KEEP_ALIVE_MS=5000 node /srv/e2e/real-ollama/scenario.mjs "$URL" /tmp/truth.json; then
    cx journalctl -u ollama --after-cursor="$cursor" --no-pager -o cat | tail -n 40
    die "ollama $v $mode: the scenario failed"
  fi
  cx cat /tmp/truth.json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const t=JSON.parse(s);t.version=process.argv[1];t.mode=process.argv[2];process.stdout.write(JSON.stringify(t,null,1)+"\n")})' "$v" "$mode" >"$dir/truth.json"
  cx journalctl -u ollama --after-cursor="$cursor" --no-pager -o export | gzip -9 >"$dir/journal.export.gz"
  # The models dir as the inventory scan sees it; model blobs emptied to keep the capture small.
  cx sh -c "cd $MODELS && find blobs -type f -printf '%s %p\n' | sort -k2" >"$dir/blob-sizes.txt"
  cx sh -c "cd $MODELS && find blobs -type f -size +100k -exec truncate -s 0 {} + && tar czf - manifests blobs" >"$dir/models.tar.gz"
  info "saved $dir ($(zcat "$dir/journal.export.gz" | grep -c '^MESSAGE=' || true) entries)"
}

for v in "${VERSIONS[@]}"; do
  for mode in "${MODES[@]}"; do run_one "$v" "$mode"; done
done
stop_container
echo "captures in $OUT"
# The timeline of what was just captured, through the product (once → InfluxDB → timeline), vs the truth.
cd "$REPO"
REAL_OLLAMA_CAPTURES=$OUT npx vitest run test/integration/real-ollama-timeline.test.ts
# Passed: the captures are only kept when asked for (--out).
[ "$OUT" != "$WORK/captures" ] || rm -rf "$WORK"
