import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OllamaInfluxError } from '../../src/errors.js';
import { namesBySha256, scanModels } from '../../src/models-dir/scan.js';
import { runCli } from '../support/cli.js';

/** A blob's content and its name in blobs/, as Ollama stores it (the digest is the content's sha256). */
interface Blob {
  readonly hex: string;
  readonly bytes: Buffer;
}

function blob(content: Buffer | string): Blob {
  const bytes = Buffer.isBuffer(content) ? content : Buffer.from(content);
  return { hex: createHash('sha256').update(bytes).digest('hex'), bytes };
}

/** modelLayerSize null leaves the layer's size out. */
function manifestJson(model: Blob | null, config: Blob | null, modelLayerSize: number | null = model?.bytes.length ?? null): string {
  const layers: object[] = [];
  if (model !== null) {
    layers.push({ mediaType: 'application/vnd.ollama.image.model', digest: `sha256:${model.hex}`, ...(modelLayerSize === null ? {} : { size: modelLayerSize }) });
  }
  layers.push({ mediaType: 'application/vnd.ollama.image.template', digest: `sha256:${'7'.repeat(64)}`, size: 1429 });
  layers.push({ mediaType: 'application/vnd.ollama.image.params', digest: `sha256:${'8'.repeat(64)}`, size: 96 });
  return JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
    config: config === null ? undefined : { mediaType: 'application/vnd.docker.container.image.v1+json', digest: `sha256:${config.hex}`, size: config.bytes.length },
    layers,
  });
}

const llamaModel = blob(Buffer.alloc(4096, 1));
const llamaConfig = blob(JSON.stringify({ model_format: 'gguf', model_family: 'llama', model_families: ['llama'], model_type: '3.2B', file_type: 'Q4_K_M', architecture: 'amd64', os: 'linux' }));
const gemmaModel = blob(Buffer.alloc(12_345, 2));
const gemmaConfig = blob(JSON.stringify({ model_format: 'gguf', model_family: 'gemma3', model_families: ['gemma3'], model_type: '12.2B', file_type: 'Q4_K_M' }));
const hfModel = blob(Buffer.alloc(777, 3));
const hfConfig = blob(JSON.stringify({ model_format: 'gguf', model_families: ['llama'], model_type: '1.2B' }));
const coderModel = blob(Buffer.alloc(2048, 4));
const badConfig = blob('{"model_family": "qwen2", ');
const phiModel = blob(Buffer.alloc(10, 5)); // never written: the missing blob
const orphanModel = blob(Buffer.alloc(11, 6)); // never written, and its manifest has no layer size
const missingConfig = blob('{"model_family":"never-written"}');

let modelsDir: string;

/** What `ollama list` shows as SIZE: the manifest's sizes of the config and every layer added up. */
const listSize = (config: Blob, modelLayer: number) => config.bytes.length + modelLayer + 1429 + 96;

async function put(relative: string, content: string | Buffer): Promise<void> {
  const path = join(modelsDir, relative);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, content);
}

const file = (relative: string) => join(modelsDir, 'manifests', relative);

