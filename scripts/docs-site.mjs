#!/usr/bin/env node
// `npm run docs`: the documentation as a static site in docs-site/ (git-ignored), built from
// README.md and docs/*.md with `marked` (no network): one HTML page per markdown file, a
// navigation on every page, GitHub-style heading ids (so `page.md#section` links keep working),
// links between the pages rewritten to `.html`, the screenshots copied, and links to files outside
// docs/ (sources, demo pages) sent to the repository (package.json `repository`).
// test/server/docs-site.test.ts builds it into a temp dir and checks every internal link.
//
// Usage: node scripts/docs-site.mjs [outDir]
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, posix, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { Marked } from 'marked';

const root = resolve(fileURLToPath(import.meta.url), '../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
/** `https://github.com/owner/repo` from package.json (`git+https://…/repo.git`). */
export const REPOSITORY = String(pkg.repository?.url ?? pkg.repository ?? '')
  .replace(/^git\+/, '')
  .replace(/\.git$/, '');

/** The navigation: [group, [file (relative to docs/, or README.md), title]]. Pages not named here go under "More". */
const NAV = [
  ['Start', [['README.md', 'Overview'], ['frameworks.md', 'React, Vue, Angular, HTML'], ['theming.md', 'Theming'], ['security.md', 'Security and CSP'], ['size.md', 'Bundle sizes']]],
  [
    'Elements',
    [
      ['chat-window.md', '<chat-window>'],
      ['chat-dashboard.md', '<chat-dashboard>'],
      ['chat-session-list.md', '<chat-session-list>'],
      ['chat-conversation.md', '<chat-conversation>'],
      ['chat-message-list.md', '<chat-message-list>'],
      ['chat-composer.md', '<chat-composer>'],
      ['chat-contact-panel.md', '<chat-contact-panel>'],
      ['chat-connection-status.md', '<chat-connection-status>'],
      ['chat-visitor.md', '<chat-visitor>'],
      ['chat-channel-settings.md', '<chat-channel-settings>'],
    ],
  ],
  ['Guides', [['agent-tools.md', 'Agent tools'], ['crm-provider.md', 'CRM provider'], ['superoffice.md', 'SuperOffice adapter'], ['dashboard.md', 'Dashboard statistics'], ['customer-journey.md', 'The customer’s journey'], ['provisioning.md', 'Provisioning'], ['keyboard.md', 'Keyboard']]],
  ['Internals', [['architecture.md', 'Architecture'], ['protocol.md', 'Wire protocol'], ['reliability.md', 'Reliability'], ['benchmarks.md', 'Benchmarks'], ['scaling.md', 'Scaling and Cloudflare'], ['contributing.md', 'Contributing'], ['testing.md', 'Testing']]],
];

/** GitHub's heading ids: lower case, punctuation dropped, spaces to dashes, repeats numbered. */
export function slugger() {
  const seen = new Map();
  return (text) => {
    const base = text
      .toLowerCase()
      .trim()
      .replace(/[^\p{L}\p{N}\- _]/gu, '')
      .replace(/ /g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return n === 0 ? base : `${base}-${n}`;
  };
}

const htmlName = (md) => (md === 'README.md' ? 'index.html' : md.replace(/\.md$/, '.html'));
const escape = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A link as found in `file` (README.md or docs/x.md) → its href on the site. */
function rewriteHref(href, file) {
  if (/^(mailto:|tel:|#)/.test(href)) return href;
  // The README links into the repository with absolute URLs (they have to work on the npm registry's page).
  const repoFile = REPOSITORY ? [`${REPOSITORY}/blob/main/`, `${REPOSITORY}/raw/main/`].find((p) => href.startsWith(p)) : undefined;
  let path = href;
  if (repoFile) path = href.slice(repoFile.length);
  else if (/^[a-z]+:/i.test(href)) return href;
  else path = posix.normalize(posix.join(file === 'README.md' ? '' : 'docs', href));
  const [target, hash] = path.split('#');
  if (target === 'README.md') return `index.html${hash ? `#${hash}` : ''}`;
  if (target?.startsWith('docs/') && target.endsWith('.md') && !target.slice(5).includes('/')) return `${htmlName(target.slice(5))}${hash ? `#${hash}` : ''}`;
  if (target?.startsWith('docs/screenshots/')) return target.slice(5);
  // Anything else (sources, demo pages, themes) lives in the repository.
  return `${REPOSITORY}/blob/main/${path}`;
}

function render(markdown, file) {
  const slug = slugger();
  let title = '';
  const marked = new Marked({
    gfm: true,
    walkTokens(token) {
      if (token.type === 'link' || token.type === 'image') token.href = rewriteHref(token.href, file);
    },
    renderer: {
      heading({ tokens, depth, text }) {
        const inner = this.parser.parseInline(tokens);
        if (depth === 1 && !title) title = text.replace(/`/g, '');
        const id = slug(inner.replace(/<[^>]*>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/&#39;/g, "'"));
        return `<h${depth} id="${escape(id)}">${inner}</h${depth}>\n`;
      },
    },
  });
  // Generated-section markers are for the generator, not the reader.
  const html = marked.parse(markdown.replace(/<!-- (api|tokens):(start|end)[^>]*-->\n?/g, ''));
  return { html, title: title || file };
}

function page({ title, html, current }) {
  const nav = NAV.map(
    ([group, items]) =>
      `<h2>${escape(group)}</h2><ul>${items
        .map(([md, label]) => `<li><a href="${htmlName(md)}"${md === current ? ' aria-current="page"' : ''}>${escape(label)}</a></li>`)
        .join('')}</ul>`,
  ).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)} · crm-chat-elements</title>
<link rel="stylesheet" href="site.css">
</head>
<body>
<a class="skip" href="#main">Skip to the content</a>
<nav aria-label="Documentation"><p class="brand"><a href="index.html">crm-chat-elements</a></p>
${nav}
<p class="repo"><a href="${escape(REPOSITORY)}">Repository</a></p></nav>
<main id="main">
${html}</main>
</body>
</html>
`;
}

const CSS = `:root { color-scheme: light; --accent: #1d5fbf; --text: #1b2431; --muted: #556070; --line: #d3d9e1; }
* { box-sizing: border-box; }
body { margin: 0; display: grid; grid-template-columns: 16rem minmax(0, 1fr); color: var(--text);
  font: 16px/1.55 system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif; }
nav { position: sticky; top: 0; height: 100vh; overflow: auto; padding: 1rem 1.25rem; border-right: 1px solid var(--line); background: #f3f5f8; font-size: 0.9rem; }
nav h2 { margin: 1.25rem 0 0.25rem; color: var(--muted); font-size: 0.75rem; letter-spacing: 0.08em; text-transform: uppercase; }
nav ul { margin: 0; padding: 0; list-style: none; }
nav li a { display: block; padding: 0.2rem 0.4rem; border-radius: 4px; color: var(--text); text-decoration: none; }
nav li a:hover { background: #e6eefa; }
nav a[aria-current='page'] { background: var(--accent); color: #fff; }
.brand a { color: var(--accent); font-weight: 700; font-size: 1.05rem; text-decoration: none; }
main { max-width: 60rem; padding: 1.5rem 2.5rem 4rem; }
a { color: var(--accent); }
:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
.skip { position: absolute; left: -999px; }
.skip:focus { left: 1rem; top: 1rem; z-index: 1; background: #fff; padding: 0.5rem; }
h1, h2, h3 { line-height: 1.25; }
h2 { margin-top: 2.25rem; padding-bottom: 0.25rem; border-bottom: 1px solid var(--line); }
code { padding: 0.1em 0.3em; border-radius: 4px; background: #eef1f5; font-size: 0.9em; }
pre { overflow: auto; padding: 0.9rem 1rem; border-radius: 6px; background: #1f2630; color: #e6e9ee; }
pre code { padding: 0; background: none; color: inherit; }
table { display: block; overflow: auto; border-collapse: collapse; margin: 1rem 0; font-size: 0.9rem; }
th, td { padding: 0.35rem 0.6rem; border: 1px solid var(--line); vertical-align: top; text-align: left; }
th { background: #f3f5f8; }
img { max-width: 100%; height: auto; border: 1px solid var(--line); border-radius: 6px; }
@media (max-width: 48rem) { body { display: block; } nav { position: static; height: auto; border-right: 0; border-bottom: 1px solid var(--line); } main { padding: 1rem; } }
`;

/** Builds the site into `out`; returns the pages written (file names). */
export function buildSite(out = join(root, 'docs-site')) {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(join(out, 'screenshots'), { recursive: true });
  const sources = ['README.md', ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).sort()];
  const listed = new Set(NAV.flatMap(([, items]) => items.map(([md]) => md)));
  const more = sources.filter((f) => !listed.has(f));
  if (more.length) NAV.push(['More', more.map((f) => [f, f.replace(/\.md$/, '')])]);
  const written = [];
  for (const file of sources) {
    const markdown = readFileSync(join(root, file === 'README.md' ? file : join('docs', file)), 'utf8');
    const { html, title } = render(markdown, file);
    writeFileSync(join(out, htmlName(file)), page({ title, html, current: file }));
    written.push(htmlName(file));
  }
  if (more.length) NAV.pop();
  const shots = join(root, 'docs/screenshots');
  if (existsSync(shots)) for (const f of readdirSync(shots)) copyFileSync(join(shots, f), join(out, 'screenshots', basename(f)));
  writeFileSync(join(out, 'site.css'), CSS);
  return written;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = resolve(root, process.argv[2] ?? 'docs-site');
  const written = buildSite(out);
  console.log(`docs: ${written.length} pages in ${out}/ (open index.html)`);
}
