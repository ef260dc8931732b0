// What every command needs first: the validated config and a logger. Config errors end the
// process here with one line and exit 78.

import type { Command } from 'commander';
import { loadConfig, type LoadOptions } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { createLogger, type Logger } from '../logger.js';

export interface CommandContext {
  readonly config: Config;
  readonly logger: Logger;
}

/** The root program's `--config` value. */
export function configFileOption(command: Command): string | undefined {
  let root: Command = command;
  while (root.parent !== null) root = root.parent;
  return root.opts<{ config?: string }>().config;
}

/**
 * Loads config (throwing OllamaInfluxError on bad values; main turns it into exit 78) and creates
 * the logger. The daemon logs to stdout for journald; one-shot commands keep stdout for results.
 */
export function commandContext(command: Command, options: Omit<LoadOptions, 'configFile'> & { logTo: 'stdout' | 'stderr' }): CommandContext {
  const { config, warnings } = loadConfig({ ...options, configFile: configFileOption(command) });
  const logger = createLogger(config.logLevel, options.logTo);
  for (const warning of warnings) logger.warn(warning);
  return { config, logger };
}
