// `ollama-influx timeline`: the model lifecycle timeline of one host and range, read from what was
// shipped to InfluxDB (or, with --journal, from this host's journal), as JSON, the seed's Gantt CSV, or
// a self-contained HTML page.

import { writeFileSync } from 'node:fs';
import { type Command, Option } from 'commander';
import { loadConfig } from '../../config/load.js';
import { oneShotSink } from '../../influx/sink.js';
import { createWriteClient } from '../../influx/write-client.js';
import { createLogger } from '../../logger.js';
import { buildTimeline } from '../../ollama/lifecycle/build.js';
import { renderCsv } from '../../render/csv.js';
import { renderHtml } from '../../render/html.js';
import { renderJson } from '../../render/json.js';
import { reportQueryFailure } from '../../store/query-client.js';
import { readTimelineInput } from '../../store/timeline-source.js';
import { TIMELINE_MEASUREMENT } from '../../influx/measurements.js';
import { parseTimeArg } from '../../time.js';
import { writeSpans } from '../../store/write-spans.js';
import type { Timeline, TimelineInput } from '../../ollama/lifecycle/types.js';
import { journalTimelineInput } from '../../readback/journal-input.js';
import { type JournalOptions, addJournalOptions, journalModeConfig, journalSource, rejectJournalOnlyOptions } from '../journal-options.js';

interface TimelineCommandOptions extends JournalOptions {
  readonly start: string;
  readonly stop: string;
  readonly host?: string;
  readonly format: 'json' | 'csv' | 'html';
  readonly out?: string;
  readonly write?: boolean;
}

const RENDERERS: Record<TimelineCommandOptions['format'], (timeline: Timeline) => string> = {
  json: renderJson,
  csv: renderCsv,
  html: renderHtml,
};

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

export function registerTimelineCommand(program: Command): void {
  const command = program
    .command('timeline')
    .description('Model lifecycle timeline (loads, requests, warnings, unloads) from what was shipped to InfluxDB, or with --journal from this host\'s journal')
    .option('--start <time>', `range start: ${TIME_HELP}`, '-24h')
    .option('--stop <time>', 'range end', 'now')
    .option('--host <host>', 'host tag to read (default HOST_TAG, else this machine\'s hostname)')
    .addOption(new Option('--format <format>', 'output format').choices(['json', 'csv', 'html']).default('json'))
    .option('--out <file>', 'write to FILE instead of standard output')
    .option('--write', 'also store the bars in ollama_timeline, which the Grafana lifecycle panels read (rerunning overwrites)');
  addJournalOptions(command);
  command.action(async (options: TimelineCommandOptions) => {
    quietOnClosedStdout();
    const { start, stop } = timeRange(command, options.start, options.stop);
    if (options.journal === true) {
      if (options.write === true) command.error('error: --write stores the bars in InfluxDB: not with --journal');
      const config = journalModeConfig(command);
      const host = options.host ?? config.hostTag;
      const input = await journalTimelineInput(journalSource(command, config, options), config, start, stop);
      output(options, buildTimeline(input, { host, start, stop }));
      return;
    }
    rejectJournalOnlyOptions(command, options);
    const loaded = loadConfig({ configFile: program.opts<{ config?: string }>().config });
    for (const warning of loaded.warnings) process.stderr.write(`ollama-influx: warning: ${warning}\n`);
    const host = options.host ?? loaded.config.hostTag;

    let input: TimelineInput;
    try {
      input = await readTimelineInput(loaded.config.influx, host, start, stop);
    } catch (err) {
      reportQueryFailure(err, loaded.config.influx);
      return;
    }
    const timeline = buildTimeline(input, { host, start, stop });
    if (options.write === true) {
      const sink = oneShotSink(createWriteClient(loaded.config.influx), createLogger(loaded.config.logLevel, 'stderr'));
      const points = await writeSpans(sink, timeline);
      process.stderr.write(`stored ${points} timeline bar(s) for host ${host} in ${loaded.config.influx.bucket}/${TIMELINE_MEASUREMENT}\n`);
    }
    output(options, timeline);
  });
}

function output(options: TimelineCommandOptions, timeline: Timeline): void {
  const text = RENDERERS[options.format](timeline);
  if (options.out === undefined) {
    process.stdout.write(text);
    return;
  }
  writeFileSync(options.out, text);
  process.stderr.write(
    `wrote ${timeline.sessions.length} session(s), ${timeline.unattributedRequests.length} unattributed request(s) for host ${timeline.host} to ${options.out}\n`,
  );
}
