// Kinds around unloading: VRAM recovery after a runner stops, eviction hints, DEBUG unload steps.
// The model is `model=`/`modelPath=` (a blob path, up to 0.6.7) or the `runner.*` group (0.6.8+),
// whose `runner.name` is the fully qualified model name when the scheduler could read it.

import type { KindEntry, LineContext } from './types.js';
import { float, listName, sha256Of } from './values.js';

const BLOB = '/root/.ollama/models/blobs/sha256-adca500fad9b54c565ae672184e0c9eb690eb6014ba63f8ec13849d4f73a32d3';
const SHA = 'adca500fad9b54c565ae672184e0c9eb690eb6014ba63f8ec13849d4f73a32d3';
const RUNNER =
  'runner.name=registry.ollama.ai/library/qwen3:8b runner.inference="[{ID:GPU-72c48c23 Library:CUDA}]" runner.size="6.2 GiB" ' +
  `runner.vram="6.2 GiB" runner.parallel=1 runner.pid=4242 runner.model=${BLOB} runner.num_ctx=8192`;

function model(line: LineContext): { sha256: string | null; model_name: string | null } {
  return {
    sha256: sha256Of(line.attr('runner.model') ?? line.attr('model') ?? line.attr('modelPath')),
    model_name: listName(line.attr('runner.name')),
  };
}

const SECONDS_AFTER = /after ([\d.]+) seconds/;

const vramTimeout: KindEntry = {
  kind: 'vram_timeout',
  fields: ['seconds', 'sha256', 'model_name'],
  messages: ["gpu VRAM usage didn't recover within timeout"],
  extract: (line) => ({ seconds: float(line.attr('seconds')), ...model(line) }),
  samples: [
    {
      era: '0.1.45 – 0.6.7 (model=<blob>)',
      line: `time=2025-07-23T09:27:19.419+10:00 level=WARN source=sched.go:648 msg="gpu VRAM usage didn't recover within timeout" seconds=5.04476581 model=${BLOB}`,
      expected: { level: 'WARN', seconds: 5.04476581, sha256: SHA, model_name: null },
    },
    {
      era: '0.6.8 – 0.12.5 (runner group, name not readable)',
      line:
        'time=2025-07-30T10:53:49.905+10:00 level=WARN source=sched.go:687 msg="gpu VRAM usage didn\'t recover within timeout" seconds=5.044882538 ' +
        `runner.size="1.8 GiB" runner.vram="1.8 GiB" runner.parallel=2 runner.pid=14006 runner.model=${BLOB}`,
      expected: { seconds: 5.044882538, sha256: SHA, model_name: null },
    },
    {
      era: '0.12.6+ (DEBUG, runner group with name)',
      line: `time=2026-05-05T01:40:00.100+08:00 level=DEBUG source=sched.go:731 msg="gpu VRAM usage didn't recover within timeout" seconds=5.0123 free_before="1.2 GiB" free_now="3.4 GiB" ${RUNNER}`,
      expected: { level: 'DEBUG', seconds: 5.0123, sha256: SHA, model_name: 'qwen3:8b' },
    },
  ],
};

const vramRecovered: KindEntry = {
  kind: 'vram_recovered',
  fields: ['seconds', 'sha256', 'model_name'],
  prefixes: ['gpu VRAM free memory converged after '],
  extract: (line) => ({ seconds: float(SECONDS_AFTER.exec(line.msg)?.[1]), ...model(line) }),
  samples: [
    {
      era: '0.1.45 – 0.6.7 (DEBUG)',
      line: `time=2025-03-02T09:30:01.200+03:00 level=DEBUG source=sched.go:660 msg="gpu VRAM free memory converged after 1.20 seconds" model=${BLOB}`,
      expected: { level: 'DEBUG', seconds: 1.2, sha256: SHA, model_name: null },
    },
    {
      era: '0.6.8+ (DEBUG, runner group)',
      line: `time=2026-05-05T01:40:01.300+08:00 level=DEBUG source=sched.go:725 msg="gpu VRAM free memory converged after 0.75 seconds" free_before="1.2 GiB" free_now="7.4 GiB" ${RUNNER}`,
      expected: { seconds: 0.75, sha256: SHA, model_name: 'qwen3:8b' },
    },
  ],
};

/**
 * Scheduler hints that a model is (about to be) loaded or evicted. The model the line names is
 * the one being loaded for `new_model_fits`, `new_model_does_not_fit` and `runtime_oom`, and the
 * one being evicted for `expire_to_make_room`; the other reasons name none.
 */
const EVICTION_REASONS: readonly (readonly [string, string])[] = [
  ['new model will fit in available VRAM', 'new_model_fits'],
  ['new model will not fit in available VRAM', 'new_model_does_not_fit'],
  ['model requires more gpu memory than is currently available, evicting a model to make space', 'evicting_for_space'],
  ['model requires more system memory than is currently available, evicting a model to make space', 'evicting_for_system_memory'],
  ['llama-server model predicted to exceed available memory, evicting', 'predicted_exceed'],
  ['model predicted to exceed available memory, evicting', 'predicted_exceed'],
  ['evicting all other loaded models for load retry', 'evict_all_for_retry'],
  ['resetting model to expire immediately to make room', 'expire_to_make_room'],
  ['runtime OOM detected; expiring loaded models', 'runtime_oom'],
];

