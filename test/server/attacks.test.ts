/**
 * Attack inputs (security §2) against an in-process server: bad frames, bad tickets, bad
 * origins, the hello deadline, forged fields, closed sessions, rate limits, hostile HTTP bodies
 * and logout. After every attack a well-behaved chat on the same server must keep working.
 */
import assert from 'node:assert/strict';
import { connect as netConnect } from 'node:net';
import { afterEach, beforeEach, describe, test } from 'node:test';

import { HELLO_DEADLINE_MS, PROTOCOL_VERSION, TICKET_TTL_MS } from '../../src/protocol/limits.js';
import {
  answerTo,
  isAck,
  isError,
  isNack,
  isTyping,
  newCmid,
  openActiveChat,
  sessionEventOf,
  type ActiveChat,
  type Harness,
  type SessionEvent,
  type TestClient,
  startServer,
  TestClient as Client,
} from './helpers.js';

let h: Harness;
/** A well-behaved chat that must survive every attack. */
let bystander: ActiveChat;

beforeEach(async () => {
  // The flood tests count against a budget of 120 frames a minute (the default is larger).
  h = await startServer({ allowedOrigins: ['https://crm.example.com'], limits: { framesPerMinute: 120 } });
  bystander = await openActiveChat(h.api, { agentId: 'sofia', name: 'Bystander Bea' });
});
afterEach(async () => {
  await h.close();
});

let exchange = 0;
/** The bystander customer and agent still talk both ways. */
async function assertBystanderChats(): Promise<void> {
  exchange += 1;
  const { customer, agent, sessionId } = bystander;
  assert.ok(customer.isOpen && agent.isOpen, 'bystander sockets are still open');
  const q = await customer.sendOk(sessionId, `question ${String(exchange)}`);
  await agent.waitFor((f): f is SessionEvent => sessionEventOf(sessionId)(f) && f.data.id === q.msgId, { label: 'bystander question' });
  const a = await agent.sendOk(sessionId, `answer ${String(exchange)}`);
  await customer.waitFor((f): f is SessionEvent => sessionEventOf(sessionId)(f) && f.data.id === a.msgId, { label: 'bystander answer' });
}

/** A fresh agent socket (erik) that has said hello. */
function attacker(): Promise<TestClient> {
  return h.api.agent('erik');
}

/** A fresh erik socket without hello. */
async function rawAttacker(): Promise<TestClient> {
  return h.api.open('demo', await h.api.ticket(await h.api.token('erik')), { label: 'raw attacker' });
}

