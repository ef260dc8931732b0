// Runs a command with TMPDIR set to a fresh directory and removes that directory when the command
// ends: the tests write journals, state dirs, packed tarballs and InfluxDB data (hundreds of MB per
// run) under the temporary directory, and a developer's /tmp would otherwise fill up run by run.
// Usage: node scripts/with-temp-dir.mjs COMMAND [ARGS...]

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [command, ...args] = process.argv.slice(2);
if (command === undefined) {
  console.error('usage: node scripts/with-temp-dir.mjs COMMAND [ARGS...]');
  process.exit(2);
}
const dir = mkdtempSync(join(tmpdir(), 'ollama-influx-test-run-'));
// Ctrl-C reaches the command too (same process group); this process waits for it, then cleans up.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => undefined);
const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, TMPDIR: dir } });
rmSync(dir, { recursive: true, force: true });
if (result.error !== undefined) {
  console.error(`${command}: ${result.error.message}`);
  process.exit(127);
}
process.exit(result.status ?? 1);
