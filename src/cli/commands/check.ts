// `ollama-influx check`: is everything in place? One ✓/✗ line per check, with the fix for each ✗.

import { accessSync, constants, mkdirSync } from 'node:fs';
import type { Command } from 'commander';
import type { Config } from '../../config/schema.js';
import { ERRORS, EXIT_FAILURE, OllamaInfluxError, type ErrorCode } from '../../errors.js';
import type { WriteClient } from '../../influx/write-client.js';
import { configuredJournal, readJournal } from '../../journal/source.js';
import { discoverModelsDir } from '../../models-dir/discover.js';
import { scanModels } from '../../models-dir/scan.js';
import type { OpenRuntime, Runtime } from '../../runtime.js';
import { DAY_MS } from '../../time.js';

interface CheckResult {
  readonly ok: boolean;
  readonly label: string;
  readonly detail: string;
  readonly code?: ErrorCode;
}

export function registerCheckCommand(program: Command, open: OpenRuntime): void {
  program
    .command('check')
    .description('check config, journal access, InfluxDB reachability and write permission')
    .action(async () => {
      const results: CheckResult[] = [];
      let runtime: Runtime | null = null;
      try {
        runtime = open({ logTo: 'stderr', reportWarnings: false });
        results.push({ ok: true, label: 'config', detail: `${runtime.config.configFile ?? 'environment only'}${warningsNote(runtime.configWarnings)}` });
      } catch (err) {
        results.push(failure('config', err));
      }
      if (runtime !== null) {
        const { config } = runtime;
        results.push(await checkJournal(config));
        results.push(...(await checkInflux(config, runtime.writeClient)));
        results.push(checkStateDir(config));
        results.push(await checkModelsDir(config));
      }
      for (const result of results) {
        const mark = result.ok ? '✓' : '✗';
        const fix = !result.ok && result.code !== undefined ? `\n    fix: ${ERRORS[result.code].fix}` : '';
        process.stdout.write(`${mark} ${result.label}: ${result.detail}${result.code && !result.ok ? ` [${result.code}]` : ''}${fix}\n`);
      }
      const failed = results.filter((result) => !result.ok);
      if (failed.length > 0) process.exitCode = failed.some((r) => r.label === 'config') ? ERRORS.OI_ERR_CONFIG_INVALID.exitCode : EXIT_FAILURE;
    });
}

function warningsNote(warnings: readonly string[]): string {
  return warnings.length === 0 ? '' : ` (warnings: ${warnings.join('; ')})`;
}

function failure(label: string, err: unknown, fallback: ErrorCode = 'OI_ERR_CONFIG_INVALID'): CheckResult {
  if (err instanceof OllamaInfluxError) return { ok: false, label, detail: err.message, code: err.code };
  return { ok: false, label, detail: err instanceof Error ? err.message : String(err), code: fallback };
}

async function checkJournal(config: Config): Promise<CheckResult> {
  const label = 'journal';
  const controller = new AbortController();
  try {
    const source = configuredJournal(config);
    let found: string | null = null;
    for await (const entries of readJournal(source, { sinceMs: Date.now() - DAY_MS }, { signal: controller.signal })) {
      found = entries[0]?.realtimeUs ?? null;
      controller.abort(); // one entry proves access; no need to read the whole day
      break;
    }
    const where = config.journalDir === null ? 'the system journal' : config.journalDir;
    return found === null
      ? { ok: true, label, detail: `${where} is readable; no entries of ${config.ollamaUnit} in the last 24 h` }
      : { ok: true, label, detail: `${where} is readable; ${config.ollamaUnit} has entries since ${new Date(Number(found) / 1000).toISOString()}` };
  } catch (err) {
    return failure(label, err, 'OI_ERR_JOURNAL_READ');
  }
}

async function checkInflux(config: Config, writeClient: WriteClient): Promise<CheckResult[]> {
  const { url, org, bucket } = config.influx;
  try {
    const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(10_000) });
    if (!response.ok) throw new Error(`GET /health answered ${response.status}`);
  } catch (err) {
    return [{ ok: false, label: 'influxdb', detail: `${url} is not reachable: ${(err as Error).message}`, code: 'OI_ERR_INFLUX_UNREACHABLE' }];
  }
  const results: CheckResult[] = [{ ok: true, label: 'influxdb', detail: `${url} is reachable` }];
  // An empty write is authorised and resolved like a real one but stores nothing.
  const outcome = await writeClient.write('');
  if (outcome.kind === 'ok') {
    results.push({ ok: true, label: 'write', detail: `the token can write to bucket ${bucket} of org ${org}` });
  } else if (outcome.kind === 'network') {
    results.push({ ok: false, label: 'write', detail: `${outcome.code}: ${outcome.message}`, code: 'OI_ERR_INFLUX_UNREACHABLE' });
  } else {
    const code: ErrorCode = outcome.status === 404 ? 'OI_ERR_INFLUX_BUCKET' : 'OI_ERR_INFLUX_AUTH';
    results.push({ ok: false, label: 'write', detail: `HTTP ${outcome.status} writing to bucket ${bucket} of org ${org}: ${outcome.body}`, code });
  }
  return results;
}

function checkStateDir(config: Config): CheckResult {
  try {
    mkdirSync(config.stateDir, { recursive: true, mode: 0o750 });
    accessSync(config.stateDir, constants.W_OK);
    return { ok: true, label: 'state', detail: `${config.stateDir} is writable` };
  } catch (err) {
    return { ok: false, label: 'state', detail: `${config.stateDir}: ${(err as Error).message}`, code: 'OI_ERR_CHECKPOINT' };
  }
}

async function checkModelsDir(config: Config): Promise<CheckResult> {
  try {
    const { dir, source } = await discoverModelsDir({ configured: config.modelsDir, unit: config.ollamaUnit });
    const { models, warnings } = await scanModels(dir);
    return { ok: true, label: 'models', detail: `${dir} (${source}): ${models.length} models${warningsNote(warnings)}` };
  } catch (err) {
    return failure('models', err, 'OI_ERR_MODELS_DIR');
  }
}
