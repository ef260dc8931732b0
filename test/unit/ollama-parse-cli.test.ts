// Spawns the built CLI (`npm test` builds dist/ first): `ollama-influx parse [--json]` on stdin.

import { describe, expect, it } from 'vitest';
import { runCli, startCli } from '../support/cli.js';

async function runParse(args: string[], input: string | Buffer): Promise<{ code: number | null; lines: unknown[]; stderr: string }> {
  // No config anywhere: parse must not need one.
  const { code, stdout, stderr } = await runCli(['parse', ...args], {}, { config: null, input });
  const lines = stdout === '' ? [] : stdout.replace(/\n$/, '').split('\n').map((line) => JSON.parse(line) as unknown);
  return { code, lines, stderr };
}

const SHA = 'adca500fad9b54c565ae672184e0c9eb690eb6014ba63f8ec13849d4f73a32d3';

describe('ollama-influx parse', () => {
  it('prints one parsed object per input line, in order', async () => {
    const input = [
      '[GIN] 2025/07/23 - 21:47:10 | 200 | 16.608743461s |      172.17.0.3 | POST     "/api/chat"',
      'llama_model_loader: - kv   0: general.architecture str = qwen2',
      '',
      `time=2025-07-23T09:27:19.419+10:00 level=WARN source=sched.go:648 msg="gpu VRAM usage didn't recover within timeout" seconds=5.04476581 model=/root/.ollama/models/blobs/sha256-${SHA}`,
      'llama runner started in 4.257 seconds', // last line without a newline
    ].join('\r\n');
    const { code, lines, stderr } = await runParse([], input);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(lines).toEqual([
      { kind: 'request', status: 200, latency_ms: 16608.743461, client: '172.17.0.3', method: 'POST', path: '/api/chat' },
      { kind: 'unknown' },
      { kind: 'unknown' },
      { kind: 'vram_timeout', level: 'WARN', seconds: 5.04476581, sha256: SHA, model_name: null },
      { kind: 'model_loaded', load_seconds: 4.257 },
    ]);
  });

  it('--json decodes journal entries, byte-array MESSAGEs included, and reports bad lines without stopping', async () => {
    const message = 'time=2025-07-23T21:46:58.334+10:00 level=INFO source=server.go:619 msg="llama runner started in 4.26 seconds"';
    const entry = (fields: Record<string, unknown>): string =>
      JSON.stringify({ __CURSOR: 's=abc;i=1', __REALTIME_TIMESTAMP: '1753271218334567', _PID: '35304', ...fields });
    // Not valid UTF-8: journalctl prints MESSAGE as an array of bytes.
    const bytes = [...Buffer.from('[GIN] 2025/07/23 - 21:47:10 | 404 |    1.2ms |   127.0.0.1 | GET      "/x'), 0xff, ...Buffer.from('"')];
    const input = [
      entry({ MESSAGE: message }),
      'this is not json',
      entry({ MESSAGE: bytes, __CURSOR: 's=abc;i=2', __REALTIME_TIMESTAMP: '1753271230000001', _PID: undefined }),
      JSON.stringify({ MESSAGE: 'no cursor' }),
    ].join('\n');
    const { code, lines } = await runParse(['--json'], `${input}\n`);
    expect(code).toBe(0);
    expect(lines).toHaveLength(4);
    expect(lines[0]).toEqual({
      kind: 'model_loaded',
      level: 'INFO',
      load_seconds: 4.26,
      time: '2025-07-23T11:46:58.334567Z',
      cursor: 's=abc;i=1',
      pid: '35304',
    });
    expect(lines[1]).toMatchObject({ kind: 'invalid' });
    expect((lines[1] as { error: string }).error).toMatch(/not JSON/);
    expect(lines[2]).toEqual({
      kind: 'request',
      status: 404,
      latency_ms: 1.2,
      client: '127.0.0.1',
      method: 'GET',
      path: '/x\ufffd',
      time: '2025-07-23T11:47:10.000001Z',
      cursor: 's=abc;i=2',
      pid: null,
    });
    expect(lines[3]).toMatchObject({ kind: 'invalid' });
  });

  it('streams: prints each line before stdin closes', async () => {
    const child = startCli(['parse'], {}, { config: null, stdin: 'pipe' });
    child.stdout!.setEncoding('utf8');
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    const first = new Promise<string>((resolve, reject) => {
      child.stdout!.once('data', (text: string) => resolve(text));
      child.once('close', (code) => reject(new Error(`parse exited (${code}) before printing: ${stderr}`)));
    });
    child.stdin!.write('time=t level=INFO msg="Listening on [::]:11434 (version 0.12.7)"\n');
    expect(JSON.parse(await first)).toEqual({ kind: 'server_start', level: 'INFO', listen: '[::]:11434', version: '0.12.7' });
    child.stdin!.end();
    await new Promise((resolve) => child.on('close', resolve));
  });
});
