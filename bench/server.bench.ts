/**
 * Server benchmark: message throughput and ack latency of the Node host over real WebSockets,
 * with SQLite `synchronous = FULL` (the default: an ack means "on disk") and `NORMAL`.
 *
 * 16 customers chat with 4 agents (the demo tenant at full capacity). Each customer sends its
 * messages like the outbox does (one in flight, next after the ack); agents receive them live.
 * Reports acks per second, ack round-trip and customer→agent delivery percentiles.
 *
 *   node --import tsx bench/server.bench.ts [messagesPerCustomer=100]
 *
 * 100 per customer stays inside the per-connection budget (120 frames a minute, docs/protocol.md):
 * beyond it the server slows each sender down on purpose, and the figures would measure that.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import WebSocket from 'ws';

import { PROTOCOL_VERSION } from '../src/protocol/limits.js';
import { startChatServer } from '../server/node/server.js';

const PER_CUSTOMER = Number(process.argv[2] ?? 100);
const AGENTS = ['anna', 'erik', 'sofia', 'lars'] as const;

interface Result {
  mode: string;
  messages: number;
  seconds: number;
  perSecond: number;
  ack: { p50: number; p95: number; p99: number };
  delivery: { p50: number; p95: number; p99: number };
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? NaN;

async function run(mode: 'FULL' | 'NORMAL'): Promise<Result> {
  const dir = mkdtempSync(join(tmpdir(), 'chat-bench-'));
  const server = await startChatServer({ dataDir: dir, demo: true, synchronous: mode });
  const origin = server.url;
  const post = async <T>(path: string, body: unknown, token?: string): Promise<T> => {
    const res = await fetch(`${origin}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    return (await res.json()) as T;
  };
  const connect = async (token: string, onFrame: (f: Record<string, unknown>) => void): Promise<WebSocket> => {
    const { ticket } = await post<{ ticket: string }>('/api/tickets', {}, token);
    const ws = new WebSocket(`${origin.replace('http', 'ws')}/parties/chat/demo?token=${ticket}`, { origin });
    ws.on('message', (d: Buffer) => {
      onFrame(JSON.parse(d.toString()) as Record<string, unknown>);
    });
    await new Promise((r) => ws.once('open', r));
    ws.send(JSON.stringify({ t: 'hello', v: PROTOCOL_VERSION }));
    return ws;
  };

  // Agents, listening for message events.
  const sentAt = new Map<string, number>();
  const delivery: number[] = [];
  const agents: WebSocket[] = [];
  const agentTokens: string[] = [];
  for (const id of AGENTS) {
    const { token } = await post<{ token: string }>('/api/demo/login', { tenant: 'demo', agentId: id });
    agentTokens.push(token);
    agents.push(
      await connect(token, (f) => {
        if (f.t === 'event' && f.kind === 'message') {
          const data = f.data as { cmid?: string };
          const t0 = data.cmid ? sentAt.get(data.cmid) : undefined;
          if (t0 !== undefined) delivery.push(performance.now() - t0);
        }
      }),
    );
  }
  // Customers, each answered by an agent with room.
  const capacity: Record<string, number> = { anna: 5, erik: 4, sofia: 4, lars: 3 };
  const customers: { ws: WebSocket; sessionId: string; pending?: (f: Record<string, unknown>) => void }[] = [];
  let rid = 0;
  for (const [i, agentId] of AGENTS.entries()) {
    for (let c = 0; c < (capacity[agentId] ?? 0); c++) {
      const channelId = agentId === 'sofia' ? 'support' : 'sales';
      const chat = await post<{ sessionId: string; token: string }>('/api/chats', { tenant: 'demo', channelId, name: `Bench ${String(customers.length)}` });
      const entry: (typeof customers)[number] = { ws: undefined as unknown as WebSocket, sessionId: chat.sessionId };
      entry.ws = await connect(chat.token, (f) => entry.pending?.(f));
      customers.push(entry);
      const agent = agents[i];
      await new Promise<void>((resolve) => {
        const onMsg = (d: Buffer) => {
          const f = JSON.parse(d.toString()) as Record<string, unknown>;
          if (f.t === 'ok' || f.t === 'nack') {
            agent?.off('message', onMsg);
            resolve();
          }
        };
        agent?.on('message', onMsg);
        rid += 1;
        agent?.send(JSON.stringify({ t: 'accept', rid: `r${String(rid)}`, sessionId: chat.sessionId }));
      });
      agent?.send(JSON.stringify({ t: 'subscribe', rid: `s${String(rid)}`, sessionId: chat.sessionId, mode: 'participant' }));
    }
  }

  // Send: one in flight per customer, like the outbox.
  const acks: number[] = [];
  const t0 = performance.now();
  await Promise.all(
    customers.map(
      (c, ci) =>
        new Promise<void>((resolve) => {
          let n = 0;
          const sendNext = () => {
            if (n === PER_CUSTOMER) {
              resolve();
              return;
            }
            n += 1;
            const cmid = `bench-${String(ci)}-${String(n)}-xxxxxxxx`;
            const at = performance.now();
            sentAt.set(cmid, at);
            c.pending = (f) => {
              if (f.t === 'ack' && f.cmid === cmid) {
                acks.push(performance.now() - at);
                sendNext();
              } else if (f.t === 'nack' && f.cmid === cmid) {
                // rate limited: wait as told, then retry the same message
                setTimeout(() => {
                  c.ws.send(JSON.stringify({ t: 'send', cmid, sessionId: c.sessionId, kind: 'text', text: `message ${String(n)}` }));
                }, Number(f.retryAfterMs ?? 500));
              }
            };
            c.ws.send(JSON.stringify({ t: 'send', cmid, sessionId: c.sessionId, kind: 'text', text: `message ${String(n)}` }));
          };
          sendNext();
        }),
    ),
  );
  const seconds = (performance.now() - t0) / 1000;
  await new Promise((r) => setTimeout(r, 200));
  for (const ws of [...agents, ...customers.map((c) => c.ws)]) ws.close();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
  acks.sort((a, b) => a - b);
  delivery.sort((a, b) => a - b);
  const round = (x: number) => Math.round(x * 100) / 100;
  return {
    mode,
    messages: acks.length,
    seconds: round(seconds),
    perSecond: Math.round(acks.length / seconds),
    ack: { p50: round(pct(acks, 50)), p95: round(pct(acks, 95)), p99: round(pct(acks, 99)) },
    delivery: { p50: round(pct(delivery, 50)), p95: round(pct(delivery, 95)), p99: round(pct(delivery, 99)) },
  };
}

const results = [await run('FULL'), await run('NORMAL')];
console.log(JSON.stringify({ benchmark: 'server', perCustomer: PER_CUSTOMER, customers: 16, results }, null, 2));