const eviction: KindEntry = {
  kind: 'eviction',
  fields: ['reason', 'sha256', 'model_name'],
  prefixes: EVICTION_REASONS.map(([prefix]) => prefix),
  extract(line) {
    const reason = EVICTION_REASONS.find(([prefix]) => line.msg.startsWith(prefix))?.[1];
    return { reason, ...model(line) };
  },
  samples: [
    {
      era: '0.1.45 – 0.11.4',
      line:
        'time=2025-07-30T10:49:13.672+10:00 level=INFO source=sched.go:788 msg="new model will fit in available VRAM in single GPU, loading" ' +
        `model=${BLOB} gpu=GPU-72c48c23-32a4-2e54-95c9-99bb82483caa parallel=2 available=3377552306 required="1.8 GiB"`,
      expected: { level: 'INFO', reason: 'new_model_fits', sha256: SHA, model_name: null },
    },
    {
      era: '0.11.5+',
      line: 'time=2026-01-10T12:00:00.000Z level=INFO source=server.go:1030 msg="model requires more gpu memory than is currently available, evicting a model to make space" "loaded layers"=20',
      expected: { reason: 'evicting_for_space', sha256: null },
    },
    {
      era: '0.30+',
      line: 'time=2026-10-02T11:28:55.000+09:00 level=INFO source=sched.go:498 msg="llama-server model predicted to exceed available memory, evicting" system_free="3.1 GiB"',
      expected: { reason: 'predicted_exceed', sha256: null },
    },
    {
      era: '0.6.8+ (DEBUG, the evicted runner)',
      line: `time=2026-05-05T01:39:50.000+08:00 level=DEBUG source=sched.go:262 msg="resetting model to expire immediately to make room" ${RUNNER} refCount=0`,
      expected: { level: 'DEBUG', reason: 'expire_to_make_room', sha256: SHA, model_name: 'qwen3:8b' },
    },
  ],
};

/** The DEBUG steps of an unload (OLLAMA_DEBUG=1), in the order the scheduler logs them. */
const UNLOAD_STAGES: readonly (readonly [string, string])[] = [
  ['timer expired, expiring to unload', 'timer_expired'],
  ['runner with zero duration has gone idle, expiring to unload', 'idle_zero_keep_alive'],
  ['runner expired event received', 'expired_event_received'],
  ['got lock to unload', 'got_lock'],
  ['starting background wait for VRAM recovery', 'vram_recovery_wait'],
  ['runner terminated and removed from list, blocking for VRAM recovery', 'runner_terminated'],
  ['unload completed', 'unload_completed'],
  ['shutting down runner', 'shutting_down_runner'],
  ['sending an unloaded event', 'unloaded_event_sent'],
  // Before 0.1.21 (`log` package, INFO): the runner was stopped on purpose, with no error.
  ['llama runner stopped successfully', 'runner_stopped'],
];

const modelUnload: KindEntry = {
  kind: 'model_unload',
  fields: ['stage', 'sha256', 'model_name'],
  prefixes: UNLOAD_STAGES.map(([prefix]) => prefix),
  extract(line) {
    const stage = UNLOAD_STAGES.find(([prefix]) => line.msg.startsWith(prefix))?.[1];
    return { stage, ...model(line) };
  },
  samples: [
    {
      era: '0.1.45 – 0.6.7 (modelPath=)',
      line: `time=2025-03-02T09:35:00.000+03:00 level=DEBUG source=sched.go:357 msg="timer expired, expiring to unload" modelPath=${BLOB}`,
      expected: { level: 'DEBUG', stage: 'timer_expired', sha256: SHA, model_name: null },
    },
    {
      era: '0.6.8+ (runner group)',
      line: `time=2026-05-05T01:39:58.000+08:00 level=DEBUG source=sched.go:383 msg="got lock to unload expired event" ${RUNNER}`,
      expected: { stage: 'got_lock', sha256: SHA, model_name: 'qwen3:8b' },
    },
    {
      era: '0.6.8+ (runner group)',
      line: `time=2026-05-05T01:40:01.400+08:00 level=DEBUG source=sched.go:412 msg="sending an unloaded event" ${RUNNER}`,
      expected: { stage: 'unloaded_event_sent', sha256: SHA, model_name: 'qwen3:8b' },
    },
    {
      era: 'server shutdown (model=<blob>)',
      line: `time=2025-03-02T10:00:00.000+03:00 level=DEBUG source=sched.go:835 msg="shutting down runner" model=${BLOB}`,
      expected: { stage: 'shutting_down_runner', sha256: SHA },
    },
    {
      era: '0.1.45 – 0.6.7',
      line: `time=2025-03-02T09:35:05.100+03:00 level=DEBUG source=sched.go:280 msg="unload completed" modelPath=${BLOB}`,
      expected: { stage: 'unload_completed', sha256: SHA },
    },
  ],
};

export const UNLOAD_KINDS: readonly KindEntry[] = [vramTimeout, vramRecovered, eviction, modelUnload];
