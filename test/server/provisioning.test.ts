/**
 * The provisioning API over real HTTP against the real server (docs/provisioning.md): API keys
 * (shown once, stored hashed, rotated, revoked), validation of every endpoint with the field
 * named, idempotent agent sync by external id (one by one and in batches), and the effects a
 * console sees: a provisioned agent signs in and sees their channels, permission changes reach an
 * open console, a disabled agent is cut off, deleted channels and agents leave every list.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { CLOSE } from '../../src/protocol/limits.js';
import { MIGRATIONS, migrate } from '../../server/core/migrations/index.js';
import type { AgentView } from '../../server/core/provisioning/index.js';
import { openSqlite } from '../../server/node/sqlite.js';
import type { Harness, HttpResult, ServerFrame } from './helpers.js';
import { agentRecord, boardRow, isBoardReset, isError, sessionEventOf, startServer, tempDir, where } from './helpers.js';

const isMe = (f: ServerFrame): f is Extract<ServerFrame, { t: 'me' }> => f.t === 'me';

interface ErrorBody {
  error: { code: string; message: string; fields?: Record<string, string> };
}

let h: Harness;
let operatorKey: string;

/** Calls the provisioning API with a key. */
function call(key: string | undefined, method: string, path: string, json?: unknown): Promise<HttpResult> {
  return h.api.request(method, `/api/provisioning${path}`, {
    headers: key === undefined ? {} : { authorization: `Bearer ${key}` },
    ...(json !== undefined ? { json } : {}),
  });
}

async function ok<T>(key: string, method: string, path: string, json: unknown, status = 200): Promise<T> {
  const r = await call(key, method, path, json);
  assert.equal(r.status, status, `${method} ${path}: ${JSON.stringify(r.body)}`);
  return r.body as T;
}

function refusal(r: HttpResult): ErrorBody['error'] {
  return (r.body as ErrorBody).error;
}

/** A tenant with two channels and a tenant key; returns the key. */
async function newTenant(id: string): Promise<string> {
  await ok(operatorKey, 'POST', '/tenants', { id, name: `Tenant ${id}`, timeZone: 'Europe/Oslo' }, 201);
  const { key } = await ok<{ key: string }>(operatorKey, 'POST', `/tenants/${id}/api-keys`, { name: 'CRM sync' }, 201);
  await ok(key, 'PUT', `/tenants/${id}/channels/support`, { name: 'Support', welcomeMessage: 'Hello from support' }, 201);
  await ok(key, 'PUT', `/tenants/${id}/channels/sales`, { name: 'Sales' }, 201);
  return key;
}

before(async () => {
  h = await startServer();
  // The operator's first key, as `crm-chat-server admin key create --operator` makes it (same code).
  operatorKey = (await h.server.provisioning.keys.create({ tenantId: null, name: 'operator', createdBy: 'test' })).key;
});
after(async () => {
  await h.close();
});

