/**
 * Agent sign-in with a JWT the host CRM signed (`POST /api/auth/jwt`, docs/integration.md), over
 * real HTTP against the real server: the tenant's settings through the provisioning API (secrets
 * never echoed), a good token signs an agent in (and the access token opens a console), and every
 * refusal answers its stable reason: wrong signature, tampered payload, wrong issuer and audience,
 * expired, not yet valid, too long-lived, replayed jti (also after a restart), algorithm not
 * allowed, unknown agent without JIT, disabled and deleted agents. Just-in-time creation, roles
 * mapped to channels, RS256 with a JWKS (inline and from a URL) and ES256 with a PEM key.
 */
import assert from 'node:assert/strict';
import { readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import type { JWTPayload } from 'jose';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT } from 'jose';

import type { Harness, HttpResult } from './helpers.js';
import { startServer, tempDir } from './helpers.js';

const SECRET = 'acme-crm-sign-in-secret-0123456789abcdef';
const OTHER_SECRET = 'somebody-else-secret-0123456789abcdefghijk';
const ISSUER = 'https://crm.acme.example';
const AUDIENCE = 'crm-chat:acme';

interface ErrorBody {
  error: { code: string; message: string; reason?: string; fields?: Record<string, string> };
}
interface SignInAnswer {
  token: string;
  expiresAt: number;
  agent: { id: string; externalId: string; name: string; email: string };
  created: boolean;
}

let h: Harness;
let key: string;
let jtiCounter = 0;

function prov(method: string, path: string, json?: unknown, apiKey = key): Promise<HttpResult> {
  return h.api.request(method, `/api/provisioning/tenants/acme${path}`, { headers: { authorization: `Bearer ${apiKey}` }, ...(json !== undefined ? { json } : {}) });
}

async function provOk<T>(method: string, path: string, json?: unknown, status = 200): Promise<T> {
  const r = await prov(method, path, json);
  assert.equal(r.status, status, `${method} ${path}: ${JSON.stringify(r.body)}`);
  return r.body as T;
}

/** Seconds on the server's clock. */
const nowS = () => Math.floor(h.clock.now() / 1000);

/** A token as the CRM signs it; `claims` and `options` change the defaults. */
async function sign(claims: JWTPayload = {}, options: { secret?: string; alg?: string; omit?: string[]; key?: CryptoKey | Uint8Array; kid?: string } = {}): Promise<string> {
  jtiCounter += 1;
  const defaults: JWTPayload = {
    sub: 'crm-user-1',
    name: 'Anna Andersson',
    email: 'anna@acme.example',
    iss: ISSUER,
    aud: AUDIENCE,
    iat: nowS(),
    exp: nowS() + 120,
    jti: `jti-${String(jtiCounter)}-${String(Date.now())}`,
    ...claims,
  };
  const omitted = new Set(options.omit ?? []);
  const payload = Object.fromEntries(Object.entries(defaults).filter(([name, value]) => !omitted.has(name) && value !== undefined));
  return new SignJWT(payload)
    .setProtectedHeader({ alg: options.alg ?? 'HS256', typ: 'JWT', ...(options.kid !== undefined ? { kid: options.kid } : {}) })
    .sign(options.key ?? new TextEncoder().encode(options.secret ?? SECRET));
}

function exchange(token: string, tenant = 'acme'): Promise<HttpResult> {
  return h.api.request('POST', '/api/auth/jwt', { json: { tenant, token } });
}

async function signedIn(token: string): Promise<SignInAnswer> {
  const r = await exchange(token);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body as SignInAnswer;
}

/** Asserts a refusal: HTTP status, code, stable reason, and words of the message. */
async function refused(token: string, status: number, reason: string, message: RegExp, tenant = 'acme'): Promise<void> {
  const r = await exchange(token, tenant);
  const body = r.body as ErrorBody;
  assert.equal(r.status, status, `${reason}: ${JSON.stringify(r.body)}`);
  assert.equal(body.error.reason, reason, JSON.stringify(body));
  assert.equal(body.error.code, status === 401 ? 'unauthenticated' : status === 403 ? 'forbidden' : 'unavailable');
  assert.match(body.error.message, message);
}

