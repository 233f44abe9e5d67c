#!/usr/bin/env node
// `npm run -s docs:options`: writes the options table of docs/operations.md (between its
// `<!-- options:start -->` and `<!-- options:end -->` markers) from server/node/options.ts, the
// list the server parses. test/server/options.test.ts fails when the file is not up to date.
//   node --import tsx scripts/docs-options.mjs [--check]
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { optionsMarkdown } from '../server/node/options.ts';

const file = join(fileURLToPath(new URL('..', import.meta.url)), 'docs/operations.md');
const text = readFileSync(file, 'utf8');
const re = /(<!-- options:start -->\n)[\s\S]*?(<!-- options:end -->)/;
if (!re.test(text)) {
  console.error('docs/operations.md has no <!-- options:start --> … <!-- options:end --> markers');
  process.exit(1);
}
const next = text.replace(re, `$1${optionsMarkdown()}\n$2`);
if (process.argv.includes('--check')) {
  if (next !== text) {
    console.error('docs/operations.md: the options table is out of date: run npm run -s docs:options');
    process.exit(1);
  }
} else if (next !== text) {
  writeFileSync(file, next);
  console.log('docs/operations.md: options table written');
} else console.log('docs/operations.md: options table up to date');
