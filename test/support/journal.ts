// Builds real journal files for tests: journal export format piped into systemd-journal-remote.

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const JOURNAL_REMOTE = '/lib/systemd/systemd-journal-remote';
const BOOT_ID = '5f0e5c9b7c1f4c0c9d2b0a4e8f6a1b2c';

export interface FixtureEntry {
  /** Text, or raw bytes (to test non-UTF-8 messages). */
  readonly message: string | Buffer;
  /** Microseconds since the epoch. */
  readonly realtimeUs: bigint;
  readonly pid?: number;
  /** Defaults to ollama.service. */
  readonly unit?: string;
}

export function requireJournalRemote(): void {
  if (!existsSync(JOURNAL_REMOTE)) {
    throw new Error(`${JOURNAL_REMOTE} is missing: install the Debian package systemd-journal-remote`);
  }
}

export function tempDir(prefix: string): string {
  const base = join(tmpdir(), 'ollama-influx-tests');
  mkdirSync(base, { recursive: true });
  return mkdtempSync(join(base, `${prefix}-`));
}

function field(name: string, value: string | Buffer): Buffer {
  const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  // Binary form for anything with a newline or that is not plain text; it is always valid.
  const size = Buffer.alloc(8);
  size.writeBigUInt64LE(BigInt(bytes.length));
  return Buffer.concat([Buffer.from(`${name}\n`), size, bytes, Buffer.from('\n')]);
}

export function exportEntry(entry: FixtureEntry, monotonicUs: bigint): Buffer {
  const pid = String(entry.pid ?? 4242);
  const head =
    `__REALTIME_TIMESTAMP=${entry.realtimeUs}\n` +
    `__MONOTONIC_TIMESTAMP=${monotonicUs}\n` +
    `_BOOT_ID=${BOOT_ID}\n` +
    `_SYSTEMD_UNIT=${entry.unit ?? 'ollama.service'}\n` +
    `_PID=${pid}\nSYSLOG_IDENTIFIER=ollama\n_TRANSPORT=stdout\nPRIORITY=6\n`;
  return Buffer.concat([Buffer.from(head), field('MESSAGE', entry.message), Buffer.from('\n')]);
}

/**
 * Appends entries to DIR/FILE (created when missing) and resolves when journal-remote is done.
 * Entries are streamed, so a few hundred thousand cost no memory.
 */
export async function writeJournal(
  dir: string,
  entries: Iterable<FixtureEntry>,
  file = 'system.journal',
): Promise<string> {
  requireJournalRemote();
  const path = join(dir, file);
  const child = spawn(JOURNAL_REMOTE, [`--output=${path}`, '-'], { stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<void>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`systemd-journal-remote exited ${code}: ${stderr}`)),
    );
  });
  let monotonic = 1_000_000n;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  for (const entry of entries) {
    monotonic = entry.realtimeUs; // any increasing value works; realtime keeps appends ordered
    const chunk = exportEntry(entry, monotonic);
    pending.push(chunk);
    pendingBytes += chunk.length;
    if (pendingBytes > 1 << 20) {
      if (!child.stdin.write(Buffer.concat(pending))) await new Promise((r) => child.stdin.once('drain', r));
      pending = [];
      pendingBytes = 0;
    }
  }
  child.stdin.end(Buffer.concat(pending));
  await done;
  return path;
}

/** Entries one millisecond apart starting at startUs, one per message. */
export function entriesFrom(messages: Iterable<string | Buffer>, startUs: bigint, stepUs = 1000n): FixtureEntry[] {
  const out: FixtureEntry[] = [];
  let t = startUs;
  for (const message of messages) {
    out.push({ message, realtimeUs: t });
    t += stepUs;
  }
  return out;
}
