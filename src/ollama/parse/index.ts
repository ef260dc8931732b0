// The Ollama log-line parser: pure functions, no I/O. What the other folders use of it.

export { parseMessage } from './parse-message.js';
export { KINDS, NOT_FIELD_KEYS, type ParsedLine } from './kinds.js';
