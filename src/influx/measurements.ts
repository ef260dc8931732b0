// The measurements this program writes: the public data contract (README, "Data model"). Writers and
// the Flux queries that read them back use these names, never a retyped literal.

export const LOGS_MEASUREMENT = 'ollama_logs';
export const REQUESTS_MEASUREMENT = 'ollama_requests';
export const EVENTS_MEASUREMENT = 'ollama_events';
export const INVENTORY_MEASUREMENT = 'ollama_model_inventory';
export const TIMELINE_MEASUREMENT = 'ollama_timeline';
export const GPU_MEASUREMENT = 'gpu';

/**
 * Lines in a batch note which of these they belong to (LineBatch.beginLine), so acknowledged points are
 * counted by measurement without reading the body again. Index + 1 is the id; 0 means "read it from the line".
 */
export const MEASUREMENT_IDS = [LOGS_MEASUREMENT, REQUESTS_MEASUREMENT, EVENTS_MEASUREMENT] as const;
export const MEASUREMENT_NOT_NOTED = 0;
const idOf = (measurement: (typeof MEASUREMENT_IDS)[number]): number => MEASUREMENT_IDS.indexOf(measurement) + 1;
export const LOGS_ID = idOf(LOGS_MEASUREMENT);
export const REQUESTS_ID = idOf(REQUESTS_MEASUREMENT);
export const EVENTS_ID = idOf(EVENTS_MEASUREMENT);
