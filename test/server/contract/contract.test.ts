/**
 * The contract of the server, one suite over both hosts (hosts.ts): the Node host and the
 * Cloudflare host under `wrangler dev`. Every test talks to a real server over HTTP and
 * WebSockets only, in a tenant of its own made through the provisioning API, so the hosts are
 * held to the same routes, frames and answers:
 *
 * provisioning with API keys · tokens and tickets · sign-in with the CRM's JWT and verified
 * customers · the route table's auth levels · send, ack and
 * idempotency · resume after reconnect · the get-next race (exactly one winner) · transfer accept
 * and decline · listen-in authorisation · permission revocation · attachments on the attachment
 * origin · operations (/metrics with its key, the limit of refused sign-ins) · restart persistence
 * (graceful and crash). On the Cloudflare host the get-next race, transfer and restart tests also
 * read each chat's own Durable Object (`conversationObject`).
 *
 * Both hosts start once for the whole file (in parallel) and are shared by its tests.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';

import { SignJWT } from 'jose';

import { verifyBotRequest } from '../../../server/core/journey/bot.js';
import { ROUTES } from '../../../server/core/http/routes/index.js';
import type { BotTurnResult } from '../../../src/protocol/channel-settings.js';
import { isBotMessage } from '../../../src/protocol/channel-settings.js';
import type { Route } from '../../../server/core/http/router.js';
import type { AckFrame, Api, HttpResult, NackFrame, OkFrame, ServerFrame, SessionEvent, StartedChat } from '../helpers.js';
import { closeAllClients, isBoardEvent, isNack, isOk, newCmid, sessionEventOf, sessionResetOf, TestClient } from '../helpers.js';
import type { ContractHost } from './hosts.js';
import { METRICS_KEY, SIGN_IN_FAILURES_PER_MINUTE, startCloudflareHost, startNodeHost } from './hosts.js';

const isGone = (f: ServerFrame): f is Extract<ServerFrame, { t: 'gone' }> => f.t === 'gone';
const messageWith = (sessionId: string, text: string) => (f: ServerFrame): f is SessionEvent => sessionEventOf(sessionId)(f) && f.data.text === text;
const eventNamed = (sessionId: string, name: string) => (f: ServerFrame): f is SessionEvent => sessionEventOf(sessionId)(f) && f.data.event === name;
const errorCode = (r: HttpResult): string | undefined => (r.body as { error?: { code?: string } }).error?.code;
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

// ---- the Cloudflare host's conversation objects ---------------------------------------------------

interface ConversationObject {
  session: { id: string; agent_id: string | null; status: string; head_seq: number } | null;
  messages: { id: string; seq: number; event: string | null }[];
}

/**
 * On the Cloudflare host: the chat's own Durable Object (server/cloudflare/conversation.ts) once
 * the tenant object's outbox is empty, read with the operator key; undefined on the Node host.
 * It must hold the chat as the tenant object has it: the same session row, every message once.
 */
