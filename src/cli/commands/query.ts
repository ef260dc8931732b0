// `ollama-influx query FILE.flux`: runs a Flux file the way Grafana would (what the seed's
// run_flux.sh did): `${host}`, `v.timeRangeStart`, `v.timeRangeStop`, `v.windowPeriod`,
// `v.defaultBucket` and `v.organization` are filled in, the token goes in a header only.

import { readFileSync } from 'node:fs';
import type { FluxTableMetaData } from '@influxdata/influxdb-client';
import { type Command, Option } from 'commander';
import { substituteFluxVariables } from '../../store/flux.js';
import type { OpenRuntime } from '../../runtime.js';
import { windowPeriodMs } from '../../time.js';
import { TIME_HELP, quietOnClosedStdout, reportQueryFailure, timeRange } from '../reading.js';

interface QueryOptions {
  readonly host?: string;
  readonly start: string;
  readonly stop: string;
  readonly format: 'csv' | 'table';
}

export function registerQueryCommand(program: Command, open: OpenRuntime): void {
  const command = program
    .command('query')
    .description('Run a Flux file against the configured bucket, with the dashboard variables filled in')
    .argument('<file>', 'Flux query file')
    .option('--host <host>', 'value of ${host} (default HOST_TAG, else this machine\'s hostname)')
    .option('--start <time>', `v.timeRangeStart: ${TIME_HELP}`, '-24h')
    .option('--stop <time>', 'v.timeRangeStop', 'now')
    .addOption(new Option('--format <format>', 'csv (InfluxDB\'s, without annotations) or an aligned table').choices(['csv', 'table']).default('csv'));
  command.action(async (file: string, options: QueryOptions) => {
    quietOnClosedStdout();
    const { start, stop } = timeRange(command, options.start, options.stop);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      command.error(`error: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    const runtime = open({ logTo: 'stderr' });
    const { influx, hostTag } = runtime.config;
    const flux = substituteFluxVariables(text!, {
      host: options.host ?? hostTag,
      start,
      stop,
      windowPeriodMs: windowPeriodMs(start, stop),
      bucket: influx.bucket,
      org: influx.org,
    });

    const { api } = runtime.query;
    try {
      if (options.format === 'csv') {
        for await (const line of plainCsv(api.iterateLines(flux))) process.stdout.write(`${line}\n`);
      } else {
        const printer = new TablePrinter();
        for await (const { values, tableMeta } of api.iterateRows(flux)) printer.row(values, tableMeta);
        printer.flush();
      }
    } catch (err) {
      reportQueryFailure(err, influx);
    }
  });
}

/**
 * InfluxDB's annotated CSV as its plain dialect (what the seed's run_flux.sh showed): the `#…`
 * annotation rows dropped, and the `result` name they carried as a default written into the rows.
 */
async function* plainCsv(lines: AsyncIterable<string>): AsyncIterable<string> {
  let result = '';
  for await (const line of lines) {
    if (line.startsWith('#default,')) result = line.split(',')[1] ?? '';
    else if (line.startsWith('#')) continue;
    else yield line.startsWith(',,') && result !== '' ? `,${result}${line.slice(1)}` : line;
  }
}

/**
 * One aligned block per result table, the columns InfluxDB returned minus `result` and `table`.
 * Tables of one schema share a CSV header, so a new table is told by its `table` value.
 */
class TablePrinter {
  private meta: FluxTableMetaData | null = null;
  private table = '';
  private rows: string[][] = [];
  private printed = 0;

  row(values: string[], meta: FluxTableMetaData): void {
    const table = `${values[meta.column('result').index]}/${values[meta.column('table').index]}`;
    if (meta !== this.meta || table !== this.table) {
      this.flush();
      this.meta = meta;
      this.table = table;
    }
    this.rows.push(values);
  }

  flush(): void {
    if (this.meta === null) return;
    const shown = this.meta.columns.filter((c) => c.label !== 'result' && c.label !== 'table' && c.label !== '');
    const cells = [shown.map((c) => c.label), ...this.rows.map((values) => shown.map((c) => values[c.index] ?? ''))];
    const widths = shown.map((_, i) => Math.max(...cells.map((row) => row[i]!.length)));
    const lines = cells.map((row) => row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd());
    lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
    process.stdout.write(`${this.printed > 0 ? '\n' : ''}${lines.join('\n')}\n`);
    this.printed++;
    this.meta = null;
    this.rows = [];
  }
}
