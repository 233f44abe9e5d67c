#!/usr/bin/env node
// Browser benchmarks: every bench/pages/<name>.ts is bundled with esbuild (production build, as
// shipped), served from a local HTTP server and run in headless Chromium (playwright-core) for a
// number of fresh-page samples. A page runs its scenario and sets
//   window.__bench = { metrics: { name: number, ... }, notes?: {...} }
// Long tasks are observed by the harness (PerformanceObserver 'longtask', buffered) and reported
// as `maxLongTaskMs` and `longTasksOver50`. Prints one JSON document (medians and worst case).
//
//   node bench/browser.bench.mjs [pageFilter] [samples=5]
import { createServer } from 'node:http';
import { readdirSync, readFileSync, rmSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, extname } from 'node:path';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';

/* global window -- page.evaluate / waitForFunction bodies run in the browser */

const root = join(import.meta.dirname, '..');
const pagesDir = join(import.meta.dirname, 'pages');
const outDir = join(import.meta.dirname, '.out');
const filter = process.argv[2] ?? '';
const samples = Number(process.argv[3] ?? 5);

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
  minify: true,
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
  executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
});
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : NaN;
};
const results = [];
try {
  for (const p of pages) {
    const name = p.replace(/\.ts$/, '');
    const runs = [];
    for (let i = 0; i < samples; i++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      await page.goto(`http://127.0.0.1:${port}/${name}.html`);
      await page.waitForFunction(() => window.__bench !== undefined, null, { timeout: 120_000 });
      const r = await page.evaluate(() => ({ ...window.__bench, longTasks: window.__longTasks }));
      runs.push(r);
      await context.close();
    }
    const keys = Object.keys(runs[0].metrics);
    const metrics = Object.fromEntries(keys.map((k) => [k, { median: Math.round(median(runs.map((r) => r.metrics[k])) * 10) / 10, worst: Math.round(Math.max(...runs.map((r) => r.metrics[k])) * 10) / 10 }]));
    const longest = runs.map((r) => Math.max(0, ...r.longTasks));
    results.push({
      page: name,
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
console.log(JSON.stringify({ benchmark: 'browser', browser: 'Chromium (Debian) headless', results }, null, 2));
