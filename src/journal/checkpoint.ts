// The journald cursor of the last entry InfluxDB acknowledged. Written temp file + fsync + rename
// (+ fsync of the directory) so a crash leaves either the old or the new cursor, never half of one.
// Asynchronously: an fsync takes milliseconds to tens of them, and the shipper keeps reading, encoding
// and writing meanwhile (it orders the saves itself, see ship.ts).
// The state dir belongs to the service user while `once` or `check` may run as root: the temp file
// is created fresh (O_EXCL) and neither file is opened through a symlink (O_NOFOLLOW), so a link
// planted there cannot make root write or read another file.

import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { OllamaInfluxError } from '../errors.js';

export const CHECKPOINT_FILE = 'cursor.json';
/** A cursor file is ~200 bytes; anything much larger is not one of ours. */
const MAX_CHECKPOINT_BYTES = 64 * 1024;

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
      text = readSmallFile(this.path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      const code = (err as NodeJS.ErrnoException).code;
      const why = code === 'ELOOP' ? 'it is a symbolic link' : (err as Error).message;
      throw new OllamaInfluxError('OI_ERR_CHECKPOINT', `cannot read ${this.path}: ${why}`);
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

  private dirReady = false;

  async save(checkpoint: Checkpoint): Promise<void> {
    const temp = `${this.path}.tmp`;
    try {
      if (!this.dirReady) {
        await mkdir(this.stateDir, { recursive: true, mode: 0o750 });
        this.dirReady = true;
      }
      // A temp file left by a crash (or planted) is removed, not reused: unlink never follows a link.
      try {
        await unlink(temp);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
      const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
      const file = await open(temp, flags, 0o640);
      try {
        await file.writeFile(`${JSON.stringify(checkpoint)}\n`);
        await file.sync();
      } finally {
        await file.close();
      }
      // rename replaces a symlink at the cursor path itself, never the file it points to.
      await rename(temp, this.path);
      const dir = await open(this.stateDir, 'r');
      try {
        await dir.sync();
      } finally {
        await dir.close();
      }
    } catch (err) {
      throw new OllamaInfluxError('OI_ERR_CHECKPOINT', `cannot write ${this.path}: ${(err as Error).message}`);
    }
  }
}

/** Reads a regular file without following a symlink and without trusting its size. */
function readSmallFile(path: string): string {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  try {
    const stats = fstatSync(fd);
    if (stats.isDirectory()) throw Object.assign(new Error(`EISDIR: illegal operation on a directory, read`), { code: 'EISDIR' });
    if (!stats.isFile()) throw new Error('not a regular file');
    if (stats.size > MAX_CHECKPOINT_BYTES) throw new Error(`${stats.size} bytes, more than a cursor file holds`);
    const buffer = Buffer.alloc(stats.size);
    let read = 0;
    while (read < buffer.length) {
      const n = readSync(fd, buffer, read, buffer.length - read, read);
      if (n === 0) break;
      read += n;
    }
    return buffer.toString('utf8', 0, read);
  } finally {
    closeSync(fd);
  }
}
