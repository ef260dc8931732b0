// Walks <models>/manifests/<host>/<namespace>/<model>/<tag> like Ollama's Manifests() does and
// returns one InventoryModel per name. A bad manifest or blob is a warning naming the file;
// only a missing or unreadable models dir is an error.

import { constants } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { OllamaInfluxError } from '../errors.js';
import {
  type InventoryModel,
  ManifestError,
  type ModelDetails,
  NO_DETAILS,
  blobFileName,
  parseManifest,
  parseModelConfig,
} from '../ollama/inventory/manifest.js';
import { displayName, nameFromManifestPath } from '../ollama/inventory/naming.js';

interface ScanResult {
  /** Sorted by model_name; aliases of one blob are separate rows. */
  readonly models: InventoryModel[];
  readonly warnings: string[];
}

export async function scanModels(modelsDir: string): Promise<ScanResult> {
  await requireDirectory(modelsDir);
  const warnings: string[] = [];
  const manifestsDir = join(modelsDir, 'manifests');
  const blobs = new BlobReader(join(modelsDir, 'blobs'));
  const byName = new Map<string, InventoryModel>();

  for (const relativePath of await listManifestFiles(manifestsDir, warnings)) {
    const file = join(manifestsDir, relativePath);
    const name = nameFromManifestPath(relativePath);
    if (name === null) {
      warnings.push(`manifest ${file}: not a valid host/namespace/model/tag path, skipped (ollama list skips it too)`);
      continue;
    }
    const model = await readModel(file, displayName(name), blobs, warnings);
    if (model === null) continue;
    const existing = byName.get(model.model_name);
    if (existing !== undefined) {
      warnings.push(`manifest ${file}: name ${model.model_name} is already taken by another manifest (case differs), skipped`);
      continue;
    }
    byName.set(model.model_name, model);
  }

  const models = [...byName.values()].sort((a, b) => compareText(a.model_name, b.model_name));
  return { models, warnings };
}

/** Every name of each model blob, keyed by the blob's hex sha256; names sorted. */
export function namesBySha256(models: readonly InventoryModel[]): Map<string, string[]> {
  const names = new Map<string, string[]>();
  for (const model of models) {
    const list = names.get(model.sha256);
    if (list === undefined) names.set(model.sha256, [model.model_name]);
    else list.push(model.model_name);
  }
  for (const list of names.values()) list.sort(compareText);
  return names;
}

async function readModel(file: string, modelName: string, blobs: BlobReader, warnings: string[]): Promise<InventoryModel | null> {
  let text: string;
  try {
    text = await readSmallFile(file);
  } catch (err) {
    warnings.push(`manifest ${file}: ${err instanceof TooLargeError ? err.message : `unreadable (${reason(err)})`}, skipped`);
    return null;
  }
  let manifest;
  try {
    manifest = parseManifest(text);
  } catch (err) {
    if (!(err instanceof ManifestError)) throw err;
    warnings.push(`manifest ${file}: ${err.message}, skipped`);
    return null;
  }

  const blobPath = blobs.path(manifest.modelSha256);
  let size = await blobs.size(manifest.modelSha256);
  if (size === null) {
    if (manifest.modelLayerSize === null) {
      warnings.push(`manifest ${file}: model blob ${blobPath} is missing and the manifest gives no layer size, skipped`);
      return null;
    }
    warnings.push(`manifest ${file}: model blob ${blobPath} is missing; size ${manifest.modelLayerSize} taken from the manifest's layer size`);
    size = manifest.modelLayerSize;
  }

  let details: ModelDetails = NO_DETAILS;
  if (manifest.configSha256 !== null) {
    const config = await blobs.details(manifest.configSha256);
    if (typeof config === 'string') {
      warnings.push(`manifest ${file}: config blob ${blobs.path(manifest.configSha256)} ${config}; family, parameter size and quantization unknown`);
    } else {
      details = config;
    }
  }

  return { model_name: modelName, sha256: manifest.modelSha256, size: manifest.totalSize ?? size, model_size: size, ...details };
}

/** Blob sizes and parsed configs, each read once per scan however many names share the blob. */
class BlobReader {
  private readonly sizes = new Map<string, Promise<number | null>>();
  private readonly configs = new Map<string, Promise<ModelDetails | string>>();

