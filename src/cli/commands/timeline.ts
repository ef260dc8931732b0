// `ollama-influx timeline`: the model lifecycle timeline of one host and range, read from what was
// shipped to InfluxDB (or, with --journal, from this host's journal), as JSON, the seed's Gantt CSV, or
// a self-contained HTML page.

import { once } from 'node:events';
import { closeSync, openSync, writeSync } from 'node:fs';
import { type Command, Option } from 'commander';
import { buildTimeline } from '../../ollama/lifecycle/build.js';
import { renderCsvChunks } from '../../render/csv.js';
import { renderHtml } from '../../render/html.js';
import { renderJsonChunks } from '../../render/json.js';
import { readTimelineInput } from '../../store/timeline-source.js';
import { TIMELINE_MEASUREMENT } from '../../influx/measurements.js';
import { writeSpans } from '../../store/write-spans.js';
import type { ReconstructionInput, Timeline } from '../../ollama/lifecycle/types.js';
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

/** Each format as pieces of text, written as they come: a week of requests is never one string. */
const RENDERERS: Record<TimelineCommandOptions['format'], (timeline: Timeline) => Iterable<string>> = {
  json: renderJsonChunks,
  csv: renderCsvChunks,
  html: (timeline) => [renderHtml(timeline)],
};

/** Pieces are joined up to this many characters per write. */
const WRITE_CHARS = 1 << 16;

function* joined(pieces: Iterable<string>): Generator<string> {
  let batch: string[] = [];
  let size = 0;
  for (const piece of pieces) {
    batch.push(piece);
    size += piece.length;
    if (size < WRITE_CHARS) continue;
    yield batch.join('');
    batch = [];
    size = 0;
  }
  if (batch.length > 0) yield batch.join('');
}

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
      // The input is not kept once the timeline is built: its packed requests can go before the output is written.
      await output(options, buildTimeline(await journalTimelineInput(journalSource(command, config, options), config, start, stop), { host, start, stop }));
      return;
    }
    rejectJournalOnlyOptions(command, options);
    const runtime = open({ logTo: 'stderr' });
    const { config } = runtime;
    const host = options.host ?? config.hostTag;

    let input: ReconstructionInput;
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
    await output(options, timeline);
  });
}

async function output(options: TimelineCommandOptions, timeline: Timeline): Promise<void> {
  const pieces = joined(RENDERERS[options.format](timeline));
  if (options.out === undefined) {
    for (const text of pieces) if (!process.stdout.write(text)) await once(process.stdout, 'drain');
    return;
  }
  const fd = openSync(options.out, 'w');
  try {
    for (const text of pieces) {
      const bytes = Buffer.from(text, 'utf8');
      for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done);
    }
  } finally {
    closeSync(fd);
  }
  process.stderr.write(
    `wrote ${timeline.sessions.length} session(s), ${timeline.unattributedRequests.length} unattributed request(s) for host ${timeline.host} to ${options.out}\n`,
  );
}
