// scripts/check-layout.mjs (run by `npm test`) must be able to fail: fed a tiny tree with a folder
// cycle, a 301-line file and an I/O import in src/ollama, it exits non-zero and names each problem.

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const SCRIPT = fileURLToPath(new URL('../../scripts/check-layout.mjs', import.meta.url));
let dir = '';

function tree(files: Record<string, string>): string {
  dir = mkdtempSync(join(tmpdir(), 'check-layout-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

function check(srcDir: string) {
  return spawnSync(process.execPath, [SCRIPT, srcDir], { encoding: 'utf8' });
}

afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('check-layout', () => {
  it('passes a layered tree and prints its folder graph', () => {
    const run = check(
      tree({
        'a/one.ts': "import { two } from '../b/two.js';\nimport type { T } from '../time.js';\nexport const one: T = two;\n",
        'b/two.ts': "export const two = 2;\n",
        'time.ts': 'export type T = number;\n',
        // Exactly 300 lines is allowed.
        'b/long.ts': 'export const x = 1;\n'.repeat(300),
      }),
    );
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('a -> b, time.ts\nb -> (nothing)\ntime.ts -> (nothing)\n');
  });

  it('fails on a folder cycle, a 301-line file and I/O in src/ollama', () => {
    const run = check(
      tree({
        'a/one.ts': "export { two } from '../b/two.js';\n",
        'b/two.ts': "import { three } from '../c/three.js';\nexport const two = three;\n",
        'c/three.ts': "export const three = 3;\nexport const again = import('../a/one.js');\n",
        'c/long.ts': 'export const x = 1;\n'.repeat(301),
        'ollama/parse.ts': "import { readFileSync } from 'node:fs';\nimport pino from 'pino';\nexport const p = [readFileSync, pino];\n",
      }),
    );
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('import cycle between a, b, c: a -> b (a/one.ts); b -> c (b/two.ts); c -> a (c/three.ts)');
    expect(run.stderr).toContain('c/long.ts: 301 lines (at most 300)');
    expect(run.stderr).toContain('ollama/parse.ts: imports node:fs (src/ollama is pure domain: no I/O)');
    expect(run.stderr).toContain('ollama/parse.ts: imports pino (src/ollama is pure domain: no I/O)');
    expect(run.stderr).toContain('4 problem(s)');
  });
});
