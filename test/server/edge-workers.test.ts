/**
 * Issue 12 item 3: the Node host with edge processes (`--edge-workers N`): the primary keeps the
 * rooms and the database, the edges own the WebSockets. Over real sockets and real processes:
 * a restart under load keeps every acknowledged message and the outboxes deliver the rest once,
 * in order; SIGTERM stops the primary and its edges cleanly (within CHAT_SHUTDOWN_TIMEOUT_MS:
 * the watchdog's exit 1 did not fire); an edge killed with SIGKILL costs its clients a reconnect
 * and nothing else, while the other edge's clients and the primary go on and a new edge starts.
 *
 * The whole server suite also runs with edges: `CHAT_EDGE_WORKERS=1 node scripts/run-node-tests.mjs test/server`.
 */
import assert from 'node:assert/strict';
import type { ForkOptions } from 'node:child_process';
import { fork } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { after, afterEach, describe, test } from 'node:test';

import { CLOSE } from '../../src/protocol/limits.js';
import { EDGE_WINDOW_FRAMES } from '../../server/node/edge-protocol.js';
import { RESPAWN_PAUSE_MS } from '../../server/node/edges.js';
import { answerTo, Api, closeAllClients, freePort, newCmid, spawnServer, startServer, stopAllProcesses, tempDir, withTimeout, type ServerFrame, type TestClient } from './helpers.js';
import { connect, history, Outbox } from './outbox.js';

const dirs: string[] = [];
afterEach(async () => {
  await closeAllClients();
  await stopAllProcesses();
});
after(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

const ROOMY = { CHAT_FRAMES_PER_MINUTE: '1000000', CHAT_STARTS_PER_MINUTE: '10000' };

/** Pids of the processes whose parent is `pid` (Linux `/proc`). */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the command's closing parenthesis: state, ppid, …
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(entry));
    } catch {
      // the process ended meanwhile
    }
  }
  return out;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Resolves once the outboxes together have had `count` messages acknowledged. */
function acknowledged(boxes: readonly Outbox[], count: number): Promise<void> {
  return new Promise<void>((resolve) => {
    for (const box of boxes) {
      box.onAck = () => {
        if (boxes.reduce((n, b) => n + b.next, 0) >= count) resolve();
      };
    }
  });
}

/** Every acknowledged message is stored as acknowledged, and every outbox's texts are stored once each, in order. */
async function assertDelivered(boxes: readonly Outbox[], widgets: readonly TestClient[]): Promise<void> {
  for (const [i, box] of boxes.entries()) {
    assert.ok(box.done, `outbox ${String(i)} emptied`);
    const stored = await history(widgets[i]!, box.chat.sessionId);
    const byId = new Map(stored.map((m) => [m.id, m]));
    for (const item of box.items) {
      const m = byId.get(item.ack!.msgId);
      assert.ok(m, `acknowledged ${item.cmid} is on disk`);
      assert.equal(m.seq, item.ack!.seq);
      assert.equal(m.text, item.text);
    }
    assert.deepEqual(
      stored.filter((m) => m.text.startsWith('overload ')).map((m) => m.text),
      box.items.map((item) => item.text),
      `session ${String(i)}: every message once, in outbox order`,
    );
  }
}

