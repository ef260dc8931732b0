// ollama_requests_total and ollama_request_duration_seconds are counted outside prom-client and built
// at scrape time: the exposition must be what a prom-client Histogram would print (hand-computed here).

import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { RequestMetrics } from '../../src/telemetry/request-metrics.js';

describe('RequestMetrics', () => {
  it('prints cumulative buckets, sum and count per path and model, and counts per label set', async () => {
    const registry = new Registry();
    const metrics = new RequestMetrics(registry);
    metrics.count('POST', '/api/chat', '200', 'qwen3:8b', 0.03);
    metrics.count('POST', '/api/chat', '200', 'qwen3:8b', 0.2);
    metrics.count('POST', '/api/chat', '200', 'qwen3:8b', 700);
    metrics.count('POST', '/api/chat', '500', 'qwen3:8b', 0.05); // on a bound: counted in it (le is ≤)
    metrics.count('GET', '/api/tags', '200', '', 0.001);
    const text = await registry.metrics();
    const line = (series: string) => text.split('\n').find((l) => l.startsWith(series + ' '))?.split(' ')[1];
    const chat = 'path="/api/chat",model="qwen3:8b"';
    expect(line(`ollama_request_duration_seconds_bucket{le="0.05",${chat}}`)).toBe('2');
    expect(line(`ollama_request_duration_seconds_bucket{le="0.1",${chat}}`)).toBe('2');
    expect(line(`ollama_request_duration_seconds_bucket{le="0.25",${chat}}`)).toBe('3');
    expect(line(`ollama_request_duration_seconds_bucket{le="600",${chat}}`)).toBe('3');
    expect(line(`ollama_request_duration_seconds_bucket{le="+Inf",${chat}}`)).toBe('4');
    expect(Number(line(`ollama_request_duration_seconds_sum{${chat}}`))).toBeCloseTo(700.28, 9);
    expect(line(`ollama_request_duration_seconds_count{${chat}}`)).toBe('4');
    expect(line('ollama_request_duration_seconds_count{path="/api/tags",model=""}')).toBe('1');
    expect(line('ollama_requests_total{method="POST",path="/api/chat",status="200",model="qwen3:8b"}')).toBe('3');
    expect(line('ollama_requests_total{method="POST",path="/api/chat",status="500",model="qwen3:8b"}')).toBe('1');
    expect(line('ollama_requests_total{method="GET",path="/api/tags",status="200",model=""}')).toBe('1');
    expect(text).toContain('# TYPE ollama_request_duration_seconds histogram');
  });
});
