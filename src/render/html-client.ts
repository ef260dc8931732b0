// The page's own CSS and script, inlined by render-html.ts: the page must work offline from one file.
// The script draws the lanes into an SVG from the embedded JSON, with a local-time axis, a tooltip,
// wheel zoom, drag to pan, preset spans and the view in the URL fragment (#from=<ms>&to=<ms>).

/** The seed's colours: lifecycle grey, loading blue, requests green, warnings yellow, unload red; an inferred end's bounds pale. */
export const COLOURS = {
  lifecycle: '#c8c8c8',
  loading: '#2f6fdb',
  request: '#2ca02c',
  warning: '#f2c200',
  unload: '#d62728',
  uncertain: '#efefef',
} as const;

export const PAGE_CSS = `
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

export const PAGE_SCRIPT = `
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('timeline-data').textContent);
  var C = data.colours;
  var LABEL_W = 290, AXIS_H = 28, LANE_H = 40, TRACKS = 3, NS = 'http://www.w3.org/2000/svg';
  var svg = document.getElementById('svg'), chart = document.getElementById('chart'), tip = document.getElementById('tip');
  var view = { from: data.start, to: data.stop };
  var tips = [];

  // Overlapping requests of a lane go on separate tracks (at most TRACKS) so each stays visible.
  data.lanes.forEach(function (l) {
    var ends = [];
    l.requests.slice().sort(function (a, b) { return a.start - b.start; }).forEach(function (r) {
      var t = ends.findIndex(function (e) { return e <= r.start; });
      if (t < 0) t = ends.length < TRACKS ? ends.length : ends.indexOf(Math.min.apply(null, ends));
      ends[t] = r.end;
      r.track = t;
    });
    l.tracks = Math.max(1, ends.length);
  });

  var m = /from=(\\d+(?:\\.\\d+)?)&to=(\\d+(?:\\.\\d+)?)/.exec(location.hash);
  if (m && Number(m[2]) > Number(m[1])) view = { from: Number(m[1]), to: Number(m[2]) };

  function pad(n, w) { n = String(n); while (n.length < (w || 2)) n = '0' + n; return n; }
  function day(t) { var d = new Date(t); return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()); }
  function clock(t, seconds) {
    var d = new Date(t);
    return pad(d.getHours()) + ':' + pad(d.getMinutes()) + (seconds ? ':' + pad(d.getSeconds()) : '');
  }
  function when(t) { var d = new Date(t); return day(t) + ' ' + clock(t, true) + '.' + pad(d.getMilliseconds(), 3); }
  function dur(ms) {
    if (ms < 1) return (ms * 1000).toFixed(0) + ' µs';
    if (ms < 1000) return ms.toFixed(ms < 10 ? 2 : 0) + ' ms';
    if (ms < 60000) return (ms / 1000).toFixed(2) + ' s';
    var s = Math.round(ms / 1000);
    return Math.floor(s / 3600) > 0 ? Math.floor(s / 3600) + ' h ' + pad(Math.floor(s / 60) % 60) + ' min' : Math.floor(s / 60) + ' min ' + pad(s % 60) + ' s';
  }

  function el(name, attrs, parent) {
    var e = document.createElementNS(NS, name);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    (parent || svg).appendChild(e);
    return e;
  }
  function text(x, y, s, cls) { var e = el('text', { x: x, y: y }); if (cls) e.setAttribute('class', cls); e.textContent = s; return e; }

  function width() { return Math.max(600, chart.clientWidth); }
  function x(t) { return LABEL_W + (t - view.from) / (view.to - view.from) * (width() - LABEL_W - 10); }

  /** A bar from t0 to t1, at least minW pixels wide, clipped to the plot; the tooltip text in tips. */
  function bar(t0, t1, y, h, fill, tipText, minW, stroke) {
    if (t1 < view.from || t0 > view.to) return;
    var x0 = Math.max(LABEL_W, x(t0)), x1 = Math.min(width() - 10, x(t1));
    var w = Math.max(minW || 0, x1 - x0);
    if (w <= 0) return;
    if (minW && x1 - x0 < minW) x0 = Math.max(LABEL_W, (x0 + x1) / 2 - minW / 2);
    var attrs = { x: Math.round(x0), y: y, width: Math.max(1, Math.round(w)), height: h, fill: fill, 'shape-rendering': 'crispEdges' };
    if (stroke) { attrs.stroke = stroke; attrs['stroke-width'] = 2; }
    var r = el('rect', attrs);
    r.setAttribute('data-tip', String(tips.length));
    tips.push(tipText);
    return r;
  }

  var STEPS = [1e3, 2e3, 5e3, 1e4, 15e3, 3e4, 6e4, 12e4, 3e5, 6e5, 9e5, 18e5, 36e5, 72e5, 108e5, 216e5, 432e5, 864e5, 1728e5, 6048e5];
  function axis(height) {
    var span = view.to - view.from, px = width() - LABEL_W - 10;
    var step = STEPS.filter(function (s) { return s / span * px >= 90; })[0] || STEPS[STEPS.length - 1];
    var offset = new Date(view.from).getTimezoneOffset() * 60000;
    var t = Math.ceil((view.from - offset) / step) * step + offset, lastDay = '';
    for (; t <= view.to; t += step) {
      var xx = Math.round(x(t)) + 0.5, d = day(t);
      el('line', { x1: xx, x2: xx, y1: AXIS_H - 6, y2: height, stroke: '#e2e2e2' });
      if (xx > width() - 70) continue;
      text(xx + 3, 12, d !== lastDay || step >= 864e5 ? d : '', 'tick');
      text(xx + 3, 24, clock(t, step < 6e4), 'tick');
      lastDay = d;
    }
    el('line', { x1: LABEL_W, x2: width() - 10, y1: AXIS_H - 0.5, y2: AXIS_H - 0.5, stroke: '#999' });
  }

  function sessionTip(l) {
    var lines = [l.label, (l.aliases.length ? 'also: ' + l.aliases.join(', ') + '\\n' : '') + 'sha256: ' + (l.sha256 || 'unknown'),
      'start:  ' + when(l.start),
      'loaded: ' + (l.loaded === null ? 'not seen' : when(l.loaded) + ' (' + l.loadSeconds + ' s)'),
      'end:    ' + when(l.end) + ' — ' + l.endReason + (l.endExact ? '' : ' (inferred)'),
      l.endExact ? '' : 'ended between ' + when(l.endEarliest) + ' and ' + (l.endLatest === null ? 'not yet known' : when(l.endLatest)),
      'GPU layers: ' + (l.gpuLayers === null ? '?' : l.gpuLayers) + ', parallel: ' + (l.parallel === null ? '?' : l.parallel),
      'requests: ' + l.requests.length + ', warnings: ' + l.warnings.length];
    return lines.filter(function (s) { return s !== ''; }).join('\\n');
  }
  function requestTip(r) {
    return r.method + ' ' + r.path + ' → ' + r.status + '\\n' + when(r.start) + ' → ' + clock(r.end, true) + ' (' + dur(r.latencyMs) + ')' +
      (r.candidates ? '\\ncandidates: ' + (r.candidates.length ? r.candidates.join(', ') : 'no model loaded') : '');
  }

  function draw() {
    tips = [];
    var lanes = data.lanes, height = AXIS_H + lanes.length * LANE_H + 8, w = width();
    svg.setAttribute('width', w);
    svg.setAttribute('height', height);
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    lanes.forEach(function (l, i) {
      if (i % 2) el('rect', { x: 0, y: AXIS_H + i * LANE_H, width: w, height: LANE_H, fill: '#f6f7f9' });
    });
    axis(height);
    lanes.forEach(function (l, i) {
      var y = AXIS_H + i * LANE_H;
      text(8, y + 16, l.label.length > 44 ? l.label.slice(0, 43) + '…' : l.label);
      text(8, y + 31, l.sub, 'sub');
      if (!l.unattributed) {
        bar(l.start, l.endExact ? l.end : l.endEarliest, y + 4, 32, C.lifecycle, sessionTip(l), 2);
        // The stretch in which an inferred end lies: pale, with a dashed outline.
        var unsure = l.endExact ? null : bar(l.endEarliest, l.endLatest === null ? l.end : l.endLatest, y + 5, 30, C.uncertain, sessionTip(l), 0, C.lifecycle);
        if (unsure) unsure.setAttribute('stroke-dasharray', '4 3');
        if (l.loaded !== null) bar(l.start, l.loaded, y + 8, 10, C.loading, 'loading ' + l.label + '\\n' + when(l.start) + ' → ' + clock(l.loaded, true) + ' (' + l.loadSeconds + ' s)', 3);
      }
      var th = Math.floor(12 / l.tracks);
      l.requests.forEach(function (r) { bar(r.start, r.end, y + 21 + r.track * th, th - (l.tracks > 1 ? 1 : 0), C.request, requestTip(r), 2); });
      if (!l.unattributed && l.endReason !== 'open') {
        bar(l.end, l.end, y + 2, 36, l.endExact ? C.unload : '#fff', 'unloaded at ' + when(l.end) + '\\n' + l.endReason + (l.endExact ? '' : ' (inferred)'), 4, l.endExact ? null : C.unload);
      }
      // Warnings go last, as flags in the upper half, so one at the moment of the unload stays visible.
      l.warnings.forEach(function (wn) {
        bar(wn.time, wn.time, y + 2, 16, C.warning, wn.kind + ' at ' + when(wn.time) + '\\n' + wn.message +
          (wn.candidates ? '\\ncandidates: ' + (wn.candidates.join(', ') || 'no model loaded') : ''), 4);
      });
    });
    document.getElementById('span').textContent = when(view.from) + ' → ' + when(view.to) + ' (' + dur(view.to - view.from) + ')';
    history.replaceState(null, '', '#from=' + Math.round(view.from) + '&to=' + Math.round(view.to));
  }

  function zoomTo(from, to) {
    var min = 1000, max = (data.stop - data.start) * 4 + 864e5;
    var span = Math.min(max, Math.max(min, to - from)), mid = (from + to) / 2;
    view = { from: mid - span / 2, to: mid + span / 2 };
    draw();
  }
  function zoomAround(t, factor) { zoomTo(t - (t - view.from) * factor, t + (view.to - t) * factor); }
  function center() { return (view.from + view.to) / 2; }
  function timeAt(clientX) {
    var px = clientX - chart.getBoundingClientRect().left;
    return view.from + (px - LABEL_W) / (width() - LABEL_W - 10) * (view.to - view.from);
  }

  document.querySelectorAll('button[data-span]').forEach(function (b) {
    b.addEventListener('click', function () {
      var s = b.getAttribute('data-span');
      if (s === 'all') zoomTo(data.start, data.stop);
      else if (s === 'in') zoomAround(center(), 0.5);
      else if (s === 'out') zoomAround(center(), 2);
      else zoomTo(center() - Number(s) / 2, center() + Number(s) / 2);
    });
  });
  chart.addEventListener('wheel', function (e) {
    e.preventDefault();
    zoomAround(timeAt(e.clientX), e.deltaY > 0 ? 1.25 : 0.8);
  }, { passive: false });
  var drag = null;
  chart.addEventListener('pointerdown', function (e) { drag = { x: e.clientX, from: view.from, to: view.to }; chart.classList.add('dragging'); });
  window.addEventListener('pointerup', function () { drag = null; chart.classList.remove('dragging'); });
  window.addEventListener('pointermove', function (e) {
    if (drag) {
      var dt = (e.clientX - drag.x) / (width() - LABEL_W - 10) * (drag.to - drag.from);
      view = { from: drag.from - dt, to: drag.to - dt };
      draw();
      return;
    }
    var i = e.target && e.target.getAttribute ? e.target.getAttribute('data-tip') : null;
    if (i === null) { tip.style.display = 'none'; return; }
    tip.textContent = tips[Number(i)];
    tip.style.display = 'block';
    tip.style.left = Math.min(e.clientX + 14, window.innerWidth - tip.offsetWidth - 8) + 'px';
    tip.style.top = Math.min(e.clientY + 14, window.innerHeight - tip.offsetHeight - 8) + 'px';
  });
  window.addEventListener('resize', draw);
  draw();
})();
`;
