// `ollama-influx timeline`: the model lifecycle timeline of one host and range, read from what was
// shipped to InfluxDB (or, with --journal, from this host's journal), as JSON, the seed's Gantt CSV, or
// a self-contained HTML page.

import { writeFileSync } from 'node:fs';
import { type Command, Option } from 'commander';
import { buildTimeline } from '../../ollama/lifecycle/build.js';
import { renderCsv } from '../../render/csv.js';
import { renderHtml } from '../../render/html.js';
import { renderJson } from '../../render/json.js';
import { readTimelineInput } from '../../store/timeline-source.js';
import { TIMELINE_MEASUREMENT } from '../../influx/measurements.js';
import { writeSpans } from '../../store/write-spans.js';
import type { Timeline, TimelineInput } from '../../ollama/lifecycle/types.js';
import { journalTimelineInput } from '../../readback/journal-input.js';
import type { OpenRuntime } from '../../runtime.js';
import { type JournalOptions, addJournalOptions, journalSource, rejectJournalOnlyOptions } from '../journal-options.js';
import { TIME_HELP, quietOnClosedStdout, reportQueryFailure, timeRange } from '../reading.js';

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

export function registerTimelineCommand(program: Command, open: OpenRuntime): void {
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
      const { config } = open({ logTo: 'stderr', config: 'none' });
      const host = options.host ?? config.hostTag;
      const input = await journalTimelineInput(journalSource(command, config, options), config, start, stop);
      output(options, buildTimeline(input, { host, start, stop }));
      return;
    }
    rejectJournalOnlyOptions(command, options);
    const runtime = open({ logTo: 'stderr' });
    const { config } = runtime;
    const host = options.host ?? config.hostTag;

    let input: TimelineInput;
    try {
      input = await readTimelineInput(runtime.query, host, start, stop);
    } catch (err) {
      reportQueryFailure(err, config.influx);
      return;
    }
    const timeline = buildTimeline(input, { host, start, stop });
    if (options.write === true) {
      const points = await writeSpans(runtime.sink, timeline);
      process.stderr.write(`stored ${points} timeline bar(s) for host ${host} in ${config.influx.bucket}/${TIMELINE_MEASUREMENT}\n`);
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
