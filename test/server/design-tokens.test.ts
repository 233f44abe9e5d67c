/**
 * Design tokens are public API (docs/theming.md): every `--chat-*` custom property that the
 * elements' CSS reads (`var(--chat-…)`) or that a theme file sets is listed in
 * custom-elements.json (on its element, or on ChatElement for the global ones) and documented
 * in docs/ (the generated API tables and theming.md's global tokens); and nothing is listed or
 * documented that no CSS reads. (Lives with the node tests: it reads the source tree.)
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const ROOT = join(import.meta.dirname, '../..');

function files(dir: string, ext: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true })
    .map(String)
    .filter((f) => f.endsWith(ext))
    .map((f) => join(ROOT, dir, f));
}

function matches(texts: string[], re: RegExp): Set<string> {
  const out = new Set<string>();
  for (const text of texts) for (const m of text.matchAll(re)) out.add(m[1] ?? '');
  return out;
}

const source = files('src', '.ts').map((f) => readFileSync(f, 'utf8'));
const themes = files('themes', '.css').map((f) => readFileSync(f, 'utf8'));
/** Read by the elements' CSS. */
const read = matches(source, /var\(\s*(--chat-[a-z0-9-]+)/g);
/** Set by a theme file. */
const set = matches(themes, /^\s*(--chat-[a-z0-9-]+)\s*:/gm);

interface Manifest {
  modules: { declarations?: { name: string; cssProperties?: { name: string }[] }[] }[];
}
const manifest = JSON.parse(readFileSync(join(ROOT, 'custom-elements.json'), 'utf8')) as Manifest;
const listed = new Set(manifest.modules.flatMap((m) => m.declarations ?? []).flatMap((d) => (d.cssProperties ?? []).map((p) => p.name)));
const docs = files('docs', '.md').map((f) => readFileSync(f, 'utf8')).join('\n');

test('the scan finds the tokens (it would pass vacuously otherwise)', () => {
  assert.ok(read.size > 50, `only ${String(read.size)} tokens read by the CSS`);
  assert.ok(set.size > 10, `only ${String(set.size)} tokens set by the themes`);
  assert.ok(read.has('--chat-color-accent'));
});

test('every token the CSS reads or a theme sets is listed in custom-elements.json', () => {
  const missing = [...new Set([...read, ...set])].filter((t) => !listed.has(t)).sort();
  assert.deepEqual(missing, [], `add a @cssprop to the element (or to ChatElement for a global token) for: ${missing.join(', ')}`);
});

test('every token the CSS reads or a theme sets is documented', () => {
  const missing = [...new Set([...read, ...set])].filter((t) => !docs.includes(`\`${t}\``)).sort();
  assert.deepEqual(missing, [], `not in docs/ (npm run docs:api writes the tables): ${missing.join(', ')}`);
});

test('every token listed in the manifest is read by some CSS', () => {
  const unused = [...listed].filter((t) => !read.has(t)).sort();
  assert.deepEqual(unused, [], `listed but read by no CSS: ${unused.join(', ')}`);
});

test('a theme sets only tokens the elements read', () => {
  const unread = [...set].filter((t) => !read.has(t)).sort();
  assert.deepEqual(unread, [], `set by a theme but read by no element: ${unread.join(', ')}`);
});
