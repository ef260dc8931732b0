// Writes real journal files: journal export format piped into systemd-journal-remote.
// Plain JavaScript so both the tests (through journal.ts) and bench/ can use it.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const JOURNAL_REMOTE = '/lib/systemd/systemd-journal-remote';
const BOOT_ID = '5f0e5c9b7c1f4c0c9d2b0a4e8f6a1b2c';

export function requireJournalRemote() {
  if (!existsSync(JOURNAL_REMOTE)) {
    throw new Error(`${JOURNAL_REMOTE} is missing: install the Debian package systemd-journal-remote`);
  }
}

/** MESSAGE in the binary form (length-prefixed), which is valid for any bytes, newlines included. */
function binaryField(name, value) {
  const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  const size = Buffer.alloc(8);
  size.writeBigUInt64LE(BigInt(bytes.length));
  return Buffer.concat([Buffer.from(`${name}\n`), size, bytes, Buffer.from('\n')]);
}

export function exportEntry(entry) {
  // An Ollama line by default; `fields` adds or replaces any (systemd's own lines about the unit carry
  // _PID=1, _SYSTEMD_UNIT=init.scope and UNIT=ollama.service, which `journalctl -u` also matches).
  const fields = {
    __REALTIME_TIMESTAMP: entry.realtimeUs,
    __MONOTONIC_TIMESTAMP: entry.realtimeUs, // any increasing value works; realtime keeps appends ordered
    _BOOT_ID: BOOT_ID,
    _SYSTEMD_UNIT: entry.unit ?? 'ollama.service',
    ...(entry.pid === null ? {} : { _PID: entry.pid ?? 4242 }), // null: an entry without _PID
    SYSLOG_IDENTIFIER: 'ollama',
    _TRANSPORT: 'stdout',
    PRIORITY: 6,
    ...entry.fields,
  };
  const head = Object.entries(fields).map(([name, value]) => `${name}=${value}\n`).join('');
  return Buffer.concat([Buffer.from(head), binaryField('MESSAGE', entry.message), Buffer.from('\n')]);
}

/**
 * Appends entries ({message, realtimeUs, pid?, unit?, fields?}) to DIR/FILE (created when missing).
 * Entries are streamed, so a few hundred thousand cost no memory.
 */
export async function writeJournal(dir, entries, file = 'system.journal') {
  requireJournalRemote();
  const path = join(dir, file);
  const child = spawn(JOURNAL_REMOTE, [`--output=${path}`, '-'], { stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk.toString()));
  const done = new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`systemd-journal-remote exited ${code}: ${stderr}`))));
  });
  let pending = [];
  let pendingBytes = 0;
  for (const entry of entries) {
    const chunk = exportEntry(entry);
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
