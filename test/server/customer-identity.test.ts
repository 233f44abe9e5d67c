/**
 * Customer identity verification over real HTTP against the real server: the website's token
 * (a JWT, HS256, with the tenant's customer identity secret) is checked when the chat starts. A
 * good one makes the session verified with the token's id, name and e-mail (agents see it in the
 * board); a tampered, expired, not-yet-valid, too long-lived or foreign-secret token starts the
 * chat unverified, and its claims never become the customer's name or e-mail nor match a CRM
 * contact. The contact panel's match call puts the verified contact first.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import type { JWTPayload } from 'jose';
import { SignJWT } from 'jose';

import type { SessionSummary } from '../../src/protocol/model.js';
import type { CrmMatch } from '../../src/crm/types.js';
import type { Harness } from './helpers.js';
import { startServer } from './helpers.js';

const SHOP_SECRET = 'nordlys-shop-identity-secret-0123456789ab';
const KIM = { sub: 'shop-1001', name: 'Kim Andersson', email: 'kim.andersson@example.com' };

let h: Harness;
let agentToken: string;

const nowS = () => Math.floor(h.clock.now() / 1000);

function sign(claims: JWTPayload = {}, secret = SHOP_SECRET, alg = 'HS256'): Promise<string> {
  return new SignJWT({ ...KIM, iat: nowS(), exp: nowS() + 3600, ...claims }).setProtectedHeader({ alg }).sign(new TextEncoder().encode(secret));
}

async function start(body: Record<string, unknown>): Promise<{ sessionId: string; identity?: string }> {
  const r = await h.api.request('POST', '/api/chats', { json: { tenant: 'demo', channelId: 'support', ...body } });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body as { sessionId: string; identity?: string };
}

/** The session as an agent's board shows it. */
async function summary(sessionId: string): Promise<SessionSummary> {
  const r = await h.api.request('GET', '/api/snapshot', { headers: { authorization: `Bearer ${agentToken}` } });
  assert.equal(r.status, 200);
  const s = (r.body as { sessions: SessionSummary[] }).sessions.find((x) => x.id === sessionId);
  assert.ok(s, 'the chat is on the board');
  return s;
}

before(async () => {
  h = await startServer();
  const { key } = await h.server.provisioning.keys.create({ tenantId: 'demo', name: 'shop', createdBy: 'test' });
  const set = await h.api.request('PUT', '/api/provisioning/tenants/demo/customer-identity', { headers: { authorization: `Bearer ${key}` }, json: { secret: SHOP_SECRET } });
  assert.equal(set.status, 200, 'the demo tenant got a random secret at start; the shop sets its own');
  agentToken = await h.api.token('erik');
});
after(async () => {
  await h.close();
});

describe('identity token at chat start', () => {
  test('a good token: verified, with the id, name and e-mail of the token', async () => {
    const started = await start({ identityToken: await sign() });
    assert.equal(started.identity, 'verified');
    const s = await summary(started.sessionId);
    assert.deepEqual(s.identity, { verified: true, externalId: 'shop-1001', name: 'Kim Andersson', email: 'kim.andersson@example.com' });
    assert.deepEqual(s.customer, { name: 'Kim Andersson', email: 'kim.andersson@example.com' }, 'the verified claims fill the customer');

    // A name typed in the form is shown, the verified e-mail wins over a typed one.
    const typed = await start({ identityToken: await sign(), name: 'Kim A.', email: 'other@example.com' });
    assert.deepEqual((await summary(typed.sessionId)).customer, { name: 'Kim A.', email: 'kim.andersson@example.com' });
  });

  const bad: [string, () => Promise<string>][] = [
    ['tampered payload', async () => {
      const [head, , sig] = (await sign()).split('.');
      const payload = Buffer.from(JSON.stringify({ ...KIM, sub: 'shop-9999', email: 'ylva@wetterqvist-design.example', exp: nowS() + 600 })).toString('base64url');
      return `${head ?? ''}.${payload}.${sig ?? ''}`;
    }],
    ['expired', () => sign({ iat: nowS() - 7200, exp: nowS() - 60 })],
    ['not yet valid', () => sign({ nbf: nowS() + 600 })],
    ['valid for more than a day', () => sign({ exp: nowS() + 3 * 24 * 3600 })],
    ['another secret', () => sign({}, 'somebody-elses-secret-0123456789abcdefgh')],
    ['another algorithm', () => sign({}, SHOP_SECRET, 'HS512')],
    ['no subject', () => sign({ sub: undefined })],
  ];
  for (const [what, make] of bad) {
    test(`${what}: the chat starts unverified; the claims are neither the customer nor matched`, async () => {
      const started = await start({ identityToken: await make(), name: 'Typed Name' });
      assert.equal(started.identity, 'unverified');
      const s = await summary(started.sessionId);
      assert.equal(s.identity?.verified, false);
      assert.deepEqual(s.customer, { name: 'Typed Name' }, 'only what the customer typed');
    });
  }

  test('no token: no identity at all; garbage: unverified without claims', async () => {
    const plain = await start({ name: 'Anonymous' });
    assert.equal(plain.identity, undefined);
    assert.equal((await summary(plain.sessionId)).identity, undefined);
    const garbage = await start({ identityToken: 'not a token <script>' });
    assert.equal(garbage.identity, 'unverified');
    assert.deepEqual((await summary(garbage.sessionId)).identity, { verified: false });
  });
});

describe('matching', () => {
  test('the verified identity finds its CRM contact first; unverified claims find nothing', async () => {
    const verified = await summary((await start({ identityToken: await sign() })).sessionId);
    const matches = async (body: object): Promise<CrmMatch[]> => {
      const r = await h.api.request('POST', '/api/crm/matches', { headers: { authorization: `Bearer ${agentToken}` }, json: body });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return (r.body as { matches: CrmMatch[] }).matches;
    };
    const identity = verified.identity;
    assert.ok(identity?.externalId !== undefined);
    const found = await matches({ name: '', verified: { externalId: identity.externalId, email: identity.email } });
    assert.equal(found[0]?.contact.email, 'kim.andersson@example.com');
    assert.equal(found[0].reasons[0], 'verified');

    // A forged token claiming Kim: the console has nothing to match on.
    const forgedToken = await sign({}, 'forger-secret-forger-secret-forger-secret');
    const forged = await summary((await start({ identityToken: forgedToken })).sessionId);
    assert.deepEqual(forged.identity, { verified: false, externalId: 'shop-1001', name: 'Kim Andersson', email: 'kim.andersson@example.com' }, 'the claims are kept only to be shown as unverified');
    assert.equal(forged.customer.email, undefined);
    assert.deepEqual(await matches({ name: forged.customer.name }), []);
  });
});
