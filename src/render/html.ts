// The timeline as one self-contained HTML page (no CDN, works offline): the data as embedded JSON,
// drawn by the page's script (client/, bundled by `npm run build` into dist/render/timeline-page.js),
// inlined with the CSS.

import { readFileSync } from 'node:fs';
import { isoUtc } from '../time.js';
import { type Session, type Timeline, sessionLabel } from '../ollama/lifecycle/types.js';
import { COLOURS, type Lane, type PageData, type SessionLane } from './page-data.js';

/**
 * The bundle sits two levels below the package root, in dist/render/: from this module's place in
 * dist/render/ (built) and in src/render/ (tests running the source) alike.
 */
const PAGE_SCRIPT_FILE = new URL('../../dist/render/timeline-page.js', import.meta.url);
let pageScript: string | null = null;

function readPageScript(): string {
  try {
    pageScript ??= readFileSync(PAGE_SCRIPT_FILE, 'utf8');
  } catch (err) {
    throw new Error(`the timeline page's script is missing (${(err as NodeJS.ErrnoException).code}): run npm run build`);
  }
  return pageScript;
}

const PAGE_CSS = `
body{margin:0;font:13px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#222;background:#fff}
header{padding:10px 14px 6px;border-bottom:1px solid #ddd}
h1{font-size:16px;margin:0 0 4px}
.meta{color:#555}
.bar{display:flex;flex-wrap:wrap;gap:14px;align-items:center;margin-top:6px}
.bar button{font:inherit;padding:2px 9px;border:1px solid #bbb;background:#f7f7f7;border-radius:4px;cursor:pointer}
.bar button:hover{background:#eee}
.legend span{display:inline-flex;align-items:center;gap:5px;margin-right:10px}
.legend i{display:inline-block;width:12px;height:12px;border-radius:2px}
#chart{overflow-x:hidden;user-select:none;cursor:grab}
#chart.dragging{cursor:grabbing}
#tip{position:fixed;pointer-events:none;background:#222;color:#fff;padding:6px 8px;border-radius:4px;font-size:12px;white-space:pre;max-width:640px;overflow:hidden;display:none;z-index:2}
text{font-size:12px;fill:#222}
text.sub{font-size:10px;fill:#666}
text.tick{font-size:11px;fill:#444}
`;

const END_TEXT: Record<Session['endReason'], string> = {
  unload: 'unloaded',
  vram_timeout: 'unloaded (VRAM timeout)',
  eviction: 'evicted',
  load_error: 'load failed',
  reload: 'reloaded',
  replaced: 'replaced by another model',
  server_stop: 'server stopped',
  server_restart: 'server restarted',
  keep_alive: 'keep-alive expired',
  open: 'still loaded',
};

function lane(s: Session): SessionLane {
  const requests = s.requests.length === 1 ? '1 request' : `${s.requests.length} requests`;
  return {
    label: sessionLabel(s),
    sub: `${END_TEXT[s.endReason]}${s.endExact || s.endReason === 'open' ? '' : ' (inferred)'} · ${requests}`,
    aliases: s.aliases,
    sha256: s.sha256,
    gpuLayers: s.gpuLayers,
    parallel: s.parallel,
    start: s.start,
    loaded: s.loaded,
    loadSeconds: s.loadSeconds,
    end: s.end,
    endReason: s.endReason,
    endExact: s.endExact,
    endEarliest: s.endEarliest,
    endLatest: s.endLatest,
    requests: s.requests,
    warnings: s.warnings,
  };
}

/** The data the page's script reads: times as epoch milliseconds, formatted in the viewer's zone. */
export function pageData(timeline: Timeline): PageData {
  const lanes: Lane[] = timeline.sessions.map(lane);
  if (timeline.unattributedRequests.length > 0 || timeline.unattributedWarnings.length > 0) {
    lanes.push({
      label: 'unattributed',
      sub: 'no single model can be named',
      unattributed: true,
      requests: timeline.unattributedRequests,
      warnings: timeline.unattributedWarnings,
    });
  }
  return { host: timeline.host, start: timeline.start, stop: timeline.stop, colours: COLOURS, lanes };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** JSON safe inside <script>: no `</script>`, no `<!--`, no U+2028/2029 surprises. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const SPANS: readonly (readonly [string, string])[] = [
  ['all', 'Whole range'],
  [String(24 * 3_600_000), '24 h'],
  [String(6 * 3_600_000), '6 h'],
  [String(3_600_000), '1 h'],
  [String(15 * 60_000), '15 min'],
  [String(5 * 60_000), '5 min'],
  ['in', '+'],
  ['out', '−'],
];

export function renderHtml(timeline: Timeline): string {
  const title = `Ollama model timeline — ${timeline.host}`;
  const requests = timeline.sessions.reduce((n, s) => n + s.requests.length, 0);
  const legend = (Object.entries(COLOURS) as [keyof typeof COLOURS, string][])
    .map(([name, colour]) => `<span><i style="background:${colour}"></i>${name}</span>`)
    .join('');
  const buttons = SPANS.map(([span, label]) => `<button type="button" data-span="${span}">${escapeHtml(label)}</button>`).join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${PAGE_CSS}</style>
</head>
<body>
<header>
<h1>${escapeHtml(title)}</h1>
<div class="meta">${escapeHtml(isoUtc(timeline.start))} → ${escapeHtml(isoUtc(timeline.stop))} · ${timeline.sessions.length} sessions · ${requests} requests · ${timeline.unattributedRequests.length} unattributed · times shown in your local zone</div>
<div class="bar"><span>${buttons}</span><span class="legend">${legend}</span><span id="span" class="meta"></span></div>
</header>
<div id="chart"><svg id="svg" xmlns="http://www.w3.org/2000/svg"></svg></div>
<div id="tip"></div>
<script type="application/json" id="timeline-data">${scriptJson(pageData(timeline))}</script>
<script>${readPageScript()}</script>
</body>
</html>
`;
}
