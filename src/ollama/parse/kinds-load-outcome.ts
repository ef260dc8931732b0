// How a model load ends: the runner answers (loaded), is still being waited for, or fails; and how
// many runners are loaded afterwards.

import { defineKind } from './types.js';
import { exitStatusOf, float, int, sha256Of, signalOf, text } from './values.js';

const BLOB = '/usr/share/ollama/.ollama/models/blobs/sha256-6a0746a1ec1aef3e7ec53868f220ff6e389f6f8ef87a01d77c96807de94ca2aa';
const BLOB_SHA = '6a0746a1ec1aef3e7ec53868f220ff6e389f6f8ef87a01d77c96807de94ca2aa';

const STARTED_IN = /started in ([\d.]+) seconds/;

const modelLoaded = defineKind({
  kind: 'model_loaded',
  timeline: { session: true },
  fields: ['load_seconds'],
  prefixes: ['llama runner started in ', 'llama-server started in '],
  plainPrefixes: ['llama runner started in '],
  extract: (line) => ({ load_seconds: float(STARTED_IN.exec(line.msg)?.[1]) }),
  samples: [
    {
      era: '0.1.35+ (%0.2f)',
      line: 'time=2025-07-23T21:46:58.334+10:00 level=INFO source=server.go:619 msg="llama runner started in 4.26 seconds"',
      expected: { level: 'INFO', load_seconds: 4.26 },
    },
    { era: '0.30+', line: 'time=2026-10-02T11:28:59.700+09:00 level=INFO source=llama_server.go:1190 msg="llama-server started in 3.10 seconds"', expected: { load_seconds: 3.1 } },
    { era: 'before 0.1.32, plain text', line: 'llama runner started in 4.257 seconds', expected: { load_seconds: 4.257 } },
    { era: 'before 0.1.21, log package', line: '2024/01/10 12:00:05 llama.go:577: llama runner started in 4.257843 seconds', expected: { load_seconds: 4.257843 } },
  ],
});

const waitingForRunner = defineKind({
  kind: 'waiting_for_runner',
  fields: ['runner_status'],
  messages: [
    'waiting for llama runner to start responding',
    'waiting for server to become available',
    'waiting for llama-server to start responding',
    'waiting for llama-server to become available',
  ],
  extract: (line) => ({ runner_status: text(line.attr('status')) }),
  samples: [
    { era: '0.1.32+', line: 'time=2026-05-05T01:30:33.959+08:00 level=INFO source=server.go:1352 msg="waiting for llama runner to start responding"', expected: { level: 'INFO', runner_status: null } },
    {
      era: '0.1.32+',
      line: 'time=2026-05-05T01:30:33.960+08:00 level=INFO source=server.go:1386 msg="waiting for server to become available" status="llm server loading model"',
      expected: { runner_status: 'llm server loading model' },
    },
    { era: 'before 0.1.21, log package', line: '2024/01/10 12:00:01 llama.go:545: waiting for llama runner to start responding', expected: { runner_status: null } },
  ],
});

const loadError = defineKind({
  kind: 'load_error',
  timeline: { session: true, warning: 'any_level' },
  fields: ['error', 'sha256', 'exit_status', 'signal'],
  messages: [
    'error loading llama server',
    'Load failed',
    'failed to create server', // INFO 0.18.3+
    'llama-server load failed; reducing automatic context and retrying once', // WARN 0.30+
    'model is too large for system memory', // INFO 0.12.11+
    'client connection closed before server finished loading, aborting load', // WARN 0.1.45 – 0.24
    'client connection closed before llama-server finished loading, aborting load', // WARN 0.30+
  ],
  extract(line) {
    const error = text(line.attr('error')) ?? (line.attr('error') === undefined ? line.msg : null);
    return { error, sha256: sha256Of(line.attr('model')), exit_status: exitStatusOf(error), signal: signalOf(error) };
  },
  samples: [
    {
      era: '0.1.32+',
      line: 'time=2025-03-02T09:20:01.000+03:00 level=ERROR source=sched.go:455 msg="error loading llama server" error="llama runner process has terminated: exit status 2"',
      expected: { level: 'ERROR', error: 'llama runner process has terminated: exit status 2', sha256: null, exit_status: 2, signal: null },
    },
    {
      era: '0.1.32+ (timeout)',
      line: 'time=2025-03-02T09:25:01.000+03:00 level=ERROR source=sched.go:455 msg="error loading llama server" error="timed out waiting for llama runner to start - progress 0.00 - "',
      expected: { error: 'timed out waiting for llama runner to start - progress 0.00 - ' },
    },
    {
      era: '0.30+',
      line: `time=2026-10-02T11:29:06.154+09:00 level=INFO source=sched.go:641 msg="Load failed" model=${BLOB} error="llama-server process has terminated: signal: killed"`,
      expected: { level: 'INFO', error: 'llama-server process has terminated: signal: killed', sha256: BLOB_SHA, exit_status: null, signal: 'killed' },
    },
  ],
});

/** INFO 0.1.38+: how many runners are loaded once a load has been set up. */
const runnersLoaded = defineKind({
  kind: 'runners_loaded',
  fields: ['loaded_count'],
  messages: ['loaded runners'],
  extract: (line) => ({ loaded_count: int(line.attr('count')) }),
  samples: [
    {
      era: '0.1.38+',
      source: 'https://github.com/ollama/ollama/issues/7622 (0.4.x)',
      line: 'time=2024-11-11T21:51:17.607+01:00 level=INFO source=sched.go:449 msg="loaded runners" count=1',
      expected: { level: 'INFO', loaded_count: 1 },
    },
  ],
});

/**
 * WARN 0.9.6+: the requested context is longer than the model was trained for; Ollama loads it with
 * the training context instead (`num_ctx` asked, `n_ctx_train` used).
 */
const contextCapped = defineKind({
  kind: 'context_capped',
  timeline: { warning: 'next_load' },
  fields: ['requested_ctx', 'train_ctx'],
  messages: ['requested context size too large for model'],
  extract: (line) => ({ requested_ctx: int(line.attr('num_ctx')), train_ctx: int(line.attr('n_ctx_train')) }),
  samples: [
    {
      era: '0.9.6+',
      source: 'real Ollama v0.17.4 (test/fixtures/real-ollama, the real-Ollama e2e scenario)',
      line: 'time=2026-12-02T06:26:46.374Z level=WARN source=server.go:169 msg="requested context size too large for model" num_ctx=4096 n_ctx_train=2048',
      expected: { level: 'WARN', requested_ctx: 4096, train_ctx: 2048 },
    },
  ],
});

export const LOAD_OUTCOME_KINDS = [modelLoaded, waitingForRunner, loadError, runnersLoaded, contextCapped] as const;
