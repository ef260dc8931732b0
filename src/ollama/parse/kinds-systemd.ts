// systemd's own lines about the Ollama unit. `journalctl -u ollama` shows them among the server's
// lines, and they are the only record of a stop, a crash or an OOM kill: Ollama itself logs
// nothing when it is told to stop. Wording from systemd's job.c/service.c/unit.c; systemd 249+
// names jobs `ollama.service - Ollama Service`, older ones by the description alone, and
// systemd < 220 wrote a few lines differently (`Unit … entered failed state.`, `… failed.`).

import { defineKind, type LineContext } from './types.js';
import { int } from './values.js';

/** `Stopping ollama.service - Ollama Service...` → `ollama.service`; `Stopped Ollama Service.` → null. */
const JOB = /^(Starting|Started|Stopping|Stopped|Failed to start) (.+?)(?:\.\.\.|\.)$/;
const UNIT_FIRST = /^(\S+\.service):? /;
const UNIT_IN_JOB = /^(\S+\.service)(?: - |$)/;
const UNIT_ENTERED = /^Unit (\S+\.service) entered failed state\.$/;

function unitOf(line: LineContext): string | null {
  const first = UNIT_FIRST.exec(line.text);
  if (first !== null) return first[1]!;
  const job = JOB.exec(line.text);
  if (job !== null) return UNIT_IN_JOB.exec(job[2]!)?.[1] ?? null;
  return UNIT_ENTERED.exec(line.text)?.[1] ?? null;
}

/** systemd's format_timespan: `1h 13min 18.925s`, `6.293s`, `2min 4.576s`, `950ms`. */
const TIMESPAN_PART = /(\d+(?:\.\d+)?)(y|month|w|d|h|min|ms|us|µs|s)(?=\s|,|$)/g;
const TIMESPAN_SECONDS: Readonly<Record<string, number>> = {
  y: 31557600, month: 2629800, w: 604800, d: 86400, h: 3600, min: 60, s: 1, ms: 1e-3, us: 1e-6, 'µs': 1e-6,
};

function timespanSeconds(text: string | undefined): number | null {
  if (text === undefined) return null;
  let total = 0;
  let parts = 0;
  for (const match of text.matchAll(TIMESPAN_PART)) {
    total += Number(match[1]) * TIMESPAN_SECONDS[match[2]!]!;
    parts++;
  }
  return parts === 0 ? null : Math.round(total * 1e6) / 1e6;
}

const serviceStart = defineKind({
  kind: 'service_start',
  timeline: { session: true },
  fields: ['stage', 'unit', 'restart_count'],
  plainPrefixes: ['Starting ', 'Started '],
  unitPrefixes: ['Scheduled restart job', 'holdoff time over, scheduling restart'],
  test: (line) => !line.text.startsWith('Start') || JOB.test(line.text),
  extract(line) {
    if (line.text.startsWith('Started ')) return { stage: 'started', unit: unitOf(line) };
    if (line.text.startsWith('Starting ')) return { stage: 'starting', unit: unitOf(line) };
    return { stage: 'restart_scheduled', unit: unitOf(line), restart_count: int(/restart counter is at (\d+)/.exec(line.msg)?.[1]) };
  },
  samples: [
    {
      era: 'systemd 249+',
      source: 'ollama/ollama#10319',
      line: 'Started ollama.service - Ollama Service.',
      expected: { stage: 'started', unit: 'ollama.service', restart_count: null },
    },
    { era: 'systemd < 249', source: 'ollama/ollama#11558', line: 'Started Ollama Service.', expected: { stage: 'started', unit: null } },
    {
      era: 'systemd 236+',
      source: 'ollama/ollama#9170',
      line: 'ollama.service: Scheduled restart job, restart counter is at 1.',
      expected: { stage: 'restart_scheduled', unit: 'ollama.service', restart_count: 1 },
    },
    {
      era: 'systemd < 236',
      source: 'ollama/ollama#6248',
      line: 'ollama.service holdoff time over, scheduling restart.',
      expected: { stage: 'restart_scheduled', unit: 'ollama.service', restart_count: null },
    },
  ],
});

const STOP_STAGES: readonly (readonly [string, string])[] = [
  ['Stopping ', 'stopping'],
  ['Stopped ', 'stopped'],
  ['Deactivated successfully', 'deactivated'],
  ['Succeeded.', 'deactivated'], // systemd 240 – 246
  ["State 'stop-sigterm' timed out", 'stop_timeout'],
  ['Killing process ', 'killing'],
  ['Consumed ', 'consumed'],
];

/** Ollama's own DEBUG lines when it shuts down (OLLAMA_DEBUG=1, 0.1.38+): its scheduler stops. */
const SCHEDULER_SHUTDOWN = ['shutting down scheduler pending loop', 'shutting down scheduler completed loop'];

