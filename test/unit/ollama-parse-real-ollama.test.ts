// The parser on journals written by real Ollama servers under real systemd (test/fixtures/real-ollama/,
// captured by the real-Ollama e2e scenario). Ground truth is the scenario's own record (truth.json):
// the runner processes it saw in /proc, the systemctl actions it ran, the requests its client made.

import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseMessage, type ParsedLine } from '../../src/ollama/parse/index.js';
import { tempDir } from '../support/journal.js';
import { fieldsOf } from '../support/parsed-fields.js';

const ROOT = new URL('../fixtures/real-ollama/', import.meta.url).pathname;
const captures = existsSync(ROOT) ? readdirSync(ROOT).filter((name) => existsSync(join(ROOT, name, 'journal.export.gz'))) : [];

interface Truth {
  runners: { sha256: string | null; step: string }[];
  actions: { what: string }[];
  requests: { method: string; path: string; status: number }[];
}

interface Line {
  identifier: string;
  message: string;
  parsed: ParsedLine;
}

/** The capture through the real tools: journal export → systemd-journal-remote → journalctl -o json. */
function readCapture(name: string): Line[] {
  const dir = tempDir(`real-ollama-${name}`);
  const exported = join(dir, 'journal.export');
  writeFileSync(exported, gunzipSync(readFileSync(join(ROOT, name, 'journal.export.gz'))));
  const remote = spawnSync('/lib/systemd/systemd-journal-remote', [`--output=${join(dir, 'capture.journal')}`, exported], { encoding: 'utf8' });
  expect(remote.status, remote.stderr).toBe(0);
  const read = spawnSync('journalctl', ['-D', dir, '-o', 'json', '--all', '--no-pager'], { encoding: 'utf8', maxBuffer: 256 * 2 ** 20 });
  expect(read.status, read.stderr).toBe(0);
  return read.stdout
    .split('\n')
    .filter((text) => text !== '')
    .map((text) => {
      const entry = JSON.parse(text) as Record<string, unknown>;
      const raw = entry['MESSAGE'];
      const message = Array.isArray(raw) ? Buffer.from(raw as number[]).toString('utf8') : String(raw ?? '');
      return { identifier: String(entry['SYSLOG_IDENTIFIER'] ?? ''), message, parsed: parseMessage(message) };
    });
}

describe.each(captures)('the real Ollama capture %s', (name) => {
  const truth = JSON.parse(readFileSync(join(ROOT, name, 'truth.json'), 'utf8')) as Truth;
  const lines = readCapture(name);
  const ofKind = (kind: string): Readonly<Record<string, unknown>>[] => lines.filter((line) => line.parsed.kind === kind).map((line) => fieldsOf(line.parsed));

  it('has one model load start per model runner seen in /proc, for the same blobs in the same order', () => {
    const fromProc = truth.runners.filter((runner) => runner.sha256 !== null).map((runner) => runner.sha256);
    expect(ofKind('model_load_start').map((load) => load['sha256'])).toEqual(fromProc);
  });

  it("parses every one of systemd's own lines about the unit, and one stop/start per systemctl action", () => {
    const systemd = lines.filter((line) => line.identifier === 'systemd');
    expect(systemd.length).toBeGreaterThan(0);
    for (const line of systemd) expect(line.parsed.kind, line.message).not.toBe('unknown');
    const stops = truth.actions.filter((action) => /systemctl (stop|restart)/.test(action.what)).length;
    const starts = truth.actions.filter((action) => /systemctl (start|restart)/.test(action.what)).length;
    expect(ofKind('server_stop').filter((line) => line['stage'] === 'stopping')).toHaveLength(stops);
    expect(ofKind('service_start').filter((line) => line['stage'] === 'started')).toHaveLength(starts);
  });

  it("has a request line for each of the scenario client's requests, with its status", () => {
    const key = (method: unknown, path: unknown, status: unknown): string => `${String(method)} ${String(path)} ${String(status)}`;
    const logged = ofKind('request').map((request) => key(request['method'], request['path'], request['status']));
    for (const request of truth.requests) {
      const wanted = key(request.method, request.path, request.status);
      const times = truth.requests.filter((other) => key(other.method, other.path, other.status) === wanted).length;
      expect(logged.filter((line) => line === wanted).length, wanted).toBe(times);
    }
  });

  it('leaves no WARN or ERROR line unknown but the GGUF metadata defaults', () => {
    // A WARN or ERROR line is something an operator wants as an event; `key not found` (0.6 – 0.11) only
    // says a GGUF metadata key fell back to its default while a model file was read.
    const unknownWarnings = lines.filter(
      (line) => line.parsed.kind === 'unknown' && (line.parsed.level === 'WARN' || line.parsed.level === 'ERROR') && !line.message.includes(' msg="key not found" '),
    );
    expect(unknownWarnings.map((line) => line.message)).toEqual([]);
  });
});
