#!/usr/bin/env node
// `npm test`: the whole check, in order, each step with a header and its duration:
//   chromium, typecheck, lint, manifest:check, node tests (test/server), build,
//   browser tests (web-test-runner), end-to-end tests (test/e2e), size-limit.
// All steps run even after a failure, so the counts are complete. A failed non-test step
// (typecheck, lint, manifest, build, size) counts as 1 failed test; so does a test runner that
// exited non-zero without reporting a failed test (e.g. it crashed or wrote no counts).
// The last line of output is always `N passed, N failed, N skipped`; exit code 1 if N failed > 0.
//
// Young-project rule: browser and e2e steps with no test files yet are skipped with 0 counts and
// a loud "no tests found in X". test/server has no such leniency.
import { accessSync, constants, existsSync, readFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, listTestFiles } from './list-test-files.mjs';
import { BROWSER_TEST_GLOB, listBrowserTestFiles } from '../test/helpers/wtr-files.mjs';
import { existingSizeChecks } from '../.size-limit.mjs';

process.chdir(ROOT);
const RESULTS = join(ROOT, '.test-results');
rmSync(RESULTS, { recursive: true, force: true });

const totals = { passed: 0, failed: 0, skipped: 0 };
const summary = []; // [name, status, seconds]
const STEP_COUNT = 9;
let stepNo = 0;

const log = (line = '') => process.stdout.write(`${line}\n`);
const banner = (text) => log(`\n${'='.repeat(8)} ${text} ${'='.repeat(Math.max(8, 72 - text.length))}`);

function run(cmd, args, env = {}) {
  const result = spawnSync(cmd, args, {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, ...env },
  });
  if (result.error) {
    log(`test: could not start ${cmd}: ${result.error.message}`);
    return 127;
  }
  return result.status ?? 1;
}

