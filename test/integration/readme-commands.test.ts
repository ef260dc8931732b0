// Every fenced block marked `sh runnable` in README.md runs here as a user would type it (bash -e, one
// block at a time, in order), against the test's own journal and InfluxDB, substituted only through the
// environment keys the README documents:
//   JOURNAL_DIR       a journal shaped like the seed host's (seed-journal.ts), shifted to end an hour ago
//                     so `--start -24h` finds it; `--journal` reads it
//   OLLAMA_MODELS_DIR a models dir naming its blobs
//   INFLUXDB_*        a fresh bucket on the test InfluxDB, into which `once` shipped that journal and the
//                     seed journal at its own dates (for the examples with fixed dates)
//   HOST_TAG=gpu-box  the host the examples name
//   PATH              this checkout's bin/ first, so `ollama-influx` is the one under test
// The working directory is a temporary one where `bin` links to this checkout's bin/.
// Blocks marked `sh runnable background` start a server (`serve`): each runs in a network namespace of
// its own (`unshare -n`, so the documented default port is free whatever else runs), is asked for its
// /timeline page on that port, and must stop with exit 0 on SIGTERM.
// Blocks that need root and a real systemd (install.sh, uninstall.sh, systemctl) are not marked: the
// e2e test (test/e2e/run.sh) runs install.sh and uninstall.sh in a booted container.

import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { freshBucket } from '../support/influx.js';
import { tempDir, writeJournal } from '../support/journal.js';
import { seedJournalEntries } from '../support/seed-journal.js';
import { isoToUs, writeScenarioModelsDir } from '../support/timeline-scenario.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const HOST = 'gpu-box';

/** The bodies of the fenced blocks whose info string is `sh runnable` (plus `background`), in README order. */
function runnableBlocks(markdown: string, background = false): string[] {
  const fence = background ? /^```sh runnable background\n([\s\S]*?)^```$/gm : /^```sh runnable\n([\s\S]*?)^```$/gm;
  return [...markdown.matchAll(fence)].map((m) => m[1]!);
}

/** The shifted seed evening's page: five model loads and the request two loaded models could have served. */
const SEED_LANES = ['gemma3:12b (ctx: 2048)', 'gemma3:1b (ctx: 8192)', 'phi4:latest (ctx: 2048)', 'gemma3:12b (ctx: 8192)', 'qwen3:8b (ctx: 8192)', 'unattributed'];

/** `serve`'s documented default address. */
const SERVE_DEFAULT = 'http://127.0.0.1:9465';

/** Starts the block in a fresh network namespace, fetches its page there, stops it; the page and the exit code. */
function inOwnNetwork(block: string): string {
  return `ip link set lo up
(
${block.trim()}
) >server.log 2>&1 &
server=$!
for _ in $(seq 1 150); do curl -sf -o page.html ${SERVE_DEFAULT}/timeline?start=-24h && break; sleep 0.2; done
kill -TERM $server
wait $server`;
}

function bash(script: string, env: Record<string, string>, cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile('bash', ['-euo', 'pipefail', '-c', script], { env, cwd, maxBuffer: 64 << 20, timeout: 120_000 }, (err, stdout, stderr) =>
      done({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : 1, stdout, stderr }),
    );
  });
}

/** The lanes of a timeline page: its embedded data. */
function pageLanes(file: string): { label: string }[] {
  const html = readFileSync(file, 'utf8');
  const data = /<script type="application\/json" id="timeline-data">(.*?)<\/script>/s.exec(html);
  expect(data, `${file} is a timeline page`).not.toBeNull();
  return (JSON.parse(data![1]!) as { lanes: { label: string }[] }).lanes;
}

describe('README commands', () => {
  const blocks = runnableBlocks(README);
  const servers = runnableBlocks(README, true);
  let dir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    dir = tempDir('readme');
    symlinkSync(join(ROOT, 'bin'), join(dir, 'bin'));
    const recent = join(dir, 'journal');
    const seed = join(dir, 'seed-journal');
    mkdirSync(recent);
    mkdirSync(seed);
    // The seed evening's last line lands an hour ago.
    const shift = BigInt(Date.now() - 3_600_000) * 1000n - isoToUs('2025-07-23T00:10:03.510000Z');
    await writeJournal(recent, seedJournalEntries(shift));
    await writeJournal(seed, seedJournalEntries());
    await writeScenarioModelsDir(join(dir, 'models'));
    const target = await freshBucket('readme');
    env = {
      PATH: `${join(ROOT, 'bin')}:${process.env['PATH']}`,
      HOME: dir,
      JOURNAL_DIR: recent,
      OLLAMA_MODELS_DIR: join(dir, 'models'),
      HOST_TAG: HOST,
      INFLUXDB_URL: target.url,
      INFLUXDB_TOKEN: target.token,
      INFLUXDB_ORG: target.org,
      INFLUXDB_BUCKET: target.bucket,
      INITIAL_LOOKBACK: 'all',
    };
    // Oldest first: a first run starts after the newest point the host already has (README: First run).
    for (const [journal, state] of [[seed, 'state-seed'], [recent, 'state-recent']] as const) {
      const once = await bash('ollama-influx once --json', { ...env, JOURNAL_DIR: journal, STATE_DIR: join(dir, state) }, dir);
      expect(once.code, once.stderr).toBe(0);
    }
  });

  it('marks the first minute\'s commands runnable', () => {
    const all = blocks.join('');
    expect(all).toContain('bin/ollama-influx timeline --journal --start -24h --format html --out timeline.html\n');
    expect(all).toContain('bin/ollama-influx timeline --start -24h --format html --out timeline.html\n');
    expect(servers.join('')).toMatch(/^bin\/ollama-influx serve --journal /m);
  });

  it.each(servers.map((block, i) => [i + 1, block] as const))('server block %i serves the page and stops on SIGTERM', async (_, block) => {
    const run = await bash(`unshare -n bash -euo pipefail -c '${inOwnNetwork(block).replaceAll("'", "'\\''")}'`, env, dir);
    const log = existsSync(join(dir, 'server.log')) ? readFileSync(join(dir, 'server.log'), 'utf8') : '';
    expect(run.code, `${block}\n${run.stderr}\n${log}`).toBe(0);
    expect(pageLanes(join(dir, 'page.html')).map((l) => l.label)).toEqual(SEED_LANES);
  });

  it.each(blocks.map((block, i) => [i + 1, block] as const))('block %i runs and writes what it says', async (_, block) => {
    const run = await bash(block, env, dir);
    expect(run.code, `${block}\n${run.stderr}`).toBe(0);
    for (const [, file] of block.matchAll(/--format html --out (\S+)/g)) {
      expect(pageLanes(join(dir, file!)).map((l) => l.label)).toEqual(SEED_LANES);
    }
    if (block.includes('--format csv')) {
      // The fixed-date example, 23:00–00:00 UTC on the seed evening: the loads up to 23:50, not qwen3's at 00:10.
      expect(run.stdout.split('\n').filter((l) => l.endsWith(',background')).map((l) => l.split(',')[3])).toEqual([
        'gemma3:12b (ctx: 2048)',
        'gemma3:1b (ctx: 8192)',
        'phi4:latest (ctx: 2048)',
        'gemma3:12b (ctx: 8192)',
      ]);
    }
    expect(existsSync(join(dir, 'timeline.html'))).toBe(true);
  });
});
