#!/usr/bin/env node
// Usage: node scripts/run-node-tests.mjs <dir|file>...  (e.g. test/server, test/e2e, or *.test.ts files)
//
// Node 20's `--test` neither finds *.test.ts files in a folder nor expands globs, so this lists
// <dir>/**/*.test.ts itself and passes the files explicitly to
//   node --import tsx --test ... FILES
// Output: spec reporter on stdout; counts {passed, failed, skipped} of leaf tests in
// .test-results/<basename of dir>.json (scripts/node-count-reporter.mjs).
// Exits with node's exit code, or 1 with a message if no test file exists.
//
// Files run side by side, each in its own process (docs/testing.md): every file starts its servers
// on ports of their own (port 0, or scripts/free-port.mjs) with data in a temp folder of its own,
// and changes no file or environment that another file reads.
//
// Env: NODE_TEST_CONCURRENCY (files at once; default 1; e.g. 3 for test/server, 2 for test/e2e),
//      NODE_TEST_TIMEOUT_MS   (default 600000: per test, and Node 20 applies it to each file as a
//                             whole too).
import { mkdirSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { basename, join, relative, resolve } from 'node:path';
import { ROOT, listTestFiles } from './list-test-files.mjs';
import { bundleServerForTests } from './server-bundle.mjs';

const dirArgs = process.argv.slice(2);
if (dirArgs.length === 0) {
  console.error('usage: node scripts/run-node-tests.mjs <dir|file>...');
  process.exit(2);
}
const dirs = dirArgs.map((d) => resolve(ROOT, d));
const files = dirs.flatMap((dir) => {
  const found = listTestFiles(dir);
  if (found.length === 0) {
    console.error(`run-node-tests: no test files found: ${relative(ROOT, dir) || '.'}/**/*.test.ts matches nothing`);
    process.exit(1);
  }
  return found;
});
const dir = dirs[0];

// The counts file: named after the one folder or file given (test/server -> server.json), else "selection".
const name = dirs.length === 1 ? basename(dir).replace(/\.test\.ts$/, '') : 'selection';
mkdirSync(join(ROOT, '.test-results'), { recursive: true });
// One file at a time unless asked (docs/testing.md): every file can run beside any other, but on
// the shared 2-core machine at load 20+ files side by side turned slow starts into failed ones
// (e2e: a server's /health deadline); the numbers to pick a default from need a quiet machine.
const concurrency = process.env.NODE_TEST_CONCURRENCY ?? '1';
// Per test, and (Node 20) per FILE: `--test-timeout` also bounds each file's process as a whole.
// A test that spawns server processes took up to 80 s on a 2-core machine at load 20, and a file
// of several such tests, beside other files on a machine at load 20, took over 180 s (the old
// bound, which killed whole files). A test that truly hangs still ends; every wait inside a test
// has its own, shorter deadline.
const timeout = process.env.NODE_TEST_TIMEOUT_MS ?? '600000';

const args = [
  '--import',
  'tsx',
  '--test',
  `--test-concurrency=${concurrency}`,
  `--test-timeout=${timeout}`,
  '--test-reporter=spec',
  '--test-reporter-destination=stdout',
  '--test-reporter=./scripts/node-count-reporter.mjs',
  `--test-reporter-destination=.test-results/${name}.json`,
  ...files,
];
// The server processes the tests start run one bundle of the current sources (scripts/server-bundle.mjs:
// built once here, in about a second; the tests find it through CHAT_TEST_SERVER_BIN) rather than
// `node --import tsx server/node/bin.ts`, which transpiles and resolves every module again in each
// process: about 1.2 s of CPU less per server start, and some 50 start in test/server and test/e2e.
const bundle = await bundleServerForTests();
console.log(`run-node-tests: ${files.length} file(s) in ${relative(ROOT, dir)}, ${concurrency} at a time; servers from ${relative(ROOT, bundle.bin)}`);
const child = spawn(process.execPath, args, { cwd: ROOT, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => child.kill(signal));
}
child.on('exit', (code, signal) => {
  bundle.remove();
  process.exit(code ?? (signal ? 1 : 0));
});
