// Captures of real Ollama servers (test/e2e/real-ollama.sh) and the comparison of a timeline with
// their ground truth, which comes from outside the logs: runner processes seen in /proc, the client's
// own request times and statuses. Tolerances are the ones issue 8 sets.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { JOURNAL_REMOTE } from './journal-export.mjs';

export const CAPTURES_DIR = process.env['REAL_OLLAMA_CAPTURES'] ?? new URL('../fixtures/real-ollama', import.meta.url).pathname;

/** A session's start must be within this of its runner's start. */
export const START_TOLERANCE_MS = 1000;
/** An end marked exact must be within this of the runner's exit. */
export const EXACT_END_TOLERANCE_MS = 1500;
/** An inferred end must be within this of the runner's exit, or its bounds must contain the exit. */
export const INFERRED_END_TOLERANCE_MS = 3000;
/** How much later than the client's own end journald may stamp the `[GIN]` line (measured: up to 0.1 s under load). */
const JOURNAL_LAG_MS = 500;

export interface TruthRunner {
  pid: number;
  /** null for the GPU-discovery runner (no --model): not a model session. */
  sha256: string | null;
  step: string;
  start: number;
  seen_last: number;
  /** The first poll (every 10 ms) that no longer saw it; null if it outlived the scenario. */
  gone: number | null;
}

export interface TruthRequest {
  step: string;
  path: string;
  model: string;
  start: number;
  end: number;
  status: number | null;
}

export interface Truth {
  version: string;
  mode: string;
  started: number;
  finished: number;
  runners: TruthRunner[];
  requests: TruthRequest[];
  tags: { models: { name: string; size: number; digest: string }[] } | null;
}

export interface Capture {
  name: string;
  dir: string;
  truth: Truth;
}

export function captures(): Capture[] {
  if (!existsSync(CAPTURES_DIR)) return [];
  return readdirSync(CAPTURES_DIR)
    .filter((name) => existsSync(join(CAPTURES_DIR, name, 'truth.json')))
    .sort()
    .map((name) => ({ name, dir: join(CAPTURES_DIR, name), truth: JSON.parse(readFileSync(join(CAPTURES_DIR, name, 'truth.json'), 'utf8')) as Truth }));
}

/** The capture's journal as a real journal file in DIR (journalctl -D DIR reads it). */
export function writeCaptureJournal(capture: Capture, dir: string): void {
  const exported = gunzipSync(readFileSync(join(capture.dir, 'journal.export.gz')));
  execFileSync(JOURNAL_REMOTE, [`--output=${join(dir, 'system.journal')}`, '-'], { input: exported, stdio: ['pipe', 'ignore', 'pipe'] });
}

/** The capture's models dir in DIR: manifests and small blobs as saved, model blobs at their real size (sparse). */
export function writeCaptureModels(capture: Capture, dir: string): void {
  mkdirSync(dir, { recursive: true });
  execFileSync('tar', ['xzf', join(capture.dir, 'models.tar.gz'), '-C', dir]);
  for (const line of readFileSync(join(capture.dir, 'blob-sizes.txt'), 'utf8').split('\n')) {
    const match = /^(\d+) (blobs\/sha256-[0-9a-f]{64})$/.exec(line);
    if (match) execFileSync('truncate', ['-s', match[1]!, join(dir, match[2]!)]);
  }
}

/** The capture's entries (journal export format, text and binary fields), in journal order: [RFC 3339, MESSAGE]. */
export function captureLines(capture: Capture): [string, string][] {
  const data = gunzipSync(readFileSync(join(capture.dir, 'journal.export.gz')));
  const out: [string, string][] = [];
  let entry = new Map<string, string>();
  let i = 0;
  while (i < data.length) {
    const newline = data.indexOf(10, i);
    const end = newline < 0 ? data.length : newline;
    if (end === i) {
      // A blank line ends an entry.
      const us = entry.get('__REALTIME_TIMESTAMP');
      const message = entry.get('MESSAGE');
      if (us !== undefined && message !== undefined) out.push([new Date(Number(BigInt(us) / 1000n)).toISOString().replace('Z', `${us.slice(-3)}Z`), message]);
      entry = new Map();
      i = end + 1;
      continue;
    }
    const line = data.subarray(i, end).toString('utf8');
    const eq = line.indexOf('=');
    if (eq >= 0) {
      entry.set(line.slice(0, eq), line.slice(eq + 1));
      i = end + 1;
    } else {
      // Binary field: NAME\n, little-endian u64 size, the bytes, \n.
      const size = Number(data.readBigUInt64LE(end + 1));
      entry.set(line, data.subarray(end + 9, end + 9 + size).toString('utf8'));
      i = end + 9 + size + 1;
    }
  }
  return out;
}

