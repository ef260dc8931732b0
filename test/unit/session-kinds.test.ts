// SESSION_KINDS (the kinds the first pass reacts to) decides what the daemon's incremental tracker keeps
// and replays. Checked against the first pass itself: every parser kind outside the list, fed with each
// of its real sample lines to sessions that are loading or loaded, must leave the sessions unchanged.

import { describe, expect, it } from 'vitest';
import { KINDS, parseMessage } from '../../src/ollama/parse/index.js';
import { timelineRecord } from '../../src/ollama/lifecycle/from-parsed.js';
import { firstPass } from '../../src/ollama/lifecycle/sessions.js';
import { SESSION_KINDS } from '../../src/ollama/lifecycle/timeline-kinds.js';
import { REACTIONS } from '../../src/ollama/lifecycle/reactions.js';
import type { TimelineEvent } from '../../src/ollama/lifecycle/types.js';

const SHA = '6a0746a1ec1aef3e7ec53868f220ff6e389f6f8ef87a01d77c96807de94ca2aa';
const inventory = new Map([[SHA, ['gemma3:12b']]]);

function event(kind: string, time: number, fields: TimelineEvent['fields'] = {}): TimelineEvent {
  return { time, kind, message: kind, fields };
}

const loading: TimelineEvent[] = [event('model_load_start', 1000, { sha256: SHA, ctx_size: 8192 })];
const loaded: TimelineEvent[] = [...loading, event('model_loaded', 2000, { load_seconds: 1 })];

describe('SESSION_KINDS', () => {
  it('lists every kind that can change a session (the rest leave sessions as they are)', () => {
    const checked: string[] = [];
    for (const kind of KINDS) {
      if (SESSION_KINDS.has(kind.kind)) continue;
      for (const sample of kind.samples) {
        const parsed = parseMessage(sample.line);
        const record = timelineRecord(parsed, sample.line, 3000, () => 'gemma3:12b');
        if (record === null || !('event' in record)) continue;
        for (const context of [loading, loaded]) {
          const without = firstPass(context, inventory).sessions;
          const withIt = firstPass([...context, record.event], inventory).sessions;
          expect(withIt, `${parsed.kind}: ${sample.line}`).toEqual(without);
        }
        checked.push(parsed.kind);
      }
    }
    expect(checked.length).toBeGreaterThan(20);
  });

  it('has one reaction per kind declared timeline.session, and none for another kind', () => {
    expect(Object.keys(REACTIONS).sort()).toEqual([...SESSION_KINDS].sort());
  });

  it('holds the kinds that do change sessions (a load start, a systemd stop)', () => {
    const stop = firstPass([...loaded, event('server_stop', 3000)], inventory).sessions;
    expect(stop[0]!.hardEnd).toBe(3000);
    expect(SESSION_KINDS.has('server_stop')).toBe(true);
    expect(SESSION_KINDS.has('model_load_start')).toBe(true);
  });
});
