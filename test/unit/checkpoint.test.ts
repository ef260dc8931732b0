import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OllamaInfluxError } from '../../src/errors.js';
import { CHECKPOINT_FILE, CheckpointStore, type Checkpoint } from '../../src/journal/checkpoint.js';

const root = mkdtempSync(join(tmpdir(), 'ollama-influx-checkpoint-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let count = 0;
const freshDir = (): string => join(root, `state-${++count}`);

const CHECKPOINT: Checkpoint = {
  cursor: 's=7f3c1a9e2b7d4e0f8a6b5c4d3e2f1a0b;i=2a41;b=5f0e5c9b7c1f4c0c9d2b0a4e8f6a1b2c;m=9a3b1c;t=62f1d2c3b4a59;x=4be1a7c9d0e2f3a1',
  realtimeUs: '1740906849118123',
  unit: 'ollama',
};

function checkpointError(fn: () => unknown): OllamaInfluxError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(OllamaInfluxError);
    expect((err as OllamaInfluxError).code).toBe('OI_ERR_CHECKPOINT');
    return err as OllamaInfluxError;
  }
  throw new Error('expected OI_ERR_CHECKPOINT, nothing was thrown');
}

async function checkpointErrorAsync(fn: () => Promise<unknown>): Promise<OllamaInfluxError> {
  try {
    await fn();
  } catch (err) {
    expect(err).toBeInstanceOf(OllamaInfluxError);
    expect((err as OllamaInfluxError).code).toBe('OI_ERR_CHECKPOINT');
    return err as OllamaInfluxError;
  }
  throw new Error('expected OI_ERR_CHECKPOINT, nothing was thrown');
}

describe('CheckpointStore', () => {
  let umask: number;
  beforeEach(() => {
    umask = process.umask(0o022);
  });
  afterEach(() => {
    process.umask(umask);
  });

  it('loads what it saved', async () => {
    const dir = freshDir();
    const store = new CheckpointStore(dir);
    await store.save(CHECKPOINT);
    expect(store.load()).toEqual(CHECKPOINT);
    // A new store over the same directory (a restarted daemon) sees it too.
    expect(new CheckpointStore(dir).load()).toEqual(CHECKPOINT);
  });

  it('replaces the previous checkpoint', async () => {
    const store = new CheckpointStore(freshDir());
    await store.save(CHECKPOINT);
    const next = { ...CHECKPOINT, cursor: `${CHECKPOINT.cursor.slice(0, -1)}2`, realtimeUs: '1740906849118999' };
    await store.save(next);
    expect(store.load()).toEqual(next);
    expect(JSON.parse(readFileSync(store.path, 'utf8'))).toEqual(next);
  });

  it('is null when no checkpoint was saved yet (first run), even without the state dir', () => {
    expect(new CheckpointStore(freshDir()).load()).toBeNull();
    const dir = freshDir();
    mkdirSync(dir);
    expect(new CheckpointStore(dir).load()).toBeNull();
  });

  it('creates the state dir, writes the file 0640 and leaves no temp file behind', async () => {
    const dir = join(freshDir(), 'nested');
    const store = new CheckpointStore(dir);
    await store.save(CHECKPOINT);
    await store.save(CHECKPOINT);
    expect(store.path).toBe(join(dir, CHECKPOINT_FILE));
    expect(readdirSync(dir)).toEqual([CHECKPOINT_FILE]);
    expect(statSync(store.path).mode & 0o777).toBe(0o640);
    expect(statSync(dir).mode & 0o777).toBe(0o750);
  });

  it.each([
    ['truncated JSON', '{"cursor":"s=abc;i='],
    ['an empty file', ''],
    ['JSON null', 'null'],
    ['no cursor', '{"realtimeUs":"1","unit":"ollama"}'],
    ['an empty cursor', '{"cursor":"","realtimeUs":"1","unit":"ollama"}'],
    ['a cursor that is not a string', '{"cursor":42}'],
  ])('refuses a corrupt file (%s) with OI_ERR_CHECKPOINT and says what to do', (_name, text) => {
    const dir = freshDir();
    mkdirSync(dir);
    writeFileSync(join(dir, CHECKPOINT_FILE), text);
    const store = new CheckpointStore(dir);
    const error = checkpointError(() => store.load());
    expect(error.message).toContain(store.path);
    expect(error.message).toContain('corrupt');
    expect(error.message).toMatch(/delete it/);
    expect(error.exitCode).toBe(1);
  });

  it('reports a checkpoint path it cannot read', () => {
    const dir = freshDir();
    mkdirSync(join(dir, CHECKPOINT_FILE), { recursive: true });
    const error = checkpointError(() => new CheckpointStore(dir).load());
    expect(error.message).toContain('cannot read');
    expect(error.message).toContain('EISDIR');
  });

  it('reports a state dir it cannot write', async () => {
    const file = join(root, `not-a-dir-${++count}`);
    writeFileSync(file, 'x');
    const store = new CheckpointStore(join(file, 'state'));
    const error = await checkpointErrorAsync(() => store.save(CHECKPOINT));
    expect(error.message).toContain('cannot write');
    expect(error.message).toContain(store.path);
    expect(error.fix).toMatch(/STATE_DIR/);
  });
  // Issue 9: `once` run as root must not write through a link the service user planted in STATE_DIR.
  it('does not follow a symlink planted at the temp path: the target keeps its content', async () => {
    const dir = freshDir();
    mkdirSync(dir);
    const victim = join(root, `victim-${++count}`);
    writeFileSync(victim, 'root-owned content\n');
    symlinkSync(victim, join(dir, `${CHECKPOINT_FILE}.tmp`));
    const store = new CheckpointStore(dir);
    await store.save(CHECKPOINT);
    expect(readFileSync(victim, 'utf8')).toBe('root-owned content\n');
    expect(store.load()).toEqual(CHECKPOINT);
    expect(lstatSync(store.path).isFile()).toBe(true);
    expect(readdirSync(dir)).toEqual([CHECKPOINT_FILE]);
  });

  it('does not read through a symlink at the cursor path, and saving replaces the link, not its target', async () => {
    const dir = freshDir();
    mkdirSync(dir);
    const victim = join(root, `victim-${++count}`);
    writeFileSync(victim, JSON.stringify(CHECKPOINT));
    symlinkSync(victim, join(dir, CHECKPOINT_FILE));
    const store = new CheckpointStore(dir);
    const error = checkpointError(() => store.load());
    expect(error.message).toContain('symbolic link');
    const next = { ...CHECKPOINT, realtimeUs: '1740906849118999' };
    await store.save(next);
    expect(readFileSync(victim, 'utf8')).toBe(JSON.stringify(CHECKPOINT));
    expect(lstatSync(store.path).isFile()).toBe(true);
    expect(store.load()).toEqual(next);
  });

  it('refuses a cursor file far larger than a cursor instead of reading it', () => {
    const dir = freshDir();
    mkdirSync(dir);
    writeFileSync(join(dir, CHECKPOINT_FILE), 'x'.repeat(1 << 20));
    const error = checkpointError(() => new CheckpointStore(dir).load());
    expect(error.message).toContain('cannot read');
  });
});
