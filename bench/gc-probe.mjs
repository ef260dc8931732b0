// Preloaded into the shipper by the benchmark (`node --import bench/gc-probe.mjs …`): at exit it
// writes the process's own CPU time, GC pause time (main thread) and peak RSS (VmHWM) to $GC_PROBE_OUT as JSON, so the
// figures come from the process itself rather than from polling it from outside.

import { readFileSync, writeFileSync } from 'node:fs';
import { PerformanceObserver } from 'node:perf_hooks';

const out = process.env.GC_PROBE_OUT;
if (out) {
  let gcMs = 0;
  let collections = 0;
  // Pauses only: incremental-marking entries span wall time while the program runs between steps.
  const INCREMENTAL = 8;
  const add = (entry) => {
    if (entry.detail?.kind === INCREMENTAL) return;
    gcMs += entry.duration;
    collections++;
  };
  const observer = new PerformanceObserver((list) => list.getEntries().forEach(add));
  observer.observe({ entryTypes: ['gc'] });
  process.on('exit', () => {
    observer.takeRecords().forEach(add);
    const cpu = process.cpuUsage();
    // VmHWM, not getrusage's maxrss: Linux carries ru_maxrss over fork and exec, so a child of a big
    // parent (the bench holds the prebuilt bodies) would report the parent's size.
    const hwm = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    writeFileSync(out, JSON.stringify({ cpuUs: cpu.user + cpu.system, gcMs, collections, maxRssKb: Number(hwm?.[1] ?? NaN) }));
  });
}