const serverStop = defineKind({
  kind: 'server_stop',
  timeline: { session: true },
  fields: ['stage', 'unit', 'cpu_seconds'],
  messages: SCHEDULER_SHUTDOWN,
  plainPrefixes: ['Stopping ', 'Stopped '],
  unitPrefixes: ['Deactivated successfully', 'Succeeded.', "State 'stop-sigterm' timed out", 'Killing process ', 'Consumed '],
  test: (line) => !line.text.startsWith('Stop') || JOB.test(line.text),
  extract(line) {
    if (SCHEDULER_SHUTDOWN.includes(line.msg)) return { stage: 'scheduler_shutdown' };
    const stage = STOP_STAGES.find(([prefix]) => line.msg.startsWith(prefix))?.[1];
    const cpu = stage === 'consumed' ? timespanSeconds(/^Consumed (.+?) CPU time/.exec(line.msg)?.[1]) : null;
    return { stage, unit: unitOf(line), cpu_seconds: cpu };
  },
  samples: [
    {
      era: 'systemd 249+',
      source: 'ollama/ollama#10319',
      line: 'Stopping ollama.service - Ollama Service...',
      expected: { stage: 'stopping', unit: 'ollama.service', cpu_seconds: null },
    },
    { era: 'systemd 247+', source: 'ollama/ollama#10319', line: 'ollama.service: Deactivated successfully.', expected: { stage: 'deactivated', unit: 'ollama.service' } },
    { era: 'systemd 249+', source: 'ollama/ollama#10319', line: 'Stopped ollama.service - Ollama Service.', expected: { stage: 'stopped', unit: 'ollama.service' } },
    { era: 'systemd < 249', source: 'ollama/ollama#9170', line: 'Stopped Ollama Service.', expected: { stage: 'stopped', unit: null } },
    {
      era: 'systemd 246+',
      source: 'ollama/ollama#10319',
      line: 'ollama.service: Consumed 1h 13min 18.925s CPU time.',
      expected: { stage: 'consumed', unit: 'ollama.service', cpu_seconds: 4398.925 },
    },
    {
      era: 'Ollama 0.1.38+ (DEBUG, its own shutdown)',
      source: 'real Ollama v0.17.4 with OLLAMA_DEBUG=1 (test/fixtures/real-ollama)',
      line: 'time=2026-12-02T06:27:08.883Z level=DEBUG source=sched.go:316 msg="shutting down scheduler completed loop"',
      expected: { level: 'DEBUG', stage: 'scheduler_shutdown', unit: null },
    },
  ],
});

const MAIN_EXITED = /^[Mm]ain process exited, code=(\w+), status=(\d+)\/(\S+)/;
const FAILED_RESULT = /^Failed with result '([^']*)'/;

const serverExit = defineKind({
  kind: 'server_exit',
  timeline: { session: true },
  fields: ['stage', 'unit', 'code', 'exit_status', 'signal', 'result'],
  plainPrefixes: ['Failed to start ', 'Unit '],
  unitPrefixes: [
    'Main process exited',
    'main process exited',
    'Failed with result',
    'A process of this unit has been killed by the OOM killer',
    'Start request repeated too quickly',
    'failed.',
  ],
  test: (line) => (line.text.startsWith('Failed to start ') ? JOB.test(line.text) : !line.text.startsWith('Unit ') || UNIT_ENTERED.test(line.text)),
  extract(line) {
    const unit = unitOf(line);
    const main = MAIN_EXITED.exec(line.msg);
    if (main !== null) {
      // code=exited carries an exit status; code=killed|dumped a signal (`9/KILL`).
      const exited = main[1] === 'exited';
      return { stage: 'main_exited', unit, code: main[1], exit_status: exited ? Number(main[2]) : null, signal: exited ? null : main[3] };
    }
    const failed = FAILED_RESULT.exec(line.msg);
    if (failed !== null) return { stage: 'failed', unit, result: failed[1] };
    if (line.msg.startsWith('A process of this unit')) return { stage: 'oom_killed', unit };
    if (line.msg.startsWith('Start request repeated')) return { stage: 'start_limit', unit };
    if (line.text.startsWith('Failed to start ')) return { stage: 'start_failed', unit };
    return { stage: 'failed', unit };
  },
  samples: [
    {
      era: 'systemd 220+',
      source: 'ollama/ollama#11558',
      line: 'ollama.service: Main process exited, code=exited, status=1/FAILURE',
      expected: { stage: 'main_exited', unit: 'ollama.service', code: 'exited', exit_status: 1, signal: null, result: null },
    },
    {
      era: 'systemd < 220',
      source: 'ollama/ollama#6248',
      line: 'ollama.service: main process exited, code=exited, status=127/n/a',
      expected: { stage: 'main_exited', code: 'exited', exit_status: 127, signal: null },
    },
    {
      era: 'systemd 232+',
      source: 'ollama/ollama#11231',
      line: "ollama.service: Failed with result 'oom-kill'.",
      expected: { stage: 'failed', unit: 'ollama.service', result: 'oom-kill', code: null },
    },
    { era: 'systemd < 220', source: 'ollama/ollama#6248', line: 'Unit ollama.service entered failed state.', expected: { stage: 'failed', unit: 'ollama.service', result: null } },
    { era: 'systemd < 220', source: 'ollama/ollama#6248', line: 'ollama.service failed.', expected: { stage: 'failed', unit: 'ollama.service', result: null } },
  ],
});

export const SYSTEMD_KINDS = [serviceStart, serverStop, serverExit] as const;
