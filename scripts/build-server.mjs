#!/usr/bin/env node
// The server for the npm package: esbuild (scripts/server-bundle.mjs) bundles server/node/bin.ts
// (the `crm-chat-server` command) and everything of ours it imports (server/, src/protocol/, src/crm/) into
// <out>/server/crm-chat-server.js, an ES module for Node 20 with a source map that embeds the
// TypeScript. Packages stay imports (`packages: 'external'`): they are the package's
// `dependencies` (better-sqlite3, ws, jose, valibot), installed beside it by npm.
// Each command's module is its own chunk (code splitting), so `crm-chat-server admin …` does not
// load the server and the other way round.
//
//   node scripts/build-server.mjs <out dir>        (scripts/build.mjs passes its temporary dist)
import { chmodSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ROOT, bundleServer } from './server-bundle.mjs';

const out = resolve(process.argv[2] ?? join(ROOT, 'dist'));

const result = await bundleServer(join(out, 'server'));
const bin = join(out, 'server', 'crm-chat-server.js');
chmodSync(bin, 0o755);
const files = Object.keys(result.metafile.outputs).filter((f) => f.endsWith('.js'));
console.log(`build-server: ${files.length} module(s) in ${join(out, 'server')} (bin: crm-chat-server.js)`);