describe('edge processes (real process)', () => {
  test('restart under load: SIGTERM stops the primary and its edges cleanly, every ack is on disk, the outboxes then deliver each message once, in order', async (t) => {
    const dataDir = await tempDir();
    dirs.push(dataDir);
    const port = await freePort();
    const env = { ...ROOMY, CHAT_EDGE_WORKERS: '2' };
    const first = await spawnServer({ port, dataDir, env });
    const edges = childrenOf(first.child.pid!);
    assert.equal(edges.length, 2, 'the primary started two edge processes');
    const api = new Api(first.url);

    const chats = await Promise.all(Array.from({ length: 12 }, (_, i) => api.startChat('support', `Edge ${String(i)}`)));
    const boxes = chats.map((chat) => new Outbox(chat, 30));
    const customers = await Promise.all(chats.map(async (chat) => (await connect(api, chat)).client));
    const total = boxes.length * 30;
    const third = acknowledged(boxes, total / 3);
    const running = boxes.map((box, i) => box.run(customers[i]!));
    await withTimeout(third, 30_000, () => 'a third of the messages acknowledged');
    const stopped = await first.stop('SIGTERM');
    await Promise.all(running);
    // Exit 0 and "Stopped cleanly": the shutdown finished by itself, not by the watchdog
    // (CHAT_SHUTDOWN_TIMEOUT_MS exits 1 with "Shutdown took longer").
    assert.equal(stopped.code, 0, `a clean exit within the shutdown deadline; stderr: ${stopped.stderr}`);
    assert.match(stopped.stdout, /Stopped cleanly\./);
    for (const pid of edges) assert.equal(alive(pid), false, `edge process ${String(pid)} stopped with the primary`);
    for (const c of customers) {
      const info = await c.waitClose();
      assert.ok([CLOSE.GOING_AWAY, 1006].includes(info.code), `going away, got ${String(info.code)}`);
    }
    const ackedBefore = boxes.reduce((n, b) => n + b.items.filter((i) => i.ack !== undefined).length, 0);
    t.diagnostic(`before SIGTERM: ${String(ackedBefore)} of ${String(total)} acknowledged`);

    // After a restart (with edges again) the outboxes go on from where they were.
    const second = await spawnServer({ port, dataDir, env });
    const widgets = await Promise.all(chats.map(async (chat) => (await connect(api, chat)).client));
    await Promise.all(boxes.map((box, i) => box.run(widgets[i]!)));
    await assertDelivered(boxes, widgets);
    assert.equal((await second.stop('SIGTERM')).code, 0);
  });
});

describe('edge processes (in process)', () => {
  test('an edge killed with SIGKILL: its clients reconnect and lose nothing, the other edge and the primary go on, a new edge takes its place', async (t) => {
    // The primary logs `edge.restarted` once a replacement edge is ready: the test waits for that event.
    let restarted: (index: number) => void = () => undefined;
    const restartedEdge = new Promise<number>((resolve) => (restarted = resolve));
    const record = (event: string, fields: Record<string, string | number | boolean> = {}) => {
      if (event === 'edge.restarted') restarted(Number(fields.index));
    };
    const h = await startServer({ edgeWorkers: 2, log: { info: record, warn: record }, limits: { framesPerMinute: 1_000_000, chatStartsPerMinute: 10_000 } });
    try {
      const pids = h.server.edgePids();
      assert.equal(pids.length, 2);
      const chats = await Promise.all(Array.from({ length: 8 }, (_, i) => h.api.startChat('support', `Kill ${String(i)}`)));
      const boxes = chats.map((chat) => new Outbox(chat, 40));
      // Each widget: connect, send its outbox, and when the socket drops, connect again and go on.
      const sockets: TestClient[][] = chats.map(() => []);
      const runs = boxes.map(async (box, i) => {
        while (!box.done) {
          const { client } = await connect(h.api, box.chat);
          sockets[i]!.push(client);
          await box.run(client);
        }
      });
      await withTimeout(acknowledged(boxes, (boxes.length * 40) / 4), 30_000, () => 'a quarter acknowledged');
      const killed = pids[0]!;
      process.kill(killed, 'SIGKILL');
      await withTimeout(Promise.all(runs), 60_000, () => 'every outbox emptied after the kill');

      const reconnected = sockets.filter((list) => list.length > 1).length;
      t.diagnostic(`${String(reconnected)} of ${String(chats.length)} widgets were on the killed edge and reconnected`);
      assert.ok(reconnected > 0, 'some widgets lost their socket with the edge');
      assert.ok(reconnected < chats.length, 'the widgets of the other edge kept theirs');
      for (const list of sockets) for (const dropped of list.slice(0, -1)) assert.equal(dropped.closeInfo?.code, 1006);
      await assertDelivered(
        boxes,
        sockets.map((list) => list.at(-1)!),
      );

      // A new edge process replaces the killed one (edge 0: pids are listed by edge index).
      const index = await withTimeout(restartedEdge, 20_000, () => `a new edge process; running now: ${h.server.edgePids().join(', ')}`);
      assert.equal(index, 0);
      const now = h.server.edgePids();
      assert.equal(now.length, 2, 'two edges run again');
      assert.ok(!now.includes(killed), 'the killed edge is not one of them');
      assert.equal(alive(killed), false);
    } finally {
      await h.close();
    }
  });
});

