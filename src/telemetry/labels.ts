// Label values from log lines are hostile and unbounded: every label is mapped onto a fixed set so a
// client calling odd URLs cannot grow the metrics without limit.

import { INFERENCE_PATHS } from '../ollama/lifecycle/inference-paths.js';

/** Ollama's own endpoints (api/types.go, routes.go); anything else is `other`. */
const KNOWN_PATHS = new Set<string>([
  ...INFERENCE_PATHS,
  '/',
  '/api/version',
  '/api/tags',
  '/api/show',
  '/api/ps',
  '/api/pull',
  '/api/push',
  '/api/create',
  '/api/copy',
  '/api/delete',
  '/api/blobs',
  '/v1/models',
]);

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']);

/** The path without its query, when it is one of Ollama's endpoints; `other` otherwise. */
export function pathLabel(path: string): string {
  const query = path.indexOf('?');
  const bare = query === -1 ? path : path.slice(0, query);
  if (KNOWN_PATHS.has(bare)) return bare;
  // HEAD/POST /api/blobs/sha256:… carry a digest: one label for all of them.
  if (bare.startsWith('/api/blobs/')) return '/api/blobs';
  if (bare.startsWith('/v1/models/')) return '/v1/models';
  return 'other';
}

export function methodLabel(method: string): string {
  return METHODS.has(method) ? method : 'other';
}

/** '100' … '599', made once (a label per request would be a new string each time). */
const STATUS_LABELS = Array.from({ length: 600 }, (_, status) => String(status));

export function statusLabel(status: number): string {
  return Number.isInteger(status) && status >= 100 && status <= 599 ? STATUS_LABELS[status]! : 'other';
}
