// The lifecycle rules on lines a real Ollama server wrote: v0.17.4 built from source, run as
// ollama.service under systemd (test/fixtures/real-ollama/v0.17.4-default, captured by
// test/e2e/real-ollama.sh with OLLAMA_MAX_LOADED_MODELS=1 and OLLAMA_KEEP_ALIVE=5s, default logging).
// Expected values are read off the journal by hand (times are the journal's, in microseconds).

import { describe, expect, it } from 'vitest';
import { buildTimeline } from '../../src/ollama/lifecycle/build.js';
import { captureLines, captures } from '../support/real-ollama.js';
import { inputFromLines, isoToMs } from '../support/timeline-scenario.js';

const A = '9383b2030a78e6306dc16a2805ebcce515694f6f511dcfe44e70c395f86ae12b';
const B = 'f06f8254c106f0aa4a992bb8fa7101429f26cd12bd5f07a428ede092a2d45fdd';
const C = '8c1193ff3941322cc42d9bfbfb660aa960613dad4ed1647f1a9788a47fb42137';
const inventory = new Map([
  [A, ['tiny-a:latest']],
  [B, ['tiny-b:latest']],
  [C, ['tiny-c:latest']],
]);
const at = (clock: string) => isoToMs(`2026-12-02T06:${clock}Z`);

const capture = captures().find((c) => c.name === 'v0.17.4-default')!;
const timeline = buildTimeline(inputFromLines(captureLines(capture), inventory), {
  host: 'h',
  start: at('25:00'),
  stop: at('27:00'),
});

describe('v0.17.4 under systemd, default logging (no unload line at all)', () => {
  it('has one session per load, though v0.17 prints "llama runner started" twice per load', () => {
    expect(timeline.sessions.map((s) => [s.model, s.ctxSize, s.start, s.loaded])).toEqual([
      ['tiny-a:latest', 2048, at('25:32.541531'), at('25:32.921695')],
      ['tiny-b:latest', 2048, at('25:35.653153'), at('25:35.716168')],
      ['tiny-a:latest', 1024, at('25:42.761732'), at('25:43.169714')],
      ['tiny-a:latest', 512, at('25:43.276566'), at('25:43.310562')],
      ['tiny-b:latest', 2048, at('25:47.767749'), at('25:47.830616')],
      ['tiny-c:latest', 2048, at('25:50.160725'), at('25:50.446022')],
      ['tiny-a:latest', 2048, at('25:53.528399'), at('25:53.806625')],
      ['tiny-c:latest', 2048, at('25:55.077578'), at('25:55.373411')],
    ]);
  });

  it('ends each one by the evidence that follows it, with bounds that say how sure', () => {
    const ends = timeline.sessions.map((s) => [s.endReason, s.endExact, s.end, s.endEarliest, s.endLatest]);
    expect(ends).toEqual([
      // Another model's load under OLLAMA_MAX_LOADED_MODELS=1: gone by then, after its last request.
      ['replaced', false, at('25:35.653153'), at('25:35.642494'), at('25:35.653153')],
      // Nothing until the next load 6 s later: the keep-alive (5 s after its request) and 1 s of lag.
      ['keep_alive', false, at('25:41.653549'), at('25:36.653549'), at('25:42.653549')],
      // The same blob loaded again with another num_ctx.
      ['reload', false, at('25:43.276566'), at('25:43.175511'), at('25:43.276566')],
      ['replaced', false, at('25:47.767749'), at('25:47.716573'), at('25:47.767749')],
      // keep_alive: 0 is not in the logs: the next load bounds it (the runner exited 06:25:49.150).
      ['replaced', false, at('25:50.160725'), at('25:49.142064'), at('25:50.160725')],
      // systemd's `Stopping ollama.service` line: the unit's runners go with it.
      ['server_stop', true, at('25:51.605406'), at('25:51.605406'), at('25:51.605406')],
      ['server_stop', true, at('25:54.749256'), at('25:54.749256'), at('25:54.749256')],
      // Expired before the final stop (06:26:04.457618), which therefore does not end it.
      ['keep_alive', false, at('26:03.294247'), at('25:58.294247'), at('26:04.294247')],
    ]);
  });

  it('puts every request a model served on its session, and the 404 for a missing model on none', () => {
    expect(timeline.sessions.map((s) => s.requests.map((r) => r.end))).toEqual([
      [at('25:32.922028'), at('25:33.844642'), at('25:35.642494')],
      [at('25:36.653549')],
      [at('25:43.175511')],
      [at('25:44.416618'), at('25:47.716573')],
      [at('25:49.142064')],
      [at('25:50.446329')],
      [at('25:54.586313')],
      [at('25:58.294247')],
    ]);
    expect(timeline.unattributedRequests.map((r) => [r.status, r.end, r.candidates])).toEqual([[404, at('25:47.739869'), []]]);
  });

  it('shows each warning on its session: a truncation where it happened, a capped context on the load it caps', () => {
    expect(timeline.sessions[3]!.warnings.map((w) => [w.kind, w.time])).toEqual([['prompt_truncated', at('25:44.433535')]]);
    // "requested context size too large for model" comes just before the `starting runner` it is about.
    expect(timeline.sessions[4]!.warnings.map((w) => [w.kind, w.time])).toEqual([['context_capped', at('25:47.767572')]]);
  });
});
