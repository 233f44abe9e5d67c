/**
 * The route table (server/core/http/routes/index.ts) says who may call each endpoint; these tests hold
 * every line of it to that over real HTTP: without credentials every protected route answers 401,
 * a customer's token gets 403 from agent-only routes, the demo routes exist only with `--demo`,
 * the test clock only with a test clock. Unknown routes keep the API's error format.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import type { Route } from '../../server/core/http/router.js';
import { Router } from '../../server/core/http/router.js';
import { ROUTES } from '../../server/core/http/routes/index.js';
import type { Harness, HttpResult } from './helpers.js';
import { startServer } from './helpers.js';

/** A concrete path for a route pattern (`:id` → `x`, `*` → `x`). */
function concrete(path: string): string {
  return path
    .split('/')
    .map((s) => (s.startsWith(':') || s === '*' ? 'x' : s))
    .join('/');
}

function methods(r: Route): string[] {
  return typeof r.method === 'string' ? [r.method] : [...r.method];
}

function errorCode(r: HttpResult): string | undefined {
  return (r.body as { error?: { code?: string } }).error?.code;
}

let h: Harness;
before(async () => {
  h = await startServer();
});
after(async () => {
  await h.close();
});

describe('route table', () => {
  test('every route matches its own path, and no two routes claim the same method and path', () => {
    const router = new Router(ROUTES);
    const seen = new Set<string>();
    for (const r of ROUTES) {
      for (const m of methods(r)) {
        const key = `${m} ${r.path}`;
        assert.ok(!seen.has(key), `${key} is in the table twice`);
        seen.add(key);
        assert.equal(router.find(m, concrete(r.path))?.route, r, `${key} is reached`);
      }
    }
  });

  test('routes that need a token answer 401 without one, in the API error format', async () => {
    const guarded = ROUTES.filter((r) => r.auth === 'agent' || r.auth === 'agent-or-customer');
    assert.ok(guarded.length >= 10);
    for (const r of guarded) {
      for (const m of methods(r)) {
        for (const headers of [{}, { authorization: 'Bearer a.forged.token' }] as Record<string, string>[]) {
          const answer = await h.api.request(m, concrete(r.path), { headers });
          assert.equal(answer.status, 401, `${m} ${r.path}: ${JSON.stringify(answer.body)}`);
          assert.equal(errorCode(answer), 'unauthenticated');
        }
      }
    }
  });

  test("agent-only routes refuse a customer's token with 403; routes for both let it through", async () => {
    const chat = await h.api.startChat('support', 'Route Rita');
    const headers = { authorization: `Bearer ${chat.token}` };
    for (const r of ROUTES.filter((x) => x.auth === 'agent')) {
      for (const m of methods(r)) {
        const answer = await h.api.request(m, concrete(r.path), { headers });
        assert.equal(answer.status, 403, `${m} ${r.path}: ${JSON.stringify(answer.body)}`);
        assert.equal(errorCode(answer), 'forbidden');
      }
    }
    const ticket = await h.api.request('POST', '/api/tickets', { headers });
    assert.equal(ticket.status, 200, 'a customer gets a connect ticket');
  });

  test("provisioning routes need an API key: none is 401, another tenant's key 403, a tenant key on operator routes 403", async () => {
    const keyed = ROUTES.filter((r) => r.auth === 'tenant-key' || r.auth === 'operator-key');
    assert.ok(keyed.length >= 15);
    const { key } = await h.server.provisioning.keys.create({ tenantId: 'demo', name: 'routes test', createdBy: 'test' });
    const agentToken = await h.api.token('anna');
    for (const r of keyed) {
      for (const m of methods(r)) {
        // `:tenant` → x: a tenant the demo key is not for.
        const path = concrete(r.path);
        for (const bearer of [undefined, agentToken]) {
          const answer = await h.api.request(m, path, bearer === undefined ? {} : { headers: { authorization: `Bearer ${bearer}` } });
          assert.equal(answer.status, 401, `${m} ${r.path} with ${bearer === undefined ? 'no key' : "an agent's token"}`);
        }
        const other = await h.api.request(m, path, { headers: { authorization: `Bearer ${key}` } });
        assert.equal(other.status, 403, `${m} ${r.path} with a tenant key: ${JSON.stringify(other.body)}`);
        assert.equal(errorCode(other), 'forbidden');
      }
    }
  });

  test('demo routes exist only with --demo; the test clock only with a test clock', async () => {
    const plain = await startServer({ demo: false });
    try {
      for (const r of ROUTES.filter((x) => x.auth === 'demo' || x.auth === 'test-only')) {
        for (const m of methods(r)) {
          const answer = await plain.api.request(m, concrete(r.path), m === 'GET' ? {} : { json: {} });
          assert.equal(answer.status, 404, `${m} ${r.path}`);
          assert.equal(errorCode(answer), 'not_found');
        }
      }
    } finally {
      await plain.close();
    }
    const login = await h.api.request('POST', '/api/demo/login', { json: { tenant: 'demo', agentId: 'anna' } });
    assert.equal(login.status, 200, 'the demo server signs in');
  });

  test('unknown API routes and wrong methods answer 404 with the route named; other paths 404 or 405', async () => {
    const unknown = await h.api.request('GET', '/api/nope');
    assert.equal(unknown.status, 404);
    assert.deepEqual(unknown.body, { error: { code: 'not_found', message: 'no route GET /api/nope' } });
    const wrongMethod = await h.api.request('DELETE', '/api/tickets');
    assert.equal(wrongMethod.status, 404);
    assert.equal(errorCode(wrongMethod), 'not_found');
    assert.equal((await h.api.request('GET', '/nothing-here')).status, 404);
    assert.equal((await h.api.request('POST', '/demo/')).status, 405);
    const preflight = await h.api.request('OPTIONS', '/api/anything', { headers: { origin: h.api.origin } });
    assert.equal(preflight.status, 204);
    assert.match(preflight.headers.get('access-control-allow-methods') ?? '', /PUT/);
  });
});
