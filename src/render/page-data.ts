// What html.ts embeds in the page as JSON and the page's script (client/) draws: the one contract
// between the two sides, type-checked on both. Times are epoch milliseconds, shown in the viewer's zone.

import type { Session, SessionRequest, SessionWarning } from '../ollama/lifecycle/types.js';

/** The seed's colours: lifecycle grey, loading blue, requests green, warnings yellow, unload red; an inferred end's bounds pale. */
export const COLOURS = {
  lifecycle: '#c8c8c8',
  loading: '#2f6fdb',
  request: '#2ca02c',
  warning: '#f2c200',
  unload: '#d62728',
  uncertain: '#efefef',
} as const;

/** Requests and warnings of the unattributed lane carry the sessions that were loaded then. */
interface Candidates {
  readonly candidates?: readonly string[];
}
export type LaneRequest = SessionRequest & Candidates;
export type LaneWarning = SessionWarning & Candidates;

interface LaneBase {
  readonly label: string;
  readonly sub: string;
  readonly requests: readonly LaneRequest[];
  readonly warnings: readonly LaneWarning[];
}

/** A session's lane: the session's own fields, as the reconstruction gives them. */
export interface SessionLane
  extends LaneBase,
    Pick<
      Session,
      'aliases' | 'sha256' | 'gpuLayers' | 'parallel' | 'start' | 'loaded' | 'loadSeconds' | 'end' | 'endReason' | 'endExact' | 'endEarliest' | 'endLatest'
    > {
  readonly unattributed?: undefined;
}

/** Requests and warnings no single model can be named for: no lifecycle bar, no unload. */
interface UnattributedLane extends LaneBase {
  readonly unattributed: true;
}

export type Lane = SessionLane | UnattributedLane;

export interface PageData {
  readonly host: string;
  readonly start: number;
  readonly stop: number;
  readonly colours: typeof COLOURS;
  readonly lanes: readonly Lane[];
}
