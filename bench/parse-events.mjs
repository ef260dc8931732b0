// CPU and garbage of parseMessage on the lines the byte pipeline hands it: the bench mix's slog events
// and the llama.cpp lines that pass couldBeKnown (gin lines take their own byte path). Compares this
// tree's build with a baseline build (another worktree's dist/) in the same process, alternating
// rounds, so a noisy machine skews both alike: quote the ratios.
//   npm run build && node bench/parse-events.mjs [BASELINE_DIST] [LINES]
// e.g. `git worktree add /tmp/base main && (cd /tmp/base && npm ci && npm run build)`, then
// `node bench/parse-events.mjs /tmp/base/dist`.

import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { GCProfiler, getHeapStatistics } from 'node:v8';
import { realisticMix } from './mix.mjs';

// Allocations are read as heap growth between two points with no collection in between: that needs
// gc() and a young generation big enough to hold one chunk's garbage, so they are measured in a child
// with those flags, and the CPU here with the daemon's own (none).
const ALLOC_CHILD = '--alloc-child';
const allocChild = process.argv.includes(ALLOC_CHILD);
const args = process.argv.slice(2).filter((arg) => arg !== ALLOC_CHILD);

const HERE = new URL('../dist/', import.meta.url);
const baselineDir = args[0];
const LINES = Number(args[1] ?? 200_000);
const ROUNDS = 7;
const ALLOC_CHUNK = 10_000;

async function load(distUrl) {
  const { parseMessage } = await import(new URL('ollama/parse/index.js', distUrl).href);
  const { couldBeKnown } = await import(new URL('ollama/parse/line-starts.js', distUrl).href);
  return { parseMessage, couldBeKnown };
}

const ours = await load(HERE);
const builds = [['this tree', ours.parseMessage]];
if (baselineDir !== undefined) builds.unshift(['baseline', (await load(pathToFileURL(`${resolve(baselineDir)}/`))).parseMessage]);

const events = [];
const llama = [];
for (const line of realisticMix(LINES)) {
  if (line.startsWith('[GIN]')) continue;
  const bytes = Buffer.from(line, 'utf8');
  if (!ours.couldBeKnown(bytes, 0, bytes.length)) continue;
  (line.startsWith('time=') ? events : llama).push(line);
}

/** CPU µs per line: the best of ROUNDS passes (the least disturbed by the other tenants). */
function cpuPerLine(parse, lines) {
  let best = Infinity;
  let sink = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const start = process.cpuUsage();
    for (let i = 0; i < lines.length; i++) sink += parse(lines[i]).kind.length;
    const used = process.cpuUsage(start);
    best = Math.min(best, (used.user + used.system) / lines.length);
  }
  if (sink === 0) throw new Error('nothing parsed');
  return best;
}

/** Bytes allocated per line: heap growth over chunks that stay inside the young generation (the least of passes: code compiled on the way counts too). */
function bytesPerLine(parse, lines) {
  let bytes = 0;
  let counted = 0;
  for (let from = 0; from < lines.length; from += ALLOC_CHUNK) {
    const to = Math.min(lines.length, from + ALLOC_CHUNK);
    globalThis.gc();
    const collections = new GCProfiler();
    collections.start();
    const before = getHeapStatistics().used_heap_size;
    for (let i = from; i < to; i++) parse(lines[i]);
    const grown = getHeapStatistics().used_heap_size - before;
    if (collections.stop().statistics.length > 0) continue; // a collection ran inside the chunk: not a measurement
    bytes += grown;
    counted += to - from;
  }
  return counted === 0 ? NaN : bytes / counted;
}

const sets = [['slog events', events], ['llama.cpp', llama]];

if (allocChild) {
  // One line per set: bytes per line for each build, in builds order.
  for (const [, lines] of sets) {
    const alloc = builds.map(() => Infinity);
    for (let pass = 0; pass < 3; pass++) builds.forEach(([, parse], n) => (alloc[n] = Math.min(alloc[n], bytesPerLine(parse, lines))));
    console.log(JSON.stringify(alloc));
  }
  process.exit(0);
}

const child = spawnSync(process.execPath, ['--expose-gc', '--min-semi-space-size=64', '--max-semi-space-size=64', process.argv[1], ...args, ALLOC_CHILD], { encoding: 'utf8' });
if (child.status !== 0) throw new Error(child.stderr);
const allocs = child.stdout.trim().split('\n').map((line) => JSON.parse(line));

const sameOutput = builds.length < 2 || [...events, ...llama].every((line) => JSON.stringify(builds[0][1](line)) === JSON.stringify(builds[1][1](line)));
console.log(`lines: ${events.length} slog events, ${llama.length} llama.cpp lines past couldBeKnown (of ${LINES} mixed); same results: ${sameOutput ? 'yes' : 'NO'}`);

sets.forEach(([set, lines], s) => {
  for (const [, parse] of builds) cpuPerLine(parse, lines.slice(0, 5_000)); // warm-up, both before either is timed
  const cpu = builds.map(() => Infinity);
  const alloc = allocs[s];
  // Alternate builds round by round, so load from other processes falls on both.
  for (let pass = 0; pass < 3; pass++) builds.forEach(([, parse], n) => (cpu[n] = Math.min(cpu[n], cpuPerLine(parse, lines))));
  builds.forEach(([name], n) => console.log(`${set.padEnd(12)} ${name.padEnd(10)} ${cpu[n].toFixed(2).padStart(6)} µs/line  ${Math.round(alloc[n]).toString().padStart(5)} B/line`));
  if (builds.length === 2) console.log(`${set.padEnd(12)} ratio      ${(cpu[0] / cpu[1]).toFixed(2)}x less CPU, ${(alloc[0] / alloc[1]).toFixed(2)}x less garbage`);
});
