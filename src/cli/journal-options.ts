// `--journal`: the commands that read (timeline, parse) read this host's journal directly instead of
// InfluxDB. Nothing needs configuring: a config file, when there is one, only gives defaults
// (OLLAMA_UNIT, JOURNAL_DIR, OLLAMA_MODELS_DIR, HOST_TAG), and its InfluxDB keys are not needed.

import type { Command } from 'commander';
import type { Config } from '../config/schema.js';
import type { JournalSourceSettings } from '../journal/source.js';

export interface JournalOptions {
  readonly journal?: boolean;
  readonly journalDir?: string;
  readonly unit?: string;
}

export function addJournalOptions(command: Command): Command {
  return command
    .option('--journal', 'read this host\'s journal directly (journalctl, with your own rights) instead of InfluxDB: no database, no config needed')
    .option('--journal-dir <dir>', 'with --journal: read the journal files in DIR (journalctl -D; default JOURNAL_DIR)')
    .option('--unit <unit>', 'with --journal: the Ollama unit (default OLLAMA_UNIT, else ollama)');
}

/** --journal-dir and --unit without --journal would be silently ignored: refuse them instead. */
export function rejectJournalOnlyOptions(command: Command, options: JournalOptions): void {
  if (options.journalDir !== undefined || options.unit !== undefined) command.error('error: --journal-dir and --unit go with --journal');
}

/**
 * journalctl as this user runs it: never JOURNALCTL_COMMAND, whose sudo wrapper exists for the service
 * and refuses every other argument shape (-D, --until).
 */
export function journalSource(command: Command, config: Config, options: JournalOptions): JournalSourceSettings {
  const unit = options.unit ?? config.ollamaUnit;
  if (!/^[A-Za-z0-9:_.@\\-]+$/.test(unit) || unit.startsWith('-')) command.error(`error: --unit must be a systemd unit name, got "${unit}"`);
  return { unit, journalDir: options.journalDir ?? config.journalDir, command: ['journalctl'] };
}
