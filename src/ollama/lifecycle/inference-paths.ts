// Which requests the timeline counts: the ones a model runner serves.

/** Endpoints served by a model runner; the rest (tags, version, show, pull, HEAD /) never touch one. */
export const INFERENCE_PATHS: readonly string[] = [
  '/api/generate',
  '/api/chat',
  '/api/embed',
  '/api/embeddings',
  '/v1/chat/completions',
  '/v1/completions',
  '/v1/embeddings',
  '/v1/responses',
  '/v1/messages',
];

export function isInferencePath(path: string): boolean {
  return INFERENCE_PATHS.includes(path);
}
