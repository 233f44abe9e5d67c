#!/usr/bin/env node
// The server for the npm package: esbuild bundles server/node/bin.ts (the `crm-chat-server`
// command) and everything of ours it imports (server/, src/protocol/, src/crm/) into
// <out>/server/crm-chat-server.js, an ES module for Node 20 with a source map that embeds the
// TypeScript. Packages stay imports (`packages: 'external'`): they are the package's
// `dependencies` (better-sqlite3, ws, jose, valibot), installed beside it by npm.
// Each command's module is its own chunk (code splitting), so `crm-chat-server admin …` does not
// load the server and the other way round.
//
//   node scripts/build-server.mjs <out dir>        (scripts/build.mjs passes its temporary dist)
import { chmodSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(fileURLToPath(import.meta.url), '../..');
const out = resolve(process.argv[2] ?? join(root, 'dist'));

const result = await build({
  absWorkingDir: root,
  entryPoints: { 'crm-chat-server': 'server/node/bin.ts' },
  outdir: join(out, 'server'),
  // Chunks beside the entry: main.ts finds the package root two folders up from its module.
  chunkNames: '[name]-[hash]',
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  tsconfig: 'tsconfig.json',
  sourcemap: true,
  sourcesContent: true,
  legalComments: 'none',
  banner: { js: '#!/usr/bin/env node' },
  logLevel: 'warning',
  metafile: true,
});
const bin = join(out, 'server', 'crm-chat-server.js');
chmodSync(bin, 0o755);
const files = Object.keys(result.metafile.outputs).filter((f) => f.endsWith('.js'));
console.log(`build-server: ${files.length} module(s) in ${join(out, 'server')} (bin: crm-chat-server.js)`);
