// Runs the real CLI (bin/ollama-influx, built into dist/) as a child process.

import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BucketTarget } from './influx.js';

export const BIN = fileURLToPath(new URL('../../bin/ollama-influx', import.meta.url));

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Environment for a CLI run against a bucket and a journal directory; nothing from the real host leaks in. */
export function cliEnv(target: BucketTarget, extra: Record<string, string>): NodeJS.ProcessEnv {
  return {
    PATH: process.env['PATH'],
    HOME: process.env['HOME'],
    INFLUXDB_URL: target.url,
    INFLUXDB_TOKEN: target.token,
    INFLUXDB_ORG: target.org,
    INFLUXDB_BUCKET: target.bucket,
    HOST_TAG: 'test-host',
    INITIAL_LOOKBACK: 'all',
    OLLAMA_MODELS_DIR: '/nonexistent-models-dir',
    LOG_LEVEL: 'info',
    // Tests run daemons side by side: none binds the default port unless a test asks for one.
    METRICS_LISTEN: 'off',
    GPU_METRICS: 'off',
    ...extra,
  };
}

export function startCli(args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  // --config /dev/null: never pick up /etc/ollama-influx/config.env or ./config.env of the machine.
  return spawn(process.execPath, [BIN, '--config', '/dev/null', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
}

export function runCli(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 120_000): Promise<CliResult> {
  const child = startCli(args, env);
  return collect(child, timeoutMs);
}

export function collect(child: ChildProcess, timeoutMs = 120_000): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`CLI did not exit within ${timeoutMs} ms\nstdout: ${stdout.slice(-2000)}\nstderr: ${stderr.slice(-2000)}`));
    }, timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}
