/**
 * Reconnect storm: the server restarts while many customers and the agents are connected, and
 * every client comes back at once (as after a deploy or a crash).
 *
 * N customers are in the queue (chats started, sockets open, hello answered) and the four demo
 * agents are connected. The server process state is dropped (its sockets close), a new server
 * starts on the same port and database, and every client at once asks for a new ticket, opens
 * a socket and says hello (without a resume position: each gets a full snapshot, the heavier of
 * the two paths). Measured: the time until every client has its `welcome` and until every one
 * has its first state frame after it, per-client p50 / p95 / max, and the frames the server sent
 * in the storm.
 *
 *   node --import tsx bench/reconnect.bench.ts [customers=300]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import WebSocket from 'ws';

import { PROTOCOL_VERSION } from '../src/protocol/limits.js';
import { startChatServer, type ChatServer } from '../server/node/server.js';

const CUSTOMERS = Number(process.argv[2] ?? 300);
const AGENTS = ['anna', 'erik', 'sofia', 'lars'] as const;

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? NaN;
const round = (x: number) => Math.round(x * 10) / 10;

interface Client {
  token: string;
  ws?: WebSocket;
  frames: number;
}

const dir = mkdtempSync(join(tmpdir(), 'chat-bench-reconnect-'));
const start = (port: number) => startChatServer({ dataDir: dir, demo: true, port, chatStartsPerMinute: 100_000 });
let server: ChatServer = await start(0);
const port = server.port;
const origin = server.url;

async function post<T>(path: string, body: unknown, token?: string): Promise<T> {
  const res = await fetch(`${origin}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${path}: HTTP ${String(res.status)} ${await res.text()}`);
  return (await res.json()) as T;
}

/** Ticket, socket, hello; resolves at `welcome` and at the first frame after it. */
async function connect(client: Client): Promise<{ welcome: number; state: number }> {
  const t0 = performance.now();
  const { ticket } = await post<{ ticket: string }>('/api/tickets', {}, client.token);
  const ws = new WebSocket(`${origin.replace('http', 'ws')}/parties/chat/demo?token=${ticket}`, { origin });
  client.ws = ws;
  return new Promise((resolve, reject) => {
    let welcome = -1;
    ws.on('message', (d: Buffer) => {
      client.frames += 1;
      const f = JSON.parse(d.toString()) as { t?: string };
      if (f.t === 'welcome') welcome = performance.now() - t0;
      else if (welcome >= 0) resolve({ welcome, state: performance.now() - t0 });
    });
    ws.once('open', () => {
      ws.send(JSON.stringify({ t: 'hello', v: PROTOCOL_VERSION }));
    });
    ws.once('error', reject);
    ws.once('close', (code) => {
      if (welcome < 0) reject(new Error(`closed with ${String(code)} before welcome`));
    });
  });
}

const clients: Client[] = [];
for (const id of AGENTS) clients.push({ token: (await post<{ token: string }>('/api/demo/login', { tenant: 'demo', agentId: id })).token, frames: 0 });
for (let i = 0; i < CUSTOMERS; i += 1) {
  const chat = await post<{ token: string }>('/api/chats', { tenant: 'demo', channelId: i % 2 ? 'sales' : 'support', name: `Storm ${String(i)}` });
  clients.push({ token: chat.token, frames: 0 });
}
// Everyone connected before the restart (in batches, as they would have arrived).
for (let i = 0; i < clients.length; i += 50) await Promise.all(clients.slice(i, i + 50).map((c) => connect(c)));

// Restart: the old server goes away with its sockets; a new one starts on the same port and data.
await server.close();
for (const c of clients) c.ws?.terminate();
server = await start(port);
for (const c of clients) c.frames = 0;

const t0 = performance.now();
const results = await Promise.all(clients.map((c) => connect(c)));
const allWelcome = Math.max(...results.map((r) => r.welcome));
const allState = performance.now() - t0;
const welcomes = results.map((r) => r.welcome).sort((a, b) => a - b);
const states = results.map((r) => r.state).sort((a, b) => a - b);
// Let the fan-out of the reconnections (queue positions, board) finish, then count the frames.
await new Promise((r) => setTimeout(r, 1000));
const frames = clients.reduce((n, c) => n + c.frames, 0);

for (const c of clients) c.ws?.close();
await server.close();
rmSync(dir, { recursive: true, force: true });

console.log(
  JSON.stringify(
    {
      benchmark: 'reconnect',
      customers: CUSTOMERS,
      agents: AGENTS.length,
      metrics: {
        allWelcomedMs: round(allWelcome),
        allWithStateMs: round(allState),
        welcomeMs: { p50: round(pct(welcomes, 50)), p95: round(pct(welcomes, 95)), max: round(welcomes.at(-1) ?? NaN) },
        firstStateMs: { p50: round(pct(states, 50)), p95: round(pct(states, 95)), max: round(states.at(-1) ?? NaN) },
        framesSentInFirstSecond: frames,
        framesPerClient: round(frames / clients.length),
      },
    },
    null,
    2,
  ),
);
