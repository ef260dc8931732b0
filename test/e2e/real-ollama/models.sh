#!/bin/sh
# Inside the e2e container, with ollama.service running on PORT: three distinct tiny models
# (test/support/gguf.mjs: random weights, different seeds and depths, so different blobs and sizes)
# made the way users make models from a GGUF file, `ollama create` from a Modelfile.
#   models.sh PORT
set -eu
export OLLAMA_HOST="127.0.0.1:$1"
i=0
until ollama list >/dev/null 2>&1; do
  i=$((i + 1))
  [ "$i" -lt 150 ] || { echo "models.sh: ollama does not answer on $OLLAMA_HOST" >&2; exit 1; }
  sleep 0.2
done
mkdir -p /tmp/models
seed=0
for m in a b c; do
  seed=$((seed + 1))
  node /srv/support/gguf.mjs "/tmp/models/$m.gguf" --seed "$seed" --layers $((seed + 1)) --name "tiny-$m"
  printf 'FROM /tmp/models/%s.gguf\nTEMPLATE {{ .Prompt }}\n' "$m" >"/tmp/models/Modelfile.$m"
  ollama create "tiny-$m" -f "/tmp/models/Modelfile.$m" >/tmp/models/create.log 2>&1 || { cat /tmp/models/create.log >&2; exit 1; }
done
