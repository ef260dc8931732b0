// LineBatch.float writes a float field's digits straight into the batch; floatValue (escape.ts) makes
// the same text as a string. Both against hand-written expectations, then against each other on many
// latencies of the shapes gin prints (ns, µs, ms, s, with and without fractions).

import { describe, expect, it } from 'vitest';
import { LineBatch } from '../../src/influx/line-batch.js';
import { floatValue } from '../../src/influx/points/escape.js';

function written(value: number): string {
  const batch = new LineBatch();
  batch.beginLine();
  batch.float(value);
  batch.endLine();
  return batch.line(0);
}

describe('LineBatch.float and floatValue', () => {
  const cases: [number, string][] = [
    [0, '0'],
    [-0, '0'],
    [7, '7'],
    [-1.5, '-1.5'],
    [0.450657, '0.450657'],
    [562.270189, '562.270189'],
    [16608.743461, '16608.743461'],
    [0.000001, '0.000001'],
    [0.00005, '0.00005'],
    [300000, '300000'],
    [1.234567891, '1.234567891'],
    [1e-7, '1e-7'],
    [2 ** 53, '9007199254740992'],
    [1e21, '1e+21'],
  ];
  for (const [value, text] of cases) {
    it(`${value} → ${text}`, () => {
      expect(floatValue(value)).toBe(text);
      expect(written(value)).toBe(text);
    });
  }

  it('agrees with floatValue on 20,000 latencies as gin prints them', () => {
    let seed = 7;
    const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 20_000; i++) {
      const ns = Math.floor(random() * 10 ** (1 + Math.floor(random() * 12)));
      const value = i % 2 === 0 ? ns / 1e6 : Math.round(ns / 1000) / 1000;
      expect(written(value), String(value)).toBe(floatValue(value));
    }
  });
});
