// What keeps `timeline --journal` small over a week: requests packed into columns, only the shown
// range's requests made into objects (and those on each read), the JSON written in pieces. Checked
// against hand-written values and against JSON.stringify itself.

import { describe, expect, it } from 'vitest';
import { buildTimeline } from '../../src/ollama/lifecycle/build.js';
import { RequestColumns } from '../../src/ollama/lifecycle/request-columns.js';
import type { Timeline, TimelineRequest } from '../../src/ollama/lifecycle/types.js';
import { renderJson, renderJsonChunks, timelineJson } from '../../src/render/json.js';
import { SCENARIO_HOST, SCENARIO_START, SCENARIO_STOP, isoToMs, scenarioInput } from '../support/timeline-scenario.js';

const request = (end: number, latencyMs: number, status = 200, path = '/api/chat', method = 'POST'): TimelineRequest => ({ end, latencyMs, method, path, status });

describe('RequestColumns', () => {
  it('gives back what was pushed, in order, past its first capacity', () => {
    const columns = new RequestColumns();
    const pushed = Array.from({ length: 10_000 }, (_, i) => request(1_000 + i * 0.25, i % 7, 200 + (i % 3), i % 2 === 0 ? '/api/chat' : '/v1/messages', i % 5 === 0 ? 'GET' : 'POST'));
    for (const r of pushed) columns.push(r);
    expect(columns.length).toBe(10_000);
    expect([...columns]).toEqual(pushed);
    expect(columns.span(3)).toEqual({ start: 1_000.75 - 3, end: 1_000.75, method: 'POST', path: '/v1/messages', status: 200, latencyMs: 3 });
  });

  it('orders by start, keeping the order of requests that began together, and drops by end', () => {
    const columns = RequestColumns.of([
      request(100, 50), // starts 50
      request(90, 80), // starts 10
      request(60, 10), // starts 50, after the first
      request(70, 0, 200, '/api/tags'), // never attributed: not kept
      request(20, 5), // starts 15
    ]);
    expect(columns.length).toBe(4);
    expect([...columns.byStart()]).toEqual([1, 3, 0, 2]);
    expect(columns.earliestEnd()).toBe(20);
    columns.dropEndedBefore(61);
    expect([...columns].map((r) => r.end)).toEqual([100, 90]);
  });

  it('appends another table after its own, past its capacity, and orders by end (ties keep their order)', () => {
    const first = Array.from({ length: 5_000 }, (_, i) => request(10_000 - i, 1));
    const second = [request(3, 1, 500, '/api/generate', 'GET'), request(1, 2), request(3, 0)];
    const columns = RequestColumns.of(first);
    columns.append(RequestColumns.of(second));
    expect(columns.length).toBe(5_003);
    expect([...columns]).toEqual([...first, ...second]);
    // Ends: 10000 … 5001 at 0 … 4999, then 3, 1, 3 at 5000, 5001, 5002.
    expect([...columns.byEnd().slice(0, 4)]).toEqual([5_001, 5_000, 5_002, 4_999]);
    expect(columns.byEnd().at(-1)).toBe(0);
  });

  it('refuses a path no model serves', () => {
    expect(() => new RequestColumns().push(request(1, 1, 200, '/api/tags'))).toThrow(/not an inference path/);
  });
});

describe('buildTimeline over packed requests', () => {
  const options = { host: SCENARIO_HOST, start: isoToMs(SCENARIO_START), stop: isoToMs(SCENARIO_STOP) };

  it('gives the timeline the plain array gives', () => {
    const input = scenarioInput();
    expect(buildTimeline({ ...input, requests: RequestColumns.of(input.requests) }, options)).toEqual(buildTimeline(input, options));
  });

  it('makes session requests only for the shown range, in start order, anew on each read', () => {
    const timeline = buildTimeline(scenarioInput(), { ...options, start: isoToMs('2025-07-23T00:10:00Z') });
    const all = timeline.sessions.flatMap((s) => s.requests);
    expect(all.length).toBeGreaterThan(0);
    for (const r of all) expect(r.end).toBeGreaterThanOrEqual(isoToMs('2025-07-23T00:10:00Z'));
    for (const s of timeline.sessions) expect(s.requests.map((r) => r.start)).toEqual(s.requests.map((r) => r.start).sort((a, b) => a - b));
    const session = timeline.sessions.find((s) => s.requests.length > 0)!;
    expect(session.requests).not.toBe(session.requests);
    expect(session.requests).toEqual(session.requests);
  });
});

describe('JSON in pieces', () => {
  const scenario = buildTimeline(scenarioInput(), { host: SCENARIO_HOST, start: isoToMs(SCENARIO_START), stop: isoToMs(SCENARIO_STOP) });
  const stringified = (timeline: Timeline) => `${JSON.stringify(timelineJson(timeline), null, 2)}\n`;

  it('is exactly JSON.stringify with two spaces, for the scenario and for long, empty and odd lists', () => {
    expect(renderJson(scenario)).toBe(stringified(scenario));
    const session = scenario.sessions[0]!;
    const many = Array.from({ length: 40 }, (_, i) => ({ start: i, end: i + 0.5, method: 'POST', path: '/api/chat', status: 200, latencyMs: 0.5 }));
    const odd: Timeline = {
      ...scenario,
      host: 'host "quoted"\n\u2028',
      sessions: [{ ...session, requests: many, aliases: Array.from({ length: 20 }, (_, i) => `alias-${i}`) }, { ...session, requests: [], warnings: [] }],
      unattributedRequests: many.map((r) => ({ ...r, candidates: [] })),
      unattributedWarnings: [],
    };
    expect(renderJson(odd)).toBe(stringified(odd));
    const empty: Timeline = { ...scenario, sessions: [], unattributedRequests: [], unattributedWarnings: [] };
    expect(renderJson(empty)).toBe(stringified(empty));
  });

  it('never holds one session as a single piece', () => {
    const session = scenario.sessions[0]!;
    const many = Array.from({ length: 1_000 }, (_, i) => ({ start: i, end: i + 0.5, method: 'POST', path: '/api/chat', status: 200, latencyMs: 0.5 }));
    const pieces = [...renderJsonChunks({ ...scenario, sessions: [{ ...session, requests: many }] })];
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThan(1_000);
  });
});
