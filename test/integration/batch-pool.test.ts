// The shipper's batch buffers (2.5 MB each) are reused from pass to pass: an idle daemon that made a
// new one every poll brought on a full GC every few passes ("external memory pressure"). Real journal,
// real journalctl, real InfluxDB.

import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { LineBatchPool } from '../../src/influx/line-batch.js';
import { ship } from '../support/ship-direct.js';
import { freshBucket } from '../support/influx.js';
import { entriesFrom, tempDir, writeJournal } from '../support/journal.js';

describe('the batch pool across shipping passes', () => {
  it('keeps one batch after a catch-up of several, and gets it back from an idle pass', async () => {
    const target = await freshBucket('batch-pool');
    const dir = tempDir('batch-pool');
    const state = tempDir('state');
    // 12,000 entries: three batches of at most 5,000 lines.
    await writeJournal(dir, entriesFrom(Array.from({ length: 12_000 }, (_, i) => `line ${i}`), 1_763_300_000_000_000n));
    const logger = pino({ level: 'silent' });
    const pool = new LineBatchPool();

    const catchUp = await ship(target, dir, state, logger, () => undefined, pool);
    expect(catchUp.read).toBe(12_000);
    expect(pool.freeBatches).toBe(1);

    const idle = await ship(target, dir, state, logger, () => undefined, pool);
    expect(idle.read).toBe(0);
    expect(pool.freeBatches).toBe(1);
  });
});
