// The error registry and README.md's troubleshooting table must name the same codes.

import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ERRORS, EXIT_CONFIG, OllamaInfluxError, type ErrorCode } from '../../src/errors.js';

const README = fileURLToPath(new URL('../../README.md', import.meta.url));

function readme(): string {
  if (!existsSync(README)) throw new Error(`${README} is missing: its troubleshooting table must list every OI_ERR_* code`);
  return readFileSync(README, 'utf8');
}

describe('error registry', () => {
  it('keys each definition by its own code', () => {
    for (const [key, definition] of Object.entries(ERRORS)) {
      expect(definition.code).toBe(key);
      expect(key).toMatch(/^OI_ERR_[A-Z_]+$/);
      expect(definition.fix.length).toBeGreaterThan(10);
    }
  });

  it('gives configuration errors exit status 78 so systemd does not restart-loop', () => {
    for (const code of ['OI_ERR_CONFIG_INVALID', 'OI_ERR_CONFIG_FILE', 'OI_ERR_INFLUX_AUTH', 'OI_ERR_INFLUX_BUCKET'] as ErrorCode[]) {
      expect(new OllamaInfluxError(code, 'x').exitCode).toBe(EXIT_CONFIG);
    }
  });
});

/** The table rows (`| … |` lines) of the section whose heading mentions troubleshooting. */
function troubleshootingRows(text: string): string[] {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => /^#{1,6}\s.*troubleshoot/i.test(line));
  if (start === -1) throw new Error('README.md has no "Troubleshooting" heading');
  const depth = /^#+/.exec(lines[start]!)![0].length;
  const rows: string[] = [];
  let inFence = false; // `# comment` lines in shell snippets are not headings
  for (const line of lines.slice(start + 1)) {
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    if (inFence) continue;
    const heading = /^(#+)\s/.exec(line);
    if (heading !== null && heading[1]!.length <= depth) break;
    if (line.trimStart().startsWith('|')) rows.push(line);
  }
  return rows;
}

describe('README troubleshooting table', () => {
  it('lists every code in the registry', () => {
    const rows = troubleshootingRows(readme());
    const missing = Object.keys(ERRORS).filter((code) => !rows.some((row) => new RegExp(`\\b${code}\\b`).test(row)));
    expect(missing, 'codes missing from the troubleshooting table in README.md').toEqual([]);
  });

  it('names no code the registry does not have', () => {
    const named = new Set(readme().match(/\bOI_ERR_[A-Z0-9_]+/g) ?? []);
    expect(named.size).toBeGreaterThan(0);
    const unknown = [...named].filter((code) => !(code in ERRORS));
    expect(unknown, 'codes in README.md that src/errors.ts does not define').toEqual([]);
  });
});
