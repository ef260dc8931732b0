// scripts/check-layout.mjs (run by `npm test`) must be able to fail: fed a tiny tree with a folder
// cycle, a 301-line file and an I/O import in src/ollama, or a README whose graph is stale, it exits
// non-zero and names each problem.

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const SCRIPT = fileURLToPath(new URL('../../scripts/check-layout.mjs', import.meta.url));
let dir = '';

/** A repository in a temp dir: `files` under src/, and README.md beside it when given. */
function tree(files: Record<string, string>, readme?: string): string {
  dir = mkdtempSync(join(tmpdir(), 'check-layout-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, 'src', name)), { recursive: true });
    writeFileSync(join(dir, 'src', name), text);
  }
  if (readme !== undefined) writeFileSync(join(dir, 'README.md'), readme);
  return join(dir, 'src');
}

function check(srcDir: string, ...flags: string[]) {
  return spawnSync(process.execPath, [SCRIPT, ...flags, srcDir], { encoding: 'utf8' });
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

  it("fails when README.md's copy of the graph is stale; --readme rewrites it", () => {
    const marker = '<!-- import graph: node scripts/check-layout.mjs --readme rewrites the block below -->';
    const src = tree({ 'a/one.ts': "import { two } from '../b/two.js';\nexport const one = two;\n", 'b/two.ts': 'export const two = 2;\n' }, `# x\n\n${marker}\n\`\`\`text\nb -> a\n\`\`\`\n\nafter\n`);
    const stale = check(src);
    expect(stale.status).toBe(1);
    expect(stale.stderr).toContain("README.md: its import graph (Architecture) differs from the code");
    expect(check(src, '--readme').status).toBe(0);
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toBe(`# x\n\n${marker}\n\`\`\`text\na -> b\nb -> (nothing)\n\`\`\`\n\nafter\n`);
    expect(check(src).status).toBe(0);
  });
});
