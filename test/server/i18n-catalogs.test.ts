/**
 * Localization completeness: every string shown by the elements has an explicit id, and every
 * language (src/i18n/<locale>/: Swedish, Norwegian Bokmål, Danish, German, Finnish) translates
 * every one of them with the same placeholders, and no translation is left without a source
 * string. Each language's catalogs are merged into src/i18n/locales/<locale>.ts, which
 * localization.ts loads for it. (Lives with the node tests: it reads the source tree.)
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const ROOT = join(import.meta.dirname, '../..');
const I18N = join(ROOT, 'src', 'i18n');

/** The languages besides English, from localization.ts (CHAT_LOCALES). */
const LOCALES = (() => {
  const text = readFileSync(join(I18N, 'localization.ts'), 'utf8');
  const list = /CHAT_LOCALES = \[([^\]]*)\]/.exec(text)?.[1] ?? '';
  return [...list.matchAll(/'([a-z]{2,3})'/g)].map((m) => m[1] ?? '').filter((l) => l !== 'en');
})();

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map((f) => join(ROOT, dir, f));
}

/** Placeholder indexes of a template, e.g. `${0} of ${1}` → '0,1'. */
const placeholders = (body: string) => [...new Set([...body.matchAll(/\$\{(\d+)\}/g)].map((m) => Number(m[1])))].sort().join(',');

/** msg() calls in the source: id → placeholder indexes (the n-th expression is `${n}`). */
function sourceMessages(): { ids: Map<string, string>; withoutId: string[] } {
  const ids = new Map<string, string>();
  const withoutId: string[] = [];
  const catalogs = [join('src', 'i18n', 'locales'), ...LOCALES.map((l) => join('src', 'i18n', l))];
  for (const file of sourceFiles('src')) {
    if (catalogs.some((dir) => file.includes(join(ROOT, dir)))) continue;
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
      let n = 0;
      ids.set(idMatch[1], placeholders(body.replace(/\$\{[^}]*\}/g, () => `\${${String(n++)}}`)));
    }
  }
  return { ids, withoutId };
}

/** One language's catalogs: id → placeholder indexes. */
function catalog(locale: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const file of sourceFiles(join('src', 'i18n', locale))) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^\s*'([\w.-]+)':\s*(str`(?:[^`\\]|\\.)*`|'(?:[^'\\]|\\.)*')/gm)) {
      const id = m[1] ?? '';
      assert.ok(!out.has(id), `${locale}: id ${id} is defined twice`);
      assert.ok((m[2] ?? '').trim().length > 3, `${locale}: ${id} is empty`);
      out.set(id, placeholders(m[2] ?? ''));
    }
  }
  return out;
}

const { ids, withoutId } = sourceMessages();

test('the languages are the five of CHAT_LOCALES, each with a folder of catalogs', () => {
  assert.deepEqual([...LOCALES].sort(), ['da', 'de', 'fi', 'nb', 'sv']);
  for (const locale of LOCALES) assert.ok(existsSync(join(I18N, locale)), `src/i18n/${locale}/ is missing`);
});

test('every msg() has an explicit id', () => {
  assert.deepEqual(withoutId, []);
  assert.ok(ids.size > 500, `only ${String(ids.size)} localized strings found: the scan is broken`);
});

for (const locale of LOCALES) {
  test(`${locale}: every string is translated, with the same placeholders, and none is left over`, () => {
    const translated = catalog(locale);
    const missing = [...ids.keys()].filter((id) => !translated.has(id));
    assert.deepEqual(missing, [], `missing ${locale} strings: ${missing.join(', ')}`);
    const mismatched = [...ids].filter(([id, p]) => translated.get(id) !== p).map(([id]) => id);
    assert.deepEqual(mismatched, [], `${locale}: placeholders differ: ${mismatched.join(', ')}`);
    const unused = [...translated.keys()].filter((id) => !ids.has(id));
    assert.deepEqual(unused, [], `${locale}: translations without a source string: ${unused.join(', ')}`);
  });

  test(`${locale}: every catalog is merged into src/i18n/locales/${locale}.ts, which localization.ts loads`, () => {
    const merged = readFileSync(join(I18N, 'locales', `${locale}.ts`), 'utf8');
    for (const file of readdirSync(join(I18N, locale))) {
      const name = file.replace(/\.ts$/, '');
      assert.match(merged, new RegExp(`from '\\.\\./${locale}/${name}\\.js'`), `${file} is not imported by src/i18n/locales/${locale}.ts`);
    }
    assert.match(readFileSync(join(I18N, 'localization.ts'), 'utf8'), new RegExp(`${locale}: \\(\\) => import\\('\\./locales/${locale}\\.js'\\)`));
  });
}
