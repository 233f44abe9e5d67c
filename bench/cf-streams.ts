/**
 * `npm run bench:cf-streams -- [--agents 20] [--chats-per-agent 5] [--messages 10] [--rate 50]`
 *
 * A tenant spread over many conversation objects on the Cloudflare host under `wrangler dev`,
 * checked at the sockets of those objects (docs/scaling.md § 6 and § 8): every customer follows
 * its chat on the chat's own socket (`/parties/conversation/<tenant>/<session>`); agents write on
 * the tenant's socket at `--rate` messages per second in all (open loop); each acknowledged
 * message must arrive on its chat's socket exactly once, in seq order, gapless. Reports what was
 * sent, acknowledged, delivered there, missing, doubled and out of order, the time from the
 * send to the arrival on the chat's socket; no CPU or memory figures: this is a correctness run.
 * Figures are preliminary unless the machine was quiet.
 *
 * The data folder goes under `TMPDIR` (use `TMPDIR=/dev/shm`: see § 8 on the emulator's disk).
 * Results: bench/results/cf-streams.json (`--out`).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { WebSocket } from 'ws';

import { PROTOCOL_VERSION } from '../src/protocol/limits.js';
import { Histogram } from './load/histogram.js';
import { apiProvisioner, setTenantLimits, ticketFor } from './load/provision.js';
import { positive, pool, ROOT } from './load/util.js';
import { checkConversationObjects, startWrangler, stopWrangler } from './load/wrangler.js';

const { values } = parseArgs({
  options: {
    agents: { type: 'string', default: '20' },
    'chats-per-agent': { type: 'string', default: '5' },
    messages: { type: 'string', default: '10' },
    rate: { type: 'string', default: '50' },
    out: { type: 'string', default: join(ROOT, 'bench/results/cf-streams.json') },
  },
});
const agents = positive('bench:cf-streams', 'agents', values.agents);
const perAgent = positive('bench:cf-streams', 'chats-per-agent', values['chats-per-agent']);
const perChat = positive('bench:cf-streams', 'messages', values.messages);
const rate = positive('bench:cf-streams', 'rate', values.rate);

type Frame = Record<string, unknown> & { t: string };

/** A socket that keeps every frame and resolves waits on them. */
class Socket {
  readonly frames: Frame[] = [];
  /** When each frame arrived (`Date.now()`), by index. */
  readonly arrivals: number[] = [];
  private waiters: (() => void)[] = [];
  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      this.frames.push(JSON.parse(data.toString('utf8')) as Frame);
      this.arrivals.push(Date.now());
      for (const w of this.waiters.splice(0)) w();
    });
  }
  static open(url: string, origin: string): Promise<Socket> {
    const ws = new WebSocket(url, { origin });
    return new Promise((resolve, reject) => {
      ws.once('open', () => {
        resolve(new Socket(ws));
      });
      ws.once('error', reject);
    });
  }
  send(frame: Frame): void {
    this.ws.send(JSON.stringify(frame));
  }
  async until(pred: (f: Frame) => boolean, ms = 60_000): Promise<Frame> {
    const deadline = Date.now() + ms;
    for (;;) {
      const hit = this.frames.find(pred);
      if (hit) return hit;
      if (Date.now() > deadline) throw new Error(`no matching frame within ${String(ms)} ms; last: ${JSON.stringify(this.frames.slice(-3))}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 500);
      });
    }
  }
  close(): void {
    this.ws.close();
  }
}

const dir = await mkdtemp(join(tmpdir(), 'cf-streams-'));
await mkdir(join(dir, 'assets'));
const port = 20_000 + Math.floor(Math.random() * 20_000);
const operatorKey = `ccp_${randomBytes(5).toString('hex')}.${randomBytes(32).toString('base64url')}`;
const base = `http://127.0.0.1:${String(port)}`;
const w = await startWrangler({ port, persistTo: join(dir, 'state'), assets: join(dir, 'assets'), vars: { DEMO: '1', CHAT_OPERATOR_KEY: operatorKey } });
const tenant = 'streams';
const sockets: Socket[] = [];
try {
  const plan = { tenant, channelId: 'support', channelName: 'Support', agents, chatsPerAgent: perAgent };
  const agentIds = await apiProvisioner.afterStart(base, plan, operatorKey);
  await setTenantLimits(base, operatorKey, tenant, { chatStartsPerMinute: 100_000, framesPerMinute: 1_000_000, connectionsPerTenant: 1_000_000 });
  const url = (path: string, ticket: string) => `ws://127.0.0.1:${String(port)}${path}?_pk=tab-${randomBytes(6).toString('hex')}&token=${ticket}`;

  // Agents on the tenant's socket; each takes `perAgent` chats.
  const consoles = new Map<string, Socket>();
  await pool(agentIds, 8, async (id) => {
    const token = await apiProvisioner.agentToken(base, tenant, id);
    const s = await Socket.open(url(`/parties/chat/${tenant}`, await ticketFor(base, token)), base);
    s.send({ t: 'hello', v: PROTOCOL_VERSION });
    await s.until((f) => f.t === 'welcome');
    consoles.set(id, s);
    sockets.push(s);
  });
  interface Chat {
    sessionId: string;
    agent: Socket;
    follower: Socket;
    from: number;
  }
  const chats: Chat[] = [];
  const slots = agentIds.flatMap((id) => Array.from({ length: perAgent }, () => id));
  await pool(slots, 8, async (id) => {
    const chat = await apiProvisioner.startChat(base, tenant, 'support', 'Load customer');
    const agent = consoles.get(id);
    if (!agent) throw new Error('no console');
    const rid = `a-${chat.sessionId}`;
    agent.send({ t: 'accept', rid, sessionId: chat.sessionId });
    const answer = await agent.until((f) => f.rid === rid);
    if (answer.t !== 'ok') throw new Error(`accept refused: ${JSON.stringify(answer)}`);
    // The customer follows the chat on the chat's own object.
    const follower = await Socket.open(url(`/parties/conversation/${tenant}/${chat.sessionId}`, await ticketFor(base, chat.token)), base);
    follower.send({ t: 'hello', v: PROTOCOL_VERSION });
    await follower.until((f) => f.t === 'reset');
    sockets.push(follower);
    chats.push({ sessionId: chat.sessionId, agent, follower, from: follower.frames.length });
  });

  // Open loop: `perChat` messages per chat, `rate` per second in all, round robin over chats.
  const sends: { chat: Chat; cmid: string; at: number }[] = [];
  for (let k = 0; k < perChat; k++) for (const chat of chats) sends.push({ chat, cmid: `m-${String(k)}-${chat.sessionId}`, at: 0 });
  const acked = new Map<string, { msgId: string; at: number }>();
  const t0 = performance.now();
  for (const [i, s] of sends.entries()) {
    const due = t0 + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    s.at = Date.now();
    s.chat.agent.send({ t: 'send', cmid: s.cmid, sessionId: s.chat.sessionId, kind: 'text', text: `load ${s.cmid}` });
  }
  const sendSeconds = (performance.now() - t0) / 1000;
  for (const s of sends) {
    const a = await s.chat.agent.until((f) => f.t === 'ack' && f.cmid === s.cmid);
    acked.set(s.cmid, { msgId: String(a.msgId), at: s.at });
  }
  // Every acked message on its chat's socket: exactly once, in order, gapless.
  const check = await checkConversationObjects(base, operatorKey, tenant);
  const latency = new Histogram();
  let delivered = 0;
  let missing = 0;
  let doubled = 0;
  let outOfOrder = 0;
  let gaps = 0;
  for (const chat of chats) {
    const mine = sends.filter((s) => s.chat === chat);
    const ids = mine.map((s) => acked.get(s.cmid)?.msgId ?? '');
    const last = ids.at(-1) ?? '';
    await chat.follower.until((f) => f.t === 'event' && (f.data as { id?: string }).id === last, 30_000).catch(() => undefined);
    const events = chat.follower.frames.slice(chat.from).filter((f) => f.t === 'event');
    const got = events.map((f) => (f.data as { id: string }).id);
    const gotSet = new Set(got);
    delivered += got.filter((id) => ids.includes(id)).length;
    missing += ids.filter((id) => !gotSet.has(id)).length;
    doubled += got.length - gotSet.size;
    if (got.filter((id) => ids.includes(id)).join() !== ids.filter((id) => gotSet.has(id)).join()) outOfOrder += 1;
    const seqs = events.map((f) => Number(f.seq));
    for (let i = 1; i < seqs.length; i++) if (seqs[i] !== (seqs[i - 1] ?? 0) + 1) gaps += 1;
    const arrival = new Map<string, number>();
    for (let i = chat.from; i < chat.follower.frames.length; i++) {
      const f = chat.follower.frames[i];
      if (f?.t === 'event') arrival.set((f.data as { id: string }).id, chat.follower.arrivals[i] ?? 0);
    }
    for (const s of mine) {
      const at = arrival.get(acked.get(s.cmid)?.msgId ?? '');
      if (at !== undefined) latency.recordMs(at - s.at);
    }
  }
  const result = {
    when: new Date().toISOString(),
    preliminary: true,
    setup: { agents, chatsPerAgent: perAgent, chats: chats.length, messagesPerChat: perChat, rate, sendSeconds: Math.round(sendSeconds * 10) / 10 },
    sent: sends.length,
    acknowledged: acked.size,
    deliveredOnChatSockets: delivered,
    missing,
    doubled,
    outOfOrderChats: outOfOrder,
    seqGaps: gaps,
    sendToChatSocketMs: { p50: latency.percentileMs(50), p99: latency.percentileMs(99), max: latency.percentileMs(100) },
    conversationObjects: check,
  };
  await writeFile(values.out, `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result, null, 2));
  if (missing + doubled + outOfOrder + gaps > 0 || acked.size !== sends.length) process.exitCode = 1;
} finally {
  for (const s of sockets) s.close();
  await stopWrangler(w, 'SIGTERM');
  await rm(dir, { recursive: true, force: true });
}
