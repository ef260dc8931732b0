// Issue 9, item 8: in sudo mode journalctl runs as root through systemd/journalctl-ollama. `-u UNIT`
// also matches the unit's coredump entries (COREDUMP_ENVIRON, COREDUMP_CMDLINE, …), so the wrapper
// must hand journalctl exactly the fields the daemon reads, whatever its caller asks.

import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { JOURNAL_OUTPUT_FIELDS } from '../../src/journal/entry.js';

const dir = mkdtempSync(join(tmpdir(), 'ollama-influx-sudo-wrapper-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The wrapper with journalctl replaced by a script that prints the argv it was given. */
function wrapper(): string {
  const fake = join(dir, 'journalctl');
  writeFileSync(fake, '#!/bin/sh\nprintf "%s\\n" "$@"\n');
  chmodSync(fake, 0o755);
  const source = readFileSync(new URL('../../systemd/journalctl-ollama', import.meta.url), 'utf8');
  const path = join(dir, 'journalctl-ollama');
  writeFileSync(path, source.replace('JOURNALCTL=/usr/bin/journalctl', `JOURNALCTL=${fake}`));
  chmodSync(path, 0o755);
  return path;
}

const BASE = ['-u', 'ollama', '-o', 'json', '--all', '--no-pager'];

describe('journalctl-ollama (sudo wrapper)', () => {
  const path = wrapper();

  it('names the same fields as the daemon reads', () => {
    expect(readFileSync(path, 'utf8')).toContain(`\nFIELDS=${JOURNAL_OUTPUT_FIELDS.join(',')}\n`);
  });

  it('passes exactly those fields when the caller leaves --output-fields out', () => {
    const passed = execFileSync(path, [...BASE, '--since=@1740906849'], { encoding: 'utf8' }).trim().split('\n');
    expect(passed.filter((arg) => arg.startsWith('--output-fields'))).toEqual(['--output-fields=MESSAGE,_PID']);
  });

  it.each([
    'COREDUMP_ENVIRON,MESSAGE',
    'MESSAGE,_PID,COREDUMP_CMDLINE',
    'MESSAGE',
    '_PID,MESSAGE',
  ])('refuses --output-fields=%s (exit 64), so no other field can be printed', (fields) => {
    const result = spawnSync(path, [...BASE, `--output-fields=${fields}`], { encoding: 'utf8' });
    expect(result.status).toBe(64);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('refused: output fields');
  });

  it('refuses the models-dir lookup shape the inventory used before (-o cat --grep)', () => {
    const result = spawnSync(path, ['-u', 'ollama', '-o', 'cat', '--no-pager', '--all', '-n', '1', '--grep', 'server config'], { encoding: 'utf8' });
    expect(result.status).toBe(64);
  });
});