/** Runs one step: body() returns 'ok' | 'failed' | 'skipped' (+ optional note). */
function step(name, body) {
  stepNo++;
  banner(`[${stepNo}/${STEP_COUNT}] ${name}`);
  const start = performance.now();
  let status;
  try {
    status = body();
  } catch (error) {
    log(`test: ${name} threw: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    status = 'failed';
  }
  const seconds = (performance.now() - start) / 1000;
  log(`-------- ${name}: ${status.toUpperCase()} in ${seconds.toFixed(1)}s`);
  summary.push([name, status, seconds]);
  return status;
}

/** A non-test step: exit 0 -> ok; otherwise it counts as 1 failed test. */
function commandStep(name, cmd, args) {
  return step(name, () => {
    const code = run(cmd, args);
    if (code === 0) return 'ok';
    log(`test: ${name} failed (exit ${code}); counted as 1 failed`);
    totals.failed++;
    return 'failed';
  });
}

function readCounts(file) {
  try {
    const raw = JSON.parse(readFileSync(join(RESULTS, file), 'utf8'));
    const n = (v) => (Number.isInteger(v) && v >= 0 ? v : 0);
    return { passed: n(raw.passed), failed: n(raw.failed), skipped: n(raw.skipped) };
  } catch {
    return undefined;
  }
}

/** A test-runner step: adds its counts from .test-results/<resultFile>. */
function runnerStep(name, resultFile, cmd, args, files, { allowEmpty, where }) {
  return step(name, () => {
    if (files.length === 0) {
      if (allowEmpty) {
        log(`!!!!!!!! no tests found in ${where} -- skipping ${name} with 0 tests (allowed while the project is young)`);
        return 'skipped';
      }
      log(`test: no tests found in ${where}; counted as 1 failed`);
      totals.failed++;
      return 'failed';
    }
    const code = run(cmd, args);
    const counts = readCounts(resultFile);
    if (!counts) {
      log(`test: ${name} wrote no counts to .test-results/${resultFile} (exit ${code}); counted as 1 failed`);
      totals.failed++;
      return 'failed';
    }
    log(`test: ${name}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped (exit ${code})`);
    totals.passed += counts.passed;
    totals.failed += counts.failed;
    totals.skipped += counts.skipped;
    if (code !== 0 && counts.failed === 0) {
      log(`test: ${name} exited ${code} without a failed test (crash, coverage, browser?); counted as 1 failed`);
      totals.failed++;
    }
    return code === 0 && counts.failed === 0 ? 'ok' : 'failed';
  });
}

// (a) Chromium ----------------------------------------------------------------------------------
const CHROME_CANDIDATES = [
  process.env.CHROME_PATH,
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
].filter(Boolean);

function findChrome() {
  for (const path of CHROME_CANDIDATES) {
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      /* next */
    }
  }
  return undefined;
}

const INSTALL_CMD = 'apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium chromium-driver';
let chromeOk = true;
step('chromium', () => {
  let chrome = findChrome();
  if (!chrome) {
    const isRoot = process.getuid?.() === 0;
    const hasApt = existsSync('/usr/bin/apt-get') || existsSync('/bin/apt-get');
    if (!hasApt || !isRoot) {
      log(`test: no Chromium found (looked at ${CHROME_CANDIDATES.join(', ')}).`);
      log(
        hasApt
          ? `test: install it as root and re-run: sudo sh -c '${INSTALL_CMD}'`
          : 'test: install Chromium/Chrome and set CHROME_PATH to its executable, then re-run.',
      );
      chromeOk = false;
      return 'failed';
    }
    log(`test: no Chromium found; installing: ${INSTALL_CMD}`);
    const env = { DEBIAN_FRONTEND: 'noninteractive' };
    if (run('apt-get', ['update'], env) !== 0 || run('apt-get', ['install', '-y', 'chromium', 'chromium-driver'], env) !== 0) {
      chromeOk = false;
      return 'failed';
    }
    chrome = findChrome();
    if (!chrome) {
      log('test: apt-get install finished but no Chromium executable was found');
      chromeOk = false;
      return 'failed';
    }
  }
  process.env.CHROME_PATH = chrome;
  log(`test: using CHROME_PATH=${chrome}`);
  return 'ok';
});

if (!chromeOk) {
  totals.failed++;
  log('\ntest: stopping: the browser and end-to-end tests need Chromium.');
} else {
  // (b)-(d) static checks ------------------------------------------------------------------------
  commandStep('typecheck', 'npm', ['run', '-s', 'typecheck']);
  commandStep('lint', 'npm', ['run', '-s', 'lint']);
  commandStep('manifest:check', 'npm', ['run', '-s', 'manifest:check']);

  // (e) node tests of the server ------------------------------------------------------------------
  runnerStep(
    'node tests',
    'server.json',
    process.execPath,
    ['scripts/run-node-tests.mjs', 'test/server'],
    listTestFiles('test/server'),
    { allowEmpty: false, where: 'test/server/**/*.test.ts' },
  );

  // (f) build ---------------------------------------------------------------------------------------
  commandStep('build', 'npm', ['run', '-s', 'build']);

  // (g) browser tests ------------------------------------------------------------------------------
  runnerStep('browser tests', 'browser.json', 'npx', ['web-test-runner'], listBrowserTestFiles(ROOT), {
    allowEmpty: true,
    where: BROWSER_TEST_GLOB,
  });

  // (h) end-to-end tests ---------------------------------------------------------------------------
  runnerStep(
    'e2e tests',
    'e2e.json',
    process.execPath,
    ['scripts/run-node-tests.mjs', 'test/e2e'],
    listTestFiles('test/e2e'),
    { allowEmpty: true, where: 'test/e2e/**/*.test.ts' },
  );

  // (i) bundle size ----------------------------------------------------------------------------------
  // size-limit fails on an empty config; with no bundle built there is nothing to measure (a failed
  // build has already been counted above).
  if (existingSizeChecks(ROOT).length === 0) {
    step('size', () => {
      log('test: no CDN bundle in dist/cdn yet (needs src/define.ts or the chat-visitor entry); nothing to measure');
      return 'skipped';
    });
  } else {
    commandStep('size', 'npm', ['run', '-s', 'size']);
  }
}

// Summary -------------------------------------------------------------------------------------------
banner('summary');
for (const [name, status, seconds] of summary) {
  log(`  ${status.padEnd(8)} ${name.padEnd(16)} ${seconds.toFixed(1).padStart(6)}s`);
}
const total = summary.reduce((acc, [, , s]) => acc + s, 0);
log(`  total ${total.toFixed(1)}s`);
log('');
log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exitCode = totals.failed > 0 ? 1 : 0;
