// `inventory --write` against the real InfluxDB: the rows land in ollama_model_inventory with the
// contract's field types, and the seed's step-10 model_inventory query (unchanged) joins them to
// `starting llama server` lines on sha256.

import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { InfluxDB } from '@influxdata/influxdb-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BucketTarget, freshBucket, queryRows } from '../support/influx.js';
import { runCli, type CliResult } from '../support/cli.js';

const HOST = 'inventory-host';

let modelsDir: string;
let target: BucketTarget;
let firstRun: CliResult;
let secondRun: CliResult;
const blobs: Record<string, string> = {};

async function put(relative: string, content: string | Buffer): Promise<void> {
  const path = join(modelsDir, relative);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, content);
}

/** A model blob plus its config blob, under each of the given manifest paths. */
async function installModel(key: string, bytes: number, config: object, manifestPaths: string[]): Promise<void> {
  const model = Buffer.alloc(bytes, key);
  const configText = JSON.stringify(config);
  const modelHex = createHash('sha256').update(model).digest('hex');
  const configHex = createHash('sha256').update(configText).digest('hex');
  blobs[key] = modelHex;
  await put(`blobs/sha256-${modelHex}`, model);
  await put(`blobs/sha256-${configHex}`, configText);
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
    config: { mediaType: 'application/vnd.docker.container.image.v1+json', digest: `sha256:${configHex}`, size: configText.length },
    layers: [{ mediaType: 'application/vnd.ollama.image.model', digest: `sha256:${modelHex}`, size: bytes }],
  });
  for (const path of manifestPaths) await put(`manifests/${path}`, manifest);
}

function cli(args: string[]) {
  return runCli(args, { INFLUXDB_URL: target.url, INFLUXDB_TOKEN: target.token, INFLUXDB_ORG: target.org, INFLUXDB_BUCKET: target.bucket, HOST_TAG: HOST }, { cwd: modelsDir });
}

/** The seed's `model_inventory` from step 10, verbatim except for the bucket name. */
const modelInventory = (bucket: string) => `model_inventory = from(bucket: "${bucket}")
  |> range(start: 0)
  |> filter(fn: (r) => r._measurement == "ollama_model_inventory" and r.host == "${HOST}")
  |> last()
  |> pivot(rowKey:["model_name"], columnKey:["_field"], valueColumn:"_value")
  |> keep(columns:["model_name", "sha256"])`;

const GEMMA_CONFIG = { model_format: 'gguf', model_family: 'gemma3', model_type: '12.2B', file_type: 'Q4_K_M' };

beforeAll(async () => {
  target = await freshBucket('inventory');
  modelsDir = await mkdtemp(join(tmpdir(), 'inventory-write-'));
  await installModel('g', 3000, GEMMA_CONFIG, ['registry.ollama.ai/library/gemma3/12b']);
  await installModel('l', 2000, { model_format: 'gguf', model_family: 'llama', model_type: '3.2B', file_type: 'Q4_K_M' }, [
    'registry.ollama.ai/library/llama3.2/latest',
    'registry.ollama.ai/library/llama3.2/3b',
  ]);
  await installModel('h', 1000, { model_format: 'gguf', model_families: ['llama'] }, ['hf.co/bartowski/Llama-3.2-1B-Instruct-GGUF/Q4_K_M']);
  firstRun = await cli(['inventory', '--models-dir', modelsDir, '--write', '--json']);
  // A second scan later: last() must still give one row per name.
  secondRun = await cli(['inventory', '--models-dir', modelsDir, '--write']);
});

afterAll(async () => {
  await rm(modelsDir, { recursive: true, force: true });
});

