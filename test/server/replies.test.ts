/**
 * The reply library over HTTP against the real server: the seeded demo content (English and
 * Swedish, FAQ pages served by the demo), visibility (shared + own), permissions (shared ones need
 * manageQuickReplies, personal ones never), validation errors per field, favourites and recently
 * used per agent; and `resolveVariables` (pure).
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';

import type { Reply } from '../../src/protocol/index.js';
import { MAX_QUICK_REPLY_TITLE, resolveVariables } from '../../src/protocol/index.js';
import { freePort, ROOT, spawnServer, startServer, stopAllProcesses, tempDir, type Harness, type HttpResult } from './helpers.js';

let h: Harness;
beforeEach(async () => {
  h = await startServer();
});
afterEach(async () => {
  await h.close();
});

async function call(agentId: string, method: string, path: string, json?: unknown): Promise<HttpResult> {
  const token = await h.api.token(agentId);
  return h.api.request(method, path, { headers: { authorization: `Bearer ${token}` }, ...(json !== undefined ? { json } : {}) });
}

async function list(agentId: string, query = ''): Promise<Reply[]> {
  const r = await call(agentId, 'GET', `/api/replies${query}`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return (r.body as { replies: Reply[] }).replies;
}

async function create(agentId: string, body: Record<string, unknown>): Promise<Reply> {
  const r = await call(agentId, 'POST', '/api/replies', body);
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return (r.body as { reply: Reply }).reply;
}

function fieldErrors(r: HttpResult): Record<string, string> {
  assert.equal(r.status, 400, JSON.stringify(r.body));
  const error = (r.body as { error: { code: string; message: string; fields: Record<string, string> } }).error;
  assert.equal(error.code, 'invalid');
  assert.equal(typeof error.message, 'string');
  return error.fields;
}

const shared = (replies: Reply[]) => replies.filter((r) => r.ownerId === null);

describe('seeded demo library', () => {
  test('English and Swedish quick replies, templates and FAQs in folders', async () => {
    const all = shared(await list('erik'));
    const count = (kind: string, language: string) => all.filter((r) => r.kind === kind && r.language === language).length;
    for (const language of ['en', 'sv']) {
      assert.ok(count('quick-reply', language) >= 8, `quick replies ${language}`);
      assert.ok(count('template', language) >= 6, `templates ${language}`);
      assert.ok(count('faq', language) >= 6, `faqs ${language}`);
    }
    const folders = new Set(all.map((r) => r.folder));
    for (const f of ['Orders', 'Returns', 'Products', 'Beställningar', 'Returer', 'Produkter']) assert.ok(folders.has(f), f);
    // Shortcuts are unique among the shared ones, and every one fits the rule.
    const shortcuts = all.map((r) => r.shortcut).filter((s): s is string => s !== null);
    assert.equal(new Set(shortcuts).size, shortcuts.length);
    for (const s of shortcuts) assert.match(s, /^[a-z0-9-]{1,32}$/);
    // Variables are stored as written.
    assert.equal(all.find((r) => r.shortcut === 'hello')?.text, 'Hi {{customer.name}}! My name is {{agent.name}} – how can I help you today?');
  });

  test('every FAQ links to a page the demo serves, in its language', async () => {
    await h.close();
    h = await startServer({ staticRoot: ROOT });
    const faqs = (await list('erik', '?kind=faq')).filter((r) => r.kind === 'faq');
    assert.ok(faqs.length >= 12);
    for (const faq of faqs) {
      assert.ok(faq.url, faq.id);
      const u = new URL(faq.url);
      assert.equal(u.origin, new URL(h.server.url).origin, 'absolute, on the chat server');
      assert.match(u.pathname, /^\/demo\/faq\/[a-z-]+\.html$/);
      const page = await fetch(faq.url);
      assert.equal(page.status, 200, faq.url);
      assert.equal(page.headers.get('content-type'), 'text/html; charset=utf-8');
      const html = await page.text();
      assert.ok(html.includes(`<html lang="${faq.language}">`), faq.url);
      assert.ok(html.includes(`<h1>${faq.title}</h1>`), `${faq.url} is about "${faq.title}"`);
      assert.ok(!/<script/i.test(html), 'plain HTML');
    }
  });

  test('seeded once: a restart neither duplicates nor brings back deleted replies', async () => {
    const dataDir = h.dataDir;
    const before = await list('anna');
    assert.equal((await call('anna', 'DELETE', '/api/replies/r_qr_hello')).status, 200);
    await h.server.close();
    const again = await startServer({ dataDir, keepData: true });
    try {
      const token = await again.api.login('anna');
      const r = await again.api.request('GET', '/api/replies', { headers: { authorization: `Bearer ${token}` } });
      const after = (r.body as { replies: Reply[] }).replies;
      assert.equal(after.length, before.length - 1);
      assert.ok(!after.some((x) => x.id === 'r_qr_hello'));
    } finally {
      await again.close();
    }
  });
});

describe('visibility and filters', () => {
  test('an agent sees the shared replies and their own personal ones, never other agents\' personal ones', async () => {
    const anna = await list('anna');
    const erik = await list('erik');
    assert.ok(anna.some((r) => r.id === 'r_qr_anna_callback' && r.ownerId === 'anna'));
    assert.ok(!anna.some((r) => r.ownerId !== null && r.ownerId !== 'anna'));
    assert.ok(erik.some((r) => r.id === 'r_qr_erik_hours' && r.ownerId === 'erik'));
    assert.ok(!erik.some((r) => r.id === 'r_qr_anna_callback'));
    assert.deepEqual(
      shared(anna).map((r) => r.id),
      shared(erik).map((r) => r.id),
    );
    for (const [method, path, body] of [
      ['PATCH', '/api/replies/r_qr_anna_callback', { title: 'Mine now' }],
      ['DELETE', '/api/replies/r_qr_anna_callback', undefined],
      ['POST', '/api/replies/r_qr_anna_callback/favourite', { on: true }],
      ['POST', '/api/replies/r_qr_anna_callback/used', {}],
    ] as const) {
      const r = await call('erik', method, path, body);
      assert.equal(r.status, 404, `${method} ${path}`);
    }
    assert.equal((await list('anna')).find((r) => r.id === 'r_qr_anna_callback')?.title, 'Offer a call back');
  });

  test('filters: kind, language, channel and a case-insensitive search (also å ä ö)', async () => {
    const templates = await list('erik', '?kind=template');
    assert.ok(templates.length >= 12 && templates.every((r) => r.kind === 'template'));
    const sv = await list('erik', '?language=sv&kind=quick-reply');
    assert.ok(sv.length >= 8 && sv.every((r) => r.language === 'sv' && r.kind === 'quick-reply'));
    const sales = await list('erik', '?channelId=sales&kind=template');
    const support = await list('erik', '?channelId=support&kind=template');
    assert.ok(sales.some((r) => r.id === 'r_tp_size'));
    assert.ok(!support.some((r) => r.id === 'r_tp_size'), 'a sales-only template is not offered in support');
    assert.ok(support.some((r) => r.id === 'r_tp_warranty') && !sales.some((r) => r.id === 'r_tp_warranty'));
    assert.ok(sales.some((r) => r.channelIds === null) && support.some((r) => r.channelIds === null), 'unrestricted ones everywhere');
    const search = await list('erik', `?q=${encodeURIComponent('ÖGONBLICK')}`);
    assert.deepEqual(
      search.map((r) => r.id),
      ['r_qr_ogonblick', 'r_qr_lager'],
      'title "Ett ögonblick", text "… – ett ögonblick."',
    );
    assert.ok((await list('erik', '?q=RETURN')).some((r) => r.id === 'r_tp_return_steps'));
    assert.ok((await list('erik', '?q=order-no')).some((r) => r.shortcut === 'order-no'), 'by shortcut');
    assert.deepEqual(fieldErrors(await call('erik', 'GET', '/api/replies?kind=macro')), { kind: 'Choose quick-reply, template or faq.' });
  });

  test('customers and callers without a token have no library', async () => {
    const chat = await h.api.startChat('support', 'Ada');
    const asCustomer = await h.api.request('GET', '/api/replies', { headers: { authorization: `Bearer ${chat.token}` } });
    assert.equal(asCustomer.status, 403);
    assert.equal((await h.api.request('GET', '/api/replies')).status, 401);
    assert.equal((await h.api.request('POST', '/api/replies', { json: { kind: 'quick-reply', title: 't', text: 'x' } })).status, 401);
  });
});

describe('create, edit, delete and permissions', () => {
  test('personal replies: anyone may create, edit and delete their own (personal by default)', async () => {
    const mine = await create('erik', { kind: 'quick-reply', title: '  Parcel lost  ', text: 'I am sorry!\r\nLet me check.', shortcut: 'lost', folder: 'Orders' });
    assert.equal(mine.ownerId, 'erik');
    assert.equal(mine.title, 'Parcel lost');
    assert.equal(mine.text, 'I am sorry!\nLet me check.');
    assert.equal(mine.language, 'en');
    assert.equal(mine.url, null);
    assert.equal(mine.channelIds, null);
    assert.ok(!(await list('anna')).some((r) => r.id === mine.id), 'invisible to others');
    const edited = await call('erik', 'PATCH', `/api/replies/${mine.id}`, { title: 'Lost parcel', channelIds: ['support'], language: 'sv', shortcut: null });
    assert.equal(edited.status, 200, JSON.stringify(edited.body));
    const reply = (edited.body as { reply: Reply }).reply;
    assert.deepEqual([reply.title, reply.channelIds, reply.language, reply.shortcut, reply.text], ['Lost parcel', ['support'], 'sv', null, 'I am sorry!\nLet me check.']);
    assert.ok(reply.updatedAt >= reply.createdAt);
    assert.equal((await call('erik', 'DELETE', `/api/replies/${mine.id}`)).status, 200);
    assert.ok(!(await list('erik')).some((r) => r.id === mine.id));
    assert.equal((await call('erik', 'DELETE', `/api/replies/${mine.id}`)).status, 404);
  });

  test('shared replies need manageQuickReplies: 403 for others, allowed for Anna', async () => {
    const refused = await call('erik', 'POST', '/api/replies', { kind: 'template', title: 'Team template', text: 'Hello team', shared: true });
    assert.equal(refused.status, 403);
    assert.equal((refused.body as { error: { code: string } }).error.code, 'forbidden');
    for (const [method, path, body] of [
      ['PATCH', '/api/replies/r_qr_hello', { title: 'Hijacked' }],
      ['DELETE', '/api/replies/r_qr_hello', undefined],
    ] as const) {
      assert.equal((await call('erik', method, path, body)).status, 403, `${method} ${path}`);
    }
    // Making one's own personal reply shared needs the permission too.
    const mine = await create('erik', { kind: 'quick-reply', title: 'Mine', text: 'Mine' });
    assert.equal((await call('erik', 'PATCH', `/api/replies/${mine.id}`, { shared: true })).status, 403);
    assert.equal((await list('erik')).find((r) => r.id === 'r_qr_hello')?.title, 'Greeting', 'unchanged');

    const team = await create('anna', { kind: 'template', title: 'Team template', text: 'Hello {{customer.name}}', shared: true, folder: 'General' });
    assert.equal(team.ownerId, null);
    assert.ok((await list('erik')).some((r) => r.id === team.id), 'shared: everyone sees it');
    const patched = await call('anna', 'PATCH', `/api/replies/${team.id}`, { text: 'Hello again' });
    assert.equal(patched.status, 200);
    // Anna may turn a shared reply into her personal one, and back.
    const personal = await call('anna', 'PATCH', `/api/replies/${team.id}`, { shared: false });
    assert.equal((personal.body as { reply: Reply }).reply.ownerId, 'anna');
    assert.ok(!(await list('erik')).some((r) => r.id === team.id));
    assert.equal((await call('anna', 'DELETE', '/api/replies/r_qr_bye')).status, 200);
    assert.ok(!(await list('erik')).some((r) => r.id === 'r_qr_bye'));
  });

  test('hostile text is stored and returned exactly as written', async () => {
    const text = '<img src=x onerror=__pwned()> {{customer.name}} </textarea><script>__pwned()</script>';
    const r = await create('erik', { kind: 'quick-reply', title: '"><svg onload=__pwned()>', text });
    assert.equal(r.text, text);
    assert.equal(r.title, '"><svg onload=__pwned()>');
  });
});

describe('validation errors name the field', () => {
  test('required fields, lengths, shortcut format, language, channels, unknown fields', async () => {
    assert.deepEqual(fieldErrors(await call('erik', 'POST', '/api/replies', {})), {
      kind: 'Choose quick reply, template or FAQ.',
      title: 'Enter a title.',
      text: 'Enter the text.',
    });
    const base = { kind: 'quick-reply', title: 'T', text: 'x' };
    const cases: [Record<string, unknown>, Record<string, string>][] = [
      [{ title: 'x'.repeat(MAX_QUICK_REPLY_TITLE + 1) }, { title: 'Use at most 100 characters.' }],
      [{ title: '   ' }, { title: 'Enter a title.' }],
      [{ title: 'two\nlines' }, { title: 'Use a single line without control characters.' }],
      [{ text: ' \n ' }, { text: 'Enter the text.' }],
      [{ text: 'y'.repeat(4001) }, { text: 'Use at most 4000 characters.' }],
      [{ text: 'bell\u0007' }, { text: 'Remove control characters (line breaks and tabs are fine).' }],
      [{ shortcut: 'Hello!' }, { shortcut: 'Use 1–32 lower-case letters, digits or hyphens.' }],
      [{ shortcut: 'a'.repeat(33) }, { shortcut: 'Use 1–32 lower-case letters, digits or hyphens.' }],
      [{ language: 'de' }, { language: 'Choose English (en) or Swedish (sv).' }],
      [{ channelIds: ['sales', 'nope'] }, { channelIds: 'Unknown channel: nope.' }],
      [{ channelIds: 'sales' }, { channelIds: 'Give a list of channel ids (or null for every channel).' }],
      [{ folder: 'f'.repeat(61) }, { folder: 'Use at most 60 characters.' }],
      [{ shared: 'yes' }, { shared: 'Must be true or false.' }],
      [{ ownerId: 'anna' }, { ownerId: 'Unknown field.' }],
      [{ kind: 'faq' }, { url: 'Enter the link to the published FAQ page.' }],
      [{ url: 'https://nordlys.example/faq' }, { url: 'Only FAQs have a link.' }],
    ];
    for (const [patch, expected] of cases) {
      assert.deepEqual(fieldErrors(await call('erik', 'POST', '/api/replies', { ...base, ...patch })), expected, JSON.stringify(patch).slice(0, 80));
    }
    const r = await call('erik', 'POST', '/api/replies', { ...base, title: '' });
    assert.deepEqual(r.body, { error: { code: 'invalid', message: 'Check the reply: title: Enter a title.', fields: { title: 'Enter a title.' } } });
  });

  test('FAQ links: http(s) or a path on the chat server; no javascript:, data:, credentials or spaces', async () => {
    const faq = { kind: 'faq', title: 'Opening hours', text: 'When are you open?' };
    for (const url of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'java\tscript:alert(1)', 'data:text/html,<script>x</script>', 'ftp://x.example/a', '//evil.example/x', 'https://user:pw@x.example/', 'https://x.example/a b', 'not a url']) {
      assert.ok(fieldErrors(await call('erik', 'POST', '/api/replies', { ...faq, url })).url, url);
    }
    const abs = await create('erik', { ...faq, url: 'https://nordlys.example/faq/hours' });
    assert.equal(abs.url, 'https://nordlys.example/faq/hours');
    const path = await create('erik', { ...faq, url: '/demo/faq/returns.html' });
    assert.equal(path.url, `${h.server.url}/demo/faq/returns.html`);
    // Changing an FAQ into a quick reply drops its link.
    const changed = await call('erik', 'PATCH', `/api/replies/${abs.id}`, { kind: 'quick-reply' });
    assert.equal((changed.body as { reply: Reply }).reply.url, null);
  });

  test('shortcuts are unique per owner (the shared ones count as one owner)', async () => {
    const taken = { shortcut: 'Another reply already uses this shortcut.' };
    await create('erik', { kind: 'quick-reply', title: 'A', text: 'a', shortcut: 'same' });
    assert.deepEqual(fieldErrors(await call('erik', 'POST', '/api/replies', { kind: 'quick-reply', title: 'B', text: 'b', shortcut: 'same' })), taken);
    // Another agent may use it for their own reply; and a personal one may repeat a shared one.
    await create('sofia', { kind: 'quick-reply', title: 'C', text: 'c', shortcut: 'same' });
    await create('erik', { kind: 'quick-reply', title: 'D', text: 'd', shortcut: 'hello' });
    // Among shared replies it is taken.
    assert.deepEqual(fieldErrors(await call('anna', 'POST', '/api/replies', { kind: 'quick-reply', title: 'E', text: 'e', shortcut: 'hello', shared: true })), taken);
    assert.deepEqual(fieldErrors(await call('anna', 'PATCH', '/api/replies/r_qr_bye', { shortcut: 'hello' })), taken);
    // Keeping one's own shortcut on edit is fine.
    assert.equal((await call('anna', 'PATCH', '/api/replies/r_qr_hello', { shortcut: 'hello', title: 'Hi' })).status, 200);
  });
});

describe('favourites and recently used', () => {
  test('per agent: favourite on and off; every use counts and stamps the time', async () => {
    const on = await call('erik', 'POST', '/api/replies/r_qr_hello/favourite', { on: true });
    assert.equal(on.status, 200);
    assert.equal((on.body as { reply: Reply }).reply.favourite, true);
    assert.equal((await call('erik', 'POST', '/api/replies/r_qr_hello/favourite', { on: true })).status, 200, 'idempotent');
    assert.deepEqual(
      (await list('erik')).filter((r) => r.favourite).map((r) => r.id),
      ['r_qr_hello'],
    );
    assert.deepEqual(
      (await list('sofia')).filter((r) => r.favourite),
      [],
      'favourites are per agent',
    );
    assert.deepEqual(fieldErrors(await call('erik', 'POST', '/api/replies/r_qr_hello/favourite', { on: 'yes' })), { on: 'Must be true or false.' });
    await call('erik', 'POST', '/api/replies/r_qr_hello/favourite', { on: false });
    assert.equal((await list('erik')).find((r) => r.id === 'r_qr_hello')?.favourite, false);

    const t1 = h.clock.now();
    const used = await call('erik', 'POST', '/api/replies/r_tp_refund/used', {});
    const first = (used.body as { reply: Reply }).reply;
    assert.equal(first.useCount, 1);
    assert.ok(first.lastUsedAt !== null && first.lastUsedAt >= t1);
    h.clock.advance(60_000);
    await call('erik', 'POST', '/api/replies/r_faq_returns/used', {});
    await call('erik', 'POST', '/api/replies/r_tp_refund/used');
    const mine = await list('erik');
    const refund = mine.find((r) => r.id === 'r_tp_refund');
    assert.equal(refund?.useCount, 2);
    assert.ok((refund.lastUsedAt ?? 0) >= t1 + 60_000);
    const recent = mine.filter((r) => r.lastUsedAt !== null).sort((a, b) => (b.lastUsedAt ?? 0) - (a.lastUsedAt ?? 0));
    assert.deepEqual(
      recent.map((r) => r.id),
      ['r_tp_refund', 'r_faq_returns'],
    );
    assert.ok((await list('sofia')).every((r) => r.useCount === 0 && r.lastUsedAt === null), 'usage is per agent');
  });

  test('deleting a reply removes its favourites and usage', async () => {
    const r = await create('erik', { kind: 'quick-reply', title: 'Temp', text: 'temp' });
    await call('erik', 'POST', `/api/replies/${r.id}/favourite`, { on: true });
    await call('erik', 'POST', `/api/replies/${r.id}/used`, {});
    await call('erik', 'DELETE', `/api/replies/${r.id}`);
    const count = (table: string) => h.server.db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table} WHERE reply_id = ?`, [r.id])?.n;
    assert.equal(count('reply_favourites'), 0);
    assert.equal(count('reply_usage'), 0);
  });
});

describe('resolveVariables', () => {
  const ctx = { customer: { name: 'Ada Lind' }, agent: { name: 'Erik Johansson' }, channel: { name: 'Support' } };

  test('replaces the three variables, with spaces inside the braces too', () => {
    assert.equal(
      resolveVariables('Hi {{customer.name}}, I am {{ agent.name }} from {{channel.name}}. {{customer.name}}!', ctx),
      'Hi Ada Lind, I am Erik Johansson from Support. Ada Lind!',
    );
  });

  test('hostile names stay literal text: no markup, no second expansion, no $ patterns', () => {
    const hostile = [
      '<img src=x onerror=__pwned()>',
      '{{agent.name}}',
      '$& $1 $` $\'',
      '</textarea><script>__pwned()</script>',
      '\u202Egnp.exe',
    ];
    for (const name of hostile) {
      assert.equal(resolveVariables('Hej {{customer.name}}!', { ...ctx, customer: { name } }), `Hej ${name}!`, name);
    }
    assert.equal(resolveVariables('{{customer.name}} {{agent.name}}', { customer: { name: '{{agent.name}}' }, agent: { name: 'E' } }), '{{agent.name}} E');
  });

  test('unknown variables and missing values keep their placeholder', () => {
    assert.equal(resolveVariables('{{customer.email}} {{ customer.name }} {{agent.name}}', { agent: { name: '' } }), '{{customer.email}} {{ customer.name }} ');
    assert.equal(resolveVariables('no variables', {}), 'no variables');
    assert.equal(resolveVariables('{{customer.name', ctx), '{{customer.name');
  });
});

describe('the public URL (behind a proxy)', () => {
  afterEach(async () => {
    await stopAllProcesses();
  });

  test('CHAT_PUBLIC_URL (or --public-url) is the base of FAQ links; a malformed one stops the server with a clear message', async () => {
    const server = await spawnServer({ port: await freePort(), dataDir: await tempDir(), env: { CHAT_PUBLIC_URL: 'https://chat.nordlys.example/support/' } });
    const login = await fetch(`${server.url}/api/demo/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ tenant: 'demo', agentId: 'erik' }) });
    const { token } = (await login.json()) as { token: string };
    const answer = await fetch(`${server.url}/api/replies?kind=faq`, { headers: { Authorization: `Bearer ${token}` } });
    const { replies } = (await answer.json()) as { replies: Reply[] };
    const faqs = replies.filter((r) => r.kind === 'faq');
    assert.ok(faqs.length > 0);
    for (const faq of faqs) assert.match(faq.url ?? '', /^https:\/\/chat\.nordlys\.example\/support\/demo\/faq\/[a-z-]+\.html$/);
    await server.stop();

    await assert.rejects(spawnServer({ port: await freePort(), dataDir: await tempDir(), env: { CHAT_PUBLIC_URL: 'chat.nordlys.example' } }), (error: Error) => {
      assert.match(error.message, /Invalid --public-url "chat\.nordlys\.example": use a URL such as https:\/\/chat\.example\.com\./);
      return true;
    });
  });
});
