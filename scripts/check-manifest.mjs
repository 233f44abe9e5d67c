#!/usr/bin/env node
// `npm run manifest:check`: is the committed custom-elements.json what the analyzer produces now?
// Runs `cem analyze` with custom-elements-manifest.config.mjs into a temp dir, compares the two
// manifests as parsed JSON, and checks that every custom element declaration has a @summary.
// Then the docs generated from it: every element has a page whose API tables (and theming.md's
// global tokens) are what scripts/docs-api.mjs makes of the manifest now.
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { fileURLToPath } from 'node:url';

import { pages } from './docs-api.mjs';

const root = resolve(fileURLToPath(import.meta.url), '../..');
const committedPath = join(root, 'custom-elements.json');
const tmp = mkdtempSync(join(tmpdir(), 'cem-check-'));

function fail(message) {
  console.error(`manifest:check: ${message}`);
  process.exitCode = 1;
}

try {
  // The analyzer joins --outdir onto cwd, so an absolute path must be passed relative to root.
  const cem = join(root, 'node_modules', '@custom-elements-manifest', 'analyzer', 'cem.js');
  const run = spawnSync(
    process.execPath,
    [cem, 'analyze', '--config', 'custom-elements-manifest.config.mjs', '--outdir', relative(root, tmp), '--quiet'],
    { cwd: root, encoding: 'utf8' },
  );
  if (run.status !== 0 || !existsSync(join(tmp, 'custom-elements.json'))) {
    process.stdout.write(run.stdout ?? '');
    process.stderr.write(run.stderr ?? '');
    fail(`cem analyze failed (exit ${run.status})`);
  } else {
    const fresh = JSON.parse(readFileSync(join(tmp, 'custom-elements.json'), 'utf8'));
    if (!existsSync(committedPath)) {
      fail('custom-elements.json is missing: run npm run analyze and commit it');
    } else if (!isDeepStrictEqual(JSON.parse(readFileSync(committedPath, 'utf8')), fresh)) {
      fail('custom-elements.json is stale: run npm run analyze and commit it');
    }
    const missing = [];
    for (const mod of fresh.modules ?? []) {
      for (const decl of mod.declarations ?? []) {
        if (decl.customElement && !decl.summary?.trim()) {
          missing.push(`${decl.tagName ?? decl.name} (${mod.path})`);
        }
      }
    }
    if (missing.length > 0) {
      fail(`custom element(s) without a JSDoc @summary: ${missing.join(', ')}`);
    }
    try {
      const stale = pages(fresh).filter(([, now, expected]) => now !== expected);
      if (stale.length > 0) fail(`stale API tables in ${stale.map(([f]) => f).join(', ')}: run npm run docs:api and commit`);
    } catch (error) {
      fail(error instanceof Error ? error.message : String(error));
    }
    if (!process.exitCode) {
      const elements = (fresh.modules ?? []).flatMap((m) => m.declarations ?? []).filter((d) => d.customElement && d.tagName);
      console.log(`manifest:check: custom-elements.json and the API tables of the docs are up to date (${elements.length} custom element(s))`);
    }
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