describe('edge processes that cannot be started', () => {
  test('a failed fork is logged and tried again with a growing pause; the server serves with fewer edges meanwhile', async () => {
    const events: { event: string; fields: Record<string, string | number | boolean> }[] = [];
    let restarted: () => void = () => undefined;
    const restartedOnce = new Promise<void>((resolve) => (restarted = resolve));
    const record = (event: string, fields: Record<string, string | number | boolean> = {}) => {
      events.push({ event, fields });
      if (event === 'edge.restarted') restarted();
    };
    let calls = 0;
    // Real starts that really fail: the first as fork throws when the system has no process to
    // give (EAGAIN), the next as a spawn of a program that does not exist (ENOENT, reported by an
    // 'error' event); every later start is the real one.
    const edgeFork = (file: string, args: readonly string[], options: ForkOptions) => {
      calls += 1;
      if (calls === 1) throw Object.assign(new Error('spawn EAGAIN'), { code: 'EAGAIN', errno: -11, syscall: 'spawn' });
      if (calls === 3) return fork(file, [...args], { ...options, execPath: '/nonexistent/node' });
      return fork(file, [...args], options);
    };
    const h = await startServer({ edgeWorkers: 2, edgeFork, log: { info: record, warn: record }, limits: { framesPerMinute: 1_000_000, chatStartsPerMinute: 10_000 } });
    try {
      // The start did not wait for the retries: it reported running with one edge of two.
      assert.ok(events.some((e) => e.event === 'edge.degraded' && e.fields.wanted === 2 && e.fields.running === 1));
      const failed = () => events.filter((e) => e.event === 'edge.spawn_failed').map((e) => e.fields);
      const first = failed()[0];
      assert.deepEqual([first?.index, first?.error, first?.attempt, first?.retryInMs], [0, 'EAGAIN: spawn EAGAIN', 1, RESPAWN_PAUSE_MS]);

      // Serving meanwhile: chats go through the edge that runs (or the primary).
      const chats = await Promise.all(Array.from({ length: 4 }, (_, i) => h.api.startChat('support', `Degraded ${String(i)}`)));
      const boxes = chats.map((chat) => new Outbox(chat, 5));
      const widgets = await Promise.all(chats.map(async (chat) => (await connect(h.api, chat)).client));
      await Promise.all(boxes.map((box, i) => box.run(widgets[i]!)));
      await assertDelivered(boxes, widgets);

      // The second attempt fails too (ENOENT), after the first pause; the third, after twice that, starts it.
      await withTimeout(restartedOnce, 20_000, () => `edge 0 restarted; log: ${JSON.stringify(events)}`);
      const second = failed()[1];
      assert.equal(second?.attempt, 2);
      assert.equal(second.retryInMs, 2 * RESPAWN_PAUSE_MS);
      assert.match(String(second.error), /ENOENT/);
      assert.equal(calls, 4);
      assert.equal(h.server.edgePids().length, 2, 'both edges run');

      // New sockets are spread over both again and work.
      const more = await Promise.all(Array.from({ length: 4 }, (_, i) => h.api.startChat('support', `Restored ${String(i)}`)));
      const moreBoxes = more.map((chat) => new Outbox(chat, 3));
      const moreWidgets = await Promise.all(more.map(async (chat) => (await connect(h.api, chat)).client));
      await Promise.all(moreBoxes.map((box, i) => box.run(moreWidgets[i]!)));
      await assertDelivered(moreBoxes, moreWidgets);
    } finally {
      await h.close();
    }
  });
});

