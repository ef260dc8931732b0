// What the commands that read a range from InfluxDB (timeline, query) share: --start/--stop, one
// line for a failed query, and a quiet end when the reader of standard output goes away.

import type { Command } from 'commander';
import type { InfluxSettings } from '../config/schema.js';
import { EXIT_FAILURE, OllamaInfluxError } from '../errors.js';
import { queryError } from '../store/query-client.js';
import { parseTimeArg } from '../time.js';

export const TIME_HELP = 'RFC 3339 (2025-07-23T09:00:00+10:00), relative (-24h, -90m, -7d) or now';

/** `… | head` closes standard output early: that ends the command quietly, not with a stack trace. */
export function quietOnClosedStdout(): void {
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    process.exit(process.exitCode ?? 0);
  });
}

/** --start/--stop against one "now", so `-1h` and `now` are exactly an hour apart. */
export function timeRange(command: Command, startText: string, stopText: string): { start: number; stop: number } {
  const now = Date.now();
  const start = parseTimeArg(startText, now);
  const stop = parseTimeArg(stopText, now);
  if (start === null) command.error(`error: --start "${startText}" is not a time: use ${TIME_HELP}`);
  if (stop === null) command.error(`error: --stop "${stopText}" is not a time: use ${TIME_HELP}`);
  if (start! >= stop!) command.error(`error: --start must be before --stop`);
  return { start: start!, stop: stop! };
}

/**
 * Ends a command after a failed query: registry errors go to main (one line, their exit code); a
 * Flux error is printed as one line with exit status 1 instead of a stack trace.
 */
export function reportQueryFailure(err: unknown, influx: InfluxSettings): void {
  const failure = queryError(err, influx);
  if (failure instanceof OllamaInfluxError) throw failure;
  process.stderr.write(`ollama-influx: ${failure.message.replace(/\s*\n\s*/g, ' ')}\n`);
  process.exitCode = EXIT_FAILURE;
}
