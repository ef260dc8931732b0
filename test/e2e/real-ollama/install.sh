#!/bin/sh
# Inside the e2e container: a real ollama as ollama.service, as Ollama's official installer sets it up
# (the ollama user with home /usr/share/ollama, the unit), with a fresh models dir, not started.
#   install.sh BINARY PORT [default|debug]
# The drop-in: a free loopback port (the container shares the host's network), one model at a time
# and a keep-alive of a few seconds so evictions and expiries happen within the test.
set -eu
BIN=$1 PORT=$2 MODE=${3:-default}
getent passwd ollama >/dev/null || useradd -r -s /bin/false -U -m -d /usr/share/ollama ollama
systemctl stop ollama.service 2>/dev/null || true
rm -rf /usr/share/ollama/.ollama
install -m 0755 "$BIN" /usr/local/bin/ollama
install -m 0644 /srv/e2e/ollama.service /etc/systemd/system/ollama.service
mkdir -p /etc/systemd/system/ollama.service.d
{
  echo '[Service]'
  echo "Environment=OLLAMA_HOST=127.0.0.1:$PORT"
  echo 'Environment=OLLAMA_MAX_LOADED_MODELS=1'
  echo 'Environment=OLLAMA_KEEP_ALIVE=5s'
  if [ "$MODE" = debug ]; then echo 'Environment=OLLAMA_DEBUG=1'; fi
} >/etc/systemd/system/ollama.service.d/test.conf
systemctl daemon-reload
