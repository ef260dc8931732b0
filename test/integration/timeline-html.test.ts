// The HTML timeline in a real browser: headless Chromium screenshots the page, and the pixels must
// show one lane per session with the seed's colours where the reconstruction puts bars.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildTimeline } from '../../src/ollama/lifecycle/build.js';
import { COLOURS } from '../../src/render/page-data.js';
import { renderHtml } from '../../src/render/html.js';
import type { Timeline } from '../../src/ollama/lifecycle/types.js';
import { chromium } from '../support/chromium.js';
import { type Image, decodePng, hexRgb } from '../support/png.js';
import { SCENARIO_HOST, SCENARIO_START, SCENARIO_STOP, isoToMs, scenarioInput } from '../support/timeline-scenario.js';

const OUT = resolve('test-output');
const STRIPE = [246, 247, 249];

/** Screenshots the page at 1400×900; returns the decoded image. */
function screenshot(page: string, fragment: string, png: string): Image {
  chromium(page, fragment, [`--screenshot=${png}`]);
  return decodePng(readFileSync(png));
}

function same(a: readonly number[], b: readonly number[]): boolean {
  return a[0] === b[0] && a[1] === b[1] && a[2] === b[2];
}

/**
 * Lane bands [top, bottom) found from the page's alternating lane background at the left edge:
 * odd lanes are striped, so every stripe is one lane and the gaps between them are the others.
 */
function laneBands(image: Image, lanes: number): [number, number][] {
  const stripes: [number, number][] = [];
  for (let y = 0; y < image.height; y++) {
    if (!same(image.rgb(2, y), STRIPE)) continue;
    const top = y;
    while (y < image.height && same(image.rgb(2, y), STRIPE)) y++;
    stripes.push([top, y]);
  }
  expect(stripes.length).toBe(Math.floor(lanes / 2));
  const h = stripes[0]![1] - stripes[0]![0];
  expect(stripes.every(([t, b]) => b - t === h)).toBe(true);
  const first = stripes[0]![0] - h;
  return Array.from({ length: lanes }, (_, i) => [first + i * h, first + (i + 1) * h] as [number, number]);
}

/** Where the plot begins: the left end of the time axis, the one long #999 line. */
function plotLeft(image: Image): number {
  for (let y = 0; y < image.height; y++) {
    let run = 0;
    for (let x = 0; x < image.width; x++) {
      run = same(image.rgb(x, y), [153, 153, 153]) ? run + 1 : 0;
      if (run >= 500) return x - run + 1;
    }
  }
  throw new Error('no time axis in the screenshot');
}

type Counts = Record<keyof typeof COLOURS, number> & { firstLifecycleX: number; longestRequestRun: number };

/** Pixels of each layer colour inside one lane band of the plot (labels' anti-aliasing left out). */
function count(image: Image, [top, bottom]: [number, number]): Counts {
  const left = plotLeft(image);
  const palette = (Object.keys(COLOURS) as (keyof typeof COLOURS)[]).map((name) => [name, hexRgb(COLOURS[name])] as const);
  const counts: Counts = { lifecycle: 0, loading: 0, request: 0, warning: 0, unload: 0, uncertain: 0, firstLifecycleX: Infinity, longestRequestRun: 0 };
  for (let y = top; y < bottom; y++) {
    let run = 0;
    for (let x = left; x < image.width; x++) {
      const px = image.rgb(x, y);
      const hit = palette.find(([, rgb]) => same(px, rgb));
      if (hit !== undefined) counts[hit[0]]++;
      if (hit?.[0] === 'lifecycle') counts.firstLifecycleX = Math.min(counts.firstLifecycleX, x);
      run = hit?.[0] === 'request' ? run + 1 : 0;
      counts.longestRequestRun = Math.max(counts.longestRequestRun, run);
    }
  }
  return counts;
}