describe('edge window (real processes)', () => {
  test('while the primary takes nothing (stopped), the edge forwards at most its window and answers the rest itself, retryable; then nothing is lost', async () => {
    const dataDir = await tempDir();
    dirs.push(dataDir);
    const metricsKey = 'window-test-metrics-key';
    const server = await spawnServer({ port: await freePort(), dataDir, env: { ...ROOMY, CHAT_EDGE_WORKERS: '1', CHAT_METRICS_KEY: metricsKey } });
    const pid = server.child.pid!;
    const api = new Api(server.url);
    const chat = await api.startChat('support', 'Window');
    const { client } = await connect(api, chat);
    const isPong = (f: ServerFrame): f is Extract<ServerFrame, { t: 'pong' }> => f.t === 'pong';
    const beyond = 300;
    const total = EDGE_WINDOW_FRAMES + beyond;
    const from = client.mark();
    const cmid = newCmid('window');
    process.kill(pid, 'SIGSTOP');
    try {
      for (let n = 0; n < total; n += 1) client.sendJson({ t: 'ping', n });
      // Beyond the window the edge answers by itself, while the primary cannot: a pong for a ping…
      const early = await client.waitForCount(isPong, beyond, { from, timeoutMs: 20_000, label: 'pongs from the edge' });
      assert.deepEqual(
        early.map((f) => f.n),
        Array.from({ length: beyond }, (_, i) => EDGE_WINDOW_FRAMES + i),
        'exactly the pings beyond the window, answered by the edge',
      );
      // …and a retryable refusal for a message, which the outbox sends again later.
      client.post(chat.sessionId, 'sent while the primary is behind', { cmid });
      const refused = await client.waitFor(answerTo(cmid), { from, timeoutMs: 20_000 });
      if (refused.t !== 'nack') assert.fail(`refused, not ${refused.t}`);
      assert.equal(refused.code, 'overloaded');
      assert.equal(refused.retryable, true);
      assert.match(refused.message, /edge_backlog/);
      assert.ok((refused.retryAfterMs ?? 0) >= 250);
      assert.equal(client.all(isPong, from).length, beyond, 'nothing in the window was answered while the primary was stopped');
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    // The primary takes the window: every ping in it is answered once (by the room, or by its admission).
    const all = await client.waitForCount(isPong, total, { from, timeoutMs: 30_000, label: 'every ping answered' });
    assert.deepEqual(
      all.map((f) => f.n).sort((a, b) => a - b),
      Array.from({ length: total }, (_, i) => i),
    );
    // The refused message, sent again with its cmid, is acknowledged and stored once.
    const again = client.mark();
    client.post(chat.sessionId, 'sent while the primary is behind', { cmid });
    const ack = await client.waitFor(answerTo(cmid), { from: again, timeoutMs: 20_000 });
    assert.equal(ack.t, 'ack');
    const stored = await history(client, chat.sessionId);
    assert.equal(stored.filter((m) => m.text === 'sent while the primary is behind').length, 1);
    const metrics = await (await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${metricsKey}` } })).text();
    const counted = /crm_chat_refusals_total\{reason="edge_backlog"\} (\d+)/.exec(metrics);
    assert.ok(counted, `the edge's refusals are counted; metrics:\n${metrics.split('\n').filter((l) => l.includes('refusals')).join('\n')}`);
    assert.equal(Number(counted[1]), beyond + 1, 'the pings beyond the window and the message');
    assert.equal((await server.stop('SIGTERM')).code, 0);
  });
});
