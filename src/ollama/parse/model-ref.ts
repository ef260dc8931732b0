// Which model a scheduler line is about: `model=`/`modelPath=` (a blob path, up to 0.6.7) or the
// `runner.*` group (0.6.8+), whose `runner.name` is the fully qualified model name when the
// scheduler could read it and `runner.pid` the runner's process id.

import type { LineContext } from './types.js';
import { int, listName, sha256Of } from './values.js';

/** The model's blob digest. (Two functions rather than one object, which the kinds would spread: no garbage per line.) */
export function modelSha256(line: LineContext): string | null {
  return sha256Of(line.attr('runner.model') ?? line.attr('model') ?? line.attr('modelPath'));
}

/** The model's name as `ollama list` shows it, when the line names it. */
export function modelName(line: LineContext): string | null {
  return listName(line.attr('runner.name'));
}

/** The runner's process id: the `runner.pid` group member (0.6.8+) or `pid=` (llama-server, 0.30+). */
export function runnerPidOf(line: LineContext): number | null {
  return int(line.attr('runner.pid') ?? line.attr('pid'));
}

// Sample values shared by the unload and eviction tables.
export const BLOB = '/root/.ollama/models/blobs/sha256-adca500fad9b54c565ae672184e0c9eb690eb6014ba63f8ec13849d4f73a32d3';
export const SHA = 'adca500fad9b54c565ae672184e0c9eb690eb6014ba63f8ec13849d4f73a32d3';
export const RUNNER =
  'runner.name=registry.ollama.ai/library/qwen3:8b runner.inference="[{ID:GPU-72c48c23 Library:CUDA}]" runner.size="6.2 GiB" ' +
  `runner.vram="6.2 GiB" runner.parallel=1 runner.pid=4242 runner.model=${BLOB} runner.num_ctx=8192`;
