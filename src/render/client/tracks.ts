// Overlapping requests of a lane go on separate tracks (at most MAX_TRACKS) so each stays visible.

export const MAX_TRACKS = 3;

export interface Tracks {
  /** How many tracks the lane needs (at least one). */
  readonly count: number;
  /** The track of each request, by its index in the lane's list. */
  readonly of: readonly number[];
}

/** In start order, each request takes the first free track, else a new one, else the one freed soonest. */
export function assignTracks(requests: readonly { readonly start: number; readonly end: number }[]): Tracks {
  const ends: number[] = [];
  const of: number[] = [];
  const order = requests.map((_, i) => i).sort((a, b) => requests[a]!.start - requests[b]!.start);
  for (const i of order) {
    const request = requests[i]!;
    let track = ends.findIndex((end) => end <= request.start);
    if (track < 0) track = ends.length < MAX_TRACKS ? ends.length : ends.indexOf(Math.min(...ends));
    ends[track] = request.end;
    of[i] = track;
  }
  return { count: Math.max(1, ends.length), of };
}
