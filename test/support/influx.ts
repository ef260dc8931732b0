// Talks to the real test InfluxDB: fresh buckets, Flux queries, row counts. No mocks.

import { randomUUID } from 'node:crypto';
import { InfluxDB } from '@influxdata/influxdb-client';
import { inject } from 'vitest';

export interface BucketTarget {
  url: string;
  token: string;
  org: string;
  bucket: string;
}

export function influxServer() {
  return inject('influx');
}

async function api(path: string, init: RequestInit = {}): Promise<unknown> {
  const server = influxServer();
  const response = await fetch(`${server.url}${path}`, {
    ...init,
    headers: { Authorization: `Token ${server.token}`, 'Content-Type': 'application/json', ...(init.headers ?? {}) },
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${response.status} ${text}`);
  return text === '' ? undefined : JSON.parse(text);
}

async function orgId(): Promise<string> {
  const server = influxServer();
  const body = (await api(`/api/v2/orgs?org=${encodeURIComponent(server.org)}`)) as { orgs: { id: string }[] };
  return body.orgs[0]!.id;
}

/** A new, empty bucket for one test, named after it for readable failures. */
export async function freshBucket(prefix = 'test'): Promise<BucketTarget> {
  const server = influxServer();
  const name = `${prefix}-${randomUUID().slice(0, 8)}`;
  await api('/api/v2/buckets', {
    method: 'POST',
    body: JSON.stringify({ orgID: await orgId(), name, retentionRules: [] }),
  });
  return { url: server.url, token: server.token, org: server.org, bucket: name };
}

/** A token that can only read (no write) on the given bucket, to test permission errors. */
export async function readOnlyToken(bucket: string): Promise<string> {
  const buckets = (await api(`/api/v2/buckets?name=${encodeURIComponent(bucket)}`)) as { buckets: { id: string; orgID: string }[] };
  const { id, orgID } = buckets.buckets[0]!;
  const auth = (await api('/api/v2/authorizations', {
    method: 'POST',
    body: JSON.stringify({ orgID, permissions: [{ action: 'read', resource: { type: 'buckets', id, orgID } }] }),
  })) as { token: string };
  return auth.token;
}

export async function queryRows(target: BucketTarget, flux: string): Promise<Record<string, unknown>[]> {
  const queryApi = new InfluxDB({ url: target.url, token: target.token }).getQueryApi(target.org);
  return (await queryApi.collectRows(flux)) as Record<string, unknown>[];
}

/** Number of rows of one field of a measurement over all time (each row is one point). */
export async function countPoints(target: BucketTarget, measurement: string, field: string): Promise<number> {
  const rows = await queryRows(
    target,
    `from(bucket: "${target.bucket}")
      |> range(start: 0)
      |> filter(fn: (r) => r._measurement == "${measurement}" and r._field == "${field}")
      |> group()
      |> count()`,
  );
  return rows.length === 0 ? 0 : Number(rows[0]!['_value']);
}

/** Polls fn until it returns true or the timeout passes; no fixed sleeps in tests. */
export async function waitFor(fn: () => Promise<boolean> | boolean, timeoutMs = 30_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await fn()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * A new organisation holding a bucket with a fixed name, for queries that hard-code their bucket
 * (the seed's `from(bucket: "ollama-logs")`) while each test still gets its own data.
 */
export async function freshOrgWithBucket(bucket: string): Promise<BucketTarget> {
  const server = influxServer();
  const org = (await api('/api/v2/orgs', { method: 'POST', body: JSON.stringify({ name: `org-${randomUUID().slice(0, 8)}` }) })) as { id: string; name: string };
  await api('/api/v2/buckets', { method: 'POST', body: JSON.stringify({ orgID: org.id, name: bucket, retentionRules: [] }) });
  return { url: server.url, token: server.token, org: org.name, bucket };
}
