/**
 * Localization completeness: every string shown by the elements has an explicit id and a Swedish
 * translation with the same placeholders, and no translation is left without a source string.
 * (Lives with the node tests: it reads the source tree.)
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const ROOT = join(import.meta.dirname, '../..');

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map((f) => join(ROOT, dir, f));
}

/** msg() calls in the source: id → number of placeholders. */
function sourceMessages(): { ids: Map<string, number>; withoutId: string[] } {
  const ids = new Map<string, number>();
  const withoutId: string[] = [];
  for (const file of sourceFiles('src')) {
    if (file.includes(join('src', 'i18n', 'sv')) || file.includes(join('src', 'i18n', 'locales'))) continue;
    const text = readFileSync(file, 'utf8');
    // msg('…', { id: '…' }) or msg(str`…`, { id: '…' }), possibly over several lines.
    const re = /\bmsg\(\s*(str`(?:[^`\\]|\\.)*`|'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|`(?:[^`\\]|\\.)*`)\s*(,\s*\{[^}]*\})?\s*\)/g;
    for (const m of text.matchAll(re)) {
      const body = m[1] ?? '';
      const idMatch = /id:\s*'([^']+)'/.exec(m[2] ?? '');
      if (!idMatch?.[1]) {
        withoutId.push(`${file.slice(ROOT.length + 1)}: ${body.slice(0, 60)}`);
        continue;
      }
      ids.set(idMatch[1], (body.match(/\$\{/g) ?? []).length);
    }
  }
  return { ids, withoutId };
}

/** Swedish catalogs: id → number of placeholders. */
function swedish(): Map<string, number> {
  const out = new Map<string, number>();
  for (const file of sourceFiles(join('src', 'i18n', 'sv'))) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^\s*'([\w.-]+)':\s*(str`(?:[^`\\]|\\.)*`|'(?:[^'\\]|\\.)*')/gm)) {
      const id = m[1] ?? '';
      assert.ok(!out.has(id), `Swedish id ${id} is defined twice`);
      out.set(id, ((m[2] ?? '').match(/\$\{\d+\}/g) ?? []).length);
    }
  }
  return out;
}

test('every msg() has an explicit id', () => {
  assert.deepEqual(sourceMessages().withoutId, []);
});

test('every string has a Swedish translation with the same placeholders', () => {
  const { ids } = sourceMessages();
  const sv = swedish();
  assert.ok(ids.size > 0, 'no localized strings found: the scan is broken');
  const missing = [...ids.keys()].filter((id) => !sv.has(id));
  assert.deepEqual(missing, [], `missing Swedish strings: ${missing.join(', ')}`);
  const mismatched = [...ids].filter(([id, n]) => sv.get(id) !== n).map(([id]) => id);
  assert.deepEqual(mismatched, [], `placeholders differ: ${mismatched.join(', ')}`);
});

test('no Swedish string is left without its source', () => {
  const { ids } = sourceMessages();
  const orphans = [...swedish().keys()].filter((id) => !ids.has(id));
  assert.deepEqual(orphans, [], `translations without a source string: ${orphans.join(', ')}`);
});

test('every catalog is merged into the Swedish locale module', () => {
  const merged = readFileSync(join(ROOT, 'src/i18n/locales/sv.ts'), 'utf8');
  for (const file of readdirSync(join(ROOT, 'src/i18n/sv'))) {
    const name = file.replace(/\.ts$/, '');
    assert.match(merged, new RegExp(`from '\\.\\./sv/${name}\\.js'`), `${file} is not imported by src/i18n/locales/sv.ts`);
  }
});
