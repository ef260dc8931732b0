// The Ollama log-line parser: pure functions, no I/O.

export { parseMessage } from './parse-message.js';
export { KINDS, type Kind, type KindName, type ParsedLine, type SessionKind } from './kinds.js';
export { parseGoDuration } from './go-duration.js';
export { parseSize, parseSizeSum } from './size.js';
export { tokenizeAttrs } from './slog-attrs.js';
export { unquoteGo } from './go-quote.js';
export { listName, sha256Of } from './values.js';
export type { KindEntry, KindSample, LineContext } from './types.js';