// ---- comparison ----------------------------------------------------------------------------------

interface JsonRequest {
  start: string;
  end: string;
  status: number;
  path: string;
}
export interface JsonSession {
  model: string | null;
  sha256: string | null;
  ctx_size: number | null;
  start: string;
  end: string;
  end_reason: string;
  end_exact: boolean;
  end_earliest: string;
  end_latest: string | null;
  requests: JsonRequest[];
}
export interface JsonTimeline {
  sessions: JsonSession[];
  unattributed_requests: JsonRequest[];
}

export interface Figures {
  loads: number;
  sessionsMatched: number;
  sessions: number;
  ends: number;
  endsRight: number;
  served: number;
  attributed: number;
  /** One line per thing that does not match, for the test's failure message. */
  problems: string[];
}

const ms = (iso: string) => Date.parse(iso);
const INFERENCE = new Set(['/api/generate', '/api/chat', '/api/embed', '/api/embeddings']);

/** Compares a timeline (its JSON) with the truth: sessions vs runner processes, ends, attributions. */
export function compareWithTruth(truth: Truth, timeline: JsonTimeline): Figures {
  const problems: string[] = [];
  const runners = truth.runners.filter((r) => r.sha256 !== null);
  const sessions = timeline.sessions;
  const matchOf = new Map<TruthRunner, JsonSession>();
  const used = new Set<JsonSession>();
  for (const runner of runners) {
    const session = sessions.find(
      (s) => !used.has(s) && s.sha256 === runner.sha256 && Math.abs(ms(s.start) - runner.start) <= START_TOLERANCE_MS,
    );
    if (session === undefined) {
      problems.push(`no session for runner pid ${runner.pid} (${runner.step}) started ${new Date(runner.start).toISOString()}`);
      continue;
    }
    used.add(session);
    matchOf.set(runner, session);
  }
  for (const s of sessions) if (!used.has(s)) problems.push(`session ${s.model} started ${s.start} matches no runner process`);

  let endsRight = 0;
  for (const [runner, s] of matchOf) {
    // The runner exited between the last poll that saw it and the first that did not.
    const exitFrom = runner.seen_last;
    const exitTo = runner.gone ?? Infinity;
    const off = Math.max(0, exitFrom - ms(s.end), ms(s.end) - exitTo);
    const tolerance = s.end_exact ? EXACT_END_TOLERANCE_MS : INFERRED_END_TOLERANCE_MS;
    const latest = s.end_latest === null ? Infinity : ms(s.end_latest);
    const inBounds = !s.end_exact && ms(s.end_earliest) <= exitTo && latest >= exitFrom;
    if (off <= tolerance || inBounds) endsRight++;
    else {
      problems.push(
        `${s.model} (${runner.step}): end ${s.end} (${s.end_reason}, ${s.end_exact ? 'exact' : 'inferred'}, bounds ${s.end_earliest} … ${s.end_latest}) ` +
          `is ${(off / 1000).toFixed(2)} s from the runner's exit ${new Date(exitFrom).toISOString()}`,
      );
    }
  }

  // A request was served by the newest model runner alive during it. Not "alive when the client saw
  // the end": with keep_alive 0 the runner exits right after answering, a few ms before that.
  const served = truth.requests.filter((r) => r.status === 200 && INFERENCE.has(r.path));
  let attributed = 0;
  for (const request of served) {
    const runner = runners
      .filter((r) => r.start <= request.end && (r.gone ?? Infinity) >= request.start)
      .sort((a, b) => b.start - a.start)[0];
    const session = runner === undefined ? undefined : matchOf.get(runner);
    // gin logs the request when it completes; journald stamps the line when it reads it, which on a
    // loaded machine can be a little after the client saw the response.
    const logged = session?.requests.find((r) => r.status === 200 && ms(r.end) <= request.end + JOURNAL_LAG_MS && ms(r.end) >= request.start);
    if (logged !== undefined) attributed++;
    else problems.push(`request ${request.model} (${request.step}) ending ${new Date(request.end).toISOString()} is not on its model's session`);
  }
  // A request for a model that does not exist (404) was served by none.
  for (const request of truth.requests.filter((r) => r.status === 404)) {
    const on = sessions.find((s) => s.requests.some((r) => r.status === 404 && ms(r.end) <= request.end + JOURNAL_LAG_MS && ms(r.end) >= request.start));
    if (on !== undefined) problems.push(`the 404 for ${request.model} is on the session of ${on.model} started ${on.start}`);
  }
  return {
    loads: runners.length,
    sessionsMatched: matchOf.size,
    sessions: sessions.length,
    ends: matchOf.size,
    endsRight,
    served: served.length,
    attributed,
    problems,
  };
}
