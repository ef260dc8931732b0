// The measurements this program writes: the public data contract (README, "Data model"). Writers and
// the Flux queries that read them back use these names, never a retyped literal.

export const LOGS_MEASUREMENT = 'ollama_logs';
export const REQUESTS_MEASUREMENT = 'ollama_requests';
export const EVENTS_MEASUREMENT = 'ollama_events';
export const INVENTORY_MEASUREMENT = 'ollama_model_inventory';
export const TIMELINE_MEASUREMENT = 'ollama_timeline';
export const GPU_MEASUREMENT = 'gpu';