beforeAll(async () => {
  modelsDir = await mkdtemp(join(tmpdir(), 'inventory-models-'));
  for (const b of [llamaModel, llamaConfig, gemmaModel, gemmaConfig, hfModel, hfConfig, coderModel, badConfig]) {
    await put(`blobs/sha256-${b.hex}`, b.bytes);
  }
  // Three names for one blob: two tags in library and a copy in a user namespace.
  // The manifest's layer size is wrong on purpose: model_size is the blob's own, size what ollama list adds up.
  await put('manifests/registry.ollama.ai/library/llama3.2/latest', manifestJson(llamaModel, llamaConfig, 999));
  await put('manifests/registry.ollama.ai/library/llama3.2/3b', manifestJson(llamaModel, llamaConfig));
  await put('manifests/registry.ollama.ai/myuser/assistant/v1', manifestJson(llamaModel, llamaConfig));
  await put('manifests/registry.ollama.ai/library/gemma3/12b', manifestJson(gemmaModel, gemmaConfig));
  await put('manifests/hf.co/bartowski/Llama-3.2-1B-Instruct-GGUF/Q4_K_M', manifestJson(hfModel, hfConfig));
  await put('manifests/localhost:5000/team/coder/1.0', manifestJson(coderModel, badConfig));
  await put('manifests/registry.ollama.ai/library/qwen2/0.5b', manifestJson(coderModel, missingConfig));
  await put('manifests/registry.ollama.ai/library/phi4/latest', manifestJson(phiModel, null, 9_053_115_968));
  await put('manifests/registry.ollama.ai/library/orphan/latest', manifestJson(orphanModel, null, null));
  await put('manifests/registry.ollama.ai/library/broken/latest', '{"schemaVersion":2,"layers":[');
  await put('manifests/registry.ollama.ai/library/adapter-only/latest', manifestJson(null, llamaConfig));
  await put('manifests/registry.ollama.ai/library/llama3.2/latest~', manifestJson(llamaModel, llamaConfig));
  // Ollama only looks exactly four levels down.
  await put('manifests/registry.ollama.ai/library/stray-file', 'not a manifest');
});

afterAll(async () => {
  await rm(modelsDir, { recursive: true, force: true });
});

