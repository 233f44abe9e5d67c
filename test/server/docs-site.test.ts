/**
 * The documentation site (`npm run docs`, scripts/docs-site.mjs): it builds offline from README.md
 * and docs/*.md, has a page for every markdown file and every element, and every link on it
 * works: pages and anchors inside the site, and links into the repository (sources, demo pages)
 * name files that exist. (Lives with the node tests: it reads the source tree.)
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';

import { buildSite, REPOSITORY } from '../../scripts/docs-site.mjs';

const ROOT = join(import.meta.dirname, '../..');
const out = mkdtempSync(join(tmpdir(), 'docs-site-'));
after(() => {
  rmSync(out, { recursive: true, force: true });
});

const written = buildSite(out);
const repository = REPOSITORY;
const html = new Map(written.map((f) => [f, readFileSync(join(out, f), 'utf8')]));
const ids = (text: string) => new Set([...text.matchAll(/\sid="([^"]*)"/g)].map((m) => m[1] ?? ''));

test('a page for the README, every markdown file in docs/ and every element', () => {
  const docs = readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md'));
  assert.ok(html.has('index.html'));
  for (const f of docs) assert.ok(html.has(f.replace(/\.md$/, '.html')), `${f} has no page`);
  for (const tag of readdirSync(join(ROOT, 'src/components'))) {
    const page = html.get(`${tag}.html`);
    assert.ok(page, `<${tag}> has no page`);
    for (const section of ['properties-and-attributes', 'events-1', 'css-parts', 'css-custom-properties', 'custom-states']) {
      if (section === 'events-1' && !page.includes('id="events-in-practice"')) continue;
      assert.ok(ids(page).has(section) || ids(page).has(section.replace(/-1$/, '')), `${tag}.html has no #${section}`);
    }
  }
});

test('the README links work on the npm registry page: absolute URLs into the repository', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const links = [...readme.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1] ?? '');
  assert.ok(links.length > 10);
  const relative = links.filter((l) => !/^(https?:|mailto:|#)/.test(l));
  // One repository: package.json's (the site and the registry page link there).
  const elsewhere = links.filter((l) => l.startsWith('https://github.com/') && !l.startsWith(`${repository}/`));
  assert.deepEqual(elsewhere, [], `README links to another repository than package.json's ${repository}`);
  assert.deepEqual(relative, [], `relative links break on the registry page: ${relative.join(', ')}`);
  const missing = links
    .filter((l) => l.startsWith(`${repository}/blob/main/`) || l.startsWith(`${repository}/raw/main/`))
    .map((l) => decodeURIComponent(l.replace(/^.*?\/(?:blob|raw)\/main\//, '').split('#')[0] ?? ''))
    .filter((path) => !existsSync(join(ROOT, path)));
  assert.deepEqual(missing, [], `README links to files that do not exist: ${missing.join(', ')}`);
});

test('every link inside the site and into the repository works', () => {
  assert.match(repository, /^https:\/\/github\.com\/[\w.-]+\/[\w.-]+$/);
  const broken: string[] = [];
  let checked = 0;
  for (const [file, text] of html) {
    for (const m of text.matchAll(/\s(?:href|src)="([^"]*)"/g)) {
      const link = (m[1] ?? '').replace(/&amp;/g, '&');
      if (link.startsWith(`${repository}/blob/main/`)) {
        const path = decodeURIComponent(link.slice(`${repository}/blob/main/`.length).split('#')[0] ?? '');
        if (!existsSync(join(ROOT, path))) broken.push(`${file}: ${link} (no ${path} in the repository)`);
        checked++;
        continue;
      }
      if (/^[a-z]+:/i.test(link)) continue; // other sites, mailto:
      const [target = '', hash] = link.split('#');
      const page = target === '' ? file : target;
      checked++;
      if (!existsSync(join(out, page))) {
        broken.push(`${file}: ${link} (no ${page})`);
        continue;
      }
      if (hash && page.endsWith('.html') && !ids(html.get(page) ?? '').has(decodeURIComponent(hash))) broken.push(`${file}: ${link} (no #${hash} in ${page})`);
    }
  }
  assert.ok(checked > 200, `only ${String(checked)} links checked: the scan is broken`);
  assert.deepEqual(broken, [], broken.join('\n'));
});
