#!/usr/bin/env node
// Summarizes a Chrome trace recorded by `BENCH_TRACE=1 node bench/browser.bench.mjs <page>`:
// the page's main thread between two user-timing marks (default: `open` → `newest-painted`).
// Prints every task and frame in that window with its time split into script, style, layout,
// paint and other work, the forced (synchronous) style and layout recalculations with the script
// that forced them, and the heaviest functions of the sampled CPU profile (self time).
//
//   node bench/trace-summary.mjs bench/.out/conversation-10000-1.trace.json [fromMark] [toMark]
import { readFileSync } from 'node:fs';

const [file, fromMark = 'open', toMark = 'newest-painted'] = process.argv.slice(2);
if (!file) {
  console.error('usage: node bench/trace-summary.mjs <trace.json> [fromMark] [toMark]');
  process.exit(1);
}
const raw = JSON.parse(readFileSync(file, 'utf8'));
const events = Array.isArray(raw) ? raw : raw.traceEvents;

// The renderer's main thread: the one with the user-timing marks.
const marks = events.filter((e) => e.cat?.includes('blink.user_timing') && (e.name === fromMark || e.name === toMark || e.name === 'newest-in-dom'));
const from = marks.find((e) => e.name === fromMark);
const to = marks.find((e) => e.name === toMark);
if (!from || !to) {
  console.error(`marks ${fromMark} / ${toMark} not found`);
  process.exit(1);
}
const { pid, tid } = from;
const t0 = from.ts;
const t1 = to.ts;
const ms = (us) => Math.round(us / 100) / 10;
const main = events.filter((e) => e.pid === pid && e.tid === tid && e.ph === 'X' && e.ts + (e.dur ?? 0) >= t0 && e.ts <= t1).sort((a, b) => a.ts - b.ts || b.dur - a.dur);

const category = (name) => {
  if (['FunctionCall', 'EvaluateScript', 'v8.compile', 'v8.callFunction', 'TimerFire', 'FireAnimationFrame', 'EventDispatch', 'RunMicrotasks', 'V8.Execute', 'v8.run', 'HandlePostMessage', 'FireIdleCallback'].includes(name)) return 'script';
  if (name === 'UpdateLayoutTree' || name === 'RecalculateStyles' || name === 'ParseAuthorStyleSheet') return 'style';
  if (name === 'Layout') return 'layout';
  if (['Paint', 'PrePaint', 'Layerize', 'UpdateLayer', 'CompositeLayers', 'PaintImage', 'Commit'].includes(name)) return 'paint';
  if (name === 'MajorGC' || name === 'MinorGC' || name.startsWith('V8.GC') || name === 'BlinkGC.AtomicPhase') return 'gc';
  return undefined;
};

// Build a nesting (events on one thread nest by time).
const roots = [];
const stack = [];
for (const e of main) {
  const end = e.ts + (e.dur ?? 0);
  while (stack.length && stack.at(-1).end <= e.ts) stack.pop();
  const node = { e, end, children: [], parent: stack.at(-1) };
  if (stack.length) stack.at(-1).children.push(node);
  else roots.push(node);
  stack.push(node);
}

/** Time of `node` by category: each category counts the outermost event of that kind. */
function split(node, into, inherited) {
  const c = category(node.e.name) ?? inherited;
  let childTime = 0;
  for (const ch of node.children) {
    const cc = category(ch.e.name);
    if (cc && cc !== c) {
      split(ch, into, cc);
      childTime += ch.e.dur ?? 0;
    } else {
      const inner = {};
      split(ch, inner, c);
      for (const [k, v] of Object.entries(inner)) into[k] = (into[k] ?? 0) + v;
      childTime += ch.e.dur ?? 0;
    }
  }
  const self = Math.max(0, (node.e.dur ?? 0) - childTime);
  const k = c ?? 'other';
  into[k] = (into[k] ?? 0) + self;
}

