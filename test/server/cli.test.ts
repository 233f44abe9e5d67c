/**
 * The operator CLI (`crm-chat-server admin …`, server/node/cli.ts) as a real child process on a data
 * folder: it bootstraps a tenant, its first API key, channels and agents; the server started on
 * that folder accepts the key and the agent signs in with the channels the CLI gave them. Keys
 * rotated or revoked by the CLI while the server runs stop working at once. Wrong usage exits 2
 * with the usage text, refusals exit 1 naming the option.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';

import { SignJWT } from 'jose';

import type { Harness } from './helpers.js';
import { ROOT, serverArgs, startServer, tempDir } from './helpers.js';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

let dataDir: string;

/** Runs `crm-chat-server admin …` on the test's data folder. */
function admin(...args: string[]): Promise<Run> {
  const env = { ...process.env };
  delete env.NODE_TEST_CONTEXT;
  delete env.NODE_OPTIONS;
  delete env.CHAT_API_KEY_PEPPER;
  return new Promise((resolve) => {
    execFile(process.execPath, serverArgs(['admin', ...args, '--data', dataDir]), { cwd: ROOT, env }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

async function ok(...args: string[]): Promise<Run> {
  const r = await admin(...args);
  assert.equal(r.code, 0, `admin ${args.join(' ')}: ${r.stderr}`);
  return r;
}

before(async () => {
  dataDir = await tempDir('chat-cli-');
});
after(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('crm-chat-server admin', () => {
  let h: Harness | undefined;
  after(async () => {
    await h?.close();
  });

  test('bootstraps a tenant, its first key, a channel and an agent; the server accepts them', async () => {
    const created = await ok('tenant', 'create', 'acme', '--name', 'Acme AB', '--time-zone', 'Europe/Helsinki', '--origin', 'https://www.acme.example');
    assert.match(created.stdout, /Europe\/Helsinki/);
    const keyRun = await ok('key', 'create', '--tenant', 'acme', '--name', 'CRM sync');
    const key = keyRun.stdout.trim();
    assert.match(key, /^ccp_[0-9a-f]{10}\.[\w-]{43}$/, 'the key alone on stdout');
    assert.match(keyRun.stderr, /shown only now/);
    await ok('channel', 'create', 'support', '--tenant', 'acme', '--name', 'Support', '--welcome', 'Hej!', '--sneak-peek', 'off');
    const agentRun = await ok('agent', 'create', 'crm-7', '--tenant', 'acme', '--name', 'Aino Agent', '--max-chats', '3', '--channel', 'support:respond,manager');
    assert.match(agentRun.stderr, /Created agent crm-7/);
    const again = await ok('agent', 'create', 'crm-7', '--tenant', 'acme', '--name', 'Aino Agent', '--channel', 'support:respond,manager');
    assert.match(again.stderr, /Updated agent crm-7/, 'the same external id updates');
    const listed = await ok('agent', 'list', '--tenant', 'acme');
    assert.match(listed.stdout, /crm-7\s+ag_\S+\s+Aino Agent\s+active\s+3\s+support:respond,manager/);

    h = await startServer({ dataDir, keepData: true });
    const agents = await h.api.request('GET', '/api/provisioning/tenants/acme/agents', { headers: { authorization: `Bearer ${key}` } });
    assert.equal(agents.status, 200, JSON.stringify(agents.body));
    const [agent] = (agents.body as { agents: { id: string; externalId: string }[] }).agents;
    assert.equal(agent?.externalId, 'crm-7');
    const console = await h.api.agent(agent.id, { tenant: 'acme' });
    const welcome = console.frames.find((f) => f.t === 'welcome');
    assert.ok(welcome?.t === 'welcome' && welcome.me.kind === 'agent');
    assert.deepEqual(
      welcome.me.channels.map((c) => [c.id, c.permissions.manager, c.permissions.notifications]),
      [['support', true, false]],
    );
    assert.equal(welcome.me.maxConcurrentChats, 3);
  });

  test('operator keys, rotation and revocation made by the CLI take effect on the running server', async () => {
    assert.ok(h, 'the server of the first test');
    const operator = (await ok('key', 'create', '--operator', '--name', 'ops')).stdout.trim();
    const asOperator = { authorization: `Bearer ${operator}` };
    const made = await h.api.request('POST', '/api/provisioning/tenants', { headers: asOperator, json: { id: 'beta', name: 'Beta' } });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    const key = (await ok('key', 'create', '--tenant', 'beta', '--name', 'sync')).stdout.trim();
    const keyId = key.slice('ccp_'.length, key.indexOf('.'));
    const get = (k: string) => h?.api.request('GET', '/api/provisioning/tenants/beta', { headers: { authorization: `Bearer ${k}` } });
    assert.equal((await get(key))?.status, 200);
    const rotated = await ok('key', 'rotate', keyId, '--tenant', 'beta');
    const fresh = rotated.stdout.trim();
    assert.match(rotated.stderr, /stopped working now/);
    assert.equal((await get(key))?.status, 401, 'the rotated key stops at once');
    assert.equal((await get(fresh))?.status, 200);
    const list = await ok('key', 'list', '--tenant', 'beta');
    assert.match(list.stdout, new RegExp(`${keyId}\\s+ccp_${keyId}\\s+sync\\s+revoked`));
    assert.ok(!list.stdout.includes(fresh.split('.')[1] ?? '?'), 'a listing never shows a secret');
    await ok('key', 'revoke', fresh.slice('ccp_'.length, fresh.indexOf('.')), '--tenant', 'beta');
    assert.equal((await get(fresh))?.status, 401);
    await ok('key', 'revoke', operator.slice('ccp_'.length, operator.indexOf('.')), '--operator');
    assert.equal((await h.api.request('GET', '/api/provisioning/tenants', { headers: asOperator })).status, 401);
  });

  test('JWT sign-in and customer identity set up by the CLI: secrets printed once, never shown again; the server signs agents in', async () => {
    assert.ok(h, 'the server of the first test');
    const set = await ok(
      'sign-in', 'set', '--tenant', 'acme', '--algorithms', 'HS256', '--issuer', 'https://crm.acme.example', '--audience', 'crm-chat:acme',
      '--generate-secret', '--jit', 'on', '--jit-channel', 'support', '--role', 'lead=support:respond,manager',
    );
    const secret = set.stdout.trim();
    assert.match(secret, /^[\w-]{43}$/, 'the new secret alone on stdout');
    assert.match(set.stderr, /shown only now/);
    const shown = await ok('sign-in', 'show', '--tenant', 'acme');
    assert.match(shown.stdout, /HS256 secret\s+set \(never shown\)/);
    assert.match(shown.stdout, /new agents at sign-in\s+on, channels support:respond,notifications/);
    assert.match(shown.stdout, /roles decide channels\s+lead=support:respond,manager/);
    assert.ok(!shown.stdout.includes(secret) && !shown.stderr.includes(secret));

    const now = Math.floor(Date.now() / 1000);
    const jwt = await new SignJWT({ name: 'Nora New', roles: ['lead'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('crm-99')
      .setIssuer('https://crm.acme.example')
      .setAudience('crm-chat:acme')
      .setExpirationTime(now + 60)
      .setJti('cli-test-1')
      .sign(new TextEncoder().encode(secret));
    const signedIn = await h.api.request('POST', '/api/auth/jwt', { json: { tenant: 'acme', token: jwt } });
    assert.equal(signedIn.status, 200, JSON.stringify(signedIn.body));
    assert.equal((signedIn.body as { created: boolean }).created, true);
    assert.match((await ok('agent', 'list', '--tenant', 'acme')).stdout, /crm-99\s+ag_\S+\s+Nora New\s+active\s+5\s+support:respond,manager/);

    const badRole = await admin('sign-in', 'set', '--tenant', 'acme', '--role', 'x=nowhere');
    assert.equal(badRole.code, 1);
    assert.match(badRole.stderr, /--role x=nowhere: no such channel/);
    assert.equal((await admin('sign-in', 'set', '--tenant', 'acme', '--role', 'novalue')).code, 2);

    const customer = await ok('customer-identity', 'set', '--tenant', 'acme', '--generate-secret');
    assert.match(customer.stdout.trim(), /^[\w-]{43}$/);
    assert.notEqual(customer.stdout.trim(), secret);
    assert.match((await ok('customer-identity', 'show', '--tenant', 'acme')).stdout, /secret set \(never shown\)/);
    await ok('sign-in', 'off', '--tenant', 'acme');
    assert.match((await ok('sign-in', 'show', '--tenant', 'acme')).stdout, /JWT sign-in is off/);
    const after = await h.api.request('POST', '/api/auth/jwt', { json: { tenant: 'acme', token: jwt } });
    assert.equal((after.body as { error: { reason: string } }).error.reason, 'sign_in_not_configured');
  });

  test('wrong usage exits 2 with the usage; refusals exit 1 and name the option', async () => {
    for (const args of [['bogus'], ['key', 'create', '--name', 'x'], ['tenant', 'create'], ['agent', 'create', 'x', '--tenant', 'acme', '--max-chats', 'many']]) {
      const r = await admin(...args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /Usage: crm-chat-server admin/);
    }
    const zero = await admin('agent', 'create', 'x', '--tenant', 'acme', '--name', 'X', '--max-chats', '0');
    assert.equal(zero.code, 1);
    assert.match(zero.stderr, /--max-chats: a whole number from 1 to 100/);
    const channel = await admin('agent', 'create', 'x', '--tenant', 'acme', '--name', 'X', '--channel', 'nowhere');
    assert.equal(channel.code, 1);
    assert.match(channel.stderr, /--channel nowhere: no such channel/);
    const tenant = await admin('channel', 'list', '--tenant', 'nobody');
    assert.equal(tenant.code, 1);
    assert.match(tenant.stderr, /no such tenant/);
    const dup = await admin('tenant', 'create', 'acme', '--name', 'Again');
    assert.equal(dup.code, 1);
    assert.match(dup.stderr, /conflict/);
    const help = await admin('help');
    assert.equal(help.code, 0);
    assert.match(help.stdout, /key rotate <key-id>/);
  });
});
