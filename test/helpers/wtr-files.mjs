// The browser test folders, shared by web-test-runner.config.mjs and scripts/test.mjs so that the
// "are there any browser tests yet?" check and the runner's glob can never disagree.
// test/server and test/e2e run under node --test and must never be picked up by the browser runner.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

export const BROWSER_TEST_DIRS = ['components', 'state', 'transport', 'protocol', 'internal', 'i18n', 'crm'];

export const BROWSER_TEST_GLOB = `test/{${BROWSER_TEST_DIRS.join(',')}}/**/*.test.ts`;

/** Browser test files that exist now (paths relative to `root`, with forward slashes). */
export function listBrowserTestFiles(root = process.cwd()) {
  const files = [];
  for (const dir of BROWSER_TEST_DIRS) {
    const abs = join(root, 'test', dir);
    let entries;
    try {
      entries = readdirSync(abs, { recursive: true });
    } catch {
      continue; // folder does not exist yet
    }
    for (const entry of entries) {
      const rel = String(entry).split('\\').join('/');
      if (rel.endsWith('.test.ts') && !rel.split('/').includes('node_modules')) {
        files.push(`test/${dir}/${rel}`);
      }
    }
  }
  return files.sort();
}