describe('API keys', () => {
  test('shown once, stored only as a hash, rotated (at once or after a grace period) and revoked', async () => {
    const key = await newTenant('keys');
    assert.match(key, /^ccp_[0-9a-f]{10}\.[\w-]{43}$/);
    const listed = await ok<{ apiKeys: Record<string, unknown>[] }>(key, 'GET', '/tenants/keys/api-keys', undefined);
    assert.equal(listed.apiKeys.length, 1);
    const [info] = listed.apiKeys;
    assert.ok(info && !JSON.stringify(info).includes(key.split('.')[1] ?? '?'), 'a listing never shows the secret');
    assert.equal(info.prefix, key.split('.')[0]);
    assert.equal(typeof info.lastUsedAt, 'number', 'use is recorded');

    // Neither the key nor its secret is anywhere in the database files.
    const secret = key.split('.')[1] ?? '';
    for (const file of ['chat.db', 'chat.db-wal']) {
      const bytes = await readFile(join(h.dataDir, file)).catch(() => Buffer.alloc(0));
      assert.ok(!bytes.includes(secret), `${file} holds no secret`);
    }
    const stored = h.server.db.get<{ key_hash: string }>('SELECT key_hash FROM api_keys WHERE id = ?', [String(info.id)]);
    assert.ok(stored && stored.key_hash.length >= 43 && !key.includes(stored.key_hash), 'an HMAC of the key, not the key');

    // Rotation without grace: the old key stops at once, the new one works.
    const rotated = await ok<{ key: string; apiKey: { id: string }; replaced: { revokedAt: number; replacedBy: string } }>(
      key,
      'POST',
      `/tenants/keys/api-keys/${String(info.id)}/rotate`,
      {},
      201,
    );
    assert.notEqual(rotated.key, key);
    assert.equal(rotated.replaced.replacedBy, rotated.apiKey.id);
    assert.equal((await call(key, 'GET', '/tenants/keys')).status, 401);
    await ok(rotated.key, 'GET', '/tenants/keys', undefined);

    // Rotation with a grace period: both work until it ends.
    const graceful = await ok<{ key: string }>(rotated.key, 'POST', `/tenants/keys/api-keys/${rotated.apiKey.id}/rotate`, { graceSeconds: 60 }, 201);
    await ok(rotated.key, 'GET', '/tenants/keys', undefined);
    await ok(graceful.key, 'GET', '/tenants/keys', undefined);
    h.clock.advance(60_001);
    assert.equal((await call(rotated.key, 'GET', '/tenants/keys')).status, 401, 'the old key expired with the grace period');
    const second = await call(graceful.key, 'POST', `/tenants/keys/api-keys/${rotated.apiKey.id}/rotate`, {});
    assert.equal(second.status, 409, 'a replaced key cannot be rotated again');

    // Revocation: 401 at once; revoking is idempotent.
    const extra = await ok<{ key: string; apiKey: { id: string } }>(graceful.key, 'POST', '/tenants/keys/api-keys', { name: 'temporary' }, 201);
    await ok(extra.key, 'GET', '/tenants/keys', undefined);
    const revoked = await ok<{ apiKey: { revokedAt: number } }>(graceful.key, 'DELETE', `/tenants/keys/api-keys/${extra.apiKey.id}`, undefined);
    assert.equal(typeof revoked.apiKey.revokedAt, 'number');
    const refused = await call(extra.key, 'GET', '/tenants/keys');
    assert.equal(refused.status, 401);
    assert.equal(refusal(refused).code, 'unauthenticated');
    await ok(graceful.key, 'DELETE', `/tenants/keys/api-keys/${extra.apiKey.id}`, undefined);
  });

  test('a tenant key acts on its own tenant only; operator routes need an operator key; no key or a forged one is 401', async () => {
    const a = await newTenant('scope-a');
    await newTenant('scope-b');
    assert.equal((await call(a, 'GET', '/tenants/scope-b')).status, 403);
    assert.equal((await call(a, 'GET', '/tenants/scope-b/agents')).status, 403);
    assert.equal((await call(a, 'POST', '/tenants', { id: 'nope', name: 'Nope' })).status, 403);
    assert.equal((await call(a, 'GET', '/tenants')).status, 403);
    const bKey = (await ok<{ apiKeys: { id: string }[] }>(operatorKey, 'GET', '/tenants/scope-b/api-keys', undefined)).apiKeys[0]?.id ?? '';
    assert.equal((await call(a, 'DELETE', `/tenants/scope-a/api-keys/${bKey}`)).status, 404, "another tenant's key is not found through mine");
    for (const bad of [undefined, 'ccp_0123456789.' + 'A'.repeat(43), a.slice(0, -1) + (a.endsWith('A') ? 'B' : 'A'), 'a.not.akey']) {
      const r = await call(bad, 'GET', '/tenants/scope-a');
      assert.equal(r.status, 401, String(bad));
      assert.equal(refusal(r).code, 'unauthenticated');
    }
    const all = await ok<{ tenants: { id: string }[] }>(operatorKey, 'GET', '/tenants', undefined);
    assert.ok(['scope-a', 'scope-b', 'demo'].every((id) => all.tenants.some((t) => t.id === id)));
  });
});

