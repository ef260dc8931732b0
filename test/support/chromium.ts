// Debian's chromium, headless: screenshots and DOM dumps of the self-contained timeline page.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Runs chromium headless on file://page#fragment in the zone +10:00 with `output` arguments; returns stdout. */
export function chromium(page: string, fragment: string, output: string[]): string {
  const profile = mkdtempSync(join(tmpdir(), 'timeline-chromium-'));
  try {
    const run = spawnSync(
      'chromium',
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--hide-scrollbars',
        `--user-data-dir=${profile}`,
        ...output,
        '--window-size=1400,900',
        `file://${page}${fragment}`,
      ],
      { encoding: 'utf8', timeout: 90_000, env: { ...process.env, TZ: 'Australia/Brisbane' } },
    );
    if (run.error !== undefined) throw new Error(`chromium could not run (apt-get install -y chromium): ${run.error.message}`);
    if (run.status !== 0) throw new Error(`chromium exited ${run.status}: ${run.stderr}`);
    return run.stdout;
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}
