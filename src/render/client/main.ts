// The timeline page's script, bundled by esbuild into the page (html.ts): draws the embedded JSON
// with a local-time axis, a tooltip, wheel zoom, drag to pan, preset spans and the view in the URL
// fragment (#from=<ms>&to=<ms>), so a link shows the same stretch.

import type { PageData } from '../page-data.js';
import { Chart, LABEL_W, type View } from './chart.js';

const MIN_SPAN_MS = 1000;
const DAY_MS = 864e5;

function required<T extends Element>(selector: string): T {
  const element = document.querySelector<T>(selector);
  if (element === null) throw new Error(`the page has no ${selector}`);
  return element;
}

const data = JSON.parse(required('#timeline-data').textContent ?? '') as PageData;
const container = required<HTMLElement>('#chart');
const tip = required<HTMLElement>('#tip');
const chart = new Chart(data, required<SVGSVGElement>('#svg'), container, required<HTMLElement>('#span'));

const linked = /from=(\d+(?:\.\d+)?)&to=(\d+(?:\.\d+)?)/.exec(location.hash);
if (linked !== null && Number(linked[2]) > Number(linked[1])) chart.view = { from: Number(linked[1]), to: Number(linked[2]) };

/** Zooming stops at a second and at four times the range plus a day. */
function zoomTo(from: number, to: number): void {
  const max = (data.stop - data.start) * 4 + DAY_MS;
  const span = Math.min(max, Math.max(MIN_SPAN_MS, to - from));
  const mid = (from + to) / 2;
  chart.view = { from: mid - span / 2, to: mid + span / 2 };
  chart.draw();
}

/** Keeps time t where it is on screen. */
function zoomAround(t: number, factor: number): void {
  const { from, to } = chart.view;
  zoomTo(t - (t - from) * factor, t + (to - t) * factor);
}

function center(): number {
  return (chart.view.from + chart.view.to) / 2;
}

function timeAt(clientX: number): number {
  const px = clientX - container.getBoundingClientRect().left;
  const { from, to } = chart.view;
  return from + ((px - LABEL_W) / chart.plotWidth()) * (to - from);
}

document.querySelectorAll('button[data-span]').forEach((button) => {
  button.addEventListener('click', () => {
    const span = button.getAttribute('data-span');
    if (span === 'all') zoomTo(data.start, data.stop);
    else if (span === 'in') zoomAround(center(), 0.5);
    else if (span === 'out') zoomAround(center(), 2);
    else zoomTo(center() - Number(span) / 2, center() + Number(span) / 2);
  });
});

container.addEventListener(
  'wheel',
  (e) => {
    e.preventDefault();
    zoomAround(timeAt(e.clientX), e.deltaY > 0 ? 1.25 : 0.8);
  },
  { passive: false },
);

let drag: { readonly x: number; readonly view: View } | null = null;
container.addEventListener('pointerdown', (e) => {
  drag = { x: e.clientX, view: chart.view };
  container.classList.add('dragging');
});
window.addEventListener('pointerup', () => {
  drag = null;
  container.classList.remove('dragging');
});
window.addEventListener('pointermove', (e) => {
  if (drag !== null) {
    const { from, to } = drag.view;
    const dt = ((e.clientX - drag.x) / chart.plotWidth()) * (to - from);
    chart.view = { from: from - dt, to: to - dt };
    chart.draw();
    return;
  }
  const index = e.target instanceof Element ? e.target.getAttribute('data-tip') : null;
  const text = index === null ? undefined : chart.tip(Number(index));
  if (text === undefined) {
    tip.style.display = 'none';
    return;
  }
  tip.textContent = text;
  tip.style.display = 'block';
  tip.style.left = `${Math.min(e.clientX + 14, window.innerWidth - tip.offsetWidth - 8)}px`;
  tip.style.top = `${Math.min(e.clientY + 14, window.innerHeight - tip.offsetHeight - 8)}px`;
});
window.addEventListener('resize', () => chart.draw());
chart.draw();
