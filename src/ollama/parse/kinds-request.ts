// Kinds of serving a request: gin's access-log line and the runner's prompt truncation warning.

import { parseGoDuration } from './go-duration.js';
import { endOfQuoted, unquoteGo } from './go-quote.js';
import { defineKind } from './types.js';
import { int } from './values.js';

/** A 3-digit status between `from` and `to`, allowing spaces around it; null otherwise. */
function statusAt(line: string, from: number, to: number): number | null {
  let value = 0;
  let digits = 0;
  for (let i = from; i < to; i++) {
    const code = line.charCodeAt(i);
    if (code >= 48 && code <= 57) {
      value = value * 10 + (code - 48);
      digits++;
    } else if (code !== 32 || (digits > 0 && i + 1 < to && line.charCodeAt(i + 1) !== 32)) {
      return null;
    }
  }
  return digits === 0 ? null : value;
}

/**
 * `[GIN] 2025/03/02 - 09:14:07 | 200 |  41.07µs |  127.0.0.1 | HEAD  "/"`, split on `|` (wide
 * latencies push the columns right, so never by position). The path is Go-quoted and may itself
 * hold `|`, so everything after the fourth `|` is the request.
 */
function parseGin(line: string): { status: number; latency_ms: number | null; client: string; method: string | null; path: string | null } | null {
  const bar1 = line.indexOf('|');
  const bar2 = bar1 === -1 ? -1 : line.indexOf('|', bar1 + 1);
  const bar3 = bar2 === -1 ? -1 : line.indexOf('|', bar2 + 1);
  const bar4 = bar3 === -1 ? -1 : line.indexOf('|', bar3 + 1);
  if (bar4 === -1) return null;
  const status = statusAt(line, bar1 + 1, bar2);
  if (status === null) return null;
  const request = line.slice(bar4 + 1).trim();
  const space = request.indexOf(' ');
  const method = space === -1 ? request : request.slice(0, space);
  let path = space === -1 ? '' : request.slice(space).trim();
  if (path.startsWith('"')) {
    const end = endOfQuoted(path, 0);
    path = unquoteGo(end === -1 ? path : path.slice(0, end));
  }
  return {
    status,
    latency_ms: parseGoDuration(line, bar2 + 1, bar3),
    client: line.slice(bar3 + 1, bar4).trim(),
    method: method === '' ? null : method,
    path: path === '' ? null : path,
  };
}

const request = defineKind({
  kind: 'request',
  fields: ['status', 'latency_ms', 'client', 'method', 'path'],
  linePrefixes: ['[GIN] '],
  extract: (line) => parseGin(line.msg),
  samples: [
    {
      era: 'gin access log (all versions)',
      line: '[GIN] 2025/03/02 - 09:14:07 | 200 |      41.07µs |       127.0.0.1 | HEAD     "/"',
      expected: { status: 200, latency_ms: 0.04107, client: '127.0.0.1', method: 'HEAD', path: '/' },
    },
    {
      era: 'gin access log (all versions)',
      line: '[GIN] 2025/07/23 - 21:47:10 | 200 | 16.608743461s |      172.17.0.3 | POST     "/api/chat"',
      expected: { status: 200, latency_ms: 16608.743461, client: '172.17.0.3', method: 'POST', path: '/api/chat' },
    },
    {
      era: 'gin access log, above one minute (whole seconds)',
      line: '[GIN] 2025/03/02 - 09:20:11 | 500 |          5m0s |             ::1 | POST     "/api/generate"',
      expected: { status: 500, latency_ms: 300000, client: '::1', method: 'POST', path: '/api/generate' },
    },
    {
      era: 'gin access log, IPv6 client and query string',
      line: '[GIN] 2025/03/02 - 09:21:00 | 404 |     802.311µs |  2001:db8::1:42 | GET      "/api/show?x=1"',
      expected: { status: 404, latency_ms: 0.802311, client: '2001:db8::1:42', method: 'GET', path: '/api/show?x=1' },
    },
    {
      era: 'gin access log, latency wider than its column, empty client',
      line: '[GIN] 2025/03/02 - 11:02:03 | 200 | 1h2m3.123456789s |                 | OPTIONS  "/api/tags"',
      expected: { status: 200, latency_ms: 3723123.456789, client: '', method: 'OPTIONS', path: '/api/tags' },
    },
    {
      era: 'gin access log captured from a terminal (ANSI colours)',
      line: '[GIN] 2025/03/02 - 09:14:09 |\u001b[97;42m 200 \u001b[0m|  3.402116597s |       10.0.0.23 |\u001b[97;46m POST    \u001b[0m "/api/chat"',
      expected: { status: 200, latency_ms: 3402.116597, client: '10.0.0.23', method: 'POST', path: '/api/chat' },
    },
    {
      era: 'gin access log, escapes and | in the path',
      line: '[GIN] 2025/03/02 - 09:22:00 | 400 |       1.86ms |       127.0.0.1 | GET      "/api/x?q=\\"a|b\\"\\u00e9"',
      expected: { status: 400, latency_ms: 1.86, method: 'GET', path: '/api/x?q="a|b"é' },
    },
    {
      era: 'gin access log, zero latency',
      line: '[GIN] 2025/03/02 - 09:23:00 | 204 |           0s |       127.0.0.1 | DELETE   "/api/delete"',
      expected: { status: 204, latency_ms: 0, method: 'DELETE', path: '/api/delete' },
    },
    {
      era: 'gin access log, µs spelled "us" (some terminals)',
      line: '[GIN] 2025/03/02 - 09:23:01 | 200 |        36.1us |       127.0.0.1 | GET      "/api/version"',
      expected: { status: 200, latency_ms: 0.0361, path: '/api/version' },
    },
  ],
});

const promptTruncated = defineKind({
  kind: 'prompt_truncated',
  timeline: { warning: 'any_level' },
  fields: ['limit', 'prompt', 'keep', 'new'],
  messages: ['truncating input prompt'],
  extract(line) {
    return {
      limit: int(line.attr('limit')),
      prompt: int(line.attr('prompt')),
      keep: int(line.attr('keep') ?? line.attr('numKeep')),
      new: int(line.attr('new')),
    };
  },
  samples: [
    {
      era: '0.5+ (runner.go)',
      line: 'time=2025-07-23T21:47:10.396+10:00 level=WARN source=runner.go:131 msg="truncating input prompt" limit=2048 prompt=2172 keep=4 new=2048',
      expected: { level: 'WARN', limit: 2048, prompt: 2172, keep: 4, new: 2048 },
    },
    {
      era: '0.3 – 0.4 (numKeep=)',
      line: 'time=2024-09-12T08:15:00.000Z level=WARN source=runner.go:255 msg="truncating input prompt" limit=2048 prompt=5065 numKeep=5',
      expected: { level: 'WARN', limit: 2048, prompt: 5065, keep: 5, new: null },
    },
  ],
});

export const REQUEST_KINDS = [request, promptTruncated] as const;
