// Inference requests packed into columns. A week of a busy host is hundreds of thousands of them; as
// objects (six properties, three boxed doubles) they were most of what the reconstruction kept. Here one
// costs 33 bytes: the journal source stores them so as it reads, the second pass walks them in start
// order through an index, and only the requests in the shown range become SessionRequest objects.

import { INFERENCE_PATHS, isInferencePath } from './inference-paths.js';
import type { SessionRequest, TimelineRequest, UnattributedRequest } from './types.js';

const FIRST_CAPACITY = 4096;

function larger(from: Float64Array<ArrayBuffer>, capacity: number): Float64Array<ArrayBuffer> {
  const to = new Float64Array(capacity);
  to.set(from);
  return to;
}

export class RequestColumns implements Iterable<TimelineRequest> {
  // Empty until the first push: the daemon's tracker runs the second pass with no requests at all on
  // every rebuild, and 100 KB of zeroed columns each time showed in its profile.
  private ends = new Float64Array(0);
  private latencies = new Float64Array(0);
  /** A double, not 16 bits: the status is whatever digits the line held. */
  private statuses = new Float64Array(0);
  /** Index into INFERENCE_PATHS: the only paths kept. */
  private paths = new Uint8Array(0);
  /** Shared strings in practice (the journal source interns them, InfluxDB's tags repeat). */
  private methods: string[] = [];
  private count = 0;

  /** The inference requests among `requests`, in their order (others are never attributed). */
  static of(requests: Iterable<TimelineRequest>): RequestColumns {
    if (requests instanceof RequestColumns) return requests;
    const columns = new RequestColumns();
    for (const request of requests) if (isInferencePath(request.path)) columns.push(request);
    return columns;
  }

  get length(): number {
    return this.count;
  }

  /** Appends a request whose path is one of INFERENCE_PATHS (else it throws: the caller filters). */
  push(request: TimelineRequest): void {
    const path = INFERENCE_PATHS.indexOf(request.path);
    if (path === -1) throw new Error(`not an inference path: ${request.path}`);
    this.add(request.end, request.latencyMs, request.status, path, request.method);
  }

  /** Appends the requests of `other` after these, in their order. */
  append(other: RequestColumns): void {
    for (let i = 0; i < other.count; i++) this.add(other.ends[i]!, other.latencies[i]!, other.statuses[i]!, other.paths[i]!, other.methods[i]!);
  }

  private add(end: number, latencyMs: number, status: number, path: number, method: string): void {
    if (this.count === this.ends.length) this.grow();
    const i = this.count++;
    this.ends[i] = end;
    this.latencies[i] = latencyMs;
    this.statuses[i] = status;
    this.paths[i] = path;
    this.methods.push(method);
  }

  /** Indices by end (the time gin logged the request); requests that ended together keep their order. */
  byEnd(): Uint32Array {
    const order = new Uint32Array(this.count);
    for (let i = 0; i < this.count; i++) order[i] = i;
    return order.sort((a, b) => this.ends[a]! - this.ends[b]! || a - b);
  }

  /** Keeps only the requests that ended at or after `time`, in their order. */
  dropEndedBefore(time: number): void {
    let kept = 0;
    for (let i = 0; i < this.count; i++) {
      if (this.ends[i]! < time) continue;
      this.ends[kept] = this.ends[i]!;
      this.latencies[kept] = this.latencies[i]!;
      this.statuses[kept] = this.statuses[i]!;
      this.paths[kept] = this.paths[i]!;
      this.methods[kept] = this.methods[i]!;
      kept++;
    }
    this.count = kept;
    this.methods.length = kept;
  }

  /** The earliest end among the requests (Infinity for none). */
  earliestEnd(): number {
    let earliest = Infinity;
    for (let i = 0; i < this.count; i++) earliest = Math.min(earliest, this.ends[i]!);
    return earliest;
  }

  /** When request `i` began: gin logs at its end, with its latency. */
  start(i: number): number {
    return this.ends[i]! - this.latencies[i]!;
  }

  end(i: number): number {
    return this.ends[i]!;
  }

  status(i: number): number {
    return this.statuses[i]!;
  }

  /** Indices by start; requests that began together keep their order (as a stable sort of the objects). */
  byStart(): Uint32Array {
    const starts = new Float64Array(this.count);
    const order = new Uint32Array(this.count);
    for (let i = 0; i < this.count; i++) {
      starts[i] = this.start(i);
      order[i] = i;
    }
    return order.sort((a, b) => starts[a]! - starts[b]! || a - b);
  }

  request(i: number): TimelineRequest {
    return { end: this.ends[i]!, latencyMs: this.latencies[i]!, method: this.methods[i]!, path: INFERENCE_PATHS[this.paths[i]!]!, status: this.statuses[i]! };
  }

  span(i: number): SessionRequest {
    const end = this.ends[i]!;
    const latencyMs = this.latencies[i]!;
    return { start: end - latencyMs, end, method: this.methods[i]!, path: INFERENCE_PATHS[this.paths[i]!]!, status: this.statuses[i]!, latencyMs };
  }

  /** Written out, not spread from span(i): a spread copy is a dictionary-mode object, three times the size. */
  unattributed(i: number, candidates: readonly string[]): UnattributedRequest {
    const end = this.ends[i]!;
    const latencyMs = this.latencies[i]!;
    return { start: end - latencyMs, end, method: this.methods[i]!, path: INFERENCE_PATHS[this.paths[i]!]!, status: this.statuses[i]!, latencyMs, candidates };
  }

  *[Symbol.iterator](): Iterator<TimelineRequest> {
    for (let i = 0; i < this.count; i++) yield this.request(i);
  }

  private grow(): void {
    const capacity = Math.max(FIRST_CAPACITY, this.ends.length * 2);
    this.ends = larger(this.ends, capacity);
    this.latencies = larger(this.latencies, capacity);
    this.statuses = larger(this.statuses, capacity);
    const paths = new Uint8Array(capacity);
    paths.set(this.paths);
    this.paths = paths;
  }
}
