// Shared by run-node-tests.mjs and test.mjs: the *.test.ts files under a folder, recursively
// (Node 20's --test cannot find .ts files or expand globs by itself).
import { readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(fileURLToPath(import.meta.url), '../..');

/**
 * Repo-relative paths (forward slashes, sorted) of `<dir>/**\/*.test.ts`; [] if dir is missing.
 * A single `*.test.ts` file names just itself (`run-node-tests.mjs test/e2e/notes.test.ts`).
 */
export function listTestFiles(dir, root = ROOT) {
  const abs = resolve(root, dir);
  try {
    if (statSync(abs).isFile()) return abs.endsWith('.test.ts') ? [relative(root, abs).split('\\').join('/')] : [];
    if (!statSync(abs).isDirectory()) return [];
  } catch {
    return [];
  }
  return readdirSync(abs, { recursive: true })
    .map((entry) => String(entry))
    .filter((entry) => entry.endsWith('.test.ts') && !entry.split(/[\\/]/).includes('node_modules'))
    .map((entry) => relative(root, join(abs, entry)).split('\\').join('/'))
    .sort();
}