describe('scanModels', () => {
  it('names every model like ollama list, one row per name, sorted', async () => {
    const { models } = await scanModels(modelsDir);
    expect(models.map((m) => m.model_name)).toEqual([
      'gemma3:12b',
      'hf.co/bartowski/Llama-3.2-1B-Instruct-GGUF:Q4_K_M',
      'llama3.2:3b',
      'llama3.2:latest',
      'localhost:5000/team/coder:1.0',
      'myuser/assistant:v1',
      'phi4:latest',
      'qwen2:0.5b',
    ]);
  });

  it('gives the model blob sha256, the size ollama list shows, the blob size on disk and the config details', async () => {
    const { models } = await scanModels(modelsDir);
    const byName = new Map(models.map((m) => [m.model_name, m]));
    expect(byName.get('llama3.2:latest')).toEqual({
      model_name: 'llama3.2:latest',
      sha256: llamaModel.hex,
      size: listSize(llamaConfig, 999),
      model_size: 4096,
      family: 'llama',
      parameter_size: '3.2B',
      quantization: 'Q4_K_M',
    });
    expect(byName.get('llama3.2:3b')).toMatchObject({ size: listSize(llamaConfig, 4096), model_size: 4096 });
    expect(byName.get('gemma3:12b')).toMatchObject({ sha256: gemmaModel.hex, size: listSize(gemmaConfig, 12_345), model_size: 12_345, family: 'gemma3', parameter_size: '12.2B', quantization: 'Q4_K_M' });
    expect(byName.get('hf.co/bartowski/Llama-3.2-1B-Instruct-GGUF:Q4_K_M')).toMatchObject({
      sha256: hfModel.hex,
      size: listSize(hfConfig, 777),
      model_size: 777,
      family: 'llama',
      parameter_size: '1.2B',
      quantization: null,
    });
    // Unreadable config: the model is still listed, without details.
    expect(byName.get('localhost:5000/team/coder:1.0')).toMatchObject({ sha256: coderModel.hex, model_size: 2048, family: null, parameter_size: null, quantization: null });
    // Missing blob: the manifest's layer size stands in.
    expect(byName.get('phi4:latest')).toMatchObject({ sha256: phiModel.hex, model_size: 9_053_115_968, family: null });
  });

  it('maps each blob to all its names', async () => {
    const { models } = await scanModels(modelsDir);
    const names = namesBySha256(models);
    expect(names.get(llamaModel.hex)).toEqual(['llama3.2:3b', 'llama3.2:latest', 'myuser/assistant:v1']);
    expect(names.get(coderModel.hex)).toEqual(['localhost:5000/team/coder:1.0', 'qwen2:0.5b']);
    expect(names.get(gemmaModel.hex)).toEqual(['gemma3:12b']);
    expect(names.size).toBe(5);
  });

  it('warns about every broken manifest or blob, naming the file, and nothing else', async () => {
    const { warnings } = await scanModels(modelsDir);
    const expected = [
      [file('localhost:5000/team/coder/1.0'), `config blob ${join(modelsDir, 'blobs', `sha256-${badConfig.hex}`)} invalid JSON`],
      [file('registry.ollama.ai/library/adapter-only/latest'), 'no layer with mediaType application/vnd.ollama.image.model'],
      [file('registry.ollama.ai/library/broken/latest'), 'invalid JSON'],
      [file('registry.ollama.ai/library/llama3.2/latest~'), 'not a valid host/namespace/model/tag path'],
      [file('registry.ollama.ai/library/orphan/latest'), 'is missing and the manifest gives no layer size, skipped'],
      [file('registry.ollama.ai/library/phi4/latest'), `model blob ${join(modelsDir, 'blobs', `sha256-${phiModel.hex}`)} is missing; size 9053115968 taken from the manifest's layer size`],
      [file('registry.ollama.ai/library/qwen2/0.5b'), `config blob ${join(modelsDir, 'blobs', `sha256-${missingConfig.hex}`)} unreadable (ENOENT)`],
    ];
    expect(warnings).toHaveLength(expected.length);
    for (const [path, text] of expected) {
      expect(warnings.some((w) => w.startsWith(`manifest ${path}: `) && w.includes(text!)), `${path}: ${text}\n${warnings.join('\n')}`).toBe(true);
    }
  });

  it('is an empty inventory with a warning when nothing was pulled yet', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'inventory-empty-'));
    try {
      const { models, warnings } = await scanModels(empty);
      expect(models).toEqual([]);
      expect(warnings).toEqual([`models dir has no manifests directory ${join(empty, 'manifests')}: no model has been pulled yet`]);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });

  it('fails with OI_ERR_MODELS_DIR when the models dir is missing or not a directory', async () => {
    const missing = join(modelsDir, 'no-such-dir');
    await expect(scanModels(missing)).rejects.toThrow(OllamaInfluxError);
    await expect(scanModels(missing)).rejects.toMatchObject({ code: 'OI_ERR_MODELS_DIR', message: `models dir ${missing} does not exist` });
    const aFile = join(modelsDir, 'blobs', `sha256-${gemmaModel.hex}`);
    await expect(scanModels(aFile)).rejects.toMatchObject({ code: 'OI_ERR_MODELS_DIR', message: `models dir ${aFile} is not a directory` });
  });
});

