// Starts one real InfluxDB 2.7 for the whole test run (scripts/influxdb-test-server.sh) and stops it after.
// Tests get a fresh bucket each (test/support/influx.ts), so they can run in any order.

import { execFileSync } from 'node:child_process';
import type { TestProject } from 'vitest/node';

export interface InfluxServer {
  url: string;
  token: string;
  org: string;
  bucket: string;
  pid: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    influx: InfluxServer;
  }
}

const SCRIPT = new URL('../../scripts/influxdb-test-server.sh', import.meta.url).pathname;

export default function setup(project: TestProject): () => void {
  let output: string;
  try {
    output = execFileSync('bash', [SCRIPT, 'start'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  } catch (err) {
    throw new Error(
      `The tests need a real InfluxDB 2.7 and ${SCRIPT} could not start one. ` +
        `Install Go, Rust (rustup) and gcc so it can build influxd, or run "bash .ci/run" which installs them. (${(err as Error).message})`,
    );
  }
  const values = Object.fromEntries(
    output
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  const server: InfluxServer = {
    url: values['INFLUXDB_URL']!,
    token: values['INFLUXDB_TOKEN']!,
    org: values['INFLUXDB_ORG']!,
    bucket: values['INFLUXDB_BUCKET']!,
    pid: values['INFLUXD_PID']!,
  };
  project.provide('influx', server);
  return () => {
    execFileSync('bash', [SCRIPT, 'stop', server.pid], { stdio: 'inherit' });
  };
}
