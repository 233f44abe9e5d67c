#!/usr/bin/env node
// `npm run build`: rm -rf dist; tsc -p tsconfig.build.json (dist/**/*.js + .d.ts from src/);
// rollup -c (minified CDN bundles in dist/cdn/, only for entries whose input exists).
import { rmSync, readdirSync, existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CDN_ENTRIES, existingCdnEntries } from '../rollup.config.mjs';

const root = resolve(fileURLToPath(import.meta.url), '../..');
const bin = (pkg, path) => join(root, 'node_modules', pkg, path);

function run(label, args) {
  console.log(`build: ${label}`);
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`build: ${label} failed (exit ${result.status ?? result.signal})`);
    process.exit(result.status || 1);
  }
}

rmSync(join(root, 'dist'), { recursive: true, force: true });

const srcDir = join(root, 'src');
const hasSources =
  existsSync(srcDir) &&
  readdirSync(srcDir, { recursive: true }).some((f) => String(f).endsWith('.ts') && !String(f).endsWith('.d.ts'));
if (!hasSources) {
  console.log('build: src/ has no .ts files yet; nothing to compile or bundle');
  process.exit(0);
}

run('tsc -p tsconfig.build.json', [bin('typescript', 'bin/tsc'), '-p', 'tsconfig.build.json']);

const entries = existingCdnEntries(root);
for (const entry of CDN_ENTRIES.filter((e) => !entries.includes(e))) {
  console.log(`build: note: ${entry.input} does not exist yet; dist/cdn/${entry.name}.js is not built`);
}
if (entries.length === 0) {
  console.log('build: no CDN entry exists yet; skipping rollup');
  process.exit(0);
}
run('rollup -c', [bin('rollup', 'dist/bin/rollup'), '-c', 'rollup.config.mjs']);