describe('inventory --write', () => {
  it('writes one point per name with string and integer fields as the contract says', async () => {
    expect(firstRun.stderr).toContain(`wrote 4 inventory row(s) for host ${HOST}`);
    expect(firstRun.code).toBe(0);
    expect(JSON.parse(firstRun.stdout)).toHaveLength(4);
    expect(secondRun.code).toBe(0);

    const queryApi = new InfluxDB({ url: target.url, token: target.token }).getQueryApi(target.org);
    const rows = (await queryApi.collectRows(
      `from(bucket: "${target.bucket}") |> range(start: 0) |> filter(fn: (r) => r._measurement == "ollama_model_inventory") |> last()`,
      (values, meta) => ({ ...meta.toObject(values), valueType: meta.column('_value').dataType }),
    )) as Record<string, unknown>[];
    const types = Object.fromEntries(rows.map((row) => [row['_field'], row['valueType']]));
    expect(types).toEqual({ sha256: 'string', size: 'long', model_size: 'long', family: 'string', parameter_size: 'string', quantization: 'string' });
    const gemma = Object.fromEntries(rows.filter((row) => row['model_name'] === 'gemma3:12b').map((row) => [row['_field'], row['_value']]));
    // size as `ollama list` shows it: the model layer (3000 bytes) and the config blob.
    const size = 3000 + JSON.stringify(GEMMA_CONFIG).length;
    // model_size: the model layer alone (the 3000-byte blob written above).
    expect(gemma).toEqual({ sha256: blobs['g'], size, model_size: 3000, family: 'gemma3', parameter_size: '12.2B', quantization: 'Q4_K_M' });
    expect(new Set(rows.map((row) => row['host']))).toEqual(new Set([HOST]));
    expect(new Set(rows.map((row) => row['_time'])).size).toBe(1);
  });

  it("satisfies the seed's step-10 model_inventory query and its join on sha256", async () => {
    const inventory = await queryRows(target, `${modelInventory(target.bucket)}\nmodel_inventory |> group()`);
    const pairs = inventory.map((row) => [row['model_name'], row['sha256']]).sort();
    expect(pairs).toEqual([
      ['gemma3:12b', blobs['g']],
      ['hf.co/bartowski/Llama-3.2-1B-Instruct-GGUF:Q4_K_M', blobs['h']],
      ['llama3.2:3b', blobs['l']],
      ['llama3.2:latest', blobs['l']],
    ]);

    // Two model loads as the original shipper stored them (ollama_logs, field message).
    const load = (hex: string, ctx: number) =>
      `time=2025-07-23T21:46:54.070+10:00 level=INFO source=server.go:438 msg=\\"starting llama server\\" cmd=\\"/usr/local/bin/ollama runner --model /usr/share/ollama/.ollama/models/blobs/sha256-${hex} --ctx-size ${ctx} --batch-size 512 --n-gpu-layers 49 --threads 8 --parallel 1 --port 36111\\"`;
    const body = [
      `ollama_logs,host=${HOST},msg_hash=a1,source=systemd message="${load(blobs['g']!, 2048)}" 1753271214070000000`,
      `ollama_logs,host=${HOST},msg_hash=b2,source=systemd message="${load(blobs['l']!, 8192)}" 1753271300000000000`,
    ].join('\n');
    const response = await fetch(`${target.url}/api/v2/write?org=${encodeURIComponent(target.org)}&bucket=${target.bucket}&precision=ns`, {
      method: 'POST',
      headers: { Authorization: `Token ${target.token}`, 'Content-Type': 'text/plain; charset=utf-8' },
      body,
    });
    expect(response.status).toBe(204);

    const joined = await queryRows(
      target,
      `import "strings"
import "regexp"

sessions_with_sha_and_ctx = from(bucket: "${target.bucket}")
  |> range(start: 0)
  |> filter(fn: (r) => r._measurement == "ollama_logs" and r._field == "message" and r.host == "${HOST}")
  |> filter(fn: (r) => strings.containsStr(v: r._value, substr: "starting llama server"))
  |> map(fn: (r) => {
      sha_regex = regexp.compile(v: "sha256-([0-9a-f]{64})")
      ctx_regex = regexp.compile(v: "--ctx-size [0-9]+")
      sha_match = regexp.findString(r: sha_regex, v: r._value)
      ctx_match = regexp.findString(r: ctx_regex, v: r._value)
      sha256_clean = if sha_match != "" then strings.trimPrefix(v: sha_match, prefix: "sha256-") else ""
      ctx_size = if ctx_match != "" then strings.split(v: ctx_match, t: " ")[1] else "N/A"
      return { _time: r._time, sha256: sha256_clean, ctx: ctx_size }
  })
  |> filter(fn: (r) => r.sha256 != "")

${modelInventory(target.bucket)}

join(tables: {sessions: sessions_with_sha_and_ctx, inventory: model_inventory}, on: ["sha256"])
  |> map(fn: (r) => ({ _time: r._time, session_label: r.model_name + " (ctx: " + r.ctx + ")" }))
  |> group()`,
    );
    expect(joined.map((row) => row['session_label']).sort()).toEqual(['gemma3:12b (ctx: 2048)', 'llama3.2:3b (ctx: 8192)', 'llama3.2:latest (ctx: 8192)']);
  });
});
