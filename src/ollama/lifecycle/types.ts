// What the lifecycle reconstruction reads and what it produces. Times are milliseconds since the
// epoch (fractions keep the journal's microseconds); the renderers turn them into RFC 3339 UTC.

/** One `ollama_events` point: the parser's kind, the model tag when ingest resolved it, its fields. */
export interface TimelineEvent {
  readonly time: number;
  readonly kind: string;
  readonly model?: string;
  readonly level?: string;
  /** The raw log line (`message` field). */
  readonly message: string;
  readonly fields: Readonly<Record<string, string | number | boolean>>;
}

/** One `ollama_requests` point. `end` is the [GIN] line's time: gin logs when the request ends. */
export interface TimelineRequest {
  readonly end: number;
  readonly latencyMs: number;
  readonly method: string;
  readonly path: string;
  readonly status: number;
}

export interface TimelineInput {
  readonly events: readonly TimelineEvent[];
  readonly requests: readonly TimelineRequest[];
  /** sha256 (hex) → every name the blob has in `ollama list` (aliases share blobs). */
  readonly inventory: ReadonlyMap<string, readonly string[]>;
}

/**
 * What buildTimeline reads: as TimelineInput, but the requests are read once, in order, from any
 * iterable (the journal source packs a week of them into columns: src/readback/request-columns.ts).
 */
export type ReconstructionInput = Omit<TimelineInput, 'requests'> & { readonly requests: Iterable<TimelineRequest> };

export interface TimelineOptions {
  readonly host: string;
  /** The range shown; events and requests before `start` only give context (sessions already open). */
  readonly start: number;
  readonly stop: number;
}

export type EndReason =
  | 'unload' // an explicit unload line for its model (DEBUG logs)
  | 'vram_timeout' // "gpu VRAM usage didn't recover within timeout" naming its sha256
  | 'eviction' // an eviction line naming it, or evicting while it was the only model loaded
  | 'load_error' // the load failed ("error loading llama server")
  | 'reload' // the same blob was loaded again (another context size, …): the earlier runner was stopped first
  | 'replaced' // with OLLAMA_MAX_LOADED_MODELS=1 another model's load: the loaded one was stopped first
  | 'server_stop' // systemd stopped the unit or its main process exited: every runner went with it
  | 'server_restart' // a new server process started: the old one and all its runners ended
  | 'keep_alive' // inferred: OLLAMA_KEEP_ALIVE after its last request
  | 'open'; // still loaded at the end of the range

export interface SessionRequest {
  readonly start: number;
  readonly end: number;
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly latencyMs: number;
}

export interface UnattributedRequest extends SessionRequest {
  /** Names of the sessions that were loaded during the request: none, or several. */
  readonly candidates: readonly string[];
}

export interface SessionWarning {
  readonly time: number;
  readonly kind: string;
  readonly message: string;
}

export interface UnattributedWarning extends SessionWarning {
  readonly candidates: readonly string[];
}

export interface Session {
  /** The model's name, or null when its sha256 is in no inventory (the label then shows the sha256). */
  readonly model: string | null;
  /** The blob's other names. */
  readonly aliases: readonly string[];
  readonly sha256: string | null;
  readonly ctxSize: number | null;
  readonly gpuLayers: number | null;
  readonly parallel: number | null;
  readonly start: number;
  readonly loaded: number | null;
  readonly loadSeconds: number | null;
  /** When it left memory (the best estimate when inferred); for `open` the range's stop. */
  readonly end: number;
  readonly endReason: EndReason;
  /** False when the end is inferred (keep-alive, reload, replaced, server restart, open). */
  readonly endExact: boolean;
  /**
   * Bounds of the true end: the last moment the logs show it loaded, and the first they show it gone
   * (null: nothing does yet). Equal to `end` when exact. Default logging prints no unload line, so
   * most ends are inferred; these say how far off the estimate can be.
   */
  readonly endEarliest: number;
  readonly endLatest: number | null;
  readonly requests: readonly SessionRequest[];
  readonly warnings: readonly SessionWarning[];
}

export interface Timeline {
  readonly host: string;
  readonly start: number;
  readonly stop: number;
  readonly sessions: readonly Session[];
  readonly unattributedRequests: readonly UnattributedRequest[];
  readonly unattributedWarnings: readonly UnattributedWarning[];
}

/** The model's name, or the start of its sha256 when no inventory names it. */
export function displayName(session: Pick<Session, 'model' | 'sha256'>): string {
  return session.model ?? (session.sha256 !== null ? `sha256-${session.sha256.slice(0, 12)}` : 'unknown model');
}

/** `model (ctx: N)`, the lane label of the seed's Gantt chart. */
export function sessionLabel(session: Pick<Session, 'model' | 'sha256' | 'ctxSize'>): string {
  return `${displayName(session)} (ctx: ${session.ctxSize ?? 'N/A'})`;
}
