// pino to stdout; journald keeps it. The token never reaches a log line (redacted by path too).

import pino, { type Logger } from 'pino';
import type { LogLevel } from './config/schema.js';
import { OllamaInfluxError } from './errors.js';

export type { Logger };

export function createLogger(level: LogLevel, to: 'stdout' | 'stderr' = 'stdout'): Logger {
  return pino(
    {
    level,
    base: { name: 'ollama-influx' },
    redact: { paths: ['token', '*.token', 'headers.authorization', 'config.influx.token'], censor: '[redacted]' },
    },
    pino.destination({ fd: to === 'stdout' ? 1 : 2, sync: true }),
  );
}

/** A failure the process survives: a coded error with its fix, anything else with its stack. */
export function logFailure(logger: Logger, err: unknown, what: string): void {
  if (err instanceof OllamaInfluxError) logger.error({ code: err.code, fix: err.fix, err: err.message }, what);
  else logger.error({ err }, what);
}
