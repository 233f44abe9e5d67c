#!/usr/bin/env node
// `npm run build`: tsc -p tsconfig.build.json (**/*.js + .d.ts from src/), the framework typings
// (scripts/gen-types.mjs: types/react.d.ts, types/vue.d.ts from custom-elements.json), then rollup -c
// (minified CDN bundles in cdn/, only for entries whose input exists, then their .br and .gz
// beside them: scripts/precompress.mjs), the server (scripts/build-server.mjs), all into a fresh
// temporary directory that then replaces dist/ in one rename, so pages and tests that are
// using dist/ meanwhile never see it half built.
import { rmSync, readdirSync, existsSync, renameSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(import.meta.url), '../..');
const bin = (pkg, path) => join(root, 'node_modules', pkg, path);

function run(label, args) {
  console.log(`build: ${label}`);
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`build: ${label} failed (exit ${result.status ?? result.signal})`);
    rmSync(out, { recursive: true, force: true });
    process.exit(result.status || 1);
  }
}

const out = join(root, `dist.build-${String(process.pid)}`);
const dist = join(root, 'dist');
rmSync(out, { recursive: true, force: true });
process.env.CHAT_BUILD_DIR = out;
// Imported only now: the config reads CHAT_BUILD_DIR when it loads.
const { CDN_ENTRIES, existingCdnEntries } = await import('../rollup.config.mjs');

const srcDir = join(root, 'src');
const hasSources =
  existsSync(srcDir) &&
  readdirSync(srcDir, { recursive: true }).some((f) => String(f).endsWith('.ts') && !String(f).endsWith('.d.ts'));
if (!hasSources) {
  console.log('build: src/ has no .ts files yet; nothing to compile or bundle');
  process.exit(0);
}

function publish() {
  const old = join(root, `dist.old-${String(process.pid)}`);
  if (existsSync(dist)) renameSync(dist, old);
  renameSync(out, dist);
  rmSync(old, { recursive: true, force: true });
}

run('tsc -p tsconfig.build.json', [bin('typescript', 'bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', out]);
run('React and Vue typings from custom-elements.json', ['scripts/gen-types.mjs', out]);
run('server (esbuild: dist/server/crm-chat-server.js)', ['scripts/build-server.mjs', out]);

const entries = existingCdnEntries(root);
for (const entry of CDN_ENTRIES.filter((e) => !entries.includes(e))) {
  console.log(`build: note: ${entry.input} does not exist yet; dist/cdn/${entry.name}.js is not built`);
}
if (entries.length === 0) {
  console.log('build: no CDN entry exists yet; skipping rollup');
  publish();
  process.exit(0);
}
run('rollup -c', [bin('rollup', 'dist/bin/rollup'), '-c', 'rollup.config.mjs']);
run('precompress cdn/ (.br and .gz beside each bundle)', ['scripts/precompress.mjs', join(out, 'cdn')]);
publish();
