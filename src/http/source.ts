// What the read API needs from wherever the data lives. InfluxDB (influx-source.ts) serves any host
// of a fleet; another source (the local journal) can stand in without the API changing.

import type { ReconstructionInput } from '../ollama/lifecycle/types.js';
import type { GpuSample } from '../gpu/nvidia-smi.js';

/** Sums over a set of requests: averages and rates are computed from these by the API. */
export interface RequestTotals {
  readonly requests: number;
  /** Status 500–599: Ollama failed. 4xx are the client's mistakes and are not counted. */
  readonly errors: number;
  readonly latencySumMs: number;
}

export interface StepTotals extends RequestTotals {
  /** Start of the step (ms since the epoch). */
  readonly start: number;
}

export interface ModelTotals extends RequestTotals {
  /** The `model` tag; null for requests no single model can have served. */
  readonly model: string | null;
}

/** The latest `gpu` reading of one GPU (its time, ms); null where nvidia-smi said [N/A] or [Not Supported]. */
export interface GpuReading extends GpuSample {
  readonly time: number;
}

export interface ReadSource {
  /** The host shown when the request names none. */
  readonly defaultHost: string;
  /** Throws when the source cannot be read (for /health of `serve`). */
  check(): Promise<void>;
  requestTotals(host: string, start: number, stop: number): Promise<RequestTotals>;
  /** One entry per step that had requests, oldest first; steps start at `start` + k·step. */
  requestSteps(host: string, start: number, stop: number, stepMs: number): Promise<StepTotals[]>;
  requestsByModel(host: string, start: number, stop: number): Promise<ModelTotals[]>;
  /** Time of the latest Ollama server start at or before `stop`, or null. */
  lastServerStart(host: string, stop: number): Promise<number | null>;
  gpus(host: string, start: number, stop: number): Promise<GpuReading[]>;
  timelineInput(host: string, start: number, stop: number): Promise<ReconstructionInput>;
}
