// The journald cursor of the last entry InfluxDB acknowledged. Written temp file + fsync + rename
// (+ fsync of the directory) so a crash leaves either the old or the new cursor, never half of one.

import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { OllamaInfluxError } from '../errors.js';

export const CHECKPOINT_FILE = 'cursor.json';

export interface Checkpoint {
  readonly cursor: string;
  /** Time of that entry, µs since the epoch; informational (lag, logs). */
  readonly realtimeUs: string;
  readonly unit: string;
}

export class CheckpointStore {
  readonly path: string;

  constructor(private readonly stateDir: string) {
    this.path = join(stateDir, CHECKPOINT_FILE);
  }

  load(): Checkpoint | null {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new OllamaInfluxError('OI_ERR_CHECKPOINT', `cannot read ${this.path}: ${(err as Error).message}`);
    }
    try {
      const value = JSON.parse(text) as Checkpoint;
      if (typeof value.cursor !== 'string' || value.cursor === '') throw new Error('no cursor');
      return value;
    } catch (err) {
      throw new OllamaInfluxError(
        'OI_ERR_CHECKPOINT',
        `${this.path} is corrupt (${(err as Error).message}); delete it to re-read INITIAL_LOOKBACK (replays are harmless)`,
      );
    }
  }

  save(checkpoint: Checkpoint): void {
    const temp = `${this.path}.tmp`;
    try {
      mkdirSync(this.stateDir, { recursive: true, mode: 0o750 });
      const fd = openSync(temp, 'w', 0o640);
      try {
        writeSync(fd, `${JSON.stringify(checkpoint)}\n`);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(temp, this.path);
      const dir = openSync(this.stateDir, 'r');
      try {
        fsyncSync(dir);
      } finally {
        closeSync(dir);
      }
    } catch (err) {
      throw new OllamaInfluxError('OI_ERR_CHECKPOINT', `cannot write ${this.path}: ${(err as Error).message}`);
    }
  }
}