describe('ollama-influx inventory (the built CLI)', () => {
  // No config keys in the environment and no config file: the host's config stays out.
  const cli = (args: string[]) => runCli(args, {}, { cwd: modelsDir });

  it('--json prints the rows sorted by name and the warnings on stderr', async () => {
    const { code, stdout, stderr } = await cli(['inventory', '--models-dir', modelsDir, '--json']);
    expect(stderr).toContain(`models dir ${modelsDir} (from --models-dir)`);
    expect(code).toBe(0);
    const rows = JSON.parse(stdout) as Record<string, unknown>[];
    expect(rows).toEqual((await scanModels(modelsDir)).models);
    expect(Object.keys(rows[0]!)).toEqual(['model_name', 'sha256', 'size', 'model_size', 'family', 'parameter_size', 'quantization']);
    expect(rows.find((r) => r['model_name'] === 'myuser/assistant:v1')).toEqual({
      model_name: 'myuser/assistant:v1',
      sha256: llamaModel.hex,
      size: listSize(llamaConfig, 4096),
      model_size: 4096,
      family: 'llama',
      parameter_size: '3.2B',
      quantization: 'Q4_K_M',
    });
    expect(stderr).toContain(`ollama-influx: warning: manifest ${file('registry.ollama.ai/library/broken/latest')}: invalid JSON`);
    expect(stderr.split('\n').filter((line) => line.startsWith('ollama-influx: warning: '))).toHaveLength(7);
  });

  it('prints a table without --json', async () => {
    const { code, stdout } = await cli(['inventory', '--models-dir', modelsDir]);
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+SHA256\s+SIZE\s+FAMILY\s+PARAMETERS\s+QUANTIZATION$/);
    expect(lines).toHaveLength(9);
    expect(lines.find((line) => line.startsWith('gemma3:12b '))).toMatch(new RegExp(`^gemma3:12b\\s+${gemmaModel.hex.slice(0, 12)}\\s+13 KB\\s+gemma3\\s+12\\.2B\\s+Q4_K_M$`));
    expect(lines.find((line) => line.startsWith('phi4:latest '))).toMatch(/\s9\.1 GB\s+-\s+-\s+-$/);
  });

  it('exits with the models dir error when the directory does not exist', async () => {
    const missing = join(modelsDir, 'nope');
    const { code, stdout, stderr } = await cli(['inventory', '--models-dir', missing, '--json']);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain(`ollama-influx: models dir ${missing} does not exist [OI_ERR_MODELS_DIR]`);
  });
});

// Issue 9, item 3: a huge config blob or manifest is skipped by its size on the open file, never read
// (reading a 300 MB blob into the daemon cost its heap and, under a heap cap, the process).
describe('scanModels with oversized files', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'inventory-huge-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('skips a 300 MB config blob and a 2 MiB manifest with a warning each; the model stays listed', async () => {
    const weights = blob(Buffer.alloc(4096, 9));
    const hugeConfigHex = createHash('sha256').update('a 300 MB config blob').digest('hex');
    const hugeConfig: Blob = { hex: hugeConfigHex, bytes: Buffer.alloc(0) };
    await mkdir(join(dir, 'blobs'), { recursive: true });
    await writeFile(join(dir, 'blobs', `sha256-${weights.hex}`), weights.bytes);
    // Sparse: 300 MB by its size, no disk used. The scanner must decide from the size alone.
    const { truncate } = await import('node:fs/promises');
    await writeFile(join(dir, 'blobs', `sha256-${hugeConfigHex}`), '');
    await truncate(join(dir, 'blobs', `sha256-${hugeConfigHex}`), 300 * 1024 * 1024);
    const manifest = (name: string) => join(dir, 'manifests', 'registry.ollama.ai', 'library', name, 'latest');
    await mkdir(dirname(manifest('big-config')), { recursive: true });
    await writeFile(manifest('big-config'), manifestJson(weights, hugeConfig));
    await mkdir(dirname(manifest('big-manifest')), { recursive: true });
    await writeFile(manifest('big-manifest'), manifestJson(weights, null) + ' '.repeat(2 * 1024 * 1024));

    const rssBefore = process.memoryUsage().rss;
    const { models, warnings } = await scanModels(dir);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(50 * 1024 * 1024);
    // size as `ollama list` shows it: the model (4096) + template (1429) + params (96) layers + the config's declared 0.
    expect(models).toEqual([{ model_name: 'big-config:latest', sha256: weights.hex, size: 5621, model_size: 4096, family: null, parameter_size: null, quantization: null }]);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toBe(
      `manifest ${manifest('big-config')}: config blob ${join(dir, 'blobs', `sha256-${hugeConfigHex}`)} is 314572800 bytes, more than the 1048576 a manifest or config may have; family, parameter size and quantization unknown`,
    );
    expect(warnings[1]).toMatch(new RegExp(`^manifest ${manifest('big-manifest')}: is \\d+ bytes, more than the 1048576 a manifest or config may have, skipped$`));
  });
});