describe('validation names the field', () => {
  test('every endpoint refuses bad input with 400 invalid, the field in `fields` and in the message', async () => {
    const key = await newTenant('valid');
    const agent = (await ok<{ agent: AgentView }>(key, 'PUT', '/tenants/valid/agents/u-1', { name: 'Val Id' }, 201)).agent;
    const cases: [string, string, unknown, string][] = [
      ['POST', '/tenants', { name: 'No id' }, 'id'],
      ['POST', '/tenants', { id: 'has space', name: 'x' }, 'id'],
      ['POST', '/tenants', { id: 'ok-id', name: '' }, 'name'],
      ['POST', '/tenants', { id: 'ok-id', name: 'x', timeZone: 'Mars/Olympus' }, 'timeZone'],
      ['POST', '/tenants', { id: 'ok-id', name: 'x', allowedOrigins: ['https://ok.example', 'https://bad.example/path'] }, 'allowedOrigins[1]'],
      ['POST', '/tenants', { id: 'ok-id', name: 'x', colour: 'red' }, 'colour'],
      ['POST', '/tenants', { id: 'ok-id', name: 'x', settings: { transferTimeoutSeconds: 5 } }, 'settings.transferTimeoutSeconds'],
      ['POST', '/tenants', { id: 'ok-id', name: 'x', settings: { limits: { framesPerMinute: -1 } } }, 'settings.limits.framesPerMinute'],
      ['POST', '/tenants', { id: 'ok-id', name: 'x', settings: { limits: { maxBananas: 1 } } }, 'settings.limits.maxBananas'],
      ['PATCH', '/tenants/valid', { id: 'renamed' }, 'id'],
      ['PATCH', '/tenants/valid', { externalId: 42 }, 'externalId'],
      ['PUT', '/tenants/valid/channels/new', { welcomeMessage: 'no name' }, 'name'],
      ['PUT', '/tenants/valid/channels/support', { warnAfterSeconds: 1.5 }, 'warnAfterSeconds'],
      ['PUT', '/tenants/valid/channels/support', { sneakPeek: 'yes' }, 'sneakPeek'],
      ['PUT', '/tenants/valid/channels/support', { welcomeMessage: 'w'.repeat(1001) }, 'welcomeMessage'],
      ['PUT', '/tenants/valid/channels/bad%20id', { name: 'x' }, 'channelId'],
      ['PUT', '/tenants/valid/agents/u-2', { email: 'u2@example.com' }, 'name'],
      ['PUT', '/tenants/valid/agents/u-1', { email: 'not-an-address' }, 'email'],
      ['PUT', '/tenants/valid/agents/u-1', { maxConcurrentChats: 0 }, 'maxConcurrentChats'],
      ['PUT', '/tenants/valid/agents/u-1', { channels: { nope: {} } }, 'channels.nope'],
      ['PUT', '/tenants/valid/agents/u-1', { channels: { support: { listen: 'yes' } } }, 'channels.support.listen'],
      ['PUT', '/tenants/valid/agents/u-1', { channels: { support: true } }, 'channels.support'],
      ['PUT', '/tenants/valid/agents/u-1', { role: 'admin' }, 'role'],
      ['PUT', '/tenants/valid/agents', { agents: [{ externalId: 'b-1', name: 'B One' }, { externalId: 'b-2' }] }, 'agents[1].name'],
      ['PUT', '/tenants/valid/agents', { agents: [{ externalId: 'b-1', name: 'B' }, { externalId: 'b-1', name: 'B' }] }, 'agents[1].externalId'],
      ['PUT', '/tenants/valid/agents', { agents: [{ name: 'No id' }] }, 'agents[0].externalId'],
      ['PUT', '/tenants/valid/agents', { people: [] }, 'people'],
      ['PUT', `/tenants/valid/agents/u-1/channels/support`, { manager: 1 }, 'manager'],
      ['POST', '/tenants/valid/api-keys', {}, 'name'],
      ['POST', `/tenants/valid/api-keys/x/rotate`, { graceSeconds: 8 * 24 * 3600 }, 'graceSeconds'],
    ];
    for (const [method, path, body, field] of cases) {
      const r = await call(method === 'POST' && path === '/tenants' ? operatorKey : key, method, path, body);
      const label = `${method} ${path} ${JSON.stringify(body).slice(0, 80)}`;
      assert.equal(r.status, 400, `${label}: ${JSON.stringify(r.body)}`);
      const e = refusal(r);
      assert.equal(e.code, 'invalid', label);
      assert.ok(e.fields && field in e.fields, `${label}: fields ${JSON.stringify(e.fields)} name ${field}`);
      assert.ok(e.message.includes(field), `${label}: message "${e.message}" names ${field}`);
    }
    // Nothing of a refused batch was written.
    const list = await ok<{ agents: AgentView[] }>(key, 'GET', '/tenants/valid/agents', undefined);
    assert.deepEqual(
      list.agents.map((a) => a.externalId),
      [agent.externalId],
    );
    // Bodies that are not JSON objects, wrong content types, unknown records.
    assert.equal((await h.api.request('PUT', '/api/provisioning/tenants/valid/agents/u-1', { body: '[]', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' } })).status, 400);
    assert.equal((await h.api.request('PUT', '/api/provisioning/tenants/valid/agents/u-1', { body: 'name=x', headers: { authorization: `Bearer ${key}`, 'content-type': 'text/plain' } })).status, 415);
    assert.equal((await call(key, 'GET', '/tenants/valid/agents/nobody')).status, 404);
    assert.equal((await call(key, 'PATCH', '/tenants/valid/agents/nobody', { name: 'X' })).status, 404, 'PATCH never creates');
    assert.equal((await call(key, 'PATCH', '/tenants/valid/channels/nochannel', { name: 'X' })).status, 404, 'PATCH never creates');
    assert.equal((await call(operatorKey, 'GET', '/tenants/nosuchtenant')).status, 404);
    const dup = await call(operatorKey, 'POST', '/tenants', { id: 'valid', name: 'Again' });
    assert.equal(dup.status, 409);
    assert.deepEqual(Object.keys(refusal(dup).fields ?? {}), ['id']);
  });
});

describe('tenants and channels', () => {
  test('a tenant is read and updated: name, time zone, external id, allowed origins and settings take effect', async () => {
    const key = await newTenant('settings');
    const updated = await ok<{ tenant: Record<string, unknown> }>(key, 'PATCH', '/tenants/settings', {
      name: 'Settings AB',
      externalId: 'crm-cust-77',
      allowedOrigins: ['https://www.settings.example'],
      settings: { transferTimeoutSeconds: 45, limits: { chatStartsPerMinute: 50, framesPerMinute: 600 } },
    });
    assert.deepEqual(updated.tenant, {
      id: 'settings',
      name: 'Settings AB',
      externalId: 'crm-cust-77',
      timeZone: 'Europe/Oslo',
      allowedOrigins: ['https://www.settings.example'],
      settings: { transferTimeoutSeconds: 45, limits: { chatStartsPerMinute: 50, framesPerMinute: 600 } },
      createdAt: updated.tenant.createdAt,
    });
    const cleared = await ok<{ tenant: { settings: { limits: object } } }>(key, 'PATCH', '/tenants/settings', { settings: { limits: { framesPerMinute: null } } });
    assert.deepEqual(cleared.tenant.settings.limits, { chatStartsPerMinute: 50 });
    const found = await ok<{ tenants: { id: string }[] }>(operatorKey, 'GET', '/tenants?externalId=crm-cust-77', undefined);
    assert.deepEqual(
      found.tenants.map((t) => t.id),
      ['settings'],
    );
    const taken = await call(operatorKey, 'POST', '/tenants', { id: 'other', name: 'Other', externalId: 'crm-cust-77' });
    assert.equal(taken.status, 409);
    // The allowed origin may now call the public API for this tenant; others still may not.
    const allowed = await h.api.request('GET', '/api/channels?tenant=settings', { headers: { origin: 'https://www.settings.example' } });
    assert.equal(allowed.status, 200);
    assert.equal(allowed.headers.get('access-control-allow-origin'), 'https://www.settings.example');
    assert.equal((await h.api.request('GET', '/api/channels?tenant=settings', { headers: { origin: 'https://evil.example' } })).status, 403);
  });

  test('channels are created, changed and deleted; the widget and members see it; busy channels are kept', async () => {
    const key = await newTenant('chan');
    const put = await ok<{ channel: Record<string, unknown>; created: boolean }>(key, 'PUT', '/tenants/chan/channels/support', { warnAfterSeconds: 0, sneakPeek: false }, 200);
    const { settings, ...channel } = put.channel;
    assert.deepEqual(
      { channel, created: put.created },
      {
        channel: {
          id: 'support',
          name: 'Support',
          welcomeMessage: 'Hello from support',
          warnAfterSeconds: 0,
          managerWarnAfterSeconds: 180,
          sneakPeek: false,
          sort: 0,
          assignment: { mode: 'off', offerSeconds: 30 },
          targets: { defaultPriority: 'normal', rules: [], firstResponseSeconds: 0, nextResponseSeconds: 0 },
        },
        created: false,
      },
    );
    assert.equal((settings as { hours: unknown }).hours, null, 'default settings: always open (channel-settings.test.ts)');
    const publicList = async () => ((await h.api.request('GET', '/api/channels?tenant=chan')).body as { channels: { id: string }[] }).channels.map((c) => c.id);
    assert.deepEqual(await publicList(), ['support', 'sales']);
    const started = await h.api.startChat('support', 'Welcome Wanda', { tenant: 'chan' });
    const customer = await h.api.customer(started, { tenant: 'chan' });
    assert.ok(customer.frames.some((f) => JSON.stringify(f).includes('Hello from support')), 'the welcome text is the provisioned one');
    const busy = await call(key, 'DELETE', '/tenants/chan/channels/support');
    assert.equal(busy.status, 409, JSON.stringify(busy.body));
    const agent = (await ok<{ agent: AgentView }>(key, 'PUT', '/tenants/chan/agents/seller', { name: 'Sam Seller', channels: { sales: {}, support: {} } }, 201)).agent;
    const console = await h.api.agent(agent.id, { tenant: 'chan' });
    const from = console.mark();
    await ok(key, 'DELETE', '/tenants/chan/channels/sales', undefined);
    const me = await console.waitFor(isMe, { from, label: 'me without sales' });
    assert.deepEqual(
      me.me.kind === 'agent' ? me.me.channels.map((c) => c.id) : [],
      ['support'],
    );
    assert.deepEqual(await publicList(), ['support']);
    assert.equal((await call(key, 'GET', '/tenants/chan/channels/sales')).status, 404);
    assert.deepEqual(Object.keys((await ok<{ agent: AgentView }>(key, 'GET', '/tenants/chan/agents/seller', undefined)).agent.channels), ['support']);
    // A deleted channel can be created again under its id.
    assert.equal((await call(key, 'PUT', '/tenants/chan/channels/sales', { name: 'Sales again' })).status, 201);
    assert.deepEqual(await publicList(), ['support', 'sales']);
  });
});

describe('agents', () => {
  test('PUT by external id is idempotent: created once, then updated; channels replace the set', async () => {
    const key = await newTenant('sync');
    const body = { name: 'Siri Sync', email: 'siri@sync.example', maxConcurrentChats: 3, channels: { support: { listen: true } } };
    const first = await ok<{ agent: AgentView; created: boolean }>(key, 'PUT', '/tenants/sync/agents/crm-user-1', body, 201);
    assert.equal(first.created, true);
    assert.match(first.agent.id, /^ag_[\w-]{12}$/);
    assert.deepEqual(first.agent.channels, { support: { respond: true, notifications: true, listen: true, manager: false } });
    const again = await ok<{ agent: AgentView; created: boolean }>(key, 'PUT', '/tenants/sync/agents/crm-user-1', body, 200);
    assert.equal(again.created, false);
    assert.deepEqual(again.agent, first.agent, 'the same call again changes nothing');
    h.clock.advance(1000);
    const changed = await ok<{ agent: AgentView }>(key, 'PUT', '/tenants/sync/agents/crm-user-1', { name: 'Siri Synced', channels: { sales: { manager: true } } }, 200);
    assert.equal(changed.agent.id, first.agent.id);
    assert.equal(changed.agent.name, 'Siri Synced');
    assert.equal(changed.agent.email, 'siri@sync.example', 'fields not given keep their value');
    assert.deepEqual(changed.agent.channels, { sales: { respond: true, notifications: true, listen: false, manager: true } });
    assert.ok((changed.agent.updatedAt ?? 0) > (first.agent.updatedAt ?? 0));
    const patched = await ok<{ agent: AgentView }>(key, 'PATCH', '/tenants/sync/agents/crm-user-1', { email: null });
    assert.equal(patched.agent.email, '');
    // One channel at a time.
    const one = await ok<{ agent: AgentView }>(key, 'PUT', '/tenants/sync/agents/crm-user-1/channels/support', { notifications: false });
    assert.deepEqual(Object.keys(one.agent.channels).sort(), ['sales', 'support']);
    assert.equal(one.agent.channels.support?.notifications, false);
    const out = await ok<{ agent: AgentView }>(key, 'DELETE', '/tenants/sync/agents/crm-user-1/channels/sales', undefined);
    assert.deepEqual(Object.keys(out.agent.channels), ['support']);
  });

  test('a batch of 500 agents is written in one call; the same batch again creates nothing', async () => {
    const key = await newTenant('bulk');
    const agents = Array.from({ length: 500 }, (_, i) => ({
      externalId: `bulk-${String(i).padStart(4, '0')}`,
      name: `Bulk Agent ${String(i)}`,
      maxConcurrentChats: 9,
      channels: i % 2 === 0 ? { support: {} } : { sales: {}, support: { manager: i === 1 } },
    }));
    const first = await ok<{ agents: { externalId: string; id: string; created: boolean }[] }>(key, 'PUT', '/tenants/bulk/agents', { agents });
    assert.equal(first.agents.length, 500);
    assert.ok(first.agents.every((a) => a.created));
    const second = await ok<{ agents: { id: string; created: boolean }[] }>(key, 'PUT', '/tenants/bulk/agents', { agents });
    assert.ok(second.agents.every((a) => !a.created));
    assert.deepEqual(
      second.agents.map((a) => a.id),
      first.agents.map((a) => a.id),
    );
    const list = await ok<{ agents: AgentView[] }>(key, 'GET', '/tenants/bulk/agents', undefined);
    assert.equal(list.agents.length, 500);
    assert.equal(list.agents.filter((a) => 'sales' in a.channels).length, 250);
    // Every one of them can sign in and sees their channels.
    const odd = first.agents[1];
    assert.ok(odd);
    const console = await h.api.agent(odd.id, { tenant: 'bulk' });
    const welcome = console.frames.find((f) => f.t === 'welcome');
    assert.ok(welcome?.t === 'welcome' && welcome.me.kind === 'agent');
    assert.deepEqual(
      welcome.me.channels.map((c) => [c.id, c.permissions.manager]),
      [
        ['support', true],
        ['sales', false],
      ],
    );
  });

  test('a provisioned agent signs in, sees their channels and chats, and follows permission changes live', async () => {
    const key = await newTenant('live');
    const { agent } = await ok<{ agent: AgentView }>(key, 'PUT', '/tenants/live/agents/crm-42', { name: 'Liv Live', channels: { support: {} } }, 201);
    const chat = await h.api.startChat('support', 'Queue Quinn', { tenant: 'live' });
    const salesChat = await h.api.startChat('sales', 'Sales Sune', { tenant: 'live' });
    const console = await h.api.agent(agent.id, { tenant: 'live' });
    const welcome = console.frames.find((f) => f.t === 'welcome');
    assert.ok(welcome?.t === 'welcome' && welcome.me.kind === 'agent');
    assert.equal(welcome.me.name, 'Liv Live');
    assert.deepEqual(
      welcome.me.channels.map((c) => c.id),
      ['support'],
    );
    const board = await console.waitFor(isBoardReset, { label: 'board snapshot' });
    assert.deepEqual(
      board.snapshot.sessions.map((s) => s.id),
      [chat.sessionId],
      'the queued chat of their channel, not the other channel',
    );
    await console.ok({ t: 'accept', sessionId: chat.sessionId });

    // Joining a channel reaches the open console: new permissions and a fresh board.
    const from = console.mark();
    await ok(key, 'PUT', '/tenants/live/agents/crm-42/channels/sales', { manager: true });
    const me = await console.waitFor(isMe, { from, label: 'me with sales' });
    assert.deepEqual(
      me.me.kind === 'agent' ? me.me.channels.map((c) => [c.id, c.permissions.manager]) : [],
      [
        ['support', false],
        ['sales', true],
      ],
    );
    const reset = await console.waitFor(isBoardReset, { from, label: 'board after joining sales' });
    assert.ok(reset.snapshot.sessions.some((s) => s.id === salesChat.sessionId));
  });

  test('renaming an agent reaches open consoles at once: their own me, every roster, the board rows that name them, the name their messages carry', async () => {
    const key = await newTenant('rename');
    const { agent } = await ok<{ agent: AgentView }>(key, 'PUT', '/tenants/rename/agents/renee', { name: 'Renée Before', channels: { support: {} } }, 201);
    const { agent: colleague } = await ok<{ agent: AgentView }>(key, 'PUT', '/tenants/rename/agents/colin', { name: 'Colin Colleague', channels: { support: { manager: true } } }, 201);
    const chat = await h.api.startChat('support', 'Rita Reader', { tenant: 'rename' });
    const mine = await h.api.agent(agent.id, { tenant: 'rename' });
    await mine.ok({ t: 'accept', sessionId: chat.sessionId });
    const other = await h.api.agent(colleague.id, { tenant: 'rename' });
    const before = await other.waitFor(isBoardReset, { label: 'the colleague board' });
    assert.equal(before.snapshot.sessions.find((s) => s.id === chat.sessionId)?.agentName, 'Renée Before');
    assert.equal(before.snapshot.agents.find((a) => a.id === agent.id)?.name, 'Renée Before');
    const customer = await h.api.customer(chat, { tenant: 'rename' });

    const fromMine = mine.mark();
    const fromOther = other.mark();
    await ok(key, 'PATCH', '/tenants/rename/agents/renee', { name: 'Renée After' });
    const me = await mine.waitFor(isMe, { from: fromMine, label: 'me with the new name' });
    assert.equal(me.me.name, 'Renée After');
    await other.waitFor(agentRecord(agent.id, (a) => a.name === 'Renée After'), { from: fromOther, label: 'the roster record with the new name' });
    await mine.waitFor(agentRecord(agent.id, (a) => a.name === 'Renée After'), { from: fromMine, label: 'her own roster record' });
    await other.waitFor(boardRow(chat.sessionId, (s) => s.agentName === 'Renée After'), { from: fromOther, label: 'the board row of her chat' });

    // What she writes from now on carries the new name, to the customer too.
    const fromCustomer = customer.mark();
    await mine.sendOk(chat.sessionId, 'Hello again');
    const seen = await customer.waitFor(where(sessionEventOf(chat.sessionId), (e) => e.data.text === 'Hello again'), { from: fromCustomer, label: 'her message at the customer' });
    assert.equal(seen.data.author.name, 'Renée After');

    // A name sent again unchanged changes nothing that consoles are told.
    const quiet = other.mark();
    await ok(key, 'PATCH', '/tenants/rename/agents/renee', { name: 'Renée After' });
    await other.sync();
    assert.equal(other.frames.slice(quiet).filter(boardRow(chat.sessionId, () => true)).length, 0, 'no board event for an unchanged name');
  });

  test('disabling an agent cuts them off at once: socket closed, tokens and tickets refused, off the boards; enabling lets them sign in again', async () => {
    const key = await newTenant('cut');
    const { agent } = await ok<{ agent: AgentView }>(key, 'PUT', '/tenants/cut/agents/leaver', { name: 'Lea Leaver', channels: { support: {} } }, 201);
    const { agent: colleague } = await ok<{ agent: AgentView }>(key, 'PUT', '/tenants/cut/agents/stayer', { name: 'Stig Stayer', channels: { support: { manager: true } } }, 201);
    const token = await h.api.login(agent.id, 'cut');
    const spareTicket = await h.api.ticket(token);
    const console = await h.api.agent(agent.id, { tenant: 'cut' });
    const disabled = await ok<{ agent: AgentView }>(key, 'POST', '/tenants/cut/agents/leaver/disable', undefined);
    assert.equal(disabled.agent.disabled, true);
    const closed = await console.waitClose();
    assert.equal(closed.code, CLOSE.UNAUTHENTICATED);
    assert.equal(console.all(isError).at(-1)?.code, 'unauthenticated');
    assert.equal((await h.api.request('POST', '/api/tickets', { headers: { authorization: `Bearer ${token}` } })).status, 401, 'the access token is revoked');
    const late = await h.api.open('cut', spareTicket);
    assert.equal((await late.waitClose()).code, CLOSE.UNAUTHENTICATED, 'an outstanding ticket is refused');
    const login = await h.api.request('POST', '/api/demo/login', { json: { tenant: 'cut', agentId: agent.id } });
    assert.equal(login.status, 403);
    const other = await h.api.agent(colleague.id, { tenant: 'cut' });
    const board = await other.waitFor(isBoardReset);
    assert.deepEqual(
      board.snapshot.agents.map((a) => a.id),
      [colleague.id],
      'a disabled agent is no longer on the boards',
    );
    // Disabling keeps the permissions; enabling restores sign-in with them.
    await ok(key, 'POST', '/tenants/cut/agents/leaver/enable', undefined);
    const back = await h.api.request('POST', '/api/demo/login', { json: { tenant: 'cut', agentId: agent.id } });
    assert.equal(back.status, 200);
    const welcome = await (await h.api.open('cut', await h.api.ticket((back.body as { token: string }).token))).hello();
    assert.deepEqual(
      welcome.me.kind === 'agent' ? welcome.me.channels.map((c) => c.id) : [],
      ['support'],
    );
    // The same through PUT (a CRM syncing its users' active flag).
    await ok(key, 'PUT', '/tenants/cut/agents/leaver', { disabled: true });
    assert.equal((await h.api.request('POST', '/api/demo/login', { json: { tenant: 'cut', agentId: agent.id } })).status, 403);
  });

  test('deleting an agent: refused while they handle a chat; then gone, and the external id makes a new agent', async () => {
    const key = await newTenant('del');
    const { agent } = await ok<{ agent: AgentView }>(key, 'PUT', '/tenants/del/agents/temp', { name: 'Tim Temp', channels: { support: {} } }, 201);
    const chat = await h.api.startChat('support', 'Ended Elsa', { tenant: 'del' });
    const console = await h.api.agent(agent.id, { tenant: 'del' });
    await console.ok({ t: 'accept', sessionId: chat.sessionId });
    const busy = await call(key, 'DELETE', '/tenants/del/agents/temp');
    assert.equal(busy.status, 409);
    assert.equal(refusal(busy).code, 'conflict');
    await console.ok({ t: 'end', sessionId: chat.sessionId });
    await ok(key, 'DELETE', '/tenants/del/agents/temp', undefined);
    assert.equal((await console.waitClose()).code, CLOSE.UNAUTHENTICATED);
    assert.equal((await call(key, 'GET', '/tenants/del/agents/temp')).status, 404);
    assert.equal((await h.api.request('POST', '/api/demo/login', { json: { tenant: 'del', agentId: agent.id } })).status, 404);
    const reborn = await ok<{ agent: AgentView; created: boolean }>(key, 'PUT', '/tenants/del/agents/temp', { name: 'Tim Again' }, 201);
    assert.notEqual(reborn.agent.id, agent.id);
    // History keeps the deleted agent's name.
    assert.equal(h.server.db.get<{ name: string }>("SELECT name FROM agents WHERE tenant_id = 'del' AND id = ?", [agent.id])?.name, 'Tim Temp');
  });

  test('the demo agents are reachable by their ids as external ids', async () => {
    const { key } = await ok<{ key: string }>(operatorKey, 'POST', '/tenants/demo/api-keys', { name: 'demo sync' }, 201);
    const anna = await ok<{ agent: AgentView }>(key, 'GET', '/tenants/demo/agents/anna', undefined);
    assert.equal(anna.agent.id, 'anna');
    assert.equal(anna.agent.channels.sales?.manager, true);
  });
});

describe('migration 7', () => {
  test('an existing database keeps its agents, addressed by their ids', async () => {
    const dir = await tempDir();
    const db = openSqlite(join(dir, 'chat.db'), { synchronous: 'NORMAL' });
    try {
      migrate(
        db,
        MIGRATIONS.filter((m) => m.version <= 6),
      );
      db.run("INSERT INTO tenants (id, name, board_epoch, created_at) VALUES ('old', 'Old', 'e0', 1)");
      db.run("INSERT INTO agents (tenant_id, id, name) VALUES ('old', 'olle', 'Olle')");
      assert.deepEqual(
        migrate(
          db,
          MIGRATIONS.filter((m) => m.version <= 7),
        ),
        [7],
      );
      assert.deepEqual(
        { ...db.get<Record<string, unknown>>('SELECT external_id, disabled_at, deleted_at FROM agents WHERE id = ?', ['olle']) },
        { external_id: 'olle', disabled_at: null, deleted_at: null },
      );
      assert.deepEqual({ ...db.get<Record<string, unknown>>("SELECT external_id, settings FROM tenants WHERE id = 'old'") }, { external_id: null, settings: '{}' });
    } finally {
      db.close();
    }
  });
});
