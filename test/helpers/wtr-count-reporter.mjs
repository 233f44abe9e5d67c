// web-test-runner reporter that writes the run's counts as JSON for scripts/test.mjs:
//   .test-results/browser.json  ->  {"passed": N, "failed": N, "skipped": N}
// It prints nothing; defaultReporter does the human-readable output.
// A test file that produced no results and failed (import error, crash, timeout) counts as 1 failed,
// because web-test-runner's own summary does not count it at all.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

function count(suite, acc) {
  if (!suite) return acc;
  for (const t of suite.tests) {
    if (t.skipped) acc.skipped++;
    else if (t.passed) acc.passed++;
    else acc.failed++;
  }
  for (const s of suite.suites) count(s, acc);
  return acc;
}

export function countReporter({ outFile = '.test-results/browser.json' } = {}) {
  const target = resolve(outFile);
  return {
    onTestRunFinished({ sessions }) {
      const acc = { passed: 0, failed: 0, skipped: 0 };
      for (const session of sessions) {
        const before = acc.passed + acc.failed + acc.skipped;
        count(session.testResults, acc);
        const found = acc.passed + acc.failed + acc.skipped - before;
        if (found === 0 && (session.errors?.length || session.passed === false)) acc.failed++;
      }
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, `${JSON.stringify(acc)}\n`);
    },
  };
}