before(async () => {
  h = await startServer();
  const operator = (await h.server.provisioning.keys.create({ tenantId: null, name: 'operator', createdBy: 'test' })).key;
  const created = await h.api.request('POST', '/api/provisioning/tenants', { headers: { authorization: `Bearer ${operator}` }, json: { id: 'acme', name: 'Acme AB' } });
  assert.equal(created.status, 201);
  key = ((await h.api.request('POST', '/api/provisioning/tenants/acme/api-keys', { headers: { authorization: `Bearer ${operator}` }, json: { name: 'CRM' } })).body as { key: string }).key;
  await provOk('PUT', '/channels/support', { name: 'Support' }, 201);
  await provOk('PUT', '/channels/sales', { name: 'Sales' }, 201);
  await provOk('PUT', '/agents/crm-user-1', { name: 'Anna A.', channels: { support: {} } }, 201);
});
after(async () => {
  await h.close();
});

describe('sign-in settings through the provisioning API', () => {
  test('validated, stored, shown without the secret; the secret never leaves the server', async () => {
    const none = await provOk<{ signIn: unknown }>('GET', '/sign-in');
    assert.equal(none.signIn, null, 'off until configured');

    const bad = await prov('PUT', '/sign-in', { algorithms: ['HS256', 'RS256', 'none'], secret: 'short', bogus: 1 });
    assert.equal(bad.status, 400);
    const fields = (bad.body as ErrorBody).error.fields ?? {};
    assert.ok(fields.algorithms && fields.secret && fields.bogus && fields.issuer && fields.audience, JSON.stringify(fields));

    const noKey = await prov('PUT', '/sign-in', { algorithms: ['HS256', 'RS256'], issuer: ISSUER, audience: AUDIENCE, secret: SECRET });
    assert.equal(noKey.status, 400);
    assert.match((noKey.body as ErrorBody).error.message, /RS256 need public keys/);

    const put = await prov('PUT', '/sign-in', { algorithms: ['HS256'], issuer: ISSUER, audience: AUDIENCE, secret: SECRET });
    assert.equal(put.status, 201, JSON.stringify(put.body));
    const shown = await provOk<{ signIn: Record<string, unknown> }>('GET', '/sign-in');
    assert.deepEqual(
      { ...shown.signIn, updatedAt: 0 },
      {
        algorithms: ['HS256'],
        issuer: ISSUER,
        audience: AUDIENCE,
        clockSkewSeconds: 30,
        maxLifetimeSeconds: 600,
        secretSet: true,
        jwksKeyIds: null,
        jwksUrl: null,
        publicKeyPemSet: false,
        jitProvisioning: false,
        jitChannels: {},
        roleMapping: null,
        updatedAt: 0,
      },
    );
    for (const r of [put, await prov('GET', '/sign-in')]) assert.ok(!JSON.stringify(r.body).includes(SECRET), 'the secret is never echoed');

    // Another tenant's key may not touch it.
    const operator = (await h.server.provisioning.keys.create({ tenantId: null, name: 'op2', createdBy: 'test' })).key;
    await h.api.request('POST', '/api/provisioning/tenants', { headers: { authorization: `Bearer ${operator}` }, json: { id: 'other', name: 'Other' } });
    const otherKey = (await h.server.provisioning.keys.create({ tenantId: 'other', name: 'k', createdBy: 'test' })).key;
    assert.equal((await prov('GET', '/sign-in', undefined, otherKey)).status, 403);

    // The customer identity secret must differ from the sign-in secret (token confusion).
    const same = await prov('PUT', '/customer-identity', { secret: SECRET });
    assert.equal(same.status, 400);
    assert.match((same.body as ErrorBody).error.message, /must differ/);
    const customer = await prov('PUT', '/customer-identity', { secret: OTHER_SECRET });
    assert.equal(customer.status, 201);
    assert.ok(!JSON.stringify(customer.body).includes(OTHER_SECRET));
    assert.deepEqual(Object.keys((await provOk<{ customerIdentity: object }>('GET', '/customer-identity')).customerIdentity).sort(), ['secretSet', 'updatedAt']);
  });
});

