// Point keys on a real InfluxDB from real journal files shaped like journald's bursts: journald stamps
// every line of one read pass with the same microsecond, and a model load writes hundreds of lines in
// one pass, many of them identical. Every entry must stay its own row, in both msg_hash modes, and a
// replay must add none.

import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliEnv, runCli } from '../support/cli.js';
import { countPoints, freshBucket } from '../support/influx.js';
import { tempDir, writeJournal, type FixtureEntry } from '../support/journal.js';

const START_US = 1_763_100_000_000_000n;
const BURSTS = 40;
const LINES_PER_BURST = 177;
const GIN = '[GIN] 2025/11/14 - 06:00:00 | 200 |      1.2ms |       127.0.0.1 | GET      "/api/ps"';

/** One load burst: llama.cpp's loader output, where the same line repeats (tensor types, blank progress lines). */
function burst(index: number): string[] {
  const lines: string[] = [];
  for (let i = 0; lines.length < LINES_PER_BURST; i++) {
    switch (i % 6) {
      case 0: lines.push('llama_model_loader: - type  f32:   65 tensors'); break;
      case 1: lines.push(''); break;
      case 2: lines.push(GIN); break;
      case 3: lines.push(`llama_model_loader: - kv ${String(i % 30).padStart(3)}: general.architecture str = llama`); break;
      case 4: lines.push('.'); break;
      default: lines.push(`load_tensors: burst ${index}`);
    }
  }
  return lines;
}

function burstJournal(): FixtureEntry[] {
  const entries: FixtureEntry[] = [];
  for (let b = 0; b < BURSTS; b++) {
    const us = START_US + BigInt(b) * 1_000_000n; // one microsecond for the whole burst
    for (const message of burst(b)) entries.push({ message, realtimeUs: us, pid: 900 + (b % 3) });
  }
  return entries;
}

const ginPerBurst = burst(0).filter((line) => line === GIN).length;

describe('point keys in journald bursts (one microsecond, identical lines)', () => {
  for (const mode of ['tag', 'field'] as const) {
    it(`MSG_HASH_MODE=${mode}: rows == entries, and a replay from scratch adds none`, async () => {
      const target = await freshBucket(`burst-${mode}`);
      const dir = tempDir('journal');
      const state = tempDir('state');
      await writeJournal(dir, burstJournal());
      // Ground truth from journalctl itself: every entry is there, and the bursts really share their microsecond.
      const printed = execFileSync('journalctl', ['-D', dir, '-u', 'ollama', '-o', 'json', '--output-fields=MESSAGE'], { encoding: 'utf8', maxBuffer: 1 << 28 })
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { __REALTIME_TIMESTAMP: string; __CURSOR: string });
      const stamps = printed.map((entry) => entry.__REALTIME_TIMESTAMP);
      expect(stamps).toHaveLength(BURSTS * LINES_PER_BURST);
      expect(new Set(stamps).size).toBe(BURSTS);

      const env = cliEnv(target, { JOURNAL_DIR: dir, STATE_DIR: state, MSG_HASH_MODE: mode });
      const first = await runCli(['once', '--json'], env);
      expect(first.code, first.stderr).toBe(0);
      expect(await countPoints(target, 'ollama_logs', 'message')).toBe(7080); // 40 × 177
      expect(await countPoints(target, 'ollama_requests', 'latency_ms')).toBe(BURSTS * ginPerBurst);

      // A replay of everything: the checkpoint rewound to the first entry. (Without any checkpoint the
      // first run would start after the newest point already stored: see migration.test.ts.)
      writeFileSync(join(state, 'cursor.json'), JSON.stringify({ cursor: printed[0]!.__CURSOR, realtimeUs: stamps[0], unit: 'ollama' }));
      const replay = await runCli(['once', '--json'], env);
      expect(replay.code, replay.stderr).toBe(0);
      expect(JSON.parse(replay.stdout.trim()).read).toBe(7079);
      expect(await countPoints(target, 'ollama_logs', 'message')).toBe(7080);
      expect(await countPoints(target, 'ollama_requests', 'latency_ms')).toBe(BURSTS * ginPerBurst);
    });
  }
});
