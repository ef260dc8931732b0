import { describe, expect, it } from 'vitest';
import { LineBatchPool } from '../../src/influx/line-batch.js';

describe('LineBatchPool', () => {
  it('hands a released batch out again, emptied', () => {
    const pool = new LineBatchPool();
    const batch = pool.acquire();
    const cursor = Buffer.from('s=1;i=2');
    batch.beginEntry(cursor, 0, cursor.length, 5);
    batch.beginLine();
    batch.utf8('m f=1 1');
    batch.endLine();
    pool.release(batch);
    const again = pool.acquire();
    expect(again).toBe(batch);
    expect([again.lines, again.length, again.entries, again.lastEntryMs]).toEqual([0, 0, 0, 0]);
  });

  it('keeps only as many free batches as trim allows (a catch-up must not hold its buffers when idle)', () => {
    const pool = new LineBatchPool();
    const batches = [pool.acquire(), pool.acquire(), pool.acquire()];
    for (const batch of batches) pool.release(batch);
    pool.trim(1);
    const kept = pool.acquire();
    expect(batches).toContain(kept);
    const fresh = pool.acquire();
    expect(batches).not.toContain(fresh);
  });
});