async function conversationObject(host: ContractHost, tenant: string, sessionId: string): Promise<ConversationObject | undefined> {
  if (host.name !== 'cloudflare') return undefined;
  const auth = { headers: bearer(host.operatorKey) };
  const deadline = Date.now() + 30_000;
  for (;;) {
    const r = await host.api.request('GET', `/cloudflare/outbox/${tenant}`, auth);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    if ((r.body as { pending: number }).pending === 0) break;
    if (Date.now() > deadline) throw new Error(`the outbox of ${tenant} did not empty: ${JSON.stringify(r.body)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const copy = (await host.api.request('GET', `/cloudflare/conversations/${tenant}/${sessionId}`, auth)).body as ConversationObject;
  const ids = copy.messages.map((m) => m.id);
  assert.equal(new Set(ids).size, ids.length, 'no message twice in the conversation object');
  assert.deepEqual(
    copy.messages.map((m) => m.seq),
    Array.from({ length: copy.messages.length }, (_, i) => i + 1),
    'the whole stream, in seq order',
  );
  assert.equal(copy.session?.head_seq, copy.messages.length);
  return copy;
}

// ---- a tenant of its own per test ---------------------------------------------------------------

interface AgentSpec {
  key: string;
  channels?: Record<string, { respond?: boolean; listen?: boolean; manager?: boolean }>;
}

interface Tenant {
  id: string;
  /** The tenant's own API key. */
  key: string;
  /** Agent ids (the server's) by the spec's key. */
  agents: Record<string, string>;
}

let tenantCounter = 0;

async function expectStatus(r: Promise<HttpResult>, status: number, what: string): Promise<Record<string, unknown>> {
  const answer = await r;
  assert.equal(answer.status, status, `${what}: ${JSON.stringify(answer.body)}`);
  return answer.body as Record<string, unknown>;
}

/**
 * A tenant made as a CRM makes one: the operator creates it and a tenant key; the tenant key puts
 * the channels (`support`, `sales`) and the agents (one batch).
 */
async function newTenant(host: ContractHost, agents: AgentSpec[]): Promise<Tenant> {
  const api = host.api;
  tenantCounter += 1;
  const id = `ct${String(tenantCounter)}-${Math.random().toString(36).slice(2, 8)}`;
  await expectStatus(api.request('POST', '/api/provisioning/tenants', { headers: bearer(host.operatorKey), json: { id, name: `Contract ${id}` } }), 201, 'create tenant');
  const created = await expectStatus(api.request('POST', `/api/provisioning/tenants/${id}/api-keys`, { headers: bearer(host.operatorKey), json: { name: 'contract' } }), 201, 'tenant key');
  const key = created.key as string;
  for (const channel of ['support', 'sales']) {
    await expectStatus(api.request('PUT', `/api/provisioning/tenants/${id}/channels/${channel}`, { headers: bearer(key), json: { name: channel, welcomeMessage: `Welcome to ${channel}` } }), 201, `channel ${channel}`);
  }
  const batch = await expectStatus(
    api.request('PUT', `/api/provisioning/tenants/${id}/agents`, {
      headers: bearer(key),
      json: { agents: agents.map((a) => ({ externalId: `crm-${a.key}`, name: `Agent ${a.key}`, maxConcurrentChats: 20, channels: a.channels ?? { support: {} } })) },
    }),
    200,
    'agents',
  );
  const ids: Record<string, string> = {};
  for (const a of batch.agents as { externalId: string; id: string }[]) ids[a.externalId.slice('crm-'.length)] = a.id;
  return { id, key, agents: ids };
}

/** An agent's console in a tenant (demo sign-in of a provisioned agent, ticket, socket, hello). */
const console_ = (api: Api, t: Tenant, agent: string) => api.agent(t.agents[agent] ?? agent, { tenant: t.id });

interface Chat {
  chat: StartedChat;
  sessionId: string;
  customer: TestClient;
  agent: TestClient;
}

/** A customer starts a chat in `support` and `agent` accepts and subscribes to it. */
async function activeChat(api: Api, t: Tenant, agentKey: string, agent?: TestClient): Promise<Chat> {
  const chat = await api.startChat('support', 'Contract Customer', { tenant: t.id });
  const customer = await api.customer(chat, { tenant: t.id });
  await customer.waitFor(sessionResetOf(chat.sessionId), { label: 'customer session reset' });
  const console = agent ?? (await console_(api, t, agentKey));
  await console.ok({ t: 'accept', sessionId: chat.sessionId });
  await console.ok({ t: 'subscribe', sessionId: chat.sessionId, mode: 'participant' });
  await console.waitFor(sessionResetOf(chat.sessionId), { label: 'agent session reset' });
  return { chat, sessionId: chat.sessionId, customer, agent: console };
}

function refused(answer: OkFrame | NackFrame | AckFrame, code: string): void {
  assert.ok(isNack(answer), `expected nack ${code}, got ${JSON.stringify(answer)}`);
  assert.equal(answer.code, code);
}

// ---- the suite ----------------------------------------------------------------------------------

const hosts: Partial<Record<ContractHost['name'], ContractHost>> = {};

before(async () => {
  const [node, cloudflare] = await Promise.allSettled([startNodeHost(), startCloudflareHost()]);
  if (node.status === 'fulfilled') hosts.node = node.value;
  if (cloudflare.status === 'fulfilled') hosts.cloudflare = cloudflare.value;
  const failed = [node, cloudflare].find((r) => r.status === 'rejected');
  if (failed?.status === 'rejected') throw failed.reason;
});

after(async () => {
  await closeAllClients();
  await Promise.all(Object.values(hosts).map((h) => h.close()));
});

for (const name of ['node', 'cloudflare'] as const) {
  describe(`contract on the ${name} host`, () => {
    const host = (): ContractHost => {
      const h = hosts[name];
      if (!h) throw new Error(`the ${name} host did not start`);
      return h;
    };

    test('chatbot first: the host asks the channel\'s bot with signed requests, carries the signed conversation into the chat, hands off to the queue', async () => {
      const { api } = host();
      const t = await newTenant(host(), [{ key: 'a' }]);
      // A bot's webhook on this machine (node:http): it checks each request's signature as a bot would.
      const secret = `bot-secret-${t.id}-0123456789`;
      const asked: { verified: boolean; texts: string[] }[] = [];
      const bot = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          const header = (n: string) => (typeof req.headers[n] === 'string' ? req.headers[n] : undefined);
          void verifyBotRequest(secret, { timestamp: header('x-chat-timestamp'), signature: header('x-chat-signature') }, raw, Date.now()).then((verified) => {
            const texts = (JSON.parse(raw) as { conversation: { text: string }[] }).conversation.map((c) => c.text);
            asked.push({ verified, texts });
            res.writeHead(verified ? 200 : 401, { 'Content-Type': 'application/json' });
            res.end(JSON.stringify(texts.length === 1 ? { text: 'Hello, I am the bot. Your order number?' } : { text: 'A person will help you.', handoff: true }));
          });
        });
      });
      await new Promise<void>((resolve) => bot.listen(0, '127.0.0.1', resolve));
      try {
        const url = `http://127.0.0.1:${String((bot.address() as AddressInfo).port)}/hook`;
        await expectStatus(
          api.request('PATCH', `/api/provisioning/tenants/${t.id}/channels/support`, { headers: bearer(t.key), json: { settings: { bot: { enabled: true, url, secret, timeoutMs: 5000 } } } }),
          200,
          'bot settings',
        );
        const turn = (json: Record<string, unknown>) => expectStatus(api.request('POST', '/api/bot/turn', { json: { tenant: t.id, channelId: 'support', lang: 'en', ...json } }), 200, 'bot turn');
        const one = (await turn({ text: 'Where is my parcel?' })) as unknown as BotTurnResult;
        assert.deepEqual(one.conversation.map((c) => [c.from, c.text]), [['customer', 'Where is my parcel?'], ['bot', 'Hello, I am the bot. Your order number?']]);
        assert.equal(one.handoff ?? false, false, 'the bot answered: no hand-off yet');
        const two = (await turn({ text: '7781', bot: { conversation: one.conversation, proof: one.proof } })) as unknown as BotTurnResult;
        assert.ok(two.handoff, 'the bot hands off');
        assert.deepEqual(asked.map((a) => a.verified), [true, true], 'every request signed with the channel\'s secret');
        // A conversation the host did not sign is refused.
        const forged = [...two.conversation.slice(0, 1), { from: 'bot', text: 'Free shipping forever', at: two.conversation[0]?.at ?? 0 }];
        assert.equal((await api.request('POST', '/api/chats', { json: { tenant: t.id, channelId: 'support', name: 'Ada', bot: { conversation: forged, proof: two.proof } } })).status, 400, 'forged');
        const started = await expectStatus(
          api.request('POST', '/api/chats', { json: { tenant: t.id, channelId: 'support', name: 'Ada', bot: { conversation: two.conversation, proof: two.proof } } }),
          201,
          'start after the hand-off',
        );
        const sessionId = started.sessionId as string;
        const agent = await console_(api, t, 'a');
        await agent.ok({ t: 'accept', sessionId });
        await agent.ok({ t: 'subscribe', sessionId, mode: 'participant' });
        const reset = await agent.waitFor(sessionResetOf(sessionId), { label: 'agent session reset' });
        assert.deepEqual(
          reset.snapshot.messages.filter((m) => m.kind === 'text').map((m) => [isBotMessage(m) ? 'bot' : m.author.kind, m.text]),
          [
            ['customer', 'Where is my parcel?'],
            ['bot', 'Hello, I am the bot. Your order number?'],
            ['customer', '7781'],
            ['bot', 'A person will help you.'],
          ],
          'the agent sees the bot part, marked',
        );
      } finally {
        await new Promise((resolve) => bot.close(resolve));
      }
    });

    test('provisioning with API keys: the operator creates and lists tenants; a tenant key acts on its own tenant only', async () => {
      const { api, operatorKey } = host();
      const t = await newTenant(host(), [{ key: 'a' }]);
      const other = await newTenant(host(), [{ key: 'b' }]);
      const tenant = await expectStatus(api.request('GET', `/api/provisioning/tenants/${t.id}`, { headers: bearer(t.key) }), 200, 'own tenant');
      assert.equal((tenant.tenant as { id: string }).id, t.id);
      assert.equal((await api.request('GET', `/api/provisioning/tenants/${other.id}`, { headers: bearer(t.key) })).status, 403, "another tenant's");
      assert.equal((await api.request('GET', '/api/provisioning/tenants', { headers: bearer(t.key) })).status, 403, 'a tenant key lists no tenants');
      assert.equal((await api.request('POST', '/api/provisioning/tenants', { headers: bearer(t.key), json: { id: 'nope', name: 'x' } })).status, 403);
      assert.equal((await api.request('GET', `/api/provisioning/tenants/${t.id}`)).status, 401, 'no key');
      // External ids are unique across tenants; the list finds a tenant by it.
      const externalId = `crm-${t.id}`;
      await expectStatus(api.request('PATCH', `/api/provisioning/tenants/${t.id}`, { headers: bearer(t.key), json: { externalId, name: 'Renamed' } }), 200, 'update');
      assert.equal(
        (await api.request('PATCH', `/api/provisioning/tenants/${other.id}`, { headers: bearer(other.key), json: { externalId } })).status,
        409,
        'the external id is taken',
      );
      const found = await expectStatus(api.request('GET', `/api/provisioning/tenants?externalId=${externalId}`, { headers: bearer(operatorKey) }), 200, 'list');
      assert.deepEqual(
        (found.tenants as { id: string; name: string }[]).map((x) => [x.id, x.name]),
        [[t.id, 'Renamed']],
      );
      const all = await expectStatus(api.request('GET', '/api/provisioning/tenants', { headers: bearer(operatorKey) }), 200, 'list all');
      const listed = (all.tenants as { id: string }[]).map((x) => x.id);
      assert.ok(listed.includes(t.id) && listed.includes(other.id), 'every tenant is listed');
      assert.equal((await api.request('POST', '/api/provisioning/tenants', { headers: bearer(operatorKey), json: { id: t.id, name: 'again' } })).status, 409);
      // A revoked key stops at once.
      const keys = await expectStatus(api.request('GET', `/api/provisioning/tenants/${t.id}/api-keys`, { headers: bearer(t.key) }), 200, 'keys');
      const keyId = (keys.apiKeys as { id: string }[])[0]?.id ?? '';
      await expectStatus(api.request('DELETE', `/api/provisioning/tenants/${t.id}/api-keys/${keyId}`, { headers: bearer(operatorKey) }), 200, 'revoke');
      assert.equal((await api.request('GET', `/api/provisioning/tenants/${t.id}`, { headers: bearer(t.key) })).status, 401, 'revoked');
      // Unknown tenants are unknown everywhere.
      assert.equal((await api.request('GET', '/api/provisioning/tenants/no-such-tenant', { headers: bearer(operatorKey) })).status, 404);
      assert.equal((await api.request('GET', '/api/channels?tenant=no-such-tenant')).status, 404);
    });

    test('tokens and tickets: a ticket opens one socket once; logout closes the sockets and revokes the token', async () => {
      const { api } = host();
      const t = await newTenant(host(), [{ key: 'a' }]);
      const token = await api.login(t.agents.a ?? '', t.id);
      const ticket = await api.ticket(token);
      const first = await api.open(t.id, ticket);
      await first.hello();
      const reused = await api.open(t.id, ticket);
      assert.equal((await reused.waitClose()).code, 4401, 'a used ticket');
      const forged = await api.open(t.id, 't.forged.ticket');
      assert.equal((await forged.waitClose()).code, 4401, 'a forged ticket');
      const elsewhere = await api.open('no-such-tenant', await api.ticket(token));
      assert.equal((await elsewhere.waitClose()).code, 4403, 'an unknown tenant');
      assert.equal((await api.request('POST', '/api/logout', { headers: bearer(token) })).status, 200);
      assert.equal((await first.waitClose()).code, 4401, 'logout closes the console');
      assert.equal((await api.request('POST', '/api/tickets', { headers: bearer(token) })).status, 401, 'the token is revoked');
    });

    test('sign-in with the CRM\'s JWT and a verified customer: the tenant\'s secrets set over provisioning', async () => {
      const { api } = host();
      const t = await newTenant(host(), [{ key: 'a' }]);
      const crmSecret = `crm-secret-${t.id}-0123456789abcdefghijklmnop`;
      const shopSecret = `shop-secret-${t.id}-0123456789abcdefghijklmnop`;
      const issuer = 'https://crm.contract.example';
      const audience = `crm-chat:${t.id}`;
      await expectStatus(api.request('PUT', `/api/provisioning/tenants/${t.id}/sign-in`, { headers: bearer(t.key), json: { algorithms: ['HS256'], issuer, audience, secret: crmSecret } }), 201, 'sign-in settings');
      await expectStatus(api.request('PUT', `/api/provisioning/tenants/${t.id}/customer-identity`, { headers: bearer(t.key), json: { secret: shopSecret } }), 201, 'customer identity');
      const now = Math.floor(Date.now() / 1000);
      const jwt = (secret: string, jti: string) =>
        new SignJWT({ name: 'Agent a' }).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setSubject('crm-a').setIssuer(issuer).setAudience(audience).setIssuedAt(now).setExpirationTime(now + 60).setJti(jti).sign(new TextEncoder().encode(secret));
      const good = await jwt(crmSecret, `jti-${t.id}-1`);
      const signedIn = await expectStatus(api.request('POST', '/api/auth/jwt', { json: { tenant: t.id, token: good } }), 200, 'sign-in');
      assert.equal((signedIn.agent as { id: string }).id, t.agents.a);
      const replayed = await api.request('POST', '/api/auth/jwt', { json: { tenant: t.id, token: good } });
      assert.deepEqual([replayed.status, (replayed.body as { error: { reason?: string } }).error.reason], [401, 'token_replayed']);
      const forged = await api.request('POST', '/api/auth/jwt', { json: { tenant: t.id, token: await jwt(shopSecret, `jti-${t.id}-2`) } });
      assert.deepEqual([forged.status, (forged.body as { error: { reason?: string } }).error.reason], [401, 'bad_signature']);
      // The access token opens a console like any other.
      const console = await api.open(t.id, await api.ticket(signedIn.token as string));
      await console.hello();
      // A customer the website vouches for starts a verified chat; a forged token starts an unverified one.
      const identity = (secret: string) => new SignJWT({ name: 'Kim Andersson', email: 'kim@example.com' }).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setSubject('shop-1').setIssuedAt(now).setExpirationTime(now + 600).sign(new TextEncoder().encode(secret));
      const verified = await expectStatus(api.request('POST', '/api/chats', { json: { tenant: t.id, channelId: 'support', identityToken: await identity(shopSecret) } }), 201, 'verified chat');
      assert.equal(verified.identity, 'verified');
      const unverified = await expectStatus(api.request('POST', '/api/chats', { json: { tenant: t.id, channelId: 'support', name: 'Eve', identityToken: await identity(crmSecret) } }), 201, 'forged identity');
      assert.equal(unverified.identity, 'unverified');
    });

    test('the route table: every guarded route refuses missing and wrong credentials the same way', async () => {
      const { api } = host();
      const t = await newTenant(host(), [{ key: 'a' }]);
      const chat = await api.startChat('support', 'Route Rita', { tenant: t.id });
      const concrete = (path: string) =>
        path
          .split('/')
          .map((s) => (s.startsWith(':') || s === '*' ? 'x' : s))
          .join('/');
      const methods = (r: Route) => (typeof r.method === 'string' ? [r.method] : [...r.method]);
      for (const r of ROUTES.filter((x) => x.auth === 'agent' || x.auth === 'agent-or-customer' || x.auth === 'tenant-key' || x.auth === 'operator-key')) {
        for (const m of methods(r)) {
          const answer = await api.request(m, concrete(r.path));
          assert.equal(answer.status, 401, `${m} ${r.path} without credentials: ${JSON.stringify(answer.body)}`);
          assert.equal(errorCode(answer), 'unauthenticated');
        }
      }
      for (const r of ROUTES.filter((x) => x.auth === 'agent')) {
        for (const m of methods(r)) {
          const answer = await api.request(m, concrete(r.path), { headers: bearer(chat.token) });
          assert.equal(answer.status, 403, `${m} ${r.path} with a customer's token`);
          assert.equal(errorCode(answer), 'forbidden');
        }
      }
      assert.deepEqual((await api.request('GET', '/api/nope')).body, { error: { code: 'not_found', message: 'no route GET /api/nope' } });
      assert.equal((await api.request('POST', '/api/test/clock', { json: { advanceMs: 1 } })).status, 404, 'no test clock');
      const preflight = await api.request('OPTIONS', '/api/anything', { headers: { origin: api.origin } });
      assert.equal(preflight.status, 204);
      assert.equal((await api.request('GET', `/api/channels?tenant=${t.id}`, { headers: { origin: 'https://evil.example' } })).status, 403, 'a foreign origin');
    });

    test('demo pages: served by the route table under the strict Content Security Policy', async () => {
      const { api } = host();
      const home = await fetch(`${api.baseUrl}/`, { redirect: 'manual' });
      assert.deepEqual([home.status, home.headers.get('location')], [302, '/demo/']);
      await home.arrayBuffer();
      const page = await fetch(`${api.baseUrl}/demo/customer.html`);
      assert.equal(page.status, 200);
      assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
      const policy = page.headers.get('content-security-policy') ?? '';
      assert.match(policy, /script-src 'self'/);
      assert.match(policy, /require-trusted-types-for 'script'/);
      assert.equal(page.headers.get('x-content-type-options'), 'nosniff');
      assert.match(await page.text(), /<chat-visitor /);
      const missing = await fetch(`${api.baseUrl}/demo/no-such-page.html`);
      assert.equal(missing.status, 404);
      await missing.arrayBuffer();
    });

    test("the welcome names where each chat's stream is served: on Node this socket; on Cloudflare the chat's own object, whose socket there serves it", async () => {
      const { api } = host();
      const t = await newTenant(host(), [{ key: 'a' }]);
      const c = await activeChat(api, t, 'a');
      const named = (client: TestClient) => (client.welcome as { streams?: { session?: string } } | undefined)?.streams;
      if (name === 'node') {
        assert.equal(named(c.agent), undefined, 'every stream on the one socket');
        assert.equal(named(c.customer), undefined, 'every stream on the one socket');
        return;
      }
      const path = named(c.customer)?.session;
      assert.equal(path, `/parties/conversation/${t.id}/{id}`, "the customer's welcome names the chats' objects");
      assert.equal(named(c.agent)?.session, path, "so does the agent's");
      // A socket at the named path, with a ticket of its own, serves the chat's stream: what the
      // agent writes on the tenant's socket arrives there once.
      const url = `${api.origin.replace(/^http/, 'ws')}${path.replace('{id}', c.sessionId)}?_pk=${newCmid('tab')}&token=${await api.ticket(c.chat.token)}`;
      const own = await TestClient.open(url, { origin: api.origin, label: 'customer on the named stream' });
      await own.hello();
      await own.waitFor(sessionResetOf(c.sessionId), { label: "the chat's snapshot on its own socket" });
      const from = own.mark();
      const sent = await c.agent.sendOk(c.sessionId, 'on the named stream');
      await own.waitFor((f): f is SessionEvent => sessionEventOf(c.sessionId)(f) && f.data.id === sent.msgId, { from, label: 'the message on the named stream' });
      await own.sync();
      assert.equal(own.all((f): f is SessionEvent => sessionEventOf(c.sessionId)(f) && f.data.id === sent.msgId, from).length, 1, 'once');
    });

    test('send, ack and idempotency: one message per cmid, the same ack again, delivered once', async () => {
      const { api } = host();
      const t = await newTenant(host(), [{ key: 'a' }]);
      const c = await activeChat(api, t, 'a');
      const cmid = newCmid();
      const first = await c.customer.sendOk(c.sessionId, 'Hello, once', { cmid });
      assert.equal(first.duplicate, false);
      const again = await c.customer.sendOk(c.sessionId, 'Hello, once', { cmid });
      assert.equal(again.duplicate, true);
      assert.equal(again.msgId, first.msgId);
      assert.equal(again.seq, first.seq);
      refused(await c.customer.send(c.sessionId, 'Something else', { cmid }), 'invalid');
      const reply = await c.agent.sendOk(c.sessionId, 'Hello back');
      await c.customer.waitFor(messageWith(c.sessionId, 'Hello back'));
      await c.agent.sync();
      assert.equal(c.agent.all(messageWith(c.sessionId, 'Hello, once')).length, 1, 'delivered once');
      const agentSeqs = c.agent.all(sessionEventOf(c.sessionId)).map((e) => e.seq);
      assert.deepEqual(agentSeqs, [...agentSeqs].sort((a, b) => a - b), 'in order');
      assert.ok(reply.seq > 0);
    });

    test('resume after reconnect: the missed events are replayed, gapless, and nothing twice', async () => {
      const { api } = host();
      const t = await newTenant(host(), [{ key: 'a' }]);
      const c = await activeChat(api, t, 'a');
      await c.agent.sendOk(c.sessionId, 'before the drop');
      const seen = await c.customer.waitFor(messageWith(c.sessionId, 'before the drop'));
      await c.customer.close();
      const missed = ['one', 'two', 'three'];
      for (const text of missed) await c.agent.sendOk(c.sessionId, text);
      const back = await api.customer(c.chat, { tenant: t.id, resume: { sessions: [{ id: c.sessionId, epoch: seen.epoch, seq: seen.seq }] } });
      const status = back.welcome?.resume.find((s) => s.stream === `session:${c.sessionId}`);
      assert.equal(status?.status, 'replay');
      await back.waitFor(messageWith(c.sessionId, 'three'));
      const replayed = back.all(sessionEventOf(c.sessionId));
      assert.deepEqual(
        replayed.map((e) => e.data.text),
        missed,
      );
      assert.deepEqual(
        replayed.map((e) => e.seq),
        [seen.seq + 1, seen.seq + 2, seen.seq + 3],
      );
      // The agent's board resumes too.
      const board = c.agent.welcome?.resume.find((s) => s.stream === 'board');
      assert.ok(board);
    });

    test('get next in queue: many agents race for each chat, exactly one wins', async () => {
      const { api } = host();
      const keys = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
      const t = await newTenant(
        host(),
        keys.map((key) => ({ key })),
      );
      const agents = await Promise.all(keys.map((k) => console_(api, t, k)));
      const winners = new Map<string, number>();
      for (let round = 0; round < 5; round++) {
        const chat = await api.startChat('support', `Racer ${String(round)}`, { tenant: t.id });
        await Promise.all(agents.map((a) => a.waitFor((f): f is ServerFrame => isBoardEvent(f) && f.kind === 'session' && f.data.id === chat.sessionId, { label: 'queued on the board' })));
        const rid = `race${String(round)}`;
        const froms = agents.map((a) => a.mark());
        for (const a of agents) a.sendJson({ t: 'next', rid });
        const answers = await Promise.all(agents.map((a, i) => a.waitFor((f): f is OkFrame | NackFrame => (isOk(f) || isNack(f)) && f.rid === rid, { from: froms[i] })));
        const oks = answers.filter(isOk);
        assert.equal(oks.length, 1, `round ${String(round)}: ${JSON.stringify(answers)}`);
        assert.deepEqual(oks[0]?.data, { sessionId: chat.sessionId });
        assert.ok(answers.filter(isNack).every((n) => n.code === 'queue_empty'));
        winners.set(chat.sessionId, answers.findIndex(isOk));
      }
      // Every console agrees on the owner of every chat.
      const snap = (await api.request('GET', '/api/snapshot', { headers: bearer(await api.token(t.agents.a ?? '', t.id)) })).body as { sessions: { id: string; agentId?: string }[] };
      for (const [sessionId, i] of winners) assert.equal(snap.sessions.find((s) => s.id === sessionId)?.agentId, t.agents[keys[i] ?? '']);
      // Cloudflare: each chat's own object names the same winner.
      for (const [sessionId, i] of winners) {
        const copy = await conversationObject(host(), t.id, sessionId);
        if (copy) assert.equal(copy.session?.agent_id, t.agents[keys[i] ?? '']);
      }
    });

    test('transfer: an offer accepted changes hands; an offer declined leaves the chat with the sender', async () => {
      const { api } = host();
      const t = await newTenant(host(), [{ key: 'a' }, { key: 'b' }]);
      const b = await console_(api, t, 'b');
      const c = await activeChat(api, t, 'a');
      const to = { agentId: t.agents.b };
      // Declined: the sender keeps the chat and writes on.
      await c.agent.ok({ t: 'transfer', sessionId: c.sessionId, to });
      await b.waitFor((f): f is ServerFrame => isBoardEvent(f) && f.kind === 'session' && f.data.id === c.sessionId && f.data.transfer?.toAgentId === t.agents.b);
      await b.ok({ t: 'transfer-answer', sessionId: c.sessionId, accept: false });
      await c.agent.waitFor(eventNamed(c.sessionId, 'transfer-declined'));
      await c.agent.sendOk(c.sessionId, 'still mine');
      // Accepted: the customer sees the new agent join; the old one reads on, read-only.
      const customerFrom = c.customer.mark();
      await c.agent.ok({ t: 'transfer', sessionId: c.sessionId, to });
      assert.deepEqual(await b.ok({ t: 'transfer-answer', sessionId: c.sessionId, accept: true }), { sessionId: c.sessionId });
      const joined = await c.customer.waitFor(eventNamed(c.sessionId, 'joined'), { from: customerFrom });
      assert.equal(joined.data.author.name, 'Agent b');
      await b.ok({ t: 'subscribe', sessionId: c.sessionId, mode: 'participant' });
      const ack = await b.sendOk(c.sessionId, 'b here');
      await c.agent.waitFor((f): f is SessionEvent => sessionEventOf(c.sessionId)(f) && f.data.id === ack.msgId);
      refused(await c.agent.send(c.sessionId, 'me again?'), 'forbidden');
      // Cloudflare: the chat's own object follows the hand-over.
      const copy = await conversationObject(host(), t.id, c.sessionId);
      if (copy) {
        assert.equal(copy.session?.agent_id, t.agents.b);
        assert.ok(copy.messages.some((m) => m.id === ack.msgId));
        assert.ok(copy.messages.some((m) => m.event === 'transfer-declined'));
      }
    });

    test('listen-in: only with the listen permission; the customer and the agent see nothing of it', async () => {
      const { api } = host();
      const t = await newTenant(host(), [{ key: 'a' }, { key: 'sup', channels: { support: { listen: true, manager: true } } }, { key: 'plain' }, { key: 'other', channels: { sales: { listen: true } } }]);
      const c = await activeChat(api, t, 'a');
      const plain = await console_(api, t, 'plain');
      const other = await console_(api, t, 'other');
      refused(await plain.command({ t: 'subscribe', sessionId: c.sessionId, mode: 'listen' }), 'forbidden');
      refused(await other.command({ t: 'subscribe', sessionId: c.sessionId, mode: 'listen' }), 'forbidden');
      refused(await c.customer.command({ t: 'subscribe', sessionId: c.sessionId, mode: 'listen' }), 'forbidden');
      const sup = await console_(api, t, 'sup');
      assert.equal(((await sup.ok({ t: 'subscribe', sessionId: c.sessionId, mode: 'listen' })) as { mode: string }).mode, 'listen');
      await c.customer.sendOk(c.sessionId, 'private matter');
      await sup.waitFor(messageWith(c.sessionId, 'private matter'));
      refused(await sup.send(c.sessionId, 'listeners do not write'), 'forbidden');
      await plain.sync();
      assert.equal(plain.all(sessionEventOf(c.sessionId)).length + other.all(sessionEventOf(c.sessionId)).length, 0);
      const audit = await expectStatus(api.request('GET', `/api/audit/listen?sessionId=${c.sessionId}`, { headers: bearer(await api.token(t.agents.sup ?? '', t.id)) }), 200, 'audit');
      assert.deepEqual(
        (audit.entries as { agentId: string }[]).map((e) => e.agentId),
        [t.agents.sup],
      );
    });

    test('permission revocation: a manager takes the listen permission away and the stream stops at once', async () => {
      const { api } = host();
      const t = await newTenant(host(), [{ key: 'a' }, { key: 'mgr', channels: { support: { manager: true } } }, { key: 'l', channels: { support: { listen: true } } }]);
      const c = await activeChat(api, t, 'a');
      const listener = await console_(api, t, 'l');
      await listener.ok({ t: 'subscribe', sessionId: c.sessionId, mode: 'listen' });
      await c.customer.sendOk(c.sessionId, 'before');
      await listener.waitFor(messageWith(c.sessionId, 'before'));
      const perms = { respond: true, notifications: true, listen: false, manager: false };
      const from = listener.mark();
      const mgrToken = await api.token(t.agents.mgr ?? '', t.id);
      assert.equal((await api.request('POST', '/api/admin/permissions', { headers: bearer(await api.token(t.agents.a ?? '', t.id)), json: { agentId: t.agents.l, channelId: 'support', permissions: perms } })).status, 403, 'not a manager');
      await expectStatus(api.request('POST', '/api/admin/permissions', { headers: bearer(mgrToken), json: { agentId: t.agents.l, channelId: 'support', permissions: perms } }), 200, 'revoke');
      assert.deepEqual(await listener.waitFor(isGone, { from }), { t: 'gone', stream: `session:${c.sessionId}`, reason: 'revoked' });
      await c.customer.sendOk(c.sessionId, 'after');
      await c.agent.waitFor(messageWith(c.sessionId, 'after'));
      await listener.sync();
      assert.equal(listener.all(sessionEventOf(c.sessionId), from).length, 0, 'nothing after the revocation');
      refused(await listener.command({ t: 'subscribe', sessionId: c.sessionId, mode: 'listen' }), 'forbidden');
    });

    test('attachments: an upload is checked, stored, and downloaded from the attachment origin only', async () => {
      const { api } = host();
      const t = await newTenant(host(), [{ key: 'a' }]);
      const c = await activeChat(api, t, 'a');
      const upload = (name: string, body: Uint8Array<ArrayBuffer>) =>
        fetch(`${api.baseUrl}/api/attachments?sessionId=${c.sessionId}`, { method: 'POST', headers: { ...bearer(c.chat.token), 'x-file-name': encodeURIComponent(name) }, body });
      const html = await upload('x.png', new TextEncoder().encode('<html><script>alert(1)</script></html>'));
      assert.equal(html.status, 415);
      assert.equal(((await html.json()) as { error: { reason: string } }).error.reason, 'type');
      const bytes = new TextEncoder().encode('Kvitto: 149 kr\n');
      const stored = await upload('kvitto.txt', bytes);
      assert.equal(stored.status, 201);
      const { attachment } = (await stored.json()) as { attachment: { id: string; name: string; type: string; size: number } };
      assert.deepEqual([attachment.name, attachment.type, attachment.size], ['kvitto.txt', 'text/plain', bytes.length]);
      const signed = await expectStatus(api.request('GET', `/api/attachments/${attachment.id}/url`, { headers: bearer(await api.token(t.agents.a ?? '', t.id)) }), 200, 'signed URL');
      const url = new URL(signed.url as string);
      assert.notEqual(url.origin, new URL(api.baseUrl).origin, 'another origin than the API');
      const download = await fetch(url);
      assert.equal(download.status, 200);
      assert.equal(download.headers.get('content-security-policy'), "sandbox; default-src 'none'");
      assert.equal(download.headers.get('content-disposition'), "attachment; filename*=UTF-8''kvitto.txt");
      assert.equal(await download.text(), 'Kvitto: 149 kr\n');
      const tampered = await fetch(`${url.origin}${url.pathname}?exp=${url.searchParams.get('exp') ?? ''}&sig=AAAA`);
      assert.equal(tampered.status, 403);
      await tampered.arrayBuffer();
      const api404 = await fetch(`${url.origin}/api/channels?tenant=${t.id}`);
      assert.equal(api404.status, 404, 'the attachment origin serves nothing else');
      await api404.arrayBuffer();
      // Sent with a message, both sides see it.
      const cmid = newCmid();
      c.customer.sendJson({ t: 'send', cmid, sessionId: c.sessionId, kind: 'text', text: '', attachmentIds: [attachment.id] });
      const withFile = await c.agent.waitFor((f): f is SessionEvent => sessionEventOf(c.sessionId)(f) && f.data.attachments?.[0]?.id === attachment.id);
      assert.equal(withFile.data.attachments?.length, 1);
    });

    test('operations: /metrics with its key shows a tenant\'s traffic; refused sign-ins of one address end in 429', async () => {
      const { api } = host();
      const t = await newTenant(host(), [{ key: 'a' }]);
      // Node: the whole process (the tenant parameter is ignored); Cloudflare: that tenant's object.
      const path = `/metrics?tenant=${t.id}`;
      assert.equal((await api.request('GET', path)).status, 401, 'no key');
      assert.equal((await api.request('GET', path, { headers: bearer('wrong-key-wrong-key-wrong-key') })).status, 401, 'a wrong key');
      const scrape = async (): Promise<Map<string, number>> => {
        const res = await fetch(`${api.baseUrl}${path}`, { headers: bearer(METRICS_KEY) });
        assert.equal(res.status, 200);
        assert.equal(res.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
        const samples = new Map<string, number>();
        for (const line of (await res.text()).split('\n')) {
          const m = /^([a-z_]+(?:\{[^}]*\})?) (\S+)$/.exec(line);
          if (m) samples.set(m[1] ?? '', Number(m[2]));
        }
        return samples;
      };
      const before = await scrape();
      const c = await activeChat(api, t, 'a');
      await c.customer.sendOk(c.sessionId, 'How much is it?');
      await c.agent.sendOk(c.sessionId, 'Nothing at all');
      // Refused sign-ins from this address: the limit's 429 comes at the latest after the limit.
      const statuses: number[] = [];
      for (let i = 0; i <= SIGN_IN_FAILURES_PER_MINUTE && !statuses.includes(429); i++) {
        statuses.push((await api.request('POST', '/api/auth/jwt', { json: { tenant: t.id, token: 'not.a.jwt' } })).status);
      }
      assert.equal(statuses.at(-1), 429, `statuses ${JSON.stringify(statuses)}`);
      assert.ok(statuses.slice(0, -1).every((s) => s === 403), 'refused before: the tenant has no JWT sign-in (sign_in_not_configured)');
      const limited = await api.request('POST', '/api/auth/jwt', { json: { tenant: t.id, token: 'not.a.jwt' } });
      assert.deepEqual([limited.status, (limited.body as { error: { reason?: string } }).error.reason], [429, 'sign_in_failures_per_minute']);

      const after = await scrape();
      const delta = (name: string) => (after.get(name) ?? NaN) - (before.get(name) ?? 0);
      /** Each figure before and after, for the failure message. */
      const figures = () => JSON.stringify(Object.fromEntries([...after].filter(([k]) => !k.includes('_bucket')).map(([k, v]) => [k, [before.get(k), v]])));
      assert.equal(after.get(`crm_chat_connections{tenant="${t.id}"}`), 2, 'the agent and the customer');
      assert.equal(delta('crm_chat_messages_total'), 2);
      assert.ok(delta('crm_chat_frames_total{direction="in"}') >= 6, `hellos, accept, subscribe, two sends: ${figures()}`);
      assert.ok(delta('crm_chat_frames_total{direction="out"}') >= 2, figures());
      assert.ok(delta('crm_chat_ack_latency_seconds_count') >= 2, figures());
      // Group commits (and the inbox) are the Node host's: on Cloudflare each frame is the object's own write.
      assert.ok(delta('crm_chat_refusals_total{reason="sign_in_failures_per_minute"}') >= 2, `the 429s: ${figures()}`);
      assert.ok(delta('crm_chat_sign_in_refusals_total') >= 1, `the 403s: ${figures()}`);
      for (const name of ['crm_chat_inbox_frames', 'crm_chat_commit_duration_seconds_count', 'crm_chat_refusals_total{reason="frames_per_minute"}']) assert.ok(after.has(name), name);
    });

    for (const how of ['graceful', 'crash'] as const) {
      test(`restart persistence (${how === 'graceful' ? 'SIGTERM' : 'SIGKILL'}): every acked message is replayed, tokens still work, the chat goes on`, async () => {
        const h = host();
        const t = await newTenant(h, [{ key: 'a' }]);
        const c = await activeChat(h.api, t, 'a');
        const acked: AckFrame[] = [];
        for (let i = 0; i < 3; i++) {
          acked.push(await c.customer.sendOk(c.sessionId, `customer ${String(i)}`));
          acked.push(await c.agent.sendOk(c.sessionId, `agent ${String(i)}`));
        }
        const last = acked.at(-1);
        assert.ok(last);
        const reset = c.agent.all(sessionResetOf(c.sessionId))[0];
        assert.ok(reset);
        const agentToken = await h.api.token(t.agents.a ?? '', t.id);
        const closes = [c.agent.closed, c.customer.closed];
        await h.restart(how);
        await Promise.all(closes);
        // The same access tokens work after the restart.
        const ticket = await h.api.ticket(agentToken);
        const agent = await h.api.open(t.id, ticket, { label: 'agent after restart' });
        const welcome = await agent.hello({ sessions: [{ id: c.sessionId, epoch: reset.epoch, seq: 0 }] });
        assert.deepEqual(welcome.resume.find((s) => s.stream === `session:${c.sessionId}`), { stream: `session:${c.sessionId}`, status: 'replay', epoch: reset.epoch, toSeq: last.seq });
        await agent.waitFor((f): f is SessionEvent => sessionEventOf(c.sessionId)(f) && f.seq === last.seq);
        // Every acked message is there (the customer's acks count in the customer's numbering: by id).
        const replayed = new Set(agent.all(sessionEventOf(c.sessionId)).map((e) => e.data.id));
        assert.deepEqual(
          acked.filter((a) => !replayed.has(a.msgId)),
          [],
          'acked before the restart, missing after it',
        );
        // The chat goes on: the resumed console follows it.
        const customer = await h.api.customer(c.chat, { tenant: t.id });
        const afterwards = await customer.sendOk(c.sessionId, 'after the restart');
        await agent.waitFor(messageWith(c.sessionId, 'after the restart'));
        // Cloudflare: the chat's own object has every acked message once, from both sides of the restart.
        const copy = await conversationObject(h, t.id, c.sessionId);
        if (copy) {
          const held = new Set(copy.messages.map((m) => m.id));
          assert.deepEqual(
            [...acked, afterwards].filter((a) => !held.has(a.msgId)),
            [],
          );
        }
      });
    }
  });
}