describe('bad frames', () => {
  const closing: [string, (c: TestClient) => void, boolean, number][] = [
    ['not JSON after hello', (c) => { c.sendRaw('this is not json'); }, true, 4400],
    ['binary frame after hello', (c) => { c.sendRaw(Buffer.from([0x7b, 0x7d, 0x00, 0xff]), true); }, true, 4400],
    ['empty frame after hello', (c) => { c.sendRaw(''); }, true, 4400],
    ['a JSON array after hello', (c) => { c.sendRaw('[{"t":"ping","n":1}]'); }, true, 4400],
    ['__proto__ key after hello', (c) => { c.sendRaw('{"t":"ping","n":1,"__proto__":{"polluted":true}}'); }, true, 4400],
    ['unknown type before hello', (c) => { c.sendJson({ t: 'evil', rid: 'r1' }); }, false, 4400],
    ['send before hello', (c) => { c.sendJson({ t: 'send', cmid: newCmid(), sessionId: bystander.sessionId, kind: 'text', text: 'x' }); }, false, 4400],
    ['not JSON before hello', (c) => { c.sendRaw('GET / HTTP/1.1'); }, false, 4400],
    ['binary frame before hello', (c) => { c.sendRaw(Buffer.alloc(16), true); }, false, 4400],
    ['hello of an older console (v: 1)', (c) => { c.sendJson({ t: 'hello', v: 1 }); }, false, 4400],
    ['hello with a version from the future', (c) => { c.sendJson({ t: 'hello', v: PROTOCOL_VERSION + 1 }); }, false, 4400],
    ['hello with v: "2"', (c) => { c.sendJson({ t: 'hello', v: '2' }); }, false, 4400],
    ['hello with an unknown field', (c) => { c.sendJson({ t: 'hello', v: PROTOCOL_VERSION, role: 'supervisor' }); }, false, 4400],
    ['a 100 KB frame', (c) => { c.sendJson({ t: 'send', cmid: newCmid(), sessionId: bystander.sessionId, kind: 'text', text: 'x'.repeat(100_000) }); }, true, 4400],
    ['a 2 MB frame', (c) => { c.sendRaw('x'.repeat(2 * 1024 * 1024)); }, true, 1009],
  ];
  for (const [name, attack, afterHello, code] of closing) {
    test(`${name} → close ${String(code)}; others unaffected`, async () => {
      const c = afterHello ? await attacker() : await rawAttacker();
      const from = c.mark();
      attack(c);
      const closed = await c.waitClose();
      assert.equal(closed.code, code);
      if (code === 4400) {
        const error = c.all(isError, from)[0];
        assert.equal(error?.code, 'invalid', 'an error frame explains the close');
      }
      assert.ok(!c.all(isAck).length, 'nothing was committed');
      await assertBystanderChats();
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
    });
  }

  test('a console of protocol version 1 is told in words to update, then closed (4400)', async () => {
    const c = await rawAttacker();
    c.sendJson({ t: 'hello', v: 1, resume: { board: { epoch: 'old', seq: 12 } } });
    const closed = await c.waitClose();
    assert.equal(closed.code, 4400);
    assert.match(closed.reason, /update the console/);
    assert.deepEqual(
      c.frames.map((f) => (isError(f) ? `error:${f.code}` : f.t)),
      ['error:invalid'],
      'nothing but the error: no welcome, no board',
    );
    const error = c.all(isError)[0];
    assert.match(error?.message ?? '', /protocol version 1 is no longer supported: update the console/);
  });

  test('after hello, an unknown type, a forged field, a wrong type or a second hello → nack invalid, the socket stays usable', async () => {
    const c = await attacker();
    const chat = await openActiveChat(h.api, { agentId: 'erik', agent: c });
    const cases: (Record<string, unknown> & { t: string })[] = [
      { t: 'evil' },
      { t: 'accept', sessionId: chat.sessionId, role: 'supervisor' },
      { t: 'subscribe', sessionId: chat.sessionId, mode: 'participant', tenantId: 'other' },
      { t: 'history', sessionId: [], limit: 10 },
      { t: 'read', sessionId: chat.sessionId, seq: 2 ** 53 + 1 },
      { t: 'presence', status: 'invisible' },
    ];
    for (const frame of cases) {
      const answer = await c.command(frame);
      assert.ok(isNack(answer), `${JSON.stringify(frame)} was accepted`);
      assert.equal(answer.code, 'invalid');
      assert.equal(answer.retryable, false);
    }
    // send with forged sender fields: nack invalid, matched by cmid
    for (const forged of [{ agentId: 'anna' }, { role: 'supervisor' }, { sender: { kind: 'system' } }, { at: 0 }]) {
      const cmid = newCmid();
      const from = c.mark();
      c.sendJson({ t: 'send', cmid, sessionId: chat.sessionId, kind: 'text', text: 'forged', ...forged });
      const answer = await c.waitFor(answerTo(cmid), { from });
      assert.ok(isNack(answer) && answer.code === 'invalid', JSON.stringify(forged));
    }
    const from = c.mark();
    c.sendJson({ t: 'hello', v: PROTOCOL_VERSION });
    const second = await c.waitFor(isNack, { from });
    assert.equal(second.code, 'invalid');
    assert.equal(h.server.db.get<{ n: number }>("SELECT COUNT(*) AS n FROM messages WHERE text = 'forged'")?.n, 0);
    // still a working console
    await c.sendOk(chat.sessionId, 'still here');
    await c.sync();
    assert.ok(c.isOpen);
    await assertBystanderChats();
  });

  test('a customer may not write notes; nobody may write to an ended session', async () => {
    const chat = await openActiveChat(h.api, { agentId: 'erik' });
    const note = await chat.customer.send(chat.sessionId, 'I am staff, trust me', { kind: 'note' });
    assert.ok(isNack(note) && note.code === 'forbidden');
    await chat.agent.ok({ t: 'end', sessionId: chat.sessionId });
    const customerSend = await chat.customer.send(chat.sessionId, 'hello?');
    assert.ok(isNack(customerSend) && customerSend.code === 'session_closed', JSON.stringify(customerSend));
    const agentSend = await chat.agent.send(chat.sessionId, 'one more thing');
    assert.ok(isNack(agentSend) && agentSend.code === 'session_closed', JSON.stringify(agentSend));
    const rows = h.server.db.all<{ text: string }>('SELECT text FROM messages WHERE session_id = ?', [chat.sessionId]);
    assert.ok(!rows.some((r) => ['I am staff, trust me', 'hello?', 'one more thing'].includes(r.text)));
    await assertBystanderChats();
  });
});

