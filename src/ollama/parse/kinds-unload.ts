// Kinds around unloading: VRAM recovery after a runner stops, eviction hints, DEBUG unload steps.
// The model is `model=`/`modelPath=` (a blob path, up to 0.6.7) or the `runner.*` group (0.6.8+),
// whose `runner.name` is the fully qualified model name when the scheduler could read it.

import { BLOB, modelName, modelSha256, RUNNER, runnerPidOf, SHA } from './model-ref.js';
import { defineKind } from './types.js';
import { durationMs, float } from './values.js';


const SECONDS_AFTER = /after ([\d.]+) seconds/;

const vramTimeout = defineKind({
  kind: 'vram_timeout',
  timeline: { session: true, warning: 'any_level' },
  fields: ['seconds', 'sha256', 'model_name'],
  messages: ["gpu VRAM usage didn't recover within timeout"],
  extract: (line) => ({ seconds: float(line.attr('seconds')), sha256: modelSha256(line), model_name: modelName(line) }),
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
});

const vramRecovered = defineKind({
  kind: 'vram_recovered',
  timeline: { session: true },
  fields: ['seconds', 'sha256', 'model_name'],
  prefixes: ['gpu VRAM free memory converged after '],
  extract: (line) => ({ seconds: float(SECONDS_AFTER.exec(line.msg)?.[1]), sha256: modelSha256(line), model_name: modelName(line) }),
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
});

/**
 * Each unload `stage` and whether it means the model it names is leaving memory now (the lifecycle
 * reconstruction ends the session there). The idle-timer lines only start the keep-alive countdown,
 * and the runner-process lines name a pid, not a model.
 */
const STAGE_LEAVES = {
  idle_timer_set: false,
  idle_timer_reset: false,
  timer_expired: true,
  idle_zero_keep_alive: true,
  expired_event_received: true,
  got_lock: true,
  vram_recovery_wait: true,
  runner_terminated: true,
  unload_completed: true,
  shutting_down_runner: true,
  unloaded_event_sent: true,
  runner_released: true,
  no_vram_wait: true,
  orphan_shutdown: true,
  shutting_down_loading_runner: true,
  runner_stopping: false,
  runner_exit_wait: false,
  runner_stopped: false,
} as const satisfies Readonly<Record<string, boolean>>;

export type UnloadStage = keyof typeof STAGE_LEAVES;

const LEAVING: ReadonlySet<string> = new Set(Object.entries(STAGE_LEAVES).filter(([, leaves]) => leaves).map(([stage]) => stage));

/** Does this `model_unload` stage (as stored: any string) mean the model is leaving memory now? */
export function unloadStageLeaves(stage: string): boolean {
  return LEAVING.has(stage);
}

/** The DEBUG steps of an unload (OLLAMA_DEBUG=1), in the order the scheduler logs them. */
const UNLOAD_STAGES: readonly (readonly [string, UnloadStage])[] = [
  // The keep-alive countdown starts (or restarts) when the last request ends: `duration=5m0s`.
  ['runner with non-zero duration has gone idle, adding timer', 'idle_timer_set'],
  ['runner with non-zero duration has gone idle, resetting timer', 'idle_timer_reset'],
  ['timer expired, expiring to unload', 'timer_expired'],
  ['runner with zero duration has gone idle, expiring to unload', 'idle_zero_keep_alive'],
  ['runner expired event received', 'expired_event_received'],
  ['got lock to unload', 'got_lock'],
  ['starting background wait for VRAM recovery', 'vram_recovery_wait'],
  ['runner terminated and removed from list, blocking for VRAM recovery', 'runner_terminated'],
  ['unload completed', 'unload_completed'],
  ['shutting down runner', 'shutting_down_runner'],
  ['sending an unloaded event', 'unloaded_event_sent'],
  ['runner released', 'runner_released'], // 0.1.38 – 0.6.8
  ['no need to wait for VRAM recovery', 'no_vram_wait'], // 0.7.0+
  ['orphaned runner shutting down', 'orphan_shutdown'], // 0.7.1+
  ['shutting down currently loading runner', 'shutting_down_loading_runner'], // 0.11.11+
  // The runner process itself (llm/server.go 0.1.32 – 0.24, llm/llama_server.go 0.30+ with pid=).
  ['stopping llama server', 'runner_stopping'],
  ['stopping llama-server', 'runner_stopping'],
  ['waiting for llama server to exit', 'runner_exit_wait'],
  ['waiting for llama-server to exit', 'runner_exit_wait'],
  ['llama server stopped', 'runner_stopped'],
  ['llama-server stopped', 'runner_stopped'],
  // Before 0.1.21 (`log` package, INFO): the runner was stopped on purpose, with no error.
  ['llama runner stopped successfully', 'runner_stopped'],
];

const modelUnload = defineKind({
  kind: 'model_unload',
  timeline: { session: true },
  fields: ['stage', 'sha256', 'model_name', 'runner_pid', 'keep_alive_ms'],
  prefixes: UNLOAD_STAGES.map(([prefix]) => prefix),
  extract(line) {
    const stage = UNLOAD_STAGES.find(([prefix]) => line.msg.startsWith(prefix))?.[1];
    return { stage, sha256: modelSha256(line), model_name: modelName(line), runner_pid: runnerPidOf(line), keep_alive_ms: durationMs(line.attr('duration')) };
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
      expected: { stage: 'got_lock', sha256: SHA, model_name: 'qwen3:8b', runner_pid: 4242 },
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
      expected: { stage: 'unload_completed', sha256: SHA, runner_pid: null },
    },
    {
      era: '0.30+ (DEBUG, the llama-server process)',
      source: 'Ollama v0.32.15 llm/llama_server.go:2588 (format)',
      line: 'time=2026-08-21T19:05:00.210-07:00 level=DEBUG source=llama_server.go:2588 msg="llama-server stopped" pid=51234',
      expected: { stage: 'runner_stopped', sha256: null, runner_pid: 51234 },
    },
  ],
});

export const UNLOAD_KINDS = [vramTimeout, vramRecovered, modelUnload] as const;
