#!/usr/bin/env node
// Usage: node scripts/run-node-tests.mjs <dir>     (e.g. test/server, test/e2e, or one *.test.ts file)
//
// Node 20's `--test` neither finds *.test.ts files in a folder nor expands globs, so this lists
// <dir>/**/*.test.ts itself and passes the files explicitly to
//   node --import tsx --test ... FILES
// Output: spec reporter on stdout; counts {passed, failed, skipped} of leaf tests in
// .test-results/<basename of dir>.json (scripts/node-count-reporter.mjs).
// Exits with node's exit code, or 1 with a message if no test file exists.
//
// Env: NODE_TEST_CONCURRENCY (default 1: server/e2e tests bind ports and share data dirs),
//      NODE_TEST_TIMEOUT_MS   (default 60000 per test).
import { mkdirSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { basename, join, relative, resolve } from 'node:path';
import { ROOT, listTestFiles } from './list-test-files.mjs';

const dirArg = process.argv[2];
if (!dirArg) {
  console.error('usage: node scripts/run-node-tests.mjs <dir>');
  process.exit(2);
}
const dir = resolve(ROOT, dirArg);
const files = listTestFiles(dir);
if (files.length === 0) {
  console.error(`run-node-tests: no test files found: ${relative(ROOT, dir) || '.'}/**/*.test.ts matches nothing`);
  process.exit(1);
}

const name = basename(dir).replace(/\.test\.ts$/, '');
mkdirSync(join(ROOT, '.test-results'), { recursive: true });
const concurrency = process.env.NODE_TEST_CONCURRENCY ?? '1';
// Per test. Generous: a test that spawns server processes (the CLI's, the packed server) took
// up to 80 s on a 2-core machine at load 20; a test that truly hangs still ends.
const timeout = process.env.NODE_TEST_TIMEOUT_MS ?? '180000';

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
console.log(`run-node-tests: ${files.length} file(s) in ${relative(ROOT, dir)}`);
const child = spawn(process.execPath, args, { cwd: ROOT, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => child.kill(signal));
}
child.on('exit', (code, signal) => {
  process.exit(code ?? (signal ? 1 : 0));
});
