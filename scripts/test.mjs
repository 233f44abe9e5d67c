#!/usr/bin/env node
// `npm test`: the whole check, each step with a header, its duration and its CPU time:
//   chromium, typecheck, lint, manifest:check, node tests (test/server), build,
//   browser tests (web-test-runner), end-to-end tests (test/e2e), size-limit.
// All steps run even after a failure, so the counts are complete. A failed non-test step
// (typecheck, lint, manifest, build, size) counts as 1 failed test; so does a test runner that
// exited non-zero without reporting a failed test (e.g. it crashed or wrote no counts).
// The last line of output is always `N passed, N failed, N skipped`; exit code 1 if N failed > 0.
//
// TEST_PARALLEL=1 (docs/testing.md): after the chromium step, the steps run in LANES, each lane
// one step after another and the lanes at the same time: most test time is spent waiting (servers
// starting, socket round trips, pages), so a CPU-bound step beside them costs little wall time.
// The end-to-end tests and the size check come after the build in their lane. Each step's output
// is kept and printed whole, in the order above, once it and every step before it have finished,
// so the log reads as if they had run one after another. Without it (the default until it is
// measured green on a quiet machine) every step runs after the other, its output as it comes.
//
// Young-project rule: browser and e2e steps with no test files yet are skipped with 0 counts and
// a loud "no tests found in X". test/server has no such leniency.
import { accessSync, constants, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { getPriority, setPriority } from 'node:os';
import { join } from 'node:path';
import { ROOT, listTestFiles } from './list-test-files.mjs';
import { BROWSER_TEST_GLOB, listBrowserTestFiles } from '../test/helpers/wtr-files.mjs';
import { existingSizeChecks } from '../.size-limit.mjs';

process.chdir(ROOT);
const RESULTS = join(ROOT, '.test-results');
rmSync(RESULTS, { recursive: true, force: true });
mkdirSync(RESULTS, { recursive: true });

const SERIAL = process.env.TEST_PARALLEL !== '1';
/** How much lower the priority of a background step is (see run()). */
const BACKGROUND_NICENESS = 10;
const totals = { passed: 0, failed: 0, skipped: 0 };
const summary = []; // [name, status, seconds]
const STEP_COUNT = 9;
let stepNo = 0;
const runStart = performance.now();

const log = (line = '') => process.stdout.write(`${line}\n`);
const bannerLine = (text) => `\n${'='.repeat(8)} ${text} ${'='.repeat(Math.max(8, 72 - text.length))}`;

/** Child processes still running (ended on SIGINT/SIGTERM). */
const children = new Set();
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    for (const child of children) child.kill(signal);
    process.exit(130);
  });
}

/**
 * Runs a command to its end. `out` is the step's output: its lines are kept in order (stdout and
 * stderr as they arrive) unless it is live, where the command writes straight to ours. With
 * `cpuFile`, the command runs under scripts/step-cpu.mjs, which writes its CPU seconds there.
 */
