// An event's fields from a parse result the parse cache shares (frozen) are made once and shared by the
// events of every repeat; they are what the same line gives unshared.

import { describe, expect, it } from 'vitest';
import { parseMessage } from '../../src/ollama/parse/index.js';
import { timelineRecord } from '../../src/ollama/lifecycle/from-parsed.js';

const LINES = [
  'time=2025-07-23T21:47:10.396+10:00 level=INFO source=server.go:438 msg="starting llama server" cmd="/usr/local/bin/ollama runner --model /root/.ollama/models/blobs/sha256-adca500fad9b54c565ae672184e0c9eb690eb6014ba63f8ec13849d4f73a32d3 --ctx-size 8192 --batch-size 512 --n-gpu-layers 29 --threads 6 --parallel 2 --port 39609"',
  'time=2025-07-23T21:47:10.396+10:00 level=INFO source=sched.go:509 msg="updated VRAM based on existing loaded models" gpu=GPU-72c48c23-32a4-2e54-95c9-99bb82483caa library=cuda total="11.8 GiB" available="1.5 GiB"',
  'load_tensors: offloaded 29/29 layers to GPU',
];

const eventOf = (record: ReturnType<typeof timelineRecord>) => (record !== null && 'event' in record ? record.event : null);

describe('timelineRecord fields', () => {
  it.each(LINES)('shares the frozen fields of a frozen result, equal to the unshared ones: %s', (line) => {
    const modelFor = () => 'qwen3:8b';
    const unshared = eventOf(timelineRecord(parseMessage(line), line, 1, modelFor));
    const frozen = Object.freeze(parseMessage(line));
    const first = eventOf(timelineRecord(frozen, line, 1, modelFor));
    const second = eventOf(timelineRecord(frozen, line, 2, modelFor));
    expect(unshared).not.toBeNull();
    expect(Object.keys(unshared!.fields).length).toBeGreaterThan(0);
    expect(first).toEqual(unshared);
    expect(second!.fields).toBe(first!.fields);
    expect(Object.isFrozen(first!.fields)).toBe(true);
    expect(Object.isFrozen(unshared!.fields)).toBe(false);
    expect(second!.time).toBe(2);
  });
});
