// node:test reporter (Node 20+) that emits one JSON object {passed, failed, skipped} at the end.
// Used by scripts/run-node-tests.mjs with --test-reporter-destination=.test-results/<name>.json.
// Only leaf tests are counted: suites (describe) report data.details.type === 'suite' and are
// skipped, as are tests that contain subtests (their result only mirrors the children).
// skip and todo tests count as skipped. A file that fails outside any test (import error, crash)
// shows up as a failing file-level test, so it counts as 1 failed.
export default async function* countReporter(source) {
  const counts = { passed: 0, failed: 0, skipped: 0 };
  // Subtest results arrive before their parent's: a test whose next deeper level already had
  // results is a parent, not a leaf. Tracked per file in case files run concurrently.
  // childSeen[nesting] = a test at nesting+1 finished since the last test at `nesting` did.
  const childSeenByFile = new Map();
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const { data } = event;
    const nesting = data.nesting ?? 0;
    const fileKey = data.file ?? '';
    let childSeen = childSeenByFile.get(fileKey);
    if (!childSeen) childSeenByFile.set(fileKey, (childSeen = []));
    const hasChildren = childSeen[nesting] === true;
    childSeen[nesting] = false;
    if (nesting > 0) childSeen[nesting - 1] = true;
    if (data.details?.type === 'suite') continue;
    if (hasChildren && event.type === 'test:pass') continue;
    if (hasChildren && event.type === 'test:fail') {
      // A parent test fails when a child failed (already counted) or when its own body threw
      // after the subtests. Count it only in the second case.
      if (data.details?.error?.failureType === 'subtestsFailed') continue;
    }
    if (data.skip !== undefined && data.skip !== false) counts.skipped++;
    else if (data.todo !== undefined && data.todo !== false) counts.skipped++;
    else if (event.type === 'test:pass') counts.passed++;
    else counts.failed++;
  }
  yield `${JSON.stringify(counts)}\n`;
}
