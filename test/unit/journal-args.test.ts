import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { journalctlArgs, type JournalSourceSettings } from '../../src/journal/source.js';

const PLAIN: JournalSourceSettings = { unit: 'ollama', journalDir: null, command: ['journalctl'] };
const CURSOR = 's=7f3c1a9e2b7d4e0f8a6b5c4d3e2f1a0b;i=2a41;b=5f0e5c9b7c1f4c0c9d2b0a4e8f6a1b2c;m=9a3b1c;t=62f1d2c3b4a59;x=4be1a7c9d0e2f3a1';
const BASE = ['-u', 'ollama', '-o', 'json', '--all', '--no-pager', '--output-fields=MESSAGE,_PID'];

describe('journalctlArgs', () => {
  it('always asks for JSON, --all (no nulled long fields), no pager and only the fields used', () => {
    const args = journalctlArgs(PLAIN, { sinceMs: null });
    expect(args).toEqual(BASE);
  });

  it('starts at a saved cursor with --cursor= (the saved entry comes back first)', () => {
    const args = journalctlArgs(PLAIN, { cursor: CURSOR });
    expect(args).toEqual([...BASE, `--cursor=${CURSOR}`]);
    expect(args.some((arg) => arg.startsWith('--since') || arg.startsWith('--after-cursor'))).toBe(false);
  });

  it('starts at a time with --since=@EPOCH_SECONDS, rounded down', () => {
    expect(journalctlArgs(PLAIN, { sinceMs: 1_740_906_849_918 })).toEqual([...BASE, '--since=@1740906849']);
  });

  it('reads the whole journal (INITIAL_LOOKBACK=all) without a start option', () => {
    const args = journalctlArgs(PLAIN, { sinceMs: null });
    expect(args.some((arg) => arg.startsWith('--since') || arg.startsWith('--cursor'))).toBe(false);
  });

  it('reads a journal directory with -D', () => {
    const args = journalctlArgs({ ...PLAIN, journalDir: '/srv/journal dir' }, { cursor: CURSOR });
    expect(args).toEqual([...BASE, '-D', '/srv/journal dir', `--cursor=${CURSOR}`]);
  });

  it('uses the configured unit', () => {
    expect(journalctlArgs({ ...PLAIN, unit: 'ollama@gpu1.service' }, { sinceMs: null }).slice(0, 2)).toEqual(['-u', 'ollama@gpu1.service']);
  });

  it('puts the rest of a command prefix (sudo wrapper) before the journalctl options', () => {
    const settings = { ...PLAIN, command: ['sudo', '-n', '/usr/local/libexec/ollama-influx/journalctl-ollama'] };
    expect(journalctlArgs(settings, { cursor: CURSOR })).toEqual([
      '-n',
      '/usr/local/libexec/ollama-influx/journalctl-ollama',
      ...BASE,
      `--cursor=${CURSOR}`,
    ]);
  });

  // The sudo wrapper accepts one command shape; what the daemon builds must be that shape.
  it('builds argv the sudo wrapper (systemd/journalctl-ollama) accepts', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ollama-influx-wrapper-'));
    try {
      const fake = join(dir, 'journalctl');
      writeFileSync(fake, '#!/bin/sh\nprintf "%s\\n" "$@"\n');
      chmodSync(fake, 0o755);
      const wrapper = join(dir, 'journalctl-ollama');
      const source = readFileSync(new URL('../../systemd/journalctl-ollama', import.meta.url), 'utf8');
      expect(source).toContain('JOURNALCTL=/usr/bin/journalctl');
      writeFileSync(wrapper, source.replace('JOURNALCTL=/usr/bin/journalctl', `JOURNALCTL=${fake}`));
      chmodSync(wrapper, 0o755);
      const settings = { ...PLAIN, command: ['sudo', '-n', wrapper] };
      for (const position of [{ cursor: CURSOR }, { sinceMs: 1_740_906_849_918 }, { sinceMs: null }]) {
        const args = journalctlArgs(settings, position).slice(2);
        const passed = execFileSync(wrapper, args, { encoding: 'utf8' }).trim().split('\n');
        expect(passed).toContain('--all');
        expect(passed).toContain('--output-fields=MESSAGE,_PID');
        if ('cursor' in position) expect(passed).toContain(`--cursor=${CURSOR}`);
      }
      // And it refuses what it must refuse, so the check above means something.
      expect(() => execFileSync(wrapper, journalctlArgs({ ...settings, journalDir: '/tmp' }, { sinceMs: null }).slice(2), { stdio: 'pipe' })).toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