describe('timeline HTML page in headless Chromium', () => {
  let timeline: Timeline;
  let page: string;

  beforeAll(() => {
    timeline = buildTimeline(scenarioInput(), { host: SCENARIO_HOST, start: isoToMs(SCENARIO_START), stop: isoToMs(SCENARIO_STOP) });
    mkdirSync(OUT, { recursive: true });
    page = join(OUT, 'timeline.html');
    writeFileSync(page, renderHtml(timeline));
  });

  it('is one file with nothing to fetch', () => {
    const html = readFileSync(page, 'utf8');
    expect(html).not.toMatch(/\b(src|href)=["']?(https?:)?\/\//i);
    expect(html).not.toMatch(/@import|url\(/);
  });

  it('labels lanes "model (ctx: N)" and draws the time axis in the viewer\'s local time', () => {
    const dom = chromium(page, '', ['--dump-dom']);
    for (const s of timeline.sessions) expect(dom).toContain(`>${s.model} (ctx: ${s.ctxSize})</text>`);
    // 23:30 UTC is 09:30 in Brisbane (+10:00, the zone the browser runs in here).
    expect(dom).toContain('>09:30</text>');
    expect(dom).not.toContain('>23:30</text>');
    expect(dom).toContain('2025-07-23 09:20:00.000 → 2025-07-23 11:00:00.000');
  });

  it('draws a lane per session and the layers in the seed colours (whole range)', () => {
    const image = screenshot(page, '', join(OUT, 'timeline.png'));
    const lanes = laneBands(image, timeline.sessions.length + 1);
    const counts = lanes.map((band) => count(image, band));
    timeline.sessions.forEach((s, i) => {
      const c = counts[i]!;
      const what = `lane ${i} (${s.model} ${s.endReason})`;
      if (s.end - s.start > 30_000) expect(c.lifecycle, what).toBeGreaterThan(50);
      if (s.loaded !== null) expect(c.loading, what).toBeGreaterThan(0);
      else expect(c.loading, what).toBe(0);
      if (s.requests.length > 0) expect(c.request, what).toBeGreaterThan(0);
      else expect(c.request, what).toBe(0);
      if (s.warnings.length > 0) expect(c.warning, what).toBeGreaterThan(0);
      else expect(c.warning, what).toBe(0);
      if (s.endReason === 'open') expect(c.unload, what).toBe(0);
      else expect(c.unload, what).toBeGreaterThan(0);
    });
    // Lanes in start order: each lifecycle bar begins right of the one above.
    const starts = counts.slice(0, 3).map((c) => c.firstLifecycleX);
    expect(starts[0]).toBeLessThan(starts[1]!);
    expect(starts[1]).toBeLessThan(starts[2]!);
    // The unattributed lane: requests and the ambiguous warning, no lifecycle, no unload.
    const unattributed = counts.at(-1)!;
    expect(unattributed.request).toBeGreaterThan(0);
    expect(unattributed.warning).toBeGreaterThan(0);
    expect(unattributed.lifecycle + unattributed.unload).toBe(0);
    // Below the lanes nothing is drawn.
    expect(count(image, [lanes.at(-1)![1], image.height])).toMatchObject({ lifecycle: 0, request: 0, unload: 0 });
  });

  it('zooms to 5 minutes from the URL fragment, where each request is a readable bar', () => {
    const wholeImage = screenshot(page, '', join(OUT, 'timeline-whole.png'));
    const whole = count(wholeImage, laneBands(wholeImage, timeline.sessions.length + 1)[0]!);
    const from = isoToMs('2025-07-22T23:26:00Z');
    const image = screenshot(page, `#from=${from}&to=${from + 300_000}`, join(OUT, 'timeline-5min.png'));
    const lanes = laneBands(image, timeline.sessions.length + 1);
    const gemma = count(image, lanes[0]!);
    // The 18 s request is about 3 px wide over 100 minutes and about 70 px over 5 minutes.
    expect(whole.longestRequestRun).toBeLessThan(10);
    expect(gemma.longestRequestRun).toBeGreaterThan(50);
    expect(gemma.loading).toBeGreaterThan(whole.loading * 5);
    // Sessions entirely outside the window draw nothing.
    expect(count(image, lanes[4]!)).toMatchObject({ lifecycle: 0, loading: 0, request: 0, unload: 0 });
  });
});
