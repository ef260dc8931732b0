// Draws the lanes into the SVG for the current view: one lane per session (lifecycle, loading,
// requests, unload, warnings), a local-time axis, and the tooltip text of every bar.

import type { Lane, PageData } from '../page-data.js';
import { clock, day, duration, when } from './format.js';
import { loadingTip, requestTip, sessionTip, unloadTip, warningTip } from './tips.js';
import { type Tracks, assignTracks } from './tracks.js';

export const LABEL_W = 290;
const AXIS_H = 28;
const LANE_H = 40;
const RIGHT_MARGIN = 10;
const NS = 'http://www.w3.org/2000/svg';
/** Axis steps: the first that leaves 90 px between ticks is used. */
const STEPS = [1e3, 2e3, 5e3, 1e4, 15e3, 3e4, 6e4, 12e4, 3e5, 6e5, 9e5, 18e5, 36e5, 72e5, 108e5, 216e5, 432e5, 864e5, 1728e5, 6048e5];

export interface View {
  readonly from: number;
  readonly to: number;
}

type Attributes = Record<string, string | number>;

export class Chart {
  view: View;
  private tips: string[] = [];
  private readonly tracks: readonly Tracks[];

  constructor(
    private readonly data: PageData,
    private readonly svg: SVGSVGElement,
    private readonly container: HTMLElement,
    private readonly spanText: HTMLElement,
  ) {
    this.view = { from: data.start, to: data.stop };
    this.tracks = data.lanes.map((lane) => assignTracks(lane.requests));
  }

  width(): number {
    return Math.max(600, this.container.clientWidth);
  }

  /** Pixels of the plot, right of the labels. */
  plotWidth(): number {
    return this.width() - LABEL_W - RIGHT_MARGIN;
  }

  tip(index: number): string | undefined {
    return this.tips[index];
  }

  draw(): void {
    this.tips = [];
    const { svg, view } = this;
    const lanes = this.data.lanes;
    const height = AXIS_H + lanes.length * LANE_H + 8;
    const w = this.width();
    svg.setAttribute('width', String(w));
    svg.setAttribute('height', String(height));
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    lanes.forEach((_, i) => {
      if (i % 2) this.el('rect', { x: 0, y: AXIS_H + i * LANE_H, width: w, height: LANE_H, fill: '#f6f7f9' });
    });
    this.axis(height);
    lanes.forEach((lane, i) => this.lane(lane, this.tracks[i]!, AXIS_H + i * LANE_H));
    this.spanText.textContent = `${when(view.from)} → ${when(view.to)} (${duration(view.to - view.from)})`;
    history.replaceState(null, '', `#from=${Math.round(view.from)}&to=${Math.round(view.to)}`);
  }

  private lane(lane: Lane, tracks: Tracks, y: number): void {
    const C = this.data.colours;
    this.text(8, y + 16, lane.label.length > 44 ? `${lane.label.slice(0, 43)}…` : lane.label);
    this.text(8, y + 31, lane.sub, 'sub');
    if (!lane.unattributed) {
      this.bar(lane.start, lane.endExact ? lane.end : lane.endEarliest, y + 4, 32, C.lifecycle, sessionTip(lane), 2);
      // The stretch in which an inferred end lies: pale, with a dashed outline.
      if (!lane.endExact) {
        const until = lane.endLatest === null ? lane.end : lane.endLatest;
        this.bar(lane.endEarliest, until, y + 5, 30, C.uncertain, sessionTip(lane), 0, C.lifecycle)?.setAttribute('stroke-dasharray', '4 3');
      }
      if (lane.loaded !== null) this.bar(lane.start, lane.loaded, y + 8, 10, C.loading, loadingTip(lane, lane.loaded), 3);
    }
    const th = Math.floor(12 / tracks.count);
    lane.requests.forEach((r, i) => {
      this.bar(r.start, r.end, y + 21 + tracks.of[i]! * th, th - (tracks.count > 1 ? 1 : 0), C.request, requestTip(r), 2);
    });
    if (!lane.unattributed && lane.endReason !== 'open') {
      this.bar(lane.end, lane.end, y + 2, 36, lane.endExact ? C.unload : '#fff', unloadTip(lane), 4, lane.endExact ? null : C.unload);
    }
    // Warnings go last, as flags in the upper half, so one at the moment of the unload stays visible.
    for (const warning of lane.warnings) this.bar(warning.time, warning.time, y + 2, 16, C.warning, warningTip(warning), 4);
  }

  private axis(height: number): void {
    const { view } = this;
    const span = view.to - view.from;
    const px = this.plotWidth();
    const step = STEPS.find((s) => (s / span) * px >= 90) ?? STEPS[STEPS.length - 1]!;
    // Ticks at round local times: shift by the zone offset before rounding.
    const offset = new Date(view.from).getTimezoneOffset() * 60000;
    let lastDay = '';
    for (let t = Math.ceil((view.from - offset) / step) * step + offset; t <= view.to; t += step) {
      const xx = Math.round(this.x(t)) + 0.5;
      const d = day(t);
      this.el('line', { x1: xx, x2: xx, y1: AXIS_H - 6, y2: height, stroke: '#e2e2e2' });
      if (xx > this.width() - 70) continue;
      this.text(xx + 3, 12, d !== lastDay || step >= 864e5 ? d : '', 'tick');
      this.text(xx + 3, 24, clock(t, step < 6e4), 'tick');
      lastDay = d;
    }
    this.el('line', { x1: LABEL_W, x2: this.width() - RIGHT_MARGIN, y1: AXIS_H - 0.5, y2: AXIS_H - 0.5, stroke: '#999' });
  }

  private x(t: number): number {
    return LABEL_W + ((t - this.view.from) / (this.view.to - this.view.from)) * this.plotWidth();
  }

  /** A bar from t0 to t1, at least minW pixels wide, clipped to the plot; its tooltip text goes in tips. */
  private bar(t0: number, t1: number, y: number, h: number, fill: string, tipText: string, minW: number, stroke: string | null = null): SVGElement | undefined {
    if (t1 < this.view.from || t0 > this.view.to) return undefined;
    let x0 = Math.max(LABEL_W, this.x(t0));
    const x1 = Math.min(this.width() - RIGHT_MARGIN, this.x(t1));
    const w = Math.max(minW, x1 - x0);
    if (w <= 0) return undefined;
    if (minW && x1 - x0 < minW) x0 = Math.max(LABEL_W, (x0 + x1) / 2 - minW / 2);
    const attrs: Attributes = { x: Math.round(x0), y, width: Math.max(1, Math.round(w)), height: h, fill, 'shape-rendering': 'crispEdges' };
    if (stroke) {
      attrs['stroke'] = stroke;
      attrs['stroke-width'] = 2;
    }
    const rect = this.el('rect', attrs);
    rect.setAttribute('data-tip', String(this.tips.length));
    this.tips.push(tipText);
    return rect;
  }

  private el(name: string, attrs: Attributes): SVGElement {
    const e = document.createElementNS(NS, name);
    for (const [key, value] of Object.entries(attrs)) e.setAttribute(key, String(value));
    this.svg.appendChild(e);
    return e;
  }

  private text(x: number, y: number, s: string, cls?: string): SVGElement {
    const e = this.el('text', { x, y });
    if (cls) e.setAttribute('class', cls);
    e.textContent = s;
    return e;
  }
}
