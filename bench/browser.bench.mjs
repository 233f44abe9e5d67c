#!/usr/bin/env node
// Browser benchmarks: every bench/pages/<name>.ts is bundled with esbuild (production build, as
// shipped), served from a local HTTP server and run in headless Chromium (playwright-core) for a
// number of fresh-page samples. A page runs its scenario and sets
//   window.__bench = { metrics: { name: number, ... }, notes?: {...} }
// Long tasks are observed by the harness (PerformanceObserver 'longtask', buffered) and reported
// as `maxLongTaskMs` and `longTasksOver50`. Prints one JSON document (medians and worst case).
//
//   node bench/browser.bench.mjs [pageFilter] [samples=5]
//
// Every page runs unthrottled and with Chromium's CPU throttled 4× (DevTools
// `Emulation.setCPUThrottlingRate` over a CDP session, set before the page loads), as on an
// ordinary laptop beside a heavy CRM page. BENCH_CPU=1 or BENCH_CPU=4 runs only that rate
// (BENCH_CPU=1,4,6 any list). Results are per page and rate.
//
// With BENCH_TRACE=1 every sample also records a Chrome performance trace (DevTools timeline and
// a sampled CPU profile) to bench/.out/<page>-<sample>.trace.json: open it in DevTools
// (Performance → Load profile) or summarize it with `node bench/trace-summary.mjs <file>`.
// With BENCH_PROFILE=1 the pages' `console.profile()` … `console.profileEnd()` windows (a no-op
// without a profiler) are recorded by the CPU profiler (100 µs sampling) to
// bench/.out/<page>-<sample>-<title>.cpuprofile (DevTools → Performance → Load profile) and
// summarized (self time per function) on stderr.
import { createServer } from 'node:http';
import { readdirSync, readFileSync, rmSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, extname } from 'node:path';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { CHROME_ARGS, CHROME_PATH } from '../scripts/chromium.mjs';

/* global window -- page.evaluate / waitForFunction bodies run in the browser */

const root = join(import.meta.dirname, '..');
const pagesDir = join(import.meta.dirname, 'pages');
const outDir = join(import.meta.dirname, '.out');
const filter = process.argv[2] ?? '';
const samples = Number(process.argv[3] ?? 5);
const trace = process.env.BENCH_TRACE === '1';
const profile = process.env.BENCH_PROFILE === '1';
const rates = (process.env.BENCH_CPU ?? '1,4').split(',').map(Number).filter((r) => Number.isFinite(r) && r >= 1);
const TRACE_CATEGORIES = [
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'disabled-by-default-devtools.timeline.frame',
  'disabled-by-default-v8.cpu_profiler',
  'blink.user_timing',
  'v8.execute',
  'toplevel',
];