describe('tickets', () => {
  async function expect4401(ticket: string | undefined, label: string): Promise<void> {
    const c = await h.api.open('demo', ticket, { label });
    c.sendJson({ t: 'hello', v: PROTOCOL_VERSION });
    const closed = await c.waitClose();
    assert.equal(closed.code, 4401, label);
    assert.deepEqual(
      c.frames.map((f) => (isError(f) ? `error:${f.code}` : f.t)),
      ['error:unauthenticated'],
      `${label}: nothing but the error`,
    );
  }

  test('no ticket, garbage, a forged ticket, an access token → 4401', async () => {
    const token = await h.api.token('erik');
    const good = await h.api.ticket(token);
    const [prefix, payload, sig] = good.split('.') as [string, string, string];
    // Re-sign nothing: change the subject in the payload and keep the old signature.
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const forgedPayload = Buffer.from(JSON.stringify({ ...claims, sub: 'anna' })).toString('base64url');
    const flippedSig = sig.slice(0, -2) + (sig.endsWith('AA') ? 'BB' : 'AA');
    await expect4401(undefined, 'no ticket');
    await expect4401('', 'empty ticket');
    await expect4401('t.garbage.garbage', 'garbage');
    await expect4401(`${prefix}.${forgedPayload}.${sig}`, 'forged payload');
    await expect4401(`${prefix}.${payload}.${flippedSig}`, 'forged signature');
    await expect4401(`${prefix}.${payload}`, 'no signature');
    await expect4401(token, 'access token instead of a ticket');
    await expect4401('t.' + 'A'.repeat(5000) + '.x', 'oversized');
    // the untouched ticket still works (nothing above consumed it)
    const ok = await h.api.open('demo', good);
    await ok.hello();
    await assertBystanderChats();
  });

  test('an expired ticket → 4401', async () => {
    const ticket = await h.api.ticket(await h.api.token('erik'));
    h.clock.advance(TICKET_TTL_MS + 1);
    await expect4401(ticket, 'expired');
    await assertBystanderChats();
  });

  test('a reused ticket → 4401', async () => {
    const ticket = await h.api.ticket(await h.api.token('erik'));
    const first = await h.api.open('demo', ticket);
    await first.hello();
    await expect4401(ticket, 'reused');
    await first.sync();
    assert.ok(first.isOpen, 'the first use is unaffected');
  });

  test('more than 10 sockets for one user → 4429', async () => {
    const sockets: TestClient[] = [];
    for (let i = 0; i < 10; i++) sockets.push(await h.api.agent('lars'));
    const eleventh = await h.api.open('demo', await h.api.ticket(await h.api.token('lars')));
    const closed = await eleventh.waitClose();
    assert.equal(closed.code, 4429);
    const error = eleventh.all(isError)[0];
    assert.equal(error?.code, 'overloaded');
    assert.ok((error.retryAfterMs ?? 0) > 0);
    await Promise.all(sockets.map((s) => s.sync()));
    await assertBystanderChats();
  });
});