  constructor(private readonly blobsDir: string) {}

  path(hex: string): string {
    return join(this.blobsDir, blobFileName(hex));
  }

  size(hex: string): Promise<number | null> {
    let size = this.sizes.get(hex);
    if (size === undefined) {
      size = stat(this.path(hex)).then(
        (stats) => (stats.isFile() ? stats.size : null),
        () => null,
      );
      this.sizes.set(hex, size);
    }
    return size;
  }

  /** The config's details, or the reason they cannot be read. */
  details(hex: string): Promise<ModelDetails | string> {
    let details = this.configs.get(hex);
    if (details === undefined) {
      details = readSmallFile(this.path(hex)).then(
        (text) => {
          try {
            return parseModelConfig(text);
          } catch (err) {
            if (err instanceof ManifestError) return err.message;
            throw err;
          }
        },
        (err: unknown) => (err instanceof TooLargeError ? err.message : `unreadable (${reason(err)})`),
      );
      this.configs.set(hex, details);
    }
    return details;
  }
}

/**
 * Manifests and config blobs are a few hundred bytes of JSON. Anything far larger (a model blob
 * named as a config, a planted file) is skipped rather than read: reading it would cost its size in
 * memory, and the scan runs inside the daemon.
 */
const MAX_JSON_FILE_BYTES = 1024 * 1024;

class TooLargeError extends Error {}

/** Reads a manifest or config blob, refusing one over the limit by the size of the open file itself. */
async function readSmallFile(path: string): Promise<string> {
  // O_NONBLOCK: a FIFO planted in place of a blob must not hang the scan.
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw Object.assign(new Error('not a regular file'), { code: 'ENOTFILE' });
    if (stats.size > MAX_JSON_FILE_BYTES) throw new TooLargeError(`is ${stats.size} bytes, more than the ${MAX_JSON_FILE_BYTES} a manifest or config may have`);
    const buffer = Buffer.alloc(stats.size);
    const { bytesRead } = await handle.read(buffer, 0, stats.size, 0);
    return buffer.toString('utf8', 0, bytesRead);
  } finally {
    await handle.close();
  }
}

async function requireDirectory(modelsDir: string): Promise<void> {
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(modelsDir)).isDirectory();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const what = code === 'ENOENT' || code === 'ENOTDIR' ? 'does not exist' : `cannot be read (${reason(err)})`;
    throw new OllamaInfluxError('OI_ERR_MODELS_DIR', `models dir ${modelsDir} ${what}`, { cause: err });
  }
  if (!isDirectory) throw new OllamaInfluxError('OI_ERR_MODELS_DIR', `models dir ${modelsDir} is not a directory`);
}

/**
 * Files exactly four levels below manifests/ ('/'-separated, sorted), as Ollama's
 * glob `*\/*\/*\/*` finds them; symlinks are followed.
 */
async function listManifestFiles(manifestsDir: string, warnings: string[]): Promise<string[]> {
  const files: string[] = [];
  const walk = async (relative: string[]): Promise<void> => {
    const dir = join(manifestsDir, ...relative);
    let entries: string[];
    try {
      entries = await readdir(dir);
    } catch (err) {
      if (relative.length === 0 && (err as NodeJS.ErrnoException).code === 'ENOENT') {
        warnings.push(`models dir has no manifests directory ${dir}: no model has been pulled yet`);
      } else {
        warnings.push(`manifests directory ${dir} cannot be listed (${reason(err)}), skipped`);
      }
      return;
    }
    for (const entry of entries.sort(compareText)) {
      const path = [...relative, entry];
      let isDirectory: boolean;
      try {
        isDirectory = (await stat(join(manifestsDir, ...path))).isDirectory();
      } catch (err) {
        warnings.push(`manifest ${join(manifestsDir, ...path)}: cannot be read (${reason(err)}), skipped`);
        continue;
      }
      if (path.length < 4) {
        if (isDirectory) await walk(path);
      } else if (!isDirectory) {
        files.push(path.join('/'));
      }
    }
  };
  await walk([]);
  return files;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function reason(err: unknown): string {
  return (err as NodeJS.ErrnoException).code ?? (err as Error).message ?? String(err);
}
