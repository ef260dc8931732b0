#!/usr/bin/env bash
# A real Ollama server for the tests, built from source through the Go module proxy (cached).
#   ollama-test-server.sh build [VERSION]    build ollama VERSION (default: newest listed), print its path
#   ollama-test-server.sh versions           the versions the e2e runs: newest and oldest listed
# CPU only: a cgo `go build` of the module, as Ollama's own Go-only build does; no GPU libraries.
set -euo pipefail

CACHE_DIR="${OLLAMA_INFLUX_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ollama-influx}"
MODULE=github.com/ollama/ollama
# The versions the e2e runs (the newest and the oldest the proxy lists, pinned so CI's cache stays
# valid when a new release appears): v0.6.5 is the old llama-runner era, v0.17.4 the new engine.
DEFAULT_VERSIONS="v0.17.4 v0.6.5"
# llama.cpp vendors nlohmann/json 3.12.0; the module zip drops every `vendor` directory.
NLOHMANN_VERSION=3.12.0
MINIAUDIO_VERSION=1.71

die() { echo "ollama-test-server: $*" >&2; exit 1; }

need() {
  command -v "$1" >/dev/null 2>&1 || die "$1 is missing: $2"
}

# Put back llama.cpp's vendor headers from registries: nlohmann/json (PyPI nlohmann-json wheel),
# stb_image.h (Debian libstb-dev), miniaudio.h (PyPI miniaudio sdist). Versions before llama.cpp
# moved them under vendor/ ship them inline and need none of this.
restore_vendor() {
  local src="$1" work="$2" vendor="$1/llama/llama.cpp/vendor"
  grep -rqs 'llama.cpp/vendor\|\.\./vendor' --include='*.go' "$src/llama" || return 0
  need pip "install pip (apt-get install python3-pip): the vendor headers come from PyPI"
  [ -f /usr/include/stb/stb_image.h ] || die "stb_image.h is missing: apt-get install libstb-dev"
  mkdir -p "$work/dl" "$vendor/stb" "$vendor/miniaudio"
  pip download --quiet --no-deps -d "$work/dl" "nlohmann-json==$NLOHMANN_VERSION" >&2
  pip download --quiet --no-deps --no-binary :all: -d "$work/dl" "miniaudio==$MINIAUDIO_VERSION" >&2
  python3 - "$work/dl" "$vendor" "$MINIAUDIO_VERSION" <<'PY'
import glob, os, shutil, sys, tarfile, zipfile
dl, vendor, ma = sys.argv[1:4]
with zipfile.ZipFile(glob.glob(os.path.join(dl, "nlohmann_json-*.whl"))[0]) as z:
    prefix = "nlohmann_json/include/"
    for name in z.namelist():
        if name.startswith(prefix + "nlohmann/") and name.endswith(".hpp"):
            out = os.path.join(vendor, name[len(prefix):])
            os.makedirs(os.path.dirname(out), exist_ok=True)
            with z.open(name) as f, open(out, "wb") as o:
                shutil.copyfileobj(f, o)
with tarfile.open(os.path.join(dl, f"miniaudio-{ma}.tar.gz")) as t:
    member = t.getmember(f"miniaudio-{ma}/miniaudio/miniaudio.h")
    with t.extractfile(member) as f, open(os.path.join(vendor, "miniaudio", "miniaudio.h"), "wb") as o:
        shutil.copyfileobj(f, o)
PY
  cp /usr/include/stb/stb_image.h "$vendor/stb/stb_image.h"
}

build() {
  local version="${1:-${DEFAULT_VERSIONS%% *}}"
  local bin="$CACHE_DIR/ollama-$version/ollama"
  if [ -x "$bin" ]; then echo "$bin"; return; fi
  need go "install Go >= 1.24 (https://go.dev/dl) to build ollama $version"
  need gcc "install gcc and g++ (apt-get install build-essential)"
  need g++ "install g++ (apt-get install build-essential)"
  local work src
  work="$(mktemp -d "${TMPDIR:-/tmp}/ollama-build.XXXXXX")"
  echo "building ollama $version in $work (cold build: several minutes)" >&2
  src="$(go mod download -json "$MODULE@$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
  [ -n "$src" ] || die "go mod download did not give a module directory for ollama $version"
  # The module cache is read-only: build in a copy.
  cp -r "$src" "$work/ollama"
  chmod -R u+w "$work/ollama"
  restore_vendor "$work/ollama" "$work"
  (
    cd "$work/ollama"
    export CGO_ENABLED=1 GOFLAGS=-mod=mod
    # The version string is what `ollama -v` and the server's start-up line print.
    go build -trimpath -ldflags "-s -w -X=$MODULE/version.Version=${version#v}" -o "$work/ollama-bin" .
  ) >&2
  mkdir -p "$(dirname "$bin")"
  mv "$work/ollama-bin" "$bin.tmp" && mv "$bin.tmp" "$bin"
  rm -rf "$work"
  echo "$bin"
}

case "${1:-}" in
  build) shift; build "$@" ;;
  versions) echo "$DEFAULT_VERSIONS" ;;
  *) echo "usage: $0 build [VERSION] | versions" >&2; exit 2 ;;
esac