function run(out, cmd, args, { env = {}, cpuFile, background = false } = {}) {
  const live = out.live;
  const [file, argv] = cpuFile ? [process.execPath, ['scripts/step-cpu.mjs', cpuFile, cmd, ...args]] : [cmd, args];
  return new Promise((resolve) => {
    const child = spawn(file, argv, {
      cwd: ROOT,
      stdio: ['ignore', live ? 'inherit' : 'pipe', live ? 'inherit' : 'pipe'],
      env: { ...process.env, ...env },
    });
    children.add(child);
    if (background && !live && child.pid !== undefined) {
      // Below the tests in the CPU's queue (its children inherit it): a check that is only CPU
      // takes the time the tests leave idle, and never holds up a test waiting for its deadline.
      try {
        setPriority(child.pid, Math.min(19, getPriority() + BACKGROUND_NICENESS));
      } catch {
        // not allowed here: it runs at our priority
      }
    }
    if (!live) {
      child.stdout.on('data', (chunk) => out.write(chunk));
      child.stderr.on('data', (chunk) => out.write(chunk));
    }
    child.once('error', (error) => {
      children.delete(child);
      out.line(`test: could not start ${cmd}: ${error.message}`);
      resolve(127);
    });
    child.once('close', (code, signal) => {
      children.delete(child);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

/** A step's output: kept (or, `live`, written at once). */
function output(live) {
  const chunks = [];
  return {
    live,
    write(chunk) {
      if (live) process.stdout.write(chunk);
      else chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
    },
    line(text = '') {
      this.write(`${text}\n`);
    },
    text: () => Buffer.concat(chunks).toString('utf8'),
  };
}

function cpuSecondsOf(file) {
  try {
    const { cpuSeconds } = JSON.parse(readFileSync(file, 'utf8'));
    return typeof cpuSeconds === 'number' ? cpuSeconds : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Defines a step: body(out, cpuFile) resolves to 'ok' | 'failed' | 'skipped'. Returns start(),
 * which runs it and resolves once it has finished; its block (header, output, footer) is printed
 * by printInOrder(), in step order. Totals are added when the body returns.
 */
function step(name, body, { live = SERIAL } = {}) {
  stepNo++;
  const no = stepNo;
  const slug = name.replace(/[^a-z0-9]+/gi, '-');
  const entry = { no, name, done: false, block: '' };
  entry.start = async () => {
    const out = output(live);
    const header = bannerLine(`[${no}/${STEP_COUNT}] ${name}`);
    if (live) log(header);
    const started = performance.now();
    const cpuFile = join(RESULTS, `cpu-${slug}.json`);
    let status;
    try {
      status = await body(out, cpuFile);
    } catch (error) {
      out.line(`test: ${name} threw: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      status = 'failed';
    }
    const seconds = (performance.now() - started) / 1000;
    const cpu = cpuSecondsOf(cpuFile);
    const wall = ((started - runStart) / 1000).toFixed(1);
    if (cpu !== undefined) out.line(`test: ${name}: ${cpu.toFixed(1)}s of CPU (user+system, its processes included); started at ${wall}s`);
    out.line(`-------- ${name}: ${status.toUpperCase()} in ${seconds.toFixed(1)}s`);
    summary[no - 1] = [name, status, seconds];
    entry.block = live ? '' : `${header}\n${out.text()}`;
    entry.done = true;
    printInOrder();
    return status;
  };
  entries.push(entry);
  return entry;
}

const entries = [];
let printed = 0;
/** Prints the blocks of finished steps, in step order, up to the first unfinished one. */
function printInOrder() {
  while (printed < entries.length && entries[printed].done) {
    if (entries[printed].block) process.stdout.write(entries[printed].block);
    printed++;
  }
}

/** A non-test step: exit 0 -> ok; otherwise it counts as 1 failed test. `background`: see run(). */
function commandStep(name, cmd, args, { background = false } = {}) {
  return step(name, async (out, cpuFile) => {
    const code = await run(out, cmd, args, { cpuFile, background });
    if (code === 0) return 'ok';
    out.line(`test: ${name} failed (exit ${code}); counted as 1 failed`);
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
function runnerStep(name, resultFile, cmd, args, listFiles, { allowEmpty, where, env = {} }) {
  return step(name, async (out, cpuFile) => {
    if (listFiles().length === 0) {
      if (allowEmpty) {
        out.line(`!!!!!!!! no tests found in ${where} -- skipping ${name} with 0 tests (allowed while the project is young)`);
        return 'skipped';
      }
      out.line(`test: no tests found in ${where}; counted as 1 failed`);
      totals.failed++;
      return 'failed';
    }
    const code = await run(out, cmd, args, { cpuFile, env });
    const counts = readCounts(resultFile);
    if (!counts) {
      out.line(`test: ${name} wrote no counts to .test-results/${resultFile} (exit ${code}); counted as 1 failed`);
      totals.failed++;
      return 'failed';
    }
    out.line(`test: ${name}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped (exit ${code})`);
    totals.passed += counts.passed;
    totals.failed += counts.failed;
    totals.skipped += counts.skipped;
    if (code !== 0 && counts.failed === 0) {
      out.line(`test: ${name} exited ${code} without a failed test (crash, coverage, browser?); counted as 1 failed`);
      totals.failed++;
    }
    return code === 0 && counts.failed === 0 ? 'ok' : 'failed';
  });
}

// (a) Chromium (before everything else: it may install it) ------------------------------------
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

function runSync(cmd, args, env = {}) {
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

const INSTALL_CMD = 'apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium chromium-driver';
let chromeOk = true;
// Runs alone, its output as it comes (apt-get may take a minute).
await step('chromium', () => {
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
    if (runSync('apt-get', ['update'], env) !== 0 || runSync('apt-get', ['install', '-y', 'chromium', 'chromium-driver'], env) !== 0) {
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
}, { live: true }).start();

if (!chromeOk) {
  totals.failed++;
  log('\ntest: stopping: the browser and end-to-end tests need Chromium.');
} else {
  // (b)-(d) static checks ------------------------------------------------------------------------
  // In the background (lower priority): nothing waits for them, while the tests beside them have
  // deadlines.
  const typecheck = commandStep('typecheck', 'npm', ['run', '-s', 'typecheck'], { background: true });
  const lint = commandStep('lint', 'npm', ['run', '-s', 'lint'], { background: true });
  const manifest = commandStep('manifest:check', 'npm', ['run', '-s', 'manifest:check'], { background: true });

  // Node test files two at a time (serial mode; in lanes, where the two runners overlap, one),
  // unless NODE_TEST_CONCURRENCY says otherwise: most of a server or end-to-end test's time is
  // waiting (sockets, server starts, pages, workerd's alarms), so two side by side on two cores
  // took 302 s of wall against 513 s one after another for test/server, 471 s against 714 s for
  // test/e2e, for the same CPU and the same passes (docs/testing.md).
  const filesAtOnce = { NODE_TEST_CONCURRENCY: process.env.NODE_TEST_CONCURRENCY ?? (SERIAL ? '2' : '1') };

  // (e) node tests of the server ------------------------------------------------------------------
  const nodeTests = runnerStep(
    'node tests',
    'server.json',
    process.execPath,
    ['scripts/run-node-tests.mjs', 'test/server'],
    () => listTestFiles('test/server'),
    { allowEmpty: false, where: 'test/server/**/*.test.ts', env: filesAtOnce },
  );

  // (f) build ---------------------------------------------------------------------------------------
  const build = commandStep('build', 'npm', ['run', '-s', 'build']);

  // (g) browser tests ------------------------------------------------------------------------------
  const browserTests = runnerStep('browser tests', 'browser.json', 'npx', ['web-test-runner'], () => listBrowserTestFiles(ROOT), {
    allowEmpty: true,
    where: BROWSER_TEST_GLOB,
  });

  // (h) end-to-end tests (need the build) ----------------------------------------------------------
  const e2eTests = runnerStep(
    'e2e tests',
    'e2e.json',
    process.execPath,
    ['scripts/run-node-tests.mjs', 'test/e2e'],
    () => listTestFiles('test/e2e'),
    { allowEmpty: true, where: 'test/e2e/**/*.test.ts', env: filesAtOnce },
  );

  // (i) bundle size (needs the build) -----------------------------------------------------------------
  // size-limit fails on an empty config; with no bundle built there is nothing to measure (a failed
  // build has already been counted above).
  const size = step('size', async (out, cpuFile) => {
    if (existingSizeChecks(ROOT).length === 0) {
      out.line('test: no CDN bundle in dist/cdn yet (needs src/define.ts or the chat-visitor entry); nothing to measure');
      return 'skipped';
    }
    const code = await run(out, 'npm', ['run', '-s', 'size'], { cpuFile });
    if (code === 0) return 'ok';
    out.line(`test: size failed (exit ${code}); counted as 1 failed`);
    totals.failed++;
    return 'failed';
  });

  // The lanes: each runs its steps one after another; the lanes run at the same time. The build
  // comes first in its lane so that the end-to-end tests (the longest step) start early; the
  // CPU-bound static checks share the machine with the node tests, which mostly wait.
  const lanes = SERIAL
    ? [[typecheck, lint, manifest, nodeTests, build, browserTests, e2eTests, size]]
    : [
        [build, e2eTests, size],
        [nodeTests, browserTests],
        [typecheck, lint, manifest],
      ];
  await Promise.all(lanes.map(async (lane) => {
    for (const entry of lane) await entry.start();
  }));
  printInOrder();
}

// Summary -------------------------------------------------------------------------------------------
// `total` is the wall time of the whole run (the steps overlap, so it is less than their sum).
log(bannerLine('summary'));
for (const [name, status, seconds] of summary.filter(Boolean)) {
  log(`  ${status.padEnd(8)} ${name.padEnd(16)} ${seconds.toFixed(1).padStart(6)}s`);
}
const total = (performance.now() - runStart) / 1000;
log(`  total ${total.toFixed(1)}s`);
log('');
log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exitCode = totals.failed > 0 ? 1 : 0;
