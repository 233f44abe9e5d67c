#!/usr/bin/env node
// The API tables of the element pages, generated from custom-elements.json so they cannot drift:
// in docs/<tag>.md everything between `<!-- api:start -->` and `<!-- api:end -->` (properties and
// attributes, methods, events, slots, parts, custom properties, custom states), and in
// docs/theming.md the global tokens between `<!-- tokens:start -->` and `<!-- tokens:end -->`.
//
//   node scripts/docs-api.mjs          rewrite the marked sections (`npm run docs:api`)
//   node scripts/docs-api.mjs --check  exit 1 when a page is missing, unmarked or stale
//                                      (part of `npm run manifest:check`, so of `npm test`)
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(import.meta.url), '../..');
const API = ['<!-- api:start: generated from custom-elements.json by `npm run docs:api`; do not edit -->', '<!-- api:end -->'];
const TOKENS = ['<!-- tokens:start: generated from custom-elements.json by `npm run docs:api`; do not edit -->', '<!-- tokens:end -->'];

/** Text for a table cell: one line, pipes escaped. */
const cell = (text) => (text ?? '').replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|').trim() || '—';
const code = (text) => (text ? `\`${String(text).replace(/\|/g, '\\|')}\`` : '—');
const table = (head, rows) => [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');

function declarations(manifest) {
  return (manifest.modules ?? []).flatMap((m) => (m.declarations ?? []).map((d) => ({ ...d, module: m.path })));
}

/** The shipped module that registers `tag` (the manifest's custom-element-definition export). */
function definitionModule(manifest, tag) {
  for (const m of manifest.modules ?? []) {
    if ((m.exports ?? []).some((e) => e.kind === 'custom-element-definition' && e.name === tag)) return m.path;
  }
  return undefined;
}

const LIFECYCLE = new Set(['render', 'connectedCallback', 'disconnectedCallback', 'firstUpdated', 'updated', 'willUpdate', 'update', 'shouldUpdate', 'createRenderRoot']);

export function apiSection(manifest, d) {
  const own = (list) => (list ?? []).filter((x) => !x.inheritedFrom);
  const members = own(d.members).filter((m) => (m.privacy ?? 'public') === 'public' && !m.static && !LIFECYCLE.has(m.name));
  const fields = members.filter((m) => m.kind === 'field');
  const methods = members.filter((m) => m.kind === 'method');
  const attributes = d.attributes ?? [];
  const out = [API[0], '', '## API', ''];
  const registers = definitionModule(manifest, d.tagName);
  out.push(
    `\`import 'crm-chat-elements/${d.tagName}.js'\` registers \`<${d.tagName}>\`${registers ? ` (\`${registers}\`)` : ''}; the class \`${d.name}\` is exported by \`crm-chat-elements\`.`,
    '',
  );

  out.push('### Properties and attributes', '');
  const rows = fields.map((f) => {
    const attr = attributes.find((a) => a.fieldName === f.name);
    const reflects = f.reflects ? ' (reflected)' : '';
    return [code(f.name), attr ? `${code(attr.name)}${reflects}` : '—', code(f.type?.text), code(f.default), cell(`${f.readonly ? 'Read-only. ' : ''}${f.description ?? ''}`)];
  });
  for (const a of attributes.filter((x) => !x.fieldName || !fields.some((f) => f.name === x.fieldName))) {
    rows.push(['—', code(a.name), code(a.type?.text), code(a.default), cell(a.description)]);
  }
  out.push(rows.length ? table(['property', 'attribute', 'type', 'default', 'description'], rows) : 'None.', '');

  if (methods.length) {
    out.push('### Methods', '');
    out.push(
      table(
        ['method', 'description'],
        methods.map((m) => [
          code(`${m.name}(${(m.parameters ?? []).map((p) => `${p.name}${p.optional ? '?' : ''}${p.type?.text ? `: ${p.type.text}` : ''}`).join(', ')})${m.return?.type?.text ? `: ${m.return.type.text}` : ''}`),
          cell(m.description),
        ]),
      ),
      '',
    );
  }

  out.push('### Events', '');
  const events = d.events ?? [];
  out.push(events.length ? table(['event', 'type', 'description'], events.map((e) => [code(e.name), code(e.type?.text ?? `GlobalEventHandlersEventMap['${e.name}']`), cell(e.description)])) : 'None of its own.', '');

  out.push('### Slots', '');
  const slots = d.slots ?? [];
  out.push(slots.length ? table(['slot', 'description'], slots.map((s) => [s.name ? code(s.name) : '(default)', cell(s.description)])) : 'None.', '');

  out.push('### CSS parts', '');
  const parts = d.cssParts ?? [];
  out.push(parts.length ? table(['part', 'description'], parts.map((p) => [code(p.name), cell(p.description)])) : 'None.', '');

  out.push('### CSS custom properties', '');
  const props = own(d.cssProperties);
  out.push(props.length ? table(['property', 'default', 'description'], props.map((p) => [code(p.name), code(p.default), cell(p.description)])) : 'None of its own.', '');
  const inherited = (d.cssProperties ?? []).filter((p) => p.inheritedFrom);
  if (inherited.length) out.push(`It also reads the ${inherited.length} global tokens (\`--chat-color-accent\`, \`--chat-font-family\`, …) listed in [theming.md](theming.md#global-tokens).`, '');

  out.push('### Custom states', '');
  const states = d.cssStates ?? [];
  out.push(states.length ? table(['state', 'description'], states.map((s) => [code(`:state(${s.name})`), cell(s.description)])) : 'None.', '');

  out.push(API[1]);
  return out.join('\n');
}

export function tokensSection(manifest) {
  const base = declarations(manifest).find((d) => d.name === 'ChatElement');
  const tokens = base?.cssProperties ?? [];
  return [TOKENS[0], '', table(['token', 'default', 'used for'], tokens.map((t) => [code(t.name), code(t.default), cell(t.description)])), '', TOKENS[1]].join('\n');
}

function replaceBetween(text, [start, end], section, file) {
  const marker = start.split(':').slice(0, 2).join(':');
  const from = text.indexOf(marker);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`${file}: no ${marker} … ${end} section`);
  return text.slice(0, from) + section + text.slice(to + end.length);
}