describe('POST /api/auth/jwt', () => {
  test('a good token signs the agent in; the access token opens their console; name and e-mail follow the CRM', async () => {
    const answer = await signedIn(await sign());
    assert.equal(answer.created, false);
    assert.equal(answer.agent.externalId, 'crm-user-1');
    assert.equal(answer.agent.name, 'Anna Andersson', 'the name in the token updates the agent');
    assert.equal(answer.agent.email, 'anna@acme.example');
    assert.match(answer.token, /^a\./);
    const console = await h.api.open('acme', await h.api.ticket(answer.token), { label: 'anna' });
    const welcome = await console.hello();
    assert.equal(welcome.me.kind === 'agent' ? welcome.me.id : '', answer.agent.id);
    assert.equal(welcome.me.kind === 'agent' ? welcome.me.name : '', 'Anna Andersson');
    await console.close();
  });

  test('each refusal has its status, stable reason and message', async () => {
    await refused(await sign({}, { secret: OTHER_SECRET }), 401, 'bad_signature', /signature does not verify/);
    const good = await sign();
    const [head, , sig] = good.split('.');
    const forged = Buffer.from(JSON.stringify({ sub: 'crm-user-1', iss: ISSUER, aud: AUDIENCE, exp: nowS() + 60, jti: 'forged' })).toString('base64url');
    await refused(`${head ?? ''}.${forged}.${sig ?? ''}`, 401, 'bad_signature', /signature/);
    await refused(await sign({ aud: 'crm-chat:someone-else' }), 401, 'wrong_audience', /audience \(aud\) must be "crm-chat:acme"/);
    await refused(await sign({ iss: 'https://evil.example' }), 401, 'wrong_issuer', /issuer \(iss\) must be/);
    await refused(await sign({ iat: nowS() - 600, exp: nowS() - 31 }), 401, 'token_expired', /expired/);
    await refused(await sign({ nbf: nowS() + 120 }), 401, 'token_not_yet_valid', /not valid yet/);
    await refused(await sign({ iat: nowS() + 120 }), 401, 'token_not_yet_valid', /issued in the future/);
    await refused(await sign({ exp: nowS() + 3600 }), 401, 'token_lifetime_too_long', /at most 600 s ahead/);
    await refused(await sign({}, { omit: ['jti'] }), 401, 'claim_missing', /"jti"/);
    await refused(await sign({}, { alg: 'HS512' }), 401, 'algorithm_not_allowed', /allowed: HS256/);
    await refused('not-a-jwt', 401, 'token_malformed', /not a signed JWT/);
    await refused(await sign({ sub: 'nobody-here' }), 403, 'unknown_agent', /No agent has this user id/);
    await refused(await sign(), 403, 'sign_in_not_configured', /does not accept JWT sign-in/, 'other');

    const once = await sign();
    await signedIn(once);
    await refused(once, 401, 'token_replayed', /used before/);

    // Small clock differences are forgiven: 20 s past exp is inside the 30 s skew.
    await signedIn(await sign({ iat: nowS() - 100, exp: nowS() - 20 }));
    // The server's clock decides: a token that is good now is expired once time moves on.
    const soon = await sign({ exp: nowS() + 60 });
    h.clock.advance(120_000);
    await refused(soon, 401, 'token_expired', /expired/);
  });

  test('disabled and deleted agents are refused', async () => {
    await provOk('PUT', '/agents/crm-user-2', { name: 'Bo Berg', channels: { support: {} } }, 201);
    await signedIn(await sign({ sub: 'crm-user-2', name: 'Bo Berg' }));
    await provOk('POST', '/agents/crm-user-2/disable');
    await refused(await sign({ sub: 'crm-user-2' }), 403, 'agent_disabled', /disabled/);
    await provOk('POST', '/agents/crm-user-2/enable');
    await provOk('DELETE', '/agents/crm-user-2');
    await refused(await sign({ sub: 'crm-user-2' }), 403, 'agent_deleted', /deleted/);
  });

  test('the jti window survives a restart', async () => {
    const dataDir = await tempDir('chat-jwt-restart-');
    let first: Harness | undefined = await startServer({ dataDir, keepData: true, clock: h.clock });
    let second: Harness | undefined;
    try {
      const k = (await first.server.provisioning.keys.create({ tenantId: 'demo', name: 'k', createdBy: 'test' })).key;
      const set = await first.api.request('PUT', '/api/provisioning/tenants/demo/sign-in', {
        headers: { authorization: `Bearer ${k}` },
        json: { algorithms: ['HS256'], issuer: ISSUER, audience: 'crm-chat:demo', secret: SECRET },
      });
      // 200, not 201: the demo tenant got its settings at start; this changes them.
      assert.equal(set.status, 200, JSON.stringify(set.body));
      const token = await sign({ sub: 'erik', aud: 'crm-chat:demo' });
      assert.equal((await first.api.request('POST', '/api/auth/jwt', { json: { tenant: 'demo', token } })).status, 200);
      await first.close();
      first = undefined;
      second = await startServer({ dataDir, keepData: true, clock: h.clock });
      const again = await second.api.request('POST', '/api/auth/jwt', { json: { tenant: 'demo', token } });
      assert.equal(again.status, 401);
      assert.equal((again.body as ErrorBody).error.reason, 'token_replayed');
    } finally {
      await first?.close();
      await second?.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  test('just-in-time agents when the tenant allows it; roles decide channels only when mapped', async () => {
    await refused(await sign({ sub: 'crm-user-new', name: 'Cia Carlsson' }), 403, 'unknown_agent', /does not create agents/);
    await provOk('PUT', '/sign-in', { jitProvisioning: true, jitChannels: { support: {} } });
    await refused(await sign({ sub: 'crm-user-new', name: undefined }), 401, 'claim_missing', /"name" claim is required/);
    const created = await signedIn(await sign({ sub: 'crm-user-new', name: 'Cia Carlsson', email: 'cia@acme.example', roles: ['sales-manager'] }));
    assert.equal(created.created, true);
    const agent = await provOk<{ agent: { name: string; channels: Record<string, unknown> } }>('GET', '/agents/crm-user-new');
    assert.equal(agent.agent.name, 'Cia Carlsson');
    assert.deepEqual(Object.keys(agent.agent.channels), ['support'], 'roles are ignored until the tenant maps them');
    assert.equal((await signedIn(await sign({ sub: 'crm-user-new', name: 'Cia Carlsson' }))).created, false);

    const mapping = { 'sales-manager': { sales: { manager: true, listen: true } }, agent: { support: {} } };
    const bad = await prov('PUT', '/sign-in', { roleMapping: { x: { nope: {} } } });
    assert.equal(bad.status, 400);
    assert.deepEqual((bad.body as ErrorBody).error.fields, { 'roleMapping.x.nope': 'no such channel in this tenant' });
    await provOk('PUT', '/sign-in', { roleMapping: mapping });
    await signedIn(await sign({ sub: 'crm-user-new', roles: ['sales-manager', 'unknown-role'] }));
    const managed = await provOk<{ agent: { channels: Record<string, Record<string, boolean>> } }>('GET', '/agents/crm-user-new');
    assert.deepEqual(managed.agent.channels, { sales: { respond: true, notifications: true, listen: true, manager: true } });
    await signedIn(await sign({ sub: 'crm-user-new' }));
    assert.deepEqual(Object.keys((await provOk<{ agent: { channels: object } }>('GET', '/agents/crm-user-new')).agent.channels), ['sales'], 'no roles claim: channels stay');
    await provOk('PUT', '/sign-in', { roleMapping: null, jitProvisioning: false });
  });

  test('RS256 with a JWKS (stored and from a URL, picked by kid) and ES256 with a PEM key', async () => {
    const rsa = await generateKeyPair('RS256', { extractable: true });
    const jwk = { ...(await exportJWK(rsa.publicKey)), kid: 'crm-2026', alg: 'RS256', use: 'sig' };
    await provOk('PUT', '/sign-in', { algorithms: ['HS256', 'RS256'], jwks: { keys: [jwk] } });
    assert.deepEqual((await provOk<{ signIn: { jwksKeyIds: string[] } }>('GET', '/sign-in')).signIn.jwksKeyIds, ['crm-2026']);
    await signedIn(await sign({}, { alg: 'RS256', key: rsa.privateKey, kid: 'crm-2026' }));
    await refused(await sign({}, { alg: 'RS256', key: rsa.privateKey, kid: 'crm-2025' }), 401, 'unknown_key', /No public key of this tenant fits/);
    const stranger = await generateKeyPair('RS256');
    await refused(await sign({}, { alg: 'RS256', key: stranger.privateKey, kid: 'crm-2026' }), 401, 'bad_signature', /signature/);
    const privateJwk = await prov('PUT', '/sign-in', { jwks: { keys: [{ ...(await exportJWK((await generateKeyPair('RS256', { extractable: true })).privateKey)), kid: 'x' }] } });
    assert.equal(privateJwk.status, 400, 'a private key is refused');

    // The same keys served from a JWKS URL (http only to this machine).
    let served: object = { keys: [jwk] };
    let up = true;
    const jwksServer: Server = createServer((_req, res) => {
      if (!up) {
        res.writeHead(500).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(served));
    });
    await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${String((jwksServer.address() as AddressInfo).port)}/.well-known/jwks.json`;
      const refusedUrl = await prov('PUT', '/sign-in', { jwksUrl: 'http://crm.acme.example/jwks.json' });
      assert.equal(refusedUrl.status, 400, 'plain http to another machine is refused');
      await provOk('PUT', '/sign-in', { jwksUrl: url });
      const shown = (await provOk<{ signIn: { jwksUrl: string; jwksKeyIds: unknown } }>('GET', '/sign-in')).signIn;
      assert.equal(shown.jwksUrl, url);
      assert.equal(shown.jwksKeyIds, null, 'setting a URL replaced the stored set');
      await signedIn(await sign({}, { alg: 'RS256', key: rsa.privateKey, kid: 'crm-2026' }));
      served = { keys: [] };
      up = false;
      await provOk('PUT', '/sign-in', { jwksUrl: url, clockSkewSeconds: 10 }); // new settings: keys fetched again
      await refused(await sign({}, { alg: 'RS256', key: rsa.privateKey, kid: 'crm-2026' }), 503, 'keys_unavailable', /could not be fetched/);
    } finally {
      await new Promise<void>((resolve) => jwksServer.close(() => { resolve(); }));
    }

    const ec = await generateKeyPair('ES256', { extractable: true });
    await provOk('PUT', '/sign-in', { algorithms: ['ES256'], publicKeyPem: await exportSPKI(ec.publicKey) });
    await signedIn(await sign({}, { alg: 'ES256', key: ec.privateKey }));
    await refused(await sign(), 401, 'algorithm_not_allowed', /allowed: ES256/);
    await refused(await sign({}, { alg: 'ES256', key: (await generateKeyPair('ES256')).privateKey }), 401, 'bad_signature', /signature/);
    await provOk('PUT', '/sign-in', { algorithms: ['HS256'], publicKeyPem: null, clockSkewSeconds: 30 });
  });

  test('the database holds the secret only in the tenant settings, never in a log of used tokens', async () => {
    const rows = h.server.db.all<{ jti: string }>("SELECT jti FROM used_jwt_ids WHERE tenant_id = 'acme'");
    assert.ok(rows.length > 5, 'used jtis are recorded');
    const bytes = await readFile(join(h.dataDir, 'chat.db-wal')).catch(() => Buffer.alloc(0));
    assert.ok(!bytes.includes(Buffer.from(await sign())), 'tokens themselves are never stored');
  });
});
