#!/bin/sh
# Creates, inside the e2e container, what Ollama's official installer and two `ollama pull`s
# leave behind: the ollama user (home /usr/share/ollama) and a models dir with manifests and
# blobs (the model blobs are sparse files of the real size).
set -eu
MODELS=/usr/share/ollama/.ollama/models
getent passwd ollama >/dev/null || useradd -r -s /bin/false -U -m -d /usr/share/ollama ollama
mkdir -p "$MODELS/blobs"

# model NAME_PATH MODEL_HEX MODEL_SIZE FAMILY PARAMS QUANT
model() {
  config="{\"model_format\":\"gguf\",\"model_family\":\"$4\",\"model_families\":[\"$4\"],\"model_type\":\"$5\",\"file_type\":\"$6\",\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:$2\"]}}"
  printf '%s' "$config" >"$MODELS/blobs/tmp-config"
  config_hex=$(sha256sum "$MODELS/blobs/tmp-config" | cut -d' ' -f1)
  config_size=$(wc -c <"$MODELS/blobs/tmp-config")
  mv "$MODELS/blobs/tmp-config" "$MODELS/blobs/sha256-$config_hex"
  truncate -s "$3" "$MODELS/blobs/sha256-$2"
  mkdir -p "$MODELS/manifests/$(dirname "$1")"
  printf '{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","config":{"mediaType":"application/vnd.docker.container.image.v1+json","digest":"sha256:%s","size":%s},"layers":[{"mediaType":"application/vnd.ollama.image.model","digest":"sha256:%s","size":%s}]}' \
    "$config_hex" "$config_size" "$2" "$3" >"$MODELS/manifests/$1"
}

model registry.ollama.ai/library/gemma3/12b e8ad13eff07a78d89926e9e8b882317d082ef5bf9768ad7b50fcdbbcd63748de 8149190016 gemma3 12.2B Q4_K_M
model hf.co/unsloth/Qwen3-8B-GGUF/Q4_K_M a3de86cd1c132c822487ededd47a324c50491393e6565cd14bafa40d0b8e686f 5027783488 qwen3 8.2B Q4_K_M
chown -R ollama:ollama /usr/share/ollama/.ollama