describe('origin check on the upgrade', () => {
  async function upgradeStatus(origin: string | undefined): Promise<number> {
    const url = h.api.wsUrl('demo', await h.api.ticket(await h.api.token('erik')));
    try {
      const c = await Client.open(url, origin === undefined ? {} : { origin });
      await c.close();
      return 101;
    } catch (error) {
      const match = /^HTTP (\d+)$/.exec((error as Error).message);
      if (!match) throw error;
      return Number(match[1]);
    }
  }

  test('foreign, null, look-alike or missing Origin → 403; own and allowlisted origins → 101', async () => {
    const port = String(h.server.port);
    for (const origin of [
      'https://evil.example',
      'null',
      'https://localhost.evil.io',
      'https://crm.example.com.evil.io',
      'https://evil.io/https://crm.example.com',
      'http://crm.example.com',
      `http://localhost:${port}.evil.io`,
      `http://127.0.0.1:${String(h.server.port + 1)}`,
      '',
      undefined,
    ]) {
      assert.equal(await upgradeStatus(origin), 403, `Origin ${JSON.stringify(origin)}`);
    }
    for (const origin of [`http://localhost:${port}`, `http://127.0.0.1:${port}`, 'https://crm.example.com']) {
      assert.equal(await upgradeStatus(origin), 101, `Origin ${origin}`);
    }
    await assertBystanderChats();
  });

  test('HTTP API calls from a foreign origin are refused', async () => {
    const r = await h.api.request('POST', '/api/demo/login', { json: { tenant: 'demo', agentId: 'anna' }, headers: { origin: 'https://evil.example' } });
    assert.equal(r.status, 403);
    assert.equal(r.headers.get('access-control-allow-origin'), null);
  });

  test('a malformed request target on the upgrade is refused with 400 and the server keeps running', async () => {
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = netConnect(h.server.port, '127.0.0.1');
      let data = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => (data += chunk));
      socket.on('end', () => {
        resolve(data);
      });
      socket.on('error', reject);
      socket.write(
        'GET //[ HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
          `Origin: ${h.api.origin}\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
    });
    assert.match(reply, /^HTTP\/1\.1 400 /);
    const health = await h.api.request('GET', '/health');
    assert.equal(health.status, 200);
    await assertBystanderChats();
  });
});

describe('hello deadline', () => {
  test(`no hello within ${String(HELLO_DEADLINE_MS)} ms → close 4408 (manual clock)`, async () => {
    const timerSet = h.clock.nextTimer(HELLO_DEADLINE_MS);
    const c = await rawAttacker();
    await timerSet; // the server has registered the socket and armed its deadline
    const room = h.server.room('demo')!;
    const before = room.connectionCount;
    h.clock.advance(HELLO_DEADLINE_MS - 1);
    assert.equal(room.connectionCount, before, 'not closed a millisecond early');
    h.clock.advance(1);
    const closed = await c.waitClose();
    assert.equal(closed.code, 4408);
    assert.equal(room.connectionCount, before - 1);
    assert.ok(!c.frames.some((f) => f.t === 'welcome' || f.t === 'event' || f.t === 'reset'), 'no data before hello');
    await assertBystanderChats();
  });

  test('a socket that said hello is not closed by the deadline', async () => {
    const c = await attacker();
    h.clock.advance(HELLO_DEADLINE_MS * 3);
    await c.sync();
    assert.ok(c.isOpen);
  });
});

describe('rate limits', () => {
  test('200 sends at once: acks, then nack rate_limited with retryAfterMs, then close 4429; others unaffected', async () => {
    const chat = await openActiveChat(h.api, { agentId: 'erik' });
    const c = chat.agent;
    const from = c.mark();
    const cmids: string[] = [];
    for (let i = 0; i < 200; i++) cmids.push(c.post(chat.sessionId, `flood ${String(i)}`));
    const closed = await c.waitClose();
    assert.equal(closed.code, 4429);
    const acks = c.all(isAck, from);
    const limited = c.all(isNack, from).filter((n) => n.code === 'rate_limited');
    assert.ok(acks.length >= 100 && acks.length <= 125, `acks: ${String(acks.length)}`);
    assert.ok(limited.length >= 50, `rate_limited nacks: ${String(limited.length)}`);
    for (const n of limited) {
      assert.equal(n.retryable, true);
      assert.ok((n.retryAfterMs ?? 0) > 0);
      assert.ok(n.cmid !== undefined && cmids.includes(n.cmid), 'the nack names the cmid');
    }
    const error = c.all(isError, from).at(-1);
    assert.equal(error?.code, 'rate_limited');
    assert.ok((error.retryAfterMs ?? 0) > 0);
    // Exactly the acked messages were stored (no rate-limited one slipped in).
    const stored = h.server.db.all<{ cmid: string }>("SELECT cmid FROM messages WHERE text LIKE 'flood %' ORDER BY seq");
    assert.deepEqual(
      stored.map((r) => r.cmid),
      acks.map((a) => a.cmid),
    );
    // The customer of that chat and the bystanders are unaffected; erik can reconnect.
    await chat.customer.sendOk(chat.sessionId, 'are you ok?');
    await assertBystanderChats();
    const again = await h.api.agent('erik');
    await again.ok({ t: 'subscribe', sessionId: chat.sessionId, mode: 'participant' });
    await again.sendOk(chat.sessionId, 'sorry about that');
  });

  test('more than 20 chat starts a minute from one address → 429 rate_limited; allowed again the next minute', async () => {
    const start = () => h.api.request('POST', '/api/chats', { json: { tenant: 'demo', channelId: 'support', name: 'Flood Frida' } });
    // Counted per calendar minute: begin at the start of one, so the burst stays inside it.
    h.clock.advance(60_000 - (h.clock.now() % 60_000) + 10);
    const statuses: number[] = [];
    for (let i = 0; i < 23; i += 1) statuses.push((await start()).status);
    assert.deepEqual(statuses, [...Array<number>(20).fill(201), 429, 429, 429]);
    const refused = await start();
    assert.equal((refused.body as { error: { code: string } }).error.code, 'rate_limited');
    h.clock.advance(60_000);
    assert.equal((await start()).status, 201, 'a new minute');
    await assertBystanderChats();
  });

  test('the chat-start budget is configurable (chatStartsPerMinute / --chat-starts-per-minute)', async () => {
    const other = await startServer({ chatStartsPerMinute: 2 });
    try {
      other.clock.advance(60_000 - (other.clock.now() % 60_000) + 10);
      const start = async () => (await other.api.request('POST', '/api/chats', { json: { tenant: 'demo', channelId: 'support', name: 'Few Fia' } })).status;
      assert.deepEqual([await start(), await start(), await start()], [201, 201, 429]);
    } finally {
      await other.close();
    }
  });

  test('a flood of invalid frames is rate limited too', async () => {
    const c = await attacker();
    const from = c.mark();
    for (let i = 0; i < 300; i++) c.sendJson({ t: 'nope', rid: `r${String(i)}` });
    const closed = await c.waitClose();
    assert.equal(closed.code, 4429);
    const nacks = c.all(isNack, from);
    assert.ok(nacks.length < 200, `answered ${String(nacks.length)} of 300 invalid frames`);
    assert.ok(nacks.some((n) => n.code === 'rate_limited'));
    await assertBystanderChats();
  });

  test('typing floods are dropped beyond the per-second allowance', async () => {
    const { customer, agent, sessionId } = bystander;
    const from = agent.mark();
    for (let i = 0; i < 100; i++) customer.sendJson({ t: 'typing', sessionId, on: true, preview: `draft ${String(i)}` });
    await customer.sync();
    await agent.sync();
    const relayed = agent.all(isTyping, from);
    assert.ok(relayed.length >= 1 && relayed.length <= 8, `relayed ${String(relayed.length)} of 100`);
    assert.ok(customer.isOpen);
    await assertBystanderChats();
  });
});

describe('HTTP API abuse', () => {
  interface ErrorBody {
    error: { code: string; message: string };
  }
  function assertApiError(r: { status: number; body: unknown }, status: number, label: string): void {
    assert.equal(r.status, status, `${label}: ${JSON.stringify(r.body)}`);
    const body = r.body as ErrorBody;
    assert.equal(typeof body.error.code, 'string', label);
    assert.equal(typeof body.error.message, 'string', label);
  }

  test('bad JSON, wrong content type, oversized body, __proto__ keys, wrong types → 4xx with {error}, never 500', async () => {
    const json = { 'content-type': 'application/json' };
    const cases: [string, string, Parameters<typeof h.api.request>[2], number][] = [
      ['bad JSON', '/api/demo/login', { body: '{"tenant":', headers: json }, 400],
      ['empty body', '/api/demo/login', { body: '', headers: json }, 400],
      ['array body', '/api/chats', { body: '[]', headers: json }, 400],
      ['wrong content type', '/api/demo/login', { body: '{"tenant":"demo","agentId":"anna"}', headers: { 'content-type': 'text/plain' } }, 415],
      ['form content type', '/api/chats', { body: 'tenant=demo', headers: { 'content-type': 'application/x-www-form-urlencoded' } }, 415],
      ['oversized body', '/api/chats', { body: JSON.stringify({ tenant: 'demo', channelId: 'support', name: 'x'.repeat(40_000) }), headers: json }, 413],
      ['__proto__ key', '/api/chats', { body: '{"tenant":"demo","channelId":"support","__proto__":{"polluted":true}}', headers: json }, 400],
      ['escaped __proto__ key', '/api/chats', { body: '{"tenant":"demo","channelId":"support","\\u005f_proto__":{"polluted":true}}', headers: json }, 400],
      ['constructor key', '/api/demo/login', { body: '{"tenant":"demo","agentId":"anna","constructor":{"prototype":{"polluted":true}}}', headers: json }, 400],
      ['operator object as name', '/api/chats', { json: { tenant: 'demo', channelId: 'support', name: { $gt: '' } } }, 400],
      ['array as agentId', '/api/demo/login', { json: { tenant: 'demo', agentId: ['anna'] } }, 400],
      ['name too long', '/api/chats', { json: { tenant: 'demo', channelId: 'support', name: 'n'.repeat(101) } }, 400],
      ['bad e-mail', '/api/chats', { json: { tenant: 'demo', channelId: 'support', name: 'x', email: 'not-an-email' } }, 400],
      ['unknown channel', '/api/chats', { json: { tenant: 'demo', channelId: 'nope', name: 'x' } }, 404],
      ['unknown tenant', '/api/chats', { json: { tenant: 'nope', channelId: 'support' } }, 404],
      ['unknown agent', '/api/demo/login', { json: { tenant: 'demo', agentId: 'mallory' } }, 404],
      ['agent of another tenant id', '/api/demo/login', { json: { tenant: '../demo', agentId: 'anna' } }, 404],
    ];
    for (const [label, path, options, status] of cases) {
      assertApiError(await h.api.request('POST', path, options), status, label);
    }
    assert.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype stays clean');
    await assertBystanderChats();
  });

  test('missing or wrong credentials → 401/403; unknown routes → 404; bad request targets → 400', async () => {
    const customerToken = bystander.chat.token;
    const ticket = await h.api.ticket(await h.api.token('erik'));
    assertApiError(await h.api.request('POST', '/api/tickets'), 401, 'no bearer');
    assertApiError(await h.api.request('POST', '/api/tickets', { headers: { authorization: 'Bearer nonsense' } }), 401, 'garbage bearer');
    assertApiError(await h.api.request('POST', '/api/tickets', { headers: { authorization: `Bearer ${ticket}` } }), 401, 'ticket as bearer');
    assertApiError(await h.api.request('POST', '/api/tickets', { headers: { authorization: `Basic ${customerToken}` } }), 401, 'wrong scheme');
    assertApiError(await h.api.request('GET', '/api/snapshot', { headers: { authorization: `Bearer ${customerToken}` } }), 403, 'customer snapshot');
    assertApiError(await h.api.request('GET', '/api/nothing-here'), 404, 'unknown route');
    assertApiError(await h.api.request('DELETE', '/api/chats'), 404, 'wrong method');
    assertApiError(await h.api.request('GET', '/api/demo/agents?tenant=nope'), 404, 'unknown tenant');
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = netConnect(h.server.port, '127.0.0.1');
      let data = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => (data += chunk));
      socket.on('end', () => {
        resolve(data);
      });
      socket.on('error', reject);
      socket.write('GET //[ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
    });
    assert.match(raw, /^HTTP\/1\.1 400 /);
    assert.match(raw, /"code":"invalid"/);
    await assertBystanderChats();
  });
});

describe('logout', () => {
  test("logout closes the agent's sockets with 4401, revokes its token and unused tickets; others unaffected", async () => {
    const token = await h.api.login('erik');
    const tabs = [];
    for (let i = 0; i < 2; i++) {
      const c = await h.api.open('demo', await h.api.ticket(token), { label: `erik tab ${String(i)}` });
      await c.hello();
      tabs.push(c);
    }
    const unused = await h.api.ticket(token);
    const anna = await h.api.agent('anna');
    // another login of erik (another device) is a separate auth session and stays signed in
    const otherDevice = await h.api.open('demo', await h.api.ticket(await h.api.login('erik')));
    await otherDevice.hello();

    const r = await h.api.request('POST', '/api/logout', { headers: { authorization: `Bearer ${token}` } });
    assert.equal(r.status, 200);
    for (const tab of tabs) {
      const closed = await tab.waitClose();
      assert.equal(closed.code, 4401);
      assert.equal(tab.all(isError).at(-1)?.code, 'unauthenticated');
    }
    const withUnused = await h.api.open('demo', unused);
    assert.equal((await withUnused.waitClose()).code, 4401);
    const again = await h.api.request('POST', '/api/tickets', { headers: { authorization: `Bearer ${token}` } });
    assert.equal(again.status, 401);
    const snap = await h.api.request('GET', '/api/snapshot', { headers: { authorization: `Bearer ${token}` } });
    assert.equal(snap.status, 401);
    await anna.sync();
    await otherDevice.sync();
    assert.ok(anna.isOpen && otherDevice.isOpen);
    await assertBystanderChats();
  });
});
