// The one way tests run the real CLI (bin/ollama-influx, built into dist/) as a child process.
// The child sees only PATH, HOME and what the test gives it: nothing of this machine's environment
// or config files leaks in.

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

export interface CliOptions {
  /** Working directory; default this process's. */
  readonly cwd?: string;
  /**
   * The --config file. Default /dev/null, so /etc/ollama-influx/config.env and ./config.env of the
   * machine are never picked up; null passes no --config (the first-minute tests, run where there is none).
   */
  readonly config?: string | null;
  /** Written to stdin, which is then closed; without it stdin is /dev/null. */
  readonly input?: string | Buffer;
  /** stdin left open as a pipe for the test to write (startCli only). */
  readonly stdin?: 'pipe';
  /** runCli: kill the child and fail after this long. */
  readonly timeoutMs?: number;
}

/** Environment for a CLI run against a bucket and a journal directory. */
export function cliEnv(target: BucketTarget, extra: Record<string, string>): NodeJS.ProcessEnv {
  return {
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

/** Starts the CLI; `env` is the child's whole environment besides PATH and HOME. */
export function startCli(args: readonly string[], env: NodeJS.ProcessEnv, options: CliOptions = {}): ChildProcess {
  const config = options.config === undefined ? ['--config', '/dev/null'] : options.config === null ? [] : ['--config', options.config];
  const stdin = options.input !== undefined || options.stdin === 'pipe' ? 'pipe' : 'ignore';
  const child = spawn(process.execPath, [BIN, ...config, ...args], {
    env: { PATH: process.env['PATH'], HOME: process.env['HOME'], ...env },
    cwd: options.cwd,
    stdio: [stdin, 'pipe', 'pipe'],
  });
  if (options.input !== undefined) child.stdin!.end(options.input);
  return child;
}

/** Runs the CLI to its end; see startCli. */
export function runCli(args: readonly string[], env: NodeJS.ProcessEnv, options: CliOptions = {}): Promise<CliResult> {
  return collect(startCli(args, env, options), options.timeoutMs);
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
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}
