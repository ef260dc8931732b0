// Pure parsing of what the blob store holds: a manifest's JSON and its config blob's JSON.
// Both throw ManifestError with a short reason; the scanner turns it into a warning.

const MODEL_MEDIA_TYPE = 'application/vnd.ollama.image.model';

/** One installed model under one name: a row of `ollama_model_inventory`. */
export interface InventoryModel {
  /** Exactly as `ollama list` shows it. */
  readonly model_name: string;
  /** Hex digest of the model layer, lowercase, without the `sha256:` prefix. */
  readonly sha256: string;
  /** Bytes of all its layers and its config, as `ollama list` reports it (the model blob's when the manifest gives no sizes). */
  readonly size: number;
  /** Bytes of the model blob alone. */
  readonly model_size: number;
  readonly family: string | null;
  readonly parameter_size: string | null;
  readonly quantization: string | null;
}

export interface ModelDetails {
  readonly family: string | null;
  readonly parameter_size: string | null;
  readonly quantization: string | null;
}

export const NO_DETAILS: ModelDetails = Object.freeze({ family: null, parameter_size: null, quantization: null });

interface ManifestInfo {
  /** Hex digest of the model layer. */
  readonly modelSha256: string;
  /** The model layer's `size`, or null when the manifest does not give a usable one. */
  readonly modelLayerSize: number | null;
  /** Hex digest of the config blob, or null when the manifest has none. */
  readonly configSha256: string | null;
  /** The sizes of the config and every layer added up (what `ollama list` shows); null when one lacks a usable size. */
  readonly totalSize: number | null;
}

export class ManifestError extends Error {
  override readonly name = 'ManifestError';
}

/** `sha256:<hex>` as manifests write it; `sha256-<hex>` (the blob file name form) is accepted too. */
export function digestHex(digest: unknown): string | null {
  if (typeof digest !== 'string') return null;
  const match = /^sha256[:-]([0-9a-fA-F]{64})$/.exec(digest);
  return match ? match[1]!.toLowerCase() : null;
}

/** The blob file name for a hex digest: `<models>/blobs/sha256-<hex>`. */
export function blobFileName(hex: string): string {
  return `sha256-${hex}`;
}

/** A manifest or config blob: a JSON object, else a ManifestError saying what it is instead. */
function parseObject(text: string): Record<string, unknown> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ManifestError(`invalid JSON (${(err as Error).message})`);
  }
  if (!isObject(json)) throw new ManifestError('not a JSON object');
  return json;
}

export function parseManifest(text: string): ManifestInfo {
  const json = parseObject(text);
  const layers = Array.isArray(json['layers']) ? json['layers'] : [];
  const layer = layers.find((candidate): candidate is Record<string, unknown> => isObject(candidate) && candidate['mediaType'] === MODEL_MEDIA_TYPE);
  if (layer === undefined) throw new ManifestError(`no layer with mediaType ${MODEL_MEDIA_TYPE}`);
  const modelSha256 = digestHex(layer['digest']);
  if (modelSha256 === null) throw new ManifestError(`model layer digest ${JSON.stringify(layer['digest'] ?? null)} is not sha256:<64 hex>`);
  const config = json['config'];
  const parts = isObject(config) ? [config, ...layers] : layers;
  const sizes = parts.map((part) => (isObject(part) ? byteSize(part['size']) : null));
  const total = sizes.reduce<number | null>((sum, size) => (sum === null || size === null ? null : sum + size), 0);
  return {
    modelSha256,
    modelLayerSize: byteSize(layer['size']),
    configSha256: isObject(config) ? digestHex(config['digest']) : null,
    totalSize: total !== null && Number.isSafeInteger(total) ? total : null,
  };
}

function byteSize(size: unknown): number | null {
  return typeof size === 'number' && Number.isSafeInteger(size) && size >= 0 ? size : null;
}

/**
 * Family, parameter size and quantization from a config blob (`model_family` or the first of
 * `model_families`, `model_type`, `file_type`), as `ollama list` reports them; null when absent.
 */
export function parseModelConfig(text: string): ModelDetails {
  const json = parseObject(text);
  const families = Array.isArray(json['model_families']) ? json['model_families'] : [];
  return {
    family: nonEmpty(json['model_family']) ?? families.map(nonEmpty).find((family) => family !== null) ?? null,
    parameter_size: nonEmpty(json['model_type']),
    quantization: nonEmpty(json['file_type']),
  };
}

function nonEmpty(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
