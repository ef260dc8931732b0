// One evening of an Ollama 0.9 host, as the seed journal shows it: two model loads, requests,
// a truncated prompt, a VRAM timeout, a failed load and a subprocess line.

import { SHA } from './timeline-scenario.js';

const BLOBS = '/usr/share/ollama/.ollama/models/blobs';
// [UTC time, MESSAGE]: one evening of an Ollama 0.9 host, as the seed journal shows it.
export const EVENING_LINES: [string, string][] = [
  ['2025-07-22T23:20:00.100Z', 'time=2025-07-23T09:20:00.100+10:00 level=INFO source=routes.go:1235 msg="server config" env="map[OLLAMA_KEEP_ALIVE:5m0s OLLAMA_MODELS:/usr/share/ollama/.ollama/models OLLAMA_NUM_PARALLEL:1]"'],
  ['2025-07-22T23:20:00.200Z', 'time=2025-07-23T09:20:00.200+10:00 level=INFO source=routes.go:1288 msg="Listening on 127.0.0.1:11434 (version 0.9.6)"'],
  ['2025-07-22T23:26:23.639Z', `time=2025-07-23T09:26:23.639+10:00 level=INFO source=server.go:438 msg="starting llama server" cmd="/usr/local/bin/ollama runner --model ${BLOBS}/sha256-${SHA.gemma12b} --ctx-size 2048 --batch-size 512 --n-gpu-layers 49 --threads 6 --parallel 1 --port 40797"`],
  ['2025-07-22T23:26:23.700Z', 'time=2025-07-23T09:26:23.700+10:00 level=INFO source=server.go:175 msg=offload library=cuda layers.requested=-1 layers.model=49 layers.offload=49 layers.split="" memory.available="[11.1 GiB]" memory.gpu_overhead="0 B" memory.required.full="11.0 GiB" memory.required.partial="11.0 GiB" memory.required.kv="768.0 MiB" memory.weights.total="6.8 GiB"'],
  ['2025-07-22T23:26:29.159Z', 'time=2025-07-23T09:26:29.159+10:00 level=INFO source=server.go:637 msg="llama runner started in 5.52 seconds"'],
  ['2025-07-22T23:26:38.396Z', 'time=2025-07-23T09:26:38.396+10:00 level=WARN source=runner.go:131 msg="truncating input prompt" limit=2048 prompt=2172 keep=4 new=2048'],
  ['2025-07-22T23:26:41.533Z', '[GIN] 2025/07/23 - 09:26:41 | 200 |  9.104044169s |      172.17.0.3 | POST     "/api/chat"'],
  ['2025-07-22T23:26:42.564Z', '[GIN] 2025/07/23 - 09:26:42 | 200 |  5.062093353s |      172.17.0.3 | POST     "/api/chat"'],
  ['2025-07-22T23:27:14.374Z', 'time=2025-07-23T09:27:14.374+10:00 level=INFO source=sched.go:509 msg="updated VRAM based on existing loaded models" gpu=GPU-72c48c23 library=cuda total="11.8 GiB" available="1.5 GiB"'],
  ['2025-07-22T23:27:19.419Z', `time=2025-07-23T09:27:19.419+10:00 level=WARN source=sched.go:648 msg="gpu VRAM usage didn't recover within timeout" seconds=5.04476581 model=${BLOBS}/sha256-${SHA.gemma12b}`],
  ['2025-07-22T23:28:15.313Z', `time=2025-07-23T09:28:15.313+10:00 level=INFO source=server.go:438 msg="starting llama server" cmd="/usr/local/bin/ollama runner --model ${BLOBS}/sha256-${SHA.phi4} --ctx-size 8192 --batch-size 512 --n-gpu-layers 41 --threads 6 --parallel 4 --port 40811"`],
  ['2025-07-22T23:28:23.330Z', 'time=2025-07-23T09:28:23.330+10:00 level=INFO source=server.go:637 msg="llama runner started in 8.02 seconds"'],
  ['2025-07-22T23:29:21.458Z', '[GIN] 2025/07/23 - 09:29:21 | 200 | 33.183032672s |      172.17.0.3 | POST     "/api/chat"'],
  ['2025-07-22T23:29:30.000Z', '[GIN] 2025/07/23 - 09:29:30 | 404 |     802.311µs |  2001:db8::1:42 | GET      "/api/show?x=1"'],
  ['2025-07-22T23:40:00.000Z', 'time=2025-07-23T09:40:00.000+10:00 level=ERROR source=sched.go:489 msg="error loading llama server" error="llama runner process has terminated: exit status 2"'],
  ['2025-07-22T23:40:01.000Z', 'llama_model_loader: loaded meta data with 36 key-value pairs and 579 tensors'],
];

