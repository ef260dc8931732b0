// Scheduler lines that say a model is about to be loaded beside others, or evicted to make room.

import { BLOB, modelName, modelSha256, RUNNER, SHA } from './model-ref.js';
import { defineKind } from './types.js';

/**
 * What an eviction line means for the models in memory, declared here beside the wording (the
 * lifecycle reconstruction reacts by it): `evicts_named` — the model the line names leaves now;
 * `evicts_one` — one loaded model it does not name leaves; `evicts_all` — every loaded model leaves;
 * `hint` — nothing leaves because of this line (it names the model being loaded, or a later line
 * says which one goes).
 */
export type EvictionEffect = 'evicts_named' | 'evicts_one' | 'evicts_all' | 'hint';

/**
 * Each `reason` and its effect. The model the line names is the one being loaded for
 * `new_model_fits`, `new_model_does_not_fit`, `load_failed_evict_all` and `runtime_oom`, and the one
 * being evicted for `expire_to_make_room`, `idle_runner_chosen`, `waiting_for_unload` and `reload`;
 * the other reasons name none.
 */
const EVICTION_EFFECTS = {
  model_changed: 'hint',
  new_model_fits: 'hint',
  new_model_does_not_fit: 'hint',
  evicting_for_space: 'evicts_one',
  evicting_for_system_memory: 'evicts_one',
  predicted_exceed: 'evicts_one',
  evict_all_for_retry: 'evicts_all',
  load_failed_evict_all: 'hint',
  max_runners: 'hint',
  idle_runner_chosen: 'hint',
  shortest_duration_chosen: 'hint',
  expire_to_make_room: 'evicts_named',
  waiting_for_unload: 'hint',
  runtime_oom: 'evicts_all',
  reload: 'hint',
} as const satisfies Readonly<Record<string, EvictionEffect>>;

export type EvictionReason = keyof typeof EVICTION_EFFECTS;

const EFFECT_OF: ReadonlyMap<string, EvictionEffect> = new Map(Object.entries(EVICTION_EFFECTS));

/** The effect of an eviction `reason` as stored (any string: read back from InfluxDB); `hint` for an unknown one. */
export function evictionEffect(reason: string): EvictionEffect {
  return EFFECT_OF.get(reason) ?? 'hint';
}

/**
 * Scheduler hints that a model is (about to be) loaded or evicted, in the wording of each version
 * (first and last version that logs it in brackets), and the `reason` each gives.
 */
const EVICTION_REASONS: readonly (readonly [string, EvictionReason])[] = [
  // INFO 0.1.x (one model at a time, `log` package before 0.1.21): the loaded model is replaced
  ['changing loaded model', 'model_changed'],
  // INFO 0.2.0 – 0.12.0 (DEBUG in 0.1.38 – 0.1.48); `across minimum required GPUs` 0.11.11 – 0.12.0
  ['new model will fit in available VRAM', 'new_model_fits'],
  ['new model will not fit in available VRAM', 'new_model_does_not_fit'],
  // DEBUG 0.1.38+
  ['new model fits with existing models, loading', 'new_model_fits'],
  // INFO 0.30+
  ['llama-server model fits alongside existing models', 'new_model_fits'],
  // INFO 0.11.11 – 0.13.0, then split into gpu (0.13.5 – 0.24) and system (0.12.11 – 0.24) memory
  ['model requires more memory than is currently available, evicting a model to make space', 'evicting_for_space'],
  ['model requires more gpu memory than is currently available, evicting a model to make space', 'evicting_for_space'],
  ['model requires more system memory than is currently available, evicting a model to make space', 'evicting_for_system_memory'],
  // INFO 0.30+
  ['llama-server model predicted to exceed available memory, evicting', 'predicted_exceed'],
  ['model predicted to exceed available memory, evicting', 'predicted_exceed'],
  // INFO / WARN 0.30+
  ['evicting all other loaded models for OOM retry', 'evict_all_for_retry'],
  ['evicting all other loaded models for load retry', 'evict_all_for_retry'],
  ['llama-server load failed; evicting all other models and retrying once', 'load_failed_evict_all'],
  // DEBUG 0.1.38+ (OLLAMA_MAX_LOADED_MODELS reached; which runner goes; waiting for it to go)
  ['max runners achieved, unloading one to make room', 'max_runners'],
  ['found an idle runner to unload', 'idle_runner_chosen'],
  ['no idle runners, picking the shortest duration', 'shortest_duration_chosen'],
  ['resetting model to expire immediately to make room', 'expire_to_make_room'],
  ['waiting for pending requests to complete and unload to occur', 'waiting_for_unload'],
  // WARN 0.30+
  ['runtime OOM detected; expiring loaded models', 'runtime_oom'],
];

/** DEBUG 0.6.8+: a loaded model is reloaded (other options, e.g. num_ctx): its runner goes. */
const RELOADING = 'reloading';

const eviction = defineKind({
  kind: 'eviction',
  timeline: { session: true },
  fields: ['reason', 'sha256', 'model_name'],
  messages: [RELOADING],
  prefixes: EVICTION_REASONS.map(([prefix]) => prefix),
  extract(line) {
    const reason: EvictionReason | undefined = line.msg === RELOADING ? 'reload' : EVICTION_REASONS.find(([prefix]) => line.msg.startsWith(prefix))?.[1];
    return { reason, sha256: modelSha256(line), model_name: modelName(line) };
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
    {
      era: '0.30+ (WARN, the model being loaded)',
      source: 'Ollama v0.32.15 server/sched.go:667 (format)',
      line:
        'time=2026-08-21T19:02:11.400-07:00 level=WARN source=sched.go:667 msg="llama-server load failed; evicting all other models and retrying once" ' +
        `model=${BLOB} error="llama-server process has terminated: CUDA error: out of memory"`,
      expected: { level: 'WARN', reason: 'load_failed_evict_all', sha256: SHA },
    },
    {
      era: '0.6.8+ (DEBUG, the reloaded runner)',
      source: 'Ollama v0.32.15 server/sched.go:257 (format)',
      line: `time=2026-08-21T19:03:00.000-07:00 level=DEBUG source=sched.go:257 msg=reloading ${RUNNER}`,
      expected: { reason: 'reload', sha256: SHA, model_name: 'qwen3:8b' },
    },
  ],
});

export const EVICT_KINDS = [eviction] as const;
