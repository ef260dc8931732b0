// The write client against the real server: gzip bodies are accepted, statuses come back as outcomes.

import { describe, expect, it } from 'vitest';
import { createWriteClient, isLoopbackUrl } from '../../src/influx/write-client.js';
import { countPoints, freshBucket } from '../support/influx.js';

describe('write client', () => {
  it('sends large bodies gzipped and InfluxDB stores every line', async () => {
    const target = await freshBucket('gzip');
    const client = createWriteClient(target, { gzip: true });
    const lines = Array.from({ length: 3000 }, (_, i) => `gz,host=h message="line ${i} ${'x'.repeat(40)}" ${1_763_000_000_000_000_000n + BigInt(i)}`);
    expect(lines.join('\n').length).toBeGreaterThan(64 * 1024);
    expect(await client.write(lines.join('\n'))).toEqual({ kind: 'ok' });
    expect(await countPoints(target, 'gz', 'message')).toBe(3000);
  });

  it('reports HTTP statuses and network errors as outcomes', async () => {
    const target = await freshBucket('outcomes');
    const bad = await createWriteClient({ ...target, bucket: 'no-such-bucket' }).write('m f=1 1');
    expect(bad).toMatchObject({ kind: 'http', status: 404 });
    const refused = await createWriteClient({ ...target, url: 'http://127.0.0.1:9' }).write('m f=1 1');
    expect(refused).toMatchObject({ kind: 'network', code: 'ECONNREFUSED' });
  });

  it('treats only loopback URLs as loopback', () => {
    expect(isLoopbackUrl('http://127.0.0.1:8086')).toBe(true);
    expect(isLoopbackUrl('http://localhost:8086')).toBe(true);
    expect(isLoopbackUrl('http://[::1]:8086')).toBe(true);
    expect(isLoopbackUrl('http://influx.example:8086')).toBe(false);
    expect(isLoopbackUrl('http://localhost.example:8086')).toBe(false);
  });
});
