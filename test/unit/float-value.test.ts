// Floats in line protocol: written from integers when the value is whole microseconds. The text must
// parse back to the very same double (InfluxDB stores the double), checked against Number() here.

import { describe, expect, it } from 'vitest';
import { floatValue } from '../../src/influx/points/escape.js';

describe('floatValue', () => {
  it('writes hand-picked values as these decimals', () => {
    expect([0, -0, 1, 0.04107, 3402.116597, 300000, 0.000001, -1.5, 0.1 + 0.2, 1e-7, 2 ** 60, 1234.5].map(floatValue)).toEqual([
      '0', '0', '1', '0.04107', '3402.116597', '300000', '0.000001', '-1.5', '0.30000000000000004', '1e-7', '1152921504606847000', '1234.5',
    ]);
  });

  it('parses back to the same double for 200k gin-like latencies (integer ns / 1e6) and 200k random doubles ', () => {
    const wrong: number[] = [];
    for (let i = 0; i < 200_000; i++) {
      const latency = (((i * 7919) % 900_000_000) * 1000 + (i % 977)) / 1e6;
      const random = (Math.random() - 0.5) * 10 ** ((i % 24) - 8);
      for (const value of [latency, random]) if (Number(floatValue(value)) !== value) wrong.push(value);
    }
    expect(wrong).toEqual([]);
  });
});