console.log(`window ${fromMark} → ${toMark}: ${ms(t1 - t0)} ms` + (marks.find((m) => m.name === 'newest-in-dom') ? ` (newest in DOM at ${ms(marks.find((m) => m.name === 'newest-in-dom').ts - t0)} ms)` : ''));
const total = {};
for (const r of roots) {
  if ((r.e.dur ?? 0) < 300) continue;
  const parts = {};
  split(r, parts, undefined);
  for (const [k, v] of Object.entries(parts)) total[k] = (total[k] ?? 0) + v;
  const kinds = new Set();
  const walk = (n) => {
    if (['FireAnimationFrame', 'HandlePostMessage', 'TimerFire', 'EventDispatch', 'Paint', 'ResizeObserver', 'UpdateLayoutTree', 'Layout', 'RunMicrotasks', 'FunctionCall'].includes(n.e.name)) kinds.add(n.e.name);
    n.children.forEach(walk);
  };
  walk(r);
  const desc = Object.entries(parts)
    .filter(([, v]) => v >= 100)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${ms(v)}`)
    .join(', ');
  console.log(`  +${String(ms(r.e.ts - t0)).padStart(6)} ms  ${String(ms(r.e.dur)).padStart(5)} ms  ${r.e.name.padEnd(12)} ${desc}   [${[...kinds].join(' ')}]`);
}
console.log(
  'total: ' +
    Object.entries(total)
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k} ${ms(v)} ms`)
      .join(', '),
);

// Forced style / layout: inside script.
console.log('\nforced style / layout (inside script):');
const forced = new Map();
const visit = (n, inScript) => {
  const c = category(n.e.name);
  if (inScript && (c === 'style' || c === 'layout')) {
    const frame = n.e.args?.beginData?.stackTrace?.[0] ?? n.e.args?.data?.stackTrace?.[0];
    const where = frame ? `${frame.functionName || '(anonymous)'} ${String(frame.url).split('/').pop()}:${frame.lineNumber}:${frame.columnNumber}` : '(no stack)';
    const key = `${c} ← ${where}`;
    const f = forced.get(key) ?? { n: 0, dur: 0 };
    f.n += 1;
    f.dur += n.e.dur ?? 0;
    forced.set(key, f);
  }
  for (const ch of n.children) visit(ch, inScript || c === 'script');
};
roots.forEach((r) => {
  visit(r, false);
});
for (const [k, v] of [...forced].sort((a, b) => b[1].dur - a[1].dur).slice(0, 15)) console.log(`  ${String(ms(v.dur)).padStart(5)} ms ×${v.n}  ${k}`);

// CPU profile samples in the window: self time per function.
const chunks = events.filter((e) => e.name === 'ProfileChunk' && e.pid === pid);
const nodes = new Map();
const selfTime = new Map();
let ts = events.find((e) => e.name === 'Profile' && e.pid === pid)?.args?.data?.startTime ?? 0;
for (const c of chunks) {
  const data = c.args?.data;
  for (const n of data?.cpuProfile?.nodes ?? []) nodes.set(n.id, n);
  const samples = data?.cpuProfile?.samples ?? [];
  const deltas = data?.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i += 1) {
    ts += deltas[i] ?? 0;
    if (ts < t0 || ts > t1) continue;
    const n = nodes.get(samples[i]);
    const cf = n?.callFrame;
    const key = cf ? `${cf.functionName || '(anonymous)'} ${String(cf.url).split('/').pop()}:${cf.lineNumber}:${cf.columnNumber}` : '?';
    selfTime.set(key, (selfTime.get(key) ?? 0) + (deltas[i + 1] ?? deltas[i] ?? 0));
  }
}
if (selfTime.size) {
  console.log('\nCPU profile, self time in the window:');
  for (const [k, v] of [...selfTime].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`  ${String(ms(v)).padStart(5)} ms  ${k}`);
}
