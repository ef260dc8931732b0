// The read API's answers, computed from a ReadSource. Token counts are null: Ollama's logs do not
// carry them (gin logs status and latency; the token figures exist only in the HTTP responses).

import { buildTimeline } from '../ollama/lifecycle/build.js';
import { isoUtc, MINUTE_MS } from '../time.js';
import { checkKnown, stepParam, timeRange, windowRange } from './params.js';
import type { ReadSource, RequestTotals } from './source.js';

function average(t: RequestTotals): number | null {
  return t.requests === 0 ? null : round(t.latencySumMs / t.requests);
}

function errorRate(t: RequestTotals): number | null {
  return t.requests === 0 ? null : round(t.errors / t.requests, 6);
}

function round(value: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export async function currentStats(source: ReadSource, params: URLSearchParams, now: number) {
  checkKnown(params, ['host', 'window']);
  const { host, start, stop } = windowRange(params, source.defaultHost, now);
  const [totals, serverStart, input] = await Promise.all([
    source.requestTotals(host, start, stop),
    source.lastServerStart(host, stop),
    source.timelineInput(host, stop - MINUTE_MS, stop),
  ]);
  const timeline = buildTimeline(input, { host, start: stop - MINUTE_MS, stop });
  const inUse = timeline.sessions.filter((s) => s.endReason === 'open').map((s) => s.model ?? `sha256-${s.sha256?.slice(0, 12) ?? '?'}`);
  return {
    host,
    start: isoUtc(start),
    stop: isoUtc(stop),
    total_requests: totals.requests,
    total_errors: totals.errors,
    avg_latency_ms: average(totals),
    error_rate: errorRate(totals),
    models_in_use: [...new Set(inUse)].sort(),
    /** Seconds since Ollama's latest server start line. */
    uptime_seconds: serverStart === null ? null : round((stop - serverStart) / 1000),
    total_tokens: null,
  };
}

export async function statsHistory(source: ReadSource, params: URLSearchParams, now: number) {
  checkKnown(params, ['host', 'window', 'step']);
  const { host, start, stop, window } = windowRange(params, source.defaultHost, now);
  const step = stepParam(params, window);
  const steps = await source.requestSteps(host, start, stop, step);
  const byStart = new Map(steps.map((s) => [s.start, s]));
  const points = [];
  for (let t = start; t < stop; t += step) {
    const s = byStart.get(t) ?? { requests: 0, errors: 0, latencySumMs: 0 };
    points.push({
      time: isoUtc(t),
      requests: s.requests,
      requests_per_minute: round(s.requests / (Math.min(step, stop - t) / MINUTE_MS)),
      avg_latency_ms: average(s),
      error_rate: errorRate(s),
      tokens_per_second: null,
    });
  }
  return { host, start: isoUtc(start), stop: isoUtc(stop), step_seconds: step / 1000, points };
}

export async function modelStats(source: ReadSource, params: URLSearchParams, now: number) {
  checkKnown(params, ['host', 'window']);
  const { host, start, stop } = windowRange(params, source.defaultHost, now);
  const rows = await source.requestsByModel(host, start, stop);
  const models = rows
    .map((m) => ({ model: m.model, requests: m.requests, errors: m.errors, avg_latency_ms: average(m), error_rate: errorRate(m), total_tokens: null }))
    .sort((a, b) => (a.model === null ? 1 : b.model === null ? -1 : a.model.localeCompare(b.model)));
  return { host, start: isoUtc(start), stop: isoUtc(stop), models };
}

export async function gpuStats(source: ReadSource, params: URLSearchParams, now: number) {
  checkKnown(params, ['host', 'window']);
  const { host, start, stop } = windowRange(params, source.defaultHost, now, '5m');
  const gpus = await source.gpus(host, start, stop);
  return { host, gpus: gpus.map(({ time, ...reading }) => ({ time: isoUtc(time), ...reading })) };
}

export async function timelineOf(source: ReadSource, params: URLSearchParams, now: number) {
  checkKnown(params, ['host', 'start', 'stop']);
  const { host, start, stop } = timeRange(params, source.defaultHost, now);
  const input = await source.timelineInput(host, start, stop);
  return buildTimeline(input, { host, start, stop });
}

