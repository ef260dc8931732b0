// ollama_influx_journal_errors_total counts a journal read that fails, by why: real journalctl, made to
// fail the two ways a host makes it fail — run as a user who may not read the journal files
// (runuser -u nobody), and pointed at a directory that does not exist.

import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { cliEnv, collect, startCli } from '../support/cli.js';
import { freshBucket, waitFor } from '../support/influx.js';
import { entriesFrom, tempDir, writeJournal } from '../support/journal.js';
import { freePort } from '../support/prometheus.js';

let daemon: ChildProcess | null = null;

afterEach(async () => {
  daemon?.kill('SIGTERM');
  if (daemon !== null) await collect(daemon, 20_000);
  daemon = null;
});

async function journalErrors(env: Record<string, string>): Promise<Record<string, number>> {
  const port = await freePort();
  const dir = tempDir('journal-errors');
  daemon = startCli(['run'], cliEnv(await freshBucket('journal-errors'), { STATE_DIR: join(dir, 'state'), POLL_INTERVAL: '1s', METRICS_LISTEN: `127.0.0.1:${port}`, ...env }));
  let counts: Record<string, number> = {};
  // Two failed passes: the counter counts each, it is not a flag.
  await waitFor(
    async () => {
      const text = await fetch(`http://127.0.0.1:${port}/metrics`).then((r) => r.text(), () => '');
      counts = {};
      for (const match of text.matchAll(/^ollama_influx_journal_errors_total\{type="(\w+)"\} (\d+)$/gm)) counts[match[1]!] = Number(match[2]);
      return Object.values(counts).some((n) => n >= 2);
    },
    30_000,
    'two failed journal reads on /metrics',
  );
  return counts;
}

describe('journal read failures on /metrics', () => {
  it('counts permission_denied when journalctl may not read the journal files', async () => {
    const dir = tempDir('journal-errors-files');
    await writeJournal(dir, entriesFrom(['hello'], BigInt(Date.now()) * 1000n));
    chmodSync(join(dir, 'system.journal'), 0o600); // root's; the daemon's journalctl runs as nobody
    const counts = await journalErrors({ JOURNAL_DIR: dir, JOURNALCTL_COMMAND: 'runuser -u nobody -- journalctl' });
    expect(counts['permission_denied']).toBeGreaterThanOrEqual(2);
    expect(counts['journalctl_failed']).toBe(0);
  });

  it('counts journalctl_failed when journalctl exits with an error', async () => {
    const counts = await journalErrors({ JOURNAL_DIR: join(tempDir('journal-errors-missing'), 'no-such-dir') });
    expect(counts['journalctl_failed']).toBeGreaterThanOrEqual(2);
    expect(counts['permission_denied']).toBe(0);
  });
});