const pages = readdirSync(pagesDir).filter((f) => f.endsWith('.ts') && f.includes(filter)).sort();
if (pages.length === 0) {
  console.log(JSON.stringify({ benchmark: 'browser', results: [], note: 'no bench pages' }));
  process.exit(0);
}
rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
await build({
  entryPoints: pages.map((p) => join(pagesDir, p)),
  outdir: outDir,
  bundle: true,
  // BENCH_READABLE=1: not minified, for reading profiles (measure without it).
  minify: process.env.BENCH_READABLE !== '1',
  format: 'esm',
  target: 'es2022',
  conditions: ['production'],
  define: { 'process.env.NODE_ENV': '"production"' },
  tsconfig: join(root, 'tsconfig.json'),
  logLevel: 'error',
});
for (const p of pages) {
  const name = p.replace(/\.ts$/, '');
  writeFileSync(
    join(outDir, `${name}.html`),
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${name}</title>
<style>html,body{margin:0;height:100%;font-family:system-ui}</style></head>
<body><script type="module">
window.__longTasks = [];
try { new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__longTasks.push(e.duration); }).observe({ type: 'longtask', buffered: true }); } catch {}
</script><script type="module" src="./${name}.js"></script></body></html>`,
  );
}

const server = createServer((req, res) => {
  const file = join(outDir, (req.url ?? '/').split('?')[0]);
  try {
    const body = readFileSync(file);
    res.writeHead(200, { 'Content-Type': extname(file) === '.html' ? 'text/html' : 'text/javascript' });
    res.end(body);
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const port = server.address().port;
const browser = await chromium.launch({
  executablePath: CHROME_PATH,
  headless: true,
  args: [...CHROME_ARGS],
});
/** Self time per function (top 20) and in total of a CPU profile. */
function summarizeProfile(p) {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map();
  for (let k = 0; k < p.samples.length; k++) {
    const cf = byId.get(p.samples[k])?.callFrame;
    const key = cf ? `${cf.functionName || '(anonymous)'} ${cf.url.split('/').pop()}:${String(cf.lineNumber + 1)}:${String(cf.columnNumber + 1)}` : '?';
    self.set(key, (self.get(key) ?? 0) + (p.timeDeltas[k + 1] ?? 0) / 1000);
  }
  const total = (p.endTime - p.startTime) / 1000;
  const rows = [...self].sort((a, b) => b[1] - a[1]).slice(0, 20);
  return [`  ${total.toFixed(1)} ms in all`, ...rows.map(([k, v]) => `  ${v.toFixed(1).padStart(6)} ms  ${k}`)].join('\n');
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : NaN;
};
const results = [];
try {
  for (const p of pages) for (const rate of rates) {
    const name = p.replace(/\.ts$/, '');
    const tag = rate === 1 ? name : `${name}-cpu${String(rate)}x`;
    const runs = [];
    for (let i = 0; i < samples; i++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      if (rate !== 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate });
      if (trace) await browser.startTracing(page, { path: join(outDir, `${tag}-${String(i + 1)}.trace.json`), categories: TRACE_CATEGORIES });
      if (profile) {
        await cdp.send('Profiler.enable');
        await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
        cdp.on('Profiler.consoleProfileFinished', ({ title, profile: p }) => {
          writeFileSync(join(outDir, `${tag}-${String(i + 1)}-${title ?? 'profile'}.cpuprofile`), JSON.stringify(p));
          console.error(`\n${tag} sample ${String(i + 1)}, profile "${title ?? ''}":\n${summarizeProfile(p)}`);
        });
      }
      await page.goto(`http://127.0.0.1:${port}/${name}.html`);
      // A page on a busy machine at 4× can take minutes; a timeout loses every result of the run.
      await page.waitForFunction(() => window.__bench !== undefined, null, { timeout: 900_000, polling: 100 });
      if (trace) await browser.stopTracing();
      const r = await page.evaluate(() => ({ ...window.__bench, longTasks: window.__longTasks }));
      runs.push(r);
      if (process.env.BENCH_VERBOSE === '1') console.error(`${tag} sample ${String(i + 1)}: ${JSON.stringify({ ...r.metrics, maxLongTaskMs: Math.round(Math.max(0, ...r.longTasks)) })}`);
      await context.close();
    }
    const keys = Object.keys(runs[0].metrics);
    // The worst sample is the highest, except for counts of what worked (rows shown, updates applied).
    const higherIsBetter = (k) => !k.endsWith('Ms') && /PerSecond|Showing|Current|Checked/.test(k);
    const worst = (k, xs) => (higherIsBetter(k) ? Math.min(...xs) : Math.max(...xs));
    const metrics = Object.fromEntries(keys.map((k) => [k, { median: Math.round(median(runs.map((r) => r.metrics[k])) * 10) / 10, worst: Math.round(worst(k, runs.map((r) => r.metrics[k])) * 10) / 10 }]));
    const longest = runs.map((r) => Math.max(0, ...r.longTasks));
    results.push({
      page: name,
      cpuThrottling: rate,
      samples,
      metrics,
      maxLongTaskMs: { median: Math.round(median(longest)), worst: Math.round(Math.max(...longest)) },
      longTasksOver50: Math.max(...runs.map((r) => r.longTasks.filter((d) => d > 50).length)),
      notes: runs[0].notes ?? {},
    });
  }
} finally {
  await browser.close();
  server.close();
}
const { loadavg, cpus } = await import('node:os');
console.log(
  JSON.stringify(
    { benchmark: 'browser', browser: 'Chromium (Debian) headless', cpus: cpus().length, loadAverageAtEnd: loadavg().map((l) => Math.round(l * 100) / 100), results },
    null,
    2,
  ),
);
