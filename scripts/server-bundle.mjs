// The server as one bundle (esbuild): server/node/bin.ts, the `crm-chat-server` command, and
// everything of ours it imports (server/, src/protocol/, src/crm/) as ES modules for Node 20, the
// packages left as imports. scripts/build-server.mjs builds the npm package's copy with it; the
// test runners (scripts/run-node-tests.mjs, web-test-runner's chat server) build one for the
// servers their tests start, since a bundle starts in about half the CPU time of
// `node --import tsx server/node/main.ts`, which transpiles and resolves each module on start.
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export const ROOT = resolve(fileURLToPath(import.meta.url), '../..');

/** The environment variable that names a test bundle's crm-chat-server.js (see serverArgs). */
export const TEST_SERVER_ENV = 'CHAT_TEST_SERVER_BIN';

/**
 * Bundles the server into `outdir` (crm-chat-server.js and its chunks); resolves to the esbuild
 * result (with its metafile). `outdir` must be two folders below the package root, as dist/server
 * is: the server finds the demo pages and package.json two folders up from its module.
 */
export function bundleServer(outdir, { sourcemap = true } = {}) {
  return build({
    absWorkingDir: ROOT,
    entryPoints: { 'crm-chat-server': 'server/node/bin.ts' },
    outdir,
    // Chunks beside the entry: main.ts finds the package root two folders up from its module.
    chunkNames: '[name]-[hash]',
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    tsconfig: 'tsconfig.json',
    sourcemap,
    sourcesContent: sourcemap !== false,
    legalComments: 'none',
    banner: { js: '#!/usr/bin/env node' },
    logLevel: 'warning',
    metafile: true,
  });
}

/**
 * For a test runner: bundles the current sources into .test-results/server-<pid>/ (two folders
 * below the root, as the server needs), sets CHAT_TEST_SERVER_BIN to its crm-chat-server.js in
 * this process's environment (the test processes inherit it), and returns that path and a
 * function that removes the folder. No source map: Node would read one on every start (a stack in
 * a test's server output names the bundle's lines). Each runner process has a folder of its own, so runners side
 * by side (TEST_PARALLEL=1) do not share one.
 */
export async function bundleServerForTests() {
  const outdir = join(ROOT, '.test-results', `server-${String(process.pid)}`);
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  await bundleServer(outdir, { sourcemap: false });
  const bin = join(outdir, 'crm-chat-server.js');
  process.env[TEST_SERVER_ENV] = bin;
  return { bin, remove: () => rmSync(outdir, { recursive: true, force: true }) };
}

/**
 * The arguments after `node` that run the server command (`crm-chat-server ARGS`): the test
 * bundle when a runner built one (CHAT_TEST_SERVER_BIN), else the TypeScript source under tsx
 * (`node --import tsx server/node/bin.ts ARGS`, e.g. a test file run by hand with node --test).
 * Relative paths: spawn it with `cwd` at the package root.
 */
export function serverArgs(args, env = process.env) {
  const bin = env[TEST_SERVER_ENV];
  return bin ? [bin, ...args] : ['--import', 'tsx', 'server/node/bin.ts', ...args];
}
