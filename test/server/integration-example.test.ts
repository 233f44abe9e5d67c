/**
 * docs/integration.md as written, against the real server over real HTTP: its curl examples
 * (taken from the document, run by bash with curl), the CRM backend script
 * `docs/examples/crm-sign-in.mjs` (run with node: sign a JWT, exchange it, get a ticket; the
 * ticket then opens the agent's console), and the website's `docs/examples/shop-identity-token.mjs`
 * (its token starts a verified chat).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import type { Harness } from './helpers.js';
import { ROOT, startServer } from './helpers.js';

const SECRET = 'acme-crm-secret-for-the-integration-doc-0123';
const CUSTOMER_SECRET = 'acme-shop-secret-for-the-integration-doc-456';

let h: Harness;
let key: string;
let doc: string;

/** The ```sh block after `<!-- example: NAME` in docs/integration.md. */
function example(name: string): string {
  const at = doc.indexOf(`<!-- example: ${name} `);
  assert.ok(at >= 0, `docs/integration.md has no example "${name}"`);
  const block = /```sh\n([\s\S]*?)```/.exec(doc.slice(at));
  assert.ok(block?.[1], `no sh block after example "${name}"`);
  return block[1];
}

function run(file: string, args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  const base = { ...process.env };
  delete base.NODE_TEST_CONTEXT;
  delete base.NODE_OPTIONS;
  return new Promise((resolve) => {
    execFile(file, args, { cwd: ROOT, env: { ...base, ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

before(async () => {
  doc = await readFile(join(ROOT, 'docs/integration.md'), 'utf8');
  h = await startServer();
  const operator = (await h.server.provisioning.keys.create({ tenantId: null, name: 'operator', createdBy: 'test' })).key;
  const auth = { authorization: `Bearer ${operator}` };
  assert.equal((await h.api.request('POST', '/api/provisioning/tenants', { headers: auth, json: { id: 'acme', name: 'Acme AB' } })).status, 201);
  key = ((await h.api.request('POST', '/api/provisioning/tenants/acme/api-keys', { headers: auth, json: { name: 'CRM' } })).body as { key: string }).key;
  const asCrm = { authorization: `Bearer ${key}` };
  assert.equal((await h.api.request('PUT', '/api/provisioning/tenants/acme/channels/support', { headers: asCrm, json: { name: 'Support' } })).status, 201);
  assert.equal(
    (await h.api.request('PUT', '/api/provisioning/tenants/acme/agents/crm-user-1001', { headers: asCrm, json: { name: 'Anna', channels: { support: {} } } })).status,
    201,
  );
});
after(async () => {
  await h.close();
});

describe('docs/integration.md', () => {
  test('§ 2: the curl call turns JWT sign-in on; the answer never shows the secret', async () => {
    const r = await run('bash', ['-euo', 'pipefail', '-c', example('curl-sign-in-settings')], { CHAT_URL: h.api.baseUrl, KEY: key, SECRET });
    assert.equal(r.code, 0, r.stderr);
    const answer = JSON.parse(r.stdout) as { signIn: { algorithms: string[]; secretSet: boolean; issuer: string }; created: boolean };
    assert.equal(answer.created, true);
    assert.deepEqual([answer.signIn.algorithms, answer.signIn.secretSet, answer.signIn.issuer], [['HS256'], true, 'https://crm.acme.example']);
    assert.ok(!r.stdout.includes(SECRET));
  });

  test('§ 4: the Node example signs in and gets a ticket that opens the console', async () => {
    const env = { CHAT_URL: h.api.baseUrl, CHAT_TENANT: 'acme', CHAT_JWT_SECRET: SECRET, CHAT_JWT_ISSUER: 'https://crm.acme.example', CHAT_JWT_AUDIENCE: 'crm-chat:acme' };
    const r = await run(process.execPath, ['docs/examples/crm-sign-in.mjs', 'crm-user-1001', 'Anna Andersson', 'anna@acme.example'], env);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { accessToken: string; ticket: string; agent: { externalId: string; name: string } };
    assert.equal(out.agent.externalId, 'crm-user-1001');
    assert.equal(out.agent.name, 'Anna Andersson');
    const console = await h.api.open('acme', out.ticket, { label: 'anna' });
    const welcome = await console.hello();
    assert.ok(welcome.me.kind === 'agent');
    assert.equal(welcome.me.name, 'Anna Andersson');
    assert.deepEqual(
      welcome.me.channels.map((c) => c.id),
      ['support'],
    );
    await console.close();

    // A refusal is printed as the server's error and exits 1.
    const wrong = await run(process.execPath, ['docs/examples/crm-sign-in.mjs', 'crm-user-1001', 'Anna Andersson'], { ...env, CHAT_JWT_AUDIENCE: 'crm-chat:other' });
    assert.equal(wrong.code, 1);
    assert.equal((JSON.parse(wrong.stderr) as { error: { reason: string } }).error.reason, 'wrong_audience');
  });

  test('§ 4: the curl exchange of a JWT the example signed', async () => {
    const { signAgentToken } = await import('../../docs/examples/crm-sign-in.mjs');
    const jwt = await signAgentToken({ secret: SECRET, issuer: 'https://crm.acme.example', audience: 'crm-chat:acme', userId: 'crm-user-1001', name: 'Anna Andersson' });
    const r = await run('bash', ['-euo', 'pipefail', '-c', example('curl-exchange')], { CHAT_URL: h.api.baseUrl, JWT: jwt });
    assert.equal(r.code, 0, r.stderr);
    const answer = JSON.parse(r.stdout) as { token: string; agent: { externalId: string }; created: boolean };
    assert.match(answer.token, /^a\./);
    assert.deepEqual([answer.agent.externalId, answer.created], ['crm-user-1001', false]);
    const again = await run('bash', ['-euo', 'pipefail', '-c', example('curl-exchange')], { CHAT_URL: h.api.baseUrl, JWT: jwt });
    assert.equal((JSON.parse(again.stdout) as { error: { reason: string } }).error.reason, 'token_replayed', 'the same JWT twice');
  });

  test('§ 8: the website example signs a customer token that starts a verified chat', async () => {
    const set = await h.api.request('PUT', '/api/provisioning/tenants/acme/customer-identity', { headers: { authorization: `Bearer ${key}` }, json: { secret: CUSTOMER_SECRET } });
    assert.equal(set.status, 201);
    const r = await run(process.execPath, ['docs/examples/shop-identity-token.mjs', 'shop-1001', 'Kim Andersson', 'kim.andersson@example.com'], { CHAT_CUSTOMER_SECRET: CUSTOMER_SECRET });
    assert.equal(r.code, 0, r.stderr);
    const started = await h.api.request('POST', '/api/chats', { json: { tenant: 'acme', channelId: 'support', identityToken: r.stdout.trim() } });
    assert.equal(started.status, 201, JSON.stringify(started.body));
    assert.equal((started.body as { identity: string }).identity, 'verified');
  });
});
