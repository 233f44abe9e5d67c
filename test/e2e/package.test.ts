/**
 * The built package as an integrator gets it (after `npm run build`; `npm test` builds before
 * this step): every export of package.json exists, the manifest points at shipped dist/ modules
 * with a module that registers each tag, the framework typings list every element, every
 * source map embeds its sources (src/ is not shipped), and a bundler that imports one element's
 * entry gets that element and what it renders, nothing more (docs/size.md has the sizes).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { bundleEntry } from '../../scripts/bundle-entry.mjs';
import { assertBuilt, ROOT } from './helpers.js';

assertBuilt();

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  exports: Record<string, string | Record<string, string>>;
  typesVersions?: Record<string, Record<string, string[]>>;
  files: string[];
  repository?: { url?: string };
  homepage?: string;
  bugs?: { url?: string };
  keywords?: string[];
};
const TAGS = readdirSync(join(ROOT, 'src/components')).sort();

test('package.json: an entry per element, and every export exists', () => {
  for (const tag of TAGS) assert.ok(pkg.exports[`./${tag}.js`], `no crm-chat-elements/${tag}.js export`);
  for (const [name, target] of Object.entries(pkg.exports)) {
    if (name.includes('*')) continue;
    for (const file of typeof target === 'string' ? [target] : Object.values(target)) {
      assert.ok(existsSync(join(ROOT, file)), `export ${name}: ${file} does not exist`);
    }
  }
  // TypeScript's older "node" resolution reads no "exports": typesVersions names the same types.
  for (const [name, target] of Object.entries(pkg.exports)) {
    if (name === '.' || typeof target === 'string' || !target.types) continue;
    assert.deepEqual(pkg.typesVersions?.['*']?.[name.slice(2)], [target.types], `typesVersions lacks ${name}`);
  }
  assert.match(pkg.repository?.url ?? '', /^git\+https:\/\/github\.com\/.+\.git$/);
  assert.match(pkg.homepage ?? '', /^https:\/\//);
  assert.match(pkg.bugs?.url ?? '', /^https:\/\//);
  assert.ok((pkg.keywords ?? []).includes('web-components'));
});

test('npm pack: the licence, the README, the manifest, dist/ and the themes; no sources or tests', () => {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const [packed] = JSON.parse(execFileSync(npm, ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })) as [{ files: { path: string }[] }];
  const files = packed.files.map((f) => f.path);
  for (const file of ['LICENSE', 'README.md', 'package.json', 'custom-elements.json', 'dist/index.js', 'dist/cdn/chat.js', 'dist/cdn/chat-visitor.js', 'dist/types/react.d.ts', 'themes/dark.css']) {
    assert.ok(files.includes(file), `the package lacks ${file}`);
  }
  const unwanted = files.filter((f) => /^(src|test|demo|docs|bench|server|scripts)\//.test(f));
  assert.deepEqual(unwanted.slice(0, 5), [], `${String(unwanted.length)} files that are not for integrators`);
});

test('custom-elements.json names shipped modules and the module that registers each tag', () => {
  interface Mod {
    path: string;
    exports?: { kind: string; name: string; declaration: { name: string; module?: string } }[];
  }
  const manifest = JSON.parse(readFileSync(join(ROOT, 'custom-elements.json'), 'utf8')) as { modules: Mod[] };
  const text = JSON.stringify(manifest);
  assert.doesNotMatch(text, /"(path|module)":"\/?src\//, 'the manifest still names src/ modules');
  for (const mod of manifest.modules) assert.ok(existsSync(join(ROOT, mod.path)), `${mod.path} is not shipped`);
  for (const tag of TAGS) {
    const definition = manifest.modules.flatMap((m) => (m.exports ?? []).map((e) => ({ m, e }))).find(({ e }) => e.kind === 'custom-element-definition' && e.name === tag);
    assert.ok(definition, `no custom-element-definition for <${tag}>`);
    assert.equal(definition.m.path, `dist/components/${tag}/${tag}.js`);
    assert.ok(existsSync(join(ROOT, definition.e.declaration.module ?? '')), `<${tag}>: ${String(definition.e.declaration.module)} missing`);
  }
});

test('the React and Vue typings list every element', () => {
  const react = readFileSync(join(ROOT, 'dist/types/react.d.ts'), 'utf8');
  const vue = readFileSync(join(ROOT, 'dist/types/vue.d.ts'), 'utf8');
  assert.match(react, /declare module 'react' \{\n {2}namespace JSX \{\n {4}interface IntrinsicElements \{/);
  assert.match(vue, /declare module 'vue' \{\n {2}interface GlobalComponents \{/);
  for (const tag of TAGS) {
    assert.ok(react.includes(`'${tag}': `), `react.d.ts lacks <${tag}>`);
    assert.ok(vue.includes(`'${tag}': DefineComponent<`), `vue.d.ts lacks <${tag}>`);
  }
  assert.ok(react.includes("'onchat-message-send'?: (event: GlobalEventHandlersEventMap['chat-message-send']) => void;"));
  assert.ok(vue.includes("onChatMessageSend?: (event: GlobalEventHandlersEventMap['chat-message-send']) => void;"));
});

test('every source map embeds the text of every source', () => {
  const maps = readdirSync(join(ROOT, 'dist'), { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.js.map'));
  assert.ok(maps.length > 100, `only ${String(maps.length)} source maps in dist/`);
  assert.ok(maps.includes(join('cdn', 'chat.js.map')) && maps.includes(join('cdn', 'chat-visitor.js.map')), 'the CDN bundles have no maps');
  const without: string[] = [];
  for (const file of maps) {
    const map = JSON.parse(readFileSync(join(ROOT, 'dist', file), 'utf8')) as { sources: string[]; sourcesContent?: (string | null)[] };
    map.sources.forEach((source, i) => {
      if (typeof map.sourcesContent?.[i] !== 'string') without.push(`${file}: ${source}`);
    });
  }
  assert.deepEqual(without.slice(0, 10), [], `${String(without.length)} sources without their text`);
  const cdn = JSON.parse(readFileSync(join(ROOT, 'dist/cdn/chat.js.map'), 'utf8')) as { sources: string[] };
  assert.ok(cdn.sources.some((s) => s.endsWith('src/components/chat-window/chat-window.component.ts')), 'the CDN map does not reach the TypeScript');
  assert.equal(readdirSync(join(ROOT, 'dist'), { recursive: true }).map(String).filter((f) => f.endsWith('.d.ts.map')).length, 0, 'declaration maps point at src/, which is not shipped');
});

test('importing one element pulls in only that element and what it renders; big libraries load lazily', async () => {
  // What each element renders itself (chat-window: its views, checked below by what it must not pull in).
  const renders: Record<string, string[]> = { 'chat-conversation': ['chat-composer', 'chat-message-list'] };
  const elementsIn = (inputs: string[]) => [...new Set(inputs.map((i) => /^dist\/components\/([^/]+)\//.exec(i)?.[1]).filter((t) => t !== undefined))].sort();
  const packagesIn = (inputs: string[]) => new Set(inputs.map((i) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(i)?.[1]).filter((p) => p !== undefined));
  for (const tag of TAGS) {
    const file = (pkg.exports[`./${tag}.js`] as Record<string, string>).default ?? '';
    const { initial, lazy } = await bundleEntry(ROOT, { file });
    const elements = elementsIn(initial.inputs);
    if (tag === 'chat-window') {
      for (const other of ['chat-visitor', 'chat-channel-settings', 'chat-contact-panel']) assert.ok(!elements.includes(other), `crm-chat-elements/chat-window.js pulls in ${other}`);
    } else {
      assert.deepEqual(elements, [tag, ...(renders[tag] ?? [])].sort(), `crm-chat-elements/${tag}.js pulls in more elements than it renders`);
    }
    // libphonenumber-js (every country's numbering plan) loads when a phone number is first shown.
    assert.ok(!packagesIn(initial.inputs).has('libphonenumber-js'), `${tag}: libphonenumber-js is in the first chunk`);
    if (tag === 'chat-contact-panel') assert.ok(packagesIn(lazy.inputs).has('libphonenumber-js'), 'the contact panel does not load libphonenumber-js at all');
  }
  // The widget: a company site pays for the launcher and the form; the chat core and linkify-it
  // load when a chat starts.
  const widget = await bundleEntry(ROOT, { file: './dist/components/chat-visitor/chat-visitor.js' });
  for (const lib of ['partysocket', 'valibot', 'linkify-it', 'idb-keyval']) {
    assert.ok(!packagesIn(widget.initial.inputs).has(lib), `the widget's first chunk has ${lib}`);
    assert.ok(packagesIn(widget.lazy.inputs).has(lib), `the widget never loads ${lib}`);
  }
});
