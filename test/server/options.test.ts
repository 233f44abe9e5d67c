/**
 * The server's options are listed once (server/node/options.ts): docs/operations.md's table is
 * generated from that list and must be up to date, every environment variable the server code
 * reads must be in it, every variable it names must be read, and parsing follows it (a flag wins
 * over its variable; lists merge both).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { DEFAULT_OVERLOAD, OVERLOAD_OPTION } from '../../server/core/room/index.js';
import { edgeWorkerCount, ENVIRONMENT_ONLY, optionsMarkdown, parseServerOptions, SERVER_OPTIONS, usage } from '../../server/node/options.js';
import { ROOT } from './helpers.js';

/** The Node host and the core (the Cloudflare host reads its own bindings, not process.env). */
const SOURCES = ['server/node', 'server/core'].flatMap((dir) =>
  readdirSync(join(ROOT, dir), { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(dir, f)),
);
const source = SOURCES.map((f) => readFileSync(join(ROOT, f), 'utf8')).join('\n');
const documented = new Set([...SERVER_OPTIONS.flatMap((o) => (o.env ? [o.env] : [])), ...ENVIRONMENT_ONLY.map((e) => e.env)]);

test('docs/operations.md has the table of options.ts (npm run -s docs:options writes it)', () => {
  const doc = readFileSync(join(ROOT, 'docs/operations.md'), 'utf8');
  const m = /<!-- options:start -->\n([\s\S]*?)\n<!-- options:end -->/.exec(doc);
  assert.ok(m, 'docs/operations.md has no options markers');
  assert.equal(m[1], optionsMarkdown(), 'the options table is out of date: run npm run -s docs:options');
});

test('every environment variable the server reads is documented, and every documented one is read', () => {
  const read = new Set([...source.matchAll(/process\.env(?:\.|\[')([A-Z][A-Z0-9_]*)/g)].map((m) => m[1] ?? ''));
  assert.ok(read.size >= 3, `only ${String(read.size)} variables found: the scan is broken`);
  assert.deepEqual([...read].filter((name) => !documented.has(name)).sort(), [], 'read but not in options.ts (SERVER_OPTIONS or ENVIRONMENT_ONLY)');
  for (const e of ENVIRONMENT_ONLY) assert.ok(read.has(e.env), `${e.env} is documented but the server never reads it`);
  // The variables of options go through parseServerOptions, which reads exactly these names.
  for (const o of SERVER_OPTIONS.filter((x) => x.env)) assert.deepEqual(parseServerOptions([], { [o.env ?? '']: o.kind === 'list' ? 'a,b' : '7' })[o.flag], o.kind === 'list' ? ['a', 'b'] : '7', o.flag);
});

test('a flag wins over its variable; lists take both; switches; unknown flags are refused', () => {
  const env = { PORT: '9000', CHAT_DATA_DIR: '/srv/chat', CHAT_LOG_LEVEL: 'warn', CHAT_ALLOWED_ORIGINS: 'https://b.example, https://c.example', CHAT_TRUST_PROXY: '' };
  const v = parseServerOptions(['--port', '9100', '--origin', 'https://a.example', '--quiet'], env);
  assert.equal(v.port, '9100');
  assert.equal(v.data, '/srv/chat');
  assert.equal(v['log-level'], 'warn');
  assert.deepEqual(v.origin, ['https://a.example', 'https://b.example', 'https://c.example']);
  assert.deepEqual(v['trust-proxy'], []);
  assert.equal(v.quiet, true);
  assert.equal(v.demo, false);
  assert.throws(() => parseServerOptions(['--no-such-flag'], {}), /Unknown option '--no-such-flag'/);
  const help = usage();
  for (const o of SERVER_OPTIONS) assert.ok(help.includes(`--${o.flag}`), `--help lacks --${o.flag}`);
  for (const e of ENVIRONMENT_ONLY) assert.ok(help.includes(e.env), `--help lacks ${e.env}`);
});

test('the overload bounds of the room core are options, with its defaults', () => {
  for (const [key, flag] of Object.entries(OVERLOAD_OPTION) as [keyof typeof DEFAULT_OVERLOAD, string][]) {
    const o = SERVER_OPTIONS.find((x) => x.flag === flag);
    assert.ok(o, `--${flag} is not in SERVER_OPTIONS`);
    assert.equal(Number.parseInt(o.default ?? '', 10), DEFAULT_OVERLOAD[key], `--${flag}: default`);
  }
});

test('--edge-workers: auto (the default) is one edge with 2 or more cores, none on one core; numbers as given', () => {
  assert.equal(edgeWorkerCount(undefined, 2), 1);
  assert.equal(edgeWorkerCount('auto', 8), 1);
  assert.equal(edgeWorkerCount(undefined, 1), 0);
  assert.equal(edgeWorkerCount('auto', 1), 0);
  assert.equal(edgeWorkerCount('0', 8), 0);
  assert.equal(edgeWorkerCount('3', 2), 3);
  assert.equal(edgeWorkerCount('64', 2), 64);
  for (const bad of ['65', '-1', '1.5', 'two', '', ' 1']) assert.equal(edgeWorkerCount(bad, 2), undefined, bad);
});