/** [file, current text, expected text] of every generated page. */
export function pages(manifest = JSON.parse(readFileSync(join(root, 'custom-elements.json'), 'utf8'))) {
  const out = [];
  for (const d of declarations(manifest).filter((x) => x.customElement && x.tagName)) {
    const file = join('docs', `${d.tagName}.md`);
    if (!existsSync(join(root, file))) throw new Error(`${file} is missing: every element has a page`);
    const text = readFileSync(join(root, file), 'utf8');
    out.push([file, text, replaceBetween(text, API, apiSection(manifest, d), file)]);
  }
  const theming = join('docs', 'theming.md');
  const text = readFileSync(join(root, theming), 'utf8');
  out.push([theming, text, replaceBetween(text, TOKENS, tokensSection(manifest), theming)]);
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes('--check');
  let list;
  try {
    list = pages();
  } catch (error) {
    console.error(`docs-api: ${error.message}`);
    process.exit(1);
  }
  const stale = list.filter(([, now, expected]) => now !== expected);
  if (check) {
    if (stale.length) {
      console.error(`docs-api: stale API tables in ${stale.map(([f]) => f).join(', ')}: run npm run docs:api and commit`);
      process.exit(1);
    }
    console.log(`docs-api: the API tables of ${list.length} pages match custom-elements.json`);
  } else {
    for (const [file, , expected] of stale) writeFileSync(join(root, file), expected);
    console.log(`docs-api: ${stale.length} of ${list.length} pages rewritten`);
  }
}
